"""The versions panel of an asset page: upload a new version, restore an earlier one. Both add a
version (assets/ingest.py, assets/versions.py), then AssetState reads the page again."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import reflex as rx

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets import service as assets_service
from dam_app.assets import versions
from dam_app.assets.ingest import IngestResult, Outcome, add_version
from dam_app.db import session_scope
from dam_app.ui.state import offload
from dam_app.ui.state.asset import AssetPanel, AssetState
from dam_app.ui.state.library import IncomingFile

UPLOAD_ID = "version-upload"
NOT_FOUND = "this asset does not exist or is outside your markets"


@dataclass(frozen=True)
class Choice:
    """What the form says about the version to add: its note, major or minor, urgent or not."""

    note: str = ""
    major: bool = False
    urgent: bool = False


def _add(principal: Principal, asset_id: uuid.UUID, path: Path, filename: str, choice: Choice) -> IngestResult:
    with session_scope() as session:
        return add_version(
            session=session,
            principal=principal,
            asset_id=asset_id,
            path=path,
            filename=filename,
            change_note=choice.note,
            major=choice.major,
            urgent=choice.urgent,
        )


def _restore(principal: Principal, asset_id: uuid.UUID, version_id: uuid.UUID, choice: Choice) -> IngestResult:
    with session_scope() as session:
        return versions.restore_version(
            session=session,
            principal=principal,
            asset_id=asset_id,
            version_id=version_id,
            note=choice.note,
            major=choice.major,
            urgent=choice.urgent,
        )


class VersionsState(AssetPanel):
    note: str = ""
    major: bool = False
    urgent: bool = False  # its alert passes people's quiet hours
    message: str = ""  # the outcome: "added v1.1", "restored v1.0 as v1.2"
    error: str = ""  # a refusal: "identical to v1.1 of this asset", a rejected file

    def _prepare(self, asset: AssetState) -> None:
        self.message = self.error = self.note = ""
        self.major = self.urgent = False

    @rx.event
    def set_note(self, value: str):
        self.note = value[:2000]

    @rx.event
    def set_major(self, value: bool):
        self.major = bool(value)

    @rx.event
    def set_urgent(self, value: bool):
        self.urgent = bool(value)

    def _choice(self) -> Choice:
        return Choice(self.note, self.major, self.urgent)

    @rx.event(background=True)
    @offload.guarded
    async def receive_upload(self, chunks: rx.UploadChunkIterator):
        """Stream the chosen file to disk (memory stays flat), then add it as the next version with
        the note and the major switch. In the background, as the library's upload: its updates go
        over the page's websocket, not the upload request."""
        principal = await self._principal()
        async with self:
            asset = await self.get_state(AssetState)
            asset_id = asset._asset_id()
            choice = self._choice()
            self.error, self.message = "", "Uploading…"
        incoming: IncomingFile | None = None
        try:
            async for chunk in chunks:
                incoming = incoming or IncomingFile(chunk.filename)
                if chunk.filename == incoming.filename:  # one file per version: any other is ignored
                    incoming.write(chunk.offset, chunk.data)
            result = await self._add_received(principal, asset_id, incoming, choice)
        finally:
            if incoming is not None:
                incoming.discard()
        read_at = time.time()
        read = await asset._read(principal, asset_id) if result.ok else None  # off the lock: a database read
        async with self:
            self._outcome(result, "Not added")
            asset = await self.get_state(AssetState)
            asset._show(read)
            asset._read_at = read_at if read is not None else asset._read_at
        yield rx.clear_selected_files(UPLOAD_ID)

    async def _add_received(
        self, principal: Principal | None, asset_id: str, incoming: IncomingFile | None, choice: Choice
    ) -> IngestResult:
        if incoming is None:
            return IngestResult("", Outcome.FAILED, "choose a file first", "empty")
        if principal is None:
            return incoming.failed("your session has ended; sign in again", "signed_out")
        if incoming.too_large:
            return incoming.failed(f"file is larger than the limit of {incoming.limit:,} bytes", "too_large")
        try:
            parsed = uuid.UUID(asset_id)
        except ValueError:
            return incoming.failed(NOT_FOUND, "forbidden")
        incoming.close()  # written; the file stays while a busy database is retried
        return await self._blocking(_add, principal, parsed, incoming.path, incoming.filename, choice)

    @rx.event
    @offload.guarded
    async def restore(self, version_id: str):
        """Make an earlier version current again as a new version; the note and the switches go with it."""
        principal = await self._principal()
        if principal is None:
            return None
        asset = await self.get_state(AssetState)
        try:
            ids = uuid.UUID(asset._asset_id()), uuid.UUID(version_id)
            result = await self._blocking(_restore, principal, *ids, self._choice())
        except (ValueError, assets_service.AssetNotFound, versions.VersionNotFound):
            self.error, self.message = f"Not restored: {NOT_FOUND}", ""
            return None
        except PermissionDenied as exc:
            self.error, self.message = f"Not restored: {exc}", ""
            return None
        self._outcome(result, "Not restored")
        await asset._refresh()
        return None

    def _outcome(self, result: IngestResult, refused: str) -> None:
        """The message under the form: what was added, or why nothing was."""
        if result.ok:
            self.error, self.message, self.note = "", f"{result.message.capitalize()}.", ""
            self.major = self.urgent = False
        else:
            reason = NOT_FOUND if result.reason == "forbidden" else result.message
            self.error, self.message = f"{refused}: {reason}", ""
