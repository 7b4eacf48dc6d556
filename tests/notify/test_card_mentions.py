"""An @mention in a comment on a board card reaches the person named, on their own channels, with a
link to the card; nobody else (not the author, not a team channel); a person who cannot open the card
cannot be named; a comment never makes a teammate's move stale."""

from __future__ import annotations

import uuid

import pytest

from dam_app.boards import card_comments, service
from dam_app.db import session_scope
from dam_app.errors import Invalid
from dam_app.notify import jobs
from tests.notify import helpers
from tests.notify.receivers import HttpReceiver


def test_a_mention_on_a_card_reaches_only_the_person_named(receiver: HttpReceiver, admin, fast_retries: None) -> None:
    manager = helpers.person(regions=["JP", "CN"], name="Mei")
    named, bystander = (helpers.person(regions=["JP"], name=n) for n in ("Kenji", "Aiko"))
    berlin = helpers.person(regions=["DE"], name="Lena")
    for who in (manager, named, bystander, berlin):
        helpers.add_channel(who, receiver.url("json", f"/{who.display_name}"))
    helpers.add_channel(admin, receiver.url("json", "/team-jp"), team=True, markets=["JP"])
    with session_scope() as session:
        board = service.create_board(
            session=session, principal=manager, campaign=f"Golden Week {uuid.uuid4().hex[:6]}", markets=["JP"]
        )
        card = service.add_card(
            session=session, principal=manager, board_id=board.id, fields=service.CardFields("Hero banner", "peak")
        )
    kenji = named.email.split("@")[0]
    with session_scope() as session:
        card_comments.add_comment(
            session=session, principal=manager, card_id=card.id, body=f"@{kenji} can you take the 9:16 cut?"
        )
    jobs.drain()
    got = {r.path: r.fields() for r in receiver.wait_for(1)}
    assert set(got) == {"/Kenji"}
    assert got["/Kenji"]["title"] == "Mei mentioned you: Hero banner"
    assert "can you take the 9:16 cut?" in got["/Kenji"]["message"] and f"/cards/{card.id}" in got["/Kenji"]["message"]

    with session_scope() as session, pytest.raises(Invalid, match="cannot see this request"):
        card_comments.add_comment(
            session=session, principal=manager, card_id=card.id, body=f"@{berlin.email} please check"
        )
    with session_scope() as session:  # the comment left the card's revision alone
        moved = service.move_card(
            session=session, principal=named, card_id=card.id, phase="encore", status="requested", after=None,
            expected_revision=card.revision,
        )  # fmt: skip
        assert moved.revision == card.revision + 1
        said = card_comments.comments_of(session=session, principal=bystander, card_id=card.id)
    assert [c.body for c in said] == [f"@{kenji} can you take the 9:16 cut?"]
    jobs.drain()
    assert sorted(r.path for r in receiver.received) == ["/Kenji"]
