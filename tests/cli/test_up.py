"""`dam up` as a newcomer runs it: embedded servers, demo library, web app; Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import re
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


def _start(var_dir: Path, port: int, log: Path, demo: bool = True) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DAM_DATABASE_URL", "DAM_REDIS_URL")}
    env.update(DAM_VAR_DIR=str(var_dir), DAM_PORT=str(port), DAM_DEMO_DATA=str(demo).lower())
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


def _signed_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({"email": "admin@dam.local", "password": "demo-admin-2026"}).encode()
    opener.open(urllib.request.Request(f"{base}/api/v1/auth/login", body, {"Content-Type": "application/json"}))
    return opener


def _upload_noise_png(base: str, opener: urllib.request.OpenerDirector) -> str:
    """Upload a picture no demo file has (random pixels); return its asset id."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(buffer, "PNG")
    boundary = "dam-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="market"\r\n\r\nNA\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="after-restart.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + buffer.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    with opener.open(urllib.request.Request(f"{base}/api/v1/assets", body, headers), timeout=30) as response:
        return str(json.load(response)[0]["asset_id"])


def _worker_pids(log: Path) -> list[int]:
    return [int(pid) for pid in re.findall(r"worker started \(pid (\d+)\)", log.read_text(errors="replace"))]


def _interrupt(proc: subprocess.Popen[bytes]) -> int:
    os.kill(proc.pid, signal.SIGINT)
    return proc.wait(timeout=60)


def test_dam_up_serves_demo_library_stops_cleanly_and_reuses_data(tmp_path: Path) -> None:
    port, log = _free_port(), tmp_path / "up.log"
    proc = _start(tmp_path / "var", port, log)
    try:
        ready = _wait_for_library(f"http://127.0.0.1:{port}", proc, log, minimum=30)
        assert "login: admin@dam.local / demo-admin-2026" in log.read_text()  # "demo login:" before
        # A crashed worker is started again, and the new one processes what comes next.
        [first] = _worker_pids(log)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while len(_worker_pids(log)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "worker exited with -9; restarting" in log.read_text(), log.read_text()[-2000:]
        base = f"http://127.0.0.1:{port}"
        opener = _signed_in(base)
        with opener.open(f"{base}/api/v1/boards", timeout=5) as response:
            [board] = json.load(response)  # the demo's campaign board, to click through
        with opener.open(f"{base}/api/v1/boards/{board['id']}/coverage", timeout=5) as response:
            coverage = json.load(response)
        assert (coverage["requests"], coverage["reused"]) == (8, 1), coverage
        asset_id = _upload_noise_png(base, opener)
        status = ""
        while status != "ready" and time.monotonic() < deadline + 60:
            time.sleep(0.5)
            with opener.open(f"{base}/api/v1/assets/{asset_id}", timeout=5) as response:
                status = json.load(response)["status"]
        assert status == "ready", log.read_text()[-2000:]
        ready += 1
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


def _web_pids(log: Path) -> list[int]:
    return [int(pid) for pid in re.findall(r"web started \(pid (\d+)\)", log.read_text(errors="replace"))]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for(condition, proc: subprocess.Popen[bytes], log: Path, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, f"{what}: {log.read_text(errors='replace')[-3000:]}"
        time.sleep(0.5)


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_dam_up_starts_a_killed_web_process_again(tmp_path: Path) -> None:
    port, log, var = _free_port(), tmp_path / "up.log", tmp_path / "var"
    base = f"http://127.0.0.1:{port}"
    proc = _start(var, port, log, demo=False)
    try:
        _wait_for(lambda: _healthy(base), proc, log, 420, "web app up")
        [first] = _web_pids(log)
        # What the killed web process was writing (an upload mid-way) goes before the next one starts.
        leftover = var / "tmp" / f"upload-{_dead_pid()}-half-written"
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"partial")
        os.killpg(first, signal.SIGKILL)  # the whole web process group, as an OOM kill or a crash would
        _wait_for(lambda: len(_web_pids(log)) == 2, proc, log, 60, "web restarted")
        assert "web exited with -9; restarting" in log.read_text()
        assert not leftover.exists()
        _wait_for(lambda: _healthy(base), proc, log, 300, "web app up again")
    finally:
        code = _interrupt(proc)
    assert code == 0, log.read_text()[-2000:]
    assert subprocess.run(["pgrep", "-f", str(var)], capture_output=True).stdout == b""
