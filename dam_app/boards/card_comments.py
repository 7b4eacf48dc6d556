"""Comments on a request: anyone who can open the card may write one; people it @names (by e-mail,
or the part before the @) must be able to open the card too, and each is alerted once the comment
commits. A comment writes its own row and the card's history, never the card itself, so it cannot
make a teammate's move stale."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.boards import cards, service, visibility
from dam_app.boards.models import CardComment
from dam_app.comments import mentions
from dam_app.events import Audience, CardMentioned
from dam_app.reactions import publish_on_commit

EXCERPT = 280  # characters an alert quotes


def add_comment(*, session: Session, principal: Principal, card_id: uuid.UUID, body: str) -> CardComment:
    principal.require("asset.read")
    board, card = cards.held_card(session, principal, card_id)  # a delete of the card waits for this comment
    text = mentions.body_of(body)
    markets = list(card.markets or board.markets)
    named = mentions.people_named(
        session, text, markets=markets, created_by=card.created_by, what="this request",
        may_open=lambda person: visibility.sees_card(person, board, card),
    )  # fmt: skip
    comment = CardComment(card_id=card.id, author_id=principal.user_id, body=text)
    session.add(comment)
    session.flush()
    assert comment.id is not None
    service.note_change(session, principal, card, "commented", {"comment": comment.id})
    told = [u for u in named if u.id != principal.user_id]
    if told:
        publish_on_commit(
            session,
            CardMentioned(
                board_id=board.id,
                card_id=card.id,
                comment_id=comment.id,
                mentioned=tuple(str(u.id) for u in told),
                by=principal.display_name or principal.email,
                by_id=principal.user_id,
                excerpt=text[:EXCERPT],
                audience=Audience(tuple(markets), card.created_by),
            ),
        )
    return comment


def comments_of(*, session: Session, principal: Principal, card_id: uuid.UUID) -> list[CardComment]:
    """Oldest first."""
    service.visible_card(session, principal, card_id)
    return list(session.exec(select(CardComment).where(CardComment.card_id == card_id).order_by(col(CardComment.id))))
