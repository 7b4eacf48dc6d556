"""API fuzzing, longer than `make test` does it: schemathesis as an admin and as a Europe-only viewer.

    .venv/bin/python benchmarks/fuzz.py [--examples 200] [--seed N] [--url http://127.0.0.1:3000]

The checks are those of tests/api/test_fuzz.py: no 5xx, every response matches the schema the OpenAPI
document declares for it, and no asset outside the viewer's markets (nor its versions or renditions)
ever reaches the viewer. Prints requests and distinct failures per caller and endpoint, then each
failure with a curl line to replay it; exits 1 if any failed.

Without --url: throwaway embedded PostgreSQL/Redis under a temp folder (or DAM_DATABASE_URL/DAM_REDIS_URL)
and the FastAPI app called in-process through ASGI. With --url: that live server, over HTTP; run the
script with the server's DAM_* settings (none for a `make run` on this checkout), since it adds its two
users, their one-day tokens and six small pictures in GLOBAL, EU, NA, CN and JP to that library.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=200, help="cases per endpoint, generation mode and caller")
    parser.add_argument("--seed", type=int, help="other cases than the fixed ones `make test` also runs")
    parser.add_argument("--url", help="a live server, e.g. http://127.0.0.1:3000 (default: in-process)")
    args = parser.parse_args()
    logging.getLogger("python_multipart").setLevel(logging.ERROR)  # a line for every malformed upload sent
    folder = Path(tempfile.mkdtemp(prefix="dam-fuzz-"))
    if not args.url:
        os.environ.update(DAM_VAR_DIR=str(folder / "var"), DAM_DEMO_DATA="false")
    from dam_app.config import reset_settings_cache

    reset_settings_cache()
    import schemathesis

    import dam_app.models  # noqa: F401
    from dam_app.runtime.embedded import ensure_services
    from dam_app.runtime.migrate import upgrade_database
    from tests.api.test_fuzz import OPENAPI, api_token, build_library, fuzz_admin_then_viewer

    services = ensure_services()
    try:
        if not args.url:
            upgrade_database()
        admin_id, viewer, viewer_id = _callers()
        t0 = time.perf_counter()
        library = build_library(_principal(admin_id), folder)
        print(f"library of {len(library.assets)} assets ready in {time.perf_counter() - t0:.1f} s")
        if args.url:
            schema = schemathesis.openapi.from_url(args.url.rstrip("/") + OPENAPI)
        else:
            from dam_app.api.app import build_api

            schema = schemathesis.openapi.from_asgi(OPENAPI, build_api())
        t0 = time.perf_counter()
        tally = fuzz_admin_then_viewer(
            schema,
            admin_token=api_token(admin_id),
            viewer_token=api_token(viewer_id),
            viewer=viewer,
            library=library,
            examples=args.examples,
            base_url=args.url.rstrip("/") if args.url else None,
            seed=args.seed,
        )
        elapsed = time.perf_counter() - t0
    finally:
        from dam_app.db import dispose_engines

        dispose_engines()
        services.stop()
    total = sum(tally.requests.values())
    print(tally.table())
    print(f"{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s), {len(tally.failures)} endpoints failing")
    if tally.failures:
        print("\n" + tally.details())
        sys.exit(1)


def _callers() -> tuple[uuid.UUID, object, uuid.UUID]:
    """A new admin and a new Europe-only viewer (admin id, viewer principal, viewer id)."""
    from dam_app.accounts import service as accounts
    from dam_app.db import session_scope
    from tests.api.test_fuzz import VIEWER_REGIONS

    tag = uuid.uuid4().hex[:8]
    with session_scope() as session:
        admin = accounts.create_user(
            session=session,
            email=f"fuzz-admin-{tag}@example.com",
            password=uuid.uuid4().hex,
            role="admin",
            all_regions=True,
        )
        viewer = accounts.create_user(
            session=session,
            email=f"fuzz-viewer-{tag}@example.com",
            password=uuid.uuid4().hex,
            role="viewer",
            region_codes=VIEWER_REGIONS,
        )
        return admin.id, accounts.principal_for(session=session, user=viewer), viewer.id


def _principal(user_id: uuid.UUID) -> object:
    from dam_app.accounts import service as accounts
    from dam_app.accounts.models import User
    from dam_app.db import session_scope

    with session_scope() as session:
        user = session.get(User, user_id)
        assert user is not None
        return accounts.principal_for(session=session, user=user)


if __name__ == "__main__":
    main()
