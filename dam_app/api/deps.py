"""Request-scoped session and caller: session cookie (browser) or Bearer API token (scripts)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from dam_app.accounts import service as accounts
from dam_app.accounts.principal import Principal
from dam_app.db import session_scope

SESSION_COOKIE = "dam_session"


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


# scope="function": the session commits and returns its connection as soon as the route returns, not
# after the response has been sent (a download streaming for minutes held a pooled connection).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_principal(request: Request) -> Principal:
    """Resolved in a short read-only transaction of its own, closed before the route runs: the route's
    session then takes the request's only connection (never a second one while this one is held)."""
    header = request.headers.get("authorization", "")
    with session_scope() as session:
        user = None
        if header.lower().startswith("bearer "):
            user = accounts.user_for_api_token(session=session, token=header[7:].strip())
        elif cookie := request.cookies.get(SESSION_COOKIE):
            user = accounts.user_for_session_token(session=session, token=cookie)
        if user is None:
            raise HTTPException(
                401,
                "not signed in: send a session cookie or 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return accounts.principal_for(session=session, user=user)


PrincipalDep = Annotated[Principal, Depends(current_principal)]
