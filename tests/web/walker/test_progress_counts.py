"""Progress counts add up over random histories (hypothesis), and the words stay true and kind."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkrx.timeutil import monday_of
from walkrx.web.walking import charts, services
from walkrx.web.walking import progress_words as words
from walkrx.web.walking.models import Walk, Walker
from walkrx.web.walking.views_progress import _context

from .conftest import make_walker

TODAY = dt.date(2026, 3, 18)  # a Wednesday

walks_st = st.lists(
    st.tuples(st.integers(0, 120), st.floats(0.5, 90, allow_nan=False)), max_size=60
)
plans_st = st.dictionaries(st.integers(0, 17), st.integers(0, 7), max_size=18)


@given(start_back=st.integers(0, 120), walks=walks_st, plans=plans_st)
@settings(max_examples=300, deadline=None)
def test_weekly_rows_add_up_and_never_start_before_the_program(
    start_back: int, walks: list[tuple[int, float]], plans: dict[int, int]
) -> None:
    start = TODAY - dt.timedelta(days=start_back)
    done = [(TODAY - dt.timedelta(days=back), m) for back, m in walks if back <= start_back]
    weekly: dict[dt.date, dict[str, float | int]] = {}
    for day, minutes in done:
        w = weekly.setdefault(monday_of(day), {"walks": 0, "minutes": 0.0})
        w["walks"] += 1
        w["minutes"] += minutes
    for back, n in plans.items():
        week = monday_of(TODAY) - dt.timedelta(weeks=back)
        if week >= monday_of(start):
            weekly.setdefault(week, {"walks": 0, "minutes": 0.0})["planned"] = n
    weeks = words.week_starts(monday_of(start), monday_of(TODAY), 8)
    rows = words.week_rows(weekly, weeks)
    assert weeks[0] >= monday_of(start) and weeks[-1] == monday_of(TODAY)
    assert len(weeks) <= 8 and all(
        b - a == dt.timedelta(weeks=1) for a, b in itertools.pairwise(weeks)
    )
    shown = sum(1 for day, _ in done if monday_of(day) >= weeks[0])
    assert sum(r["done"] for r in rows) == shown
    s = words.summarise(rows[-1], rows[-2] if len(rows) > 1 else None, [], ever_walked=bool(done))
    text = " ".join(s.good + s.next)
    for n, m in re.findall(r"done (\d+) of the (\d+)", text):
        assert int(n) < int(m)
    for m in re.findall(r"done all (\d+) walks? planned", text):
        assert rows[-1]["done"] >= int(m) == rows[-1]["planned"]
    if rows[-1]["done"]:
        assert s.good, "something that went well comes first when the walker walked"
    assert not re.search(r"\b0 minutes", " ".join(s.good))


@given(pairs=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=5))
def test_pain_words_count_every_walk_once(pairs: list[tuple[int, int]]) -> None:
    row = {"done": 1, "planned": 3, "minutes": 10.0}
    s = words.summarise(row, None, pairs, ever_walked=True)
    text = " ".join(s.good + s.next)
    eased = sum(1 for b, a in pairs if a < b)
    rose = sum(1 for b, a in pairs if a > b)
    if eased:
        assert f"Pain eased during {eased} of your last {len(pairs)}" in text
    if rose:
        assert f"Pain was higher after {rose} of your last {len(pairs)}" in text


@given(n=st.integers(1, 60), width=st.sampled_from([254.0, 280.0, 320.0]))
def test_date_labels_never_crowd(n: int, width: float) -> None:
    shown = charts.label_indexes(n, width)
    assert shown[-1] == n - 1  # the newest day is always labelled
    slot = width / n
    assert all((b - a) * slot >= charts.LABEL_ROOM - 1e-9 for a, b in itertools.pairwise(shown))


@given(n=st.integers(1, 60))
def test_drawn_date_labels_stay_apart_and_inside(n: int) -> None:
    start = dt.date(2026, 1, 1)
    labels = [f"{(start + dt.timedelta(days=i)).day} Nov" for i in range(n)]
    slot = (charts.W - charts.LEFT - charts.RIGHT) / n
    drawn = charts.label_positions(labels, slot)
    assert drawn[-1][0] == n - 1
    xs = [x for _, x in drawn]
    assert all(b - a >= charts.LABEL_ROOM - 1e-9 for a, b in itertools.pairwise(xs))
    for i, x in drawn:
        half = len(labels[i]) * charts.FONT * 0.3
        assert x - half >= charts.LEFT and x + half <= charts.W - charts.RIGHT


_seq = itertools.count()


@pytest.mark.db
@pytest.mark.django_db
@given(
    start_back=st.integers(0, 70),
    walks=st.lists(st.tuples(st.integers(0, 70), st.integers(1, 60)), max_size=25),
)
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_progress_page_counts_match_the_stored_walks(
    start_back: int, walks: list[tuple[int, int]]
) -> None:
    name = f"prop{next(_seq)}"
    _, walker = make_walker(name, start_date=TODAY)
    today = services.local_today(walker.tz)
    start = today - dt.timedelta(days=start_back)
    Walker.objects.filter(pk=walker.pk).update(start_date=start)
    walker.refresh_from_db()
    for back, minutes in walks:
        if back <= start_back:
            services.log_walk(walker, local_date=today - dt.timedelta(days=back), minutes=minutes)
    ctx = _context(walker, today)
    stored = list(Walk.objects.filter(walker=walker).values_list("local_date", "minutes"))
    per_week = Counter(monday_of(d) for d, _ in stored)
    shown_weeks = words.week_starts(monday_of(start), monday_of(today), 8)
    first_week = shown_weeks[0]
    assert sum(r["done"] for r in ctx["weeks"]) == sum(
        n for w, n in per_week.items() if w >= first_week
    )
    assert len(ctx["weeks"]) == len(shown_weeks)
    # the minutes table starts at the program start (or 4 weeks back) and sums the walks shown
    first_day = max(today - dt.timedelta(days=27), start)
    assert len(ctx["table"]) == (today - first_day).days + 1
    logged = sum(float(r["logged"]) for r in ctx["table"] if r["logged"] != "-")
    assert logged == pytest.approx(sum(m for d, m in stored if d >= first_day))
    services.erase_walker(walker)  # the one path that also removes safety events
