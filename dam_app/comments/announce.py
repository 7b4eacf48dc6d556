"""What a new comment tells others, once its transaction commits: the people it @names (their
inbox and an alert), and the asset's open pages plus the people who follow the asset or took part
in the thread (an alert: notify/recipients.py)."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.assets.models import Asset, Version
from dam_app.comments.models import Comment, CommentMention
from dam_app.events import Audience, CommentAdded, CommentMentioned
from dam_app.reactions import publish_on_commit

EXCERPT = 280  # characters of the comment an alert quotes


def mentioned(session: Session, principal: Principal, asset: Asset, comment: Comment, users: list[User]) -> None:
    """Put the comment in these people's inbox and alert them."""
    if not users or comment.id is None:
        return
    for user in users:
        session.add(CommentMention(comment_id=comment.id, user_id=user.id))
    publish_on_commit(
        session,
        CommentMentioned(
            asset_id=asset.id,
            audience=Audience.of(asset),
            comment_id=comment.id,
            mentioned=tuple(str(u.id) for u in users),
            by=_name(principal),
            by_id=principal.user_id,
            excerpt=comment.body[:EXCERPT],
            internal=comment.internal,
        ),
    )


def added(session: Session, principal: Principal, asset: Asset, comment: Comment, named: list[User]) -> None:
    """Tell the asset's open pages and its followers of a new comment or reply."""
    if comment.id is None:
        return
    thread_id = comment.parent_id or comment.id
    earlier = session.exec(
        select(Comment.author_id)
        .where(or_(col(Comment.id) == thread_id, col(Comment.parent_id) == thread_id), col(Comment.id) != comment.id)
        .where(col(Comment.author_id).is_not(None))
        .distinct()
    ).all()
    version = session.get(Version, comment.version_id)
    publish_on_commit(
        session,
        CommentAdded(
            asset_id=asset.id,
            audience=Audience.of(asset),
            comment_id=comment.id,
            thread_id=thread_id,
            version_label=version.label if version is not None else "",
            by=_name(principal),
            by_id=principal.user_id,
            excerpt=comment.body[:EXCERPT],
            internal=comment.internal,
            participants=tuple(sorted(str(author) for author in earlier)),
            mentioned=tuple(str(u.id) for u in named),
        ),
    )


def _name(principal: Principal) -> str:
    return principal.display_name or principal.email
