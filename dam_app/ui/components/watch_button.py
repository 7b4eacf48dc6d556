"""The asset page's Watch toggle: hear of new versions and decisions of this asset (alerts)."""

from __future__ import annotations

import reflex as rx

from dam_app.ui import routes
from dam_app.ui.state.alerts import WatchState


def watch_button() -> rx.Component:
    """Hidden until the asset is known readable; "Watching" while alerts for it are on."""
    return rx.box(
        rx.cond(
            WatchState.known,
            rx.hstack(
                rx.button(
                    rx.icon(rx.cond(WatchState.watching, "bell-ring", "bell"), size=14),
                    rx.cond(WatchState.watching, "Watching", "Watch"),
                    size="1",
                    variant=rx.cond(WatchState.watching, "solid", "soft"),
                    on_click=WatchState.toggle,
                    id="watch-toggle",
                ),
                rx.link("Alert settings", href=routes.ALERT_SETTINGS, size="1"),
                align="center",
            ),
        ),
        on_mount=WatchState.check,
    )
