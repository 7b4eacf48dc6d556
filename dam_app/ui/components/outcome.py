"""What a panel's last action said: a green line for the outcome, a red one for a refusal."""

from __future__ import annotations

from typing import Any

import reflex as rx


def outcome(text: Any, *, ok: bool, id: str) -> rx.Component:
    """Shown only while `text` (a state var) is not empty; `id` lets tests find it."""
    return rx.cond(text != "", rx.text(text, color_scheme="green" if ok else "red", size="2", id=id))
