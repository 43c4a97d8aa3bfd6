"""Caseload alerts: each rule by table, and properties that must hold for any history."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkrx.evidence import RED_FLAGS
from walkrx.program.history_view import pain_observations
from walkrx.program.models import CheckIn, History, Walk
from walkrx.safety import SafetyEvent, in_flare, safety_state
from walkrx.safety.alerts import (
    ALERT_RANK,
    CHECKIN_GAP_DAYS,
    Alert,
    attention_key,
    caseload_alerts,
)

START = date(2026, 1, 5)  # a Monday
TODAY = date(2026, 3, 4)  # a Wednesday, week 9


def at(d: date, hour: int = 12) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def weekly_checkins(until: date = TODAY, pain: int = 3) -> tuple[CheckIn, ...]:
    out, d = [], START
    while d <= until:
        out.append(CheckIn(date=d, avg_pain=pain))
        d += timedelta(days=7)
    return tuple(out)


def codes(history: History, **kw: object) -> list[str]:
    kw.setdefault("today", TODAY)
    kw.setdefault("program_start", START)
    return [a.code for a in caseload_alerts(history, **kw)]  # type: ignore[arg-type]


def quiet(**kw: object) -> History:
    """A walker with weekly check-ins and no problem."""
    base: dict[str, object] = {"checkins": weekly_checkins(TODAY - timedelta(days=2))}
    base.update(kw)
    return History(**base)  # type: ignore[arg-type]


def test_a_quiet_walker_has_no_alert() -> None:
    assert codes(quiet()) == []


@pytest.mark.parametrize(
    ("days_since", "alert"),
    [(0, False), (CHECKIN_GAP_DAYS, False), (CHECKIN_GAP_DAYS + 1, True), (40, True)],
)
def test_no_checkin_after_more_than_ten_days(days_since: int, alert: bool) -> None:
    last = TODAY - timedelta(days=days_since)
    h = History(checkins=(CheckIn(date=last, avg_pain=2),))
    assert ("no-checkin" in codes(h)) is alert


def test_no_checkin_counts_from_the_start_when_there_is_none() -> None:
    assert codes(History(), today=START + timedelta(days=10)) == []
    assert codes(History(), today=START + timedelta(days=11)) == ["no-checkin"]


@pytest.mark.parametrize(
    ("pairs", "alert"),
    [
        ([(2, 4), (2, 4), (2, 2)], True),  # 2 of the last 3 rose by 2
        ([(2, 4), (2, 3), (2, 5)], True),
        ([(2, 3), (2, 3), (2, 3)], False),  # rises of 1 only
        ([(2, 5), (2, 2), (2, 2)], False),  # just one of three
        ([(2, 5), (2, 5), (2, 2), (2, 2), (2, 2)], False),  # old rises, last 3 calm
        ([(4, 2), (4, 2), (None, 9)], False),  # missing before: no pair
    ],
)
def test_pain_rising_on_two_of_the_last_three_walks(
    pairs: list[tuple[int | None, int]], alert: bool
) -> None:
    walks = tuple(
        Walk(date=TODAY - timedelta(days=len(pairs) - i), minutes=20, pain_before=b, pain_after=a)
        for i, (b, a) in enumerate(pairs)
    )
    assert ("pain-rising" in codes(quiet(walks=walks))) is alert


@pytest.mark.parametrize(("before", "now", "alert"), [(2, 4, True), (2, 3, False), (5, 2, False)])
def test_weekly_pain_up_two_points(before: int, now: int, alert: bool) -> None:
    last_week = TODAY - timedelta(days=7)
    h = History(
        checkins=(CheckIn(date=last_week, avg_pain=before), CheckIn(date=TODAY, avg_pain=now))
    )
    assert ("pain-rising" in codes(h)) is alert


def test_flare_now_and_settled() -> None:
    flare = quiet(walks=(Walk(date=TODAY - timedelta(days=1), minutes=5, pain_max=8),))
    found = caseload_alerts(flare, today=TODAY, program_start=START)
    assert [a.code for a in found] == ["flare"] and found[0].since == TODAY - timedelta(days=1)
    settled = quiet(
        walks=(
            Walk(date=TODAY - timedelta(days=3), minutes=5, pain_max=8),
            Walk(date=TODAY - timedelta(days=1), minutes=10, pain_before=3, pain_after=3),
            Walk(date=TODAY, minutes=10, pain_before=3, pain_after=2),
        )
    )
    assert "flare" not in codes(settled)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 10)), max_size=10))
def test_flare_alert_follows_the_flare_engine(reports: list[tuple[int, int]]) -> None:
    walks = tuple(Walk(date=TODAY - timedelta(days=d), minutes=10, pain_max=p) for d, p in reports)
    h = History(walks=walks)
    now = in_flare(pain_observations(h), TODAY)
    assert ("flare" in codes(h)) is now


def _planned_weeks(n: int = 10) -> dict[date, int]:
    return {START + timedelta(days=7 * k): 4 for k in range(n)}


@pytest.mark.parametrize(
    ("done_per_week", "alert"),
    [((1, 1), True), ((2, 1), False), ((1, 2), False), ((0, 0), True), ((4, 4), False)],
)
def test_low_adherence_two_complete_weeks(done_per_week: tuple[int, int], alert: bool) -> None:
    this_week = TODAY - timedelta(days=TODAY.weekday())
    walks = []
    for k, done in enumerate(done_per_week):  # k=0: two weeks ago, k=1: last week
        ws = this_week - timedelta(days=7 * (2 - k))
        walks += [Walk(date=ws + timedelta(days=i), minutes=20) for i in range(done)]
    h = quiet(walks=tuple(walks))
    assert ("low-adherence" in codes(h, planned_sessions=_planned_weeks())) is alert


def test_low_adherence_skips_weeks_with_nothing_planned() -> None:
    this_week = TODAY - timedelta(days=TODAY.weekday())
    planned = _planned_weeks()
    planned[this_week - timedelta(days=7)] = 0  # e.g. paused last week
    assert "low-adherence" in codes(quiet(), planned_sessions=planned)
    only_one = {this_week - timedelta(days=7): 4}
    assert "low-adherence" not in codes(quiet(), planned_sessions=only_one)


def test_recurrence_only_while_the_latest_checkin_reports_it() -> None:
    cis = weekly_checkins(TODAY - timedelta(days=2))
    rec = {cis[-1].date, cis[-2].date}
    found = caseload_alerts(quiet(), today=TODAY, program_start=START, recurrence_dates=rec)
    assert [a.code for a in found] == ["recurrence"] and found[0].since == cis[-2].date
    assert codes(quiet(), recurrence_dates={cis[-2].date}) == []


def test_red_flag_pause_by_urgency_then_age_and_clearance_ends_it() -> None:
    flag = SafetyEvent("red-flag", at(TODAY - timedelta(days=2)), code="saddle-numbness")
    h = quiet(safety_events=(flag,))
    (alert,) = caseload_alerts(h, today=TODAY, program_start=START)
    assert alert.code == "red-flag" and alert.urgency == "emergency"
    assert alert.since == TODAY - timedelta(days=2) and alert.age_days(TODAY) == 2
    assert not alert.acknowledgeable
    cleared = quiet(
        safety_events=(
            flag,
            SafetyEvent("clinician-clearance", at(TODAY), by="kari", note="seen, fine"),
        )
    )
    assert codes(cleared) == []


def test_escalation_is_an_alert_until_cleared() -> None:
    esc = SafetyEvent("escalation", at(TODAY - timedelta(days=3)))
    assert codes(quiet(safety_events=(esc,))) == ["escalation"]


def test_future_data_is_ignored() -> None:
    later = SafetyEvent("red-flag", at(TODAY + timedelta(days=1)), code="saddle-numbness")
    assert codes(quiet(safety_events=(later,))) == []


def test_attention_order_of_walkers() -> None:
    def a(code: str, days: int, urgency: str | None = None) -> Alert:
        return Alert(code, TODAY - timedelta(days=days), "", urgency)  # type: ignore[arg-type]

    rows = {
        "calm-soon": attention_key([], next_session=TODAY + timedelta(days=1), name="calm-soon"),
        "calm-late": attention_key([], next_session=TODAY + timedelta(days=30), name="calm-late"),
        "calm-none": attention_key([], name="calm-none"),
        "review-old": attention_key([a("red-flag", 9, "review")], name="review-old"),
        "emerg-new": attention_key([a("red-flag", 0, "emergency")], name="emerg-new"),
        "emerg-old": attention_key([a("red-flag", 3, "emergency")], name="emerg-old"),
        "esc": attention_key([a("escalation", 30, "review")], name="esc"),
        "checkin": attention_key([a("no-checkin", 3)], name="checkin"),
        "pain": attention_key([a("pain-rising", 1)], name="pain"),
        "acked": attention_key(
            [a("pain-rising", 1)], acknowledged={a("pain-rising", 1).key()}, name="acked"
        ),
    }
    order = sorted(rows, key=rows.__getitem__)
    assert order == [
        "emerg-old",
        "emerg-new",
        "review-old",
        "esc",
        "pain",
        "checkin",
        "calm-soon",
        "calm-late",
        "acked",  # acknowledged: with everyone else, by next session (none), then name
        "calm-none",
    ]


def test_a_red_flag_cannot_be_acknowledged_away() -> None:
    flag = Alert("red-flag", TODAY, "", "emergency")
    assert attention_key([flag], acknowledged={flag.key()})[0] == 0


# --- properties --------------------------------------------------------------

pain = st.one_of(st.none(), st.integers(0, 10))
days = st.integers(0, 59)
walk = st.builds(
    lambda d, b, m, a: Walk(
        date=START + timedelta(days=d), minutes=20, pain_before=b, pain_max=m, pain_after=a
    ),
    days,
    pain,
    pain,
    pain,
)
checkin = st.builds(
    lambda d, p, f: CheckIn(date=START + timedelta(days=d), avg_pain=p, flare=f),
    days,
    pain,
    st.booleans(),
)
event = st.builds(
    lambda kind, d, code: SafetyEvent(
        kind, at(START + timedelta(days=d), 8 + d % 10), code=code, by="kari", note="n"
    ),
    st.sampled_from(["red-flag", "clinician-clearance", "escalation", "clinician-pause"]),
    days,
    st.sampled_from(sorted(RED_FLAGS)),
)
histories = st.builds(
    History,
    walks=st.lists(walk, max_size=12).map(tuple),
    checkins=st.lists(checkin, max_size=8).map(tuple),
    safety_events=st.lists(event, max_size=5).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(histories, st.randoms(use_true_random=False))
def test_alerts_are_ordered_and_ignore_input_order(h: History, rnd: random.Random) -> None:
    found = caseload_alerts(h, today=TODAY, program_start=START)
    ranks = [ALERT_RANK.index(a.code) for a in found]
    assert ranks == sorted(ranks)
    assert all(a.since <= TODAY for a in found)
    shuffled = History(
        walks=tuple(rnd.sample(h.walks, len(h.walks))),
        checkins=tuple(rnd.sample(h.checkins, len(h.checkins))),
        safety_events=tuple(rnd.sample(h.safety_events, len(h.safety_events))),
    )
    assert caseload_alerts(shuffled, today=TODAY, program_start=START) == found


@settings(max_examples=200, deadline=None)
@given(histories)
def test_a_paused_walker_always_has_the_red_flag_alert_first(h: History) -> None:
    found = caseload_alerts(h, today=TODAY, program_start=START)
    paused = (
        safety_state([e for e in h.safety_events if e.at_utc.date() <= TODAY]).status == "paused"
    )
    assert (bool(found) and found[0].code == "red-flag") is paused
    # whatever else holds and whatever is acknowledged, a paused walker sorts first
    key = attention_key(found, acknowledged={a.key() for a in found})
    assert (key[0] == 0) is paused


@settings(max_examples=200, deadline=None)
@given(histories, st.integers(0, 30))
def test_no_checkin_iff_gap_over_ten_days(h: History, extra: int) -> None:
    today = TODAY + timedelta(days=extra)
    found = caseload_alerts(h, today=today, program_start=START)
    last = max((c.date for c in h.checkins if c.date <= today), default=START)
    assert ("no-checkin" in [a.code for a in found]) is ((today - last).days > CHECKIN_GAP_DAYS)


def test_walks_of_one_day_count_the_larger_rise_last() -> None:
    day = TODAY - timedelta(days=1)
    walks = [
        Walk(date=day - timedelta(days=1), minutes=10, pain_before=2, pain_after=4),
        Walk(date=day, minutes=10, pain_before=2, pain_after=4),
        Walk(date=day, minutes=10, pain_before=2, pain_after=2),
        Walk(date=day, minutes=10, pain_before=2, pain_after=2),
    ]
    for order in (walks, walks[::-1]):
        assert "pain-rising" not in codes(quiet(walks=tuple(order)))
    walks.append(Walk(date=day, minutes=10, pain_before=1, pain_after=3))
    for order in (walks, walks[::-1]):
        assert "pain-rising" in codes(quiet(walks=tuple(order)))
