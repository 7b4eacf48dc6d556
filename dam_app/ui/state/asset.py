"""One asset's page: AssetState reads the asset once per load (assets/overview.py) and shows it; each
panel (review, edit, and those to come) is an AssetPanel that reads its part of that read through
`await self.get_state(AssetState)`, keeps only its own form, and after a write asks AssetState to read
again. The live feed (ui/state/live.py) reports each stage and each new version: the page reads itself again
and a new version shows a toast in every tab that has the asset open."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

import reflex as rx

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets import jobs as asset_jobs
from dam_app.assets import overview
from dam_app.assets import service as assets_service
from dam_app.comments import service as comments_service
from dam_app.db import session_scope
from dam_app.errors import DamError
from dam_app.review import compliance
from dam_app.rights import guard
from dam_app.rights import service as rights_service
from dam_app.ui import routes
from dam_app.ui.state import live, offload
from dam_app.ui.state.asset_views import (
    EditView,
    PageView,
    ReviewView,
    Row,
    StageRow,
    Summary,
    TagRow,
    VersionRow,
    page_view,
)
from dam_app.ui.state.comments_views import CommentsView, comments_view
from dam_app.ui.state.compliance_views import ComplianceView, compliance_view
from dam_app.ui.state.live import news, version_toast
from dam_app.ui.state.notices import concerns_asset_page
from dam_app.ui.state.rights_views import RightsView, rights_view
from dam_app.ui.state.session import SessionState
from dam_app.ui.state.text_views import TextView


@dataclass(frozen=True)
class _Read:
    view: PageView | None  # None: no such asset in the caller's markets


@dataclass(frozen=True)
class CommentFilter:
    status: str = "open"
    mine: bool = False
    mentions: bool = False
    all_versions: bool = False


def _read_page(
    principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID | None = None, talk: CommentFilter | None = None
) -> PageView | None:
    """The whole page in one read (showing `version_id` if given, else the current version), or None:
    no such asset in the caller's markets."""
    try:
        with session_scope() as session:
            read = overview.read(session=session, principal=principal, asset_id=asset_id, version_id=version_id)
            checked = compliance.findings_for(
                session=session, principal=principal, asset_id=asset_id, version_id=version_id
            )
            shown = read.detail.shown or read.detail.current
            judged = guard.verdicts_for(session, principal, read.detail.asset, shown) if shown else []
            records = rights_service.records_for(session=session, principal=principal, asset_id=asset_id)
            panel = rights_view(judged, records, principal)
            talk = talk or CommentFilter()
            threads = comments_service.threads(
                session=session, principal=principal, asset_id=asset_id, status=talk.status, mine=talk.mine,
                mentions=talk.mentions, version_id=None if talk.all_versions or shown is None else shown.id,
            )  # fmt: skip
    except assets_service.AssetNotFound:
        return None
    return replace(
        page_view(read, principal),
        compliance=compliance_view(checked, principal),
        rights_panel=panel,
        comments=comments_view(threads, principal),
        copy_text=((shown.extracted_text or "") if shown else "")[:COPY_SHOWN],
    )


def _note_played(principal: Principal, version_id: uuid.UUID) -> None:
    with session_scope() as session:
        assets_service.note_played(session=session, principal=principal, version_id=version_id)


def _read_text_again(principal: Principal, asset_id: uuid.UUID) -> None:
    with session_scope() as session:
        asset_jobs.rerun_for(session=session, principal=principal, asset_id=asset_id, stages=("ocr",))


COPY_SHOWN = 20_000  # characters of the copy shown to select words in


class AssetState(SessionState):
    found: bool = True
    asset: Summary = Summary()
    preview_url: str = ""
    is_video: bool = False
    original_url: str = ""
    video_url: str = ""
    stages: list[StageRow] = []
    versions: list[VersionRow] = []
    rights: list[Row] = []
    facts: list[Row] = []
    tags: list[TagRow] = []
    look_alikes: list[dict[str, str]] = []
    look_alike_note: str = ""
    processing: bool = False
    review: ReviewView = ReviewView()  # the review panel's data (its form: ReviewState)
    edit: EditView = EditView()  # what the edit form opens on (the form: EditState)
    text: TextView = TextView()  # what OCR read from the shown version
    compliance: ComplianceView = ComplianceView()  # the rule packs' findings (the exception form: ComplianceState)
    rights_panel: RightsView = RightsView()  # verdicts per market and rights records (the form: RightsState)
    comments: CommentsView = CommentsView()  # the threads under the filters below (the forms: CommentsState)
    copy_text: str = ""  # the version's copy, where words are selected to comment on
    comment_status: str = "open"
    comment_mine: bool = False
    comment_mentions: bool = False
    comment_all_versions: bool = False
    show_text_boxes: bool = True
    text_message: str = ""  # "Reading the text again…", or why it could not be asked
    _read_at: float = 0.0  # when the page last read the asset: a live notice from before is shown already
    _played: str = ""  # the version whose playing this visit noted
    _video_version: str = ""  # the version whose video the player has (a new one's, once its read is in)

    def _asset_id(self) -> str:
        """The page's asset: the computed var Reflex adds to every state for the dynamic route
        argument of routes.ASSET (`[asset_id]`), filled from the URL on each event."""
        return str(getattr(self, routes.ASSET_ID))

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._refresh()
        for panel in AssetPanel.get_substates():  # a new visit: no message or form left from the last one
            (await self.get_state(panel))._prepare(self)
        topic = events.asset_topic(self._asset_id())
        await live.follow(self, topic, principal if self.found else None, AssetState.on_live)

    async def _refresh(self) -> Principal | None:
        """Read the asset again and show it; panels call this after a write. Returns the reader."""
        self._read_at = time.time()
        principal = await self._principal()
        self._show(await self._read(principal, self._asset_id()))
        return principal

    async def _read(self, principal: Principal | None, asset_id: str) -> _Read | None:
        """The page's data, or None when signed out."""
        if principal is None:
            return None
        try:
            parsed = uuid.UUID(asset_id)
        except ValueError:
            return _Read(None)
        talk = CommentFilter(self.comment_status, self.comment_mine, self.comment_mentions, self.comment_all_versions)
        return _Read(await self._blocking(_read_page, principal, parsed, self._version_asked(), talk))

    def _version_asked(self) -> uuid.UUID | None:
        """`?version=<id>`: a link to one version; the page then says when a newer one exists."""
        try:
            return uuid.UUID(self.router.url.query_parameters.get("version", ""))
        except ValueError:
            return None

    def _show(self, read: _Read | None) -> None:
        if read is None:
            return
        view = read.view
        self.found = view is not None
        if view is None:
            return
        self.asset, self.preview_url, self.is_video = view.asset, view.preview_url, view.is_video
        self.original_url, self.stages, self.versions = view.original_url, view.stages, view.versions
        self.video_url, self._video_version = view.video_url, view.asset.version_id
        self.rights, self.facts, self.tags = view.rights, view.facts, view.tags
        self.look_alikes, self.look_alike_note = view.look_alikes, view.look_alike_note
        self.processing, self.review, self.edit = view.processing, view.review, view.edit
        self.text, self.compliance, self.rights_panel = view.text, view.compliance, view.rights_panel
        self.comments, self.copy_text = view.comments, view.copy_text
        if not view.processing:
            self.text_message = ""

    @rx.event
    @offload.guarded
    async def played(self):
        """Someone pressed play: noted once per version and visit (assets.service.note_played)."""
        version_id = self._video_version
        if not self.is_video or not version_id or version_id == self._played:
            return
        principal = await self._principal()
        if principal is None:
            return
        self._played = version_id
        try:
            await self._blocking(_note_played, principal, uuid.UUID(version_id))
        except DamError:
            return  # gone or out of scope meanwhile: nothing to note

    @rx.event
    def toggle_text_boxes(self, shown: bool):
        self.show_text_boxes = shown

    @rx.event
    @offload.guarded
    async def read_text_again(self):
        """Queue the ocr stage (and the index after it) again; the live feed shows it run and the
        page reads the new text when it has finished."""
        principal = await self._principal()
        if principal is None:
            return
        try:
            await self._blocking(_read_text_again, principal, uuid.UUID(self._asset_id()))
        except DamError as exc:
            self.text_message = f"Not queued: {exc.message}"
            return
        self.text_message = "Reading the text again…"

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """The live feed told this tab what happened to assets (ui/state/live.py). This asset's new
        version shows at once from the notice (badge, toast), then the page reads itself again; a
        stage's progress only moves its row; a failure or the end of processing is read in full."""
        fresh = [notice for notice in news(notices, self._read_at) if notice.asset_id == self._asset_id()]
        following = self._version_asked() is None
        added = [notice for notice in fresh if notice.is_new_version]
        shown = added[-1] if added and following else None
        known = {row.id for row in self.versions}
        fresh = [
            notice
            for notice in fresh
            if concerns_asset_page(
                notice,
                shown=self.asset.version_id,
                known=known,
                new_version=shown,
                following=following,
                processing=self.processing,
            )
        ]
        if not fresh:
            return
        if all(notice.is_stage_progress for notice in fresh) and self._show_progress(fresh):
            self._read_at = fresh[-1].at
            return
        toasts = [version_toast(notice, self.asset.title) for notice in added]
        if shown is not None and self._show_new_version(shown, fresh):
            self._read_at = fresh[-1].at
            yield toasts  # read in full once its processing ends (its preview exists then)
            return
        if toasts:
            yield toasts
        await self._refresh()

    def _show_new_version(self, newest: live.Notice, fresh: list[live.Notice]) -> bool:
        """The page shows the current version, and `newest` is it now: badge and processing rows
        from the notice, no read; False when something else in `fresh` needs one."""
        later = fresh[fresh.index(newest) + 1 :]
        if not all(n.is_stage_progress and n.version_id == newest.version_id for n in later):
            return False
        self.asset = replace(self.asset, version=newest.label, version_id=newest.version_id, status="processing")
        self.stages = [replace(row, status="queued", attempts="0", error="", ms="") for row in self.stages]
        self.processing = True
        return not later or self._show_progress(later)

    def _show_progress(self, notices: list[live.Notice]) -> bool:
        """Move the shown stage rows to the notices' statuses; False when one is not on the page
        (a version the page has not read yet), which needs a full read."""
        rows = {row.stage: row for row in self.stages}
        for notice in notices:
            if notice.version_id != self.asset.version_id:
                return False
            if notice.stage == events.ALL_STAGES and notice.status == "queued":
                if self.processing:  # a new version's rows say queued already
                    continue
                return False  # a rerun of some stages: read which
            row = rows.get(notice.stage)
            if row is None:
                return False
            rows[notice.stage] = replace(row, status=notice.status, error="")
        self.stages = [rows[row.stage] for row in self.stages]
        self.processing = True
        return True


class AssetPanel(SessionState):
    """Base of the asset page's panels. A panel reads what AssetState loaded (`await
    self.get_state(AssetState)`) instead of querying the asset again, and keeps only its own form."""

    def _prepare(self, asset: AssetState) -> None:
        """Called by AssetState.load after its read, once per visit: clear messages, pick defaults."""


class ShortLinkState(rx.State):
    """`/a/<id>`: a link short enough to paste anywhere; the asset page always shows the latest version."""

    @rx.event
    def follow(self):
        return rx.redirect(routes.asset_url(str(getattr(self, routes.ASSET_ID))), replace=True)
