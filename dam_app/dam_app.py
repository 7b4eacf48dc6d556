"""The Reflex app: pages and the /api/v1 routes; nothing else lives here."""

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import reflex as rx

from dam_app import db
from dam_app.api.app import build_api
from dam_app.config import get_settings
from dam_app.search import embeddings
from dam_app.ui import routes
from dam_app.ui.pages.admin import admin_page
from dam_app.ui.pages.alerts import alerts_page
from dam_app.ui.pages.asset import asset_page, short_link_page
from dam_app.ui.pages.audit import audit_page
from dam_app.ui.pages.boards import board_page, boards_page
from dam_app.ui.pages.card import card_page
from dam_app.ui.pages.compare import compare_page
from dam_app.ui.pages.coverage import coverage_page
from dam_app.ui.pages.duplicates import duplicates_page
from dam_app.ui.pages.library import library_page
from dam_app.ui.pages.login import login_page
from dam_app.ui.pages.review import review_page
from dam_app.ui.pages.search import search_page
from dam_app.ui.pages.sections import section_page
from dam_app.ui.state import live
from dam_app.ui.state.admin import AdminState
from dam_app.ui.state.alerts import AlertsState
from dam_app.ui.state.asset import AssetState, ShortLinkState
from dam_app.ui.state.audit import AuditState
from dam_app.ui.state.board_list import BoardsState
from dam_app.ui.state.boards import BoardState
from dam_app.ui.state.card import CardState
from dam_app.ui.state.compare import CompareState
from dam_app.ui.state.coverage import CoverageState
from dam_app.ui.state.duplicates import DuplicatesState
from dam_app.ui.state.library import LibraryState
from dam_app.ui.state.review_queue import ReviewQueueState
from dam_app.ui.state.search import SearchState
from dam_app.ui.state.session import SessionState

db.use_interactive_profile()  # this is the web process: query and lock timeouts, pool sized from threads
app = rx.App(api_transformer=build_api())


@app.register_lifespan_task
@contextlib.asynccontextmanager
async def _warm_up() -> AsyncIterator[None]:
    """Size the UI handlers' thread pool (config.py says why), then load the embedding model and
    build its query encoder before this worker serves anything: entered as a context manager, the
    lifespan start-up waits for it, so no search that arrives after the health check answers waits
    ~7 s for a cold model."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(get_settings().ui_threads, thread_name_prefix="ui"))
    await asyncio.to_thread(embeddings.load)
    # Everything loaded so far (Reflex, torch, the model) lives as long as the process: frozen, the
    # garbage collector stops walking it. Unfrozen, every full collection under load walked it all
    # and stopped every thread for 220-300 ms every few seconds (measured under benchmarks/load.py;
    # frozen: 15-20 ms, and search p99 at 50 users fell from 356 to 171 ms).
    gc.collect()
    gc.freeze()
    yield


@app.register_lifespan_task
async def _live_feed(app: rx.App) -> None:
    """Every worker runs it; one at a time holds the lease and sends live updates to open tabs."""
    await live.run_feed(app)


app.add_page(login_page, route=routes.LOGIN, title="Sign in · dam_app")
app.add_page(short_link_page, route=routes.SHORT_ASSET, title="dam_app", on_load=ShortLinkState.follow)
# Signed-in pages: each checks the session, then loads its own state.
for page, route, title, load in (
    (library_page, routes.LIBRARY, "Library", LibraryState.load),
    (search_page, routes.SEARCH, "Search", SearchState.load),
    (duplicates_page, routes.DUPLICATES, "Duplicates", DuplicatesState.load),
    (asset_page, routes.ASSET, "Asset", AssetState.load),  # its panels are prepared by that one read
    (compare_page, routes.COMPARE, "Compare versions", CompareState.load),
    (boards_page, routes.BOARDS, "Boards", BoardsState.load),
    (board_page, routes.BOARD, "Board", BoardState.load),
    (card_page, routes.CARD, "Request", CardState.load),
    (coverage_page, routes.BOARD_COVERAGE, "Coverage", CoverageState.load),
    (admin_page, routes.ADMIN, "Admin", AdminState.load),
    (alerts_page, routes.ALERT_SETTINGS, "Alerts", AlertsState.load),
    (review_page, routes.REVIEW, "Review", ReviewQueueState.load),
    (audit_page, routes.AUDIT, "Audit", AuditState.load),
):
    app.add_page(page, route=route, title=f"{title} · dam_app", on_load=[SessionState.require_login, load])
for title, route in (
    ("Shares", routes.SHARES),
    ("Analytics", routes.ANALYTICS),
):
    app.add_page(section_page(title), route=route, title=f"{title} · dam_app", on_load=SessionState.require_login)
