"""When an alert may go out: quiet hours in the person's own time zone, hourly or daily digests.
Pure functions of the clock, so the rules are tested without waiting for the night."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dam_app.errors import Invalid
from dam_app.notify.models import DigestMode

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


class BadSchedule(Invalid):
    """A time of day, time zone or digest mode that cannot be read."""


@dataclass(frozen=True)
class Schedule:
    """A person's rules, read from AlertPrefs."""

    time_zone: str = "UTC"
    quiet_start: time | None = None
    quiet_end: time | None = None
    digest: str = DigestMode.OFF
    digest_hour: int = 9

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def parse_clock(value: str | None) -> time | None:
    """ "22:00" -> 22:00; "" or None -> None (no quiet hours)."""
    if not value or not value.strip():
        return None
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        raise BadSchedule(f"'{value}' is not a time of day; write it as HH:MM, e.g. 22:00")
    return time(int(match[1]), int(match[2]))


def check_zone(name: str) -> str:
    """The IANA name itself ("Asia/Shanghai"), or BadSchedule."""
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadSchedule(f"unknown time zone '{name}'; use a name such as Europe/Berlin or Asia/Shanghai") from exc
    return name


def zone_names() -> list[str]:
    return sorted(available_timezones())


def check_digest(mode: str) -> str:
    if mode not in set(DigestMode):
        raise BadSchedule(f"unknown digest mode '{mode}'; use one of {', '.join(DigestMode)}")
    return mode


def quiet_until(schedule: Schedule, now: datetime) -> datetime | None:
    """The end of the quiet hours `now` falls in (UTC), or None when it falls in none. A window may
    cross midnight (22:00-07:00); start == end means no quiet hours."""
    start, end = schedule.quiet_start, schedule.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(schedule.zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=schedule.zone).astimezone(UTC)


def next_digest(schedule: Schedule, now: datetime) -> datetime | None:
    """When the next digest goes out (UTC), or None when digest mode is off."""
    if schedule.digest == DigestMode.HOURLY:
        return (now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(UTC)
    if schedule.digest == DigestMode.DAILY:
        local = now.astimezone(schedule.zone)
        at = datetime.combine(local.date(), time(schedule.digest_hour), tzinfo=schedule.zone)
        if at <= local:
            at = datetime.combine(local.date() + timedelta(days=1), time(schedule.digest_hour), tzinfo=schedule.zone)
        return at.astimezone(UTC)
    return None


def release_at(schedule: Schedule, now: datetime, *, urgent: bool) -> datetime | None:
    """When an alert arriving `now` goes out: None for right away (urgent ones always), else the
    digest time or the end of the quiet hours, whichever is later (a digest due at night waits)."""
    if urgent:
        return None
    digest = next_digest(schedule, now)
    quiet = quiet_until(schedule, digest or now)
    if quiet is not None:
        return quiet
    return digest
