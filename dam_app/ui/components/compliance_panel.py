"""The asset page's Compliance section: findings of the rule packs for the version shown, the words
highlighted where they stand, and (for reviewers) accepting one with a reason. Words read from the
picture are also boxed in red on the preview (`finding_boxes`)."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.forms import save_cancel
from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.compliance import ComplianceState
from dam_app.ui.state.compliance_views import FindingRow


def finding_boxes() -> rx.Component:
    return rx.foreach(AssetState.compliance.findings, _box)


def _box(f: rx.Var[FindingRow]) -> rx.Component:
    return rx.cond(
        f.boxed & f.open,
        rx.box(
            title=f.message,
            position="absolute",
            left=f.left,
            top=f.top,
            width=f.width,
            height=f.height,
            border="2px solid var(--red-9)",
            border_radius="2px",
            background="rgba(229, 72, 77, 0.12)",
            class_name="finding-box",
        ),
    )


def _exception_form(f: rx.Var[FindingRow]) -> rx.Component:
    return rx.vstack(
        rx.input(
            placeholder="Why this is acceptable (kept with this version and market)",
            value=ComplianceState.reason,
            on_change=ComplianceState.set_reason,
            size="1",
            max_length=2000,
            width="100%",
            id="exception-reason",
        ),
        rx.cond(
            f.needs_evidence,
            rx.input(
                placeholder="Evidence: study, registration or document",
                value=ComplianceState.evidence,
                on_change=ComplianceState.set_evidence,
                size="1",
                max_length=2000,
                width="100%",
                id="exception-evidence",
            ),
        ),
        save_cancel("Accept", ComplianceState.accept, ComplianceState.close_form, id="exception-save"),
        width="100%",
        spacing="1",
    )


def _finding(f: rx.Var[FindingRow]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.badge(f.market, variant="outline"),
            rx.badge(f.rule, color_scheme=rx.cond(f.open, "red", "gray")),
            rx.text(f.pack, size="1", color_scheme="gray"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(
            rx.text.span(f.where, ": ", weight="medium"),
            f.before,
            rx.el.mark(f.matched, class_name="finding-words"),
            f.after,
            size="2",
            white_space="pre-wrap",
        ),
        rx.text(f.message, size="1", color_scheme="gray"),
        rx.cond(
            f.open,
            rx.cond(
                AssetState.compliance.can_except,
                rx.cond(
                    ComplianceState.finding_id == f.id,
                    _exception_form(f),
                    rx.button(
                        "Accept with a reason",
                        on_click=ComplianceState.open_form(f.id),
                        size="1",
                        variant="soft",
                        class_name="open-exception",
                    ),
                ),
            ),
            rx.text(f.exception, size="1", color_scheme="green", class_name="finding-exception"),
        ),
        class_name=rx.cond(f.open, "finding open", "finding excepted"),
        padding="8px",
        border="1px solid var(--gray-5)",
        border_radius="6px",
        width="100%",
    )


def compliance_section() -> rx.Component:
    c = AssetState.compliance
    return rx.vstack(
        rx.hstack(
            rx.heading("Compliance", size="3"),
            rx.cond(c.open_count > 0, rx.badge(c.open_count, " open", color_scheme="red", id="open-findings")),
            align="center",
            spacing="2",
        ),
        rx.text(c.note, size="1", color_scheme="gray", id="compliance-note"),
        rx.foreach(c.findings, _finding),
        outcome(ComplianceState.error, ok=False, id="compliance-error"),
        outcome(ComplianceState.message, ok=True, id="compliance-ok"),
        align="start",
        width="100%",
        id="compliance",
    )
