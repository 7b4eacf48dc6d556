"""Login, the one-time-code exchange that sets the HttpOnly cookie, logout, API tokens."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel

from dam_app.accounts import service as accounts
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.api.deps import SESSION_COOKIE, PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, Text, errors
from dam_app.config import get_settings
from dam_app.db import session_scope

router = APIRouter(prefix="/auth", tags=["auth"], responses={**COMMON_ERRORS, **errors(400)})


class LoginIn(BaseModel):
    email: Text
    password: Text


class ExchangeIn(BaseModel):
    code: Text


class TokenIn(BaseModel):
    name: Text
    days: int | None = 365


class TokenOut(BaseModel):
    id: str
    name: str
    token: str
    expires_at: str | None


class MeOut(BaseModel):
    id: str | None
    email: str
    display_name: str
    role: str
    regions: list[str]
    all_regions: bool


def _set_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


@router.post("/login", responses=errors(429))
def login(body: LoginIn, request: Request, response: Response) -> dict[str, str]:
    """Password login for a browser: sets the session cookie. Failed guesses meet growing delays,
    then a 15-minute lockout (429 with Retry-After)."""
    address = request.client.host if request.client else None
    try:
        signed_in = sign_in(
            email=body.email, password=body.password, address=address, hours=get_settings().session_hours
        )
    except SignInRefused as refused:
        if refused.throttled:
            raise HTTPException(429, refused.message, headers={"Retry-After": str(refused.retry_after_s)}) from None
        raise HTTPException(401, refused.message) from None
    with session_scope() as session:
        token = accounts.redeem_exchange_code(session=session, code=signed_in.exchange_code)
    assert token is not None
    _set_cookie(response, token)
    return {"status": "signed in"}


@router.post("/exchange")
def exchange(body: ExchangeIn, response: Response, session: SessionDep) -> dict[str, str]:
    """Trade the one-time code minted by the UI's login handler for the HttpOnly session cookie."""
    token = accounts.redeem_exchange_code(session=session, code=body.code)
    if token is None:
        raise HTTPException(401, "login code expired or already used; sign in again")
    _set_cookie(response, token)
    return {"status": "signed in"}


@router.post("/logout")
def logout(request: Request, response: Response, session: SessionDep) -> dict[str, str]:
    if cookie := request.cookies.get(SESSION_COOKIE):
        accounts.end_session(session=session, token=cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"status": "signed out"}


@router.get("/me")
def me(principal: PrincipalDep) -> MeOut:
    return MeOut(
        id=str(principal.user_id) if principal.user_id else None,
        email=principal.email,
        display_name=principal.display_name,
        role=principal.role,
        regions=sorted(principal.region_codes),
        all_regions=principal.all_regions,
    )


@router.post("/tokens", status_code=201)
def create_token(body: TokenIn, principal: PrincipalDep, session: SessionDep) -> TokenOut:
    """A personal API token, shown once; send it as `Authorization: Bearer <token>`."""
    if principal.user_id is None:
        raise HTTPException(400, "system identity cannot hold tokens")
    if body.days is not None and not 1 <= body.days <= 3650:
        raise HTTPException(422, "days must be between 1 and 3650")
    issued = accounts.issue_api_token(session=session, user_id=principal.user_id, name=body.name[:120], days=body.days)
    expires = issued.record.expires_at.isoformat() if issued.record.expires_at else None
    return TokenOut(id=str(issued.record.id), name=issued.record.name, token=issued.token, expires_at=expires)
