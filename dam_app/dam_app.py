"""The Reflex app: pages and the /api/v1 routes; nothing else lives here."""

import asyncio

import reflex as rx

from dam_app.api.app import build_api
from dam_app.search import embeddings
from dam_app.ui import routes
from dam_app.ui.pages.admin import admin_page
from dam_app.ui.pages.asset import asset_page
from dam_app.ui.pages.duplicates import duplicates_page
from dam_app.ui.pages.library import library_page
from dam_app.ui.pages.login import login_page
from dam_app.ui.pages.search import search_page
from dam_app.ui.pages.sections import section_page
from dam_app.ui.state.admin import AdminState
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.duplicates import DuplicatesState
from dam_app.ui.state.library import LibraryState
from dam_app.ui.state.search import SearchState
from dam_app.ui.state.session import SessionState

app = rx.App(api_transformer=build_api())


@app.register_lifespan_task
async def _load_search_model() -> None:
    """Load the embedding model at start-up so the first search does not wait ~10 s for it."""
    await asyncio.to_thread(embeddings.load)


app.add_page(login_page, route=routes.LOGIN, title="Sign in · dam_app")
app.add_page(
    library_page,
    route=routes.LIBRARY,
    title="Library · dam_app",
    on_load=[SessionState.require_login, LibraryState.load],
)
app.add_page(
    search_page,
    route=routes.SEARCH,
    title="Search · dam_app",
    on_load=[SessionState.require_login, SearchState.load],
)
app.add_page(
    duplicates_page,
    route=routes.DUPLICATES,
    title="Duplicates · dam_app",
    on_load=[SessionState.require_login, DuplicatesState.load],
)
app.add_page(
    asset_page,
    route=routes.ASSET,
    title="Asset · dam_app",
    on_load=[SessionState.require_login, AssetState.load],
)
app.add_page(
    admin_page,
    route=routes.ADMIN,
    title="Admin · dam_app",
    on_load=[SessionState.require_login, AdminState.load],
)
for title, route in (
    ("Boards", routes.BOARDS),
    ("Review", routes.REVIEW),
    ("Shares", routes.SHARES),
    ("Analytics", routes.ANALYTICS),
):
    app.add_page(section_page(title), route=route, title=f"{title} · dam_app", on_load=SessionState.require_login)
