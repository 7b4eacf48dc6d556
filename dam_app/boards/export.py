"""A board as a spreadsheet: one row per card the reader may see, in board order (phase, status,
position), with its due time in UTC and in the board's time zone. Read in one short session: a
board holds thousands of cards, not millions."""

from __future__ import annotations

import uuid
from datetime import UTC
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.boards import reads, service
from dam_app.boards.models import Board, Card
from dam_app.catalog.models import Campaign, Phase
from dam_app.spreadsheet import BOM, csv_line

HEADER = (
    "phase", "status", "title", "markets", "channels", "formats", "languages", "owner", "due (UTC)",
    "due (board time)", "brief", "card id",
)  # fmt: skip


def board_by_campaign(*, session: Session, principal: Principal, campaign: str) -> Board:
    """The board of a campaign named by its code or its name (any case), if the reader may see it."""
    wanted = campaign.strip().casefold()
    names = {c.slug: c.name.casefold() for c in session.exec(select(Campaign))}
    for board in reads.visible_boards(session=session, principal=principal):
        if wanted in (board.campaign.casefold(), names.get(board.campaign)):
            return board
    raise service.BoardNotFound(campaign)


def card_rows(*, session: Session, principal: Principal, board_id: uuid.UUID) -> list[tuple[str, ...]]:
    """The cards the reader may see, one tuple of HEADER's cells each, in board order: phases as the
    catalog orders them, statuses from requested to live, then each card's place."""
    board = service.visible_board(session, principal, board_id)
    zone = ZoneInfo(board.time_zone)
    phases = {p.code: p.position for p in session.exec(select(Phase))}
    statuses = {status.value: rank for rank, status in enumerate(service.STATUSES)}
    cards = sorted(  # stable: cards_of gives each status's cards in their place
        service.cards_of(session, principal, board),
        key=lambda c: (phases.get(c.phase, len(phases)), statuses.get(c.status, len(statuses))),
    )
    owners = _emails(session, {c.owner_id for c in cards if c.owner_id})
    return [_cells(card, owners, zone, board.time_zone) for card in cards]


def as_csv(rows: list[tuple[str, ...]]) -> str:
    """The rows under HEADER, as a spreadsheet opens them (byte-order mark, formulas quoted)."""
    return BOM + csv_line(HEADER) + "".join(csv_line(row) for row in rows)


def _cells(card: Card, owners: dict[uuid.UUID, str], zone: ZoneInfo, zone_name: str) -> tuple[str, ...]:
    due = card.due_at
    return (
        card.phase,
        card.status.replace("_", " "),
        card.title,
        " ".join(card.markets),
        " ".join(card.channels),
        " ".join(card.formats),
        " ".join(card.languages),
        owners.get(card.owner_id, "") if card.owner_id else "",
        f"{due.astimezone(UTC):%Y-%m-%d %H:%M}" if due else "",
        f"{due.astimezone(zone):%Y-%m-%d %H:%M} {zone_name}" if due else "",
        card.brief,
        str(card.id),
    )


def _emails(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return {u.id: u.email for u in session.exec(select(User).where(col(User.id).in_(list(ids))))}
