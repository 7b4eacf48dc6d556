"""Load benchmark: N simulated users against the real production server, then an overload phase.

    .venv/bin/python benchmarks/load.py                              # throwaway demo library
    .venv/bin/python benchmarks/search.py --assets 100000 --var-dir DIR --load-only
    .venv/bin/python benchmarks/load.py --var-dir DIR --users 50 --seconds 30
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:3000 --var-dir DIR   # a running `dam up`

Starts the embedded PostgreSQL/Redis of the data dir and `reflex run --env prod` on one free loopback
port (as `dam up` does), creates its own viewer accounts `load-NNN@bench.local` and API tokens through
the account services, and runs each user as a loop of what a browser does: a natural-language search,
a facet click on its results, a library page (`/api/v1/assets?limit=36`) and the next one by cursor,
one asset's detail and up to six thumbnails in parallel, with a short think time between steps
(and before the first, so users arrive over the first seconds); clients are built before the clock starts.
Scenarios: `shared` (every user sends one Bearer token), `tokens` (a user and token each), `cookies`
(each user signs in with POST /api/v1/auth/login and sends the `dam_session` cookie), `ws` (browser
tabs on Reflex's socket.io websocket at /_event: hydrate the search page, then `set_query`, timing the
state delta) and `overload` (--overload-users with their own tokens, then the seconds until one search
succeeds again: "recovery"). Every request has a 10 s timeout and every phase a hard deadline; the
server this script started is stopped (its process group) at the end, on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REQUEST_TIMEOUT_S = 10.0
LOGIN_TIMEOUT_S = 30.0
START_TIMEOUT_S = 600  # a fresh checkout installs the frontend packages and builds once
MAX_REQUESTS_PER_USER = 100_000
PASSWORD = "load-bench-password"
QUERIES = [  # natural language, as people type it, in the languages of the markets
    "red lipstick for summer",
    "running sneaker Japan",
    "vitamin c serum latest",
    "hiking backpack outdoor",
    "wireless earbuds banner",
    "wool scarf Europe",
    "perfume bottle close-up",
    "beauty product North America",
    "sunscreen video",
    "espresso machine in the kitchen",
    "denim jacket model wearing",
    "skincare gift set",
    "双十一",
    "限时抢购 口红",
    "ブラックフライデー",
    "スニーカー 日本",
    "descuento",
    "diskon sepatu",
]
SCENARIOS = ("shared", "tokens", "cookies", "ws", "overload")


class Recorder:
    """Outcomes and latencies per endpoint: ok (2xx), 503, other status, timeout, connection error."""

    def __init__(self) -> None:
        self.ok: dict[str, list[float]] = defaultdict(list)
        self.busy: dict[str, list[float]] = defaultdict(list)
        self.other: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.timeouts: dict[str, int] = defaultdict(int)
        self.conn: dict[str, int] = defaultdict(int)

    def add(self, endpoint: str, outcome: int | str, ms: float) -> None:
        if outcome == "timeout":
            self.timeouts[endpoint] += 1
        elif outcome == "error":
            self.conn[endpoint] += 1
        elif isinstance(outcome, int) and 200 <= outcome < 300:
            self.ok[endpoint].append(ms)
        elif outcome == 503:
            self.busy[endpoint].append(ms)
        else:
            self.other[endpoint][int(outcome)] += 1

    def endpoints(self) -> list[str]:
        return sorted({*self.ok, *self.busy, *self.other, *self.timeouts, *self.conn})

    def errors(self, endpoint: str | None = None) -> int:
        names = [endpoint] if endpoint else self.endpoints()
        return sum(len(self.busy[e]) + sum(self.other[e].values()) + self.timeouts[e] + self.conn[e] for e in names)

    def total(self, endpoint: str) -> int:
        return len(self.ok[endpoint]) + self.errors(endpoint)

    def print(self, title: str, seconds: float) -> None:
        print(f"\n== {title} ({seconds:.1f} s) ==")
        print(
            f"{'endpoint':<16}{'req':>7}{'req/s':>8}{'2xx':>7}{'503':>6}{'other':>7}{'timeout':>8}{'conn':>6}"
            f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  (latency of 2xx answers)"
        )
        for e in self.endpoints():
            other = "".join(f" {code}x{n}" for code, n in sorted(self.other[e].items()))
            print(
                f"{e:<16}{self.total(e):>7}{self.total(e) / seconds:>8.1f}{len(self.ok[e]):>7}"
                f"{len(self.busy[e]):>6}{sum(self.other[e].values()):>7}{self.timeouts[e]:>8}{self.conn[e]:>6}"
                f"{pcts(self.ok[e])}{other}"
            )
        everything = [ms for e in self.endpoints() for ms in self.ok[e]]
        total = sum(self.total(e) for e in self.endpoints())
        print(f"{'all':<16}{total:>7}{total / seconds:>8.1f}{len(everything):>7}{'':>27}{pcts(everything)}")


def pcts(samples: list[float]) -> str:
    if not samples:
        return f"{'-':>9}{'-':>9}{'-':>9}"
    s = sorted(samples)
    return "".join(f"{s[min(len(s) - 1, round(p * (len(s) - 1)))]:>9.1f}" for p in (0.50, 0.95, 0.99))


def p95(samples: list[float]) -> float:
    return sorted(samples)[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))] if samples else float("nan")


async def call(client: httpx.AsyncClient, rec: Recorder, endpoint: str, url: str, **params: str | int) -> dict | None:
    """One GET; records its outcome; returns the JSON body of a 2xx (or {} for non-JSON), else None."""
    t0 = time.perf_counter()
    try:  # httpx's timeout is per phase (connect, each read); a user waits for the whole answer
        response = await asyncio.wait_for(client.get(url, params=params or None), REQUEST_TIMEOUT_S)
    except (httpx.TimeoutException, TimeoutError):
        rec.add(endpoint, "timeout", 0.0)
        return None
    except httpx.HTTPError:
        rec.add(endpoint, "error", 0.0)
        return None
    rec.add(endpoint, response.status_code, (time.perf_counter() - t0) * 1000)
    if not response.is_success:
        return None
    return response.json() if response.headers.get("content-type", "").startswith("application/json") else {}


async def browse(client: httpx.AsyncClient, rec: Recorder, deadline: float, think: float, rng: random.Random) -> None:
    """One user: search, facet click, library pages, a detail, thumbnails; until the deadline."""

    async def pause() -> None:
        await asyncio.sleep(rng.uniform(0, 2 * think))

    await pause()  # users arrive over the first seconds instead of all clicking in the same millisecond
    for _ in range(MAX_REQUESTS_PER_USER // 8):
        if time.monotonic() >= deadline:
            return
        query = rng.choice(QUERIES)
        found = await call(client, rec, "search", "/api/v1/search", q=query)
        ids = [h["asset"]["id"] for h in (found or {}).get("hits", [])]
        await pause()
        facets = (found or {}).get("facets", {})
        choices = [("market", v) for v, _ in facets.get("markets", [])]
        choices += [("content_type", v) for v, _ in facets.get("content_type", [])]
        if choices and time.monotonic() < deadline:
            param, value = rng.choice(choices)
            await call(client, rec, "search+facet", "/api/v1/search", q=query, **{param: value})
            await pause()
        if time.monotonic() >= deadline:
            return
        page = await call(client, rec, "assets page", "/api/v1/assets", limit=36)
        items = (page or {}).get("items", [])
        if page and page.get("next_cursor") and rng.random() < 0.5:
            await pause()
            more = await call(client, rec, "assets next", "/api/v1/assets", limit=36, cursor=page["next_cursor"])
            items = (more or {}).get("items", []) or items
        thumbs = [i["thumbnail_url"] for i in items if i.get("thumbnail_url")]
        if thumbs:  # a browser loads a page's thumbnails six at a time
            await asyncio.gather(*(call(client, rec, "thumbnail", u) for u in rng.sample(thumbs, min(6, len(thumbs)))))
        ids += [i["id"] for i in items]
        await pause()
        if ids and time.monotonic() < deadline:
            await call(client, rec, "asset detail", f"/api/v1/assets/{rng.choice(ids)}")
            await pause()


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: httpx builds a new one per client otherwise, 26 ms of
    blocked event loop each, which once showed up as 1.3 s of "server latency" for 50 users."""
    return ssl.create_default_context()


def new_client(
    base: str, headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base,
        verify=_tls(),
        headers=headers,
        cookies=cookies,
        timeout=REQUEST_TIMEOUT_S,
        limits=httpx.Limits(max_connections=6, max_keepalive_connections=6),
    )


async def sign_in(base: str, emails: list[str], rec: Recorder) -> list[str]:
    """POST /api/v1/auth/login for each user before the clock starts (argon2 is deliberately slow: a
    herd of 50 at once measures the hash, not browsing), four at a time; returns the session cookies."""
    gate = asyncio.Semaphore(4)

    async def one(email: str) -> str | None:
        async with gate, new_client(base) as client:
            t0 = time.perf_counter()
            try:
                body = {"email": email, "password": PASSWORD}
                r = await asyncio.wait_for(client.post("/api/v1/auth/login", json=body), LOGIN_TIMEOUT_S)
            except (httpx.TimeoutException, TimeoutError):
                rec.add("login (before)", "timeout", 0.0)
                return None
            except httpx.HTTPError:
                rec.add("login (before)", "error", 0.0)
                return None
            rec.add("login (before)", r.status_code, (time.perf_counter() - t0) * 1000)
            return client.cookies.get("dam_session")

    return [c for c in await asyncio.gather(*(one(e) for e in emails)) if c]


async def run_users(base: str, auths: list[dict], seconds: float, think: float, rec: Recorder) -> float:
    """Run one browse() per auth ({"headers": ...} or {"cookies": ...}) for `seconds`; returns the elapsed time."""
    clients = [new_client(base, headers=a.get("headers"), cookies=a.get("cookies")) for a in auths]
    t0 = time.monotonic()
    deadline = t0 + seconds
    tasks = [asyncio.create_task(browse(c, rec, deadline, think, random.Random(i))) for i, c in enumerate(clients)]
    _, pending = await asyncio.wait(tasks, timeout=seconds + REQUEST_TIMEOUT_S * 2 + 5)  # hard bound
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - t0
    await asyncio.gather(*(c.aclose() for c in clients), return_exceptions=True)
    return elapsed


async def recovery(base: str, token: str, limit_s: float = 60.0) -> float | None:
    """Seconds from now until one search answers 200 (None if not within limit_s)."""
    t0 = time.monotonic()
    async with new_client(base, headers={"Authorization": f"Bearer {token}"}) as client:
        while time.monotonic() - t0 < limit_s:
            try:
                answer = client.get("/api/v1/search", params={"q": "running sneaker Japan"})
                if (await asyncio.wait_for(answer, 5)).status_code == 200:
                    return time.monotonic() - t0
            except (httpx.HTTPError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    return None


NAMESPACE = "/_event"


class ReflexSocket:
    """The part of socket.io (Engine.IO v4 over a websocket) a Reflex tab speaks: python-socketio's
    AsyncClient needs aiohttp, which is not installed, so this drives simple_websocket directly."""

    def __init__(self) -> None:
        self.updates: asyncio.Queue[dict] = asyncio.Queue()

    async def connect(self, base: str, cookie: str, boot_event: dict) -> None:
        from simple_websocket import AioClient

        url = base.replace("http", "ws", 1) + f"/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"
        self.ws = await AioClient.connect(url, headers={"Cookie": f"dam_session={cookie}"})
        # simple_websocket leaves frames that arrived with the 101 response (often the Engine.IO open
        # packet) in wsproto's buffer until more bytes come, which the server only sends after our CONNECT.
        await self.ws._handle_events()
        opened = await self.ws.receive(timeout=REQUEST_TIMEOUT_S)
        if not opened or not opened.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opened!r}")
        # socket.io-client takes the URL's path as the namespace too: Reflex serves namespace /_event.
        await self.ws.send(f"40{NAMESPACE}," + json.dumps({"event": boot_event}))  # hydrate rides in CONNECT
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            packet = await self.ws.receive()
            if packet == "2":  # Engine.IO ping
                await self.ws.send("3")
            elif isinstance(packet, str) and packet.startswith(f"42{NAMESPACE},"):
                name, *args = json.loads(packet[len(NAMESPACE) + 3 :])
                if name == "event" and args:
                    await self.updates.put(args[0])
            elif isinstance(packet, str) and packet.startswith("44"):  # CONNECT_ERROR
                raise ConnectionError(f"namespace refused: {packet}")

    async def emit(self, event: dict) -> None:
        await self.ws.send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    async def wait_for(self, state: str, key: str, value: object = None) -> dict:
        """The next update whose delta for `state` has a var named `key` (equal to value, if given)."""
        while True:
            update = await asyncio.wait_for(self.updates.get(), REQUEST_TIMEOUT_S)
            for event in update.get("events") or []:
                if event.get("name") == "_redirect":
                    raise PermissionError(f"redirected: {event.get('payload')}")
            for name, val in (update.get("delta") or {}).get(state, {}).items():
                if name.removesuffix("_rx_state_") == key and (value is None or val == value):
                    return update

    async def close(self) -> None:
        if hasattr(self, "reader"):
            self.reader.cancel()
        if hasattr(self, "ws"):
            await self.ws.close()


async def ws_users(base: str, cookies: list[str], seconds: float, think: float, rec: Recorder) -> float:
    """Browser tabs on /search: sign in by cookie, hydrate, then type queries (set_query) until the deadline."""
    # Reflex names a state "<module with ___>___<Class>" in snake case, prefixed by its parents' names
    # (BaseState.get_full_name); computed, not imported, so the UI package need not import cleanly here.
    from reflex_base.utils.format import to_snake_case

    chain = (
        ("reflex.state", "State"),
        ("dam_app.ui.state.session", "SessionState"),
        ("dam_app.ui.state.search", "SearchState"),
    )
    names = [to_snake_case(f"{module.replace('.', '___')}___{cls}") for module, cls in chain]
    root, search_state = names[0], ".".join(names)
    router = {"pathname": "/search", "asPath": "/search"}

    async def tab(i: int, cookie: str) -> None:
        rng, sock = random.Random(i), ReflexSocket()
        t0, loaded = time.perf_counter(), False
        try:
            boot = {"name": f"{root}.hydrate_and_load", "payload": {}, "router_data": router}
            await sock.connect(base, cookie, boot)
            await sock.wait_for(search_state, "total")  # SearchState.load ran as the signed-in user
            rec.add("ws open+load", 200, (time.perf_counter() - t0) * 1000)
            loaded = True
            typed = ""
            for _ in range(MAX_REQUESTS_PER_USER):
                words = rng.choice([q for q in QUERIES if q != typed])
                for query in (words[: max(2, len(words) // 2)], words):  # search as you type: half, then all
                    await asyncio.sleep(rng.uniform(0, 2 * think))
                    if time.monotonic() >= deadline:
                        return
                    t0, typed = time.perf_counter(), query
                    event = {"name": f"{search_state}.set_query", "payload": {"value": query}, "router_data": router}
                    await sock.emit(event)
                    await sock.wait_for(search_state, "query", query)
                    rec.add("ws set_query", 200, (time.perf_counter() - t0) * 1000)
        except TimeoutError:
            rec.add("ws set_query" if loaded else "ws open+load", "timeout", 0.0)
        except (OSError, ConnectionError, PermissionError, ValueError) as exc:
            rec.add("ws open+load", "error", 0.0)
            print(f"  ws tab {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            await sock.close()

    t0 = time.monotonic()
    deadline = t0 + seconds
    tasks = [asyncio.create_task(tab(i, c)) for i, c in enumerate(cookies)]
    _, pending = await asyncio.wait(tasks, timeout=seconds + REQUEST_TIMEOUT_S * 3 + 5)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return time.monotonic() - t0


def ensure_accounts(count: int, tokens: int) -> tuple[list[str], list[str]]:
    """`count` viewer accounts (created once, reused later) and `tokens` fresh API tokens over them."""
    from sqlmodel import select

    from dam_app.accounts import service as accounts
    from dam_app.accounts.models import User
    from dam_app.db import session_scope

    emails = [f"load-{i:03d}@bench.local" for i in range(count)]
    with session_scope() as session:
        users = {u.email: u for u in session.exec(select(User).where(User.email.in_(emails))).all()}  # type: ignore[attr-defined]
        for email in emails:
            if email not in users:
                users[email] = accounts.create_user(
                    session=session, email=email, password=PASSWORD, role="viewer", all_regions=True
                )
        ids = [users[e].id for e in emails]
        issued = [
            accounts.issue_api_token(session=session, user_id=ids[i % count], name="load benchmark", days=1).token
            for i in range(tokens)
        ]
    return emails, issued


def start_services(var_dir: Path, *, fresh: bool) -> object:
    os.environ.update(DAM_VAR_DIR=str(var_dir), DAM_DEMO_DATA="false")
    from dam_app.config import reset_settings_cache

    reset_settings_cache()
    import dam_app.models  # noqa: F401
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database

    services = ensure_services()
    upgrade_database()
    if fresh:  # the demo library (about forty files), processed by a burst worker for thumbnails
        from dam_app.demo import loader

        print(f"loaded {loader.load_demo_library()} demo files; processing them ...", flush=True)
        worker = subprocess.run(
            [str(Path(sys.executable).with_name("dam")), "worker", "--burst"],
            env=server_env(var_dir),
            capture_output=True,
            timeout=900,
            check=False,
        )
        print(f"worker finished with {worker.returncode}", flush=True)
    return services


def server_env(var_dir: Path) -> dict[str, str]:
    from dam_app.runtime.supervisor import child_environment

    env = child_environment(os.environ["DAM_DATABASE_URL"], os.environ["DAM_REDIS_URL"])
    env["DAM_VAR_DIR"] = str(var_dir)
    return env


def start_server(var_dir: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    from dam_app.config import PROJECT_ROOT
    from dam_app.runtime.supervisor import web_command

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            web_command(port),
            cwd=PROJECT_ROOT,
            env=server_env(var_dir),
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    print(f"starting reflex run --env prod on {base} (log {log_path}) ...", flush=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(1)
    stop_server(proc)
    raise RuntimeError(f"web app not up: {log_path.read_text(errors='replace')[-2000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


async def benchmark(args: argparse.Namespace, base: str, emails: list[str], tokens: list[str]) -> None:
    n, chosen = args.users, args.scenarios
    async with new_client(base, headers={"Authorization": f"Bearer {tokens[0]}"}) as warm:  # model, caches
        for q in QUERIES[:4]:
            try:
                await warm.get("/api/v1/search", params={"q": q}, timeout=60)
            except httpx.HTTPError as exc:
                print(f"warm-up search failed: {type(exc).__name__}", flush=True)
    bearer = [{"headers": {"Authorization": f"Bearer {t}"}} for t in tokens]
    for name, title in (
        ("shared", "all users share one API token"),
        ("tokens", "a user and API token each"),
        ("cookies", "browser-style cookie sessions"),
        ("ws", f"browser tabs on {NAMESPACE}, SearchState.set_query -> state delta"),
    ):
        if name not in chosen:
            continue
        rec, users = Recorder(), args.ws_clients if name == "ws" else n
        cookies = await sign_in(base, emails[:users], rec) if name in ("cookies", "ws") else []
        if name == "ws":
            elapsed = await ws_users(base, cookies, args.seconds, max(args.think, 0.5), rec)
        else:
            auths = {"shared": bearer[:1] * n, "tokens": bearer[1 : n + 1]}.get(name)
            auths = auths or [{"cookies": {"dam_session": c}} for c in cookies]
            elapsed = await run_users(base, auths, args.seconds, args.think, rec)
        rec.print(f"{name}: {users} users, {title}", elapsed)
        if name != "ws" and not rec.total("thumbnail"):
            print("(no thumbnails requested: no asset on these pages has a rendition, e.g. a synthetic library)")
        timed = rec.ok["ws set_query"] if name == "ws" else rec.ok["search"] + rec.ok["search+facet"]
        print(
            f"target ({users} users): 0 errors -> {rec.errors()} [{verdict(rec.errors() == 0)}]; "
            f"{'set_query' if name == 'ws' else 'search'} p95 <= 300 ms -> {p95(timed):.0f} ms "
            f"[{verdict(p95(timed) <= 300)}]"
        )
    if "overload" in chosen:
        rec = Recorder()
        auths = bearer[n + 1 :]
        elapsed = await run_users(base, auths, args.overload_seconds, args.think, rec)
        recovered = await recovery(base, tokens[0])
        rec.print(f"overload: {len(auths)} users with their own tokens", elapsed)
        bad = sum(sum(rec.other[e].values()) + rec.timeouts[e] + rec.conn[e] for e in rec.endpoints())
        busy = [ms for e in rec.endpoints() for ms in rec.busy[e]]
        print(f"503 answers: {len(busy)}, p95 {p95(busy):.0f} ms")
        print(
            f"target ({len(auths)} users): only 200 or fast 503 (p95 <= 1000 ms), no timeouts -> "
            f"{bad} timeouts/other errors, 503 p95 {p95(busy):.0f} ms [{verdict(bad == 0 and not p95(busy) > 1000)}]"
        )
        shown = f"{recovered:.2f} s" if recovered is not None else "not within 60 s"
        print(
            f"recovery (load stopped -> one search answers 200): {shown} "
            f"[{verdict(recovered is not None and recovered <= 5)}; target <= 5 s]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--overload-users", type=int, default=200)
    parser.add_argument("--overload-seconds", type=float, default=20)
    parser.add_argument("--ws-clients", type=int, default=20, help="browser tabs in the ws scenario")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time between steps, seconds (a person reading a page)"
    )
    parser.add_argument("--var-dir", type=Path, help="data dir from benchmarks/search.py --var-dir DIR --load-only")
    parser.add_argument("--url", help="a running server (its database reached through --var-dir or DAM_DATABASE_URL)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {','.join(SCENARIOS)}")
    args = parser.parse_args()
    args.scenarios = set(args.scenarios.split(","))
    if unknown := args.scenarios - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.url and not args.var_dir and not os.environ.get("DAM_DATABASE_URL"):
        parser.error("--url needs the server's database: --var-dir DIR or DAM_DATABASE_URL")
    fresh = args.var_dir is None and not args.url
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="dam-load-bench-"))
    pid_file = var_dir / "pg" / "postmaster.pid"
    if args.var_dir and not args.url and pid_file.exists():
        pid = int(pid_file.read_text().split()[0])
        if Path(f"/proc/{pid}").exists():
            sys.exit(f"{var_dir} is in use (PostgreSQL pid {pid}): stop its owner, or pass --url to its server")
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    services, proc = None, None
    try:
        services = start_services(var_dir, fresh=fresh)
        n_tokens = 1 + args.users + args.overload_users
        emails, tokens = ensure_accounts(max(args.users, args.ws_clients), n_tokens)
        if args.url:
            base = args.url.rstrip("/")
        else:
            proc, base = start_server(var_dir, Path(tempfile.gettempdir()) / f"dam-load-web-{os.getpid()}.log")
        print(
            f"server {base}, data {var_dir}, {args.users} users x {args.seconds:.0f} s, think {args.think} s, "
            f"timeout {REQUEST_TIMEOUT_S:.0f} s per request",
            flush=True,
        )
        asyncio.run(benchmark(args, base, emails, tokens))
    except KeyboardInterrupt:
        print("\ninterrupted; stopping", file=sys.stderr)
    finally:
        if proc is not None:
            stop_server(proc)
        if services is not None:
            from dam_app.db import dispose_engines

            dispose_engines()
            services.stop()  # type: ignore[attr-defined]
        if args.var_dir is None:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
