"""A new campaign from a past one: the template board's columns (dates and WIP limits), its cards
and their checklists, every date shifted by the distance between the two event dates, so "warm-up
Oct 20 - Nov 10" for last Double Eleven becomes the same weeks before this one. Cards start again
as requests, unassigned steps stay unassigned, nothing is attached; the copy is one transaction.
Someone working in some of the template's markets copies that part: its markets and their cards."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dam_app.accounts.principal import Principal
from dam_app.audit import service as audit_service
from dam_app.boards import checklists, due, ordering, service
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
    if event_date < utcnow().astimezone(due.zone(time_zone or source.time_zone)).date():
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
    zone = due.zone(source.time_zone)  # wall-clock times as the template's campaign kept them
    owners = _assignable(session, cards, steps, markets or list(source.markets))
    keys = _fresh_keys(cards)
    for old in cards:
        card = Card(
            board_id=board.id,
            phase=old.phase,
            status=CardStatus.REQUESTED,
            position=keys[old.id],
            title=old.title,
            brief=old.brief,
            markets=[m for m in old.markets if m in markets],
            channels=list(old.channels),
            formats=list(old.formats),
            languages=list(old.languages),
            owner_id=old.owner_id if old.owner_id in owners else None,
            due_at=_moment(old.due_at, shift, zone),
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
                    accountable_id=step.accountable_id if step.accountable_id in owners else None,
                    due_at=_moment(step.due_at, shift, zone),
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


def _moment(moment: datetime | None, shift: timedelta, zone: ZoneInfo) -> datetime | None:
    """The same wall-clock time `shift` later in the board's zone ("18:00 in Shanghai" stays 18:00
    across a daylight-saving change), back in UTC."""
    if moment is None:
        return None
    local = moment.astimezone(zone).replace(tzinfo=None) + shift
    return local.replace(tzinfo=zone).astimezone(UTC)


def _fresh_keys(cards: list[Card]) -> dict[uuid.UUID, str]:
    """Every copied card starts as a request, so each phase's cards get new keys in the template's
    order (by status, then place), instead of old keys that collide across statuses."""
    order = [str(status) for status in service.STATUSES]
    by_phase: dict[str, list[Card]] = {}
    for card in sorted(cards, key=lambda c: (order.index(c.status) if c.status in order else len(order), c.position)):
        by_phase.setdefault(card.phase, []).append(card)
    keys: dict[uuid.UUID, str] = {}
    for phase_cards in by_phase.values():
        keys.update(zip([c.id for c in phase_cards], ordering.evenly(len(phase_cards)), strict=True))
    return keys


def _assignable(
    session: Session, cards: list[Card], steps: dict[uuid.UUID, list[ChecklistItem]], markets: list[str]
) -> set[uuid.UUID]:
    """The owners and accountable people who may still take the copied cards on (active, working in
    the new board's markets); anyone else is left unassigned rather than handed cards they cannot open."""
    people = {c.owner_id for c in cards} | {s.accountable_id for found in steps.values() for s in found}
    keep = set()
    for person in people - {None}:
        try:
            service.check_owner(session, person, markets)
        except Invalid:
            continue
        assert person is not None
        keep.add(person)
    return keep
