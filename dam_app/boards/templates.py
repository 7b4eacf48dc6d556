"""A new campaign from a past one: the template board's columns (dates and WIP limits), its cards
and their checklists, every date shifted by the distance between the two event dates, so "warm-up
Oct 20 - Nov 10" for last Double Eleven becomes the same weeks before this one. Cards start again
as requests, unassigned steps stay unassigned, nothing is attached; the copy is one transaction.
Someone working in some of the template's markets copies that part: its markets and their cards."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlmodel import Session

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.boards import checklists, service
from dam_app.boards.models import Board, Card, CardEvent, CardStatus, ChecklistItem
from dam_app.errors import Invalid
from dam_app.fields import utcnow

MAX_CARDS = 5_000  # a template larger than this is refused rather than copied half


def copy_board(
    *,
    session: Session,
    principal: Principal,
    template_id: uuid.UUID,
    campaign: str,
    event_date: date,
    time_zone: str | None = None,
) -> Board:
    """The new campaign's board, copied from the template board the caller may see."""
    principal.require("asset.write")
    source = service.visible_board(session, principal, template_id)
    if event_date < utcnow().date():
        raise Invalid(f"the new event date {event_date:%Y-%m-%d} has passed already")
    if source.event_date is None:
        raise Invalid("the template board has no event date, so its dates cannot be shifted: give it one first")
    shift = event_date - source.event_date
    columns = [
        service.ColumnSpec(c.phase, _day(c.starts_on, shift), _day(c.ends_on, shift), c.soft_limit, c.hard_limit)
        for c in service.columns_of(session, source.id)
    ]
    markets = list(source.markets) if principal.all_regions else principal.readable_markets(source.markets)
    if source.markets and not markets:
        raise Invalid("you work in none of the template's markets, so there is nothing of it to copy")
    board = service.create_board(
        session=session,
        principal=principal,
        campaign=campaign,
        markets=markets,
        time_zone=time_zone or source.time_zone,
        event_date=event_date,
        columns=columns,
    )
    # The cards the caller may see, within the markets the new board covers.
    cards = [c for c in service.cards_of(session, principal, source) if not c.markets or set(c.markets) & set(markets)]
    if len(cards) > MAX_CARDS:
        raise Invalid(f"the template has {len(cards):,} cards; at most {MAX_CARDS:,} are copied at once")
    steps = checklists.items_of(session, [c.id for c in cards])
    for old in cards:
        card = Card(
            board_id=board.id,
            phase=old.phase,
            status=CardStatus.REQUESTED,
            position=old.position,  # same keys: the same order within each phase
            title=old.title,
            brief=old.brief,
            markets=[m for m in old.markets if m in markets],
            channels=list(old.channels),
            formats=list(old.formats),
            languages=list(old.languages),
            owner_id=old.owner_id,
            due_at=_moment(old.due_at, shift),
            created_by=principal.user_id,
            updated_by=principal.user_id,
        )
        session.add(card)
        session.flush()
        for step in steps[old.id]:
            session.add(
                ChecklistItem(
                    card_id=card.id,
                    position=step.position,
                    label=step.label,
                    accountable_id=step.accountable_id,
                    due_at=_moment(step.due_at, shift),
                )
            )
        session.add(
            CardEvent(card_id=card.id, actor_id=principal.user_id, action="created", details={"template": str(old.id)})
        )
    audit_service.record(
        session=session,
        actor_id=principal.user_id,
        action="board.copy",
        object_type="board",
        object_id=board.id,
        details={"template": str(source.id), "cards": str(len(cards)), "shift_days": str(shift.days)},
    )
    session.flush()
    return board


def _day(day: date | None, shift: timedelta) -> date | None:
    return day + shift if day else None


def _moment(moment: datetime | None, shift: timedelta) -> datetime | None:
    return moment + shift if moment else None
