"""When a card is due, in the words of the person reading it: their own time first, the owner's
local time beside it ("due Nov 10 18:00 your time — 10:00 in Shanghai"), "overdue" once passed.
Times are stored in UTC; a zone name that no longer exists reads as UTC rather than failing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def place_of(zone_name: str) -> str:
    """ "Asia/Shanghai" -> "Shanghai", "America/Los_Angeles" -> "Los Angeles"."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def due_words(due_at: datetime, *, viewer_zone: str, owner_zone: str | None, now: datetime, done: bool = False) -> str:
    """`done`: the request was delivered (approved or live), so a passed time is no longer overdue."""
    mine = due_at.astimezone(zone(viewer_zone))
    text = f"due {mine:%b %d %H:%M} your time"
    if owner_zone and zone(owner_zone).key != zone(viewer_zone).key:
        theirs = due_at.astimezone(zone(owner_zone))
        when = f"{theirs:%H:%M}" if theirs.date() == mine.date() else f"{theirs:%b %d %H:%M}"
        text += f" — {when} in {place_of(zone(owner_zone).key)}"
    return f"overdue: {text}" if due_at < now and not done else text
