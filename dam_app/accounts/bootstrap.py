"""The first administrator: always admin@dam.local, with a password that is never a default in production.

On the embedded database (a laptop, a demo) the password is the README's, so a newcomer can sign in.
Against an external database the README's password is refused and, unless one is configured, a
random one is generated and shown exactly once, when the account is created.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import select

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.config import DEMO_PASSWORD, get_settings
from dam_app.db import session_scope

ADMIN_EMAIL = "admin@dam.local"


class DefaultSecretRefused(RuntimeError):
    """A production setting still holds a value printed in the README."""


@dataclass(frozen=True)
class AdminLogin:
    email: str
    password: str | None  # None: the account existed already; its password is whatever was set then
    generated: bool = False


def ensure_admin(*, external_database: bool) -> AdminLogin:
    configured = get_settings().admin_password
    if external_database and configured == DEMO_PASSWORD:
        raise DefaultSecretRefused(
            "DAM_ADMIN_PASSWORD is the demo password printed in the README, and this is an external "
            "database: set DAM_ADMIN_PASSWORD to a password of your own (10 characters or more), or "
            "unset it to have one generated and printed once."
        )
    with session_scope() as session:
        if session.exec(select(User.id).where(User.email == ADMIN_EMAIL)).first() is not None:
            return AdminLogin(ADMIN_EMAIL, None if external_database else configured or DEMO_PASSWORD)
        generated = external_database and not configured
        password = configured or (secrets.token_urlsafe(15) if generated else DEMO_PASSWORD)
        accounts.create_user(
            session=session,
            email=ADMIN_EMAIL,
            password=password,
            role="admin",
            display_name="Administrator",
            all_regions=True,
        )
    return AdminLogin(ADMIN_EMAIL, password, generated)
