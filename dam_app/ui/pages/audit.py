"""Audit: who approved, excepted, changed rights or downloaded a blocked original anyway, newest
first, filtered by kind, person, asset and dates; the same selection as CSV."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.audit import KIND_OPTIONS, AuditRow, AuditState


def _row(r: rx.Var[AuditRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.at, white_space="nowrap"),
        rx.table.cell(r.actor),
        rx.table.cell(r.label),
        rx.table.cell(rx.cond(r.asset_url != "", rx.link(r.asset_title, href=r.asset_url), "")),
        rx.table.cell(rx.text(r.summary, size="1")),
        class_name="audit-row",
    )


def _input(name: str, placeholder: str, value: rx.Var[str], **props: object) -> rx.Component:
    return rx.input(
        placeholder=placeholder,
        value=value,
        on_change=lambda v: AuditState.set_filter_text(name, v),
        size="1",
        id=f"audit-{name}",
        **props,
    )


@signed_in_page("Audit")
def audit_page() -> rx.Component:
    s = AuditState
    return rx.vstack(
        rx.heading("Audit", size="7"),
        rx.cond(
            s.denied,
            rx.callout("The audit trail is for reviewers and admins.", icon="lock"),
            rx.vstack(
                rx.hstack(
                    rx.select.root(
                        rx.select.trigger(),
                        rx.select.content(*[rx.select.item(label, value=key) for key, label in KIND_OPTIONS]),
                        value=s.kind,
                        on_change=s.set_kind,
                        size="1",
                    ),
                    _input("actor", "Who (part of an e-mail)", s.actor, max_length=200),
                    _input("asset", "Asset id", s.asset, max_length=40),
                    _input("since", "From", s.since, type="date"),
                    _input("until", "Until (not included)", s.until, type="date"),
                    rx.button("Filter", on_click=s.apply_filters, size="1", id="audit-apply"),
                    # A document load, not the router's client-side navigation: the CSV is a download.
                    rx.link("Export CSV", href=s.export_url, reload_document=True, id="audit-export", size="2"),
                    wrap="wrap",
                    align="center",
                ),
                outcome(s.error, ok=False, id="audit-error"),
                rx.cond(
                    s.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[rx.table.column_header_cell(h) for h in ("When", "Who", "What", "Asset", "Details")]
                            )
                        ),
                        rx.table.body(rx.foreach(s.rows, _row)),
                        id="audit",
                        width="100%",
                        size="1",
                    ),
                    rx.text("Nothing recorded under these filters.", id="audit-empty"),
                ),
                rx.hstack(
                    rx.button(
                        "Newer", on_click=s.previous_page, disabled=s.pages.length() == 0, size="1", variant="soft"
                    ),
                    rx.button("Older", on_click=s.next_page, disabled=s.next_before == 0, size="1", variant="soft"),
                ),
                width="100%",
                align="start",
            ),
        ),
        width="100%",
        align="start",
    )
