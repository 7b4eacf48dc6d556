"""Live search: results follow the typing, the URL follows the query, facets narrow it down."""

from __future__ import annotations

import json
import urllib.parse

import reflex as rx

from dam_app.assets.buckets import AGE_BUCKETS, USAGE_BUCKETS
from dam_app.assets.service import AssetFilter
from dam_app.assets.sniff import RejectedFile
from dam_app.db import session_scope
from dam_app.review.models import APPROVAL_STATE_LABELS
from dam_app.search import service as search_service
from dam_app.search import similar as similar_service
from dam_app.storage.spool import UploadTooLarge, spooled
from dam_app.ui.state.cards import look_alike_item
from dam_app.ui.state.session import SessionState

FACET_LABELS = {  # in the order the facets are shown
    "markets": "Market",
    "content_type": "Content type",
    "added": "Added",
    "phase": "Phase",
    "campaign": "Campaign",
    "channel": "Channel",
    "media_kind": "Kind",
    "language": "Language",
    "colours": "Colour",
    "orientation": "Orientation",
    "tag_names": "Tag",
    "approval_states": "Approval",
    "has_person": "People",
    "use_count": "Downloads",
}
FACET_PARAMS = {
    "markets": "market",
    "content_type": "type",
    "phase": "phase",
    "campaign": "campaign",
    "channel": "channel",
    "media_kind": "kind",
    "language": "lang",
    "colours": "colour",
    "orientation": "orientation",
    "tag_names": "tag",
    "approval_states": "approval",
    "has_person": "people",
    "use_count": "usage",
    "added": "added",
}
VALUE_LABELS = {  # facet values that are codes, in words
    "approval_states": APPROVAL_STATE_LABELS,
    "has_person": {"true": "With people", "false": "Without people"},
    "use_count": {"unused": "Never", "1-4": "1 to 4 times", "5-19": "5 to 19 times", "20+": "20 times or more"},
    "added": {
        "7d": "In the last 7 days",
        "30d": "8 to 30 days ago",
        "90d": "1 to 3 months ago",
        "365d": "3 to 12 months ago",
        "older": "Over a year ago",
    },
}
# Ranges are listed in their own order, not by count.
RANGE_ORDER = {"use_count": list(USAGE_BUCKETS), "added": list(AGE_BUCKETS)}
SORT_LABELS = {"relevance": "relevance", "newest": "newest", "most_used": "most used"}
REFERENCE_UPLOAD = "reference-upload"


class SearchState(SessionState):
    query: str = ""
    sort: str = "relevance"
    selected: dict[str, list[str]] = {}
    hits: list[dict[str, str]] = []
    chips: list[dict[str, str]] = []
    understood_text: str = ""
    total: int = 0
    about: str = ""  # "about " when the total is an estimate
    facets: list[dict[str, object]] = []
    searching: bool = False
    reference_name: str = ""
    reference_error: str = ""
    reference_hits: list[dict[str, str]] = []

    @rx.event
    def load(self):
        params = self.router.url.query_parameters
        self.query = params.get("q", "")[:500]
        self.sort = params.get("sort", "relevance") if params.get("sort") in search_service.SORTS else "relevance"
        self.selected = {
            dim: [v for v in params.get(param, "").split(",") if v]
            for dim, param in FACET_PARAMS.items()
            if params.get(param)
        }
        self._run()

    @rx.event
    def set_query(self, value: str):
        self.query = value[:500]
        return self._run_and_sync_url()

    @rx.event
    def set_sort(self, value: str):
        self.sort = value if value in search_service.SORTS else "relevance"
        return self._run_and_sync_url()

    @rx.event
    def toggle_facet(self, dimension: str, value: str):
        current = list(self.selected.get(dimension, []))
        current = [v for v in current if v != value] if value in current else [*current, value]
        self.selected = {**self.selected, dimension: current}
        return self._run_and_sync_url()

    @rx.event
    def remove_chip(self, words: str):
        """Take the words a chip came from out of the query (the chip was how they were understood)."""
        tokens, drop = self.query.split(), words.lower().split()
        for start in range(len(tokens) - len(drop) + 1):
            if [t.lower() for t in tokens[start : start + len(drop)]] == drop:
                tokens = tokens[:start] + tokens[start + len(drop) :]
                break
        self.query = " ".join(tokens)
        return self._run_and_sync_url()

    @rx.event
    async def search_by_image(self, files: list[rx.UploadFile]):
        """Assets that look like a dropped picture; the picture is checked like an upload, not kept."""
        principal = self.principal()
        if principal is None or not files:
            return
        upload = files[0]
        self.reference_name = upload.filename or "reference"
        try:
            with spooled(upload.file, prefix="reference-") as path, session_scope() as session:
                result = similar_service.similar_to_image(
                    session=session, principal=principal, path=path, filename=self.reference_name, limit=48
                )
        except (RejectedFile, UploadTooLarge) as exc:
            self.reference_error, self.reference_hits = f"Cannot search with {self.reference_name}: {exc}", []
            return
        self.reference_error = ""
        self.reference_hits = [look_alike_item(h) for h in result.hits]

    @rx.event
    def clear_reference(self):
        self.reference_name, self.reference_error, self.reference_hits = "", "", []

    @rx.event
    def clear_filters(self):
        self.selected = {}
        return self._run_and_sync_url()

    def _run_and_sync_url(self):  # type: ignore[no-untyped-def]
        self._run()
        params = {"q": self.query} if self.query else {}
        if self.sort != "relevance":
            params["sort"] = self.sort
        for dim, values in self.selected.items():
            if values:
                params[FACET_PARAMS[dim]] = ",".join(values)
        url = "/search" + ("?" + urllib.parse.urlencode(params) if params else "")
        return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")

    def _run(self) -> None:
        principal = self.principal()
        if principal is None:
            return
        chosen = self.selected
        people = chosen.get("has_person", [])
        filters = AssetFilter(
            markets=chosen.get("markets", []),
            content_types=chosen.get("content_type", []),
            phases=chosen.get("phase", []),
            campaigns=chosen.get("campaign", []),
            channels=chosen.get("channel", []),
            media_kinds=chosen.get("media_kind", []),
            languages=chosen.get("language", []),
            colours=chosen.get("colours", []),
            orientations=chosen.get("orientation", []),
            tags=chosen.get("tag_names", []),
            approvals=chosen.get("approval_states", []),
            usage=chosen.get("use_count", []),
            added=chosen.get("added", []),
            has_person=people[0] == "true" if len(people) == 1 else None,
        )
        with session_scope() as session:
            result = search_service.search(
                session=session, principal=principal, query=self.query, filters=filters, sort=self.sort, limit=48
            )
        self.total = result.total
        self.about = "about " if result.estimated else ""
        self.understood_text = result.parsed.text
        self.chips = [{"label": c.label, "words": c.words} for c in result.parsed.chips]
        self.hits = [_hit(h) for h in result.hits]
        self.facets = [
            {
                "dimension": dim,
                "label": FACET_LABELS[dim],
                "values": [
                    {
                        "value": v,
                        "label": VALUE_LABELS.get(dim, {}).get(v, v),
                        "count": str(n),
                        "active": v in chosen.get(dim, []),
                    }
                    for v, n in _ordered(dim, values)
                ],
            }
            for dim in FACET_LABELS
            if (values := result.facets.get(dim))
        ]


def _ordered(dimension: str, values: list[tuple[str, int]]) -> list[tuple[str, int]]:
    order = RANGE_ORDER.get(dimension)
    if order is None:
        return values
    return sorted(values, key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))


def _hit(hit: search_service.Hit) -> dict[str, str]:
    asset = hit.card.asset
    reasons = []
    if hit.matched_terms:
        reasons.append("words: " + ", ".join(hit.matched_terms))
    if hit.similarity is not None:
        reasons.append(f"meaning {hit.similarity:.2f}")
    if hit.picture_similarity is not None:
        reasons.append(f"picture {hit.picture_similarity:.2f}")
    return {
        "id": str(asset.id),
        "title": asset.title,
        "markets": " · ".join(asset.markets),
        "kind": (asset.content_type or asset.media_kind).replace("_", " "),
        "phase": asset.phase or "",
        "thumb": f"/api/v1/renditions/{hit.card.thumbnail_id}" if hit.card.thumbnail_id else "",
        "highlight": hit.highlight or asset.description[:160],
        "why": " · ".join(reasons),
    }
