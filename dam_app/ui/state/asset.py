"""One asset: preview, metadata, rights, tags, versions, and job status that updates live."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.db import session_scope
from dam_app.search import similar as similar_service
from dam_app.ui.state import offload
from dam_app.ui.state.cards import look_alike_item
from dam_app.ui.state.session import SessionState
from dam_app.worker import queues

WATCH_SECONDS = 600
LOOK_ALIKES = 12


@dataclass(frozen=True)
class _Read:
    """What an asset page shows, read in one go off the event loop."""

    detail: assets_service.AssetDetail | None  # None: no such asset in the caller's markets
    similar: similar_service.SimilarResult | None = None  # None while processing or with nothing to compare
    nothing_to_compare: str = ""


def _read_asset(principal: Principal, asset_id: uuid.UUID) -> _Read:
    try:
        with session_scope() as session:
            detail = assets_service.get_detail(session=session, principal=principal, asset_id=asset_id)
    except assets_service.AssetNotFound:
        return _Read(None)
    if detail.asset.status == "processing":  # compared once the pixels are described, not on every stage event
        return _Read(detail)
    try:
        with session_scope() as session:
            similar = similar_service.similar_to_asset(
                session=session, principal=principal, asset_id=asset_id, limit=LOOK_ALIKES
            )
    except similar_service.NothingToCompare as exc:
        return _Read(detail, nothing_to_compare=str(exc))
    return _Read(detail, similar)


class AssetState(SessionState):
    found: bool = True
    asset: dict[str, str] = {}
    preview_url: str = ""
    is_video: bool = False
    original_url: str = ""
    stages: list[dict[str, str]] = []
    versions: list[dict[str, str]] = []
    rights: list[list[str]] = []
    facts: list[list[str]] = []
    tags: list[dict[str, str]] = []
    look_alikes: list[dict[str, str]] = []
    look_alike_note: str = ""
    processing: bool = False
    _watching: str = ""

    @rx.event
    @offload.guarded
    async def load(self):
        await self._refresh()
        if self.processing and self._watching != self._page_asset_id():
            return AssetState.watch
        return None

    async def _refresh(self) -> None:
        self._show(await self._read(self._page_asset_id()))

    async def _read(self, page_asset_id: str) -> _Read | None:
        """The page's data, or None when signed out. Only reads state: a background task calls it
        outside `async with self`."""
        principal = await self._principal()
        if principal is None:
            return None
        try:
            asset_id = uuid.UUID(page_asset_id)
        except ValueError:
            return _Read(None)
        return await self._blocking(_read_asset, principal, asset_id)

    def _show(self, read: _Read | None) -> None:
        if read is None:
            return
        if read.detail is None:
            self.found = False
            return
        detail = read.detail
        self.found = True
        a, current = detail.asset, detail.current
        self.asset = {
            "id": str(a.id),
            "colours": ", ".join(a.colours) or "—",
            "orientation": a.orientation or "—",
            "people": "yes" if a.has_person else "—",
            "downloads": str(a.use_count),
            "title": a.title,
            "description": a.description or "—",
            "status": a.status,
            "markets": ", ".join(a.markets) or "—",
            "content_type": a.content_type or "—",
            "campaign": a.campaign or "—",
            "phase": a.phase or "—",
            "channel": a.channel or "—",
            "error": (current.processing_error or "") if current else "",
        }
        preview = detail.renditions.get("preview")
        self.preview_url = f"/api/v1/renditions/{preview.id}" if preview else ""
        self.is_video = bool(current and current.mime.startswith("video/"))
        self.original_url = f"/api/v1/versions/{current.id}/file" if current else ""
        self.stages = [
            {
                "stage": s.stage,
                "status": s.status,
                "attempts": str(s.attempts),
                "error": s.error or "",
                "ms": f"{s.duration_ms:.0f} ms" if s.duration_ms is not None else "",
            }
            for s in detail.stages
        ]
        self.processing = a.status == "processing"
        self.versions = [
            {
                "label": v.label,
                "filename": v.original_filename,
                "note": v.change_note or "",
                "size": f"{v.size / 1024:.0f} KB",
                "created": v.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                "url": f"/api/v1/versions/{v.id}/file",
            }
            for v in detail.versions
        ]
        self.rights = _rights_rows(detail.rights)
        self.facts = _fact_rows(current) if current else []
        self.tags = [{"name": t.name, "kind": t.kind, "source": t.source} for t in detail.tags]
        if self.processing:
            self.look_alikes, self.look_alike_note = [], "Look-alikes appear when processing finishes."
        elif read.similar is None:
            self.look_alikes, self.look_alike_note = [], read.nothing_to_compare.capitalize() + "."
        else:
            self.look_alikes = [look_alike_item(h) for h in read.similar.hits]
            basis = (
                "colours, layout and shapes" if read.similar.basis == "pixels" else "meaning (a document has no pixels)"
            )
            self.look_alike_note = f"Compared by {basis}." if self.look_alikes else "Nothing alike yet."

    @rx.event(background=True)
    @offload.guarded
    async def watch(self):
        """Follow the worker's events for this asset and refresh the page as each stage finishes."""
        async with self:
            asset_id = self._page_asset_id()
            self._watching = asset_id
        deadline = time.monotonic() + WATCH_SECONDS
        try:
            async for _event in queues.listen(f"assets:{asset_id}", idle_timeout=5):
                read = await self._read(asset_id)  # off the lock: other events of this tab go on meanwhile
                async with self:
                    if self._watching != asset_id:
                        return
                    self._show(read)
                    if not self.processing or time.monotonic() > deadline:
                        return
        finally:
            async with self:
                self._watching = ""


def _rights_rows(record: Any) -> list[list[str]]:
    if record is None:
        return []
    labels = [
        ("creator", "Creator"),
        ("copyright_notice", "Copyright"),
        ("credit_line", "Credit"),
        ("usage_terms", "Usage terms"),
        ("licence_source", "Licensor"),
        ("licence_id", "Licence ID"),
        ("licence_start", "Licence start"),
        ("licence_end", "Licence end"),
        ("model_release_status", "Model release"),
        ("property_release_status", "Property release"),
    ]
    rows = []
    for field, label in labels:
        value = getattr(record, field)
        if value:
            rows.append([label, value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)])
    return rows


def _fact_rows(version: Any) -> list[list[str]]:
    rows = [["File", version.original_filename], ["Type", version.mime], ["Size", f"{version.size:,} bytes"]]
    if version.width and version.height:
        rows.append(["Dimensions", f"{version.width} x {version.height}"])
    if version.duration_s:
        rows.append(["Duration", f"{version.duration_s:.2f} s"])
    if version.video_codec:
        rows.append(["Codecs", f"{version.video_codec} / {version.audio_codec or 'no audio'}"])
    return rows
