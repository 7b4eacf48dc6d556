"""Quiet hours and digest times, by the clock of the person's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from dam_app.notify import quiet
from dam_app.notify.message import compare_link
from dam_app.notify.quiet import Schedule
from dam_app.notify.secrets import mask
from dam_app.ui.routes import compare_url

NIGHT_IN_SHANGHAI = Schedule(time_zone="Asia/Shanghai", quiet_start=time(22, 0), quiet_end=time(7, 30))


@pytest.mark.parametrize(
    ("utc", "until"),
    [
        (datetime(2026, 12, 2, 15, 0, tzinfo=UTC), datetime(2026, 12, 2, 23, 30, tzinfo=UTC)),  # 23:00 local
        (datetime(2026, 12, 2, 20, 0, tzinfo=UTC), datetime(2026, 12, 2, 23, 30, tzinfo=UTC)),  # 04:00 local
        (datetime(2026, 12, 2, 23, 30, tzinfo=UTC), None),  # 07:30 local: over
        (datetime(2026, 12, 2, 6, 0, tzinfo=UTC), None),  # 14:00 local
    ],
)
def test_quiet_hours_cross_midnight_in_the_persons_zone(utc: datetime, until: datetime | None) -> None:
    assert quiet.quiet_until(NIGHT_IN_SHANGHAI, utc) == until


def test_urgent_passes_and_a_digest_at_night_waits_for_morning() -> None:
    at_night = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    assert quiet.release_at(NIGHT_IN_SHANGHAI, at_night, urgent=True) is None
    hourly = Schedule(time_zone="Asia/Shanghai", quiet_start=time(22, 0), quiet_end=time(7, 30), digest="hourly")
    assert quiet.release_at(hourly, at_night, urgent=False) == datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    midday = datetime(2026, 12, 2, 4, 10, tzinfo=UTC)
    assert quiet.release_at(hourly, midday, urgent=False) == datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert quiet.release_at(Schedule(), midday, urgent=False) is None


def test_daily_digest_at_the_local_hour_across_a_dst_change() -> None:
    daily = Schedule(time_zone="America/New_York", digest="daily", digest_hour=9)
    # 2026-03-08 is the spring-forward day in New York: 09:00 is 13:00 UTC after it, 14:00 before.
    assert quiet.next_digest(daily, datetime(2026, 3, 7, 15, 0, tzinfo=UTC)) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    assert quiet.next_digest(daily, datetime(2026, 3, 7, 13, 0, tzinfo=UTC)) == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)


def test_bad_schedules_are_refused() -> None:
    for clock in ("25:00", "7", "noon"):
        with pytest.raises(quiet.BadSchedule):
            quiet.parse_clock(clock)
    with pytest.raises(quiet.BadSchedule):
        quiet.check_zone("Mars/Olympus")
    assert quiet.parse_clock("7:05") == time(7, 5) and quiet.parse_clock("") is None


def test_links_and_masks() -> None:
    assert compare_link("A", "B", "C").endswith(compare_url("A", "B", "C"))
    assert mask("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ") == "slack://T1…/…7FQ"
    assert mask("ntfy://x") == "ntfy://…"
