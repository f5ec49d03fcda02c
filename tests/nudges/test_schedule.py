"""When a person may hear from the bot: examples across DST, odd offsets and quiet hours, and properties
checked against a brute-force minute-by-minute oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudges.person import WEEKDAYS, Schedule
from nudges.schedule import (
    SEARCH_DAYS,
    in_quiet_hours,
    in_window,
    local_time,
    local_to_utc,
    next_window_start,
    send_minute,
    window_spans,
)

EVERY_DAY = frozenset(range(7))
NIGHTS = {"quiet_start": time(22), "quiet_end": time(7)}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def at(zone: str, *args: int, fold: int = 0) -> datetime:
    """A local wall time in ``zone`` as a UTC instant."""
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


# --- local time and quiet hours ------------------------------------------------------------------------


def test_local_time_follows_the_zone_and_its_dst() -> None:
    berlin = Schedule(timezone="Europe/Berlin")
    assert local_time(berlin, utc(2025, 1, 15, 12)).hour == 13
    assert local_time(berlin, utc(2025, 7, 15, 12)).hour == 14


def test_an_unknown_zone_falls_back_to_utc() -> None:
    for name in ("Mars/Olympus_Mons", "", "../etc/passwd", "America"):
        assert local_time(Schedule(timezone=name), utc(2025, 7, 15, 12)).utcoffset() == timedelta(0)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_time(Schedule(), datetime(2025, 7, 15, 12))


def test_quiet_hours_wrap_midnight() -> None:
    night = Schedule(timezone="Europe/Berlin", **NIGHTS)
    assert in_quiet_hours(night, at("Europe/Berlin", 2025, 7, 15, 23, 30))
    assert in_quiet_hours(night, at("Europe/Berlin", 2025, 7, 15, 22, 0))
    assert in_quiet_hours(night, at("Europe/Berlin", 2025, 7, 16, 6, 59))
    assert not in_quiet_hours(night, at("Europe/Berlin", 2025, 7, 16, 7, 0))
    assert not in_quiet_hours(night, at("Europe/Berlin", 2025, 7, 15, 21, 59))


def test_quiet_hours_within_a_day_and_none() -> None:
    lunch = Schedule(quiet_start=time(12), quiet_end=time(13))
    assert in_quiet_hours(lunch, utc(2025, 7, 15, 12, 30))
    assert not in_quiet_hours(lunch, utc(2025, 7, 15, 13, 0))
    assert not in_quiet_hours(Schedule(), utc(2025, 7, 15, 3))
    assert not in_quiet_hours(Schedule(quiet_start=time(22)), utc(2025, 7, 15, 23))  # half a setting
    assert not in_quiet_hours(Schedule(quiet_start=time(9), quiet_end=time(9)), utc(2025, 7, 15, 9))


# --- the window -----------------------------------------------------------------------------------------


def test_window_is_working_days_and_hours_on_the_local_clock() -> None:
    berlin = Schedule(timezone="Europe/Berlin")  # Mon–Fri 09:30–16:30
    assert in_window(berlin, at("Europe/Berlin", 2025, 7, 15, 9, 30))  # Tuesday, start is inside
    assert not in_window(berlin, at("Europe/Berlin", 2025, 7, 15, 9, 29))
    assert in_window(berlin, at("Europe/Berlin", 2025, 7, 15, 16, 29))
    assert not in_window(berlin, at("Europe/Berlin", 2025, 7, 15, 16, 30))  # end is outside
    assert not in_window(berlin, at("Europe/Berlin", 2025, 7, 19, 11))  # Saturday
    assert not in_window(berlin, at("Europe/Berlin", 2025, 7, 20, 11))  # Sunday


def test_quiet_hours_cut_into_the_working_window() -> None:
    early_quiet = Schedule(work_start=time(6), work_end=time(18), **NIGHTS)
    assert not in_window(early_quiet, utc(2025, 7, 15, 6, 30))
    assert in_window(early_quiet, utc(2025, 7, 15, 7, 0))
    assert window_spans(early_quiet) == ((timedelta(hours=7), timedelta(hours=18)),)


@pytest.mark.parametrize(
    ("zone", "change_day", "offset_before", "offset_after"),
    [
        ("Europe/Berlin", date(2025, 3, 30), 1, 2),
        ("Europe/Berlin", date(2025, 10, 26), 2, 1),
        ("America/New_York", date(2025, 3, 9), -5, -4),
        ("America/New_York", date(2025, 11, 2), -4, -5),
    ],
)
def test_the_window_moves_in_utc_on_dst_change_days(
    zone: str, change_day: date, offset_before: int, offset_after: int
) -> None:
    every_day = Schedule(timezone=zone, work_days=EVERY_DAY)
    day_before = change_day - timedelta(days=1)
    opens_before = datetime.combine(day_before, time(9, 30), UTC) - timedelta(hours=offset_before)
    opens_on = datetime.combine(change_day, time(9, 30), UTC) - timedelta(hours=offset_after)
    for opens in (opens_before, opens_on):
        assert in_window(every_day, opens)
        assert not in_window(every_day, opens - timedelta(minutes=1))
    # Those change days are Sundays: with the default work days there is no window at all.
    assert not in_window(Schedule(timezone=zone), opens_on)


def test_kiritimati_works_monday_while_utc_is_still_sunday() -> None:
    kiritimati = Schedule(timezone="Pacific/Kiritimati")  # UTC+14
    monday_morning = utc(2025, 7, 13, 19, 30)  # Sunday in UTC
    assert local_time(kiritimati, monday_morning).weekday() == 0
    assert in_window(kiritimati, monday_morning)
    assert not in_window(kiritimati, utc(2025, 7, 18, 19, 30))  # Saturday 09:30 there


def test_apia_and_honolulu_a_day_apart() -> None:
    apia, honolulu = Schedule(timezone="Pacific/Apia"), Schedule(timezone="Pacific/Honolulu")
    friday_afternoon_honolulu = utc(2025, 7, 19, 2)  # Fri 16:00 UTC−10, Sat 15:00 UTC+13
    assert in_window(honolulu, friday_afternoon_honolulu)
    assert not in_window(apia, friday_afternoon_honolulu)
    assert next_window_start(apia, friday_afternoon_honolulu) == at("Pacific/Apia", 2025, 7, 21, 9, 30)


# --- local_to_utc and next_window_start ---------------------------------------------------------------


def test_a_local_time_in_a_dst_gap_moves_to_the_end_of_the_gap() -> None:
    berlin = Schedule(timezone="Europe/Berlin")
    assert local_to_utc(berlin, datetime(2025, 3, 30, 2, 30)) == utc(2025, 3, 30, 1)  # 03:00 CEST
    # In a fall-back overlap, the first of the two occurrences.
    assert local_to_utc(berlin, datetime(2025, 10, 26, 2, 30)) == utc(2025, 10, 26, 0, 30)


def test_next_window_start_is_now_inside_the_window() -> None:
    now = at("Europe/Berlin", 2025, 7, 15, 11, 7, 13)
    assert next_window_start(Schedule(timezone="Europe/Berlin"), now) == now


def test_next_window_start_skips_the_weekend() -> None:
    berlin = Schedule(timezone="Europe/Berlin")
    assert next_window_start(berlin, at("Europe/Berlin", 2025, 7, 18, 17)) == at(
        "Europe/Berlin", 2025, 7, 21, 9, 30
    )


@pytest.mark.parametrize(
    ("zone", "night_before", "gap_end"),
    [
        ("Europe/Berlin", utc(2025, 3, 29, 23), utc(2025, 3, 30, 1)),  # 02:00 CET → 03:00 CEST
        ("America/New_York", utc(2025, 3, 9, 5), utc(2025, 3, 9, 7)),  # 02:00 EST → 03:00 EDT
    ],
)
def test_next_window_start_across_a_dst_gap(zone: str, night_before: datetime, gap_end: datetime) -> None:
    starts_in_the_gap = Schedule(timezone=zone, work_days=EVERY_DAY, work_start=time(2, 30), work_end=time(5))
    assert next_window_start(starts_in_the_gap, night_before) == gap_end
    assert local_time(starts_in_the_gap, gap_end).time() == time(3)
    # A window that lies entirely inside the gap does not exist that day: the next day's one is used.
    inside_the_gap = Schedule(
        timezone=zone, work_days=EVERY_DAY, work_start=time(2, 15), work_end=time(2, 45)
    )
    next_day = local_time(inside_the_gap, gap_end).date() + timedelta(days=1)
    assert next_window_start(inside_the_gap, night_before) == local_to_utc(
        inside_the_gap, datetime.combine(next_day, time(2, 15))
    )


def test_next_window_start_in_a_fall_back_overlap_uses_the_second_pass() -> None:
    # 02:15–02:45 happens twice on 2025-10-26 in Berlin; just after the first pass, the second comes.
    short = Schedule(
        timezone="Europe/Berlin", work_days=EVERY_DAY, work_start=time(2, 15), work_end=time(2, 45)
    )
    first_pass_over = at("Europe/Berlin", 2025, 10, 26, 2, 50)
    assert next_window_start(short, first_pass_over) == at("Europe/Berlin", 2025, 10, 26, 2, 15, fold=1)


def test_next_window_start_when_the_clock_falls_back_into_the_window() -> None:
    # 01:00–02:30 every day; at 02:45 CEST the clock falls back at 03:00 to 02:00 CET, inside the window.
    night = Schedule(timezone="Europe/Berlin", work_days=EVERY_DAY, work_start=time(1), work_end=time(2, 30))
    assert next_window_start(night, at("Europe/Berlin", 2025, 10, 26, 2, 45)) == utc(2025, 10, 26, 1)


def test_quiet_hours_that_overlap_the_start_delay_it() -> None:
    late_quiet = Schedule(timezone="America/New_York", quiet_start=time(20), quiet_end=time(10, 15))
    friday_evening = at("America/New_York", 2025, 7, 18, 18)
    assert next_window_start(late_quiet, friday_evening) == at("America/New_York", 2025, 7, 21, 10, 15)


def test_apia_skipped_a_whole_day() -> None:
    # Samoa jumped from 29 to 31 December 2011 (a Friday vanished); Saturday is off, so Monday it is.
    apia = Schedule(timezone="Pacific/Apia")
    thursday_evening = at("Pacific/Apia", 2011, 12, 29, 18)
    assert next_window_start(apia, thursday_evening) == at("Pacific/Apia", 2012, 1, 2, 9, 30)


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(work_days=frozenset()),
        Schedule(work_start=time(17), work_end=time(9)),  # working hours never wrap midnight
        Schedule(quiet_start=time(9), quiet_end=time(17)),  # quiet hours cover the working hours
    ],
)
def test_no_window_at_all(schedule: Schedule) -> None:
    assert next_window_start(schedule, utc(2025, 7, 15, 12)) is None


# --- send_minute ----------------------------------------------------------------------------------------


def test_send_minute_is_reproducible_and_inside_the_window() -> None:
    berlin = Schedule(timezone="Europe/Berlin", **NIGHTS)
    day = date(2025, 7, 15)
    chosen = send_minute("ada@example.org", berlin, day)
    assert chosen == send_minute("ada@example.org", berlin, day)
    assert chosen == time(16, 4)  # a stable hash: the same in every process and on every machine
    assert chosen is not None and time(9, 30) <= chosen < time(16, 30)


def test_send_minute_spreads_people_days_and_seeds() -> None:
    schedule = Schedule()
    day = date(2025, 7, 15)
    people = {send_minute(f"person{n}@example.org", schedule, day) for n in range(200)}
    assert len(people) > 100  # 420 minutes in the window: nearly everyone gets their own
    assert len({send_minute("ada@example.org", schedule, day + timedelta(days=n)) for n in range(30)}) > 15
    assert len({send_minute("ada@example.org", schedule, day, seed=n) for n in range(30)}) > 15


def test_send_minute_is_none_on_a_day_without_window() -> None:
    assert send_minute("ada@example.org", Schedule(), date(2025, 7, 19)) is None  # Saturday
    assert (
        send_minute(
            "ada@example.org", Schedule(quiet_start=time(0), quiet_end=time(23, 59)), date(2025, 7, 15)
        )
        is None
    )


def test_send_minute_avoids_a_dst_gap() -> None:
    # The window is 02:00–03:10 and 02:00–03:00 does not exist that night: only 03:00–03:09 is left.
    tight = Schedule(timezone="Europe/Berlin", work_days=EVERY_DAY, work_start=time(2), work_end=time(3, 10))
    chosen = {send_minute(f"p{n}", tight, date(2025, 3, 30)) for n in range(50)}
    assert chosen <= {time(3, m) for m in range(10)}


def test_send_minute_on_a_day_that_never_happened() -> None:
    assert send_minute("ada@example.org", Schedule(timezone="Pacific/Apia"), date(2011, 12, 30)) is None


# --- properties -----------------------------------------------------------------------------------------

# Real zones with DST, odd offsets (+5:45, +12:45, −3:30), half-hour DST (Lord Howe), DST at midnight
# (Santiago, Havana), a skipped day (Apia), +14 (Kiritimati), plus one unknown name.
ZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Pacific/Honolulu",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Africa/Casablanca",
    "Not/A_Zone",
)

minute_times = st.builds(time, st.integers(0, 23), st.sampled_from((0, 15, 30, 45)) | st.integers(0, 59))


@st.composite
def schedules(draw: st.DrawFn, zones: tuple[str, ...] = ZONES) -> Schedule:
    start, end = draw(minute_times), draw(minute_times)
    if draw(st.integers(0, 9)):  # mostly a real working window, sometimes an empty one
        start, end = min(start, end), max(start, end)
    quiet = draw(st.none() | st.tuples(minute_times, minute_times))
    return Schedule(
        timezone=draw(st.sampled_from(zones)),
        work_days=draw(st.just(WEEKDAYS) | st.frozensets(st.integers(0, 6), min_size=1)),
        work_start=start,
        work_end=end,
        quiet_start=quiet[0] if quiet else None,
        quiet_end=quiet[1] if quiet else None,
    )


@cache
def transitions_of(zone: str, year: int) -> tuple[datetime, ...]:
    """Instants in a year at which the zone's UTC offset changes: a plain scan by day, then by minute."""
    tz = ZoneInfo(zone) if zone in ZONES[:-1] else UTC

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(tz).utcoffset()

    found, day = [], utc(year, 1, 1)
    while day.year == year:
        following = day + timedelta(days=1)
        if offset(day) != offset(following):
            minute = day
            while offset(minute) == offset(day):
                minute += timedelta(minutes=1)
            found.append(minute)
        day = following
    return tuple(found)


@st.composite
def instants(draw: st.DrawFn, zone: str) -> datetime:
    """Any instant 2005–2035, or one within two days of a DST transition of ``zone``."""
    seconds = draw(st.sampled_from((0, 0, 0, 1, 59)))
    if draw(st.booleans()):
        changes = transitions_of(zone, draw(st.integers(2008, 2030)))
        if changes:
            near = draw(st.sampled_from(changes))
            return near + timedelta(minutes=draw(st.integers(-2 * 24 * 60, 2 * 24 * 60)), seconds=seconds)
    moment = draw(st.datetimes(datetime(2005, 1, 1), datetime(2035, 1, 1)))
    return moment.replace(second=seconds, microsecond=0, tzinfo=UTC)


@st.composite
def schedule_and_instant(draw: st.DrawFn) -> tuple[Schedule, datetime]:
    schedule = draw(schedules())
    return schedule, draw(instants(schedule.timezone))


def first_window_minute(schedule: Schedule, now: datetime) -> datetime | None:
    """The oracle: now, else the first whole minute after it, that is in the window. Offsets, DST
    changes and schedule times are all whole minutes, so the window can only open on one."""
    if in_window(schedule, now):
        return now
    minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute <= now + timedelta(days=SEARCH_DAYS):
        if in_window(schedule, minute):
            return minute
        minute += timedelta(minutes=1)
    return None


@settings(max_examples=80, deadline=None)
@given(schedule_and_instant())
def test_next_window_start_is_the_first_window_minute(case: tuple[Schedule, datetime]) -> None:
    schedule, now = case
    assert next_window_start(schedule, now) == first_window_minute(schedule, now)


@settings(max_examples=300, deadline=None)
@given(schedule_and_instant())
def test_in_window_means_a_working_day_working_hours_and_no_quiet(case: tuple[Schedule, datetime]) -> None:
    schedule, now = case
    local = local_time(schedule, now)
    expected = (
        local.weekday() in schedule.work_days
        and schedule.work_start <= local.time() < schedule.work_end
        and not in_quiet_hours(schedule, now)
    )
    assert in_window(schedule, now) == expected


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.data())
def test_local_to_utc_is_the_first_instant_at_or_after_the_wall_time(zone: str, data: st.DataObject) -> None:
    schedule = Schedule(timezone=zone)
    wall = local_time(schedule, data.draw(instants(zone))).replace(tzinfo=None)
    wall += timedelta(minutes=data.draw(st.integers(-90, 90)))  # may land in a gap or an overlap
    instant = local_to_utc(schedule, wall)
    assert local_time(schedule, instant).replace(tzinfo=None) >= wall
    assert local_time(schedule, instant - timedelta(seconds=1)).replace(tzinfo=None) < wall


@settings(max_examples=100, deadline=None)
@given(schedules(), st.dates(date(2008, 1, 1), date(2030, 12, 31)), st.text(max_size=20), st.data())
def test_send_minute_exists_and_is_in_the_window(
    schedule: Schedule, day: date, key: str, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):  # often a DST change day of this zone
        changes = transitions_of(schedule.timezone, day.year)
        day = local_time(schedule, data.draw(st.sampled_from(changes))).date() if changes else day
    chosen = send_minute(key, schedule, day)
    assert chosen == send_minute(key, schedule, day)
    wall_minutes = [datetime.combine(day, time()) + timedelta(minutes=m) for m in range(24 * 60)]
    possible = [
        w
        for w in wall_minutes
        if local_time(schedule, local_to_utc(schedule, w)).replace(tzinfo=None) == w
        and in_window(schedule, local_to_utc(schedule, w))
    ]
    if not possible:
        assert chosen is None
    else:
        assert chosen is not None and datetime.combine(day, chosen) in possible
