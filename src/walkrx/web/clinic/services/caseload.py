"""The caseload: one row per linked walker, ordered by what needs attention first.

Alerts come from :func:`walkrx.safety.alerts.caseload_alerts` and the order from
:func:`walkrx.safety.alerts.attention_key`; this module only gathers the inputs, caches
each walker's computed row (``CaseloadRow``) and joins the acknowledgements. The page
and ``walkrx caseload --json`` both call :func:`caseload`, so they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from walkrx import program
from walkrx.program.coaching import next_session
from walkrx.safety.alerts import Alert, attention_key, caseload_alerts
from walkrx.timeutil import local_date, monday_of
from walkrx.web.walking import services as walking
from walkrx.web.walking.models import Walker

from ..models import AlertAck, CareLink, CaseloadRow, Clinician, ClinicSession
from . import audit
from .links import is_linked

#: A cached row older than this is recomputed (bulk imports bypass the change signals).
MAX_AGE = dt.timedelta(minutes=15)

CONDITION_NAMES = {
    "spinal-stenosis": "spinal stenosis",
    "disc-herniation": "disc herniation",
    "spondylolisthesis": "spondylolisthesis",
    "microdiscectomy": "after microdiscectomy",
}
GOAL_NAMES = {
    "prevent-recurrence": "prevent a recurrence",
    "relieve-pain": "relieve pain",
    "lower-risk": "lower the risk",
}


@dataclass
class Row:
    """One caseload row: the cached data plus acknowledgements and the sort key."""

    name: str
    data: dict[str, Any]
    alerts: list[Alert]
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: tuple[int, int, int, int, str] = (0, 0, 0, 0, "")

    @property
    def items(self) -> list[dict[str, Any]]:
        """The alerts for display: label, age in words, acknowledgement."""
        today = dt.date.fromisoformat(self.data["today"])
        out = []
        for a in self.alerts:
            days = a.age_days(today)
            out.append(
                {
                    "code": a.code,
                    "label": a.label,
                    "urgency": a.urgency,
                    "detail": a.detail,
                    "age": "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}",
                    "ack": self.acks.get(a.key()) if a.acknowledgeable else None,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (the CLI's ``--json``)."""
        return self.data | {
            "alerts": [
                _alert_dict(a, self.data["today"]) | {"acknowledged": self.acks.get(a.key())}
                for a in self.alerts
            ]
        }


def _alert_dict(a: Alert, today: str) -> dict[str, Any]:
    return {
        "code": a.code,
        "label": a.label,
        "since": a.since.isoformat(),
        "age_days": a.age_days(dt.date.fromisoformat(today)),
        "detail": a.detail,
        "urgency": a.urgency,
        "acknowledgeable": a.acknowledgeable,
        "key": a.key(),
    }


def _alert_from(d: dict[str, Any]) -> Alert:
    return Alert(d["code"], dt.date.fromisoformat(d["since"]), d["detail"], d["urgency"])


def compute_row(walker: Walker, today: dt.date, link: CareLink | None = None) -> dict[str, Any]:
    """The walker's row from the engines (no cache): alerts, week, done/planned, sessions."""
    profile = walking.build_profile(walker)
    history = walking.build_history(walker)
    day = max(today, walker.start_date)
    records = program.replay_weeks(profile, history, monday_of(day))
    planned = {r.week_start: len(r.sessions) for r in records}
    recurrence = list(
        walker.checkins.filter(recurrence=True, date__lte=today).values_list("date", flat=True)
    )
    alerts = caseload_alerts(
        history,
        today=today,
        program_start=walker.start_date,
        tz=walker.tz,
        planned_sessions=planned,
        recurrence_dates=recurrence,
    )
    state = walking.current_state(walker, today)
    week = records[-1]
    done = len({w.date for w in history.walks if week.week_start <= w.date <= today})
    last_pain = _last_pain(history)
    link = link or CareLink.objects.filter(walker=walker, ended_at__isnull=True).first()
    sessions = list(walker.clinic_sessions.order_by("date", "id").values("date", "next_date"))
    start = local_date(link.started_at, walker.tz) if link is not None else walker.start_date
    nxt = next_session(
        start,
        len({s["date"] for s in sessions}),
        today,
        sessions[-1]["next_date"] if sessions else None,
    )
    return {
        "name": walker.name,
        "display_name": str(walker),
        "today": today.isoformat(),
        "conditions": [CONDITION_NAMES.get(c, c) for c in walker.conditions or ()],
        "goal": GOAL_NAMES.get(walker.goal, walker.goal),
        "week_index": week.index if today >= walker.start_date else 0,
        "done": done,
        "planned": len(week.sessions),
        "last_pain": last_pain[0],
        "last_pain_date": last_pain[1],
        "status": state.status,
        "urgency": state.urgency,
        "alerts": [_alert_dict(a, today.isoformat()) for a in alerts],
        "sessions_held": len({s["date"] for s in sessions}),
        "next_session": {
            "number": nxt.number,
            "date": nxt.due.isoformat() if nxt.due else None,
            "kind": nxt.kind,
            "status": nxt.status,
            "agreed": nxt.agreed,
        },
    }


def _last_pain(history: program.History) -> tuple[int | None, str | None]:
    best: tuple[dt.date, int] | None = None
    for w in history.walks:
        score = w.pain_after if w.pain_after is not None else w.pain_max
        if score is not None and (best is None or w.date >= best[0]):
            best = (w.date, score)
    for c in history.checkins:
        if c.avg_pain is not None and (best is None or c.date > best[0]):
            best = (c.date, c.avg_pain)
    return (None, None) if best is None else (best[1], best[0].isoformat())


def row_for(walker: Walker, link: CareLink | None = None) -> dict[str, Any]:
    """The walker's row, from the cache when it is fresh, else computed and stored."""
    today = walking.local_today(walker.tz)
    now = timezone.now()
    cached = CaseloadRow.objects.filter(walker=walker).first()
    if cached is not None and cached.computed_on == today and now - cached.computed_at < MAX_AGE:
        return dict(cached.data)
    data = compute_row(walker, today, link)
    _store(walker, today, now, data)
    return data


def _store(walker: Walker, today: dt.date, now: dt.datetime, data: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            CaseloadRow.objects.update_or_create(
                walker=walker, defaults={"computed_on": today, "computed_at": now, "data": data}
            )
    except IntegrityError:  # another request stored it first: theirs is as good
        pass


def caseload(clinician: Clinician, *, q: str = "", alert: str = "", status: str = "") -> list[Row]:
    """The clinician's linked walkers, most in need of attention first (filters optional)."""
    links = list(
        CareLink.objects.filter(clinician=clinician, ended_at__isnull=True).select_related("walker")
    )
    walkers = {link.walker_id: link.walker for link in links}
    cached = {r.walker_id: r for r in CaseloadRow.objects.filter(walker_id__in=list(walkers))}
    now = timezone.now()
    rows: list[Row] = []
    for link in links:
        walker = walkers[link.walker_id]
        today = walking.local_today(walker.tz)
        c = cached.get(walker.pk)
        if c is not None and c.computed_on == today and now - c.computed_at < MAX_AGE:
            data = c.data
        else:
            data = compute_row(walker, today, link)
            _store(walker, today, now, data)
        rows.append(Row(walker.name, data, [_alert_from(a) for a in data["alerts"]]))
    acks = AlertAck.objects.filter(walker_id__in=list(walkers)).select_related("clinician")
    by_walker: dict[str, dict[str, dict[str, Any]]] = {}
    names = {w.pk: w.name for w in walkers.values()}
    for ack in acks:
        by_walker.setdefault(names[ack.walker_id], {})[f"{ack.code}@{ack.since.isoformat()}"] = {
            "by": ack.clinician.full_name,
            "note": ack.note,
            "at": ack.at.isoformat(),
        }
    for row in rows:
        row.acks = by_walker.get(row.name, {})
        nxt = row.data["next_session"]["date"]
        row.key = attention_key(
            row.alerts,
            acknowledged=row.acks,
            next_session=dt.date.fromisoformat(nxt) if nxt else None,
            name=row.name,
        )
    rows.sort(key=lambda r: r.key)
    return [r for r in rows if _matches(r, q, alert, status)]


def _matches(row: Row, q: str, alert: str, status: str) -> bool:
    if q:
        hay = f"{row.name} {row.data['display_name']} {' '.join(row.data['conditions'])}".lower()
        if q.lower().strip() not in hay:
            return False
    if alert and alert not in {a.code for a in row.alerts}:
        return False
    return not (status and row.data["status"] != status)


@transaction.atomic
def acknowledge(walker: Walker, clinician: Clinician, key: str, note: str) -> AlertAck:
    """Record that the clinician has seen an alert (``code@since``), with a note."""
    if not is_linked(walker, clinician):
        raise walking.ServiceError(f"{walker.name} is not linked to {clinician.username}")
    if not note.strip():
        raise walking.ServiceError("an acknowledgement needs a note (what you did or will do)")
    current = {a["key"]: a for a in row_for(walker)["alerts"]}
    if key not in current:
        raise walking.ServiceError("that alert no longer holds; reload the page")
    if not current[key]["acknowledgeable"]:
        raise walking.ServiceError(
            "a red-flag pause or an escalation ends only with a clearance, not an acknowledgement"
        )
    code, since = key.split("@", 1)
    ack = AlertAck.objects.create(
        walker=walker,
        clinician=clinician,
        code=code,
        since=dt.date.fromisoformat(since),
        note=note.strip(),
    )
    audit.record_by(walker, clinician, "acknowledge", f"{current[key]['label']}: {note.strip()}")
    return ack


def session_list(walker: Walker) -> list[ClinicSession]:
    """The walker's sessions, newest first."""
    return list(walker.clinic_sessions.select_related("clinician").order_by("-date", "-id"))
