"""What the card page shows, read in one session: the card's fields, its checklist, attached assets
with what they cover, reuse suggestions and its history, each in the words the page prints."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.boards import checklists, coverage, filters, reads, reuse, service
from dam_app.boards.due import due_words
from dam_app.boards.due import zone as zone_of
from dam_app.boards.models import Card, CardComment, CardEvent, ChecklistItem
from dam_app.catalog.models import Campaign
from dam_app.db import session_scope
from dam_app.fields import utcnow
from dam_app.ui import routes

NOBODY = "nobody"  # a select's "no one" item (Radix selects cannot hold an empty value)


@dataclass
class StepView:
    id: str
    label: str
    done: bool
    who: str  # accountable person, "" when nobody
    who_id: str  # their id, NOBODY when nobody
    due: str  # in the viewer's zone, for a datetime-local field ("" : none)


@dataclass
class AssetView:
    id: str
    title: str
    url: str
    thumbnail: str
    note: str  # "9:16 · approved · reused", or what it would cover


@dataclass
class NeedView:
    label: str  # "JP", "ja", "9:16"
    kind: str
    state: str  # gap, covered, approved


@dataclass
class CommentView:
    who: str
    when: str  # in the viewer's zone
    body: str


@dataclass
class CardPage:
    card_id: str
    board_url: str
    board_title: str
    revision: int
    title: str
    brief: str
    where: str  # "peak · in review"
    markets: str
    channels: str
    formats: list[str]
    languages: str
    due: str  # in the viewer's words
    due_input: str  # for the form's datetime-local field, in the viewer's zone
    owner: str
    owner_id: str  # NOBODY when nobody owns it
    people: list[list[str]]  # [id, name] of whom the owner and checklist steps may name
    steps: list[StepView] = field(default_factory=list)
    attached: list[AssetView] = field(default_factory=list)
    hidden: int = 0  # attached assets outside the viewer's markets
    needs: list[NeedView] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)


def viewer_zone(session: Session, principal: Principal) -> str:
    user = session.get(User, principal.user_id) if principal.user_id else None
    return user.time_zone if user else "UTC"


def read_card(principal: Principal, card_id: uuid.UUID) -> CardPage | None:
    try:
        with session_scope() as session:
            return _page(session, principal, card_id)
    except service.CardNotFound:
        return None


def _page(session: Session, principal: Principal, card_id: uuid.UUID) -> CardPage:
    board, card = service.visible_card(session, principal, card_id)
    zone = viewer_zone(session, principal)
    steps = checklists.items_of(session, [card.id])[card.id]  # read once: the list, the people, the choices
    people = _people(session, card, steps)
    attached = coverage.attached_to(session, principal, [card.id])[card.id]
    shown = assets_service.cards_for(session, [a.asset for a in attached if a.visible])
    notes = {a.asset.id: _attached_note(a) for a in attached}
    campaign = session.get(Campaign, board.campaign)
    owner = people.get(card.owner_id) if card.owner_id else None
    markets = list(card.markets or board.markets)
    due = ""
    if card.due_at:
        there, done = owner.time_zone if owner else board.time_zone, card.status in filters.DONE
        due = due_words(card.due_at, viewer_zone=zone, owner_zone=there, now=utcnow(), done=done)
    local_due = card.due_at.astimezone(zone_of(zone)) if card.due_at else None
    return CardPage(
        card_id=str(card.id),
        board_url=routes.board_url(board.id),
        board_title=campaign.name if campaign else board.campaign,
        revision=card.revision,
        title=card.title,
        brief=card.brief,
        where=f"{card.phase} · {card.status.replace('_', ' ')}",
        markets=" ".join(card.markets),
        channels=" ".join(card.channels),
        formats=list(card.formats),
        languages=" ".join(card.languages),
        due=due,
        due_input=f"{local_due:%Y-%m-%dT%H:%M}" if local_due else "",
        owner=_name(owner),
        owner_id=str(card.owner_id or NOBODY),
        people=_choices(session, markets, people, card, steps),
        steps=[_step(s, people, zone) for s in steps],
        attached=[_asset_view(c, notes[c.asset.id]) for c in shown],
        hidden=sum(not a.visible for a in attached),
        needs=[NeedView(n.value, n.kind, n.state) for n in coverage.needs_of(card, board, attached)],
        history=_history(session, principal, card, people, zone),
        comments=_comments(session, card, zone),
    )


def read_suggestions(principal: Principal, card_id: uuid.UUID, words: str) -> list[AssetView]:
    with session_scope() as session:
        found = reuse.suggestions(session=session, principal=principal, card_id=card_id, query=words or None)
        return [_asset_view(s.card, "would cover " + ", ".join(s.covers) if s.covers else "") for s in found]


def _asset_view(card: assets_service.AssetCard, note: str) -> AssetView:
    thumbnail = routes.rendition_url(card.thumbnail_id) if card.thumbnail_id else ""
    return AssetView(str(card.asset.id), card.asset.title, routes.asset_url(card.asset.id), thumbnail, note)


def _attached_note(a: coverage.Attached) -> str:
    parts = [a.format or "", "approved" if a.approved else "not approved yet", "reused" if a.reused else "made for it"]
    return " · ".join(p for p in parts if p)


def _people(session: Session, card: Card, steps: list[ChecklistItem]) -> dict[uuid.UUID, User]:
    ids = {card.owner_id, card.updated_by, card.created_by} | {s.accountable_id for s in steps}
    ids |= set(session.exec(select(CardEvent.actor_id).where(CardEvent.card_id == card.id)).all())
    wanted = [i for i in ids if i is not None]
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted)))} if wanted else {}


def _choices(
    session: Session, markets: list[str], known: dict[uuid.UUID, User], card: Card, steps: list[ChecklistItem]
) -> list[list[str]]:
    """[id, name] of whom the owner and steps may name, the people named now included (else a select
    would show "nobody" for them and a save would clear them)."""
    listed = {u.id: u for u in reads.assignable_people(session=session, markets=markets)}
    named = {card.owner_id} | {s.accountable_id for s in steps}
    for person_id in named:
        if person_id is not None and person_id not in listed and (person := known.get(person_id)) is not None:
            listed[person.id] = person
    return [[str(u.id), _name(u) + ("" if u.is_active else " (inactive)")] for u in listed.values()]


def _name(user: User | None) -> str:
    return (user.display_name or user.email) if user else ""


def _step(step: checklists.ChecklistItem, people: dict[uuid.UUID, User], zone: str) -> StepView:
    due = f"{step.due_at.astimezone(zone_of(zone)):%Y-%m-%dT%H:%M}" if step.due_at else ""
    who = _name(people.get(step.accountable_id)) if step.accountable_id else ""
    return StepView(str(step.id), step.label, step.done_at is not None, who, str(step.accountable_id or NOBODY), due)


def _comments(session: Session, card: Card, zone: str) -> list[CommentView]:
    rows = session.exec(
        select(CardComment, User)
        .join(User, col(User.id) == CardComment.author_id, isouter=True)
        .where(CardComment.card_id == card.id)
        .order_by(col(CardComment.id))
    )
    return [
        CommentView(_name(u) or "someone", f"{c.created_at.astimezone(zone_of(zone)):%b %d %H:%M}", c.body)
        for c, u in rows
    ]


def _history(session: Session, principal: Principal, card: Card, people: dict[uuid.UUID, User], zone: str) -> list[str]:
    """Newest first; an attached asset is named only to those who may see it."""
    events = list(
        session.exec(select(CardEvent).where(CardEvent.card_id == card.id).order_by(col(CardEvent.id).desc()))
    )
    asked = [uuid.UUID(a) for e in events if (a := e.details.get("asset"))]
    titles = {a.id: a.title for a in assets_service.visible_assets(session, principal, asked)}
    lines = []
    for e in events:
        who = _name(people.get(e.actor_id)) if e.actor_id else "someone"
        what = ", ".join(e.details.get("fields", [])) or e.details.get("step") or ""
        if asset := e.details.get("asset"):
            what = titles.get(uuid.UUID(asset), "an asset outside your markets")
        if e.action == "moved":
            to = e.details.get("to", {})
            what = f"to {to.get('phase')} · {str(to.get('status', '')).replace('_', ' ')}"
        lines.append(f"{e.at.astimezone(zone_of(zone)):%b %d %H:%M} {who} {e.action} {what}".strip())
    return lines
