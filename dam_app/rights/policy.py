"""Which review stages each market requires before a version may be used there (markets.review_stages):
admins change it; every asset of that market is then judged again by the worker."""

from __future__ import annotations

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.catalog.models import Market
from dam_app.db import on_commit
from dam_app.errors import Invalid, NotFound
from dam_app.review.models import ReviewStage
from dam_app.rights import jobs as rights_jobs

ADMIN_PERMISSION = "system.manage"


def market_stages(*, session: Session) -> list[tuple[str, str, list[str]]]:
    """Every market: (code, name, the stages it requires), by code."""
    return [(m.code, m.name, list(m.review_stages)) for m in session.exec(select(Market).order_by(col(Market.code)))]


def set_review_stages(*, session: Session, principal: Principal, code: str, stages: list[str]) -> list[str]:
    """Replace a market's required stages (admins; audited). Returns them in review order."""
    principal.require(ADMIN_PERMISSION)
    market = session.get(Market, code.strip().upper())
    if market is None:
        raise NotFound("market", code)
    wanted = {s.strip().lower() for s in stages if s.strip()}
    unknown = sorted(wanted - set(ReviewStage))
    if unknown:
        raise Invalid(f"unknown review stage(s) {', '.join(unknown)}; use {', '.join(ReviewStage)}")
    if not wanted:
        raise Invalid("a market requires at least one review stage")
    ordered = [s.value for s in ReviewStage if s in wanted]
    before = list(market.review_stages)
    if ordered == before:
        return ordered
    market.review_stages = ordered
    session.add(market)
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="market.review_stages",
        object_type="market",
        object_id=market.code,
        details={"market": market.code, "before": before, "after": ordered},
    )
    changed = market.code
    on_commit(session, lambda: rights_jobs.rejudge_market_soon(changed))
    return ordered
