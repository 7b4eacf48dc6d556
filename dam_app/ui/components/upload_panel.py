"""Drag-and-drop upload of many files with classification, progress and a result per file."""

from __future__ import annotations

import reflex as rx

from dam_app.ui import routes
from dam_app.ui.state.library import UPLOAD_ID, LibraryState


def _select(placeholder: str, options: rx.Var[list[list[str]]], on_change, value) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o[1], value=o[0]))),
        value=value,
        on_change=on_change,
    )


def upload_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Upload", size="4"),
            rx.upload(
                rx.vstack(
                    rx.icon("upload", size=28),
                    rx.text("Drop files here or click to choose (images, videos, copy)"),
                    align="center",
                ),
                id=UPLOAD_ID,
                multiple=True,
                border=f"2px dashed {rx.color('accent', 7)}",
                padding="1.5em",
                width="100%",
                border_radius="10px",
            ),
            rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.text(f, size="1", class_name="selected-file")),
            rx.hstack(
                _select(
                    "Market",
                    LibraryState.market_options,
                    LibraryState.set_upload_market,
                    LibraryState.upload_market,
                ),
                _select(
                    "Content type",
                    LibraryState.type_options,
                    LibraryState.set_upload_type,
                    LibraryState.upload_type,
                ),
                _select(
                    "Phase",
                    LibraryState.phase_options,
                    LibraryState.set_upload_phase,
                    LibraryState.upload_phase,
                ),
                wrap="wrap",
            ),
            rx.hstack(
                rx.button(
                    "Upload",
                    id="upload-button",
                    on_click=LibraryState.receive_upload(
                        rx.upload_files_chunk(upload_id=UPLOAD_ID, on_upload_progress=LibraryState.on_upload_progress)
                    ),
                ),
                rx.button("Clear", variant="soft", on_click=rx.clear_selected_files(UPLOAD_ID)),
            ),
            rx.cond(LibraryState.uploading, rx.progress(value=LibraryState.upload_progress, width="100%")),
            rx.foreach(
                LibraryState.upload_results,
                lambda r: rx.hstack(
                    rx.match(
                        r["outcome"],
                        ("imported", rx.badge("imported", color_scheme="green")),
                        ("duplicate", rx.badge("duplicate", color_scheme="amber")),
                        ("uploading", rx.badge(rx.spinner(size="1"), "uploading", color_scheme="blue")),
                        ("checking", rx.badge(rx.spinner(size="1"), "checking", color_scheme="blue")),
                        rx.badge(r["outcome"], color_scheme="red"),
                    ),
                    rx.cond(
                        r["asset_id"] != "",
                        rx.link(r["filename"], href=routes.asset_url(r["asset_id"]), weight="bold", size="2"),
                        rx.text(r["filename"], weight="bold", size="2"),
                    ),
                    rx.text(r["message"], size="2", color_scheme="gray"),
                    class_name="upload-result",
                    wrap="wrap",
                ),
            ),
            width="100%",
        ),
        width="100%",
    )
