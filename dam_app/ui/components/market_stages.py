"""The Admin page's "Review stages per market" table: a tick per market and stage."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.market_stages import STAGES, MarketStagesState


def _row(r: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text.strong(r["code"]), " ", r["name"]),
        *[
            rx.table.cell(
                rx.checkbox(
                    checked=r[stage] != "",
                    on_change=lambda checked, stage=stage: MarketStagesState.toggle_stage(r["code"], stage, checked),
                    class_name=f"stage-{stage}",
                )
            )
            for stage in STAGES
        ],
        class_name="market-stages",
    )


def market_stages_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Review stages per market", size="4"),
        rx.text(
            "What each market requires before a version may be used there. A change is audited and the "
            "market's assets are judged again.",
            size="2",
            color_scheme="gray",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(rx.table.column_header_cell("Market"), *[rx.table.column_header_cell(s) for s in STAGES])
            ),
            rx.table.body(rx.foreach(MarketStagesState.market_rows, _row)),
            size="1",
            id="market-stages",
        ),
        outcome(MarketStagesState.stages_error, ok=False, id="stages-error"),
        outcome(MarketStagesState.stages_message, ok=True, id="stages-ok"),
        align="start",
    )
