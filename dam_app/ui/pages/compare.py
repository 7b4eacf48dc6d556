"""Two versions compared: side by side (panning together), swipe, onion skin, blink and a heatmap
with the changed regions listed, then what changed in the facts, rights, tags and copy, and a
video's keyframes side by side. Keyboard: left/right versions, 1-5 views, + - 0 zoom."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.compare import CompareState
from dam_app.ui.state.compare_views import VIEW_NAMES, VIEWS, ChangeRow, KeyframePair, RegionRow, WordPiece

S = CompareState
DONE = S.diff.status == "done"


def _picker(side: str, value: rx.Var[str]) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=f"pick-{side}"),
        rx.select.content(rx.foreach(S.pair.versions, lambda c: rx.select.item(c.label, value=c.id))),
        value=value,
        on_change=lambda version_id: S.pick(side, version_id),
        size="2",
    )


def _toolbar() -> rx.Component:
    views = [
        rx.button(
            f"{n} {VIEW_NAMES[v]}",
            on_click=S.set_view(v),
            variant=rx.cond(S.view == v, "solid", "soft"),
            size="1",
            id=f"view-{n}",
        )
        for n, v in enumerate(VIEWS, start=1)
    ]
    return rx.flex(
        rx.button("←", on_click=S.step(-1), size="1", variant="soft", id="compare-prev", title="Older pair (←)"),
        _picker("a", S.pair.a_id),
        rx.text("→", size="2"),
        _picker("b", S.pair.b_id),
        rx.button("→", on_click=S.step(1), size="1", variant="soft", id="compare-next", title="Newer pair (→)"),
        rx.separator(orientation="vertical", size="1"),
        *views,
        rx.separator(orientation="vertical", size="1"),
        rx.button("-", on_click=S.zoom_by(-1), size="1", variant="soft", id="zoom-out"),
        rx.button(S.zoom.to_string() + "%", on_click=S.zoom_by(0), size="1", variant="ghost", id="zoom-reset"),
        rx.button("+", on_click=S.zoom_by(1), size="1", variant="soft", id="zoom-in"),
        gap="2",
        align="center",
        wrap="wrap",
    )


def _labelled(label: rx.Var[str], url: rx.Var[str], image_id: str) -> rx.Component:
    return rx.vstack(
        rx.badge(label, size="2"),
        rx.box(
            rx.cond(url != "", rx.image(src=url, width=S.zoom.to_string() + "%", max_width="none", id=image_id)),
            class_name="dam-sync",
            width="100%",
        ),
        width="100%",
    )


def _side_by_side() -> rx.Component:
    return rx.grid(
        _labelled(S.pair.a_label, S.pair.a_preview, "side-a"),
        _labelled(S.pair.b_label, S.pair.b_preview, "side-b"),
        columns="2",
        spacing="3",
        width="100%",
        id="view-side",
    )


def _overlay(top: rx.Component, extra: rx.Component, view_id: str) -> rx.Component:
    """A under B-aligned-onto-A, the same box for both (the heatmap's frame), at the page's zoom."""
    stacked = rx.box(
        rx.image(src=S.pair.a_preview, width="100%", display="block", id="overlay-a"),
        top,
        position="relative",
        width=S.zoom.to_string() + "%",
    )
    return rx.cond(
        DONE,
        rx.vstack(extra, rx.box(stacked, class_name="dam-sync", width="100%"), width="100%", id=view_id),
        rx.text("This view appears when the comparison is done.", size="2", color_scheme="gray"),
    )


def _top(**style: object) -> rx.Component:
    return rx.image(
        src=S.diff.aligned_url, position="absolute", top="0", left="0", width="100%", height="100%", **style
    )


def _swipe() -> rx.Component:
    slider = rx.slider(default_value=[50], on_change=S.set_swipe, min=0, max=100, width="320px", id="swipe-slider")
    hint = rx.text(S.pair.a_label, " left of the line, ", S.pair.b_label, " right of it", size="1")
    return _overlay(
        _top(clip_path="inset(0 0 0 " + S.swipe.to_string() + "%)", id="overlay-b"),
        rx.hstack(slider, hint, align="center"),
        "view-swipe",
    )


def _onion() -> rx.Component:
    slider = rx.slider(default_value=[50], on_change=S.set_opacity, min=0, max=100, width="320px", id="onion-slider")
    return _overlay(
        _top(opacity=S.opacity / 100, id="overlay-b"),
        rx.hstack(slider, rx.text(S.pair.b_label, " opacity ", S.opacity.to_string(), "%", size="1"), align="center"),
        "view-onion",
    )


def _blink() -> rx.Component:
    return _overlay(
        _top(class_name="dam-blink", id="overlay-b"),
        rx.text(S.pair.a_label, " and ", S.pair.b_label, " alternate", size="1"),
        "view-blink",
    )


def _region(r: rx.Var[RegionRow]) -> rx.Component:
    return rx.table.row(rx.table.cell(r.number), rx.table.cell(r.size), rx.table.cell(r.where), rx.table.cell(r.share))


def _regions() -> rx.Component:
    return rx.cond(
        S.diff.regions.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in ("#", "Size", "Where", "Changed")))),
            rx.table.body(rx.foreach(S.diff.regions, _region)),
            size="1",
            id="regions",
        ),
        rx.text("No changed regions.", size="2", id="no-regions"),
    )


def _heatmap() -> rx.Component:
    return rx.cond(
        DONE,
        rx.grid(
            rx.box(
                rx.image(src=S.diff.heatmap_url, width=S.zoom.to_string() + "%", max_width="none", id="heatmap"),
                class_name="dam-sync",
            ),
            _regions(),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="3",
            width="100%",
            id="view-heatmap",
        ),
        rx.text("The heatmap appears when the comparison is done.", size="2", color_scheme="gray"),
    )


def _status() -> rx.Component:
    return rx.cond(
        S.diff.status == "failed",
        rx.callout(
            rx.hstack(
                rx.text(S.diff.error, id="diff-error"),
                rx.button("Try again", on_click=S.retry, size="1", id="diff-retry"),
                align="center",
            ),
            icon="triangle-alert",
            color_scheme="red",
        ),
        rx.cond(
            DONE,
            rx.vstack(
                rx.text(S.diff.headline, size="2", weight="medium", id="diff-headline"),
                rx.cond(S.diff.note != "", rx.text(S.diff.note, size="1", color_scheme="amber", id="diff-note")),
                spacing="1",
            ),
            rx.cond(
                S.diff.status != "",
                rx.hstack(
                    rx.progress(value=S.diff.progress, width="240px"),
                    rx.text("Comparing: ", S.diff.step, size="1", id="diff-step"),
                    align="center",
                    id="diff-progress",
                ),
            ),
        ),
    )


def _change(c: rx.Var[ChangeRow]) -> rx.Component:
    return rx.table.row(rx.table.cell(c.group), rx.table.cell(c.name), rx.table.cell(c.before), rx.table.cell(c.after))


def _facts() -> rx.Component:
    return rx.vstack(
        rx.heading("Facts, rights and tags", size="3"),
        rx.cond(
            S.diff.changes.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(""),
                        rx.table.column_header_cell("Field"),
                        rx.table.column_header_cell(S.pair.a_label),
                        rx.table.column_header_cell(S.pair.b_label),
                    )
                ),
                rx.table.body(rx.foreach(S.diff.changes, _change)),
                size="1",
                id="field-changes",
            ),
            rx.text("No change in the file's facts, rights or tags.", size="2"),
        ),
        width="100%",
    )


def _word(w: rx.Var[WordPiece]) -> rx.Component:
    return rx.el.span(w.text, class_name="dam-word-" + w.op)


def _copy() -> rx.Component:
    return rx.cond(
        S.diff.words.length() > 0,
        rx.vstack(
            rx.heading(S.diff.words_title, size="3", id="words-title"),
            rx.text(S.diff.word_counts, size="1", color_scheme="gray"),
            rx.box(rx.foreach(S.diff.words, _word), class_name="dam-words", id="word-diff"),
            width="100%",
        ),
    )


def _keyframe(k: rx.Var[KeyframePair]) -> rx.Component:
    def frame(url: rx.Var[str]) -> rx.Component:
        return rx.cond(url != "", rx.image(src=url, width="100%"), rx.text("—"))

    return rx.grid(rx.text(k.at, size="1"), frame(k.a_url), frame(k.b_url), columns="3", spacing="2", width="100%")


def _keyframes() -> rx.Component:
    return rx.cond(
        S.diff.keyframes.length() > 0,
        rx.vstack(
            rx.heading("Keyframes", size="3"), rx.foreach(S.diff.keyframes, _keyframe), width="100%", id="keyframes"
        ),
    )


def _choice_count() -> rx.Var[bool]:
    return S.pair.versions.length() >= 2


def _body() -> rx.Component:
    return rx.vstack(
        rx.link("← ", S.pair.title, href=S.pair.asset_url, size="2", id="compare-back"),
        rx.heading("Compare ", S.pair.a_label, " → ", S.pair.b_label, size="5", id="compare-title"),
        rx.cond(
            _choice_count(),
            rx.vstack(
                _toolbar(),
                rx.text("← → versions · 1-5 views · + - 0 zoom", size="1", color_scheme="gray"),
                _status(),
                rx.match(
                    S.view,
                    ("swipe", _swipe()),
                    ("onion", _onion()),
                    ("blink", _blink()),
                    ("heatmap", _heatmap()),
                    _side_by_side(),
                ),
                rx.cond(DONE, rx.vstack(_facts(), _copy(), _keyframes(), width="100%")),
                width="100%",
            ),
            rx.callout("Only one version so far: upload a new one to compare.", icon="info", id="one-version"),
        ),
        width="100%",
    )


@signed_in_page("Compare versions")
def compare_page() -> rx.Component:
    return rx.box(
        rx.el.link(rel="stylesheet", href="/compare.css"),
        rx.script(src="/compare.js"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.pair.found,
                _body(),
                rx.callout("This asset does not exist or is outside your markets.", icon="info", id="compare-missing"),
            ),
            rx.spinner(),
        ),
        id="compare-page",
        width="100%",
    )
