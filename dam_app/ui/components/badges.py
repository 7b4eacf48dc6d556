"""Small status badges used on cards and the detail page."""

from __future__ import annotations

import reflex as rx


def status_badge(status: rx.Var[str] | str) -> rx.Component:
    return rx.match(
        status,
        ("ready", rx.badge("ready", color_scheme="green")),
        ("failed", rx.badge("failed", color_scheme="red")),
        ("succeeded", rx.badge("succeeded", color_scheme="green")),
        ("running", rx.badge("running", color_scheme="blue")),
        ("queued", rx.badge("queued", color_scheme="gray")),
        rx.badge(status, color_scheme="amber"),
    )
