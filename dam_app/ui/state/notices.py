"""What a tab is told of an event (a Notice), and the check of the notices a browser sends back as
its handler's argument: only fields of the declared types, newer than the page's last read, capped."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from dam_app import events

KEPT = 32  # notices one event carries at most (a bulk import's flood keeps the latest)


@dataclass(frozen=True)
class Notice:
    """The last event a tab was told about: what its page needs to decide and to say it."""

    kind: str = ""  # an Event.type ("version_added", "stage_changed", "asset_changed")
    asset_id: str = ""
    version_id: str = ""
    label: str = ""
    previous_version_id: str = ""
    by: str = ""
    note: str = ""
    stage: str = ""
    status: str = ""
    settled: bool = False  # a stage event that ends the version's processing
    fields: str = ""  # an asset_changed's fields, comma-separated
    board_id: str = ""  # a card_changed's board and card, where the card is now and its revision
    card_id: str = ""
    phase: str = ""
    revision: float = 0.0
    at: float = 0.0  # when the feed handled it (server clock): a page read since then already shows it

    @property
    def is_new_version(self) -> bool:
        """A later version of an existing asset (uploaded or restored): worth a toast."""
        return self.kind == events.VersionAdded.type and bool(self.previous_version_id)

    @property
    def is_new_asset(self) -> bool:
        return self.kind == events.VersionAdded.type and not self.previous_version_id

    @property
    def is_stage_progress(self) -> bool:
        """One stage running or done while the version is still processing: the page can show it
        from the notice alone (a failure or the end of processing is read in full)."""
        return self.kind == events.StageChanged.type and not self.settled and self.status != "failed"

    @property
    def is_derived_change(self) -> bool:
        """The asset changed only in what a version's processing produces (its verdicts, a
        comparison): a page still showing that processing reads it in full when it ends anyway."""
        return (
            self.kind == events.AssetChanged.type
            and bool(self.fields)
            and (set(self.fields.split(",")) <= events.DERIVED_FIELDS)
        )

    def as_payload(self) -> dict[str, Any]:
        return asdict(self)


_BLANK = Notice()
_NOTICE_TYPES = {f.name: type(getattr(_BLANK, f.name)) for f in fields(Notice)}  # str, bool or float


def concerns_asset_page(
    notice: Notice, *, shown: str, known: set[str], new_version: Notice | None, following: bool, processing: bool
) -> bool:
    """Whether an asset page shows anything `notice` changes. On a page that follows the current
    version (`following`, no ?version=): a stage of another version it knows (an older one still
    processing) changes nothing, while one of a version it has never heard of still counts (its
    announcement was lost: the page reads itself); and what processing produces (the verdicts, a
    comparison) shows with the read that ends the shown version's processing. A page showing an
    older version also shows the current one's stages and status: every stage event counts there."""
    if notice.kind == events.StageChanged.type:
        if not following:
            return True
        version = new_version.version_id if new_version is not None else shown
        return notice.version_id == version or notice.version_id not in known
    busy = new_version is not None or (processing and following)
    return not (notice.is_derived_change and busy)


def news(notices: list[dict[str, Any]], since: float) -> list[Notice]:
    """The notices an `on_live` event carried that are newer than `since` (the page's last read),
    oldest first. They come back from the browser as the event's argument, so each is checked field
    by field, repeats are dropped and at most KEPT are read: a notice only ever makes the page show
    or read again what its viewer may see."""
    fresh: dict[tuple[Any, ...], Notice] = {}
    for raw in notices[-KEPT:] if isinstance(notices, list) else []:
        notice = _checked(raw)
        if notice is not None and notice.at > since:
            key = (notice.kind, notice.asset_id, notice.version_id, notice.stage, notice.status, notice.at)
            fresh[(*key, notice.board_id, notice.card_id, notice.revision)] = notice
    return sorted(fresh.values(), key=lambda n: n.at)


def _checked(raw: Any) -> Notice | None:
    """A Notice from a dict whose every field has its declared type (strings of sane length), else None."""
    if not isinstance(raw, dict):
        return None
    values: dict[str, Any] = {}
    for name, kind in _NOTICE_TYPES.items():
        value = raw.get(name, getattr(_BLANK, name))
        if kind is str and not (isinstance(value, str) and len(value) <= 2000):
            return None
        if kind is bool and not isinstance(value, bool):
            return None
        if kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return None
            value = float(value)
        values[name] = value
    return Notice(**values)


def notice_of(event: events.Event, at: float) -> Notice:
    """The event as the pages read it (plain strings: it is sent to the browser)."""
    if isinstance(event, events.CardChanged):
        return Notice(
            kind=event.type, board_id=str(event.board_id), card_id=str(event.card_id), phase=event.phase,
            status=event.status, revision=float(event.revision), by=event.by, label=event.change, at=at,
        )  # fmt: skip
    notice = Notice(kind=event.type, asset_id=str(getattr(event, "asset_id", "")), at=at)
    if isinstance(event, events.VersionAdded):
        previous = str(event.previous_version_id) if event.previous_version_id else ""
        return replace(
            notice,
            version_id=str(event.version_id),
            label=event.label,
            previous_version_id=previous,
            by=event.by,
            note=event.note,
        )
    if isinstance(event, events.AssetChanged):
        return replace(notice, fields=",".join(event.fields))
    if isinstance(event, events.StageChanged):
        return replace(
            notice, version_id=str(event.version_id), stage=event.stage, status=event.status, settled=event.settled
        )
    return notice
