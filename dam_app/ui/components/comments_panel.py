"""The asset page's Comments section: threads with their pins (numbered markers on the preview), where
each pin stands on the version shown, replies, edits, resolve and reopen, filters; and the form to
start a thread on the whole version, a spot drawn on the picture, the video's current time, or words
selected in the copy."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.forms import save_cancel, text_form
from dam_app.ui.components.outcome import outcome
from dam_app.ui.state.asset import AssetState
from dam_app.ui.state.comments import MODES, PIN, PIN_SCRIPT, CommentsState
from dam_app.ui.state.comments_views import CommentRow, ThreadRow


def comment_pins() -> rx.Component:
    """Each thread's spot on the preview, numbered as in the list."""
    return rx.foreach(AssetState.comments.threads, _pin)


def _pin(t: rx.Var[ThreadRow]) -> rx.Component:
    point = (t.width == "0.00%") & (t.height == "0.00%")
    return rx.cond(
        t.boxed,
        rx.box(
            rx.text(t.number, size="1", weight="bold", color="white"),
            title=rx.cond(t.comments.length() > 0, t.comments[0].body, ""),
            position="absolute",
            left=t.left,
            top=t.top,
            width=rx.cond(point, "22px", t.width),
            height=rx.cond(point, "22px", t.height),
            transform=rx.cond(point, "translate(-50%, -50%)", ""),
            border=rx.cond(t.resolved, "2px solid var(--gray-8)", "2px solid var(--accent-9)"),
            border_radius=rx.cond(point, "50%", "3px"),
            background="rgba(62, 99, 221, 0.18)",
            display="flex",
            align_items="start",
            justify_content="start",
            padding_left="3px",
            pointer_events="none",
            class_name="comment-pin",
        ),
    )


def _comment(c: rx.Var[CommentRow], thread: rx.Var[ThreadRow]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text.strong(c.author, size="1"),
            rx.text(c.at, size="1", color_scheme="gray"),
            rx.cond(c.edited != "", rx.text(c.edited, size="1", color_scheme="gray", class_name="edited")),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            CommentsState.editing == c.id,
            text_form(
                CommentsState.edit_body,
                CommentsState.set_edit_body,
                "Save",
                CommentsState.save_edit,
                CommentsState.cancel_forms,
                area_id="comment-edit-body",
                save_id="comment-edit-save",
            ),
            rx.text(c.body, size="2", white_space="pre-wrap", class_name="comment-body"),
        ),
        rx.cond(
            c.mine & (CommentsState.editing != c.id) & ~thread.resolved,
            rx.button(
                "Edit",
                on_click=CommentsState.open_edit(c.id, c.body),
                size="1",
                variant="ghost",
                class_name="comment-edit",
            ),
        ),
        padding_left="8px",
        border_left="2px solid var(--gray-5)",
        width="100%",
        class_name="comment",
    )


def _placing(t: rx.Var[ThreadRow]) -> rx.Component:
    """A pin carried to this version (flagged or misplaced) is put where it belongs by hand."""
    return rx.cond(
        CommentsState.placing == t.id,
        rx.hstack(
            rx.text("Mark where it belongs above (a box on the picture, the player's time or words), then", size="1"),
            save_cancel(
                "Save the place", CommentsState.save_place, CommentsState.cancel_forms, class_name="save-place"
            ),
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            t.place_mode != "",
            rx.button(
                "Place the pin by hand",
                on_click=CommentsState.start_placing(t.id, t.place_mode),
                size="1",
                variant="ghost",
                class_name="place-pin",
            ),
        ),
    )


def _thread(t: rx.Var[ThreadRow]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.badge("#", t.number, variant="solid"),
            rx.cond(
                t.frame_url != "",
                rx.image(src=t.frame_url, alt=t.where, height="48px", class_name="thread-frame", loading="lazy"),
            ),
            rx.text(t.where, size="2", weight="medium", class_name="thread-where"),
            rx.text(t.made_on, size="1", color_scheme="gray"),
            rx.cond(t.internal, rx.badge("internal", color_scheme="purple", variant="soft")),
            rx.cond(t.resolved, rx.badge("resolved", color_scheme="gray")),
            rx.cond(
                t.placement != "",
                rx.tooltip(
                    rx.badge(t.placement_label, color_scheme=t.colour, class_name="placement"),
                    content=t.placement_note,
                ),
            ),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        rx.vstack(rx.foreach(t.comments, lambda c: _comment(c, t)), width="100%", spacing="2"),
        _placing(t),
        rx.cond(
            CommentsState.reply_to == t.id,
            text_form(
                CommentsState.reply_body,
                CommentsState.set_reply_body,
                "Reply",
                CommentsState.send_reply,
                CommentsState.cancel_forms,
                area_id="reply-body",
                save_id="reply-send",
                placeholder="Reply (@name to tell someone)",
            ),
            rx.hstack(
                rx.cond(
                    ~t.resolved,
                    rx.button(
                        "Reply",
                        on_click=CommentsState.open_reply(t.id),
                        size="1",
                        variant="soft",
                        class_name="open-reply",
                    ),
                ),
                rx.cond(
                    t.resolved,
                    rx.button(
                        "Reopen",
                        on_click=CommentsState.resolve(t.id, False),
                        size="1",
                        variant="soft",
                        class_name="reopen",
                    ),
                    rx.button(
                        "Resolve",
                        on_click=CommentsState.resolve(t.id, True),
                        size="1",
                        variant="soft",
                        color_scheme="green",
                        class_name="resolve",
                    ),
                ),
            ),
        ),
        class_name=rx.cond(t.resolved, "thread resolved", "thread open"),
        padding="8px",
        border="1px solid var(--gray-5)",
        border_radius="6px",
        width="100%",
    )


def _filters() -> rx.Component:
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(),
            rx.select.content(
                *[
                    rx.select.item(label, value=v)
                    for v, label in (("open", "Open"), ("resolved", "Resolved"), ("all", "All"))
                ]
            ),
            value=AssetState.comment_status,
            on_change=lambda v: CommentsState.filter_comments("status", v),
            size="1",
        ),
        *[
            rx.checkbox(
                label,
                checked=getattr(AssetState, f"comment_{name}"),
                on_change=lambda checked, name=name: CommentsState.toggle_comment_filter(name, checked),
                size="1",
                id=f"comments-{name.replace('_', '-')}",
            )
            for name, label in (("mine", "Mine"), ("mentions", "Mentioning me"), ("all_versions", "All versions"))
        ],
        wrap="wrap",
        align="center",
        spacing="3",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.text_area(
            placeholder="Comment (@name to tell someone; shown as plain text)",
            value=CommentsState.body,
            on_change=CommentsState.set_body,
            max_length=5000,
            width="100%",
            id="comment-body",
        ),
        rx.hstack(
            rx.select.root(
                rx.select.trigger(),
                rx.select.content(*[rx.select.item(label, value=v) for v, label in MODES]),
                value=CommentsState.mode,
                on_change=CommentsState.set_mode,
                size="1",
            ),
            rx.cond(
                CommentsState.mode == PIN,
                rx.text(
                    "Drag a box or click a spot on the preview.", size="1", color_scheme="gray", id="comment-mode-pin"
                ),
            ),
            rx.cond(
                AssetState.comments.can_internal,
                rx.checkbox(
                    "Internal (never shown to external reviewers)",
                    checked=CommentsState.internal,
                    on_change=CommentsState.set_internal,
                    size="1",
                    id="comment-internal",
                ),
            ),
            rx.button("Comment", on_click=CommentsState.post, size="1", id="comment-post"),
            wrap="wrap",
            align="center",
        ),
        width="100%",
    )


def comments_section() -> rx.Component:
    c = AssetState.comments
    return rx.vstack(
        rx.script(PIN_SCRIPT),
        rx.hstack(
            rx.heading("Comments", size="3"),
            rx.cond(c.open_count > 0, rx.badge(c.open_count, " open", id="open-threads")),
            align="center",
            spacing="2",
        ),
        _filters(),
        rx.text(c.note, size="1", color_scheme="gray", id="comments-note"),
        rx.foreach(c.threads, _thread),
        _form(),
        rx.cond(
            AssetState.copy_text != "",
            rx.box(
                rx.text("Copy (select words to comment on them)", size="1", color_scheme="gray"),
                rx.text(AssetState.copy_text, size="2", white_space="pre-wrap", id="copy-text"),
                max_height="240px",
                overflow_y="auto",
                width="100%",
                padding="6px",
                border="1px dashed var(--gray-6)",
                border_radius="6px",
            ),
        ),
        outcome(CommentsState.error, ok=False, id="comments-error"),
        outcome(CommentsState.message, ok=True, id="comments-ok"),
        align="start",
        width="100%",
        id="comments",
    )
