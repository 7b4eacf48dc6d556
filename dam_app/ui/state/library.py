"""Library grid: filters, keyset pages for infinite scroll, multi-file upload with outcomes."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import reflex as rx

from dam_app import events
from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.assets.classify import Classification
from dam_app.assets.dimensions import DIMENSIONS
from dam_app.assets.ingest import IngestFields, IngestResult, Outcome, ingest_file
from dam_app.catalog import service as catalog_service
from dam_app.config import get_settings
from dam_app.db import session_scope
from dam_app.ui.state import live, offload
from dam_app.ui.state.cards import card_item
from dam_app.ui.state.live import news, version_toast
from dam_app.ui.state.session import SessionState

ALL = "all"
UPLOAD_ID = "library-upload"
PAGE_SIZE = 36


def filter_label(name: str) -> str:
    """What the library calls a filter: its dimension's label."""
    return DIMENSIONS.named(name).label


def _vocabulary() -> catalog_service.Vocabulary:
    with session_scope() as session:
        return catalog_service.vocabulary(session=session)


def _ingest(path: Path, filename: str, principal: Principal, fields: IngestFields) -> IngestResult:
    with session_scope() as session:
        return ingest_file(session=session, principal=principal, path=path, filename=filename, fields=fields)


def _card_items(principal: Principal, asset_ids: list[str]) -> list[dict[str, str]]:
    with session_scope() as session:
        visible = assets_service.visible_assets(session, principal, [uuid.UUID(i) for i in asset_ids])
        return [card_item(card) for card in assets_service.cards_for(session, visible)]


def _page(principal: Principal, filters: assets_service.AssetFilter, cursor: str | None) -> assets_service.AssetPage:
    with session_scope() as session:
        return assets_service.list_assets(
            session=session, principal=principal, filters=filters, cursor=cursor, limit=PAGE_SIZE
        )


class LibraryState(SessionState):
    items: list[dict[str, str]] = []
    total: int = 0
    next_cursor: str = ""
    loading: bool = False
    chosen: dict[str, str] = {}  # a single choice per dimension (its name in assets/dimensions.py)
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
    _read_at: float = 0.0  # when the grid was last read: a live notice from before is shown already

    @rx.event
    @offload.guarded
    async def load(self):
        principal = await self._principal()
        if principal is None:
            return
        await live.follow(self, events.FIREHOSE, principal, LibraryState.on_live)
        vocab = await self._blocking(_vocabulary)
        self.market_options = [[m.code, m.name] for m in vocab.markets]
        self.type_options = [[c.code, c.name] for c in vocab.content_types]
        self.phase_options = [[p.code, p.name] for p in vocab.phases]
        await self._reload()

    def _filters(self) -> assets_service.AssetFilter:
        picked = {name: [value] for name, value in self.chosen.items() if value not in (ALL, "")}
        return DIMENSIONS.to_filter({**picked, "text": [self.text] if self.text else []})

    async def _reload(self) -> None:
        read_at = time.time()
        self._show(await self._fetch(None), more=False)
        self._read_at = read_at

    async def _fetch(self, cursor: str | None) -> assets_service.AssetPage | None:
        """A page of the grid, or None when signed out. Only reads state: a background task calls it
        outside `async with self`."""
        principal = await self._principal()
        if principal is None:
            return None
        return await self._blocking(_page, principal, self._filters(), cursor)

    def _show(self, page: assets_service.AssetPage | None, *, more: bool) -> None:
        """Put a fetched page on the grid: after what is shown (`more`), or instead of it."""
        if not more:
            self.items, self.next_cursor = [], ""
        if page is None:
            return
        self.items = self.items + [card_item(c) for c in page.items]
        self.total = page.total
        self.next_cursor = page.next_cursor or ""

    @rx.event
    @offload.guarded
    async def load_more(self):
        if self.next_cursor and not self.loading:
            self.loading = True
            try:
                self._show(await self._fetch(self.next_cursor), more=True)
            finally:
                self.loading = False

    @rx.event
    @offload.guarded
    async def choose(self, dimension: str, value: str):
        self.chosen = {**self.chosen, dimension: value}
        await self._reload()

    @rx.event
    @offload.guarded
    async def set_text(self, value: str):
        self.text = value[:200]
        await self._reload()

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
    @offload.guarded
    async def receive_upload(self, chunks: rx.UploadChunkIterator):
        """Stream each file to disk as it arrives, then validate and ingest it, one row per file.

        Files arrive one after another, so a file is complete when the next one starts; each row
        shows bytes received, then the outcome. Memory stays flat however large the files are.
        """
        principal = await self._principal()
        async with self:
            fields = self._upload_fields()
            self.upload_results = []
            self.uploading = True
        current: IncomingFile | None = None
        last_shown = 0.0
        try:
            async for chunk in chunks:
                if current is None or chunk.filename != current.filename:
                    if current is not None:
                        await self._finish(current, principal, fields)
                    current = IncomingFile(chunk.filename)
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
            page = await self._fetch(None)
            async with self:
                self._show(page, more=False)
        yield rx.clear_selected_files(UPLOAD_ID)

    async def _finish(self, incoming: IncomingFile, principal: Principal | None, fields: IngestFields) -> None:
        async with self:
            self.upload_results = [*self.upload_results[:-1], incoming.row("checking")]
        try:
            if principal is None:
                result = incoming.failed("your session has ended; sign in again", "forbidden")
            elif incoming.too_large:
                result = incoming.failed(f"file is larger than the limit of {incoming.limit:,} bytes", "too_large")
            else:
                incoming.close()  # written; the file stays while a busy database is retried
                result = await self._blocking(_ingest, incoming.path, incoming.filename, principal, fields)
        finally:
            incoming.discard()
        async with self:
            self.upload_results = [
                *self.upload_results[:-1],
                {
                    **incoming.row(str(result.outcome)),
                    "message": result.message,
                    "asset_id": str(result.asset_id or ""),
                },
            ]

    @rx.event
    @offload.guarded
    async def on_live(self, notices: list[dict[str, Any]]):
        """The live feed told this tab of a change (ui/state/live.py): a shown asset's card is read
        again (new version badge, thumbnail, status), and a new asset joins the first page."""
        fresh = news(notices, self._read_at)
        if not fresh:
            return None
        self._read_at = fresh[-1].at
        titles = {item["id"]: item["title"] for item in self.items}
        if shown := [notice.asset_id for notice in fresh if notice.asset_id in titles]:
            cards = await self._cards(shown)
            self.items = [cards.get(item["id"], item) for item in self.items]
        if self._on_first_page() and any(notice.is_new_asset for notice in fresh if notice.asset_id not in titles):
            await self._reload()
        return [version_toast(n, titles[n.asset_id]) for n in fresh if n.asset_id in titles and n.is_new_version]

    def _on_first_page(self) -> bool:
        return len(self.items) <= PAGE_SIZE

    async def _cards(self, asset_ids: list[str]) -> dict[str, dict[str, str]]:
        """Fresh cards of shown assets, by id (an asset the viewer may no longer see is left out)."""
        principal = await self._principal()
        if principal is None:
            return {}
        return {item["id"]: item for item in await self._blocking(_card_items, principal, asset_ids)}


class IncomingFile:
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

    def failed(self, message: str, code: str) -> IngestResult:
        return IngestResult(self.filename, Outcome.FAILED, message, code)

    def close(self) -> None:
        self._file.close()

    def discard(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
