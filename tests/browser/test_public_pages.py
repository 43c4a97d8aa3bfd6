"""Public pages in a real browser: education, sign-in, sign-up, password reset."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.core import mail

from walkrx.web.learn.content import PAGES


def test_learn_and_account_pages_are_accessible(browser: Any) -> None:
    browser.go("/learn/", "learn-index")
    assert browser.page.locator("h1").inner_text().startswith("Learn")
    for p in PAGES:
        browser.go(f"/learn/{p.slug}/", f"learn-{p.slug}")
        assert "Source:" in browser.page.locator("main").inner_text()
    browser.go("/accounts/login/", "login")
    browser.go("/accounts/signup/", "signup")
    browser.click("button[type=submit]", "signup-errors")
    assert browser.page.locator("#form-errors").is_visible()
    User.objects.create_user("rita", "rita@example.org", "old-password-1")
    browser.go("/accounts/password_reset/", "password-reset")
    browser.page.fill("#id_email", "rita@example.org")
    browser.click("main button[type=submit]", "password-reset-done")
    assert "Check your email" in browser.page.locator("h1").inner_text()
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[-1].body)
    assert link
    browser.go(link.group(1), "password-reset-confirm")
    browser.page.fill("#id_new_password1", "a-new-walk-2026")
    browser.page.fill("#id_new_password2", "a-new-walk-2026")
    browser.click("main button[type=submit]", "password-reset-complete")
    assert "changed" in browser.page.locator("h1").inner_text()
    assert User.objects.get(username="rita").check_password("a-new-walk-2026")


def test_the_404_page_is_a_walkrx_page_that_fits_a_phone(browser: Any) -> None:
    response = browser.page.goto(browser.url("/no/such/page/"))
    assert response.status == 404
    browser.check("not-found")
    assert "We could not find that page" in browser.page.locator("h1").inner_text()
    assert browser.page.locator("footer.notice").is_visible()  # the safety notice is kept
    overflow = browser.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
