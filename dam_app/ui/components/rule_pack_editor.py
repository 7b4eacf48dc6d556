"""The admin page's Rule packs section: choose a pack, edit it, save it as the next version, and see
its versions."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.rule_packs import HistoryRow, ListField, RulePacksState


def _list_field(f: rx.Var[ListField]) -> rx.Component:
    return rx.vstack(
        rx.text(f.name, ": ", f.label, size="1", weight="medium"),
        rx.text_area(
            value=f.text,
            on_change=lambda value: RulePacksState.set_list(f.name, value),
            rows="6",
            width="100%",
            class_name="pack-list",
            custom_attrs={"data-field": f.name},
        ),
        width="100%",
        spacing="1",
    )


def _history_row(h: rx.Var[HistoryRow]) -> rx.Component:
    return rx.table.row(rx.table.cell(h.version), rx.table.cell(h.at), rx.table.cell(h.note))


def rule_packs_section() -> rx.Component:
    s = RulePacksState
    return rx.vstack(
        rx.heading("Rule packs", size="4"),
        rx.text(
            "Every save is a new version (audited); the assets' current versions are then checked against it. "
            "One entry per line; patterns are regular expressions.",
            size="2",
            color_scheme="gray",
        ),
        rx.select.root(
            rx.select.trigger(placeholder="Choose a pack", id="pack-choice"),
            rx.select.content(rx.foreach(s.packs, lambda p: rx.select.item(p.label, value=p.key))),
            value=s.key,
            on_change=s.choose,
        ),
        rx.hstack(
            rx.input(value=s.name, on_change=s.set_name, placeholder="Name", width="60%", id="pack-name"),
            rx.input(value=s.markets, on_change=s.set_markets, placeholder="Markets: CN, NA or *", id="pack-markets"),
            width="100%",
        ),
        rx.foreach(s.fields, _list_field),
        rx.hstack(
            rx.input(value=s.note, on_change=s.set_note, placeholder="What changed", width="60%", id="pack-note"),
            rx.button("Save as a new version", on_click=s.save, id="pack-save"),
            width="100%",
        ),
        outcome(s.error, ok=False, id="pack-error"),
        outcome(s.message, ok=True, id="pack-ok"),
        rx.table.root(rx.table.body(rx.foreach(s.history, _history_row)), size="1", id="pack-history"),
        align="start",
        width="100%",
        id="rule-packs",
    )
