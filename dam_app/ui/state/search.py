"""Live search: results follow the typing, the URL follows the query, facets narrow it down."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from typing import Any, BinaryIO

import reflex as rx
from reflex_base.event import EventSpec

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.dimensions import DIMENSIONS, Dimension
from dam_app.assets.service import AssetFilter
from dam_app.assets.sniff import RejectedFile
from dam_app.db import session_scope
from dam_app.review.models import APPROVAL_STATE_LABELS
from dam_app.search import explain
from dam_app.search import service as search_service
from dam_app.search import similar as similar_service
from dam_app.search.query import SORT, Chip
from dam_app.search.results import Hit, SearchResult
from dam_app.storage.spool import UploadTooLarge, spooled
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.cards import look_alike_item, verdict_summary
from dam_app.ui.state.live import news, version_toast
from dam_app.ui.state.session import SessionState

VALUE_LABELS = {  # facet values that are codes, in words, by dimension name (assets/dimensions.py)
    "approval": APPROVAL_STATE_LABELS,
    "has_person": {"true": "With people", "false": "Without people"},
    "usage": {"unused": "Never", "1-4": "1 to 4 times", "5-19": "5 to 19 times", "20+": "20 times or more"},
    "added": {
        "7d": "In the last 7 days",
        "30d": "8 to 30 days ago",
        "90d": "1 to 3 months ago",
        "365d": "3 to 12 months ago",
        "older": "Over a year ago",
    },
}
SORT_LABELS = {"relevance": "relevance", "newest": "newest", "most_used": "most used"}
REFERENCE_UPLOAD = "reference-upload"
FILTERS, PREFERS = "filters", "prefers"


def _search(
    principal: Principal, query: str, filters: AssetFilter, sort: str, switches: dict[str, str], exact: bool
) -> SearchResult:
    require = [key for key, how in switches.items() if how == FILTERS]
    prefer = [key for key, how in switches.items() if how == PREFERS]
    with session_scope() as session:
        return search_service.search(
            session=session,
            principal=principal,
            query=query,
            filters=filters,
            sort=sort,
            limit=48,
            require=require,
            prefer=prefer,
            exact=exact,
        )


def _switches_from_url(params: dict[str, str]) -> dict[str, str]:
    """Chip keys the URL switches: `require=colour:red,...` and `prefer=market:JP,...`."""
    found = {key: FILTERS for key in params.get("require", "").split(",") if key}
    found.update({key: PREFERS for key in params.get("prefer", "").split(",") if key})
    return found


def _fresh_thumbnails(principal: Principal, asset_ids: list[str]) -> dict[str, str]:
    """The current thumbnail URL of each visible asset, by id (a live update's new version)."""
    with session_scope() as session:
        visible = assets_service.visible_assets(session, principal, [uuid.UUID(i) for i in asset_ids])
        return {
            str(card.asset.id): routes.rendition_url(card.thumbnail_id) if card.thumbnail_id else ""
            for card in assets_service.cards_for(session, visible)
        }


def _like_picture(principal: Principal, source: BinaryIO, filename: str) -> similar_service.SimilarResult:
    if source.seekable():
        source.seek(0)  # a retry reads the picture again
    with spooled(source, prefix="reference-") as path, session_scope() as session:
        return similar_service.similar_to_image(
            session=session, principal=principal, path=path, filename=filename, limit=48
        )


class SearchState(SessionState):
    query: str = ""
    sort: str = "relevance"
    selected: dict[str, list[str]] = {}
    hits: list[dict[str, str]] = []
    chips: list[dict[str, str]] = []
    switches: dict[str, str] = {}  # chip key -> FILTERS or PREFERS: the user's clicks on chips
    exact: bool = False  # only what meets every constraint (no loosening)
    notes: list[str] = []
    relaxed: bool = False  # the results include loosened ones
    loosened_total: int = 0  # how many loosening the query's words adds (a button in exact mode)
    loosened_filters: list[dict[str, str]] = []  # chosen filters whose removal finds something
    understood_text: str = ""
    total: int = 0
    about: str = ""  # "about " when the total is an estimate
    facets: list[dict[str, object]] = []
    searching: bool = False
    reference_name: str = ""
    reference_error: str = ""
    reference_hits: list[dict[str, str]] = []
    _read_at: float = 0.0  # when the results were last read: a live notice from before is shown already

    @rx.event
    @offload.guarded
    async def load(self):
        params = self.router.url.query_parameters
        self.query = params.get("q", "")[:500]
        self.sort = params.get("sort", "relevance") if params.get("sort") in search_service.SORTS else "relevance"
        self.selected = DIMENSIONS.read_url(params)
        self.switches = _switches_from_url(params)
        self.exact = params.get("exact") == "1"
        principal = await self._run()
        await live.follow(self, events.FIREHOSE, principal, SearchState.on_live)

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """The live feed told this tab of a change (ui/state/live.py): when it is a result shown,
        its card is read again (thumbnail of the new version) and a new version says so."""
        fresh = news(notices, self._read_at)
        titles = {hit["id"]: hit["title"] for hit in self.hits}
        shown = [notice for notice in fresh if notice.asset_id in titles]
        if fresh:
            self._read_at = fresh[-1].at
        principal = await self._principal() if shown else None
        if principal is None:
            return None
        thumbs = await self._blocking(_fresh_thumbnails, principal, [notice.asset_id for notice in shown])
        self.hits = [{**hit, "thumb": thumbs.get(hit["id"], hit["thumb"])} for hit in self.hits]
        return [version_toast(notice, titles[notice.asset_id]) for notice in shown if notice.is_new_version]

    @rx.event
    @offload.guarded
    async def set_query(self, value: str):
        self.query = value[:500]
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def set_sort(self, value: str):
        self.sort = value if value in search_service.SORTS else "relevance"
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def toggle_facet(self, dimension: str, value: str):
        current = list(self.selected.get(dimension, []))
        current = [v for v in current if v != value] if value in current else [*current, value]
        self.selected = {**self.selected, dimension: current}
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def remove_chip(self, words: str):
        """Take the words a chip came from out of the query (the chip was how they were understood)."""
        tokens, drop = self.query.split(), words.lower().split()
        for start in range(len(tokens) - len(drop) + 1):
            if [t.lower() for t in tokens[start : start + len(drop)]] == drop:
                tokens = tokens[:start] + tokens[start + len(drop) :]
                break
        self.query = " ".join(tokens)
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def switch_chip(self, key: str, strict: bool):
        """A chip that filters now prefers, and the other way round."""
        self.switches = {**self.switches, key: PREFERS if strict else FILTERS}
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def set_exact(self, exact: bool):
        """Only exact matches (True), or loosened ones after them when they are few (False)."""
        self.exact = exact
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def search_by_image(self, files: list[rx.UploadFile]):
        """Assets that look like a dropped picture; the picture is checked like an upload, not kept."""
        principal = await self._principal()
        if principal is None or not files:
            return
        upload = files[0]
        self.reference_name = upload.filename or "reference"
        try:
            result = await self._blocking(_like_picture, principal, upload.file, self.reference_name)
        except (RejectedFile, UploadTooLarge) as exc:
            self.reference_error, self.reference_hits = f"Cannot search with {self.reference_name}: {exc}", []
            return
        self.reference_error = ""
        self.reference_hits = [look_alike_item(h) for h in result.hits]

    @rx.event
    def clear_reference(self):
        self.reference_name, self.reference_error, self.reference_hits = "", "", []

    @rx.event
    @offload.guarded
    async def remove_filter(self, dimension: str):
        """Drop one chosen filter (the notes said what that finds)."""
        self.selected = {name: values for name, values in self.selected.items() if name != dimension}
        return await self._run_and_sync_url()

    @rx.event
    @offload.guarded
    async def clear_filters(self):
        self.selected = {}
        return await self._run_and_sync_url()

    async def _run_and_sync_url(self) -> EventSpec:
        await self._run()
        params = {"q": self.query} if self.query else {}
        if self.sort != "relevance":
            params["sort"] = self.sort
        params.update(DIMENSIONS.write_url(self.selected))
        for name, how in (("require", FILTERS), ("prefer", PREFERS)):
            keys = [key for key, chosen in self.switches.items() if chosen == how]
            if keys:
                params[name] = ",".join(keys)
        if self.exact:
            params["exact"] = "1"
        url = "/search" + ("?" + urllib.parse.urlencode(params) if params else "")
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")

    async def _run(self) -> Principal | None:
        """Search and show the results; returns who searched (None: signed out)."""
        read_at = time.time()
        principal = await self._principal()
        if principal is None:
            return None
        chosen = self.selected
        filters = DIMENSIONS.to_filter(chosen)
        result = await self._blocking(_search, principal, self.query, filters, self.sort, self.switches, self.exact)
        self.total = result.total
        self.about = "about " if result.estimated else ""
        self.understood_text = result.parsed.text
        self.chips = [_chip(c) for c in result.parsed.chips]
        self.notes = result.notes
        self.relaxed = result.relaxed
        dropped_filters = [c for c in result.loosened if c.source == "filter"]
        unshown = result.loosened and not result.relaxed
        self.loosened_total = result.loosened_total if unshown and not dropped_filters else 0
        self.loosened_filters = [{"dimension": c.dimension, "label": c.label} for c in dropped_filters]
        self.hits = [_hit(h) for h in result.hits]
        self.facets = [
            {
                "dimension": d.name,
                "label": d.label,
                "values": [
                    {
                        "value": v,
                        "label": VALUE_LABELS.get(d.name, {}).get(v, v),
                        "count": str(n),
                        "active": v in chosen.get(d.name, []),
                    }
                    for v, n in _ordered(d, values)
                ],
            }
            for d in DIMENSIONS.facets
            if (values := result.facets.get(d.facet_key))
        ]
        self._read_at = read_at
        return principal


def _ordered(dimension: Dimension, values: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Ranges in their own order, other values by count (as given)."""
    order = dimension.ranges
    if order is None:
        return values
    return sorted(values, key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))


def _chip(chip: Chip) -> dict[str, str]:
    """A chip for the page: how it narrows ("filters", "prefers" or "" for an order)."""
    how = "" if chip.kind == SORT else FILTERS if chip.strict else PREFERS
    return {"label": chip.label, "words": chip.words, "key": chip.key, "how": how, "strict": str(chip.strict).lower()}


def _hit(hit: Hit) -> dict[str, str]:
    asset = hit.card.asset
    return {
        **verdict_summary(asset),
        "id": str(asset.id),
        "title": asset.title,
        "markets": " · ".join(asset.markets),
        "kind": (asset.content_type or asset.media_kind).replace("_", " "),
        "phase": asset.phase or "",
        "thumb": routes.rendition_url(hit.card.thumbnail_id) if hit.card.thumbnail_id else "",
        "highlight": hit.highlight or asset.description[:160],
        "why": " · ".join(explain.reasons(hit)),
    }
