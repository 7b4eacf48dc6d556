"""A search with no words to match (only filters, or nothing): newest first like the library, or
the most used first; what meets the query's preferences comes first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, not_, select
from sqlmodel import Session, col

from dam_app.assets import service as assets_service
from dam_app.assets.models import Asset
from dam_app.search import facets, preferences
from dam_app.search.query import ParsedQuery
from dam_app.search.results import Hit, SearchResult


def browse(
    session: Session, parsed: ParsedQuery, where: ColumnElement[bool], sort: str, limit: int, offset: int
) -> SearchResult:
    """Only filters (or nothing): newest first, like the library, or the most used first; what
    meets the preferences comes first."""
    total, counts, estimated = facets.browse_facets(session, where)
    newest: list[Any] = [col(Asset.created_at).desc(), col(Asset.id).desc()]
    preferred = preferences.browse_condition(parsed.preferred())
    if sort == "most_used" or parsed.most_used_first:
        order = [col(Asset.use_count).desc(), *newest]
        rows = list(session.execute(select(Asset).where(where).order_by(*order).limit(limit).offset(offset)).scalars())
    elif preferred is None:
        rows = list(session.execute(select(Asset).where(where).order_by(*newest).limit(limit).offset(offset)).scalars())
    else:
        rows = _preferred_first(session, where, preferred, newest, limit, offset)
    hits = [Hit(card, 0.0, None, [], "") for card in assets_service.cards_for(session, rows)]
    return SearchResult(parsed, hits, total, counts, estimated)


def _preferred_first(
    session: Session,
    where: ColumnElement[bool],
    preferred: ColumnElement[bool],
    order: list[Any],
    limit: int,
    offset: int,
) -> list[Asset]:
    """One page of the browse: the assets meeting the preferences, then the others, each newest first."""
    first = list(
        session.execute(select(Asset).where(where, preferred).order_by(*order).limit(limit).offset(offset)).scalars()
    )
    if len(first) == limit:
        return first
    # How many meet the preferences before this page (only needed when the page starts past them).
    before = offset if first else _count_upto(session, and_(where, preferred), offset)
    rest = session.execute(
        select(Asset)
        .where(where, not_(preferred))
        .order_by(*order)
        .limit(limit - len(first))
        .offset(max(0, offset - before))
    ).scalars()
    return first + list(rest)


def _count_upto(session: Session, where: ColumnElement[bool], cap: int) -> int:
    """min(matches, cap), reading at most `cap` rows."""
    inner = select(literal(1)).select_from(Asset).where(where).limit(cap).subquery()
    return int(session.execute(select(func.count()).select_from(inner)).scalar_one())
