"""Library grid: filters, keyset pages for infinite scroll, multi-file upload with outcomes."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import reflex as rx

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.classify import Classification
from dam_app.assets.ingest import IngestFields, IngestResult, Outcome, ingest_file
from dam_app.catalog import service as catalog_service
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.ui.state.cards import card_item
from dam_app.ui.state.session import SessionState
from dam_app.worker import queues

ALL = "all"
UPLOAD_ID = "library-upload"
WATCH_SECONDS = 300


class LibraryState(SessionState):
    items: list[dict[str, str]] = []
    total: int = 0
    next_cursor: str = ""
    loading: bool = False
    market: str = ALL
    content_type: str = ALL
    phase: str = ALL
    text: str = ""
    market_options: list[list[str]] = []
    type_options: list[list[str]] = []
    phase_options: list[list[str]] = []
    upload_market: str = ""
    upload_type: str = ""
    upload_phase: str = ""
    upload_progress: int = 0
    uploading: bool = False
    upload_results: list[dict[str, str]] = []
    _watching: bool = False

    @rx.event
    def load(self):
        if self.principal() is None:
            return
        with session_scope() as session:
            vocab = catalog_service.vocabulary(session=session)
        self.market_options = [[m.code, m.name] for m in vocab.markets]
        self.type_options = [[c.code, c.name] for c in vocab.content_types]
        self.phase_options = [[p.code, p.name] for p in vocab.phases]
        self._reload()

    def _filters(self) -> assets_service.AssetFilter:
        def pick(value: str) -> list[str]:
            return [] if value in (ALL, "") else [value]

        return assets_service.AssetFilter(
            markets=pick(self.market),
            content_types=pick(self.content_type),
            phases=pick(self.phase),
            text=self.text or None,
        )

    def _reload(self) -> None:
        self.items, self.next_cursor = [], ""
        self._fetch(None)

    def _fetch(self, cursor: str | None) -> None:
        principal = self.principal()
        if principal is None:
            return
        with session_scope() as session:
            page = assets_service.list_assets(
                session=session, principal=principal, filters=self._filters(), cursor=cursor, limit=36
            )
        self.items = self.items + [card_item(c) for c in page.items]
        self.total = page.total
        self.next_cursor = page.next_cursor or ""

    @rx.event
    def load_more(self):
        if self.next_cursor and not self.loading:
            self.loading = True
            self._fetch(self.next_cursor)
            self.loading = False

    @rx.event
    def set_market(self, value: str):
        self.market = value
        self._reload()

    @rx.event
    def set_content_type(self, value: str):
        self.content_type = value
        self._reload()

    @rx.event
    def set_phase(self, value: str):
        self.phase = value
        self._reload()

    @rx.event
    def set_text(self, value: str):
        self.text = value[:200]
        self._reload()

    @rx.event
    def set_upload_market(self, value: str):
        self.upload_market = value

    @rx.event
    def set_upload_type(self, value: str):
        self.upload_type = value

    @rx.event
    def set_upload_phase(self, value: str):
        self.upload_phase = value

    @rx.event
    def on_upload_progress(self, progress: dict[str, float]):
        self.uploading = True
        self.upload_progress = round(progress.get("progress", 0) * 100)

    def _upload_fields(self) -> IngestFields:
        return IngestFields(
            classification=Classification(
                markets=[self.upload_market] if self.upload_market else [],
                content_type=self.upload_type or None,
                phase=self.upload_phase or None,
            )
        )

    @rx.event(background=True)
    async def receive_upload(self, chunks: rx.UploadChunkIterator):
        """Stream each file to disk as it arrives, then validate and ingest it, one row per file.

        Files arrive one after another, so a file is complete when the next one starts; each row
        shows bytes received, then the outcome. Memory stays flat however large the files are.
        """
        async with self:
            principal = self.principal()
            fields = self._upload_fields()
            self.upload_results = []
            self.uploading = True
        current: _IncomingFile | None = None
        last_shown = 0.0
        imported = False
        try:
            async for chunk in chunks:
                if current is None or chunk.filename != current.filename:
                    if current is not None:
                        await self._finish(current, principal, fields)
                    current = _IncomingFile(chunk.filename)
                    async with self:
                        self.upload_results = [*self.upload_results, current.row("uploading")]
                current.write(chunk.offset, chunk.data)
                if time.monotonic() - last_shown > 0.25:
                    last_shown = time.monotonic()
                    async with self:
                        self.upload_results = [*self.upload_results[:-1], current.row("uploading")]
            if current is not None:
                await self._finish(current, principal, fields)
        finally:
            if current is not None:
                current.discard()
            async with self:
                self.uploading = False
                self.upload_progress = 100
                self._reload()
                imported = any(r["outcome"] == "imported" for r in self.upload_results)
        yield rx.clear_selected_files(UPLOAD_ID)
        if imported:
            yield LibraryState.watch_processing

    async def _finish(self, incoming: _IncomingFile, principal: Principal | None, fields: IngestFields) -> None:
        async with self:
            self.upload_results = [*self.upload_results[:-1], incoming.row("checking")]
        result = await asyncio.to_thread(incoming.ingest, principal, fields)
        async with self:
            self.upload_results = [
                *self.upload_results[:-1],
                {
                    **incoming.row(str(result.outcome)),
                    "message": result.message,
                    "asset_id": str(result.asset_id or ""),
                },
            ]

    @rx.event(background=True)
    async def watch_processing(self):
        """While shown assets are processing, refresh the grid as the worker reports each one done."""
        async with self:
            if self._watching:
                return
            self._watching = True
        deadline = time.monotonic() + WATCH_SECONDS
        try:
            async for event in queues.listen("events", idle_timeout=5):
                async with self:
                    if event.get("status") in ("ready", "failed"):
                        self._reload()
                    still_processing = any(item["status"] == "processing" for item in self.items)
                    if not still_processing or time.monotonic() > deadline:
                        return
        finally:
            async with self:
                self._watching = False


class _IncomingFile:
    """One uploaded file being written to a temp file; too-large files stop being written at once."""

    def __init__(self, filename: str) -> None:
        settings = get_settings()
        settings.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.filename = filename
        self.limit = settings.max_upload_bytes
        self.received = 0
        self.too_large = False
        self._file = tempfile.NamedTemporaryFile(dir=settings.tmp_dir, prefix="ui-upload-", delete=False)  # noqa: SIM115
        self.path = Path(self._file.name)

    def write(self, offset: int, data: bytes) -> None:
        self.received = max(self.received, offset + len(data))
        if self.received > self.limit:
            self.too_large = True
        if not self.too_large:
            self._file.seek(offset)
            self._file.write(data)

    def row(self, outcome: str) -> dict[str, str]:
        return {
            "filename": self.filename,
            "outcome": outcome,
            "message": f"{self.received / 1024:,.0f} KB received",
            "asset_id": "",
        }

    def ingest(self, principal: Principal | None, fields: IngestFields) -> IngestResult:
        self._file.close()
        try:
            if principal is None:
                return IngestResult(self.filename, Outcome.FAILED, "your session has ended; sign in again", "forbidden")
            if self.too_large:
                return IngestResult(
                    self.filename, Outcome.FAILED, f"file is larger than the limit of {self.limit:,} bytes", "too_large"
                )
            with session_scope() as session:
                return ingest_file(
                    session=session, principal=principal, path=self.path, filename=self.filename, fields=fields
                )
        finally:
            self.discard()

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
