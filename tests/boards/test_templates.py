"""A new campaign from a past one: columns, cards and checklists copied with every date shifted by
the distance between the event dates; only what the caller may see; clear refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from dam_app.boards import cards, checklists, service, templates
from dam_app.catalog.models import Campaign
from dam_app.db import session_scope
from dam_app.errors import Invalid, NotFound
from tests.boards.test_boards_api import _auth
from tests.boards.test_moves import _card, _move, _person


def test_a_board_from_a_template_shifts_every_date_to_the_new_event(services: dict[str, str]) -> None:
    owner = _person(("JP", "CN"))
    last_year = date.today() + timedelta(days=10)  # the template's event (dates only matter relatively)
    with session_scope() as session:
        template = service.create_board(
            session=session,
            principal=owner,
            campaign=f"Double Eleven {uuid.uuid4().hex[:6]}",
            markets=["JP", "CN"],
            time_zone="Asia/Shanghai",
            event_date=last_year,
            columns=[
                service.ColumnSpec("warm-up", last_year - timedelta(days=22), last_year - timedelta(days=1), 5, 8)
            ],
        )
    due = datetime.combine(last_year, datetime.min.time(), UTC) + timedelta(hours=10)
    first = _card(owner, template.id, "hero banner", markets=("JP",), due_at=due, formats=("9:16",))
    second = _card(owner, template.id, "teaser")
    _move(owner, first, "peak", "approved", after=None)  # the copy starts again as a request
    japan_only = _person(("JP",))
    _card(owner, template.id, "China only", markets=("CN",))  # the JP-only copier never sees it
    with session_scope() as session:
        steps = checklists.items_of(session, [second.id])[second.id]
        cards.change_step(
            session=session, principal=owner, item_id=steps[0].id, change=checklists.ItemChange(done=True)
        )

    new_event = last_year + timedelta(days=365)
    with session_scope() as session:
        copy = templates.copy_board(
            session=session,
            principal=japan_only,
            template_id=template.id,
            campaign="Double Eleven next",
            event_date=new_event,
        )
        columns = {c.phase: c for c in service.columns_of(session, copy.id)}
        copied = service.cards_of(session, owner, copy)
        copied_steps = checklists.items_of(session, [c.id for c in copied])
    assert (copy.event_date, copy.time_zone, copy.markets) == (new_event, "Asia/Shanghai", ["JP"])  # theirs
    warm = columns["warm-up"]
    assert (warm.starts_on, warm.ends_on, warm.soft_limit, warm.hard_limit) == (
        new_event - timedelta(days=22),
        new_event - timedelta(days=1),
        5,
        8,
    )
    assert sorted((c.title, c.phase, c.status) for c in copied) == [
        ("hero banner", "peak", "requested"),
        ("teaser", "warm-up", "requested"),
    ]
    hero = next(c for c in copied if c.title == "hero banner")
    assert hero.due_at == due + timedelta(days=365) and hero.formats == ["9:16"] and hero.revision == 1
    assert all(s.done_at is None for c in copied for s in copied_steps[c.id])  # ticks are not copied
    assert len({c.position for c in copied if c.phase == "peak"}) == len([c for c in copied if c.phase == "peak"])
    assert len(copied_steps[hero.id]) == 6


def test_template_refusals(services: dict[str, str]) -> None:
    owner, stranger = _person(("JP",)), _person(("DE",))
    with session_scope() as session:
        undated = service.create_board(
            session=session, principal=owner, campaign=f"Undated {uuid.uuid4().hex[:6]}", markets=["JP"]
        )
        dated = service.create_board(
            session=session,
            principal=owner,
            campaign=f"Dated {uuid.uuid4().hex[:6]}",
            markets=["JP"],
            event_date=date.today(),
        )
    future = date.today() + timedelta(days=30)
    names = []
    for who, template, day, error, why in (
        (owner, undated.id, future, Invalid, "no event date"),
        (owner, dated.id, date.today() - timedelta(days=1), Invalid, "has passed already"),
        (stranger, dated.id, future, NotFound, "board"),
    ):
        names.append(f"Copy {uuid.uuid4().hex[:6]}")
        with session_scope() as session, pytest.raises(error, match=why):
            templates.copy_board(
                session=session, principal=who, template_id=template, campaign=names[-1], event_date=day
            )
    with session_scope() as session:  # the refusals left no half-made campaign or board behind
        assert session.exec(select(Campaign).where(col(Campaign.name).in_(names))).all() == []


def test_copy_over_http_and_from_the_cli(
    client: TestClient, services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.test_cli import _dam

    shanghai = _auth(("CN",))
    name = f"Singles Day {uuid.uuid4().hex[:6]}"
    day = (date.today() + timedelta(days=3)).isoformat()
    board = client.post(
        "/api/v1/boards", headers=shanghai, json={"campaign": name, "markets": ["CN"], "event_date": day}
    ).json()
    client.post(f"/api/v1/boards/{board['id']}/cards", headers=shanghai, json={"title": "KOL post", "phase": "peak"})
    next_year = (date.today() + timedelta(days=368)).isoformat()
    made = client.post(
        f"/api/v1/boards/{board['id']}/copy",
        headers=shanghai,
        json={"campaign": f"{name} next", "event_date": next_year},
    )
    assert made.status_code == 201 and [c["title"] for c in made.json()["cards"]] == ["KOL post"]
    assert (
        client.post(
            f"/api/v1/boards/{board['id']}/copy",
            headers=shanghai,
            json={"campaign": f"{name} next", "event_date": next_year},
        ).status_code
        == 409
    )
    monkeypatch.setenv("COLUMNS", "200")
    copied = _dam(services, "board", "copy", name, f"{name} CLI", "--event-date", next_year)
    assert copied.returncode == 0 and "1 cards copied" in copied.stdout, copied.stderr
    refused = _dam(services, "board", "copy", name, f"{name} bad", "--event-date", "11/11")
    assert refused.returncode != 0 and "not a date" in refused.stderr


def test_a_copy_keeps_local_times_across_daylight_saving_and_the_template_order(services: dict[str, str]) -> None:
    from zoneinfo import ZoneInfo

    owner = _person(("JP",))
    la = ZoneInfo("America/Los_Angeles")
    event = date.today() + timedelta(days=30)
    with session_scope() as session:
        template = service.create_board(
            session=session,
            principal=owner,
            campaign=f"Black Friday {uuid.uuid4().hex[:6]}",
            markets=["JP"],
            time_zone="America/Los_Angeles",
            event_date=event,
        )
    due = datetime.combine(event, datetime.min.time()).replace(hour=18, tzinfo=la)
    titles = [f"card {i}" for i in range(4)]
    made = [_card(owner, template.id, t, due_at=due) for t in titles]
    _move(owner, made[0], "warm-up", "approved", after=None)  # statuses differ; the copy starts them all again
    shift = 183  # half a year: across a daylight-saving change either way
    with session_scope() as session:
        copy = templates.copy_board(
            session=session, principal=owner, template_id=template.id, campaign=f"Copy {uuid.uuid4().hex[:6]}",
            event_date=event + timedelta(days=shift),
        )  # fmt: skip
        copied = service.cards_of(session, owner, copy)
    assert all(c.due_at is not None and c.due_at.astimezone(la).hour == 18 for c in copied)  # 18:00 stays 18:00
    assert [c.title for c in sorted(copied, key=lambda c: c.position)] == [*titles[1:], titles[0]]  # requested first
    assert len({c.position for c in copied}) == 4
