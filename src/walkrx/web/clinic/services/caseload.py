"""The caseload: one row per linked walker, ordered by what needs attention first.

Alerts come from :func:`walkrx.safety.alerts.caseload_alerts` and the order from
:func:`walkrx.safety.alerts.attention_key`; this module only gathers the inputs, caches
each walker's computed row (``CaseloadRow``) and joins the acknowledgements. The page
and ``walkrx caseload --json`` both call :func:`caseload`, so they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from walkrx import program, safety
from walkrx.program.coaching import next_session
from walkrx.safety.alerts import Alert, attention_key, caseload_alerts
from walkrx.timeutil import local_date, monday_of
from walkrx.web.walking import services as walking
from walkrx.web.walking.models import Walker

from ..models import AlertAck, CareLink, CaseloadRow, Clinician, ClinicSession
from . import audit
from .links import is_linked

#: A cached row older than this is recomputed even without a change signal (belt and
#: braces: a bulk write elsewhere could bypass the signals).
MAX_AGE = dt.timedelta(hours=6)

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
    # escalations the engine found in the replay count even before a check-in recorded one
    found = tuple(r.escalation for r in records if r.escalation is not None)
    engine_log = replace(history, safety_events=tuple(history.safety_events) + found)
    alerts = caseload_alerts(
        engine_log,
        today=today,
        program_start=walker.start_date,
        tz=walker.tz,
        planned_sessions=planned,
        recurrence_dates=recurrence,
    )
    week = records[-1]
    status, urgency = _status(history, week)
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
        "status": status,
        "urgency": urgency,
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


def _status(history: program.History, week: Any) -> tuple[str, str | None]:
    """The walker's status as ``walking.current_state`` decides it, from the same replay.

    (Calling ``current_state`` would rebuild the history and replay it a second time.)
    The recorded safety log outranks the plan's week: a recorded pause holds, and a
    recorded escalation holds unless the week is paused.
    """
    recorded = safety.safety_state(history.safety_events)
    if recorded.status == "paused":
        return "paused", recorded.urgency
    if recorded.status == "escalated" and week.status != "paused":
        return "escalated", None
    return str(week.status), week.urgency


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
    now = timezone.now()
    cached = CaseloadRow.objects.filter(walker=walker, valid_until__gt=now).first()
    if cached is not None:
        return dict(cached.data)
    return _compute_and_store(walker, now, link)


def _compute_and_store(
    walker: Walker, now: dt.datetime, link: CareLink | None = None
) -> dict[str, Any]:
    zone = walker.zone
    today = now.astimezone(zone).date()
    data = compute_row(walker, today, link)
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    valid_until = min(midnight.astimezone(dt.UTC), now + MAX_AGE)
    try:
        with transaction.atomic():
            CaseloadRow.objects.update_or_create(
                walker=walker,
                defaults={
                    "computed_on": today,
                    "computed_at": now,
                    "valid_until": valid_until,
                    "data": data,
                },
            )
    except IntegrityError:  # another request stored it first: theirs is as good
        pass
    return data


def caseload_version(clinician: Clinician) -> tuple[Any, ...] | None:
    """A fingerprint of everything the caseload shows, or ``None`` when a row must be computed.

    One aggregate query: active links, their cached rows (count, newest, earliest expiry)
    and acknowledgements. Any change drops a row or adds an acknowledgement, so a page
    cached under this fingerprint is never stale.
    """
    from django.db import connection

    links, rows, acks = (m._meta.db_table for m in (CareLink, CaseloadRow, AlertAck))
    sql = (
        f"SELECT COUNT(*), COUNT(r.id), MAX(r.computed_at), MIN(r.valid_until),"
        f" (SELECT COUNT(*) FROM {acks} a JOIN {links} l2 ON l2.walker_id = a.walker_id"
        f"  WHERE l2.clinician_id = %s AND l2.ended_at IS NULL),"
        f" (SELECT MAX(a.id) FROM {acks} a JOIN {links} l3 ON l3.walker_id = a.walker_id"
        f"  WHERE l3.clinician_id = %s AND l3.ended_at IS NULL),"
        f" MAX(l.id), SUM(l.walker_id)"
        f" FROM {links} l LEFT JOIN {rows} r ON r.walker_id = l.walker_id"
        f" WHERE l.clinician_id = %s AND l.ended_at IS NULL"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [clinician.pk] * 3)
        found = cur.fetchone()
    if found is None:
        return None
    n_links, n_rows, newest, expiry, *rest = found
    if n_links != n_rows:
        return None
    if n_rows and (expiry is None or _aware(expiry) <= timezone.now()):
        return None
    return (n_links, str(newest), str(expiry), *rest)


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back text from a raw aggregate
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def caseload(clinician: Clinician, *, q: str = "", alert: str = "", status: str = "") -> list[Row]:
    """The clinician's linked walkers, most in need of attention first (filters optional)."""
    links = list(
        CareLink.objects.filter(clinician=clinician, ended_at__isnull=True).select_related("walker")
    )
    walkers = {link.walker_id: link.walker for link in links}
    now = timezone.now()
    cached = {
        r.walker_id: r.data
        for r in CaseloadRow.objects.filter(walker_id__in=list(walkers), valid_until__gt=now)
    }
    rows: list[Row] = []
    for link in links:
        walker = walkers[link.walker_id]
        data = cached.get(walker.pk) or _compute_and_store(walker, now, link)
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
