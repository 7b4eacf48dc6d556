"""Admin: users with their roles and market scopes; the system's queue and job health."""

from __future__ import annotations

import reflex as rx

from dam_app.accounts import service as accounts
from dam_app.accounts.principal import PermissionDenied
from dam_app.db import session_scope
from dam_app.runtime.health import collect_status
from dam_app.ui.state.session import SessionState


class AdminState(SessionState):
    users: list[dict[str, str]] = []
    health: list[list[str]] = []
    failures: list[dict[str, str]] = []
    denied: bool = False

    @rx.event
    def load(self):
        principal = self.principal()
        if principal is None:
            return
        try:
            with session_scope() as session:
                users = accounts.list_users(session=session, principal=principal)
        except PermissionDenied:
            self.denied = True
            return
        self.denied = False
        self.users = [
            {
                "email": u.email,
                "name": u.display_name,
                "role": u.role,
                "scope": "all markets" if u.all_regions else ", ".join(u.region_codes) or "own uploads",
            }
            for u in users
        ]
        report = collect_status()
        self.failures = [{k: str(v) for k, v in f.items()} for f in report.pop("failed_stages", [])]
        self.health = [[k.replace("_", " "), str(v)] for k, v in report.items()]
