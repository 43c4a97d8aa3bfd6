"""Caseload alerts: what needs a clinician's attention first (pure, no clock, no I/O).

Alerts, most important first (``ALERT_RANK``)::

    red-flag       paused by a red flag (or a clinician's pause); ranked by urgency,
                   then by how long the flag has been open (oldest first)
    escalation     escalated: persisting symptoms after consistent walking (escalation.py)
    pain-rising    a rise of >= 2 points (before -> after) on 2 of the last 3 walks with
                   both scores, or weekly check-in pain up >= 2 against the week before
    flare          the walker is in a flare-up now (flare.py)
    no-checkin     no check-in for more than 10 days (since the last one, or the start)
    low-adherence  fewer than half of the planned sessions done in each of the last
                   2 complete program weeks that had sessions planned
    recurrence     the latest check-in reports that activity-limiting pain came back

The 2-point threshold is the meaningful change on the 0-10 scale (``pain.MEANINGFUL_CHANGE``,
Farrar 2001; Ostelo 2008); 10 days and 50 % over 2 weeks are walkrx's choices for a
weekly check-in rhythm (advice, a clinic may change them). Each alert carries the local
date it started (``since``): an acknowledgement names (code, since), so an alert that
stops and starts again is new. Red-flag pauses and escalations cannot be acknowledged
away: only a clearance ends them.

:func:`attention_key` orders walkers: the most important open alert first, then
everyone else by next session date. The same key serves the page and the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean
from typing import Literal, get_args

from walkrx.evidence.types import URGENCY_ORDER, Urgency
from walkrx.program.history_view import pain_observations
from walkrx.program.models import History
from walkrx.safety.flare import flare_by_day, in_flare
from walkrx.safety.pain import MEANINGFUL_CHANGE, pain_rise
from walkrx.safety.state import safety_state
from walkrx.timeutil import local_date, monday_of

__all__ = [
    "ALERT_RANK",
    "CHECKIN_GAP_DAYS",
    "LOW_ADHERENCE",
    "LOW_ADHERENCE_WEEKS",
    "Alert",
    "AlertCode",
    "attention_key",
    "caseload_alerts",
]

AlertCode = Literal[
    "red-flag",
    "escalation",
    "pain-rising",
    "flare",
    "no-checkin",
    "low-adherence",
    "recurrence",
]
#: The alert codes, most important first (the order of ``AlertCode``).
ALERT_RANK: tuple[AlertCode, ...] = get_args(AlertCode)
#: Alerts only a clearance ends; an acknowledgement does not lower them.
UNACKNOWLEDGEABLE: frozenset[str] = frozenset({"red-flag", "escalation"})
#: More days than this without a check-in raises ``no-checkin``.
CHECKIN_GAP_DAYS = 10
#: Done / planned sessions below this ...
LOW_ADHERENCE = 0.5
#: ... in this many consecutive complete weeks raises ``low-adherence``.
LOW_ADHERENCE_WEEKS = 2

_LABELS: dict[AlertCode, str] = {
    "red-flag": "Paused by a red flag",
    "escalation": "Escalation due",
    "pain-rising": "Pain rising",
    "flare": "Flare-up",
    "no-checkin": "No check-in",
    "low-adherence": "Low adherence",
    "recurrence": "Recurrence started",
}


@dataclass(frozen=True)
class Alert:
    """One alert for one walker; ``since`` is the walker-local date it started."""

    code: AlertCode
    since: date
    detail: str
    urgency: Urgency | None = None

    @property
    def rank(self) -> int:
        """0 = most important (see ``ALERT_RANK``)."""
        return ALERT_RANK.index(self.code)

    @property
    def label(self) -> str:
        """A short name for the alert."""
        return _LABELS[self.code]

    @property
    def acknowledgeable(self) -> bool:
        """Whether an acknowledgement may lower it (red flags and escalations: no)."""
        return self.code not in UNACKNOWLEDGEABLE

    def age_days(self, today: date) -> int:
        """Whole days since the alert started (0 = today)."""
        return max(0, (today - self.since).days)

    def key(self) -> str:
        """The identity an acknowledgement refers to: ``code@since``."""
        return f"{self.code}@{self.since.isoformat()}"


def caseload_alerts(
    history: History,
    *,
    today: date,
    program_start: date,
    tz: str = "UTC",
    planned_sessions: Mapping[date, int] | None = None,
    recurrence_dates: Iterable[date] = (),
) -> tuple[Alert, ...]:
    """Every alert that holds for the walker on their local ``today``, most important first.

    ``history`` is the engine's input (its ``safety_events`` the recorded log, including
    recorded escalations). ``planned_sessions`` maps a program week (Monday) to the number
    of sessions the plan engine planned for it; ``recurrence_dates`` are the dates of
    check-ins that reported a recurrence. Data dated after ``today`` is ignored.
    """
    out: list[Alert] = []
    out += _safety(history, tz, today)
    out += _pain_rising(history, today)
    out += _flare(history, today)
    out += _no_checkin(history, today, program_start)
    out += _adherence(history, today, program_start, planned_sessions or {})
    out += _recurrence(history, today, recurrence_dates)
    return tuple(sorted(out, key=_alert_order))


def _alert_order(a: Alert) -> tuple[int, int, date]:
    urgency = URGENCY_ORDER.index(a.urgency) if a.urgency is not None else len(URGENCY_ORDER)
    return (a.rank, urgency, a.since)


def _safety(history: History, tz: str, today: date) -> list[Alert]:
    events = [e for e in history.safety_events if local_date(e.at_utc, tz) <= today]
    state = safety_state(events)
    out: list[Alert] = []
    if state.status == "paused" and state.paused_since is not None:
        flags = ", ".join(state.open_red_flags)
        out.append(
            Alert(
                "red-flag",
                local_date(state.paused_since, tz),
                f"open: {flags}" if flags else "paused",
                state.urgency or "emergency",
            )
        )
    if state.escalated_since is not None:
        out.append(
            Alert(
                "escalation",
                local_date(state.escalated_since, tz),
                "symptoms persist after consistent walking: a review is due",
                "review",
            )
        )
    return out


def _pain_rising(history: History, today: date) -> list[Alert]:
    out: list[Alert] = []
    paired = sorted(
        (
            w
            for w in history.walks
            if w.date <= today and pain_rise(w.pain_before, w.pain_after) is not None
        ),
        # walks of one day have no known order: the larger rise counts as the later (the
        # safer reading), which also makes the result independent of the input order
        key=lambda w: (w.date, pain_rise(w.pain_before, w.pain_after) or 0),
    )[-3:]
    rising = [
        w for w in paired if (pain_rise(w.pain_before, w.pain_after) or 0) >= MEANINGFUL_CHANGE
    ]
    if len(rising) >= 2:
        out.append(
            Alert(
                "pain-rising",
                rising[-2].date,
                f"pain rose by {MEANINGFUL_CHANGE} or more points on {len(rising)} of the last "
                f"{len(paired)} walks",
            )
        )
        return out
    weekly: dict[date, list[int]] = {}
    for c in history.checkins:
        if c.date <= today and c.avg_pain is not None:
            weekly.setdefault(monday_of(c.date), []).append(c.avg_pain)
    weeks = sorted(weekly)
    if len(weeks) >= 2 and weeks[-1] - weeks[-2] == timedelta(days=7):
        now, before = mean(weekly[weeks[-1]]), mean(weekly[weeks[-2]])
        if now - before >= MEANINGFUL_CHANGE:
            out.append(
                Alert(
                    "pain-rising",
                    weeks[-1],
                    f"weekly pain {before:g} → {now:g} out of 10",
                )
            )
    return out


def _flare(history: History, today: date) -> list[Alert]:
    observations = pain_observations(history)
    if not in_flare(observations, today):
        return []
    days = {d: f for d, f in flare_by_day(observations).items() if d <= today}
    start = today
    for d in sorted(days, reverse=True):
        if not days[d]:
            break
        start = d
    return [Alert("flare", start, "pain of 7/10 or more, or a flare reported")]


def _no_checkin(history: History, today: date, program_start: date) -> list[Alert]:
    dates = [c.date for c in history.checkins if c.date <= today]
    last = max(dates) if dates else program_start
    gap = (today - last).days
    if gap <= CHECKIN_GAP_DAYS:
        return []
    what = f"last check-in {last.isoformat()}" if dates else "no check-in since the start"
    return [
        Alert("no-checkin", last + timedelta(days=CHECKIN_GAP_DAYS + 1), f"{what} ({gap} days)")
    ]


def _adherence(
    history: History, today: date, program_start: date, planned: Mapping[date, int]
) -> list[Alert]:
    this_week = monday_of(today)
    first = monday_of(program_start)
    done: dict[date, set[date]] = {}
    for w in history.walks:
        done.setdefault(monday_of(w.date), set()).add(w.date)
    weeks: list[tuple[date, int, int]] = []
    ws = this_week - timedelta(days=7)
    while ws >= first and len(weeks) < LOW_ADHERENCE_WEEKS:
        n = planned.get(ws, 0)
        if n > 0:
            weeks.append((ws, n, len(done.get(ws, ()))))
        ws -= timedelta(days=7)
    if len(weeks) < LOW_ADHERENCE_WEEKS or any(d >= LOW_ADHERENCE * n for _, n, d in weeks):
        return []
    parts = ", ".join(f"{d}/{n}" for _, n, d in reversed(weeks))
    return [Alert("low-adherence", weeks[-1][0], f"sessions done/planned: {parts}")]


def _recurrence(history: History, today: date, recurrence_dates: Iterable[date]) -> list[Alert]:
    reported = {d for d in recurrence_dates if d <= today}
    dates = sorted({c.date for c in history.checkins if c.date <= today} | reported)
    if not dates or dates[-1] not in reported:
        return []
    start = dates[-1]
    for d in reversed(dates):
        if d not in reported:
            break
        start = d
    return [Alert("recurrence", start, f"reported in check-ins since {start.isoformat()}")]


def attention_key(
    alerts: Sequence[Alert],
    acknowledged: Iterable[str] = (),
    next_session: date | None = None,
    name: str = "",
) -> tuple[int, int, int, int, str]:
    """Sort key for a caseload row: most important open alert first, then next session.

    An acknowledged alert (its :meth:`Alert.key` in ``acknowledged``) stays visible but
    no longer lifts the walker, unless it cannot be acknowledged (red flag, escalation).
    Walkers without an open alert follow, by next session date (none: last), then name.
    """
    acked = set(acknowledged)
    open_ = [a for a in alerts if not a.acknowledgeable or a.key() not in acked]
    if open_:
        top = min(open_, key=_alert_order)
        urgency = (
            URGENCY_ORDER.index(top.urgency) if top.urgency is not None else len(URGENCY_ORDER)
        )
        return (top.rank, urgency, top.since.toordinal(), 0, name)
    after = len(ALERT_RANK)
    nxt = next_session.toordinal() if next_session is not None else date.max.toordinal()
    return (after, 0, 0, nxt, name)
