"""The clinic story in Debian's chromium: admin → clinician → invite → walker → red flag → clearance.

Every clinic page state is screenshotted and axe-checked (zero violations of any impact on
clinic pages); caseload, walker page and report page also at desktop width.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from walkrx import safety
from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.models import AuditEntry
from walkrx.web.walking import services
from walkrx.web.walking.models import Walker

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def sign_in(b: Any, username: str, password: str, name: str) -> None:
    b.go("/accounts/login/", f"{name}-sign-in")
    b.page.fill("#id_username", username)
    b.page.fill("#id_password", password)
    b.click("main button[type=submit]", f"{name}-signed-in")


def sign_out(b: Any) -> None:
    with b.page.expect_navigation():
        b.page.get_by_role("button", name="Sign out").click()


def clean(b: Any) -> None:
    """Clinic pages: no axe violation of any impact on the page just checked."""
    name, found = list(b.axe_results.items())[-1]
    assert found == [], f"axe on {name}: {found}"
    width = b.page.evaluate("document.documentElement.scrollWidth")
    assert width <= b.page.viewport_size["width"], f"{name} overflows sideways: {width} px"


def both_widths(b: Any, name: str) -> None:
    """Screenshot and axe the current page at desktop width, then back to phone width."""
    b.page.set_viewport_size(DESKTOP)
    b.check(f"{name}-desktop")
    clean(b)
    b.page.set_viewport_size(PHONE)


def test_the_clinic_story(browser: Any) -> None:
    b = browser
    clinic.add_clinician(
        "boss", full_name="Clinic Boss", is_clinic_admin=True, password="boss-pw-2026-long"
    )
    from django.contrib.auth.models import User

    user = User.objects.create_user("ann", "ann@example.org", "ann-walks-2026-long")
    today = services.local_today("Europe/Oslo")
    ann = services.create_walker(
        name="ann",
        display_name="Ann Walker",
        age=52,
        goal="prevent-recurrence",
        tz="Europe/Oslo",
        start_date=today - dt.timedelta(days=21),
        baseline_minutes=10,
        user=user,
    )
    services.record_screening(ann, dict.fromkeys(safety.SCREEN_CODES, False))
    services.mark_onboarded(ann)
    for d in (18, 15, 11, 8, 4):
        services.log_walk(
            ann, local_date=today - dt.timedelta(days=d), minutes=15, pain_before=3, pain_after=2
        )
    services.record_checkin(ann, date=today - dt.timedelta(days=7), avg_pain=3)

    # 1. the clinic admin creates a clinician
    sign_in(b, "boss", "boss-pw-2026-long", "admin")
    assert b.page.url.endswith("/clinic/")
    b.go("/clinic/admin/clinicians/", "admin-clinicians")
    clean(b)
    b.page.fill("#id_username", "kari")
    b.page.fill("#id_full_name", "Kari Nordmann")
    b.page.fill("#id_registration", "HPR 1234567")
    b.page.fill("#id_password", "kari-pw-2026-long")
    b.click("main form button[type=submit]", "admin-clinician-added")
    clean(b)
    assert "Added Kari Nordmann" in b.page.locator("main").inner_text()
    sign_out(b)

    # 2. the clinician invites
    sign_in(b, "kari", "kari-pw-2026-long", "kari")
    assert b.page.url.endswith("/clinic/")
    clean(b)
    b.go("/clinic/invite/", "invite")
    b.page.fill("#id_note", "Ann")
    b.click("main form button[type=submit]", "invite-made")
    clean(b)
    code = b.page.locator(".code").first.inner_text().strip()
    assert len(code) == 9
    sign_out(b)

    # 3. the walker accepts, with consent in plain words
    sign_in(b, "ann", "ann-walks-2026-long", "ann")
    b.go("/my-clinician/", "my-clinician-none")
    clean(b)
    b.page.fill("#code", code.lower())
    b.click("main form button[type=submit]", "join-consent")
    clean(b)
    text = b.page.locator("main").inner_text()
    assert "Invitation from Kari Nordmann" in text and "lose access at once" in text
    b.page.check("#id_consent")
    b.click("main form button[type=submit]", "my-clinician-linked")
    clean(b)
    assert "Kari Nordmann is now your clinician" in b.page.locator("main").inner_text()

    # 4. the walker reports a cauda-equina flag and is paused
    b.go("/safety/new-symptom/", "new-symptom")
    for radio in b.page.locator("input[type=radio][value=no]").all():
        radio.check()
    b.page.check("input[name='rf_cauda-equina-bladder'][value=yes]")
    b.click("main button[type=submit]", "paused")
    assert services.current_state(ann).status == "paused"
    b.go("/today/", "today-paused")
    alert = b.page.get_by_role("alert").first.inner_text()
    assert "Kari Nordmann, has been alerted" in alert

    # 5. the walker's own self-review is refused
    b.go("/safety/", "safety-paused")
    assert b.page.locator("#id_reviewed").count() == 0
    assert "Your clinician will record" in b.page.locator("main").inner_text()
    final_url = b.page.evaluate(
        """async () => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams({csrfmiddlewaretoken: token, reviewed: 'yes', note: 'my GP'});
            const r = await fetch('/safety/review/', {method: 'POST', body, credentials: 'same-origin'});
            return r.url;
        }"""
    )
    assert final_url.endswith("/safety/")
    assert services.current_state(ann).status == "paused"
    sign_out(b)

    # 6. the walker is first on the caseload with an emergency alert
    sign_in(b, "kari", "kari-pw-2026-long", "kari-again")
    _, bob = _other_walker()
    b.go("/clinic/", "caseload-alert")
    clean(b)
    rows = b.page.locator("table.caseload tbody tr")
    assert rows.first.get_attribute("data-walker") == "ann"
    assert "Paused by a red flag (emergency)" in rows.first.inner_text()
    both_widths(b, "caseload-alert")

    # 7. the clinician clears with a reason
    b.go("/clinic/walkers/ann/", "walker-paused")
    clean(b)
    both_widths(b, "walker-paused")
    b.page.fill("#id_note", "Seen today: bladder normal, no saddle numbness; fine to walk")
    b.click("main form button.danger", "walker-cleared")
    clean(b)
    assert services.current_state(ann).status == "active"

    # 8. a session and a new pain limit
    b.go("/clinic/walkers/ann/session/", "session-form")
    clean(b)
    b.page.select_option("#id_kind", "first-assessment")
    b.page.fill("#id_goals", "Walk to the shop and back")
    b.page.fill("#id_agreed", "Four short walks a week; stop if pain passes 4")
    b.page.fill("#id_next_date", (today + dt.timedelta(days=28)).isoformat())
    b.click("main form button[type=submit]", "session-saved")
    clean(b)
    b.go("/clinic/walkers/ann/settings/", "settings-form")
    clean(b)
    b.page.fill("#id_pain_limit", "4")
    b.click("main form button[type=submit]", "settings-saved")
    clean(b)
    ann.refresh_from_db()
    assert ann.pain_limit == 4
    b.go("/clinic/walkers/ann/report/", "report-page")
    clean(b)
    both_widths(b, "report-page")
    b.go("/clinic/walkers/ann/", "walker-after")
    clean(b)
    both_widths(b, "walker-after")
    b.go("/clinic/", "caseload-after")
    clean(b)
    both_widths(b, "caseload-after")
    sign_out(b)

    # 9. the walker's plan resumes and they see what was agreed and who looked
    sign_in(b, "ann", "ann-walks-2026-long", "ann-again")
    b.go("/today/", "today-resumed")
    assert b.page.get_by_role("alert").count() == 0
    assert services.current_state(ann).plan.sessions
    b.go("/my-clinician/", "my-clinician-after")
    clean(b)
    main = b.page.locator("main").inner_text()
    assert "Four short walks a week; stop if pain passes 4" in main
    assert "pain_limit: default → 4" in main
    for what in (
        "You: started the link to a clinician",
        "Kari Nordmann: looked at your walking data",
        "Kari Nordmann: cleared your safety pause",
        "Kari Nordmann: recorded a session with you",
        "Kari Nordmann: changed your settings",
    ):
        assert what in main, what
    sign_out(b)

    # 10. the clinic admin's audit log shows each step
    sign_in(b, "boss", "boss-pw-2026-long", "admin-again")
    b.go("/clinic/admin/audit/", "admin-audit")
    clean(b)
    actions = list(
        AuditEntry.objects.filter(walker=ann).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions[0] == "link" and "clear" in actions and "session" in actions
    assert actions.index("clear") < actions.index("session") < actions.index("settings")
    assert Walker.objects.get(name="bob") == bob


def _other_walker() -> tuple[Any, Any]:
    """A second, calm walker on Kari's caseload (so 'first' means something)."""
    today = services.local_today("Europe/Oslo")
    bob = services.create_walker(
        name="bob",
        age=61,
        goal="relieve-pain",
        tz="Europe/Oslo",
        start_date=today - dt.timedelta(days=10),
        baseline_minutes=10,
    )
    services.record_checkin(bob, date=today, avg_pain=2)
    clinic.link_walker(bob, "kari", by="cli")
    return None, bob
