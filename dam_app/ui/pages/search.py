"""Search page: a box that searches as you type, what was understood, facets and results."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.asset_card import asset_link, look_alike_card, verdict_badge
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.search import REFERENCE_UPLOAD, SORT_LABELS, SearchState

# Arrow keys move between results (and from the box into them); Enter opens the focused one.
KEYBOARD_JS = """
(() => {
  if (window.__damSearchKeys) return; window.__damSearchKeys = true;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const hits = [...document.querySelectorAll('.search-hit')];
    if (!hits.length) return;
    const i = hits.indexOf(document.activeElement);
    const inBox = document.activeElement && document.activeElement.id === 'search-box';
    if (!inBox && i < 0) return;
    e.preventDefault();
    const next = e.key === 'ArrowDown' ? (i < 0 ? 0 : Math.min(i + 1, hits.length - 1)) : i - 1;
    if (next < 0) document.getElementById('search-box').focus(); else hits[next].focus();
  });
})();
"""


def _facet(facet: rx.Var[dict]) -> rx.Component:
    return rx.vstack(
        rx.text(facet["label"], weight="bold", size="2"),
        rx.foreach(
            facet["values"].to(list[dict]),
            lambda v: rx.button(
                v["label"].to(str),
                rx.badge(v["count"].to(str), variant="soft"),
                variant=rx.cond(v["active"].to(bool), "solid", "ghost"),
                size="1",
                on_click=SearchState.toggle_facet(facet["dimension"].to(str), v["value"].to(str)),
                class_name="facet-value",
                justify="between",
                width="100%",
            ),
        ),
        spacing="1",
        align="start",
        width="100%",
    )


def _hit(hit: rx.Var[dict[str, str]]) -> rx.Component:
    return asset_link(
        rx.hstack(
            rx.cond(
                hit["thumb"] != "",
                rx.image(
                    src=hit["thumb"],
                    width="96px",
                    height="96px",
                    object_fit="contain",
                    background=rx.color("gray", 3),
                    border_radius="6px",
                ),
                rx.box(width="96px", height="96px", background=rx.color("gray", 3), border_radius="6px"),
            ),
            rx.vstack(
                rx.text(hit["title"], weight="bold", size="3"),
                rx.text(hit["markets"], " · ", hit["kind"], " · ", hit["phase"], size="1", color_scheme="gray"),
                rx.text(hit["highlight"], size="2", class_name="hit-highlight"),
                rx.text(hit["why"], size="1", color_scheme="indigo", class_name="hit-why"),
                verdict_badge(hit),
                spacing="1",
                align="start",
            ),
            align="start",
            spacing="3",
            padding="0.5em",
        ),
        hit["id"],
        class_name="search-hit",
        border_radius="8px",
        _hover={"background": rx.color("accent", 2)},
        _focus={"outline": f"2px solid {rx.color('accent', 8)}"},
    )


def _chip(chip: rx.Var[dict[str, str]]) -> rx.Component:
    """How part of the query was understood: whether it filters or prefers (a click switches it),
    and a cross that takes those words out of the query."""
    return rx.badge(
        rx.cond(
            chip["how"] != "",
            rx.tooltip(
                rx.text(
                    chip["how"],
                    class_name="query-chip-how",
                    cursor="pointer",
                    text_decoration="underline dotted",
                    on_click=SearchState.switch_chip(chip["key"], chip["strict"] == "true"),
                ),
                content=rx.cond(
                    chip["strict"] == "true",
                    "Filters: only what matches. Click to prefer it instead.",
                    "Prefers: matches rank first, the rest still come. Click to filter by it.",
                ),
            ),
        ),
        rx.text(chip["label"], class_name="query-chip-label"),
        rx.icon(
            "x",
            size=12,
            cursor="pointer",
            class_name="query-chip-remove",
            aria_label="Remove",
            on_click=SearchState.remove_chip(chip["words"]),
        ),
        variant=rx.cond(chip["strict"] == "true", "solid", "surface"),
        class_name="query-chip",
        custom_attrs={"data-how": chip["how"]},
    )


def _notes() -> rx.Component:
    """Why the page holds what it holds (loosened constraints, preferences nothing met, scope)."""
    return rx.cond(
        SearchState.notes.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.vstack(
                rx.foreach(SearchState.notes, lambda note: rx.text(note, size="2", class_name="search-note")),
                rx.cond(
                    SearchState.relaxed,
                    rx.button(
                        "Only exact matches",
                        size="1",
                        variant="soft",
                        id="exact-only",
                        on_click=SearchState.set_exact(True),
                    ),
                ),
                rx.hstack(
                    rx.foreach(
                        SearchState.loosened_filters,
                        lambda f: rx.button(
                            "Remove ",
                            f["label"],
                            size="1",
                            variant="soft",
                            class_name="remove-filter",
                            on_click=SearchState.remove_filter(f["dimension"]),
                        ),
                    ),
                    wrap="wrap",
                ),
                rx.cond(
                    SearchState.loosened_total > 0,
                    rx.button(
                        "Show ",
                        SearchState.loosened_total,
                        " more",
                        size="1",
                        variant="soft",
                        id="show-loosened",
                        on_click=SearchState.set_exact(False),
                    ),
                ),
                spacing="2",
                align="start",
            ),
            id="search-notes",
            color_scheme="amber",
            width="100%",
        ),
    )


def _reference_drop() -> rx.Component:
    return rx.upload(
        rx.hstack(rx.icon("image-plus", size=18), rx.text("Search by image", size="2"), align="center"),
        id=REFERENCE_UPLOAD,
        multiple=False,
        max_files=1,
        on_drop=SearchState.search_by_image(rx.upload_files(upload_id=REFERENCE_UPLOAD)),
        border=f"1px dashed {rx.color('accent', 7)}",
        border_radius="8px",
        padding="0.55em 0.9em",
        cursor="pointer",
        class_name="reference-drop",
    )


def _reference_results() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Looks like ", rx.code(SearchState.reference_name), size="2"),
            rx.button("Back to words", size="1", variant="soft", on_click=SearchState.clear_reference),
            align="center",
        ),
        rx.cond(
            SearchState.reference_error != "",
            rx.callout(SearchState.reference_error, icon="triangle-alert", color_scheme="red", id="reference-error"),
            rx.flex(rx.foreach(SearchState.reference_hits, look_alike_card), wrap="wrap", gap="3"),
        ),
        id="reference-results",
        width="100%",
    )


@signed_in_page("Search")
def search_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Search", size="7"),
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search")),
                id="search-box",
                placeholder="Try: red themed banner Japan market, or beauty product North America latest",
                value=SearchState.query,
                on_change=SearchState.set_query,
                debounce_timeout=250,
                size="3",
                width="100%",
                auto_focus=True,
            ),
            rx.select.root(
                rx.select.trigger(id="search-sort"),
                rx.select.content(*(rx.select.item(label, value=value) for value, label in SORT_LABELS.items())),
                value=SearchState.sort,
                on_change=SearchState.set_sort,
                size="3",
            ),
            _reference_drop(),
            width="100%",
            align="center",
        ),
        rx.cond(SearchState.reference_name != "", _reference_results()),
        rx.hstack(
            rx.text(SearchState.about, SearchState.total, " results", size="2", id="search-total"),
            rx.cond(
                SearchState.understood_text != "",
                rx.text("for “", SearchState.understood_text, "”", size="2", color_scheme="gray"),
            ),
            rx.foreach(SearchState.chips, _chip),
            rx.cond(
                SearchState.selected.length() > 0,
                rx.button("Clear filters", size="1", variant="ghost", on_click=SearchState.clear_filters),
            ),
            wrap="wrap",
            align="center",
        ),
        _notes(),
        rx.grid(
            rx.vstack(rx.foreach(SearchState.facets, _facet), spacing="4", width="100%"),
            rx.vstack(rx.foreach(SearchState.hits, _hit), spacing="1", width="100%"),
            columns=rx.breakpoints(initial="1", md="220px 1fr"),
            spacing="5",
            width="100%",
        ),
        rx.script(KEYBOARD_JS),
        width="100%",
        spacing="4",
    )
