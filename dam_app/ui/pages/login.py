"""Sign in."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import busy_banner
from dam_app.ui.state.session import SessionState


def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("layers", size=26), rx.heading("dam_app", size="6"), align="center"),
                    rx.text("Sign in to your asset library", color_scheme="gray"),
                    rx.input(name="email", placeholder="E-mail", type="email", width="100%", id="email"),
                    rx.input(name="password", placeholder="Password", type="password", width="100%", id="password"),
                    rx.cond(
                        SessionState.login_error != "",
                        rx.callout(
                            SessionState.login_error,
                            color_scheme="red",
                            icon="triangle-alert",
                            id="login-error",
                        ),
                    ),
                    busy_banner(),
                    rx.button("Sign in", type="submit", width="100%", loading=SessionState.signing_in, id="sign-in"),
                    spacing="3",
                ),
                on_submit=SessionState.login,
                reset_on_submit=False,
            ),
            width="360px",
        ),
        height="100vh",
        background=rx.color("gray", 2),
    )
