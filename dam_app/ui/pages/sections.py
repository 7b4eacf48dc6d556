"""Sections whose features arrive with later issues; each says what it will hold."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import signed_in_page

PLANNED = {
    "Boards": "Campaign kanban boards (warm-up / peak / encore) with asset requests arrive with the boards issue.",
    "Shares": "Password-protected, expiring share links arrive with the sharing issue.",
    "Analytics": "Ad performance import and creative insights arrive with the analytics issue.",
}


def section_page(title: str):
    @signed_in_page(title)
    def body() -> rx.Component:
        return rx.vstack(rx.heading(title, size="7"), rx.text(PLANNED[title], color_scheme="gray"))

    return body
