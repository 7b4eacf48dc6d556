"""Live events: typed, their topics named in one place (an asset's, a board's, the firehose), sent
only once the change that caused them has committed, each carrying its subject's audience (markets,
uploader or owner) so a listener can drop what the viewer may not see (zulip's `event_types.py` +
`send_event_on_commit`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Protocol

from dam_app.accounts.principal import Principal
from dam_app.worker import queues

FIREHOSE = queues.FIREHOSE  # every event also goes here: lists and feeds that follow many assets
ALL_STAGES = "all"  # StageChanged.stage when the whole pipeline is meant (queued, ready)
DERIVED_FIELDS = frozenset({"verdicts", "comparison"})  # AssetChanged.fields that processing a version produces


def asset_topic(asset_id: uuid.UUID | str) -> str:
    """The topic of one asset's events (its page follows it)."""
    return f"assets:{asset_id}"


def topics_for(asset_id: uuid.UUID | str | None = None) -> list[str]:
    """What a listener subscribes to: one asset's topic, or the firehose when it follows many."""
    return [asset_topic(asset_id)] if asset_id is not None else [FIREHOSE]


class _Audienced(Protocol):
    @property
    def markets(self) -> Sequence[str]: ...

    @property
    def created_by(self) -> uuid.UUID | None: ...


@dataclass(frozen=True)
class Audience:
    """Who may see an event: the asset's markets, plus its uploader whatever their scope."""

    markets: tuple[str, ...] = ()
    created_by: uuid.UUID | None = None

    @classmethod
    def of(cls, asset: _Audienced) -> Audience:
        return cls(tuple(asset.markets), asset.created_by)


def board_topic(board_id: uuid.UUID | str) -> str:
    """The topic of one campaign board's events (its page follows it)."""
    return f"boards:{board_id}"


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something happened that open pages or alerts may care about; subclasses say what and about
    which subject (its `topic`), and who may see it (`audience`)."""

    type: ClassVar[str] = "event"
    audience: Audience = Audience()

    @property
    def topic(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class AssetEvent(Event):
    """Something happened to an asset; subclasses say what."""

    asset_id: uuid.UUID

    @property
    def topic(self) -> str:
        return asset_topic(self.asset_id)


@dataclass(frozen=True, kw_only=True)
class StageChanged(AssetEvent):
    """A processing stage of a version was queued, started, succeeded or failed; stage "all" with
    status "queued" or "ready" is the whole pipeline."""

    type: ClassVar[str] = "stage_changed"
    version_id: uuid.UUID
    stage: str
    status: str

    @property
    def settled(self) -> bool:
        """The version's processing ended (ready or failed): lists showing it may reload."""
        return self.status in ("ready", "failed")


@dataclass(frozen=True, kw_only=True)
class AssetChanged(AssetEvent):
    """A person edited the asset's own fields (names of the fields that changed)."""

    type: ClassVar[str] = "asset_changed"
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VersionAdded(AssetEvent):
    """A new file (v1.0 of a new asset, or a later version, uploaded or restored) was stored; it
    carries what a toast or an alert says, so no listener reads the database to announce it."""

    type: ClassVar[str] = "version_added"
    version_id: uuid.UUID
    label: str = ""
    previous_version_id: uuid.UUID | None = None  # None: the asset's first version
    by: str = ""  # who added it (display name)
    note: str = ""  # the change note
    restored_from: str = ""  # the label of the version restored as this one ("" for an upload)
    urgent: bool = False  # its author asked to reach people now, through their quiet hours


@dataclass(frozen=True, kw_only=True)
class ApprovalDecided(AssetEvent):
    """A reviewer approved or rejected the asset's current version for one market at one stage."""

    type: ClassVar[str] = "approval_decided"
    version_id: uuid.UUID
    market: str
    stage: str
    decision: str
    by: str = ""  # who decided (display name)
    by_id: uuid.UUID | None = None  # their user id (None: the system); alerts skip the person who decided
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RightsExpiring(AssetEvent):
    """A licence of the asset ends within the notice period (rights/jobs.py), once per end date."""

    type: ClassVar[str] = "rights_expiring"
    record_id: int
    markets: tuple[str, ...] = ()  # the markets the licence covers
    ends_at: str = ""  # ISO date
    licensor: str = ""


@dataclass(frozen=True, kw_only=True)
class CommentMentioned(AssetEvent):
    """Someone was @named in a comment: they, and only they, are told."""

    type: ClassVar[str] = "comment_mentioned"
    comment_id: int
    mentioned: tuple[str, ...] = ()  # the user ids named
    by: str = ""
    by_id: uuid.UUID | None = None
    excerpt: str = ""
    internal: bool = False  # checked again when the alert goes out (a role may have changed meanwhile)


@dataclass(frozen=True, kw_only=True)
class CommentAdded(AssetEvent):
    """A comment or a reply was written: the asset's open pages show it, and the people who follow
    the asset or took part in the thread are told (those it @names hear of it as CommentMentioned)."""

    type: ClassVar[str] = "comment_added"
    comment_id: int
    thread_id: int  # the thread's first comment (its own id for a new thread)
    version_label: str = ""  # the version the thread is on
    by: str = ""
    by_id: uuid.UUID | None = None
    excerpt: str = ""
    internal: bool = False  # only people who may read internal comments are told
    participants: tuple[str, ...] = ()  # user ids of the thread's earlier authors
    mentioned: tuple[str, ...] = ()  # user ids the comment names (told by its mention alert instead)


@dataclass(frozen=True, kw_only=True)
class CardChanged(Event):
    """A card of a campaign board was added or moved: everyone with the board open sees it (the
    audience is the card's, so a card outside a viewer's markets stays unseen)."""

    type: ClassVar[str] = "card_changed"
    board_id: uuid.UUID
    card_id: uuid.UUID
    change: str  # "created", "moved"
    phase: str = ""
    status: str = ""
    revision: int = 0
    by: str = ""

    @property
    def topic(self) -> str:
        return board_topic(self.board_id)


@dataclass(frozen=True, kw_only=True)
class CardMentioned(Event):
    """Someone was @named in a comment on a board card: they, and only they, are told."""

    type: ClassVar[str] = "card_mentioned"
    board_id: uuid.UUID
    card_id: uuid.UUID
    comment_id: int
    mentioned: tuple[str, ...] = ()  # the user ids named
    by: str = ""
    by_id: uuid.UUID | None = None
    excerpt: str = ""

    @property
    def topic(self) -> str:
        return board_topic(self.board_id)


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        StageChanged,
        AssetChanged,
        VersionAdded,
        ApprovalDecided,
        RightsExpiring,
        CommentMentioned,
        CommentAdded,
        CardChanged,
        CardMentioned,
    )
}
_UUID_FIELDS = {"asset_id", "version_id", "previous_version_id", "by_id", "board_id", "card_id"}


def to_payload(event: Event) -> dict[str, Any]:
    """The JSON-ready dict sent over pub/sub (the topic is added by the publisher)."""
    payload: dict[str, Any] = {"type": event.type}
    for f in fields(event):
        value = getattr(event, f.name)
        if f.name == "audience":
            payload["markets"] = list(value.markets)
            payload["created_by"] = str(value.created_by) if value.created_by else None
        elif isinstance(value, uuid.UUID):
            payload[f.name] = str(value)
        elif isinstance(value, tuple):
            payload[f.name] = list(value)
        else:
            payload[f.name] = value
    return payload


def from_payload(payload: dict[str, Any]) -> Event | None:
    """The event a payload carries; None for an idle tick ({}), an unknown type or a malformed one."""
    cls = EVENT_TYPES.get(str(payload.get("type", "")))
    if cls is None:
        return None
    try:
        created_by = payload.get("created_by")
        values: dict[str, Any] = {
            "audience": Audience(tuple(payload.get("markets") or ()), uuid.UUID(created_by) if created_by else None)
        }
        for f in fields(cls):
            if f.name == "audience" or f.name not in payload:
                continue
            raw = payload[f.name]
            if f.name in _UUID_FIELDS:
                values[f.name] = uuid.UUID(raw) if raw else None
            else:
                values[f.name] = tuple(raw) if isinstance(raw, list) else raw
        return cls(**values)
    except (TypeError, ValueError):
        return None


def visible_to(event: Event, principal: Principal) -> bool:
    """Whether the viewer may see the event's asset: the same rule as `assets.service.visibility`
    (all regions, an overlapping or global market, or their own upload)."""
    if not principal.can("asset.read"):
        return False
    return principal.may_see_markets(list(event.audience.markets), event.audience.created_by)


def publish(event: Event) -> None:
    """Send now, best effort, for changes already committed (a worker's stage marks); a service
    inside a transaction uses `reactions.publish_on_commit`, which also runs in-process reactions."""
    queues.publish(event.topic, to_payload(event))
