"""Who is signed in, for every page: login through the API's HttpOnly cookie, logout, guards."""

from __future__ import annotations

import asyncio
import json
import uuid
from http.cookies import SimpleCookie

import reflex as rx

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.api.deps import SESSION_COOKIE
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.ui import routes


def _login_code(email: str, password: str) -> tuple[str, str] | None:
    with session_scope() as session:
        user = accounts.authenticate(session=session, email=email, password=password)
        if user is None:
            return None
        _, code = accounts.start_session(session=session, user=user, hours=get_settings().session_hours)
        return str(user.id), code


class SessionState(rx.State):
    """The signed-in user; `_user_id` is a backend-only var the browser can neither read nor set."""

    _user_id: str = ""
    user_email: str = ""
    user_name: str = ""
    user_role: str = ""
    user_scope: str = ""
    login_error: str = ""
    signing_in: bool = False

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.user_email)

    def principal(self) -> Principal | None:
        if not self._user_id:
            return None
        with session_scope() as session:
            user = session.get(User, uuid.UUID(self._user_id))
            if user is None or not user.is_active:
                return None
            return accounts.principal_for(session=session, user=user)

    def _page_asset_id(self) -> str:
        """The asset id of an /assets/<id> page: the last part of its path."""
        return str(self.router.url.path).rstrip("/").rsplit("/", 1)[-1]

    def _adopt(self, user: User) -> None:
        self._user_id = str(user.id)
        self.user_email = user.email
        self.user_name = user.display_name
        self.user_role = user.role
        self.user_scope = "All markets" if user.all_regions else ", ".join(user.region_codes) or "Own uploads"

    def _forget(self) -> None:
        self._user_id = ""
        self.user_email = self.user_name = self.user_role = self.user_scope = ""

    def _user_from_cookie(self) -> User | None:
        raw = self.router.headers.cookie or ""
        morsel = SimpleCookie(raw).get(SESSION_COOKIE)
        if morsel is None:
            return None
        with session_scope() as session:
            return accounts.user_for_session_token(session=session, token=morsel.value)

    @rx.event
    def require_login(self):
        """on_load guard: keep the user when the cookie still names them, else go to the login page."""
        if self.principal() is not None:
            return None
        user = self._user_from_cookie()
        if user is None:
            self._forget()
            return rx.redirect(routes.LOGIN)
        self._adopt(user)
        return None

    @rx.event
    async def login(self, form_data: dict[str, str]):
        email, password = form_data.get("email", "").strip(), form_data.get("password", "")
        if not email or not password:
            self.login_error = "Enter your e-mail and password."
            return
        self.signing_in = True
        yield
        result = await asyncio.to_thread(_login_code, email, password)
        self.signing_in = False
        if result is None:
            self.login_error = "Wrong e-mail or password."
            return
        user_id, code = result
        with session_scope() as session:
            user = session.get(User, uuid.UUID(user_id))
            assert user is not None
            self._adopt(user)
        self.login_error = ""
        body = json.dumps({"code": code})
        yield rx.call_script(
            f"fetch('/api/v1/auth/exchange', {{method: 'POST', credentials: 'same-origin', "
            f"headers: {{'Content-Type': 'application/json'}}, body: JSON.stringify({body})}})"
            ".then(r => r.status)",
            callback=SessionState.after_exchange,
        )

    @rx.event
    def after_exchange(self, status: int):
        if status != 200:
            self._forget()
            self.login_error = "Could not start your session; please sign in again."
            return None
        return rx.redirect(routes.LIBRARY)

    @rx.event
    def logout(self):
        """Revoke the session, then leave: the redirect waits for the logout call, which a navigation
        started at the same time could abort, leaving the cookie's session alive."""
        morsel = SimpleCookie(self.router.headers.cookie or "").get(SESSION_COOKIE)
        if morsel is not None:
            with session_scope() as session:
                accounts.end_session(session=session, token=morsel.value)
        self._forget()
        return rx.call_script(
            "fetch('/api/v1/auth/logout', {method: 'POST', credentials: 'same-origin'}).then(r => r.status)",
            callback=SessionState.after_logout,
        )

    @rx.event
    def after_logout(self, _status: int):
        return rx.redirect(routes.LOGIN)
