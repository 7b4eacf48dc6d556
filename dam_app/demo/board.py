"""The demo's campaign board, so a newcomer has requests to click through: a year-end sale three
weeks out, eight requests across phases and markets with owners and due times, a checklist step or
two ticked, one request fulfilled from the library (reuse) and one waiting for a new asset."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import col, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import system_principal
from dam_app.assets.models import Asset
from dam_app.boards import cards, checklists, service
from dam_app.boards.models import Board
from dam_app.db import session_scope
from dam_app.fields import utcnow

CAMPAIGN = "Year-end sale"
BRIEF = "product first, festive, the offer in the first line."
REQUESTS = (  # title, phase, status, markets, formats, languages, days before the event it is due
    ("Countdown teaser 9:16", "warm-up", "in_production", ("CN", "JP"), ("9:16",), ("zh", "ja"), 14),
    ("Hero banner 1.91:1", "warm-up", "in_review", ("NA", "EU"), ("1.91:1", "16:9"), ("en", "de"), 10),
    ("KOL unboxing brief", "warm-up", "requested", ("JP",), ("4:5",), ("ja",), 12),
    ("Sale-day PDP images", "peak", "requested", ("NA", "EU", "JP", "CN"), ("1:1",), (), 2),
    ("Flash deal stories", "peak", "approved", ("CN",), ("9:16",), ("zh",), 1),
    ("Email header", "peak", "requested", ("EU",), ("16:9",), ("de",), 3),
    ("Thank-you post", "encore", "requested", ("NA",), ("1:1",), ("en",), -4),
    ("Returns policy banner", "encore", "requested", ("EU", "CN"), ("1.91:1",), ("de", "zh"), -6),
)


def load_demo_board() -> bool:
    """Make the board once (False when it exists already)."""
    principal = system_principal()
    with session_scope() as session:
        if session.exec(select(Board.id).limit(1)).first() is not None:
            return False
        owner = session.exec(select(User).where(col(User.role) == "admin").order_by(col(User.created_at))).first()
        event = (utcnow() + timedelta(days=21)).date()
        board = service.create_board(
            session=session,
            principal=principal,
            campaign=CAMPAIGN,
            markets=["NA", "EU", "JP", "CN"],
            time_zone="Asia/Shanghai",
            event_date=event,
            columns=[
                service.ColumnSpec("warm-up", event - timedelta(days=21), event - timedelta(days=1), soft_limit=3),
                service.ColumnSpec("peak", event, event + timedelta(days=2), hard_limit=12),
                service.ColumnSpec("encore", event + timedelta(days=3), event + timedelta(days=10)),
            ],
        )
        made = []
        for title, phase, status, markets, formats, languages, before in REQUESTS:
            due = datetime.combine(event - timedelta(days=before), time(10, 0), UTC)
            made.append(
                service.add_card(
                    session=session,
                    principal=principal,
                    board_id=board.id,
                    fields=service.CardFields(
                        title=title,
                        phase=phase,
                        status=status,
                        markets=markets,
                        formats=formats,
                        languages=languages,
                        owner_id=owner.id if owner else None,
                        due_at=due,
                        brief=f"{title} for the {CAMPAIGN.lower()}: {BRIEF}",
                    ),
                )
            )
        hero, flash = made[1], made[4]
        for step in checklists.items_of(session, [hero.id])[hero.id][:2]:
            cards.change_step(
                session=session, principal=principal, item_id=step.id, change=checklists.ItemChange(done=True)
            )
        old = session.exec(select(Asset).where(col(Asset.markets).contains(["CN"])).order_by(col(Asset.created_at)))
        if (reused := old.first()) is not None:
            cards.attach(session=session, principal=principal, card_id=flash.id, asset_id=reused.id)
    return True
