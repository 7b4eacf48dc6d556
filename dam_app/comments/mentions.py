"""@mentions in what people write (asset comments, card comments): who is named, and whether each
of them may read what they would be sent to; the text itself, trimmed and within its limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from sqlalchemy import func
from sqlmodel import Session, col, select

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.comments.models import INTERNAL_PERMISSION
from dam_app.errors import Invalid

MAX_BODY = 5000
MAX_MENTIONS = 20
_MENTION = re.compile(r"(?<![\w@.])@([\w+-]+(?:\.[\w+-]+)*(?:@[\w-]+(?:\.[\w-]+)+)?)")


def body_of(body: str) -> str:
    """The comment's text, trimmed; refused when empty or too long."""
    text = body.strip()
    if not text:
        raise Invalid("write something: a comment cannot be empty")
    if len(text) > MAX_BODY:
        raise Invalid(f"the comment is {len(text)} characters; at most {MAX_BODY}")
    return text


def people_named(
    session: Session,
    text: str,
    *,
    markets: list[str],
    created_by: uuid.UUID | None,
    internal: bool = False,
    what: str = "this asset",
    may_open: Callable[[Principal], bool] | None = None,
) -> list[User]:
    """The people @named, each of whom must exist and be able to read what they are sent to (a
    subject of these markets, made by `created_by`; `may_open`: the subject's own rule instead)."""
    names = list(dict.fromkeys(m.lower() for m in _MENTION.findall(text)))
    if len(names) > MAX_MENTIONS:
        raise Invalid(f"at most {MAX_MENTIONS} people may be mentioned in one comment")
    found: list[User] = []
    for name in names:
        user = _user_named(session, name)
        if user is None:
            raise Invalid(f"no one is called @{name}: mention people by e-mail or by the part before the @")
        principal = accounts.principal_for(session=session, user=user)
        if not principal.can("asset.read") or not (
            may_open(principal) if may_open else principal.may_see_markets(markets, created_by)
        ):
            raise Invalid(
                f"@{name} cannot see {what} (it is for {', '.join(markets) or 'no market'}); they were not told"
            )
        if internal and not principal.can(INTERNAL_PERMISSION):
            raise Invalid(f"@{name} cannot read internal comments; they were not told")
        found.append(user)
    return found


def _user_named(session: Session, name: str) -> User | None:
    if "@" in name:
        return session.exec(select(User).where(func.lower(User.email) == name, col(User.is_active))).first()
    matches = session.exec(
        select(User).where(func.lower(User.email).startswith(f"{name}@", autoescape=True), col(User.is_active))
    ).all()
    return matches[0] if len(matches) == 1 else None
