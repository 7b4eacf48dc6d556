"""Campaign boards: the list (and a new board), and one board: a column per phase (warm-up, peak,
encore) with its dates and WIP load, cards grouped by status. Drag a card onto a column, or use its
buttons (previous / next phase, status) from the keyboard; the last move is announced for screen
readers."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.board_list import NO_TEMPLATE, BoardItem, BoardsState
from dam_app.ui.state.board_views import STATUS_NAMES, CardView, CellView, HeadView, LaneView
from dam_app.ui.state.boards import ANY, BoardState

CARD_STYLE = {
    "padding": "8px",
    "borderRadius": "6px",
    "background": rx.color("gray", 1),
    "border": f"1px solid {rx.color('gray', 5)}",
}
KEY_STYLE = {"background": "none", "border": "none", "cursor": "pointer", "padding": "0 4px", "fontSize": "12px"}
COLUMN_STYLE = {"flex": "1", "minWidth": "240px", "maxWidth": "420px", "padding": "0.6em", "borderRadius": "8px"}


class DragItem(rx.el.Div):
    """A draggable card (HTML drag and drop); Reflex's div lacks the trigger."""

    on_drag_start: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]
    on_drag_over: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]
    on_drop: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]


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
                rx.input(name="event_date", type="date", width="10em", aria_label="Event date", id="board-event-date"),
                rx.select.root(
                    rx.select.trigger(placeholder="From a past campaign", aria_label="Template", width="14em"),
                    rx.select.content(
                        rx.select.item("No template", value=NO_TEMPLATE),
                        rx.foreach(BoardsState.boards, lambda b: rx.select.item(b.campaign, value=b.id)),
                    ),
                    name="template",
                    default_value=NO_TEMPLATE,
                ),
                rx.button("New board", type="submit", id="board-create"),
                wrap="wrap",
            ),
            on_submit=BoardsState.create,
            reset_on_submit=False,
        ),
        outcome(BoardsState.error, ok=False, id="board-error"),
        width="100%",
    )


def _key(symbol: str, action: Any, label: str, name: str) -> rx.Component:
    """One of a card's keyboard moves (◀ ▲ ▼ ▶), spoken by its label."""
    return rx.el.button(  # native, as the menus: a board shows 480 of these
        symbol, on_click=action, aria_label=label, class_name=name, type="button", style=KEY_STYLE
    )


def _card(card: rx.Var[CardView]) -> rx.Component:
    return DragItem.create(
        rx.box(  # a plain framed box: a board shows 90 of them
            rx.vstack(
                rx.hstack(
                    rx.el.input(  # native, as the status menu: light enough for 120 cards
                        type="checkbox",
                        checked=BoardState.selected.contains(card.id),
                        on_change=lambda _on: BoardState.toggle_select(card.id),
                        aria_label="Select " + card.title,
                        class_name="card-select",
                    ),
                    rx.link(card.title, href=card.url, weight="medium", size="2", class_name="card-title"),
                    align="center",
                    spacing="2",
                ),
                rx.hstack(
                    rx.badge(card.status_name, size="1"),
                    rx.cond(BoardState.view == "status", rx.badge(card.phase, size="1", variant="outline")),
                    rx.text(card.markets, size="1", color_scheme="gray"),
                    rx.text(card.formats, size="1", color_scheme="gray"),
                    wrap="wrap",
                ),
                rx.cond(
                    card.due != "",
                    rx.text(
                        card.due, size="1", color_scheme=rx.cond(card.overdue, "red", "gray"), class_name="card-due"
                    ),
                ),
                rx.hstack(
                    rx.cond(card.owner != "", rx.text(card.owner, size="1")),
                    rx.cond(card.progress != "", rx.text("☑ ", card.progress, size="1", class_name="card-progress")),
                    rx.cond(
                        card.attached > 0, rx.text("📎 ", card.attached, size="1", class_name="card-attached-count")
                    ),
                    spacing="2",
                ),
                rx.hstack(
                    _key("◀", BoardState.step(card.id, -1), "Move to the previous column", "card-prev"),
                    rx.el.select(  # native: a board shows 150 of these, a Radix select each would be heavy
                        *(rx.el.option(name, value=code) for code, name in STATUS_NAMES.items()),
                        value=card.status,
                        on_change=lambda status: BoardState.set_status(card.id, status),
                        aria_label="Status",
                        class_name="card-status",
                        style={"fontSize": "12px", "padding": "1px 2px", "borderRadius": "4px"},
                    ),
                    _key("▲", BoardState.nudge(card.id, -1), "Move up one place", "card-up"),
                    _key("▼", BoardState.nudge(card.id, 1), "Move down one place", "card-down"),
                    _key("▶", BoardState.step(card.id, 1), "Move to the next column", "card-next"),
                ),
                spacing="1",
            ),
            style=CARD_STYLE,
        ),
        draggable=True,
        on_drag_start=BoardState.drag_start(card.id),
        on_drag_over=rx.prevent_default,
        on_drop=[rx.prevent_default, rx.stop_propagation, BoardState.drop_on(card.id)],  # just below this card
        class_name="board-card",
        custom_attrs={"data-card": card.title},
    )


def _column_settings(head: rx.Var[HeadView]) -> rx.Component:
    """The phase's dates and WIP limits, in a popover under its header."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.cond(BoardState.view == "phase", "Dates & limits", "Limits"),
                size="1",
                variant="ghost",
                class_name="column-settings",
            )
        ),
        rx.popover.content(
            rx.form(
                rx.vstack(
                    rx.input(type="hidden", name="key", value=head.key),
                    rx.cond(
                        BoardState.view == "phase",
                        rx.hstack(
                            rx.input(type="date", name="starts_on", default_value=head.starts, aria_label="Starts on"),
                            rx.input(type="date", name="ends_on", default_value=head.ends, aria_label="Ends on"),
                        ),
                    ),
                    rx.hstack(
                        rx.input(name="soft", default_value=head.soft, placeholder="Soft limit", width="7em"),
                        rx.input(name="hard", default_value=head.hard, placeholder="Hard limit", width="7em"),
                    ),
                    rx.button("Save", type="submit", size="1", class_name="column-save"),
                    spacing="2",
                ),
                on_submit=BoardState.set_column,
                reset_on_submit=False,
            ),
            key=head.key + head.starts + head.ends + head.soft + head.hard,
        ),
        open=BoardState.settings_open == head.key,
        on_open_change=lambda opened: BoardState.show_settings(head.key, opened),
    )


def _head(head: rx.Var[HeadView]) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(head.name, size="3"),
            rx.badge(head.load, color_scheme=rx.cond(head.over, "amber", "gray"), class_name="column-load"),
            align="center",
        ),
        rx.hstack(
            rx.text(head.dates, size="1", color_scheme="gray"),
            _column_settings(head),
            align="center",
        ),
        rx.cond(
            BoardState.view == "phase",
            rx.form(
                rx.hstack(
                    rx.input(name="title", placeholder="New request", size="1", class_name="card-new-title"),
                    rx.input(type="hidden", name="phase", value=head.key),
                    rx.button("Add", type="submit", size="1", class_name="card-add"),
                ),
                on_submit=BoardState.add_card,
                reset_on_submit=True,
            ),
        ),
        class_name="board-column-head",
        custom_attrs={"data-phase": head.key},
        style=COLUMN_STYLE,
        spacing="1",
    )


def _cell(cell: rx.Var[CellView]) -> rx.Component:
    return DropZone.create(
        rx.vstack(
            rx.foreach(cell.cards, _card),
            rx.cond(
                cell.more > 0,
                rx.button(
                    "Show more (",
                    cell.more,
                    " not shown)",
                    size="1",
                    variant="soft",
                    on_click=BoardState.show_more(cell.lane + "|" + cell.key),
                    class_name="cell-more",
                ),
            ),
            width="100%",
            spacing="2",
        ),
        on_drag_over=rx.prevent_default,
        on_drop=[rx.prevent_default, BoardState.drop(cell.key)],
        class_name="board-column",
        custom_attrs={"data-phase": cell.key, "data-lane": cell.lane},
        style={**COLUMN_STYLE, "background": rx.color("gray", 2), "minHeight": "3em"},
    )


def _lane(lane: rx.Var[LaneView]) -> rx.Component:
    return rx.vstack(
        rx.cond(lane.name != "", rx.heading(lane.name, size="2", class_name="lane-name")),
        rx.hstack(rx.foreach(lane.cells, _cell), align="start", width="100%", spacing="3"),
        width="100%",
        class_name="board-lane",
        custom_attrs={"data-lane": lane.name},
    )


def _choice(
    name: str, label: str, value: rx.Var[str], items: list[tuple[str, str]] | rx.Var, width: str = "9em"
) -> rx.Component:
    """A select that arranges the board; `items`: (value, label) pairs, or a Var of [value, label] lists."""
    if isinstance(items, list):
        content = rx.select.content(*(rx.select.item(text, value=code) for code, text in items))
    else:
        content = rx.select.content(
            rx.select.item("any", value=ANY), rx.foreach(items, lambda o: rx.select.item(o[1], value=o[0]))
        )
    return rx.select.root(
        rx.select.trigger(placeholder=label, aria_label=label, width=width),
        content,
        value=rx.cond(value == "", ANY, value),
        on_change=lambda chosen: BoardState.arrange(name, chosen),
        size="1",
        name=name,
    )


def _controls() -> rx.Component:
    return rx.hstack(
        _choice("view", "View", BoardState.view, [("phase", "By phase"), ("status", "By status")]),
        _choice(
            "lane_mode",
            "Swimlanes",
            BoardState.lane_mode,
            [("none", "No swimlanes"), ("market", "Lanes by market"), ("owner", "Lanes by owner")],
            "11em",
        ),
        _choice("market", "Market", BoardState.market, BoardState.market_items),
        _choice("owner", "Owner", BoardState.owner, BoardState.owners),
        _choice("channel", "Channel", BoardState.channel, BoardState.channel_items),
        _choice(
            "due", "Due", BoardState.due, [(ANY, "any due time"), ("overdue", "overdue"), ("week", "due within 7 days")]
        ),
        rx.checkbox(
            "Mine",
            checked=BoardState.mine,
            on_change=lambda on: BoardState.arrange("mine", rx.cond(on, "on", "")),
            id="board-mine",
        ),
        rx.cond(
            BoardState.count_text != "",
            rx.hstack(
                rx.text(BoardState.count_text, size="1", id="board-count"),
                rx.button("Clear filters", size="1", variant="ghost", on_click=BoardState.clear_filters),
            ),
        ),
        wrap="wrap",
        align="center",
        id="board-controls",
    )


def _bulk_bar() -> rx.Component:
    """Move the selected cards together: each keeps its own revision, a refused one is named."""
    return rx.hstack(
        rx.text(BoardState.selected.length(), " selected", size="2", id="board-selected"),  # type: ignore[attr-defined]
        rx.select.root(
            rx.select.trigger(placeholder="Move selected to…", aria_label="Move selected to", width="12em"),
            rx.select.content(rx.foreach(BoardState.heads, lambda h: rx.select.item(h.name, value=h.key))),
            on_change=BoardState.move_selected,
            size="1",
            value="",
        ),
        rx.button("Clear selection", size="1", variant="ghost", on_click=BoardState.clear_selection),
        align="center",
        id="board-bulk",
    )


@signed_in_page("Board")
def board_page() -> rx.Component:
    return rx.cond(
        BoardState.found,
        rx.vstack(
            rx.hstack(
                rx.heading(BoardState.title, size="6", id="board-title"),
                rx.hstack(
                    rx.link(
                        rx.button("Coverage", variant="soft", size="1"),
                        href=BoardState.coverage_url,
                        id="board-coverage-link",
                    ),
                    rx.link(
                        rx.button("Export CSV", variant="soft", size="1"),
                        href=BoardState.export_url,
                        is_external=True,
                        id="board-export",
                    ),
                ),
                align="center",
                justify="between",
                width="100%",
            ),
            _controls(),
            rx.cond(BoardState.selected.length() > 0, _bulk_bar()),  # type: ignore[attr-defined]
            outcome(BoardState.error, ok=False, id="board-move-error"),
            rx.box(
                BoardState.said,
                custom_attrs={"aria-live": "polite", "role": "status"},
                id="board-said",
                class_name="sr-status",
            ),
            rx.hstack(rx.foreach(BoardState.heads, _head), align="start", width="100%", spacing="3", id="board-heads"),
            rx.cond(
                BoardState.nothing,
                rx.callout("No card matches these filters: clear one to see more.", icon="info", id="board-nothing"),
            ),
            rx.vstack(rx.foreach(BoardState.lanes, _lane), width="100%", spacing="4", id="board-columns"),
            width="100%",
        ),
        rx.callout("This board does not exist or is outside your markets.", icon="info", id="board-missing"),
    )
