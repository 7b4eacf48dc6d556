"""Users, login sessions and API tokens; builds the Principal every other service checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from dam_app.accounts import last_use
from dam_app.accounts.models import ApiToken, AuthSession, Role, User
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.accounts.security import hash_password, new_token, token_digest
from dam_app.audit import service as audit_service
from dam_app.catalog import service as catalog_service
from dam_app.errors import Invalid
from dam_app.fields import utcnow

EXCHANGE_CODE_TTL = timedelta(seconds=60)


class AccountError(Invalid):
    """Bad account input (unknown role or market, duplicate e-mail, weak password)."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: ApiToken


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    display_name: str | None = None,
    region_codes: list[str] | None = None,
    all_regions: bool = False,
    time_zone: str = "UTC",
    actor: Principal | None = None,
) -> User:
    if actor is not None:
        actor.require("user.manage")
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    if session.get(Role, role) is None:
        raise AccountError(f"unknown role {role!r}")
    regions = sorted({code.upper() for code in region_codes or []})
    unknown = catalog_service.unknown_markets(session=session, codes=regions)
    if unknown:
        raise AccountError(f"unknown market(s): {', '.join(unknown)}")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise AccountError(f"a user with e-mail {email} already exists")
    try:
        password_hash = hash_password(password)
    except Invalid as exc:
        raise AccountError(exc.message) from exc
    user = User(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=password_hash,
        role=role,
        region_codes=regions,
        all_regions=all_regions,
        time_zone=time_zone,
    )
    session.add(user)
    session.flush()
    audit_service.record(
        session=session,
        actor_id=actor.user_id if actor else None,
        action="user.create",
        object_type="user",
        object_id=user.id,
        details={"email": email, "role": role, "regions": regions, "all_regions": all_regions},
    )
    return user


def principal_for(*, session: Session, user: User) -> Principal:
    role = session.get(Role, user.role)
    return Principal(
        user_id=user.id,
        email=user.email,
        role=user.role,
        permissions=frozenset(role.permissions if role else []),
        region_codes=frozenset(user.region_codes),
        all_regions=user.all_regions,
        global_markets=frozenset(catalog_service.global_market_codes(session=session)),
        display_name=user.display_name,
    )


def start_session(*, session: Session, user: User, hours: int) -> tuple[str, str]:
    """Create a login session; return (session token, one-time exchange code for the cookie route)."""
    token, code = new_token(), new_token()
    now = utcnow()
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=token_digest(token),
            exchange_code_hash=token_digest(code),
            exchange_expires_at=now + EXCHANGE_CODE_TTL,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token, code


def redeem_exchange_code(*, session: Session, code: str) -> str | None:
    """Trade a one-time code for a fresh session token (the code dies on first use or after 60 s)."""
    record = session.exec(select(AuthSession).where(AuthSession.exchange_code_hash == token_digest(code))).first()
    now = utcnow()
    if record is None or record.revoked_at or not record.exchange_expires_at:
        return None
    record.exchange_code_hash = None
    session.add(record)
    if record.exchange_expires_at < now or record.expires_at < now:
        return None
    token = new_token()
    record.token_hash = token_digest(token)
    return token


def user_for_session_token(*, session: Session, token: str) -> User | None:
    record = session.exec(select(AuthSession).where(AuthSession.token_hash == token_digest(token))).first()
    if record is None or record.revoked_at or record.expires_at < utcnow():
        return None
    last_use.recorder.touch("session", record.id)  # written later, outside this transaction
    user = session.get(User, record.user_id)
    return user if user and user.is_active else None


def end_session(*, session: Session, token: str) -> None:
    record = session.exec(select(AuthSession).where(AuthSession.token_hash == token_digest(token))).first()
    if record is not None and record.revoked_at is None:
        record.revoked_at = utcnow()
        session.add(record)


def issue_api_token(*, session: Session, user_id: uuid.UUID, name: str, days: int | None = 365) -> IssuedToken:
    token = new_token("dam_")
    record = ApiToken(
        user_id=user_id,
        name=name,
        prefix=token[:8],
        token_hash=token_digest(token),
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    session.add(record)
    session.flush()
    return IssuedToken(token, record)


def user_for_api_token(*, session: Session, token: str) -> User | None:
    record = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    now = utcnow()
    if record is None or record.revoked_at or (record.expires_at and record.expires_at < now):
        return None
    last_use.recorder.touch("token", record.id)  # written later, outside this transaction
    user = session.get(User, record.user_id)
    return user if user and user.is_active else None


def revoke_api_token(*, session: Session, principal: Principal, token_id: uuid.UUID) -> None:
    record = session.get(ApiToken, token_id)
    if record is None or (record.user_id != principal.user_id and not principal.can("user.manage")):
        raise PermissionDenied("no such token for this user")
    record.revoked_at = utcnow()
    session.add(record)


def list_users(*, session: Session, principal: Principal) -> list[User]:
    principal.require("user.manage")
    return list(session.exec(select(User).order_by(col(User.email))))
