"""Rule packs as admins keep them: the active version of each, its history, and saving an edit as
a new version (validated first: an invalid pattern is refused with the reason, nothing changes).
After a save, every current version is checked again against the new pack (review/jobs.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.db import on_commit
from dam_app.errors import Conflict, Invalid, NotFound
from dam_app.review.compliance_models import RulePack, RulePackRead
from dam_app.review.rules import packs
from dam_app.review.rules.packs import ALL_MARKETS, PackError

MAX_NAME = 200


def active_packs(session: Session) -> list[RulePack]:
    """The newest version of every pack, by key."""
    newest = (
        select(col(RulePack.key), func.max(col(RulePack.version)).label("version"))
        .group_by(col(RulePack.key))
        .subquery()
    )
    return list(
        session.exec(
            select(RulePack)
            .join(newest, (col(RulePack.key) == newest.c.key) & (col(RulePack.version) == newest.c.version))
            .order_by(col(RulePack.key))
        )
    )


def list_packs(*, session: Session, principal: Principal) -> list[RulePackRead]:
    principal.require("asset.read")
    return [RulePackRead.model_validate(p) for p in active_packs(session)]


def history(*, session: Session, principal: Principal, key: str) -> list[RulePackRead]:
    """Every saved version of one pack, newest first."""
    principal.require("asset.read")
    rows = session.exec(select(RulePack).where(RulePack.key == key).order_by(col(RulePack.version).desc())).all()
    if not rows:
        raise NotFound("rule pack", key)
    return [RulePackRead.model_validate(r) for r in rows]


def save_pack(
    *,
    session: Session,
    principal: Principal,
    key: str,
    definition: dict[str, Any],
    name: str | None = None,
    markets: list[str] | None = None,
    note: str = "",
    base_version: int | None = None,
) -> RulePackRead:
    """Save an edit of a pack as its next version. The kind stays what it was; the markets must be
    known codes (or "*" for all). `base_version`, the version the editor started from, refuses an
    edit of a pack someone else saved meanwhile instead of silently replacing their change. Once
    committed, every current version is checked against the new version (review/jobs.py)."""
    principal.require("system.manage")
    current = next((p for p in active_packs(session) if p.key == key), None)
    if current is None:
        raise NotFound("rule pack", key)
    if base_version is not None and base_version != current.version:
        raise Conflict(
            f"rule pack {key!r} is at version {current.version} now, not {base_version}: "
            "someone saved it meanwhile; reload it and edit the newest version"
        )
    try:
        parsed = packs.validated(current.kind, definition)
    except PackError as error:
        raise Invalid(f"rule pack {key!r} not saved: {error}") from None
    name = (name if name is not None else current.name).strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"a pack needs a name of 1 to {MAX_NAME} characters")
    given = current.markets if markets is None else markets
    markets = [m.strip().upper() if m.strip() != ALL_MARKETS else ALL_MARKETS for m in given if m.strip()]
    if not markets:
        raise Invalid('a pack needs at least one market ("*" for every market)')
    unknown = catalog_service.unknown_markets(session=session, codes=[m for m in markets if m != ALL_MARKETS])
    if unknown:
        raise Invalid(f"unknown market(s) {', '.join(unknown)}")
    global_codes = set(catalog_service.global_market_codes(session=session)) & set(markets)
    if global_codes:
        raise Invalid(f'{", ".join(sorted(global_codes))} is no market of its own: use "*" for every market')
    saved = RulePack(
        key=key,
        version=current.version + 1,
        name=name,
        kind=current.kind,
        markets=list(dict.fromkeys(markets)),
        definition=parsed.model_dump(),
        note=note.strip()[:2000],
        created_by=principal.user_id,
    )
    session.add(saved)
    try:
        session.flush()  # a concurrent save of the same version fails here on the unique (key, version)
    except IntegrityError as error:
        if "uq_rule_packs_key_version" not in str(error.orig):
            raise
        raise Conflict(f"rule pack {key!r} was saved by someone else at the same moment; reload it") from None
    from dam_app.review import jobs as review_jobs  # jobs read packs through compliance.py: not at the top

    key_version = (saved.key, saved.version)
    on_commit(session, lambda: review_jobs.queue_recheck_all(*key_version))  # never on a rollback
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="compliance.pack_saved",
        object_type="rule_pack",
        object_id=key,
        details={"version": saved.version, "previous": current.version, "note": saved.note},
    )
    return RulePackRead.model_validate(saved)
