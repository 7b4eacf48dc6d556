"""Boards and card moves on the real database: order kept with one row written per move, a stale
revision told who moved the card, hard WIP limits that two last-place moves cannot both pass, and
the rules on what a card may say."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.boards import room, service
from dam_app.boards.models import Card, CardEvent
from dam_app.db import get_engine, session_scope
from dam_app.errors import Invalid
from tests import factories


def _person(regions: tuple[str, ...] = ("JP", "CN"), role: str = "editor") -> Principal:
    with session_scope() as session:
        return factories.user(session, role=role, regions=regions, display_name=f"Mei {uuid.uuid4().hex[:4]}").principal


def _board(owner: Principal, **kwargs: object) -> uuid.UUID:
    with session_scope() as session:
        board = service.create_board(
            session=session,
            principal=owner,
            campaign=f"Double Eleven {uuid.uuid4().hex[:6]}",
            markets=["JP", "CN"],
            time_zone="Asia/Shanghai",
            **kwargs,  # type: ignore[arg-type]
        )
        return board.id


def _card(owner: Principal, board_id: uuid.UUID, title: str, phase: str = "warm-up", **fields: object) -> Card:
    with session_scope() as session:
        return service.add_card(
            session=session,
            principal=owner,
            board_id=board_id,
            fields=service.CardFields(title=title, phase=phase, **fields),  # type: ignore[arg-type]
        )


def _move(who: Principal, card: Card, phase: str, status: str, after: Card | None, revision: int | None = None) -> Card:
    with session_scope() as session:
        return service.move_card(
            session=session,
            principal=who,
            card_id=card.id,
            phase=phase,
            status=status,
            after=after.id if after else None,
            expected_revision=card.revision if revision is None else revision,
        )


def _column(board_id: uuid.UUID, phase: str, status: str = "requested") -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Card.title)
                .where(Card.board_id == board_id, Card.phase == phase, Card.status == status)
                .order_by(col(Card.position))
            )
        )


def test_a_board_has_a_column_per_phase_and_cards_keep_their_order(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    with session_scope() as session:
        assert [c.phase for c in service.columns_of(session, board_id)] == ["warm-up", "peak", "encore"]
    a, b, c = (_card(owner, board_id, t) for t in ("hero banner", "9:16 teaser", "KOL post"))
    assert _column(board_id, "warm-up") == ["hero banner", "9:16 teaser", "KOL post"]
    _move(owner, c, "warm-up", "requested", after=None)  # to the top
    assert _column(board_id, "warm-up") == ["KOL post", "hero banner", "9:16 teaser"]
    moved = _move(owner, a, "peak", "in_production", after=None)
    assert moved.revision == 2 and _column(board_id, "peak", "in_production") == ["hero banner"]
    _move(owner, b, "peak", "in_production", after=moved)
    assert _column(board_id, "peak", "in_production") == ["hero banner", "9:16 teaser"]
    with session_scope() as session:
        actions = [e.action for e in service.history(session=session, principal=owner, card_id=a.id)]
    assert actions == ["created", "moved"]


def test_a_move_writes_only_the_moved_card(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    cards = [_card(owner, board_id, f"card {i}") for i in range(5)]
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("UPDATE CARDS"):
            statements.append(statement)

    event.listen(get_engine(), "before_cursor_execute", record)
    try:
        _move(owner, cards[4], "warm-up", "requested", after=cards[1])
    finally:
        event.remove(get_engine(), "before_cursor_execute", record)
    assert len(statements) == 1 and _column(board_id, "warm-up")[2] == "card 4"


def test_the_second_of_two_movers_is_told_who_moved_the_card(services: dict[str, str]) -> None:
    shanghai, los_angeles = _person(), _person(("JP", "CN", "NA"))
    board_id = _board(shanghai)
    card = _card(shanghai, board_id, "hero banner")
    _move(shanghai, card, "peak", "in_review", after=None)
    with pytest.raises(service.StaleMove) as refused:
        _move(los_angeles, card, "encore", "requested", after=None, revision=card.revision)  # saw revision 1
    assert "Mei" in refused.value.message and "now in peak / in review" in refused.value.message
    assert _column(board_id, "peak", "in_review") == ["hero banner"] and _column(board_id, "encore") == []


def test_a_hard_limit_refuses_and_two_last_place_moves_cannot_both_pass(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner, columns=[service.ColumnSpec("peak", soft_limit=1, hard_limit=2)])
    _card(owner, board_id, "already there", phase="peak")
    contenders = [_card(owner, board_id, f"contender {i}") for i in range(6)]

    def attempt(card: Card) -> str:
        try:
            _move(owner, card, "peak", "requested", after=None)
            return "moved"
        except room.ColumnFull as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, contenders))
    assert outcomes.count("moved") == 1
    assert outcomes.count("peak is full: its limit is 2 cards") == 5
    assert len(_column(board_id, "peak")) == 2


def test_concurrent_drops_into_one_place_keep_a_strict_order(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    top = _card(owner, board_id, "top")
    _card(owner, board_id, "bottom")
    movers = [_card(owner, board_id, f"m{i}", phase="encore") for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda card: _move(owner, card, "warm-up", "requested", after=top), movers))
    order = _column(board_id, "warm-up")
    assert order[0] == "top" and order[-1] == "bottom" and len(order) == 10
    with session_scope() as session:
        keys = session.exec(select(Card.position).where(Card.board_id == board_id, Card.phase == "warm-up")).all()
    assert len(set(keys)) == 10  # no two cards share a key


def test_what_a_card_may_say(services: dict[str, str]) -> None:
    owner, outsider = _person(("JP",)), _person(("EU",))
    board_id = _board(_person())
    assert _card(owner, board_id, "long brief", brief="x" * 10_000).brief == "x" * 10_000
    for fields, message in (
        ({"brief": "x" * 10_001}, "longer than 10,000"),
        ({"formats": ("2:3",)}, "unknown format"),
        ({"markets": ("NA",)}, "not scoped to market"),
        ({"status": "done"}, "no such status"),
        ({"phase": "after-party"}, "no column"),
    ):
        with pytest.raises((Invalid, PermissionDenied), match=message):
            _card(owner, board_id, "bad", **fields)
    with pytest.raises(service.BoardNotFound):
        _card(outsider, board_id, "not my board")
    with pytest.raises(Invalid, match="title"):
        _card(owner, board_id, "   ")


def test_moving_a_deleted_card_or_into_a_missing_column(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    card, other = _card(owner, board_id, "soon gone"), _card(owner, board_id, "stays")
    with pytest.raises(Invalid, match="no column"):
        _move(owner, other, "after-party", "requested", after=None)
    with pytest.raises(Invalid, match="not in that column"):
        _move(owner, other, "peak", "requested", after=card)
    with Session(get_engine()) as session:
        session.delete(session.get(Card, card.id))
        session.commit()
    with pytest.raises(service.CardNotFound, match="deleted"):
        _move(owner, card, "peak", "requested", after=None)
    with session_scope() as session:
        assert session.exec(select(CardEvent).where(CardEvent.card_id == card.id)).all() == []


def test_a_move_is_announced_on_the_boards_topic_once_committed(services: dict[str, str]) -> None:
    from dam_app import events
    from dam_app.worker import queues
    from tests.test_events import _received

    owner = _person()
    board_id = _board(owner)
    card = _card(owner, board_id, "Hero banner", markets=["JP"])
    pubsub = queues.connection().pubsub()
    pubsub.subscribe(queues.channel(events.board_topic(board_id)))
    try:
        _received(pubsub, 0.2)
        with pytest.raises(RuntimeError), session_scope() as session:  # rolled back: nothing said
            service.move_card(
                session=session, principal=owner, card_id=card.id, phase="peak", status="requested", after=None,
                expected_revision=card.revision,
            )  # fmt: skip
            raise RuntimeError("the request failed after the move")
        assert _received(pubsub, 0.5) == []
        moved = _move(owner, card, "peak", "in_review", None)
        (said,) = [events.from_payload(p) for p in _received(pubsub, 1.0)]
    finally:
        pubsub.close()
    assert isinstance(said, events.CardChanged)
    assert (said.card_id, said.change, said.phase, said.status, said.revision) == (
        card.id, "moved", "peak", "in_review", moved.revision,
    )  # fmt: skip
    assert said.audience.markets == ("JP",) and said.by == owner.display_name  # the card's own markets


def test_a_bulk_move_moves_each_card_on_its_own_and_names_the_refused(services: dict[str, str], client: object) -> None:
    from fastapi.testclient import TestClient

    from dam_app.boards import bulk
    from tests.boards.test_boards_api import _auth

    owner, other = _person(), _person()
    board_id = _board(owner, columns=[service.ColumnSpec("encore", hard_limit=2)])
    a, b, c = (_card(owner, board_id, t) for t in ("a", "b", "c"))
    _move(other, b, "peak", "requested", after=None)  # someone was faster with b
    outcomes = bulk.move_many(
        principal=owner,
        moves=[bulk.Move(card.id, "encore", "in_review", card.revision) for card in (a, b, c)],
    )
    assert [o.card is not None for o in outcomes] == [True, False, True]
    assert outcomes[1].refused.startswith(f"{other.display_name} changed this card") and not outcomes[0].refused
    assert _column(board_id, "encore", "in_review") == ["a", "c"] and _column(board_id, "peak") == ["b"]
    with pytest.raises(Invalid, match="named twice"):
        bulk.move_many(principal=owner, moves=[bulk.Move(a.id, "peak", "requested", 2)] * 2)

    assert isinstance(client, TestClient)
    headers = _auth(("JP", "CN"))
    moves = {"moves": [{"card_id": str(b.id), "phase": "encore", "status": "live", "expected_revision": 1}]}
    refused = client.post("/api/v1/cards/moves", headers=headers, json=moves).json()
    assert refused[0]["card"] is None and "changed this card" in refused[0]["refused"]
    moves["moves"][0]["expected_revision"] = 2
    full = client.post("/api/v1/cards/moves", headers=headers, json=moves).json()
    assert full[0]["refused"] == "encore is full: its limit is 2 cards"  # nothing half-moved
    reader = _auth(("JP", "CN"), role="viewer")
    assert client.post("/api/v1/cards/moves", headers=reader, json=moves).status_code == 403


def test_a_phase_gets_new_dates_and_limits_but_never_a_hard_limit_below_its_cards(
    services: dict[str, str], client: object
) -> None:
    from datetime import date

    from fastapi.testclient import TestClient

    from dam_app.boards import columns
    from tests.boards.test_boards_api import _auth

    owner = _person()
    board_id = _board(owner)
    for title in ("a", "b", "c"):
        _card(owner, board_id, title, phase="peak")
    with session_scope() as session, pytest.raises(Invalid, match="peak holds 3 cards: a hard limit of 2"):
        columns.update_column(
            session=session, principal=owner, board_id=board_id, spec=service.ColumnSpec("peak", hard_limit=2)
        )
    spec = service.ColumnSpec("peak", date(2027, 11, 1), date(2027, 11, 11), soft_limit=2, hard_limit=3)
    with session_scope() as session:
        columns.update_column(session=session, principal=owner, board_id=board_id, spec=spec)
    with pytest.raises(room.ColumnFull, match="peak is full"):
        _move(owner, _card(owner, board_id, "d"), "peak", "requested", after=None)

    assert isinstance(client, TestClient)
    url = f"/api/v1/boards/{board_id}/columns/peak"
    editor, reader = _auth(("JP", "CN")), _auth(("JP", "CN"), role="viewer")
    body = {"starts_on": "2027-11-02", "ends_on": "2027-11-01", "soft_limit": None, "hard_limit": None}
    assert client.put(url, headers=editor, json=body).status_code == 422  # ends before it starts
    body["ends_on"] = "2027-11-12"
    assert client.put(url, headers=reader, json=body).status_code == 403
    changed = client.put(url, headers=editor, json=body)
    assert changed.status_code == 200 and (changed.json()["hard_limit"], changed.json()["count"]) == (None, 3)
    assert client.put(f"/api/v1/boards/{board_id}/columns/no-such", headers=editor, json=body).status_code == 404


def test_a_status_limit_holds_across_phases_even_for_two_last_place_moves(
    services: dict[str, str], client: object
) -> None:
    from fastapi.testclient import TestClient

    from dam_app.boards import columns
    from tests.boards.test_boards_api import _auth

    owner = _person()
    board_id = _board(owner)
    _card(owner, board_id, "in review already", phase="peak", status="in_review")
    with session_scope() as session:
        columns.update_status_limit(
            session=session, principal=owner, board_id=board_id, status="in_review", soft_limit=1, hard_limit=2
        )
    contenders = [_card(owner, board_id, f"contender {i}", phase=("warm-up", "encore")[i % 2]) for i in range(6)]

    def attempt(card: Card) -> str:
        try:
            _move(owner, card, card.phase, "in_review", after=None)  # same phase, new status
            return "moved"
        except room.ColumnFull as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, contenders))
    assert outcomes.count("moved") == 1
    assert outcomes.count("in review is full: its limit is 2 cards across the board") == 5
    with pytest.raises(room.ColumnFull):
        _card(owner, board_id, "straight into review", status="in_review")
    with session_scope() as session, pytest.raises(Invalid, match="in review holds 2 cards"):
        columns.update_status_limit(
            session=session, principal=owner, board_id=board_id, status="in_review", soft_limit=None, hard_limit=1
        )

    assert isinstance(client, TestClient)
    editor, reader = _auth(("JP", "CN")), _auth(("JP", "CN"), role="viewer")
    url = f"/api/v1/boards/{board_id}/statuses/in_review"
    assert client.put(url, headers=reader, json={"hard_limit": 5}).status_code == 403
    assert client.put(f"/api/v1/boards/{board_id}/statuses/done", headers=editor, json={}).status_code == 404
    changed = client.put(url, headers=editor, json={"soft_limit": 3, "hard_limit": None}).json()
    assert (changed["soft_limit"], changed["hard_limit"], changed["count"]) == (3, None, 2)
