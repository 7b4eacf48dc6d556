"""The comments form of an asset page: start a thread on the whole version, on a spot drawn on the
picture, at the video's current time or on a phrase selected in the copy; reply, edit one's own
comment, resolve and reopen; filter the list. The threads it shows come from AssetState's read
(with the filters kept there, so a live refresh keeps them)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.comments import anchors
from dam_app.comments import service as comments_service
from dam_app.db import session_scope
from dam_app.errors import DamError, Invalid
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState

WHOLE, PIN, TIME, PHRASE = "whole", "pin", "time", "phrase"
MODES = [
    [WHOLE, "Whole version"],
    [PIN, "Spot on the picture"],
    [TIME, "Video's current time"],
    [PHRASE, "Selected words"],
]

# What the browser knows and the server does not: the spot drawn on the preview (a drag draws a
# box, a click a point), the player's time, the words selected in the copy. Installed once per tab.
PIN_SCRIPT = """
if (!window.__damComments) {
  window.__damComments = true;
  let from = null;
  const spot = (frame, event) => {
    const r = frame.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (event.clientX - r.left) / r.width)),
            Math.min(1, Math.max(0, (event.clientY - r.top) / r.height))];
  };
  document.addEventListener('mousedown', (event) => {
    const frame = event.target.closest('#preview-frame');
    if (!frame || event.button !== 0 || !document.querySelector('#comment-mode-pin')) return;
    event.preventDefault();
    from = { frame, at: spot(frame, event) };
  });
  document.addEventListener('mouseup', (event) => {
    if (!from) return;
    const [x2, y2] = spot(from.frame, event);
    let [x, y] = from.at;
    let w = Math.abs(x2 - x), h = Math.abs(y2 - y);
    if (w < 0.01 && h < 0.01) { w = 0; h = 0; } else { x = Math.min(x, x2); y = Math.min(y, y2); }
    window.__damPin = { x, y, w, h };
    let mark = from.frame.querySelector('.new-pin');
    if (!mark) { mark = document.createElement('div'); mark.className = 'new-pin'; from.frame.appendChild(mark); }
    Object.assign(mark.style, { position: 'absolute', left: (x * 100) + '%', top: (y * 100) + '%',
      width: w ? (w * 100) + '%' : '14px', height: h ? (h * 100) + '%' : '14px',
      border: '2px dashed var(--accent-9)', borderRadius: w ? '2px' : '50%', pointerEvents: 'none',
      transform: w ? '' : 'translate(-50%, -50%)' });
    from = null;
  });
  window.__damAnchor = (mode) => {
    if (mode === 'pin') return JSON.stringify(window.__damPin || null);
    if (mode === 'time') {
      const video = document.querySelector('video');
      return JSON.stringify(video ? { t: video.currentTime } : null);
    }
    if (mode === 'phrase') return JSON.stringify(window.__damPhrase || null);
    return 'null';
  };
  // The last words selected in the copy (a click on the form may clear the selection itself).
  document.addEventListener('selectionchange', () => {
    const box = document.querySelector('#copy-text');
    const selection = window.getSelection();
    if (!box || !selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    const before = range.cloneRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    window.__damPhrase = { exact: range.toString(), start, end: start + range.toString().length };
  });
  window.__damClearPin = () => {
    window.__damPin = null;
    window.__damPhrase = null;
    document.querySelectorAll('.new-pin').forEach((mark) => mark.remove());
  };
}
"""


CLEAR_MARK = "window.__damClearPin && window.__damClearPin()"


def _ask_for_mark(mode: str, then: Any) -> Any:
    """Ask the browser what is marked in `mode`; its answer goes to the event `then`."""
    return rx.call_script(f"window.__damAnchor({json.dumps(mode)})", callback=then)


def anchor_from_browser(mode: str, raw: str) -> dict[str, Any] | None:
    """The W3C selector for what the browser reported in `mode`; Invalid when nothing was marked."""
    if mode == WHOLE:
        return None
    try:
        found = json.loads(raw) if raw else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        hint = {PIN: "drag a box or click a spot on the picture", TIME: "play the video to the moment",
                PHRASE: "select the words in the copy"}.get(mode, "")  # fmt: skip
        raise Invalid(f"nothing marked yet: {hint}")
    try:
        if mode == PIN:
            box = anchors.Box(*(float(found[k]) for k in ("x", "y", "w", "h")))
            return anchors.region_anchor(box)["selector"]
        if mode == TIME:
            return anchors.time_anchor(max(0.0, float(found["t"])), None)["selector"]
        exact, start, end = str(found["exact"]), int(found["start"]), int(found["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid("the browser did not say where: mark the spot, time or words again") from exc
    return {
        "field": "copy",
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _start(principal: Principal, asset_id: uuid.UUID, version_id: str, anchor: Any, body: str, internal: bool) -> None:
    with session_scope() as session:
        comments_service.add(
            session=session, principal=principal, asset_id=asset_id, body=body, anchor=anchor,
            version_id=uuid.UUID(version_id) if version_id else None, internal=internal,
        )  # fmt: skip


def _reply(principal: Principal, asset_id: uuid.UUID, thread_id: int, body: str) -> None:
    with session_scope() as session:
        comments_service.add(session=session, principal=principal, asset_id=asset_id, body=body, parent_id=thread_id)


def _edit(principal: Principal, asset_id: uuid.UUID, comment_id: int, body: str) -> None:
    with session_scope() as session:
        comments_service.edit(session=session, principal=principal, asset_id=asset_id, comment_id=comment_id, body=body)


def _place(principal: Principal, asset_id: uuid.UUID, version_id: str, anchor: Any, thread_id: int) -> None:
    with session_scope() as session:
        comments_service.place(
            session=session, principal=principal, asset_id=asset_id, thread_id=thread_id,
            version_id=uuid.UUID(version_id), anchor=anchor,
        )  # fmt: skip


def _resolve(principal: Principal, asset_id: uuid.UUID, thread_id: int, resolved: bool) -> None:
    with session_scope() as session:
        comments_service.set_resolved(
            session=session, principal=principal, asset_id=asset_id, thread_id=thread_id, resolved=resolved
        )


class CommentsState(AssetPanel):
    body: str = ""
    mode: str = WHOLE
    internal: bool = False
    reply_to: int = 0
    reply_body: str = ""
    editing: int = 0
    edit_body: str = ""
    placing: int = 0  # the thread whose pin is being placed by hand on the version shown
    placing_on: str = ""  # that version (a live refresh may show a newer one meanwhile)
    error: str = ""
    message: str = ""

    def _prepare(self, asset: AssetState) -> None:
        self.body, self.mode, self.internal, self.error, self.message = "", WHOLE, False, "", ""
        self.reply_to, self.reply_body, self.editing, self.edit_body = 0, "", 0, ""
        self.placing = 0

    @rx.event
    def set_body(self, value: str):
        self.body = value

    @rx.event
    def set_mode(self, value: str):
        self.mode = value if value in (WHOLE, PIN, TIME, PHRASE) else WHOLE

    @rx.event
    def set_internal(self, value: bool):
        self.internal = value

    @rx.event
    def open_reply(self, thread_id: int):
        self.reply_to, self.reply_body, self.error = thread_id, "", ""

    @rx.event
    def set_reply_body(self, value: str):
        self.reply_body = value

    @rx.event
    def open_edit(self, comment_id: int, body: str):
        self.editing, self.edit_body, self.error = comment_id, body, ""

    @rx.event
    def set_edit_body(self, value: str):
        self.edit_body = value

    @rx.event
    def cancel_forms(self):
        self.reply_to, self.editing, self.error = 0, 0, ""
        if self.placing:
            self.placing, self.mode = 0, WHOLE

    @rx.event
    async def start_placing(self, thread_id: int, mode: str):
        """Mark where the thread's pin belongs on this version (a box, the player's time, words)."""
        asset = await self.get_state(AssetState)
        self.placing, self.placing_on, self.error, self.message = thread_id, asset.asset.version_id, "", ""
        self.mode = mode if mode in (PIN, TIME, PHRASE) else PIN

    @rx.event
    def save_place(self):
        return _ask_for_mark(self.mode, CommentsState.place_marked)

    @rx.event
    @offload.guarded
    async def place_marked(self, raw: str):
        if not self.placing:
            return
        if await self._marked("Not placed", raw, _place, self.placing, on=self.placing_on):
            self.placing, self.mode, self.message = 0, WHOLE, "Pin placed; later versions follow it."
            return rx.call_script(CLEAR_MARK)

    @rx.event
    def post(self):
        """Ask the browser what is marked, then start the thread with it (`post_marked`)."""
        return _ask_for_mark(self.mode, CommentsState.post_marked)

    @rx.event
    @offload.guarded
    async def post_marked(self, raw: str):
        if await self._marked("Not posted", raw, _start, self.body, self.internal):
            self.body, self.message = "", "Comment posted."
            return rx.call_script(CLEAR_MARK)

    async def _marked(self, failed: str, raw: str, action: Any, *args: Any, on: str = "") -> bool:
        """Run `action(principal, asset id, version, anchor, *args)` with what the browser marked in the
        current mode, on version `on` (default: the one shown); the page reads again once it is done."""
        principal = await self._principal()
        if principal is None:
            return False
        asset = await self.get_state(AssetState)
        try:
            anchor = anchor_from_browser(self.mode, str(raw or ""))
            version = on or asset.asset.version_id
            await self._blocking(action, principal, uuid.UUID(asset._asset_id()), version, anchor, *args)
        except DamError as exc:
            self.error, self.message = f"{failed}: {exc.message}", ""
            return False
        self.error = ""
        await asset._refresh()
        return True

    @rx.event
    @offload.guarded
    async def send_reply(self):
        await self._act("Not sent", "Reply posted.", _reply, self.reply_to, self.reply_body)

    @rx.event
    @offload.guarded
    async def save_edit(self):
        await self._act(
            "Not saved", "Comment changed; what it said before is kept.", _edit, self.editing, self.edit_body
        )

    @rx.event
    @offload.guarded
    async def resolve(self, thread_id: int, resolved: bool):
        done = "Thread resolved." if resolved else "Thread reopened."
        await self._act("Not changed", done, _resolve, thread_id, resolved)

    async def _act(self, failed: str, done: str, action: Any, *args: Any) -> None:
        principal = await self._principal()
        if principal is None:
            return
        asset = await self.get_state(AssetState)
        try:
            await self._blocking(action, principal, uuid.UUID(asset._asset_id()), *args)
        except DamError as exc:
            self.error, self.message = f"{failed}: {exc.message}", ""
            return
        self.reply_to, self.reply_body, self.editing, self.edit_body = 0, "", 0, ""
        self.error, self.message = "", done
        await asset._refresh()

    @rx.event
    @offload.guarded
    async def filter_comments(self, name: str, value: str):
        """Which threads by status (open, resolved, all), kept on the page's state."""
        asset = await self.get_state(AssetState)
        if name == "status" and value in ("open", "resolved", "all"):
            asset.comment_status = value
            await asset._refresh()

    @rx.event
    @offload.guarded
    async def toggle_comment_filter(self, name: str, checked: bool):
        """Only mine, only mentioning me, or every version's threads."""
        asset = await self.get_state(AssetState)
        if name in ("mine", "mentions", "all_versions"):
            setattr(asset, f"comment_{name}", bool(checked))
            await asset._refresh()
