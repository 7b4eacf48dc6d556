"""Campaign boards: the list (and a new board), and one board: a column per phase (warm-up, peak,
encore) with its dates and WIP load, cards grouped by status. Drag a card onto a column, or use its
buttons (previous / next phase, status) from the keyboard; the last move is announced for screen
readers."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.boards import STATUS_NAMES, BoardItem, BoardsState, BoardState, CardView, ColumnView

COLUMN_STYLE = {"flex": "1", "minWidth": "260px", "padding": "0.6em", "borderRadius": "8px"}


class DragItem(rx.el.Div):
    """A draggable card (HTML drag and drop); Reflex's div lacks the trigger."""

    on_drag_start: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]


class DropZone(rx.el.Div):
    """A column that takes a dropped card."""

    on_drag_over: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]
    on_drop: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]


def _board_row(b: rx.Var[BoardItem]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(b.campaign, href=b.url)), rx.table.cell(b.markets), class_name="board-row"
    )


@signed_in_page("Boards")
def boards_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Boards", size="6"),
        rx.table.root(rx.table.body(rx.foreach(BoardsState.boards, _board_row)), size="1", id="boards"),
        rx.form(
            rx.hstack(
                rx.input(
                    name="campaign", placeholder="Campaign, e.g. Double Eleven 2026", width="20em", id="board-campaign"
                ),
                rx.input(name="markets", placeholder="Markets, e.g. CN JP", width="12em", id="board-markets"),
                rx.input(name="time_zone", placeholder="Time zone, e.g. Asia/Shanghai", width="14em"),
                rx.button("New board", type="submit", id="board-create"),
                wrap="wrap",
            ),
            on_submit=BoardsState.create,
            reset_on_submit=False,
        ),
        outcome(BoardsState.error, ok=False, id="board-error"),
        width="100%",
    )


def _card(card: rx.Var[CardView]) -> rx.Component:
    return DragItem.create(
        rx.card(
            rx.vstack(
                rx.text(card.title, weight="medium", size="2", class_name="card-title"),
                rx.hstack(
                    rx.badge(card.status_name, size="1"),
                    rx.text(card.markets, size="1", color_scheme="gray"),
                    rx.text(card.formats, size="1", color_scheme="gray"),
                    wrap="wrap",
                ),
                rx.cond(card.due != "", rx.text(card.due, size="1")),
                rx.hstack(
                    rx.button(
                        "◀",
                        size="1",
                        variant="ghost",
                        on_click=BoardState.step(card.id, -1),
                        aria_label="Move to the previous phase",
                        class_name="card-prev",
                    ),
                    rx.select.root(
                        rx.select.trigger(aria_label="Status", class_name="card-status"),
                        rx.select.content(*(rx.select.item(name, value=code) for code, name in STATUS_NAMES.items())),
                        value=card.status,
                        on_change=lambda status: BoardState.set_status(card.id, status),
                        size="1",
                    ),
                    rx.button(
                        "▶",
                        size="1",
                        variant="ghost",
                        on_click=BoardState.step(card.id, 1),
                        aria_label="Move to the next phase",
                        class_name="card-next",
                    ),
                ),
                spacing="1",
            ),
            size="1",
        ),
        draggable=True,
        on_drag_start=BoardState.drag_start(card.id),
        class_name="board-card",
        custom_attrs={"data-card": card.title},
    )


def _column(column: rx.Var[ColumnView]) -> rx.Component:
    return DropZone.create(
        rx.vstack(
            rx.hstack(
                rx.heading(column.name, size="3"),
                rx.badge(column.load, color_scheme=rx.cond(column.over, "amber", "gray"), class_name="column-load"),
                align="center",
            ),
            rx.text(column.dates, size="1", color_scheme="gray"),
            rx.foreach(column.cards, _card),
            rx.form(
                rx.hstack(
                    rx.input(name="title", placeholder="New request", size="1", class_name="card-new-title"),
                    rx.input(type="hidden", name="phase", value=column.phase),
                    rx.button("Add", type="submit", size="1", class_name="card-add"),
                ),
                on_submit=BoardState.add_card,
                reset_on_submit=True,
            ),
            width="100%",
            spacing="2",
        ),
        on_drag_over=rx.prevent_default,
        on_drop=[rx.prevent_default, BoardState.drop(column.phase)],
        class_name="board-column",
        custom_attrs={"data-phase": column.phase},
        style={
            "flex": "1",
            "minWidth": "260px",
            "padding": "0.6em",
            "borderRadius": "8px",
            "background": rx.color("gray", 2),
        },
    )


@signed_in_page("Board")
def board_page() -> rx.Component:
    return rx.cond(
        BoardState.found,
        rx.vstack(
            rx.hstack(
                rx.heading(BoardState.title, size="6", id="board-title"),
                rx.link(
                    rx.button("Export CSV", variant="soft", size="1"),
                    href=BoardState.export_url,
                    is_external=True,
                    id="board-export",
                ),
                align="center",
                justify="between",
                width="100%",
            ),
            outcome(BoardState.error, ok=False, id="board-move-error"),
            rx.box(
                BoardState.said,
                custom_attrs={"aria-live": "polite", "role": "status"},
                id="board-said",
                class_name="sr-status",
            ),
            rx.hstack(
                rx.foreach(BoardState.columns, _column), align="start", width="100%", spacing="3", id="board-columns"
            ),
            width="100%",
        ),
        rx.callout("This board does not exist or is outside your markets.", icon="info", id="board-missing"),
    )
