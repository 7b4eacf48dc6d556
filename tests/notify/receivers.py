"""Real receivers on this machine: an HTTP endpoint (json://, form://, Slack's webhook format) and an
SMTP server (mailto://), so alerts are checked as they arrive, not as a mock saw them."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from dam_app.config import get_settings


@dataclass
class Received:
    path: str
    content_type: str
    body: bytes
    at: float

    def fields(self) -> dict[str, Any]:
        """The JSON or form body as a dict."""
        if self.content_type.startswith("application/json"):
            return dict(json.loads(self.body))
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}


@dataclass
class HttpReceiver:
    port: int
    status: int = 200
    delay_s: float = 0.0  # answer this late (a slow channel)
    slow_paths: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    def url(self, scheme: str, path: str) -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path.startswith(path)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def http_receiver() -> Iterator[HttpReceiver]:
    """A threading HTTP server on a free port that records every POST."""
    state = HttpReceiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if any(self.path.startswith(p) for p in state.slow_paths):
                time.sleep(state.delay_s)
            state.received.append(Received(self.path, self.headers.get("content-type", ""), body, time.monotonic()))
            self.send_response(state.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class SmtpReceiver:
    port: int
    refuse: bool = False
    messages: list[Any] = field(default_factory=list)

    def url(self, to: str = "ann@example.com") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=dam@example.com&to={to}&mode=insecure"


@contextmanager
def smtp_receiver() -> Iterator[SmtpReceiver]:
    """An aiosmtpd server on a free port that keeps every message (or refuses, when told)."""
    state = SmtpReceiver(port=free_port())

    class Handler:
        async def handle_RCPT(
            self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
        ) -> str:
            if state.refuse:
                return "550 5.7.1 relaying denied"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            raw = envelope.original_content or b""
            state.messages.append(message_from_bytes(raw, policy=policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=state.port)
    controller.start()
    yield state
    controller.stop()


def use_fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries come due at once and a dead address fails in a second, so a test sees every try."""
    settings = get_settings()
    monkeypatch.setattr(settings, "alert_retry_delays", [0, 0])
    monkeypatch.setattr(settings, "alert_timeout_s", 2.0)
