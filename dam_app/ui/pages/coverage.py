"""A campaign's coverage at a glance: one row per market, one column per phase; each cell says
whether the requests asking for that market have an asset attached (and approved), and links to
the cards behind it. Red is a gap, amber attached but not approved yet, green approved."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.coverage import CellView, CoverageState, LinkView, RowView


def _link(card: rx.Var[LinkView]) -> rx.Component:
    return rx.link(card.title, href=card.url, size="1", class_name="coverage-card")


def _cell(cell: rx.Var[CellView]) -> rx.Component:
    return rx.table.cell(
        rx.vstack(
            rx.badge(
                cell.text,
                color_scheme=rx.match(cell.state, ("gap", "red"), ("covered", "amber"), ("approved", "green"), "gray"),
            ),
            rx.foreach(cell.cards, _link),
            spacing="1",
        ),
        class_name="coverage-cell",
        custom_attrs={"data-state": cell.state},
    )


def _row(row: rx.Var[RowView]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.market),
        rx.foreach(row.cells, _cell),
        class_name="coverage-row",
        custom_attrs={"data-market": row.market},
    )


@signed_in_page("Coverage")
def coverage_page() -> rx.Component:
    return rx.cond(
        CoverageState.found,
        rx.vstack(
            rx.link("← ", CoverageState.title, href=CoverageState.board_url),
            rx.heading("Coverage of ", CoverageState.title, size="6"),
            rx.text(CoverageState.summary, size="2", id="coverage-summary"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Market"),
                        rx.foreach(CoverageState.phases, lambda p: rx.table.column_header_cell(p)),
                    )
                ),
                rx.table.body(rx.foreach(CoverageState.rows, _row)),
                id="coverage-matrix",
                width="100%",
            ),
            width="100%",
        ),
        rx.callout("This board does not exist or is outside your markets.", icon="info"),
    )
