"""Admin: users with their roles and market scopes; the system's queue and job health."""

from __future__ import annotations

import reflex as rx

from dam_app.accounts import service as accounts
from dam_app.accounts import throttle
from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.db import session_scope
from dam_app.runtime.health import collect_status
from dam_app.ui.state import offload
from dam_app.ui.state.market_stages import MarketStagesState
from dam_app.ui.state.rule_packs import RulePacksState
from dam_app.ui.state.session import SessionState


def _users(principal: Principal) -> list[dict[str, str]] | None:
    """The user rows, or None when the caller may not list users."""
    try:
        with session_scope() as session:
            users = accounts.list_users(session=session, principal=principal)
    except PermissionDenied:
        return None
    return [
        {
            "email": u.email,
            "name": u.display_name,
            "role": u.role,
            "scope": "all markets" if u.all_regions else ", ".join(u.region_codes) or "own uploads",
        }
        for u in users
    ]


def _lockouts(principal: Principal) -> list[dict[str, str]]:
    with session_scope() as session:
        rows = throttle.locked_keys(session=session, principal=principal)
    return [
        {
            "key": r.key,
            "who": r.key.split(":", 1)[-1],
            "kind": "account" if r.key.startswith("account:") else "address",
            "failures": str(r.failures),
            "until": f"{r.blocked_until:%Y-%m-%d %H:%M} UTC" if r.blocked_until else "",
        }
        for r in rows
    ]


def _unlock(principal: Principal, key: str) -> list[dict[str, str]]:
    with session_scope() as session:
        throttle.unlock(session=session, principal=principal, key=key)
    return _lockouts(principal)


class AdminState(SessionState):
    users: list[dict[str, str]] = []
    health: list[list[str]] = []
    failures: list[dict[str, str]] = []
    lockouts: list[dict[str, str]] = []
    denied: bool = False

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return
        users = await self._blocking(_users, principal)
        if users is None:
            self.denied = True
            return
        self.denied = False
        self.users = users
        self.lockouts = await self._blocking(_lockouts, principal)
        report = await self._blocking(collect_status)  # database and Redis round trips
        self.failures = [{k: str(v) for k, v in f.items()} for f in report.pop("failed_stages", [])]
        self.health = [[k.replace("_", " "), str(v)] for k, v in report.items()]
        return [RulePacksState.load, MarketStagesState.load_stages]

    @rx.event
    @offload.guarded
    async def unlock(self, key: str):
        """Lift a sign-in lockout now (audited as auth.unlocked)."""
        principal = await self._principal()
        if principal is None:
            return
        self.lockouts = await self._blocking(_unlock, principal, key)
