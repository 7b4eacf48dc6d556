"""The shell every signed-in page shares: sidebar navigation, user box, content area."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from dam_app.ui import routes
from dam_app.ui.state.session import SessionState

NAV = [
    ("Library", routes.LIBRARY, "images"),
    ("Search", routes.SEARCH, "search"),
    ("Duplicates", routes.DUPLICATES, "copy"),
    ("Boards", routes.BOARDS, "kanban"),
    ("Review", routes.REVIEW, "circle-check"),
    ("Audit", routes.AUDIT, "scroll-text"),
    ("Shares", routes.SHARES, "share-2"),
    ("Analytics", routes.ANALYTICS, "chart-column"),
    ("Admin", routes.ADMIN, "settings"),
    ("Alerts", routes.ALERT_SETTINGS, "bell"),
]


def _nav_item(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(label, size="3"), align="center", spacing="3"),
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        padding="0.5em 0.75em",
        border_radius="8px",
        _hover={"background": rx.color("accent", 3)},
        width="100%",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("layers", size=24, color=rx.color("accent", 9)),
            rx.heading("dam_app", size="5"),
            align="center",
            padding_bottom="1em",
        ),
        *[_nav_item(*item) for item in NAV],
        rx.spacer(),
        rx.vstack(
            rx.text(SessionState.user_name, weight="bold", size="2"),
            rx.text(SessionState.user_role, " · ", SessionState.user_scope, size="1", color_scheme="gray"),
            rx.button(
                rx.icon("log-out", size=14),
                "Sign out",
                variant="soft",
                size="1",
                on_click=SessionState.logout,
                id="sign-out",
            ),
            spacing="1",
            align="start",
        ),
        width="220px",
        min_width="220px",
        height="100vh",
        position="sticky",
        top="0",
        padding="1.25em",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
        display=["none", "none", "flex"],
    )


def top_nav() -> rx.Component:
    """On phones and small tablets the sidebar folds into a scrollable bar of links."""
    return rx.hstack(
        *[
            rx.link(rx.icon(icon, size=16), label, href=href, size="2", white_space="nowrap")
            for label, href, icon in NAV
        ],
        rx.button("Sign out", size="1", variant="soft", on_click=SessionState.logout),
        spacing="4",
        overflow_x="auto",
        padding_bottom="0.75em",
        margin_bottom="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        display=["flex", "flex", "none"],
    )


def busy_banner() -> rx.Component:
    """Says when the database is overloaded or away while handlers retry (state/offload.py)."""
    return rx.cond(
        SessionState.busy_message != "",
        rx.callout(
            SessionState.busy_message,
            icon="hourglass",
            color_scheme="amber",
            width="100%",
            margin_bottom="1em",
            id="busy-banner",
            custom_attrs={"role": "status"},
        ),
    )


def page_shell(content: rx.Component) -> rx.Component:
    return rx.hstack(
        sidebar(),
        rx.box(top_nav(), busy_banner(), content, padding=["1em", "1.5em", "2em"], width="100%", min_width="0"),
        spacing="0",
        align="start",
        width="100%",
    )


def signed_in_page(title: str) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Wrap a page body in the shell; pages add their own on_load after the login guard."""

    def decorator(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            waiting = rx.center(rx.vstack(busy_banner(), rx.spinner(), align="center"), height="100vh")
            return rx.cond(SessionState.signed_in, page_shell(body()), waiting)

        page.__name__ = body.__name__
        page.__doc__ = title
        return page

    return decorator
