"""`dam up` as a newcomer runs it: embedded servers, demo library, web app; Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

DAM = str(Path(sys.executable).with_name("dam"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(var_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DAM_DATABASE_URL", "DAM_REDIS_URL")}
    env.update(DAM_VAR_DIR=str(var_dir), DAM_PORT=str(port), DAM_DEMO_DATA="true")
    with log.open("ab") as out:
        return subprocess.Popen([DAM, "up"], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for_library(base: str, proc: subprocess.Popen[bytes], log: Path, minimum: int) -> int:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            body = json.dumps({"email": "admin@dam.local", "password": "demo-admin-2026"}).encode()
            opener.open(
                urllib.request.Request(f"{base}/api/v1/auth/login", body, {"Content-Type": "application/json"}),
                timeout=5,
            )
            with opener.open(f"{base}/api/v1/assets?limit=1", timeout=5) as response:
                total = int(json.load(response)["total"])
            with opener.open(f"{base}/api/v1/assets?status=ready&limit=1", timeout=5) as response:
                ready = int(json.load(response)["total"])
            if total >= minimum and ready == total:  # every demo asset imported and processed
                return total
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"library not ready: {log.read_text(errors='replace')[-3000:]}")


def _interrupt(proc: subprocess.Popen[bytes]) -> int:
    os.kill(proc.pid, signal.SIGINT)
    return proc.wait(timeout=60)


def test_dam_up_serves_demo_library_stops_cleanly_and_reuses_data(tmp_path: Path) -> None:
    port, log = _free_port(), tmp_path / "up.log"
    proc = _start(tmp_path / "var", port, log)
    try:
        ready = _wait_for_library(f"http://127.0.0.1:{port}", proc, log, minimum=30)
        assert "demo login: admin@dam.local / demo-admin-2026" in log.read_text()
    finally:
        code = _interrupt(proc)
    assert code == 0, log.read_text()[-2000:]
    assert not (tmp_path / "var" / "redis" / "redis.sock").exists()
    assert subprocess.run(["pgrep", "-f", str(tmp_path / "var")], capture_output=True).stdout == b""

    proc = _start(tmp_path / "var", port, log)
    try:
        again = _wait_for_library(f"http://127.0.0.1:{port}", proc, log, minimum=ready)
    finally:
        assert _interrupt(proc) == 0
    assert again == ready  # the demo library is loaded once, then reused
