"""The asset page's "Edit details" form (state in ui/state/edit.py)."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.edit import EditState


def _labelled(label: str, control: rx.Component) -> rx.Component:
    control.style.update({"width": "100%"})  # inputs span the panel
    return rx.vstack(rx.text(label, size="1", weight="bold"), control, spacing="1", width="100%")


def _bound(field: str) -> dict[str, object]:
    """A control's value and change handler for one of the form's fields (EditState.TEXT_FIELDS)."""
    return {"value": getattr(EditState, field), "on_change": lambda value: EditState.set_field(field, value)}


def _select(label: str, field: str, items: rx.Var[list[str]]) -> rx.Component:
    return _labelled(label, rx.select(items, size="2", id=f"edit-{field}", **_bound(field)))


def _market_choice(choice: rx.Var[list[str]]) -> rx.Component:
    return rx.checkbox(
        choice[1],
        checked=EditState.markets.contains(choice[0]),
        on_change=lambda _checked: EditState.toggle_market(choice[0]),
        class_name="edit-market",
        id="edit-market-" + choice[0],
        size="2",
    )


def _tag_choice(name: rx.Var[str]) -> rx.Component:
    removed = EditState.removed_tags.contains(name)
    return rx.badge(
        name,
        rx.cond(removed, rx.icon("undo-2", size=12), rx.icon("x", size=12)),
        variant=rx.cond(removed, "outline", "soft"),
        color_scheme=rx.cond(removed, "gray", "indigo"),
        text_decoration=rx.cond(removed, "line-through", "none"),
        cursor="pointer",
        on_click=EditState.toggle_tag(name),
        class_name="edit-tag",
    )


def edit_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Edit details", size="3"),
            _labelled(
                "Title",
                rx.input(**_bound("title"), max_length=300, id="edit-title"),
            ),
            _labelled(
                "Description",
                rx.text_area(
                    **_bound("description"),
                    max_length=10_000,
                    id="edit-description",
                ),
            ),
            _labelled("Markets", rx.flex(rx.foreach(EditState.market_choices, _market_choice), wrap="wrap", gap="4")),
            rx.grid(
                _select("Content type", "content_type", EditState.content_types),
                _select("Phase", "phase", EditState.phases),
                _select("Channel", "channel", EditState.channels),
                _labelled(
                    "Language",
                    rx.input(**_bound("language"), max_length=16),
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            _labelled(
                "Campaign",
                rx.input(
                    **_bound("campaign"),
                    placeholder="e.g. Black Friday 2026 (created on first use)",
                    max_length=160,
                ),
            ),
            _labelled(
                "Tags (click one to take it off)",
                rx.flex(rx.foreach(EditState.tags, _tag_choice), wrap="wrap", gap="2"),
            ),
            _labelled(
                "Add tags",
                rx.input(
                    **_bound("new_tags"),
                    placeholder="comma separated: hero, holiday",
                    id="edit-new-tags",
                ),
            ),
            outcome(EditState.error, ok=False, id="edit-error"),
            rx.hstack(
                rx.button("Save", on_click=EditState.save, id="edit-save"),
                rx.button("Cancel", on_click=EditState.cancel, variant="soft", color_scheme="gray"),
            ),
            width="100%",
            align="start",
        ),
        width="100%",
        id="edit-panel",
    )


def edit_controls() -> rx.Component:
    """The button that opens the form, the form itself, and what the last save said."""
    return rx.vstack(
        rx.cond(
            AssetState.edit.can_edit & ~EditState.editing,
            rx.button(
                rx.icon("pencil", size=14),
                "Edit details",
                size="1",
                variant="soft",
                on_click=EditState.start,
                id="edit-open",
            ),
        ),
        outcome(EditState.message, ok=True, id="edit-ok"),
        rx.cond(EditState.editing, edit_form()),
        width="100%",
        align="start",
    )
