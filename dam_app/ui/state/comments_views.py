"""The asset page's comment threads as display values: each thread's pin (numbered, boxed on the
preview when it marks a spot of the picture), where it stands on the version shown, and its
comments, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dam_app.accounts.principal import Principal
from dam_app.comments import anchors
from dam_app.comments.service import ThreadsPage, ThreadView
from dam_app.ui import routes
from dam_app.ui.state.text_views import percent

PLACEMENT_COLOURS = {"untouched": "green", "changed": "amber", "unplaced": "red", "placed": "blue"}


@dataclass
class CommentRow:
    id: int = 0
    author: str = ""
    at: str = ""
    body: str = ""
    edited: str = ""  # "edited 2 times", or ""
    mine: bool = False


PLACE_MODES = {"picture": "pin", "time": "time", "text": "phrase"}  # the compose form's modes


@dataclass
class ThreadRow:
    id: int = 0
    number: int = 0
    where: str = ""  # "Region at 12%, 30%", "0:12 to 0:14", "“phrase” in the copy", "Whole version"
    made_on: str = ""  # "on v1.0"
    placement: str = ""  # "" on its own version; untouched, changed, unplaced
    placement_label: str = ""
    placement_note: str = ""
    colour: str = "gray"
    resolved: bool = False
    internal: bool = False
    comments: list[CommentRow] = field(default_factory=list)
    frame_url: str = ""  # a video thread: its frame
    place_mode: str = ""  # carried to the version shown and open: how to mark its place by hand (pin, time, phrase)
    boxed: bool = False
    left: str = ""
    top: str = ""
    width: str = ""
    height: str = ""


@dataclass
class CommentsView:
    threads: list[ThreadRow] = field(default_factory=list)
    note: str = ""
    open_count: int = 0
    can_internal: bool = False


def comments_view(page: ThreadsPage, principal: Principal) -> CommentsView:
    threads = [_thread_row(t, n, principal) for n, t in enumerate(page.threads, start=1)]
    shown = f"{len(threads)} of {page.total}" if page.total > len(threads) else str(page.total)
    return CommentsView(
        threads=threads,
        note=f"{shown} thread{'s' * (page.total != 1)} here; {page.open} open.",
        open_count=page.open,
        can_internal=principal.can("comment.internal"),
    )


def _at(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _thread_row(t: ThreadView, number: int, principal: Principal) -> ThreadRow:
    box = anchors.box_of(t.anchor) if t.anchor else None
    row = ThreadRow(
        id=t.id,
        number=number,
        where=anchors.describe(t.anchor) if t.anchor or not t.placement else "Not placed on this version",
        made_on=f"on {t.version_label}",
        placement=t.placement,
        placement_label=t.placement_label,
        placement_note=t.placement_note,
        colour=PLACEMENT_COLOURS.get(t.placement, "gray"),
        resolved=t.resolved,
        internal=t.internal,
        frame_url=routes.rendition_url(t.frame_id) if t.frame_id else "",
        place_mode=PLACE_MODES.get(t.kind, "") if t.placement and not t.resolved else "",
        comments=[
            CommentRow(
                id=c.id,
                author=c.author,
                at=_at(c.created_at),
                body=c.body,
                edited=f"edited {c.edits} time{'s' * (c.edits != 1)}" if c.edits else "",
                mine=c.author == principal.email,
            )
            for c in t.comments
        ],
    )
    if box is not None:
        row.boxed = True
        row.left, row.top = percent(box.x), percent(box.y)
        row.width, row.height = percent(box.w), percent(box.h)
    return row
