"""Duplicates: groups of assets that are the same picture (resized, recompressed, slightly cropped)."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.asset_card import look_alike_card
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.duplicates import DuplicatesState


def _group(group: rx.Var[dict]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(
                group["size"].to(str),
                " copies of one picture · similarity at least ",
                group["similarity"].to(str),
                " · the oldest comes first",
                size="2",
                color_scheme="gray",
            ),
            rx.flex(rx.foreach(group["assets"].to(list[dict[str, str]]), look_alike_card), wrap="wrap", gap="3"),
        ),
        class_name="duplicate-group",
        width="100%",
    )


@signed_in_page("Duplicates")
def duplicates_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Duplicates", size="7"),
        rx.text(
            "The same picture stored as different assets. Keep one and archive the rest, or link them as versions.",
            size="2",
            color_scheme="gray",
        ),
        rx.cond(
            DuplicatesState.groups.length() > 0,
            rx.vstack(rx.foreach(DuplicatesState.groups, _group), width="100%", spacing="3"),
            rx.callout("No near duplicates in your markets.", icon="circle-check", id="no-duplicates"),
        ),
        width="100%",
        spacing="4",
    )
