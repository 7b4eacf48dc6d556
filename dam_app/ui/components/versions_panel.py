"""The asset page's version history with Restore buttons and the "Upload new version" form (state in
ui/state/versions.py); writers only see the controls."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.asset_views import VersionRow
from dam_app.ui.state.versions import UPLOAD_ID, VersionsState


def _row(v: rx.Var[VersionRow]) -> rx.Component:
    return rx.hstack(
        rx.link(rx.badge(v.label, color_scheme=rx.cond(v.current, "green", "gray")), href=v.view_url),
        rx.link(v.filename, href=v.url, is_external=True),
        rx.text(v.size, " · ", v.created, size="1", color_scheme="gray"),
        rx.text(v.note, size="1", class_name="version-note"),
        rx.cond(
            v.compare_url != "",
            rx.link("Compare with current", href=v.compare_url, size="1", id="compare-" + v.label),
        ),
        rx.cond(
            AssetState.edit.can_edit & ~v.current,
            rx.button(
                "Restore",
                on_click=VersionsState.restore(v.id),
                size="1",
                variant="soft",
                class_name="version-restore",
                id="restore-" + v.label,
            ),
        ),
        wrap="wrap",
        align="center",
        class_name="version-row",
    )


def _upload_form() -> rx.Component:
    return rx.vstack(
        rx.upload(
            rx.text("Upload new version: drop a file or click to choose", size="2"),
            id=UPLOAD_ID,
            multiple=False,
            max_files=1,
            border=f"1px dashed {rx.color('accent', 7)}",
            padding="0.8em",
            width="100%",
            border_radius="8px",
        ),
        rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.text(f, size="1", class_name="version-file")),
        rx.hstack(
            rx.input(
                placeholder="Change note (the note and switches also go with Restore)",
                value=VersionsState.note,
                on_change=VersionsState.set_note,
                size="1",
                max_length=2000,
                id="version-note",
            ),
            rx.hstack(
                rx.switch(checked=VersionsState.major, on_change=VersionsState.set_major, size="1", id="version-major"),
                rx.text("major", size="1"),
                align="center",
            ),
            rx.tooltip(
                rx.hstack(
                    rx.switch(
                        checked=VersionsState.urgent, on_change=VersionsState.set_urgent, size="1", id="version-urgent"
                    ),
                    rx.text("urgent", size="1"),
                    align="center",
                ),
                content="Alert the asset's people now, even in their quiet hours (a wrong price is live)",
            ),
            rx.button(
                "Upload new version",
                on_click=VersionsState.receive_upload(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
                size="1",
                id="version-upload-button",
            ),
            wrap="wrap",
            align="center",
        ),
        width="100%",
        id="version-form",
    )


def versions_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Versions", size="3"),
        rx.foreach(AssetState.versions, _row),
        rx.cond(AssetState.edit.can_edit, _upload_form()),
        outcome(VersionsState.message, ok=True, id="version-ok"),
        outcome(VersionsState.error, ok=False, id="version-error"),
        align="start",
        width="100%",
        id="versions",
    )
