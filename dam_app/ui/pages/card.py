"""One request of a campaign board: edit it (saved with the revision the page showed), tick its
checklist, see which of its markets, languages and formats an attached asset covers, attach an
existing asset (suggested from the library, found by your own words, or pasted as an address)
instead of producing a new one, and read its history."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.outcome import outcome
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.card import CARD_UPLOAD, MAX_FILES, CardState
from dam_app.ui.state.card_views import NOBODY, AssetView, CommentView, NeedView, StepView

NEED_COLOURS = {"gap": "red", "covered": "amber", "approved": "green"}


def _labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control, spacing="1", width="100%")


def _format_choice(choice: rx.Var[list[str]]) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name="format-" + choice[0], default_checked=choice[1] == "on"),
        " ",
        choice[0],
        class_name="card-format",
        style={"marginRight": "1em", "fontSize": "0.9em"},
    )


def _edit_form() -> rx.Component:
    page = CardState.page
    return rx.form(
        rx.vstack(
            _labelled("Title", rx.input(name="title", default_value=page.title, max_length=300, id="card-title-input")),  # type: ignore[union-attr]
            _labelled(
                "Brief",
                rx.text_area(name="brief", default_value=page.brief, max_length=10_000, rows="5", id="card-brief"),  # type: ignore[union-attr]
            ),
            rx.grid(
                _labelled("Markets", rx.input(name="markets", default_value=page.markets, id="card-markets")),  # type: ignore[union-attr]
                _labelled("Channels", rx.input(name="channels", default_value=page.channels)),  # type: ignore[union-attr]
                _labelled("Languages", rx.input(name="languages", default_value=page.languages, id="card-languages")),  # type: ignore[union-attr]
                _labelled("Due (your time)", rx.input(name="due", type="datetime-local", default_value=page.due_input)),  # type: ignore[union-attr]
                columns="2",
                spacing="3",
                width="100%",
            ),
            _labelled(
                "Owner",
                rx.el.select(
                    rx.el.option("nobody", value=NOBODY),
                    rx.foreach(page.people, lambda p: rx.el.option(p[1], value=p[0])),  # type: ignore[union-attr]
                    name="owner",
                    default_value=page.owner_id,  # type: ignore[union-attr]
                    id="card-owner",
                ),
            ),
            _labelled("Formats", rx.flex(rx.foreach(CardState.formats_all, _format_choice), wrap="wrap")),
            rx.hstack(
                rx.button("Save", type="submit", id="card-save"),
                rx.button(
                    "Delete request",
                    type="button",
                    variant="soft",
                    color_scheme="red",
                    on_click=CardState.delete,
                    id="card-delete",
                ),
            ),
            width="100%",
        ),
        on_submit=CardState.save,
        reset_on_submit=False,
        key=page.card_id + "-" + page.revision.to_string(),  # type: ignore[union-attr, operator]  # shows the card as it is
        width="100%",
    )


def _need(need: rx.Var[NeedView]) -> rx.Component:
    return rx.badge(
        need.label,
        " ",
        need.state,
        color_scheme=rx.match(need.state, ("gap", "red"), ("covered", "amber"), "green"),
        class_name="card-need",
        custom_attrs={"data-need": need.label, "data-state": need.state},
    )


def _asset_row(asset: rx.Var[AssetView], action: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.cond(asset.thumbnail != "", rx.image(src=asset.thumbnail, width="56px", height="56px", object_fit="cover")),
        rx.vstack(
            rx.link(asset.title, href=asset.url, size="2"),
            rx.text(asset.note, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        action,
        align="center",
        width="100%",
    )


def _attached(asset: rx.Var[AssetView]) -> rx.Component:
    return rx.box(
        _asset_row(asset, rx.button("Detach", size="1", variant="soft", on_click=CardState.detach(asset.id))),
        class_name="card-attached",
        custom_attrs={"data-asset": asset.title},
        width="100%",
    )


def _suggested(asset: rx.Var[AssetView]) -> rx.Component:
    return rx.box(
        _asset_row(asset, rx.button("Attach", size="1", on_click=CardState.attach(asset.id), class_name="card-attach")),
        class_name="card-suggestion",
        custom_attrs={"data-asset": asset.title},
        width="100%",
    )


def _comment(comment: rx.Var[CommentView]) -> rx.Component:
    return rx.box(
        rx.text(comment.who, " · ", comment.when, size="1", color_scheme="gray"),
        rx.text(comment.body, size="2", white_space="pre-wrap"),
        class_name="card-comment",
    )


def _step(step: rx.Var[StepView]) -> rx.Component:
    return rx.hstack(
        rx.checkbox(
            step.label,
            checked=step.done,
            on_change=lambda done: CardState.tick(step.id, done),
            class_name="card-step",
            custom_attrs={"data-step": step.label},
        ),
        rx.el.select(
            rx.el.option("nobody", value=NOBODY),
            rx.foreach(CardState.page.people, lambda p: rx.el.option(p[1], value=p[0])),  # type: ignore[union-attr]
            value=step.who_id,
            on_change=lambda who: CardState.assign(step.id, who),
            aria_label="Accountable for " + step.label,
            class_name="step-who",
            style={"fontSize": "12px"},
        ),
        rx.el.input(
            type="datetime-local",
            default_value=step.due,
            key=step.id + step.due,
            on_blur=lambda due: CardState.reschedule(step.id, due),
            aria_label="Due (your time) for " + step.label,
            class_name="step-due",
            style={"fontSize": "12px"},
        ),
        spacing="3",
        align="center",
    )


def _side() -> rx.Component:
    return rx.vstack(
        rx.heading("Coverage", size="3"),
        rx.flex(rx.foreach(CardState.needs, _need), wrap="wrap", gap="2", id="card-needs"),
        rx.heading("Attached assets", size="3"),
        rx.foreach(CardState.attached, _attached),
        rx.cond(
            CardState.page.hidden > 0,  # type: ignore[union-attr, operator]
            rx.text(CardState.page.hidden, " more outside your markets", size="1"),  # type: ignore[union-attr]
        ),
        rx.form(
            rx.hstack(
                rx.input(name="asset", placeholder="Asset id or page address", size="1", width="18em"),
                rx.button("Attach", type="submit", size="1", variant="soft"),
            ),
            on_submit=CardState.attach_form,
            reset_on_submit=True,
        ),
        rx.upload(
            rx.text("Drop files made for this request here, or click to choose", size="1"),
            id=CARD_UPLOAD,
            multiple=True,
            max_files=MAX_FILES,
            on_drop=CardState.upload(rx.upload_files(upload_id=CARD_UPLOAD)),
            border=f"1px dashed {rx.color('accent', 7)}",
            border_radius="8px",
            padding="0.6em",
            width="100%",
            class_name="card-upload",
        ),
        rx.heading("Could be reused", size="3"),
        rx.form(
            rx.hstack(
                rx.input(name="words", placeholder="Other words to search the library", size="1", width="18em"),
                rx.button("Find", type="submit", size="1", variant="soft"),
            ),
            on_submit=CardState.find,
        ),
        rx.cond(
            CardState.suggestions.length() == 0,  # type: ignore[attr-defined]
            rx.text("Nothing in the library matches this request yet: try other words.", size="1"),
        ),
        rx.box(rx.foreach(CardState.suggestions, _suggested), id="card-suggestions", width="100%"),
        rx.heading("Checklist", size="3"),
        rx.vstack(rx.foreach(CardState.steps, _step), spacing="1", id="card-checklist"),
        rx.heading("Comments", size="3"),
        rx.vstack(rx.foreach(CardState.comments, _comment), spacing="2", id="card-comments", width="100%"),
        rx.text_area(
            placeholder="Comment; @name someone (e-mail or its first part) to alert them",
            value=CardState.draft,
            on_change=CardState.set_draft,
            max_length=5000,
            width="100%",
            id="card-comment-text",
        ),
        rx.button("Post", size="1", on_click=CardState.post_comment, id="card-comment-post"),
        rx.heading("History", size="3"),
        rx.vstack(rx.foreach(CardState.history, lambda line: rx.text(line, size="1")), spacing="0", id="card-history"),
        width="100%",
        spacing="3",
    )


@signed_in_page("Request")
def card_page() -> rx.Component:
    page = CardState.page
    return rx.cond(
        CardState.found,
        rx.vstack(
            rx.link("← ", page.board_title, href=page.board_url, id="card-board"),  # type: ignore[union-attr]
            rx.hstack(
                rx.heading(page.title, size="6", id="card-title"),  # type: ignore[union-attr]
                rx.badge(page.where, size="2", id="card-where"),  # type: ignore[union-attr]
                align="center",
                wrap="wrap",
            ),
            rx.text(page.due, " ", rx.cond(page.owner != "", "· owner " + page.owner, ""), size="2", id="card-due"),  # type: ignore[union-attr, operator]
            rx.cond(CardState.gone != "", rx.callout(CardState.gone, icon="info", color_scheme="red", id="card-gone")),
            outcome(CardState.error, ok=False, id="card-error"),
            rx.box(CardState.said, custom_attrs={"aria-live": "polite", "role": "status"}, id="card-said"),
            rx.grid(_edit_form(), _side(), columns="2", spacing="6", width="100%"),
            width="100%",
        ),
        rx.callout(
            "This request does not exist (any more) or is outside your markets.", icon="info", id="card-missing"
        ),
    )
