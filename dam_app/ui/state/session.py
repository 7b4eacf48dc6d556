"""Who is signed in, for every page: login through the API's HttpOnly cookie, logout, guards."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import ParamSpec, TypeVar

import reflex as rx
from sqlmodel import col, select

from dam_app.accounts import service as accounts
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.accounts.models import User
from dam_app.accounts.principal import Principal
from dam_app.api.deps import SESSION_COOKIE
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.ui import routes
from dam_app.ui.state import offload

P = ParamSpec("P")
T = TypeVar("T")


def _login_code(email: str, password: str, address: str | None) -> tuple[User, str] | str:
    """The signed-in user and the one-time code for the cookie exchange, or why sign-in was refused."""
    try:
        signed_in = sign_in(email=email, password=password, address=address, hours=get_settings().session_hours)
    except SignInRefused as refused:
        return refused.message
    with session_scope() as session:
        user = session.get(User, signed_in.user_id)
        assert user is not None
        return user, signed_in.exchange_code


def principals_of_users(user_ids: list[str]) -> dict[str, Principal]:
    """The active users' principals as they are now, in one session (the live feed's check)."""
    with session_scope() as session:
        users = session.exec(select(User).where(col(User.id).in_([uuid.UUID(u) for u in user_ids]))).all()
        return {str(u.id): accounts.principal_for(session=session, user=u) for u in users if u.is_active}


def principal_of_user(user_id: str) -> Principal | None:
    """The user's principal as it is now (None: no such user, or deactivated)."""
    with session_scope() as session:
        user = session.get(User, uuid.UUID(user_id))
        if user is None or not user.is_active:
            return None
        return accounts.principal_for(session=session, user=user)


def _user_for_token(token: str) -> User | None:
    with session_scope() as session:
        return accounts.user_for_session_token(session=session, token=token)


def _end_session(token: str) -> None:
    with session_scope() as session:
        accounts.end_session(session=session, token=token)


class SessionState(rx.State):
    """The signed-in user; `_user_id` is a backend-only var the browser can neither read nor set."""

    _user_id: str = ""
    user_email: str = ""
    user_name: str = ""
    user_role: str = ""
    user_scope: str = ""
    login_error: str = ""
    signing_in: bool = False
    busy_message: str = ""  # "Server busy, retrying…": the layout's banner (offload.py)

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.user_email)

    async def _blocking(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run database or model work off the event loop; retried, with a banner, while the database is busy."""
        return await offload.call(self, fn, *args, **kwargs)

    async def _principal(self) -> Principal | None:
        return await self._blocking(principal_of_user, self._user_id) if self._user_id else None

    def _adopt(self, user: User) -> None:
        self._user_id = str(user.id)
        self.user_email = user.email
        self.user_name = user.display_name
        self.user_role = user.role
        self.user_scope = "All markets" if user.all_regions else ", ".join(user.region_codes) or "Own uploads"

    def _forget(self) -> None:
        self._user_id = ""
        self.user_email = self.user_name = self.user_role = self.user_scope = ""

    async def _clear_pages(self) -> None:
        """Another person in this tab (or nobody): every page state goes back to its defaults, so no
        page shows what the last person was shown while it loads for the next (an editor's buttons,
        an asset outside the new person's markets)."""
        pending = list(type(self).get_substates())
        while pending:
            page = pending.pop()
            pending.extend(page.get_substates())
            (await self.get_state(page)).reset()

    def _session_token(self) -> str | None:
        morsel = SimpleCookie(self.router.headers.cookie or "").get(SESSION_COOKIE)
        return None if morsel is None else morsel.value

    async def _user_from_cookie(self) -> User | None:
        token = self._session_token()
        return None if token is None else await self._blocking(_user_for_token, token)

    @rx.event
    @offload.guarded
    async def require_login(self):
        """on_load guard: keep the user when the cookie still names them, else go to the login page."""
        if await self._principal() is not None:
            return None
        user = await self._user_from_cookie()
        if user is None:
            if self._user_id:
                await self._clear_pages()
            self._forget()
            return rx.redirect(routes.LOGIN)
        if self._user_id and str(user.id) != self._user_id:
            await self._clear_pages()
        self._adopt(user)
        return None

    @rx.event
    @offload.guarded
    async def login(self, form_data: dict[str, str]):
        email, password = form_data.get("email", "").strip(), form_data.get("password", "")
        if not email or not password:
            self.login_error = "Enter your e-mail and password."
            return
        self.signing_in = True
        yield
        address = self.router.session.client_ip or None
        try:
            result = await self._blocking(_login_code, email, password, address)
        finally:  # also when the database stayed busy: the button must not keep spinning
            self.signing_in = False
        if isinstance(result, str):
            self.login_error = result
            return
        user, code = result
        if str(user.id) != self._user_id:
            await self._clear_pages()
        self._adopt(user)
        self.login_error = ""
        body = json.dumps({"code": code})
        yield rx.call_script(
            f"fetch('{routes.AUTH_EXCHANGE}', {{method: 'POST', credentials: 'same-origin', "
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
    @offload.guarded
    async def logout(self):
        """Revoke the session, then leave: the redirect waits for the logout call, which a navigation
        started at the same time could abort, leaving the cookie's session alive."""
        token = self._session_token()
        if token is not None:
            await self._blocking(_end_session, token)
        self._forget()
        await self._clear_pages()
        return rx.call_script(
            f"fetch('{routes.AUTH_LOGOUT}', {{method: 'POST', credentials: 'same-origin'}}).then(r => r.status)",
            callback=SessionState.after_logout,
        )

    @rx.event
    def after_logout(self, _status: int):
        return rx.redirect(routes.LOGIN)
