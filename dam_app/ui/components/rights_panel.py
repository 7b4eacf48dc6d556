"""The asset page's "Usable in this market?" section: one verdict per market with its reasons, the
rights records (reviewers and admins add, edit and remove them), and a note in place of the
download link when the original is blocked for the reader (admins may download it anyway, saying why)."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.forms import save_cancel
from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.rights import RightsState
from dam_app.ui.state.rights_views import RecordRow, VerdictRow

VERDICT_COLOURS = (("usable", "green"), ("conditions", "amber"), ("blocked", "red"))
MODEL_RELEASES = ["none", "MR-UMR", "MR-LMR", "MR-NON", "MR-NAP"]
PROPERTY_RELEASES = ["none", "PR-UPR", "PR-LPR", "PR-NON", "PR-NAP"]
MUSIC = ["not recorded", "licensed", "no_music"]


def verdict_badges() -> rx.Component:
    """The verdicts beside the title: one badge per market."""
    return rx.foreach(
        AssetState.rights_panel.verdicts,
        lambda v: rx.badge(
            v.market, ": ", v.label, color_scheme=rx.match(v.verdict, *VERDICT_COLOURS, "gray"), class_name="verdict"
        ),
    )


def _verdict(v: rx.Var[VerdictRow]) -> rx.Component:
    return rx.box(
        rx.badge(v.market, ": ", v.label, color_scheme=rx.match(v.verdict, *VERDICT_COLOURS, "gray"), size="2"),
        rx.foreach(v.reasons, lambda r: rx.text(r, size="1", class_name="verdict-reason")),
        class_name=rx.match(v.verdict, ("blocked", "market-verdict blocked"), "market-verdict"),
        width="100%",
    )


def _record(r: rx.Var[RecordRow]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text.strong(r.licensor),
            rx.text(r.licence_id, size="1", color_scheme="gray"),
            rx.badge(r.scope, variant="outline"),
            rx.text("#", r.id, " · ", r.source, size="1", color_scheme="gray"),
            wrap="wrap",
            align="center",
            spacing="2",
        ),
        rx.text("Markets: ", r.markets, " · ", r.period, " · ", r.usages, size="1"),
        rx.text("Releases: ", r.releases, " · music: ", r.music, " ", r.minors, size="1"),
        rx.cond(r.note != "", rx.text(r.note, size="1", color_scheme="gray", white_space="pre-wrap")),
        rx.cond(
            AssetState.rights_panel.can_edit,
            rx.hstack(
                rx.button(
                    "Edit", on_click=RightsState.edit_record(r.id), size="1", variant="soft", class_name="edit-rights"
                ),
                rx.button(
                    "Remove",
                    on_click=RightsState.remove_record(r.id, r.revision),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    class_name="remove-rights",
                ),
            ),
        ),
        class_name="rights-record",
        padding="8px",
        border="1px solid var(--gray-5)",
        border_radius="6px",
        width="100%",
    )


def _text(name: str, placeholder: str, value: rx.Var[str], **props: object) -> rx.Component:
    return rx.input(
        placeholder=placeholder,
        value=value,
        on_change=lambda v: RightsState.set_field(name, v),
        size="1",
        id=f"rights-{name.replace('_', '-')}",
        **props,
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            _text("licensor", "Licensor or source (e.g. Getty Images)", RightsState.licensor, max_length=200),
            _text("licence_id", "Licence ID", RightsState.licence_id, max_length=200),
            wrap="wrap",
        ),
        rx.hstack(
            _text("markets", "Markets, e.g. CN, NA (GLOBAL: everywhere)", RightsState.markets, max_length=200),
            _text("start", "Start YYYY-MM-DD", RightsState.start, type="date"),
            _text("end", "End YYYY-MM-DD (first day not usable)", RightsState.end, type="date"),
            wrap="wrap",
        ),
        _text("usages", "Usages: web, social, print, tv, ooh (empty: all)", RightsState.usages, max_length=100),
        rx.hstack(
            rx.text("Model release", size="1"),
            rx.select(
                MODEL_RELEASES,
                value=rx.cond(RightsState.model_release == "", "none", RightsState.model_release),
                on_change=RightsState.set_model_release,
                size="1",
                id="rights-model-release",
            ),
            rx.text("Property release", size="1"),
            rx.select(
                PROPERTY_RELEASES,
                value=rx.cond(RightsState.property_release == "", "none", RightsState.property_release),
                on_change=RightsState.set_property_release,
                size="1",
            ),
            rx.checkbox("Minors shown", checked=RightsState.minors, on_change=RightsState.set_minors, size="1"),
            rx.checkbox(
                "Only for this version",
                checked=RightsState.only_version,
                on_change=RightsState.set_only_version,
                size="1",
                id="rights-only-version",
            ),
            wrap="wrap",
            align="center",
        ),
        rx.hstack(
            rx.text("Music", size="1"),
            rx.select(
                MUSIC,
                value=rx.cond(RightsState.music == "", "not recorded", RightsState.music),
                on_change=RightsState.set_music,
                size="1",
                id="rights-music",
            ),
            _text("music_licence", "Music licence (reference)", RightsState.music_licence, max_length=200),
            wrap="wrap",
            align="center",
        ),
        _text("note", "Note", RightsState.note, max_length=2000, width="100%"),
        save_cancel("Save rights", RightsState.save_record, RightsState.cancel_record, id="rights-save"),
        width="100%",
        spacing="2",
        id="rights-form",
    )


def download_block() -> rx.Component:
    """In place of "download the original" when it is blocked for the reader."""
    panel = AssetState.rights_panel
    return rx.cond(
        panel.download_blocked != "",
        rx.callout(
            rx.vstack(
                rx.text(panel.download_blocked, size="2"),
                rx.cond(
                    panel.can_override,
                    rx.hstack(
                        rx.input(
                            placeholder="Why download it anyway (audited)",
                            value=RightsState.override_reason,
                            on_change=RightsState.set_override_reason,
                            size="1",
                            max_length=500,
                            id="override-reason",
                        ),
                        rx.cond(
                            RightsState.override_url != "",
                            rx.link("Download anyway", href=RightsState.override_url, id="override-download"),
                        ),
                    ),
                ),
            ),
            icon="ban",
            color_scheme="red",
            id="download-blocked",
        ),
    )


def rights_section() -> rx.Component:
    panel = AssetState.rights_panel
    return rx.vstack(
        rx.heading("Usable in this market?", size="3"),
        rx.vstack(rx.foreach(panel.verdicts, _verdict), width="100%", id="verdicts"),
        rx.hstack(
            rx.heading("Rights records", size="3"),
            rx.cond(
                panel.can_edit & ~RightsState.editing,
                rx.button("Add rights", on_click=RightsState.new_record, size="1", variant="soft", id="rights-add"),
            ),
            align="center",
            spacing="3",
        ),
        rx.cond(RightsState.editing, _form()),
        rx.cond(
            panel.records.length() > 0,
            rx.vstack(rx.foreach(panel.records, _record), width="100%", id="rights-records"),
            rx.text("No rights records yet.", size="2", color_scheme="gray"),
        ),
        outcome(RightsState.error, ok=False, id="rights-error"),
        outcome(RightsState.message, ok=True, id="rights-ok"),
        align="start",
        width="100%",
        id="rights-panel",
    )
