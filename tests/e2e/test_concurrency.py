"""Many callers at once through the real production server: no errors, no hang, recovery by itself."""

from __future__ import annotations

import asyncio
import time

import httpx

from dam_app.accounts import service as accounts
from dam_app.db import session_scope
from tests.concurrency import run_async
from tests.conftest import ingest_path

QUERIES = ["running sneaker", "serum", "banner Japan", "red", "新品", "latest video North America"]


def _token(make_user) -> str:
    user, _ = make_user("viewer", all_regions=True)
    with session_scope() as session:
        return accounts.issue_api_token(session=session, user_id=user.id, name="load").token


async def _searches(base: str, token: str, count: int, timeout: float) -> list[int | str]:
    """`count` searches at once; each answer's status, or the exception's name."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:

        async def one(n: int) -> int | str:
            try:
                response = await client.get(
                    "/api/v1/search",
                    params={"q": QUERIES[n % len(QUERIES)]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                return (
                    response.status_code if response.status_code == 200 else f"{response.status_code} {response.text}"
                )
            except httpx.HTTPError as exc:
                return type(exc).__name__

        return list(await asyncio.gather(*(one(n) for n in range(count))))


def test_fifty_concurrent_searches_with_one_token_all_succeed(web, make_user, sample_files) -> None:
    admin = make_user("admin", all_regions=True)[1]
    for path in sample_files.values():
        ingest_path(admin, path, markets=("NA", "JP"))
    token = _token(make_user)
    for _ in range(2):  # twice: the second round reuses the pool the first one filled
        statuses = run_async(_searches(web, token, 50, timeout=60))
        assert statuses == [200] * 50, statuses


def test_after_an_overload_the_server_answers_again_within_seconds(web, make_user) -> None:
    token = _token(make_user)
    statuses = run_async(_searches(web, token, 300, timeout=60))
    codes = {s if isinstance(s, int) else s[:3] for s in statuses}
    assert codes <= {200, "503"}, statuses  # refused fast or answered; never a 500 or a time-out
    assert "503" in codes  # the overload was real: more callers than the server admits
    load_stopped, auth = time.monotonic(), {"Authorization": f"Bearer {token}"}
    while True:
        response = httpx.get(f"{web}/api/v1/search", params={"q": "serum"}, headers=auth)
        if response.status_code == 200:
            break
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert time.monotonic() - load_stopped < 5, "still refusing 5 s after the load stopped"
        time.sleep(0.2)
