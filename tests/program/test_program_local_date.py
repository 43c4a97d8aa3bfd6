"""A walk at 23:30 local time counts on that local date, DST days included."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import CheckIn, History, Profile, Walk, achieved_minutes, plan_week
from walkrx.program.simulate import simulate
from walkrx.safety import SafetyEvent
from walkrx.timeutil import local_date, monday_of

_SCREEN_AT = datetime(2000, 1, 1, tzinfo=UTC)


def SH(walks=(), checkins=(), daily=(), safety_events=()) -> History:  # type: ignore[no-untyped-def]
    """A history whose walker answered the red-flag screen (all "no") before anything else."""
    events = tuple(safety_events)
    if not any(e.kind == "screening" for e in events):
        answers = tuple((code, False) for code in SCREEN_CODES)
        events = (SafetyEvent("screening", _SCREEN_AT, answers=answers),) + events
    return History(tuple(walks), tuple(checkins), tuple(daily), events)


START = date(2026, 1, 5)  # a Monday


def week(n: int) -> date:
    """Monday of program week n for a program starting on START."""
    return START + timedelta(weeks=n - 1)


OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 11),  # an ordinary winter Sunday (UTC+1)
        date(2026, 3, 29),  # DST starts: a 23-hour day (UTC+1 -> UTC+2)
        date(2026, 10, 25),  # DST ends: a 25-hour day (UTC+2 -> UTC+1)
        date(2026, 6, 30),  # summer (UTC+2)
    ],
)
def test_2330_in_oslo_is_that_local_date(day: date) -> None:
    local = datetime(day.year, day.month, day.day, 23, 30, tzinfo=OSLO)
    instant = local.astimezone(UTC)
    assert local_date(instant, "Europe/Oslo") == day
    assert local_date(instant, OSLO) == day
    assert local_date(instant, "UTC") == instant.date()  # 21:30 or 22:30 UTC, same day here
    after_midnight = (local + timedelta(hours=1)).astimezone(UTC)  # 00:30 next local day
    assert local_date(after_midnight, "Europe/Oslo") == day + timedelta(days=1)


def test_dst_days_have_23_and_25_hours() -> None:
    def length(d: date) -> timedelta:
        a = datetime(d.year, d.month, d.day, tzinfo=OSLO).astimezone(UTC)
        n = d + timedelta(days=1)
        return datetime(n.year, n.month, n.day, tzinfo=OSLO).astimezone(UTC) - a

    assert length(date(2026, 3, 29)) == timedelta(hours=23)
    assert length(date(2026, 10, 25)) == timedelta(hours=25)


def test_naive_and_abbreviated_zones_are_refused() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 29, 23, 30), "Europe/Oslo")
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), "CET")


@pytest.mark.parametrize("sunday", [date(2026, 3, 29), date(2026, 10, 25)])
def test_engine_counts_a_late_sunday_walk_in_its_local_week(sunday: date) -> None:
    """The Sunday 23:30 walk belongs to the week that ends that Sunday."""
    start = monday_of(sunday) - timedelta(weeks=1)
    p = Profile(age=50, goal="relieve-pain", program_start=start)
    instant = datetime(sunday.year, sunday.month, sunday.day, 23, 30, tzinfo=OSLO).astimezone(UTC)
    walk = Walk(local_date(instant, "Europe/Oslo"), 20)
    h = SH(walks=(walk,))
    assert walk.date == sunday
    assert achieved_minutes(h, monday_of(sunday)) == 20
    assert achieved_minutes(h, monday_of(sunday) + timedelta(days=7)) == 0
    # 00:30 on the Monday is still Sunday in UTC, but counts in the next local week
    monday = sunday + timedelta(days=1)
    early = datetime(monday.year, monday.month, monday.day, 0, 30, tzinfo=OSLO).astimezone(UTC)
    assert early.date() == sunday
    h2 = SH(walks=(Walk(local_date(early, "Europe/Oslo"), 15),))
    assert achieved_minutes(h2, monday_of(sunday)) == 0
    assert achieved_minutes(h2, monday) == 15
    assert plan_week(p, h, monday_of(sunday)).week_index == 2


def test_missed_week_pulls_the_next_plan_down_to_the_cap() -> None:
    p = Profile(age=50, goal="relieve-pain", program_start=START)
    plans, h = simulate(p, 5)
    assert plans[-1].total_minutes == 150
    # week 6: nothing walked -> week 7 capped at max(30, 0 * 1.3 + 25) = 30 minutes
    plan7 = plan_week(p, h, week(7))
    assert plan7.total_minutes <= 30
    assert any("limited to 30 min" in r.text for r in plan7.reasons)


def test_sunday_evening_red_flag_west_of_utc_pauses_that_week() -> None:
    """Sunday 20:00 in Honolulu is already Monday in UTC; the flag still pauses Sunday's week."""
    hnl = ZoneInfo("Pacific/Honolulu")
    p = Profile(age=50, goal="relieve-pain", program_start=START, tz="Pacific/Honolulu")
    sunday = week(2) + timedelta(days=6)
    instant = datetime(sunday.year, sunday.month, sunday.day, 20, tzinfo=hnl).astimezone(UTC)
    assert instant.date() == sunday + timedelta(days=1)
    flag = SafetyEvent("red-flag", instant, code="saddle-numbness")
    plan = plan_week(p, SH(safety_events=(flag,)), week(2))
    assert (plan.status, plan.urgency, plan.sessions) == ("paused", "emergency", ())
    # and with a check-in recorded at that instant
    ci = CheckIn(sunday, red_flags=("fever-unwell",), at_utc=instant)
    assert plan_week(p, SH(checkins=(ci,)), week(2)).status == "paused"


def test_bad_inputs_are_refused_with_clear_errors() -> None:
    with pytest.raises(ValueError, match="IANA"):
        Profile(age=50, goal="relieve-pain", program_start=START, tz="CET")
    with pytest.raises(ValueError, match="goal"):
        Profile(age=50, goal="get-fit", program_start=START)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="condition"):
        Profile(age=50, goal="relieve-pain", program_start=START, conditions=frozenset({"flu"}))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pain_after"):
        Walk(START, 10, pain_after=11)
    with pytest.raises(ValueError, match="minutes"):
        Walk(START, -5)
    with pytest.raises(ValueError, match="before the program start"):
        plan_week(
            Profile(age=50, goal="relieve-pain", program_start=START),
            SH(),
            START - timedelta(days=7),
        )
