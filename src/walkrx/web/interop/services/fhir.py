"""The walker's FHIR R4 bundle: rows in, :func:`walkrx.interop.fhir.build_bundle` out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from walkrx import __version__
from walkrx.evidence.red_flags import RED_FLAGS
from walkrx.interop import fhir
from walkrx.web.walking import services
from walkrx.web.walking.models import Walker

from ._safety import recorded_fold

ESCALATION_TEXT = (
    "No improvement after weeks of consistent walking: a review with a clinician is due"
)


def _device_days(walker: Walker) -> tuple[fhir.DayData, ...]:
    """One device day per date: a measured day is preferred over an imported one (as in the plan)."""
    chosen: dict[dt.date, fhir.DayData] = {}
    rows = walker.days.exclude(origin="manual").exclude(valid_day=False).order_by("date", "origin")
    for d in sorted(rows, key=lambda d: (d.date, d.origin != "measured")):
        if d.date in chosen:
            continue
        sources = tuple(sorted((d.steps_by_source or {}).keys())) or (
            (d.source_file,) if d.source_file else ()
        )
        chosen[d.date] = fhir.DayData(
            date=d.date, origin=d.origin, steps=d.steps, walk_min=d.walk_min, sources=sources
        )
    return tuple(chosen.values())


def _pauses(walker: Walker, status: str) -> tuple[fhir.PauseData, ...]:
    """An open reason per red flag (or the escalation), as the safety engine folds the log."""
    if status not in ("paused", "escalated"):
        return ()
    recorded = recorded_fold(walker)
    out = []
    for code in recorded.open_red_flags:
        flag = RED_FLAGS.get(code)
        text = (
            f'Walking paused for safety: the walker answered yes to "{flag.question}"'
            if flag is not None
            else "Walking paused for safety by the clinician"
        )
        out.append(fhir.PauseData(code=code, text=text, since_utc=recorded.paused_since))
    if status == "escalated" or recorded.escalated_since is not None:
        out.append(
            fhir.PauseData("escalation", ESCALATION_TEXT, since_utc=recorded.escalated_since)
        )
    if not out:
        out.append(fhir.PauseData(status, f"Walking program {status} for safety", None))
    return tuple(out)


def fhir_export(walker: Walker, now: dt.datetime | None = None) -> fhir.FhirExport:
    """Everything the bundle is built from (the plan and safety state come from the engines)."""
    now = now or timezone.now()
    today = services.local_today(walker.tz)
    state = services.state_with_plan(walker, max(today, walker.start_date))
    return fhir.FhirExport(
        patient=fhir.PatientData(handle=walker.name, display_name=walker.display_name),
        tz=walker.tz,
        generated_at=now,
        walks=tuple(
            fhir.WalkData(
                key=str(w.pk),
                start_utc=w.start_utc,
                minutes=w.minutes,
                steps=w.steps,
                pain_before=w.pain_before,
                pain_max=w.pain_max,
                pain_after=w.pain_after,
                source=w.source,
            )
            for w in walker.walks.all()
        ),
        days=_device_days(walker),
        weekly_pain=tuple(
            fhir.WeeklyPainData(key=str(c.pk), date=c.date, avg_pain=c.avg_pain)
            for c in walker.checkins.all()
            if c.avg_pain is not None
        ),
        plan=state.plan,
        pauses=_pauses(walker, state.status),
        software=f"walkrx {__version__}",
    )


def fhir_bundle(walker: Walker, now: dt.datetime | None = None) -> dict[str, Any]:
    """The walker's FHIR R4 ``Bundle`` (type ``collection``)."""
    return fhir.build_bundle(fhir_export(walker, now))
