"""A walker's data as a FHIR R4 (4.0.1) ``Bundle`` of type ``collection``: pure, no I/O.

What the bundle holds (codes are argued in ``docs/interop.md``):

* one ``Patient``: the walkrx handle as the only identifier, the display name if the
  walker gave one; nothing is invented (walkrx stores an age, not a birth date);
* per logged walk, an ``Observation`` of exercise duration (LOINC 55411-3, ``min``)
  over the walk's period, with its steps as a component (LOINC 55423-8), and its pain
  before / worst / after as member ``Observation``s (LOINC 72514-3, 0–10);
* per weekly check-in with an average pain, an ``Observation`` (LOINC 72514-3) over the
  seven local days it covers;
* per local day with device data, daily steps (LOINC 41950-7, UCUM ``/d``);
* per local day with any walking, walking minutes per day in the walkrx code system
  (no LOINC code exists for device-measured walking minutes per day): from the device
  when there is device data that day (``device``), else the sum of the logged walks
  (``derivedFrom`` the walk observations);
* one ``CarePlan`` with the current week's planned walks as activities;
* one ``Flag`` per open safety pause reason (red flag or escalation).

Every observation has ``effective[x]`` (a local day is a ``Period`` from midnight to
midnight in the walker's zone, so a DST day lasts 23 or 25 hours), ``performer`` (the
walker) and ``device`` or ``derivedFrom``. Resource ids are UUIDs derived from the
walker's handle and the row, so exporting twice gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from walkrx.program.models import WeekPlan
from walkrx.timeutil import to_zone

__all__ = [
    "LOINC",
    "UCUM",
    "WALKRX_CODES",
    "DayData",
    "FhirExport",
    "PatientData",
    "PauseData",
    "WalkData",
    "WeeklyPainData",
    "build_bundle",
]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: walkrx's own code system, for what LOINC has no code for (a URN: no domain is claimed).
WALKRX_CODES = "urn:walkrx:fhir:codes"
_OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
_NAMESPACE = uuid.UUID("8a4f1c52-3e7b-5d2a-9a51-7f0c2b6e9d11")

STEPS_PER_DAY = ("41950-7", "Number of steps in 24 hour Measured")
STEPS_INTERVAL = ("55423-8", "Number of steps in unspecified time Pedometer")
EXERCISE_DURATION = ("55411-3", "Exercise duration")
PAIN_NRS = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
WALK_MIN_PER_DAY = ("walking-minutes-per-day", "Walking minutes per day")
PLANNED_WALK = ("planned-walk", "Planned walk")
SAFETY_PAUSE = ("safety-pause", "Walking program paused for safety")


@dataclass(frozen=True)
class PatientData:
    """Who the bundle is about: the walkrx handle and the name the walker gave (if any)."""

    handle: str
    display_name: str = ""


@dataclass(frozen=True)
class WalkData:
    """One logged walk (``key`` is a stable row id; ``source`` e.g. ``manual`` or a device)."""

    key: str
    start_utc: dt.datetime
    minutes: float
    steps: int | None = None
    pain_before: int | None = None
    pain_max: int | None = None
    pain_after: int | None = None
    source: str = "manual"


@dataclass(frozen=True)
class DayData:
    """Device walking for one local day (``origin`` is ``measured`` or ``imported``)."""

    date: dt.date
    origin: str
    steps: int | None = None
    walk_min: float | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeeklyPainData:
    """A check-in's average pain over the seven days ending on ``date``."""

    key: str
    date: dt.date
    avg_pain: int


@dataclass(frozen=True)
class PauseData:
    """An open reason for a safety pause: a red-flag question, or an escalation."""

    code: str
    text: str
    since_utc: dt.datetime | None


@dataclass(frozen=True)
class FhirExport:
    """Everything the bundle is built from."""

    patient: PatientData
    tz: str
    generated_at: dt.datetime
    walks: tuple[WalkData, ...] = ()
    days: tuple[DayData, ...] = ()
    weekly_pain: tuple[WeeklyPainData, ...] = ()
    plan: WeekPlan | None = None
    pauses: tuple[PauseData, ...] = field(default_factory=tuple)
    software: str = "walkrx"


def _id(export: FhirExport, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join((export.patient.handle, *parts))))


def _ts(instant: dt.datetime, tz: str) -> str:
    """An aware instant as a FHIR dateTime in the walker's local offset (seconds precision)."""
    if instant.utcoffset() is None:
        raise ValueError("FHIR times need aware datetimes (UTC instants), got a naive one")
    return instant.astimezone(to_zone(tz)).replace(microsecond=0).isoformat()


def _day_period(day: dt.date, tz: str, days: int = 1) -> dict[str, str]:
    """Local midnight to local midnight: 23 or 25 hours on DST days."""
    zone = to_zone(tz)
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(0, 0), tzinfo=zone)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _concept(system: str, code_display: tuple[str, str], text: str | None = None) -> dict[str, Any]:
    code, display = code_display
    out: dict[str, Any] = {"coding": [{"system": system, "code": code, "display": display}]}
    if text:
        out["text"] = text
    return out


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": _OBS_CATEGORY, "code": code, "display": display}]}]


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": round(value, 2), "unit": unit, "system": UCUM, "code": code}


class _Builder:
    def __init__(self, export: FhirExport) -> None:
        self.x = export
        self.entries: list[dict[str, Any]] = []
        self.patient_ref = {"reference": f"urn:uuid:{_id(export, 'patient')}"}

    def add(self, resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{resource['id']}"
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def observation(self, key: str, **body: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": _id(self.x, "observation", key),
            "status": "final",
            **body,
            "subject": self.patient_ref,
            "performer": [self.patient_ref],
        }

    def patient(self) -> None:
        p = self.x.patient
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "id": _id(self.x, "patient"),
            "identifier": [{"system": "urn:walkrx:walker", "value": p.handle}],
            "active": True,
        }
        if p.display_name.strip():
            resource["name"] = [{"text": p.display_name.strip()}]
        self.add(resource)

    def walks(self) -> dict[dt.date, list[tuple[str, float]]]:
        by_day: dict[dt.date, list[tuple[str, float]]] = defaultdict(list)
        tz = self.x.tz
        for w in self.x.walks:
            end = w.start_utc + dt.timedelta(minutes=w.minutes)
            period = {"start": _ts(w.start_utc, tz), "end": _ts(end, tz)}
            walk_device = {"display": _walk_source(w.source, self.x.software)}
            members = []
            for part, value, effective in (
                ("before", w.pain_before, {"effectiveDateTime": period["start"]}),
                ("worst", w.pain_max, {"effectivePeriod": period}),
                ("after", w.pain_after, {"effectiveDateTime": period["end"]}),
            ):
                if value is None:
                    continue
                text = f"Pain {'at its worst during' if part == 'worst' else part} the walk (0-10)"
                pain = self.observation(
                    f"walk/{w.key}/pain-{part}",
                    category=_category("survey", "Survey"),
                    code=_concept(LOINC, PAIN_NRS, text),
                    **effective,
                    valueInteger=value,
                    device=walk_device,
                )
                members.append({"reference": self.add(pain)})
            obs = self.observation(
                f"walk/{w.key}",
                category=_category("activity", "Activity"),
                code=_concept(LOINC, EXERCISE_DURATION, "Walk"),
                effectivePeriod=period,
                valueQuantity=_quantity(w.minutes, "min", "min"),
                device=walk_device,
            )
            if w.steps is not None:
                obs["component"] = [
                    {
                        "code": _concept(LOINC, STEPS_INTERVAL),
                        "valueQuantity": _quantity(w.steps, "steps", "{steps}"),
                    }
                ]
            if members:
                obs["hasMember"] = members
            url = self.add(obs)
            by_day[w.start_utc.astimezone(to_zone(tz)).date()].append((url, w.minutes))
        return by_day

    def days(self, walked: dict[dt.date, list[tuple[str, float]]]) -> None:
        tz = self.x.tz
        device_days = {d.date: d for d in self.x.days}
        for d in sorted(device_days.values(), key=lambda d: d.date):
            if d.steps is None:
                continue
            self.add(
                self.observation(
                    f"day/{d.date.isoformat()}/steps",
                    category=_category("activity", "Activity"),
                    code=_concept(LOINC, STEPS_PER_DAY),
                    effectivePeriod=_day_period(d.date, tz),
                    valueQuantity=_quantity(d.steps, "steps/day", "/d"),
                    device={"display": _sources(d)},
                )
            )
        for day in sorted(
            set(walked) | {d for d, v in device_days.items() if v.walk_min is not None}
        ):
            dev = device_days.get(day)
            origin: dict[str, Any]
            if dev is not None and dev.walk_min is not None:
                minutes, origin = dev.walk_min, {"device": {"display": _sources(dev)}}
            else:
                minutes = sum(m for _, m in walked[day])
                origin = {"derivedFrom": [{"reference": url} for url, _ in walked[day]]}
            self.add(
                self.observation(
                    f"day/{day.isoformat()}/walk-min",
                    category=_category("activity", "Activity"),
                    code=_concept(WALKRX_CODES, WALK_MIN_PER_DAY),
                    effectivePeriod=_day_period(day, tz),
                    valueQuantity=_quantity(minutes, "min/d", "min/d"),
                    **origin,
                )
            )

    def weekly_pain(self) -> None:
        for c in self.x.weekly_pain:
            self.add(
                self.observation(
                    f"checkin/{c.key}/avg-pain",
                    category=_category("survey", "Survey"),
                    code=_concept(LOINC, PAIN_NRS, "Average pain over the past week (0-10)"),
                    effectivePeriod=_day_period(c.date - dt.timedelta(days=6), self.x.tz, 7),
                    valueInteger=c.avg_pain,
                    device={"display": f"{self.x.software}: weekly check-in by the walker"},
                )
            )

    def care_plan(self) -> None:
        plan = self.x.plan
        if plan is None:
            return
        activities = []
        for s in plan.sessions:
            bouts = " + ".join(str(b) for b in s.bout_minutes)
            how = f" in {s.bouts} bouts ({bouts} min)" if s.bouts > 1 else ""
            activities.append(
                {
                    "detail": {
                        "code": _concept(WALKRX_CODES, PLANNED_WALK),
                        "status": "scheduled",
                        "scheduledPeriod": _day_period(s.date, self.x.tz),
                        "performer": [self.patient_ref],
                        "description": f"Walk {s.minutes} minutes{how}, {s.terrain}, {s.mode}.",
                    }
                }
            )
        week_end = plan.week_start + dt.timedelta(days=6)
        resource: dict[str, Any] = {
            "resourceType": "CarePlan",
            "id": _id(self.x, "careplan", plan.week_start.isoformat()),
            "status": "active" if plan.status in ("active", "flare") else "on-hold",
            "intent": "plan",
            "title": f"Walking plan, week {plan.week_index} "
            f"({plan.week_start.isoformat()} to {week_end.isoformat()})",
            "description": f"{len(plan.sessions)} walks, {plan.total_minutes} minutes in all. "
            f"Stop a walk if pain goes above {plan.pain_limit}/10.",
            "subject": self.patient_ref,
            "period": _day_period(plan.week_start, self.x.tz, 7),
        }
        if activities:
            resource["activity"] = activities
        self.add(resource)

    def flags(self) -> None:
        for p in self.x.pauses:
            resource: dict[str, Any] = {
                "resourceType": "Flag",
                "id": _id(self.x, "flag", p.code),
                "status": "active",
                "category": [
                    {"coding": [{"system": _FLAG_CATEGORY, "code": "safety", "display": "Safety"}]}
                ],
                "code": _concept(WALKRX_CODES, SAFETY_PAUSE, p.text),
                "subject": self.patient_ref,
            }
            if p.since_utc is not None:
                resource["period"] = {"start": _ts(p.since_utc, self.x.tz)}
            self.add(resource)


#: Walk sources that mean "typed in by the walker" (web form, CLI, API, demo data).
SELF_REPORTED = frozenset({"manual", "web", "cli", "api", "demo"})


def _walk_source(source: str, software: str) -> str:
    if source in SELF_REPORTED:
        return f"{software}: entered by the walker ({source})"
    return source


def _sources(day: DayData) -> str:
    names = ", ".join(day.sources) if day.sources else "device"
    return f"{names} ({day.origin})"


def build_bundle(export: FhirExport) -> dict[str, Any]:
    """The walker's FHIR R4 ``Bundle`` (type ``collection``) as a JSON-able dict."""
    b = _Builder(export)
    b.patient()
    walked = b.walks()
    b.days(walked)
    b.weekly_pain()
    b.care_plan()
    b.flags()
    return {
        "resourceType": "Bundle",
        "id": _id(export, "bundle"),
        "meta": {"lastUpdated": _ts(export.generated_at, "UTC").replace("+00:00", "Z")},
        "type": "collection",
        "timestamp": _ts(export.generated_at, export.tz),
        "entry": b.entries,
    }
