"""Review: the queue of what waits for my decision in my markets, oldest first; j / k move through
it and Enter opens the asset, where the decision is made."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.inbox import InboxState, MentionRow
from dam_app.ui.state.review_queue import PAGE, ReviewQueueState

# j / k select the next or previous row, Enter opens it (outside text fields); added once per tab.
KEYS = """
if (!window.__damQueueKeys) {
  window.__damQueueKeys = true;
  document.addEventListener('keydown', (event) => {
    if (!location.pathname.startsWith('/review')) return;
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
    const rows = [...document.querySelectorAll('.queue-row')];
    if (!rows.length) return;
    let at = rows.findIndex((row) => row.classList.contains('selected'));
    if (event.key === 'j') at = Math.min(rows.length - 1, at + 1);
    else if (event.key === 'k') at = Math.max(0, at - 1);
    else if (event.key === 'Enter' && at >= 0) { rows[at].querySelector('a').click(); return; }
    else return;
    rows.forEach((row) => row.classList.remove('selected'));
    rows[at].classList.add('selected');
    rows[at].scrollIntoView({ block: 'nearest' });
  });
}
"""


def _row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(r.title, href=r.url, class_name="queue-link")),
        rx.table.cell(r.version),
        rx.table.cell(r.awaiting),
        rx.table.cell(rx.cond(r.findings != "", rx.badge(r.findings, color_scheme="red"))),
        rx.table.cell(r.waiting),
        class_name="queue-row",
    )


def _mention(m: rx.Var[MentionRow]) -> rx.Component:
    return rx.hstack(
        rx.cond(m.unread, rx.badge("new", color_scheme="blue")),
        rx.link(m.title, href=m.url),
        rx.text(m.by, ": ", m.excerpt, size="1", color_scheme="gray", trim="both"),
        rx.text(m.at, size="1", color_scheme="gray"),
        class_name=rx.cond(m.unread, "mention unread", "mention"),
        wrap="wrap",
        align="center",
    )


def _inbox() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Mentions", size="4"),
            rx.button("Mark all read", on_click=InboxState.mark_all_read, size="1", variant="soft", id="mark-read"),
            align="center",
        ),
        rx.cond(
            InboxState.mentions.length() > 0,
            rx.vstack(rx.foreach(InboxState.mentions, _mention), id="inbox", spacing="1"),
            rx.text("No one has mentioned you yet.", size="2", color_scheme="gray", id="inbox-empty"),
        ),
        align="start",
        width="100%",
    )


@signed_in_page("Review")
def review_page() -> rx.Component:
    s = ReviewQueueState
    return rx.vstack(
        rx.heading("Review", size="7"),
        rx.script(KEYS),
        _inbox(),
        rx.cond(
            s.denied,
            rx.callout("Only reviewers have a review queue.", icon="lock"),
            rx.vstack(
                rx.text(
                    s.total,
                    " versions wait for a decision in your markets, oldest first. ",
                    "j / k move, Enter opens; each market requires its own stages.",
                    size="2",
                    color_scheme="gray",
                    id="queue-total",
                ),
                rx.cond(
                    s.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in ("Asset", "Version", "Waits for", "Compliance", "Waiting")
                                ]
                            )
                        ),
                        rx.table.body(rx.foreach(s.rows, _row)),
                        id="queue",
                        width="100%",
                    ),
                    rx.text("Nothing waits for you.", id="queue-empty"),
                ),
                rx.hstack(
                    rx.button("Previous", on_click=s.previous_page, disabled=s.offset == 0, size="1", variant="soft"),
                    rx.button(
                        "Next", on_click=s.next_page, disabled=s.offset + PAGE >= s.total, size="1", variant="soft"
                    ),
                ),
                width="100%",
                align="start",
            ),
        ),
        width="100%",
        align="start",
    )
