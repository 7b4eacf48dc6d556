"""Reuse before you make: the library assets that could fulfil a request. The card's title and
brief run through search (words and meaning, loosened rather than empty, the viewer's markets only);
the hits are then ordered by how many of the card's still-open markets, languages and formats each
would cover, so the asset that closes most gaps comes first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.boards import coverage, service
from dam_app.search import service as search_service

SHOWN = 6
POOL = 24  # hits read from search before ordering them by the gaps they close
BRIEF_CHARS = 300  # of the brief, after the title: the words that say what is wanted


@dataclass(frozen=True)
class Suggestion:
    card: assets_service.AssetCard
    covers: list[str]  # the card's open needs it would meet: "JP", "9:16", "ja"
    reasons: list[str]  # why search found it: "title: banner"


def query_of(title: str, brief: str) -> str:
    return " ".join(f"{title} {brief[:BRIEF_CHARS]}".split())


def suggestions(
    *, session: Session, principal: Principal, card_id: uuid.UUID, limit: int = SHOWN, query: str | None = None
) -> list[Suggestion]:
    """`query`: the viewer's own words instead of the card's title and brief."""
    board, card = service.visible_card(session, principal, card_id)
    attached = coverage.attached_to(session, principal, [card.id])[card.id]
    open_needs = [n for n in coverage.needs_of(card, board, attached) if not n.covered]
    taken = {a.asset.id for a in attached}
    result = search_service.search(
        session=session, principal=principal, query=query or query_of(card.title, card.brief), limit=POOL
    )
    hits = [h for h in result.hits if h.card.asset.id not in taken]
    formats = coverage.current_formats(session, [h.card.asset for h in hits])
    found: list[tuple[int, int, Suggestion]] = []
    for rank, hit in enumerate(hits):
        asset = hit.card.asset
        candidate = coverage.Attached(asset, formats.get(asset.id), reused=True, visible=True)
        covers = [n.value for n in open_needs if candidate.covers(n.kind, n.value)]
        reasons = [f"{where}: {', '.join(terms)}" for where, terms in hit.matched_in.items() if terms]
        found.append((-len(covers), rank, Suggestion(hit.card, covers, reasons)))
    return [s for _, _, s in sorted(found, key=lambda f: (f[0], f[1]))[:limit]]
