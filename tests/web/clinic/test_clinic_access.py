"""Every clinic URL by URL and by form: linked walkers only, never a walker, sign-in first."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.urls import urlpatterns as clinic_urls
from walkrx.web.walking import services

from .conftest import make_clinician, make_walker, signed_in

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PER_WALKER = ["", "clear/", "acknowledge/", "settings/", "session/", "report/"]
CLINIC_PAGES = ["/clinic/", "/clinic/invite/"]
ADMIN_PAGES = ["/clinic/admin/clinicians/", "/clinic/admin/audit/"]
POSTS = {
    "clear/": {"note": "cleared by someone else"},
    "acknowledge/": {"key": "no-checkin@2026-01-01", "note": "x"},
    "settings/": {"pain_limit": "9"},
    "session/": {"date": "2026-01-01", "kind": "phone", "agreed": "sneaky"},
}


def test_the_lists_cover_every_clinic_url() -> None:
    clinic_side = {str(p.pattern) for p in clinic_urls if str(p.pattern).startswith("clinic/")}
    covered = {"clinic/", "clinic/invite/", "clinic/admin/clinicians/", "clinic/admin/audit/"}
    covered |= {f"clinic/walkers/<slug:name>/{s}" for s in PER_WALKER}
    assert clinic_side == covered
    assert get_resolver()  # the project's URLconf loads


@pytest.fixture
def world(kari: Any, ola: Any) -> dict[str, Any]:
    user_ann, ann = make_walker("ann")
    user_bob, bob = make_walker("bob")
    clinic.link_walker(ann, "kari", by="cli")
    clinic.link_walker(bob, "ola", by="cli")
    services.record_checkin(bob, date=services.local_today(bob.tz), red_flags=["trauma"])
    return {"ann": ann, "bob": bob, "user_ann": user_ann, "user_bob": user_bob}


def test_anonymous_users_are_sent_to_sign_in(world: dict[str, Any]) -> None:
    c = Client()
    urls = CLINIC_PAGES + ADMIN_PAGES + [f"/clinic/walkers/ann/{s}" for s in PER_WALKER]
    urls += ["/my-clinician/", "/my-clinician/join/", "/my-clinician/report/"]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url
    for s, data in POSTS.items():
        r = c.post(f"/clinic/walkers/ann/{s}", data)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), s
    r = c.post("/my-clinician/end/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert clinic.linked_clinician(world["ann"]) is not None


def test_a_walker_never_sees_clinic_pages(world: dict[str, Any]) -> None:
    c = signed_in(world["user_ann"])
    for url in CLINIC_PAGES + ADMIN_PAGES + [f"/clinic/walkers/ann/{s}" for s in PER_WALKER]:
        assert c.get(url).status_code == 403, url
    for s, data in POSTS.items():
        assert c.post(f"/clinic/walkers/bob/{s}", data).status_code == 403, s
    assert services.current_state(world["bob"]).status == "paused"


def test_a_clinician_sees_only_linked_walkers(world: dict[str, Any], kari: Any) -> None:
    c = signed_in(kari.user)
    for s in PER_WALKER:
        assert c.get(f"/clinic/walkers/bob/{s}").status_code in (404, 405), s
        assert c.get(f"/clinic/walkers/nobody/{s}").status_code in (404, 405), s
    for s, data in POSTS.items():
        assert c.post(f"/clinic/walkers/bob/{s}", data).status_code == 404, s
    bob = world["bob"]
    bob.refresh_from_db()
    assert services.current_state(bob).status == "paused"  # not cleared by kari
    assert bob.pain_limit is None and not bob.clinic_sessions.exists()
    page = c.get("/clinic/").content.decode()
    assert 'data-walker="ann"' in page and 'data-walker="bob"' not in page
    assert c.get("/clinic/walkers/ann/").status_code == 200
    # nor the report for an unlinked walker, whatever the query says
    r = c.get("/clinic/walkers/bob/report/?start=2026-01-01&end=2026-02-01")
    assert r.status_code == 404


def test_the_service_refuses_unlinked_clinicians_too(world: dict[str, Any], kari: Any) -> None:
    with pytest.raises(clinic.ServiceError, match="not bob's responsible clinician"):
        clinic.clear_pause(world["bob"], kari, "no")
    with pytest.raises(clinic.ServiceError, match="responsible clinician"):
        clinic.change_walker_settings(world["bob"], kari, pain_limit=9)


def test_an_ended_link_removes_access_at_once(world: dict[str, Any], kari: Any) -> None:
    c = signed_in(kari.user)
    assert c.get("/clinic/walkers/ann/").status_code == 200
    clinic.unlink_walker(world["ann"], by="walker")
    for s in PER_WALKER:
        assert c.get(f"/clinic/walkers/ann/{s}").status_code in (404, 405), s
    for s, data in POSTS.items():
        assert c.post(f"/clinic/walkers/ann/{s}", data).status_code == 404, s
    assert 'data-walker="ann"' not in c.get("/clinic/").content.decode()


def test_only_a_clinic_admin_reaches_the_admin_pages(world: dict[str, Any], kari: Any) -> None:
    c = signed_in(kari.user)
    for url in ADMIN_PAGES:
        assert c.get(url).status_code == 403, url
    r = c.post("/clinic/admin/clinicians/", {"username": "eve", "full_name": "Eve"})
    assert r.status_code == 403
    assert not clinic.list_clinicians() or "eve" not in [
        x.username for x in clinic.list_clinicians()
    ]
    boss = make_clinician("boss", is_clinic_admin=True)
    assert signed_in(boss.user).get(ADMIN_PAGES[0]).status_code == 200


def test_an_inactive_clinician_loses_access(world: dict[str, Any], kari: Any) -> None:
    kari.active = False
    kari.save()
    assert signed_in(kari.user).get("/clinic/walkers/ann/").status_code == 403


def test_a_clinician_is_not_sent_to_walker_onboarding(kari: Any) -> None:
    r = signed_in(kari.user).get("/today/")
    assert r.status_code == 302 and r["Location"] == "/clinic/"
