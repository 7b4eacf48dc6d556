"""Small form pieces every panel of the asset page shares: a Save / Cancel pair, and a text area
with one under it (a reply, an edit)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def save_cancel(label: str, on_save: Any, on_cancel: Any, **save: Any) -> rx.Component:
    """The panel's action and a quiet Cancel; `save` goes to the action's button (an id, a class)."""
    return rx.hstack(
        rx.button(label, on_click=on_save, size="1", **save),
        rx.button("Cancel", on_click=on_cancel, size="1", variant="soft", color_scheme="gray"),
        align="center",
    )


def text_form(value: Any, on_change: Any, label: str, on_save: Any, on_cancel: Any, **ids: str) -> rx.Component:
    """A text area (`area_id`, `placeholder`) with `label` / Cancel under it (`save_id`)."""
    return rx.vstack(
        rx.text_area(
            placeholder=ids.get("placeholder", ""),
            value=value,
            on_change=on_change,
            max_length=5000,
            width="100%",
            id=ids["area_id"],
        ),
        save_cancel(label, on_save, on_cancel, id=ids["save_id"]),
        width="100%",
    )
