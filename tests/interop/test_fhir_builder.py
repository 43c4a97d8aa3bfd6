"""The FHIR R4 bundle builder: every resource valid against R4, codes and units, DST days."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from walkrx.interop import fhir
from walkrx.interop.fhir_check import FhirInvalid, validate_bundle, validate_resource
from walkrx.program.models import Reason, Session, WeekPlan

UTC = dt.UTC


def _plan() -> WeekPlan:
    monday = dt.date(2026, 3, 23)
    return WeekPlan(
        week_start=monday,
        week_index=3,
        status="active",
        sessions=tuple(
            Session(
                date=monday + dt.timedelta(days=d),
                minutes=20,
                bouts=2,
                bout_minutes=(10, 10),
                mode="outdoor",
                aids=(),
                terrain="flat",
            )
            for d in (0, 2, 6)
        ),
        daily_volume_target_min=None,
        daily_steps_target=None,
        reasons=(Reason("because", "advice: x"),),
        notices=(),
    )


def _export(**kw: Any) -> fhir.FhirExport:
    base: dict[str, Any] = dict(
        patient=fhir.PatientData("ann", "Ann Example"),
        tz="Europe/Oslo",
        generated_at=dt.datetime(2026, 3, 29, 12, 0, 5, 123456, tzinfo=UTC),
        walks=(
            fhir.WalkData("1", dt.datetime(2026, 3, 29, 7, 30, tzinfo=UTC), 25.5, 2600, 3, 4, 2),
            fhir.WalkData(
                "2", dt.datetime(2026, 3, 28, 16, 0, tzinfo=UTC), 10.0, None, None, 2, None
            ),
        ),
        days=(
            fhir.DayData(dt.date(2026, 3, 29), "imported", 6100, 41.0, ("Apple Watch", "iPhone")),
            fhir.DayData(dt.date(2026, 3, 27), "measured", 4000, None, ()),
        ),
        weekly_pain=(fhir.WeeklyPainData("7", dt.date(2026, 3, 29), 4),),
        plan=_plan(),
        pauses=(
            fhir.PauseData(
                "cauda-equina",
                "Numbness in the saddle area?",
                dt.datetime(2026, 3, 29, 9, tzinfo=UTC),
            ),
        ),
    )
    base.update(kw)
    return fhir.FhirExport(**base)


def _by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _coded(resources: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [r for r in resources if r["code"]["coding"][0]["code"] == code]


def test_every_resource_validates_against_r4_and_r4b() -> None:
    from fhir.resources.R4B.bundle import Bundle as R4BBundle

    bundle = fhir.build_bundle(_export())
    assert validate_bundle(bundle) == len(bundle["entry"]) > 10
    # A second, pydantic-based validator (fhir.resources, R4B models) checks primitive formats.
    R4BBundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    assert {e["fullUrl"] for e in bundle["entry"]} == {
        f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"]
    }


@pytest.mark.parametrize(
    "breakage",
    [
        lambda r: r.pop("status"),
        lambda r: r.update(valueInteger="four"),
        lambda r: r.update(effectiveDateTime="2026-02-30T10:00:00+01:00"),
        lambda r: r.update(colour="blue"),
    ],
)
def test_the_validator_rejects_broken_resources(breakage: Any) -> None:
    bundle = fhir.build_bundle(_export())
    pain = next(r for r in _by_type(bundle, "Observation") if "effectiveDateTime" in r)
    validate_resource(pain)
    broken = copy.deepcopy(pain)
    breakage(broken)
    with pytest.raises(FhirInvalid):
        validate_resource(broken)


def test_patient_has_no_more_identifiers_than_given() -> None:
    bundle = fhir.build_bundle(_export(patient=fhir.PatientData("ann")))
    (patient,) = _by_type(bundle, "Patient")
    assert patient["identifier"] == [{"system": "urn:walkrx:walker", "value": "ann"}]
    assert not {"name", "birthDate", "gender", "telecom", "address"} & set(patient)
    (named,) = _by_type(fhir.build_bundle(_export()), "Patient")
    assert named["name"] == [{"text": "Ann Example"}]


def test_codes_units_counts_and_links() -> None:
    bundle = fhir.build_bundle(_export())
    obs = _by_type(bundle, "Observation")
    steps = _coded(obs, "41950-7")
    assert [s["valueQuantity"]["value"] for s in steps] == [4000, 6100]
    assert all(
        s["valueQuantity"]["system"] == fhir.UCUM and s["valueQuantity"]["code"] == "/d"
        for s in steps
    )
    pain = _coded(obs, "72514-3")
    assert len(pain) == 3 + 1 + 1  # walk 1: before/worst/after; walk 2: worst; one weekly average
    assert sorted(p["valueInteger"] for p in pain) == [2, 2, 3, 4, 4]
    walks = _coded(obs, "55411-3")
    assert len(walks) == 2
    first = next(w for w in walks if w["valueQuantity"]["value"] == 25.5)
    assert len(first["hasMember"]) == 3 and first["component"][0]["valueQuantity"]["value"] == 2600
    minutes = _coded(obs, "walking-minutes-per-day")
    assert minutes[0]["code"]["coding"][0]["system"] == fhir.WALKRX_CODES
    by_day = {m["effectivePeriod"]["start"][:10]: m for m in minutes}
    # 29 March: the device's 41 min wins; 28 March: no device minutes, the logged walk's 10 min.
    assert (
        by_day["2026-03-29"]["valueQuantity"]["value"] == 41.0 and "device" in by_day["2026-03-29"]
    )
    assert by_day["2026-03-28"]["valueQuantity"]["value"] == 10.0
    assert by_day["2026-03-28"]["derivedFrom"][0]["reference"].startswith("urn:uuid:")
    for o in obs:
        assert o["performer"] and ("device" in o or "derivedFrom" in o)
        assert any(k.startswith("effective") for k in o)
    (plan,) = _by_type(bundle, "CarePlan")
    assert len(plan["activity"]) == 3 and plan["intent"] == "plan"
    (flag,) = _by_type(bundle, "Flag")
    assert flag["status"] == "active" and flag["period"]["start"] == "2026-03-29T11:00:00+02:00"


def test_a_local_day_lasts_23_or_25_hours_on_dst_days() -> None:
    days = (
        fhir.DayData(dt.date(2026, 3, 29), "imported", 100),
        fhir.DayData(dt.date(2026, 10, 25), "imported", 100),
        fhir.DayData(dt.date(2026, 6, 1), "imported", 100),
    )
    bundle = fhir.build_bundle(_export(days=days, walks=()))
    hours = {}
    for o in _coded(_by_type(bundle, "Observation"), "41950-7"):
        p = o["effectivePeriod"]
        start, end = dt.datetime.fromisoformat(p["start"]), dt.datetime.fromisoformat(p["end"])
        hours[p["start"][:10]] = (end - start).total_seconds() / 3600
    assert hours == {"2026-03-29": 23, "2026-10-25": 25, "2026-06-01": 24}


def test_ids_are_stable_and_naive_times_refused() -> None:
    a, b = fhir.build_bundle(_export()), fhir.build_bundle(_export())
    assert [e["fullUrl"] for e in a["entry"]] == [e["fullUrl"] for e in b["entry"]]
    naive = fhir.WalkData("9", dt.datetime(2026, 3, 29, 7, 30), 5.0)
    with pytest.raises(ValueError, match="naive"):
        fhir.build_bundle(_export(walks=(naive,)))


def test_round_trip_reads_back_what_was_written() -> None:
    from walkrx.interop.fhir_read import FhirReadError, read_bundle

    export = _export()
    data = read_bundle(fhir.build_bundle(export))
    assert data.patient == export.patient
    strip = lambda w: (w.start_utc, w.minutes, w.steps, w.pain_before, w.pain_max, w.pain_after)  # noqa: E731
    assert sorted(map(strip, data.walks)) == sorted(map(strip, export.walks))
    assert [w.source for w in data.walks] == ["manual", "manual"]
    assert [(p.date, p.avg_pain) for p in data.weekly_pain] == [(dt.date(2026, 3, 29), 4)]
    got = {d.date: (d.origin, d.steps, d.walk_min, d.sources) for d in data.days}
    assert got == {d.date: (d.origin, d.steps, d.walk_min, d.sources) for d in export.days}
    assert data.skipped == 2  # the CarePlan and the Flag are not walking data
    with pytest.raises(FhirReadError, match="collection"):
        read_bundle({"resourceType": "Bundle", "type": "transaction"})
    broken = fhir.build_bundle(export)
    walk = next(e for e in broken["entry"] if e["resource"].get("hasMember"))
    walk["resource"]["effectivePeriod"]["start"] = "yesterday"
    with pytest.raises(FhirReadError, match="entry .* 'yesterday'"):
        read_bundle(broken)
