"""The library: filters, a grid of thumbnails that loads more as you scroll, and upload."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.asset_card import asset_card
from dam_app.ui.components.upload_panel import upload_panel
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.library import ALL, LibraryState, filter_label

# Clicks the hidden "load more" button whenever the sentinel under the grid scrolls into view.
INFINITE_SCROLL_JS = """
(() => {
  if (window.__damScroll) return; window.__damScroll = true;
  const io = new IntersectionObserver((entries) => {
    if (entries.some(e => e.isIntersecting)) document.getElementById('load-more')?.click();
  }, {rootMargin: '400px'});
  const watch = () => {
    const s = document.getElementById('scroll-sentinel');
    if (s) io.observe(s); else setTimeout(watch, 200);
  };
  watch();
})();
"""


def _filter(name: str, options: rx.Var[list[list[str]]]) -> rx.Component:
    """A single choice over one dimension of assets/dimensions.py, from the catalogue's `options`."""
    label = filter_label(name)
    return rx.select.root(
        rx.select.trigger(placeholder=label),
        rx.select.content(
            rx.select.item(f"All {label.lower()}s", value=ALL),
            rx.foreach(options, lambda o: rx.select.item(o[1], value=o[0])),
        ),
        value=LibraryState.chosen.get(name, ALL),
        on_change=lambda value: LibraryState.choose(name, value),
    )


@signed_in_page("Library")
def library_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Library", size="7"),
            rx.text(LibraryState.total, " assets", color_scheme="gray", id="asset-total"),
            align="baseline",
            spacing="3",
        ),
        rx.hstack(
            rx.input(
                placeholder="Filter by title…",
                value=LibraryState.text,
                on_change=LibraryState.set_text,
                debounce_timeout=250,
                width="260px",
            ),
            _filter("market", LibraryState.market_options),
            _filter("content_type", LibraryState.type_options),
            _filter("phase", LibraryState.phase_options),
            wrap="wrap",
        ),
        upload_panel(),
        rx.grid(
            rx.foreach(LibraryState.items, asset_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3", lg="4", xl="5"),
            spacing="4",
            width="100%",
        ),
        rx.cond(LibraryState.total == 0, rx.text("No assets match these filters yet.", color_scheme="gray")),
        rx.box(id="scroll-sentinel", height="1px"),
        rx.button(
            "Load more",
            id="load-more",
            on_click=LibraryState.load_more,
            variant="ghost",
            display=rx.cond(LibraryState.next_cursor != "", "inline-flex", "none"),
        ),
        rx.script(INFINITE_SCROLL_JS),
        spacing="4",
        width="100%",
    )
