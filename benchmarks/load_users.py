"""The simulated users of benchmarks/load.py: what one browser or script does (search, facet click,
library pages, a detail, thumbnails; or a Reflex websocket tab), the recorder of their outcomes, and
the overload recovery probe. Kept apart from the server and account set-up in load.py."""

from __future__ import annotations

import asyncio
import functools
import json
import random
import ssl
import sys
import time
import uuid
from collections import defaultdict

import httpx

REQUEST_TIMEOUT_S = 10.0
LOGIN_TIMEOUT_S = 30.0
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
