"""Read a walkrx FHIR bundle back into plain data (the round trip of :mod:`walkrx.interop.fhir`).

Only what walkrx writes is read: walks (LOINC 55411-3 with their pain members), weekly average
pain, and device days (steps 41950-7 and walkrx walking minutes per day with a ``device``).
Anything else in the bundle is counted in ``skipped`` and left alone. A bundle that is not a
walkrx-shaped collection raises :class:`FhirReadError` naming the entry and the problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from walkrx.interop.fhir import (
    EXERCISE_DURATION,
    LOINC,
    PAIN_NRS,
    STEPS_INTERVAL,
    STEPS_PER_DAY,
    WALK_MIN_PER_DAY,
    WALKRX_CODES,
    DayData,
    PatientData,
    WalkData,
    WeeklyPainData,
)

__all__ = ["BundleData", "FhirReadError", "read_bundle"]


class FhirReadError(ValueError):
    """A bundle walkrx cannot read, with the entry that failed."""


@dataclass
class BundleData:
    """What a walkrx bundle holds, as the builder's dataclasses."""

    patient: PatientData | None = None
    walks: list[WalkData] = field(default_factory=list)
    days: list[DayData] = field(default_factory=list)
    weekly_pain: list[WeeklyPainData] = field(default_factory=list)
    skipped: int = 0


def _code(resource: dict[str, Any]) -> tuple[str, str]:
    coding = (resource.get("code") or {}).get("coding") or [{}]
    return str(coding[0].get("system", "")), str(coding[0].get("code", ""))


def _instant(value: str, where: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise FhirReadError(f"{where}: {value!r} is not a FHIR dateTime") from None
    if t.utcoffset() is None:
        raise FhirReadError(f"{where}: {value!r} has no time zone offset")
    return t.astimezone(dt.UTC)


def read_bundle(bundle: dict[str, Any]) -> BundleData:
    """The walks, pains and device days of a bundle made by :func:`build_bundle`."""
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "collection":
        raise FhirReadError("not a FHIR Bundle of type 'collection'")
    entries = bundle.get("entry", [])
    by_url = {e.get("fullUrl"): e.get("resource", {}) for e in entries}
    members = {
        m.get("reference")
        for e in entries
        if _code(e.get("resource") or {}) == (LOINC, EXERCISE_DURATION[0])
        for m in (e.get("resource") or {}).get("hasMember", [])
    }
    out = BundleData()
    walks: list[tuple[str, dict[str, Any]]] = []
    for i, entry in enumerate(entries):
        r = entry.get("resource") or {}
        where = f"entry {i} ({r.get('resourceType', '?')}/{r.get('id', '?')})"
        kind = r.get("resourceType")
        if kind == "Patient":
            ident: dict[str, Any] = next(iter(r.get("identifier") or []), {})
            name: dict[str, Any] = next(iter(r.get("name") or []), {})
            out.patient = PatientData(str(ident.get("value", "")), str(name.get("text", "")))
            continue
        if kind != "Observation":
            out.skipped += 1
            continue
        code = _code(r)
        if code == (LOINC, EXERCISE_DURATION[0]):
            walks.append((where, r))
        elif code in ((LOINC, STEPS_PER_DAY[0]), (WALKRX_CODES, WALK_MIN_PER_DAY[0])):
            if "device" in r:  # a device day; a total of logged walks is derived, not read
                _day(out, r, code, where)
        elif code == (LOINC, PAIN_NRS[0]) and entry.get("fullUrl") not in members:
            first = _local_date(r.get("effectivePeriod", {}).get("start", ""), where)
            out.weekly_pain.append(
                WeeklyPainData(
                    key=str(r.get("id", "")),
                    date=first + dt.timedelta(days=6),
                    avg_pain=int(r["valueInteger"]),
                )
            )
        elif code != (LOINC, PAIN_NRS[0]):
            out.skipped += 1
    for where, r in walks:
        out.walks.append(_walk(r, by_url, where))
    return out


def _local_date(value: str, where: str) -> dt.date:
    """The local date a FHIR dateTime was written in (its own offset)."""
    try:
        return dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        raise FhirReadError(f"{where}: {value!r} is not a FHIR dateTime") from None


def _walk(r: dict[str, Any], by_url: dict[Any, dict[str, Any]], where: str) -> WalkData:
    period = r.get("effectivePeriod") or {}
    start = _instant(period.get("start", ""), where)
    pains: dict[str, int] = {}
    for m in r.get("hasMember", []):
        pain = by_url.get(m["reference"])
        if pain is None:
            raise FhirReadError(f"{where}: member {m['reference']} is not in the bundle")
        text = str((pain.get("code") or {}).get("text", ""))
        part = "before" if "before" in text else "after" if "after" in text else "worst"
        pains[part] = int(pain["valueInteger"])
    steps = next(
        (
            int(c["valueQuantity"]["value"])
            for c in r.get("component", [])
            if _code(c) == (LOINC, STEPS_INTERVAL[0])
        ),
        None,
    )
    source = str((r.get("device") or {}).get("display", ""))
    if "entered by the walker (" in source:
        source = source.rsplit("(", 1)[1].rstrip(")")
    return WalkData(
        key=str(r.get("id", "")),
        start_utc=start,
        minutes=float(r["valueQuantity"]["value"]),
        steps=steps,
        pain_before=pains.get("before"),
        pain_max=pains.get("worst"),
        pain_after=pains.get("after"),
        source=source,
    )


def _day(out: BundleData, r: dict[str, Any], code: tuple[str, str], where: str) -> None:
    day = _local_date(r.get("effectivePeriod", {}).get("start", ""), where)
    value = r.get("valueQuantity", {}).get("value")
    existing = next((d for d in out.days if d.date == day), None)
    display = str(r["device"].get("display", ""))
    origin = display.rsplit("(", 1)[1].rstrip(")") if display.endswith(")") else "imported"
    names = display.rsplit(" (", 1)[0]
    sources = tuple(n.strip() for n in names.split(",") if n.strip() and n.strip() != "device")
    steps = int(value) if code[1] == STEPS_PER_DAY[0] else None
    minutes = float(value) if code[1] == WALK_MIN_PER_DAY[0] else None
    if existing is None:
        out.days.append(DayData(day, origin, steps, minutes, sources))
    else:
        out.days[out.days.index(existing)] = DayData(
            day,
            existing.origin,
            existing.steps if steps is None else steps,
            existing.walk_min if minutes is None else minutes,
            existing.sources or sources,
        )
