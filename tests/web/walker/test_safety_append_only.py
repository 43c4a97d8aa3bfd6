"""Issue 14: the safety log is append-only in the database, not only in the ORM.

Raw SQL, the base manager and an unknown kind are all refused by the database
(triggers and check constraints from ``0002_i14_safety_triggers``); the one
documented erasure path (``erase_walker``) still removes a walker's events.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from walkrx.web.walking.models import SafetyErasure, SafetyEvent
from walkrx.web.walking.services import erase_walker

from .conftest import make_walker

pytestmark = [pytest.mark.db]


def _event() -> SafetyEvent:
    _, w = make_walker("sal")
    return SafetyEvent.objects.create(
        walker=w,
        kind="red-flag",
        code="saddle-numbness",
        urgency="emergency",
        at_utc=timezone.now(),
    )


def _raw(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.django_db
def test_raw_sql_update_is_refused_by_the_database() -> None:
    ev = _event()
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE walking_safetyevent SET kind = 'flare-settled' WHERE id = %s", ev.pk)
    assert SafetyEvent.objects.get(pk=ev.pk).kind == "red-flag"


@pytest.mark.django_db
def test_raw_sql_delete_is_refused_by_the_database() -> None:
    ev = _event()
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM walking_safetyevent WHERE id = %s", ev.pk)
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM walking_safetyevent")
    assert SafetyEvent.objects.filter(pk=ev.pk).exists()


@pytest.mark.django_db
def test_base_manager_update_and_delete_are_refused() -> None:
    ev = _event()
    with pytest.raises(PermissionError):
        SafetyEvent._base_manager.filter(pk=ev.pk).update(kind="flare-settled")
    with pytest.raises(PermissionError):
        SafetyEvent._base_manager.filter(pk=ev.pk).delete()
    # below the ORM's guard, the SQL an update compiles to is refused by the database
    query = SafetyEvent._base_manager.filter(pk=ev.pk).query.chain(klass=UpdateQuery)
    query.add_update_values({"kind": "flare-settled"})
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        query.get_compiler("default").execute_sql(None)
    assert SafetyEvent.objects.get(pk=ev.pk).kind == "red-flag"


@pytest.mark.django_db
def test_an_unknown_kind_or_urgency_cannot_be_written() -> None:
    _, w = make_walker("kim")
    before = SafetyEvent.objects.filter(walker=w).count()  # onboarding may record a screening
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyEvent.objects.create(walker=w, kind="all-clear", at_utc=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyEvent.objects.create(
            walker=w, kind="red-flag", code="x", urgency="whenever", at_utc=timezone.now()
        )
    with pytest.raises(IntegrityError), connection.cursor() as cur, transaction.atomic():
        cur.execute(
            "INSERT INTO walking_safetyevent (walker_id, kind, code, urgency, at_utc, by, note,"
            " created_at) VALUES (%s, 'nothing', '', '', %s, '', '', %s)",
            [w.pk, timezone.now(), timezone.now()],
        )
    assert SafetyEvent.objects.filter(walker=w).count() == before


@pytest.mark.django_db
def test_erasure_is_the_one_path_that_removes_events() -> None:
    ev = _event()
    _, other = make_walker("oli")
    kept = SafetyEvent.objects.create(walker=other, kind="flare-start", at_utc=timezone.now())
    owned = SafetyEvent.objects.filter(walker=ev.walker).count()
    counts = erase_walker(ev.walker)
    assert counts["safety_events"] == owned >= 1
    assert not SafetyEvent.objects.filter(pk=ev.pk).exists()
    assert SafetyEvent.objects.filter(pk=kept.pk).exists()
    assert not SafetyErasure.objects.exists()  # the marker does not outlive the erasure
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("DELETE FROM walking_safetyevent WHERE id = %s", kept.pk)
