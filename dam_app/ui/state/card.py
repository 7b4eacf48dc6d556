"""The card page: a request's fields (edited with the revision the page showed), its checklist,
attached assets with what they cover, reuse suggestions from the library, and its history; live, so
an edit, a move or a tick by anyone shows without a reload, and a deleted card says so."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, BinaryIO

import reflex as rx

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets.ingest import Outcome
from dam_app.boards import card_comments, cards, checklists
from dam_app.boards.due import zone
from dam_app.boards.models import UNREVISED_CHANGES
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.events import CardChanged
from dam_app.storage.spool import UploadTooLarge, spooled
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.card_views import (
    NOBODY,
    AssetView,
    CardPage,
    CommentView,
    NeedView,
    StepView,
    read_card,
    read_suggestions,
    viewer_zone,
)
from dam_app.ui.state.notices import news
from dam_app.ui.state.session import SessionState

FORMATS = ("1:1", "4:5", "9:16", "1.91:1", "16:9")
CARD_UPLOAD = "card-upload"
MAX_FILES = 10  # dropped onto one card at once


def _words(text: str, upper: bool = False) -> list[str]:
    parts = [w.strip() for w in text.replace(",", " ").split() if w.strip()]
    return [w.upper() for w in parts] if upper else parts


def _save(principal: Principal, card_id: uuid.UUID, form: dict[str, Any], shown: CardPage) -> str:
    """ "" when saved, else why not (the card as it is now is read again either way). The due time
    is sent only when the viewer changed it: the form shows it to the minute, so an untouched field
    of an overdue card would otherwise read as a new time in the past."""
    try:
        with session_scope() as session:
            due_text = str(form.get("due", "")).strip()
            changes: dict[str, Any] = {}
            if due_text != shown.due_input:  # the form's local time, in the viewer's own zone
                local = zone(viewer_zone(session, principal))
                changes["due_at"] = datetime.fromisoformat(due_text).replace(tzinfo=local) if due_text else None
            owner = str(form.get("owner", shown.owner_id))
            if owner != shown.owner_id:
                changes["owner_id"] = None if owner == NOBODY else uuid.UUID(owner)
            changes |= {
                "title": str(form.get("title", "")),
                "brief": str(form.get("brief", "")),
                "markets": _words(str(form.get("markets", "")), upper=True),
                "channels": _words(str(form.get("channels", ""))),
                "formats": [f for f in FORMATS if form.get(f"format-{f}")],
                "languages": _words(str(form.get("languages", ""))),
            }
            cards.edit_card(
                session=session, principal=principal, card_id=card_id, changes=changes, expected_revision=shown.revision
            )
    except ValueError:
        return "the due time is not a date and time, or the owner is not a person"
    except DamError as exc:
        return exc.message
    return ""


def _refusal(action: Callable[..., object], /, **arguments: Any) -> str:
    """Run one of the card's changes (boards.cards, card_comments) in its own transaction: "" when
    done, else why it was refused."""
    try:
        with session_scope() as session:
            action(session=session, **arguments)
    except DamError as exc:
        return exc.message
    return ""


def _delete(principal: Principal, card_id: uuid.UUID, revision: int) -> str:
    return _refusal(cards.delete_card, principal=principal, card_id=card_id, expected_revision=revision)


def _tick(principal: Principal, step_id: uuid.UUID, done: bool) -> str:
    return _refusal(cards.change_step, principal=principal, item_id=step_id, change=checklists.ItemChange(done=done))


def _attach(principal: Principal, card_id: uuid.UUID, asset: str, attach: bool) -> str:
    try:
        asset_id = uuid.UUID(asset.rstrip("/").rsplit("/", 1)[-1])  # an id, or an asset page's address
    except ValueError:
        return f"not an asset id or asset page address: {asset[:80]!r}"
    return _refusal(cards.attach if attach else cards.detach, principal=principal, card_id=card_id, asset_id=asset_id)


def _step_change(principal: Principal, step_id: uuid.UUID, who: str | None, due: str | None) -> str:
    """Reassign (`who`: an id or NOBODY) or reschedule (`due`: the viewer's local time, "" clears)."""
    try:
        change = checklists.ItemChange(
            accountable_id=uuid.UUID(who) if who and who != NOBODY else None,
            clear_accountable=who == NOBODY,
            due_at=_local(principal, due) if due else None,
            clear_due=due == "",
        )
    except ValueError:
        return "not a person, or not a date and time"
    return _refusal(cards.change_step, principal=principal, item_id=step_id, change=change)


def _local(principal: Principal, text: str) -> datetime:
    """A datetime-local field's value, in the viewer's own zone."""
    with session_scope() as session:
        return datetime.fromisoformat(text).replace(tzinfo=zone(viewer_zone(session, principal)))


def _comment(principal: Principal, card_id: uuid.UUID, body: str) -> str:
    return _refusal(card_comments.add_comment, principal=principal, card_id=card_id, body=body)


def _upload(principal: Principal, card_id: uuid.UUID, file: BinaryIO, filename: str) -> tuple[bool, str]:
    """(stored and attached, what happened) for one file dropped onto the card."""
    try:
        with spooled(file) as path, session_scope() as session:
            result = cards.upload_onto(
                session=session, principal=principal, card_id=card_id, path=path, filename=filename
            )
    except UploadTooLarge as exc:
        return False, f"{filename}: {exc}"
    except DamError as exc:
        return False, f"{filename}: {exc.message}"
    return result.outcome != Outcome.FAILED, f"{result.filename}: {result.message}"


class CardState(SessionState):
    found: bool = True
    gone: str = ""  # the card was deleted while open: by whom
    page: CardPage | None = None
    steps: list[StepView] = []
    attached: list[AssetView] = []
    needs: list[NeedView] = []
    history: list[str] = []
    comments: list[CommentView] = []
    draft: str = ""  # the comment being written (kept when it is refused)
    suggestions: list[AssetView] = []
    words: str = ""  # the viewer's own search words for suggestions ("" : the card's title and brief)
    error: str = ""
    said: str = ""
    _read_at: float = 0.0

    def _card_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(getattr(self, routes.CARD_ID)))
        except ValueError:
            return None

    @rx.var
    def formats_all(self) -> list[list[str]]:
        """Each format with "on" when the card asks for it (the form's checkboxes)."""
        asked = self.page.formats if self.page else []
        return [[f, "on" if f in asked else ""] for f in FORMATS]

    @rx.event
    @offload.guarded
    async def load(self):
        self.error = self.said = self.gone = ""
        self.words = ""
        principal = await self._reload(with_suggestions=True)
        if self.page is not None and principal is not None:
            board_id = uuid.UUID(self.page.board_url.rsplit("/", 1)[-1])
            await live.follow(self, events.board_topic(board_id), principal, CardState.on_live)

    async def _reload(self, *, with_suggestions: bool = False) -> Principal | None:
        principal, card_id = await self._principal(), self._card_id()
        if principal is None:
            return None
        self._read_at = time.time()
        page = await self._blocking(read_card, principal, card_id) if card_id else None
        self.found, self.page = page is not None, page
        if page is not None and card_id is not None:
            self.steps, self.attached, self.needs, self.history = page.steps, page.attached, page.needs, page.history
            self.comments = page.comments
            if with_suggestions:
                self.suggestions = await self._blocking(read_suggestions, principal, card_id, self.words)
        return principal

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """Someone changed this card (anywhere): read it again; deleted: say by whom."""
        card_id = str(self._card_id())
        mine = [n for n in news(notices, self._read_at) if n.kind == CardChanged.type and n.card_id == card_id]
        if not mine:
            return
        last = mine[-1]
        shown = self.page.revision if self.page else 0
        if last.label not in UNREVISED_CHANGES and last.revision <= shown:
            return  # this page shows that revision already (its own save, or a read since)
        if last.label == "deleted":
            self.gone = f"{last.by or 'Someone'} deleted this request."
            return
        await self._reload()
        self.said = f"{last.by or 'Someone'} {last.label} this card"

    @rx.event
    @offload.guarded
    async def save(self, form: dict[str, Any]):
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None or self.page is None:
            return
        self.error = await self._blocking(_save, principal, card_id, form, self.page)
        self.said = self.error or "Saved."
        await self._reload(with_suggestions=not self.error)

    @rx.event
    @offload.guarded
    async def delete(self):
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None or self.page is None:
            return None
        board = self.page.board_url
        self.error = await self._blocking(_delete, principal, card_id, self.page.revision)
        if self.error:
            await self._reload()
            return None
        return rx.redirect(board)

    @rx.event
    @offload.guarded
    async def tick(self, step_id: str, done: bool):
        principal = await self._principal()
        if principal is None:
            return
        self.error = await self._blocking(_tick, principal, uuid.UUID(step_id), done)
        await self._reload()

    @rx.event
    @offload.guarded
    async def assign(self, step_id: str, who: str):
        await self._change_step(step_id, who, None)

    @rx.event
    @offload.guarded
    async def reschedule(self, step_id: str, due: str):
        await self._change_step(step_id, None, due.strip())

    async def _change_step(self, step_id: str, who: str | None, due: str | None) -> None:
        principal = await self._principal()
        shown = next((s for s in self.steps if s.id == step_id), None)
        if principal is None or shown is None or (due is not None and due == shown.due):
            return
        self.error = await self._blocking(_step_change, principal, uuid.UUID(step_id), who, due)
        await self._reload()

    @rx.event
    @offload.guarded
    async def attach(self, asset: str):
        await self._link(asset, attach=True)

    @rx.event
    @offload.guarded
    async def attach_form(self, form: dict[str, Any]):
        await self._link(str(form.get("asset", "")).strip(), attach=True)

    @rx.event
    @offload.guarded
    async def detach(self, asset: str):
        await self._link(asset, attach=False)

    async def _link(self, asset: str, *, attach: bool) -> None:
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None:
            return
        self.error = await self._blocking(_attach, principal, card_id, asset, attach)
        self.said = self.error or ("Attached." if attach else "Detached.")
        await self._reload(with_suggestions=True)

    @rx.event
    @offload.guarded
    async def upload(self, files: list[rx.UploadFile]):
        """Files made for the request: each stored as an asset of the campaign and attached (a file
        the library holds already is attached as it is); each file's outcome is said."""
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None or not files:
            return
        outcomes = [
            await self._blocking(_upload, principal, card_id, f.file, f.filename or "unnamed")
            for f in files[:MAX_FILES]
        ]
        self.said = "; ".join(message for ok, message in outcomes if ok)
        self.error = "; ".join(message for ok, message in outcomes if not ok)
        await self._reload()

    @rx.event
    def set_draft(self, text: str):
        self.draft = text[:5000]

    @rx.event
    @offload.guarded
    async def post_comment(self):
        """The draft as a comment; the people it @names are alerted. Refused: the draft stays."""
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None:
            return
        self.error = await self._blocking(_comment, principal, card_id, self.draft)
        if not self.error:
            self.draft, self.said = "", "Comment posted."
        await self._reload()

    @rx.event
    @offload.guarded
    async def find(self, form: dict[str, Any]):
        """Suggestions for the viewer's own words (empty: back to the card's title and brief)."""
        principal, card_id = await self._principal(), self._card_id()
        if principal is None or card_id is None:
            return
        self.words = str(form.get("words", "")).strip()[:200]
        self.suggestions = await self._blocking(read_suggestions, principal, card_id, self.words)
