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
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_users import (
    NAMESPACE,
    PASSWORD,
    QUERIES,
    REQUEST_TIMEOUT_S,
    SCENARIOS,
    Recorder,
    new_client,
    p95,
    recovery,
    run_users,
    sign_in,
    ws_users,
)

START_TIMEOUT_S = 600  # a fresh checkout installs the frontend packages and builds once


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
