"""The web process is killed (SIGKILL) in the middle of an upload: nothing half-stored survives.

The bytes reach the blob store only through a temp file renamed into place, and an asset is written
together with its version in one transaction, so a kill at any moment leaves either everything or
nothing. A temp file the killed process was writing is removed at the next start.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from tests.conftest import WebProcess, WorkerProcess
from tests.faults.conftest import assets_without_version, blob_files, eventually, log_tail, noise_png

MIB = 1024 * 1024


def test_web_killed_while_an_upload_streams_stores_nothing(services, api_token) -> None:
    from sqlalchemy import text

    from dam_app.db import session_scope

    web = WebProcess(services)
    web.start()
    before = blob_files()
    declared = 64 * MIB
    boundary = "dam-fault-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="market"\r\n\r\nNA\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + noise_png()
    tail = f"\r\n--{boundary}--\r\n".encode()
    request = (
        f"POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1:{web.port}\r\nAuthorization: Bearer {api_token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + declared + len(tail)}\r\n\r\n"
    ).encode()
    sent = 0
    try:
        with socket.create_connection(("127.0.0.1", web.port), timeout=10) as conn:
            conn.sendall(request + head)
            chunk = os.urandom(MIB)
            for _ in range(8):  # slowly: an eighth of the body, then the process dies under it
                conn.sendall(chunk)
                sent += len(chunk)
                time.sleep(0.05)
            web.kill()
            try:
                for _ in range(8):
                    conn.sendall(chunk)
                conn.recv(1)
            except OSError:
                pass  # reset by the dead peer, as expected
    finally:
        web.kill()
    assert sent == 8 * MIB
    assert web.proc is not None and web.proc.returncode == -9
    assert blob_files() == before, "a killed upload left bytes in the blob store"
    with session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM assets")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM versions")).scalar_one() == 0
    assert assets_without_version() == 0


SPOOL_FROM_STDIN = """
import sys
from dam_app.storage.spool import spooled
with spooled(sys.stdin.buffer):
    pass
"""


def test_temp_files_of_a_killed_process_are_removed_at_the_next_start(services) -> None:
    from dam_app.config import get_settings
    from dam_app.storage.tempfiles import temp_prefix

    tmp_dir = get_settings().tmp_dir
    tmp_dir.mkdir(parents=True, exist_ok=True)
    # The web's spooling code, killed while the upload is half copied (the rest never arrives).
    spooler = subprocess.Popen(
        [sys.executable, "-c", SPOOL_FROM_STDIN], stdin=subprocess.PIPE, env={**os.environ, **services}
    )
    assert spooler.stdin is not None
    spooler.stdin.write(os.urandom(3 * MIB))
    spooler.stdin.flush()

    def half_copied() -> bool:
        return any(p.stat().st_size >= 3 * MIB for p in tmp_dir.glob(f"upload-{spooler.pid}-*"))

    eventually(half_copied, timeout=20, what="the spooler to write its temp file")
    [leftover] = list(tmp_dir.glob(f"upload-{spooler.pid}-*"))
    spooler.kill()
    spooler.wait()
    spooler.stdin.close()
    assert leftover.exists()  # nobody cleaned up after the SIGKILL
    old_ui_buffer = tmp_dir / "ui-upload-abandoned"  # the UI's buffers carry no pid: judged by age
    old_ui_buffer.write_bytes(b"x")
    os.utime(old_ui_buffer, (time.time() - 7200, time.time() - 7200))
    fresh_ui_buffer = tmp_dir / "ui-upload-in-progress"
    fresh_ui_buffer.write_bytes(b"x")
    ours = tmp_dir / f"{temp_prefix('upload')}still-in-use"  # a live process's file
    ours.write_bytes(b"x")

    worker = WorkerProcess(services)
    worker.start()
    try:
        eventually(lambda: not leftover.exists(), timeout=60, what=f"removal of {leftover.name}")
        assert not old_ui_buffer.exists()
        assert fresh_ui_buffer.exists() and ours.exists()
    except AssertionError:
        raise AssertionError(log_tail(worker.log_path)) from None
    finally:
        worker.stop()
        fresh_ui_buffer.unlink(missing_ok=True)
        ours.unlink(missing_ok=True)
