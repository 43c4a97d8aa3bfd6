"""Clinician accounts and walker links: one responsible clinician at a time, history kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.models import AuditEntry, CareLink

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_add_clinician_makes_a_user_with_the_role(kari: Any) -> None:
    assert kari.user.username == "kari"
    assert kari.full_name == "Kari Nordmann"
    assert clinic.get_clinician("kari") == kari
    with pytest.raises(clinic.ServiceError, match="already a clinician"):
        clinic.add_clinician("kari", full_name="Kari Again")
    with pytest.raises(clinic.ServiceError, match="full name"):
        clinic.add_clinician("nobody", full_name="  ")


def test_a_walkers_account_cannot_become_a_clinician(db: None) -> None:
    make_walker("ann")
    with pytest.raises(clinic.ServiceError, match="walker's account"):
        clinic.add_clinician("ann", full_name="Ann")


def test_link_unlink_and_history(kari: Any, ola: Any) -> None:
    _, ann = make_walker("ann")
    assert clinic.linked_clinician(ann) is None
    clinic.link_walker(ann, "kari", by="cli")
    assert clinic.linked_clinician(ann) == kari
    ann.refresh_from_db()
    assert ann.clinician_id == kari.user.pk  # the denormalised pointer follows
    # linking again to the same clinician changes nothing
    clinic.link_walker(ann, "kari", by="cli")
    assert CareLink.objects.filter(walker=ann).count() == 1
    # a new clinician replaces the old one: still one active link
    clinic.link_walker(ann, "ola", by="cli")
    assert clinic.linked_clinician(ann) == ola
    assert CareLink.objects.filter(walker=ann, ended_at__isnull=True).count() == 1
    clinic.unlink_walker(ann, by="walker", reason="moved town")
    assert clinic.linked_clinician(ann) is None
    ann.refresh_from_db()
    assert ann.clinician_id is None
    history = clinic.link_history(ann)
    assert [link.clinician.username for link in history] == ["kari", "ola"]
    assert all(link.ended_at is not None for link in history)
    assert history[1].end_reason == "moved town"
    actions = list(AuditEntry.objects.filter(walker=ann).values_list("action", flat=True))
    assert actions == ["link", "link", "unlink"]
    with pytest.raises(clinic.ServiceError, match="no clinician"):
        clinic.unlink_walker(ann, by="walker")


def test_the_database_refuses_two_active_links(kari: Any, ola: Any) -> None:
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareLink.objects.create(
            walker=ann, clinician=ola, started_at=timezone.now(), started_by="x"
        )


def test_unknown_clinician_is_a_clear_error(db: None) -> None:
    _, ann = make_walker("ann")
    with pytest.raises(clinic.ServiceError, match="no clinician called 'zed'"):
        clinic.link_walker(ann, "zed", by="cli")


def test_invite_is_one_time_and_case_insensitive(kari: Any) -> None:
    _, ann = make_walker("ann")
    _, bob = make_walker("bob")
    invite = clinic.create_invite(kari, note="Ann")
    link = clinic.accept_invite(ann, invite.code.lower().replace("-", ""))
    assert link.clinician == kari and "Every time they look" in link.consent_text
    with pytest.raises(clinic.ServiceError, match="already been used"):
        clinic.accept_invite(bob, invite.code)
    with pytest.raises(clinic.ServiceError, match="not known"):
        clinic.accept_invite(bob, "ZZZZ-ZZZZ")


def test_expired_invite_is_refused(kari: Any) -> None:
    _, ann = make_walker("ann")
    invite = clinic.create_invite(kari)
    type(invite).objects.filter(pk=invite.pk).update(expires_at=timezone.now())
    with pytest.raises(clinic.ServiceError, match="expired"):
        clinic.accept_invite(ann, invite.code)


def test_audit_log_is_append_only(kari: Any) -> None:
    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    entry = AuditEntry.objects.get(walker=ann)
    entry.detail = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(walker=ann).update(detail="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(walker=ann).delete()


def test_erasure_removes_links_and_audit_with_the_walker(kari: Any) -> None:
    from walkrx.web.walking import services

    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    services.erase_walker(ann)
    assert not CareLink.objects.exists() and not AuditEntry.objects.exists()


def test_the_walkers_download_holds_their_clinic_data(kari: Any) -> None:
    import datetime as dt

    from walkrx.web.walking import services

    _, ann = make_walker("ann")
    clinic.link_walker(ann, "kari", by="cli")
    clinic.record_session(ann, kari, date=dt.date(2026, 1, 5), kind="phone", agreed="walk daily")
    tables = services.export_tables(ann)
    assert tables["clinician_links"][0]["clinician"] == "Kari Nordmann"
    assert tables["clinic_sessions"][0]["agreed"] == "walk daily"
    assert [e["action"] for e in tables["audit_log"]] == ["link", "session"]
