"""Users carry a role and the markets they may see; sessions and tokens are stored hashed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from dam_app.fields import text_array_field, timestamp_field


class Role(SQLModel, table=True):
    """admin, editor, reviewer, viewer: rows so that later issues can add roles without code."""

    __tablename__ = "roles"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=80)
    permissions: list[str] = text_array_field()


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    password_hash: str
    role: str = Field(foreign_key="roles.code", max_length=32)
    region_codes: list[str] = text_array_field()
    all_regions: bool = Field(default=False, description="Unrestricted by market")
    time_zone: str = Field(default="UTC", max_length=64)
    is_active: bool = True
    created_at: datetime = timestamp_field()
    last_login_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class AuthSession(SQLModel, table=True):
    """A browser login; the cookie holds a random token whose sha256 is stored here."""

    __tablename__ = "auth_sessions"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    exchange_code_hash: str | None = Field(default=None, max_length=64, unique=True)
    exchange_expires_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field(default_now=False)
    revoked_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    last_seen_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class ApiToken(SQLModel, table=True):
    """A personal token for scripts and the API; shown once, stored as sha256."""

    __tablename__ = "api_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    prefix: str = Field(max_length=12)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = timestamp_field()
    last_used_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    expires_at: datetime | None = timestamp_field(nullable=True, default_now=False)
    revoked_at: datetime | None = timestamp_field(nullable=True, default_now=False)


class LoginThrottle(SQLModel, table=True):
    """Failed password attempts against one key ("account:<email>", "address:<ip>", later a share link),
    counted in a window; `blocked_until` is the growing delay or, past the limit, the lockout."""

    __tablename__ = "login_throttles"

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    window_started_at: datetime = timestamp_field()
    last_failure_at: datetime = timestamp_field()
    blocked_until: datetime | None = timestamp_field(nullable=True, default_now=False)
    locked: bool = Field(default=False, description="A lockout (past the limit), not just a delay")
