"""Browser tests: Debian's chromium driven by Playwright (sync API) against a live server.

Every page visited through :class:`Browser` is screenshotted to
``test-artifacts/screenshots/`` and checked with axe-core; a serious or critical
accessibility violation fails the test and is printed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The sync Playwright API runs an event loop in this thread; Django's ORM (used by the
# live server's fixtures in the same process) must be allowed to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("WALKRX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
INTERNAL = re.compile(r"seeds/\d{3}_|Traceback \(most recent call last\)|File \"/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium not found at {CHROMIUM} (scripts/install.sh --test)")
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE} (scripts/install.sh --test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Browser:
    """A phone-sized page with helpers: go, check (screenshot + axe), fill forms."""

    def __init__(self, page: Any, base_url: str, test_name: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.prefix = re.sub(r"[^A-Za-z0-9_-]+", "_", test_name)[:60]
        self.count = 0
        self.axe_results: dict[str, list[dict[str, Any]]] = {}

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on the live server."""
        return self.base_url + path

    def go(self, path: str, name: str | None = None) -> Any:
        """Open ``path``, then screenshot and axe-check the page."""
        response = self.page.goto(self.url(path))
        self.check(name or path.strip("/").replace("/", "-") or "home")
        return response

    def check(self, name: str) -> None:
        """Screenshot the current page and fail on serious or critical axe violations."""
        self.page.wait_for_load_state("load")
        self.count += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{self.prefix}-{self.count:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', name)}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        # no page state ever shows an internal file name or a raw traceback
        text = self.page.locator("body").inner_text()
        leak = INTERNAL.search(text)
        assert not leak, f"{name}: internal text on the page: {leak.group(0)!r}"
        violations = axe(self.page)
        self.axe_results[f"{self.count:02d}-{name}"] = violations
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        if bad:
            print(f"\naxe violations on {self.page.url} ({name}):")
            for v in bad:
                targets = [n.get("target") for n in v.get("nodes", [])][:5]
                print(f"  [{v['impact']}] {v['id']}: {v['help']} -> {json.dumps(targets)}")
            pytest.fail(
                f"{len(bad)} serious/critical accessibility violation(s) on {name}: "
                + ", ".join(v["id"] for v in bad)
            )

    def click(self, selector: str, name: str) -> None:
        """Click (e.g. a submit button), wait for the next page, then check it."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check(name)


def axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated by the test harness (DevTools), not as a <script> tag: walkrx's CSP
        # forbids inline scripts, and the test must not weaken it
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200)}))}));
        }"""
    )
    return list(result)


@pytest.fixture
def browser(
    chromium: Any, live_server: Any, transactional_db: None, request: pytest.FixtureRequest
) -> Iterator[Browser]:
    """A fresh phone-sized browser context on the live server (database is transactional)."""
    context = chromium.new_context(
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        timezone_id="Europe/Oslo",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # the Content-Security-Policy (no inline script or style) must not block anything
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    b = Browser(page, live_server.url, request.node.name)
    yield b
    context.close()
    # every page's axe result (all impacts) is kept beside the screenshots
    report = REPO / "test-artifacts" / "axe"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{b.prefix}.json").write_text(
        json.dumps(
            {
                page_name: [{"id": v["id"], "impact": v["impact"]} for v in found]
                for page_name, found in b.axe_results.items()
            },
            indent=1,
        )
    )
    assert not errors, f"JavaScript errors or CSP violations in the page: {errors}"
