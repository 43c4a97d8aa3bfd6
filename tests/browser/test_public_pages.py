"""Public pages in a real browser: education, sign-in, sign-up, password reset."""

from __future__ import annotations

from typing import Any

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
    browser.go("/accounts/password_reset/", "password-reset")
    browser.page.fill("#id_email", "nobody@example.org")
    browser.click("button[type=submit]", "password-reset-done")
    assert "Check your email" in browser.page.locator("h1").inner_text()
