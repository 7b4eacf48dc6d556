"""Asset detail: preview, facts, rights, tags, versions (with upload and restore) and live processing status."""

from __future__ import annotations

import reflex as rx

from dam_app.ui import routes
from dam_app.ui.components.asset_card import look_alike_card
from dam_app.ui.components.badges import status_badge
from dam_app.ui.components.comments_panel import comment_pins, comments_section
from dam_app.ui.components.compliance_panel import compliance_section, finding_boxes
from dam_app.ui.components.edit_panel import edit_controls
from dam_app.ui.components.media import played_video
from dam_app.ui.components.outcome import outcome
from dam_app.ui.components.rights_panel import download_block, rights_section, verdict_badges
from dam_app.ui.components.versions_panel import versions_section
from dam_app.ui.components.watch_button import watch_button
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.asset_views import DecisionRow, Row, SinceRow
from dam_app.ui.state.review import STAGES, ReviewState
from dam_app.ui.state.text_views import TextLineRow


def _row(label: str | rx.Var[str], value: rx.Var[str]) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(label), rx.table.cell(value))


def _table(rows: rx.Var[list[Row]], table_id: str) -> rx.Component:
    return rx.table.root(rx.table.body(rx.foreach(rows, lambda r: _row(r.label, r.value))), size="1", id=table_id)


def _classification() -> rx.Component:
    a = AssetState.asset
    return rx.table.root(
        rx.table.body(
            _row("Markets", a.markets),
            _row("Content type", a.content_type),
            _row("Campaign", a.campaign),
            _row("Phase", a.phase),
            _row("Channel", a.channel),
            _row("Colours", a.colours),
            _row("Orientation", a.orientation),
            _row("People", a.people),
            _row("Downloads", a.downloads),
        ),
        size="1",
        id="classification",
    )


def _stages() -> rx.Component:
    return rx.vstack(
        rx.heading("Processing", size="3"),
        rx.foreach(
            AssetState.stages,
            lambda s: rx.hstack(
                rx.text(s.stage, width="90px", size="2"),
                status_badge(s.status),
                rx.text(s.ms, size="1", color_scheme="gray"),
                rx.cond(s.error != "", rx.text(s.error, size="1", color_scheme="red")),
                class_name="stage-row",
                align="center",
            ),
        ),
        id="processing",
    )


def _preview() -> rx.Component:
    return rx.cond(
        AssetState.is_video,
        played_video(
            src=AssetState.video_url,
            poster=AssetState.preview_url,
            on_play=AssetState.played,
            controls=True,
            preload="metadata",
            style={"max_width": "100%", "max_height": "70vh"},
        ),
        rx.cond(
            AssetState.preview_url != "",
            rx.box(
                rx.image(
                    src=AssetState.preview_url,
                    alt=AssetState.asset.title,
                    max_height="70vh",
                    max_width="100%",
                    object_fit="contain",
                    display="block",
                    id="preview-image",
                ),
                rx.cond(AssetState.show_text_boxes, rx.foreach(AssetState.text.lines, _text_box)),
                finding_boxes(),
                comment_pins(),
                position="relative",
                display="inline-block",
                id="preview-frame",
            ),
            rx.center(rx.vstack(rx.spinner(size="3"), rx.text("Rendering preview…")), height="300px"),
        ),
    )


def _text_box(line: rx.Var[TextLineRow]) -> rx.Component:
    """A read line's box over the preview: the frame is the image's size, so percentages place it."""
    return rx.box(
        title=line.text,
        position="absolute",
        left=line.left,
        top=line.top,
        width=line.width,
        height=line.height,
        border="2px solid var(--amber-9)",
        border_radius="2px",
        background="rgba(255, 191, 0, 0.12)",
        class_name="text-box",
    )


def _picture_text() -> rx.Component:
    t = AssetState.text
    return rx.vstack(
        rx.hstack(
            rx.heading("Text in the picture", size="3"),
            rx.cond(
                t.lines.length() > 0,
                rx.checkbox(
                    "Boxes on the preview",
                    checked=AssetState.show_text_boxes,
                    on_change=AssetState.toggle_text_boxes,
                    size="1",
                    id="text-boxes-toggle",
                ),
            ),
            align="center",
            spacing="3",
        ),
        rx.text(t.note, size="1", color_scheme="gray", id="text-note"),
        rx.cond(
            AssetState.edit.can_edit,
            rx.hstack(
                rx.button(
                    "Read the text again", on_click=AssetState.read_text_again, size="1", variant="soft", id="reread"
                ),
                rx.text(AssetState.text_message, size="1", id="reread-message"),
                align="center",
            ),
        ),
        rx.foreach(
            t.lines,
            lambda line: rx.hstack(
                rx.text(line.text, size="2", class_name="text-line"),
                rx.text(line.confidence, size="1", color_scheme="gray"),
                align="baseline",
            ),
        ),
        rx.flex(
            rx.foreach(
                t.facts,
                lambda f: rx.badge(f.kind, ": ", f.text, " → ", f.meaning, variant="surface", class_name="text-fact"),
            ),
            wrap="wrap",
            gap="2",
        ),
        align="start",
        id="picture-text",
    )


def _look_alikes() -> rx.Component:
    return rx.vstack(
        rx.heading("More like this", size="4"),
        rx.text(AssetState.look_alike_note, size="1", color_scheme="gray"),
        rx.flex(rx.foreach(AssetState.look_alikes, look_alike_card), wrap="wrap", gap="3"),
        id="more-like-this",
        width="100%",
    )


MATRIX_HEADERS = ("Market", "Stage", "Decision", "By", "When", "Note")


def _decision_row(d: rx.Var[DecisionRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(d.market),
        rx.table.cell(d.stage),
        rx.table.cell(
            rx.badge(
                d.decision,
                color_scheme=rx.match(
                    d.decision, ("approved", "green"), ("approved_with_changes", "amber"), ("rejected", "red"), "gray"
                ),
                class_name="decision",
            )
        ),
        rx.table.cell(d.by),
        rx.table.cell(d.at),
        rx.table.cell(d.note),
    )


def _since_row(c: rx.Var[SinceRow]) -> rx.Component:
    return rx.hstack(
        rx.badge(
            c.label,
            color_scheme=rx.match(c.state, ("unchanged", "green"), ("changed", "amber"), "gray"),
            class_name="since-state",
        ),
        rx.text(c.text, size="1"),
        rx.link("Compare", href=c.compare_url, size="1"),
        align="center",
        wrap="wrap",
        class_name="since-approved",
    )


def _review() -> rx.Component:
    return rx.vstack(
        rx.heading("Review", size="3"),
        rx.text("Current version: ", rx.text.strong(AssetState.review.states, id="approval-states"), size="2"),
        rx.foreach(AssetState.review.since, _since_row),
        rx.cond(
            AssetState.review.decisions.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Market", "Stage", "", "By", "When", "Note")]
                    )
                ),
                rx.table.body(rx.foreach(AssetState.review.decisions, _decision_row)),
                size="1",
                id="decisions",
            ),
        ),
        rx.cond(
            AssetState.review.can_review,
            rx.hstack(
                rx.select(
                    AssetState.review.markets, value=ReviewState.market, on_change=ReviewState.set_market, size="1"
                ),
                rx.select(STAGES, value=ReviewState.stage, on_change=ReviewState.set_stage, size="1"),
                rx.input(
                    placeholder="Note (needed to reject or ask for changes)",
                    value=ReviewState.note,
                    on_change=ReviewState.set_note,
                    size="1",
                    max_length=2000,
                    id="review-note",
                ),
                rx.button("Approve", on_click=ReviewState.decide("approved"), size="1", id="approve"),
                rx.button(
                    "Approve with changes",
                    on_click=ReviewState.decide("approved_with_changes"),
                    size="1",
                    color_scheme="amber",
                    id="approve-with-changes",
                ),
                rx.button("Reject", on_click=ReviewState.decide("rejected"), size="1", color_scheme="red", id="reject"),
                wrap="wrap",
            ),
        ),
        outcome(ReviewState.error, ok=False, id="review-error"),
        outcome(ReviewState.message, ok=True, id="review-ok"),
        align="start",
        id="review",
    )


@signed_in_page("Asset")
def asset_page() -> rx.Component:
    return rx.cond(
        AssetState.found,
        rx.vstack(
            rx.link("← Library", href=routes.LIBRARY, size="2"),
            rx.hstack(
                rx.heading(AssetState.asset.title, size="6", id="asset-title"),
                rx.badge(AssetState.asset.version, variant="outline", size="2", id="asset-version"),
                status_badge(AssetState.asset.status),
                verdict_badges(),
                watch_button(),
                align="center",
                wrap="wrap",
            ),
            download_block(),
            rx.cond(
                AssetState.asset.newer != "",
                rx.callout(
                    rx.hstack(
                        rx.text(AssetState.asset.newer),
                        rx.link("view", href=AssetState.asset.latest_url, id="newer-view"),
                        rx.text("/"),
                        rx.link("compare", href=AssetState.asset.compare_latest_url, id="newer-compare"),
                        spacing="2",
                    ),
                    icon="info",
                    color_scheme="amber",
                    id="newer-version",
                ),
            ),
            rx.cond(
                AssetState.asset.error != "",
                rx.callout(AssetState.asset.error, icon="triangle-alert", color_scheme="red"),
            ),
            rx.grid(
                rx.card(_preview()),
                rx.vstack(
                    edit_controls(),
                    rx.text(AssetState.asset.description, size="2", id="asset-description"),
                    _classification(),
                    rx.heading("File", size="3"),
                    _table(AssetState.facts, "facts"),
                    rx.heading("Rights stated in the file", size="3"),
                    rx.cond(
                        AssetState.rights.length() > 0,
                        _table(AssetState.rights, "rights"),
                        rx.text("The file states no rights.", size="2", color_scheme="gray"),
                    ),
                    rx.heading("Tags", size="3"),
                    rx.flex(
                        rx.foreach(
                            AssetState.tags,
                            lambda t: rx.tooltip(
                                rx.badge(t.name, variant="soft", class_name="tag"), content=t.evidence
                            ),
                        ),
                        wrap="wrap",
                        gap="2",
                    ),
                    _picture_text(),
                    compliance_section(),
                    rights_section(),
                    comments_section(),
                    _review(),
                    _stages(),
                    versions_section(),
                    align="start",
                ),
                columns=rx.breakpoints(initial="1", lg="2"),
                spacing="5",
                width="100%",
            ),
            _look_alikes(),
            width="100%",
        ),
        rx.callout("This asset does not exist or is outside your markets.", icon="info"),
    )


def short_link_page() -> rx.Component:
    """Shown for the moment `/a/<id>` takes to send the browser on to the asset page."""
    return rx.center(rx.vstack(rx.spinner(size="3"), rx.text("Opening the asset…"), align="center"), height="60vh")
