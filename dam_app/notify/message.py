"""What an alert says: the asset, old -> new version, who, the change note, and a link to see it.
Written once per event, inside the change's transaction, so every recipient reads the same text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from dam_app.assets.models import Asset, Version
from dam_app.boards.models import Card
from dam_app.config import get_settings
from dam_app.events import (
    ApprovalDecided,
    AssetEvent,
    CardMentioned,
    CommentAdded,
    CommentMentioned,
    Event,
    RightsExpiring,
    VersionAdded,
)


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def asset_link(asset_id: uuid.UUID | str) -> str:
    """The asset page, absolute (ui/routes.py `asset_url`; the domain does not import the UI)."""
    return f"{get_settings().base_url}/assets/{asset_id}"


def compare_link(asset_id: uuid.UUID | str, older: uuid.UUID | str, newer: uuid.UUID | str) -> str:
    """The compare view, absolute (ui/routes.py `compare_url`; tests/notify checks they agree)."""
    return f"{get_settings().base_url}/assets/{asset_id}/compare?a={older}&b={newer}"


def card_link(card_id: uuid.UUID | str) -> str:
    """The card page, absolute (ui/routes.py `card_url`)."""
    return f"{get_settings().base_url}/cards/{card_id}"


def compose(session: Session, event: Event) -> Message | None:
    """The alert for an event, or None when the event is not one people are alerted about."""
    if isinstance(event, CardMentioned):
        card = session.get(Card, event.card_id)
        if card is None:
            return None
        who = event.by or "Someone"
        lines = [f"{who} mentioned you on the request “{card.title}”:", event.excerpt, f"Open: {card_link(card.id)}"]
        return Message(f"{who} mentioned you: {card.title}", "\n".join(lines))
    if not isinstance(event, AssetEvent):
        return None
    asset = session.get(Asset, event.asset_id)
    if asset is None:
        return None
    if isinstance(event, VersionAdded):
        return _version_added(session, asset, event)
    if isinstance(event, ApprovalDecided):
        return _decided(session, asset, event)
    if isinstance(event, RightsExpiring):
        return _expiring(asset, event)
    if isinstance(event, CommentMentioned):
        lines = [
            f"{event.by or 'Someone'} mentioned you on “{asset.title}”:",
            event.excerpt,
            f"Open: {asset_link(asset.id)}",
        ]
        return Message(f"{event.by or 'Someone'} mentioned you: {asset.title}", "\n".join(lines))
    if isinstance(event, CommentAdded):
        return _commented(asset, event)
    return None


def _commented(asset: Asset, event: CommentAdded) -> Message:
    who = event.by or "Someone"
    did = "replied in a thread" if event.thread_id != event.comment_id else "commented"
    on = f" ({event.version_label})" if event.version_label else ""
    kind = "Internal comment. " if event.internal else ""
    lines = [f"{who} {did} on “{asset.title}”{on}:", event.excerpt, f"{kind}Open: {asset_link(asset.id)}"]
    return Message(f"{who} {did}: {asset.title}", "\n".join(lines))


def _expiring(asset: Asset, event: RightsExpiring) -> Message:
    markets = ", ".join(event.markets) or "its markets"
    by = f" from {event.licensor}" if event.licensor else ""
    lines = [
        f"The licence{by} for “{asset.title}” ends on {event.ends_at} in {markets}.",
        "From that day the asset is blocked there: renew the licence or plan a replacement.",
        f"Open: {asset_link(asset.id)}",
    ]
    return Message(f"Licence ending {event.ends_at}: {asset.title} ({markets})", "\n".join(lines))


def _version_added(session: Session, asset: Asset, event: VersionAdded) -> Message:
    told = _new_version(session, asset, event)
    return Message(f"Urgent: {told.title}", told.body) if event.urgent else told


def _new_version(session: Session, asset: Asset, event: VersionAdded) -> Message:
    who = event.by or "someone"
    note = event.note.strip()
    if event.previous_version_id is None:
        lines = [f"{who} added “{asset.title}” {event.label}."]
        if note:
            lines.append(f"Note: {note}")
        lines.append(f"Open: {asset_link(asset.id)}")
        return Message(f"New asset: {asset.title} {event.label}", "\n".join(lines))
    previous = session.get(Version, event.previous_version_id)
    old = previous.label if previous is not None else "the previous version"
    verb = "restored" if event.restored_from else "uploaded"
    lines = [f"{who} {verb} {event.label} of “{asset.title}”: {old} -> {event.label}."]
    if note:
        lines.append(f"Note: {note}")
    lines.append(f"Compare: {compare_link(asset.id, event.previous_version_id, event.version_id)}")
    return Message(f"{asset.title}: {old} -> {event.label}", "\n".join(lines))


def _decided(session: Session, asset: Asset, event: ApprovalDecided) -> Message:
    version = session.get(Version, event.version_id)
    label = version.label if version is not None else ""
    who = event.by or "someone"
    lines = [f"{who} {event.decision} “{asset.title}” {label} for {event.market} ({event.stage} review)."]
    if event.note.strip():
        lines.append(f"Note: {event.note.strip()}")
    lines.append(f"Open: {asset_link(asset.id)}")
    return Message(f"{asset.title} {label} {event.decision} for {event.market}", "\n".join(lines))


def digest(items: list[Message]) -> Message:
    """Several alerts for one channel in one message (a digest, or a burst sent in one round)."""
    if len(items) == 1:
        return items[0]
    body = "\n\n".join(f"• {m.title}\n{m.body}" for m in items)
    return Message(f"{len(items)} alerts: {items[0].title} and {len(items) - 1} more", body)
