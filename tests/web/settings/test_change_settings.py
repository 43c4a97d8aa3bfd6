"""Per-walker settings: validated, applied, and every change logged with who and when."""

from __future__ import annotations

import datetime as dt

import pytest

from walkrx.web.walking import services
from walkrx.web.walking.models import SettingChange

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _walker(**kw: object) -> object:
    return services.create_walker(
        name=str(kw.pop("name", "sam")),
        age=60,
        goal="relieve-pain",
        tz="Europe/Oslo",
        start_date=dt.date(2026, 3, 2),
        **kw,  # type: ignore[arg-type]
    )


def test_each_changed_field_is_one_event_with_who_and_old_and_new() -> None:
    w = _walker()
    events = services.change_settings(
        w, by="physio-kim", pain_limit=5, walking_weekdays=[4, 0, 2], bout_cap_min=8
    )
    assert {e["field"] for e in events} == {"pain_limit", "walking_weekdays", "bout_cap_min"}
    by_field = {e["field"]: e for e in events}
    assert by_field["pain_limit"]["old"] is None and by_field["pain_limit"]["new"] == 5
    assert by_field["walking_weekdays"]["new"] == [0, 2, 4]
    assert all(e["by"] == "physio-kim" and e["at_utc"] for e in events)
    w.refresh_from_db()
    assert w.pain_limit == 5 and w.bout_cap_min == 8
    assert w.preferences["walking_weekdays"] == [0, 2, 4]
    profile = services.build_profile(w)
    assert profile.limits.pain_limit == 5 and profile.limits.bout_cap_min == 8
    assert profile.preferences.walking_weekdays == (0, 2, 4)
    # the same values again record nothing
    assert services.change_settings(w, by="physio-kim", pain_limit=5) == []
    assert SettingChange.objects.filter(walker=w).count() == 3


def test_preferences_time_and_reminder() -> None:
    w = _walker()
    events = services.change_settings(w, by="walker", preferred_time="07:30", reminder_minutes=15)
    assert len(events) == 2
    w.refresh_from_db()
    assert w.preferences["preferred_time"] == "07:30"
    assert w.preferences["reminder_minutes"] == 15
    services.change_settings(w, by="walker", reminder_minutes=None)
    w.refresh_from_db()
    assert w.preferences["reminder_minutes"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pain_limit": 11}, "pain_limit"),
        ({"pain_limit": 2.5}, "pain_limit"),
        ({"walking_weekdays": [7]}, "walking_weekdays"),
        ({"conditions": ["sciatica"]}, "unknown condition"),
        ({"conditions": ["microdiscectomy"]}, "surgery_date"),
        ({"tz": "CET"}, "IANA"),
        ({"preferred_time": "7pm"}, "HH:MM"),
        ({"goal": "run-a-marathon"}, "goal"),
        ({"surgery_date": "2026-13-01"}, "YYYY-MM-DD"),
        ({"colour": "blue"}, "unknown setting"),
        ({"target_days": 0}, "target_days"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(
    fields: dict[str, object], message: str
) -> None:
    w = _walker()
    with pytest.raises(services.ServiceError, match=message):
        services.change_settings(w, by="physio-kim", **fields)
    w.refresh_from_db()
    assert w.pain_limit is None and w.conditions == [] and w.tz == "Europe/Oslo"
    assert not SettingChange.objects.filter(walker=w).exists()


def test_who_is_required_and_history_is_append_only() -> None:
    w = _walker()
    with pytest.raises(services.ServiceError, match="who"):
        services.change_settings(w, by=" ", pain_limit=4)
    services.change_settings(w, by="physio-kim", pain_limit=4)
    with pytest.raises(PermissionError):
        SettingChange.objects.filter(walker=w).update(by="someone else")
    with pytest.raises(PermissionError):
        SettingChange.objects.filter(walker=w).delete()
    change = SettingChange.objects.get(walker=w)
    change.by = "someone else"
    with pytest.raises(PermissionError):
        change.save()


def test_surgery_dates_and_erasure() -> None:
    w = _walker()
    services.change_settings(
        w,
        by="physio-kim",
        conditions=["microdiscectomy"],
        surgery_date="2026-02-20",
        surgery_cleared_on=dt.date(2026, 3, 13),
    )
    w.refresh_from_db()
    assert w.surgery_cleared_on == dt.date(2026, 3, 13)
    assert services.build_profile(w).limits.microdiscectomy_cleared_on == dt.date(2026, 3, 13)
    assert len(services.export_tables(w)["setting_changes"]) == 3
    with pytest.raises(services.ServiceError, match="before"):
        services.change_settings(w, by="physio-kim", surgery_cleared_on="2026-02-01")
    services.erase_walker(w)
    assert not SettingChange.objects.exists()
