"""Issue 14 (web half): one test per web-security finding.

Throttling, password rules, sign-up that reveals nothing, CSP without inline script,
HSTS and secure cookies in production, Permissions-Policy, ``no-store`` on signed-in
pages, production refusing DEBUG and weak secrets, private files, the 413 page, and
walkrx's own 404/500 pages. Production settings are checked in a fresh interpreter
(settings are read once per process).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path

from walkrx.web.security import secret_bits, weak_secret_reason
from walkrx.web.walking.demo import DEMO_PASSWORD

from .walker.conftest import make_walker

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "src" / "walkrx" / "web"
STRONG = "k3J9-vQ2xLm8_pR4tZ7wY1nB6cH0sD5fG2aE9uI3oK8"


def _settings_in(
    env: dict[str, str], tmp_path: Path, *names: str
) -> subprocess.CompletedProcess[str]:
    """Load walkrx's settings in a fresh interpreter with ``env``; print ``names`` as JSON."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith(("WALKRX_", "DATABASE_URL"))}
    full.update(
        {"WALKRX_HOME": str(tmp_path / "home"), "DJANGO_SETTINGS_MODULE": "walkrx.web.settings"}
    )
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120
    )


PROD = {
    "WALKRX_ENV": "production",
    "WALKRX_SECRET_KEY": STRONG,
    "WALKRX_ALLOWED_HOSTS": "walk.example.org",
}


# -- login throttling -------------------------------------------------------------------


@pytest.mark.django_db
def test_login_is_throttled_after_five_wrong_passwords(settings: Any) -> None:
    User.objects.create_user("tia", "tia@example.org", "right-walks-2026")
    c = Client()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        r = c.post("/accounts/login/", {"username": "tia", "password": "wrong-guess"})
        assert r.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    r = c.post("/accounts/login/", {"username": "tia", "password": "right-walks-2026"})
    assert r.status_code == 429
    assert "Too many sign-in attempts" in r.content.decode()
    assert "_auth_user_id" not in c.session
    # another person (another address) is not locked out by it
    other = Client(REMOTE_ADDR="10.9.8.7")
    r = other.post("/accounts/login/", {"username": "tia", "password": "right-walks-2026"})
    assert r.status_code == 302


# -- password rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["83749261", "walkwalk", "password123", "short-1", "ann@example.org"],
)
def test_weak_passwords_are_refused(password: str) -> None:
    user = User(username="ann@example.org", email="ann@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, "slow-walks-2026", "gentle-walks-2026", "a-new-walk-2026", "pw-cat-12345"],
)
def test_demo_and_fixture_passwords_still_pass(password: str) -> None:
    validate_password(password, User(username="someone", email="someone@example.org"))


@pytest.mark.django_db
def test_signup_refuses_a_common_password() -> None:
    c = Client()
    c.post("/accounts/signup/", {"email": "pat@example.org"})
    url = re.search(r"(/accounts/signup/confirm/\S+)", mail.outbox[-1].body)
    assert url
    r = c.post(url.group(1), {"new_password1": "walkwalk", "new_password2": "walkwalk"})
    assert r.status_code == 200
    assert "too common" in r.content.decode() or "too short" in r.content.decode()
    assert not User.objects.filter(email="pat@example.org").exists()


# -- sign-up reveals nothing ---------------------------------------------------------------


@pytest.mark.django_db
def test_signup_answers_the_same_for_a_new_and_an_existing_address() -> None:
    User.objects.create_user("bob@example.org", "bob@example.org", "pw-bob-12345")
    User.objects.create_user("cy", "cy@example.org", "pw-cy-123456")
    answers = []
    for email in ("new@example.org", "BOB@example.org", "cy@example.org"):
        c = Client()
        r = c.post("/accounts/signup/", {"email": email})
        page = c.get(r["Location"])
        answers.append((r.status_code, r["Location"], page.status_code, page.content))
    assert answers[0] == answers[1] == answers[2]
    # each owner learns the truth by email, nobody else
    assert [m.to for m in mail.outbox] == [
        ["new@example.org"],
        ["bob@example.org"],
        ["cy@example.org"],
    ]
    assert "/accounts/signup/confirm/" in mail.outbox[0].body
    assert "already have one" in mail.outbox[1].body
    assert "/accounts/signup/confirm/" not in mail.outbox[1].body
    assert User.objects.count() == 2


def test_signup_form_has_no_user_name_to_probe() -> None:
    html = Client().get("/accounts/signup/").content.decode()
    assert 'name="username"' not in html
    assert 'name="email"' in html


# -- headers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csp_allows_no_inline_script_and_permissions_policy_is_set() -> None:
    r = Client().get("/accounts/login/")
    csp = r["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    policy = r["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_no_template_holds_an_inline_script_handler_or_style() -> None:
    offenders = []
    for tpl in TEMPLATES.rglob("*.html"):
        text = tpl.read_text()
        for m in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in m.group(0):
                offenders.append(f"{tpl.name}: {m.group(0)}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{tpl.name}: inline event handler")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{tpl.name}: inline style (CSP style-src 'self')")
    assert not offenders, offenders


@pytest.mark.django_db
def test_every_signed_in_page_is_no_store() -> None:
    user, _ = make_walker("nia")
    c = Client()
    c.force_login(user)
    for url in (
        "/today/",
        "/progress/",
        "/check-in/",
        "/safety/",
        "/data/",
        "/learn/",
    ):
        r = c.get(url)
        assert r.status_code in (200, 302), url
        cache = r["Cache-Control"]
        assert "no-store" in cache and "private" in cache, (url, cache)
    export = c.get("/data/export.zip")
    assert "no-store" in export["Cache-Control"]
    # the JSON API (token in the Authorization header) is never stored either
    api = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert "no-store" in api["Cache-Control"], api.status_code
    # a public page for a signed-out visitor may be cached
    assert "no-store" not in Client().get("/learn/").get("Cache-Control", "")


# -- production settings -----------------------------------------------------------------------


def test_production_sets_hsts_and_secure_cookies(tmp_path: Path) -> None:
    names = (
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
    )
    r = _settings_in(PROD, tmp_path, *names)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got == {
        "DEBUG": False,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
    }


def test_production_refuses_debug(tmp_path: Path) -> None:
    r = _settings_in({**PROD, "WALKRX_DEBUG": "1"}, tmp_path, "DEBUG")
    assert r.returncode != 0
    assert "WALKRX_DEBUG=1 is refused in production" in r.stderr


@pytest.mark.parametrize(
    "secret", ["a" * 32, "ab" * 32, "0123456789" * 3 + "01", "change-me", "short-but-random-9Xq"]
)
def test_production_refuses_weak_secrets(tmp_path: Path, secret: str) -> None:
    r = _settings_in({**PROD, "WALKRX_SECRET_KEY": secret}, tmp_path, "DEBUG")
    assert r.returncode != 0
    assert "WALKRX_SECRET_KEY is refused in production" in r.stderr


def test_secret_entropy_estimate() -> None:
    assert secret_bits("a" * 32) == 0
    assert weak_secret_reason("a" * 32)
    assert weak_secret_reason(STRONG) is None
    import secrets

    assert weak_secret_reason(secrets.token_urlsafe(50)) is None
    assert weak_secret_reason(secrets.token_hex(32)) is None


def test_local_http_is_only_for_loopback_hosts(tmp_path: Path) -> None:
    local = {**PROD, "WALKRX_LOCAL_HTTP": "1", "WALKRX_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    r = _settings_in(
        local,
        tmp_path,
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
    }
    r = _settings_in({**local, "WALKRX_ALLOWED_HOSTS": "walk.example.org"}, tmp_path, "DEBUG")
    assert r.returncode != 0
    assert "loopback" in r.stderr


def test_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WALKRX_", "DATABASE_URL"))}
    env["WALKRX_HOME"] = str(home)
    walkrx = Path(sys.executable).with_name("walkrx")
    r = subprocess.run([str(walkrx), "init"], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("walkrx.sqlite3", "secret_key"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
    for p in home.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o077 == 0, (p, oct(mode))


# -- upload size ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_upload_gets_a_clear_413_page(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.WALKRX_MAX_UPLOAD_BYTES = 64 * 1024
    user, _ = make_walker("ola")
    c = Client()
    c.force_login(user)
    big = SimpleUploadedFile("big.gpx", b"<gpx>" + b" " * (200 * 1024) + b"</gpx>")
    r = c.post("/data/upload/", {"file": big, "kind": "consumer"})
    assert r.status_code == 413
    html = r.content.decode()
    assert "That file is too large" in html and 'name="viewport"' in html
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


# -- error pages -----------------------------------------------------------------------------


def _boom(request: Any) -> Any:
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", _boom), path("", include("walkrx.web.urls"))]
handler500 = "walkrx.web.errors.server_error"


@pytest.mark.django_db
def test_404_and_500_are_walkrx_pages_that_fit_a_phone(settings: Any) -> None:
    settings.DEBUG = False
    r = Client().get("/no/such/page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "We could not find that page" in html
    assert 'name="viewport"' in html and "walkrx.css" in html
    settings.ROOT_URLCONF = __name__
    c = Client(raise_request_exception=False)
    r = c.get("/boom/")
    assert r.status_code == 500
    html = r.content.decode()
    assert "Something went wrong on our side" in html
    assert 'name="viewport"' in html
    assert "Traceback" not in html and "deliberate failure" not in html
    assert settings.WALKRX_EMERGENCY_NUMBER in html


def test_serve_without_debug_never_runs_debug_even_if_the_environment_asks(tmp_path: Path) -> None:
    import signal
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WALKRX_", "DATABASE_URL"))}
    env.update(WALKRX_HOME=str(tmp_path / "home"), WALKRX_DEBUG="1")
    walkrx = Path(sys.executable).with_name("walkrx")
    proc = subprocess.Popen(
        [str(walkrx), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        body, status = "", 0
        end = time.monotonic() + 120
        while time.monotonic() < end and proc.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no/such/page/", timeout=5)
            except urllib.error.HTTPError as err:
                status, body = err.code, err.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert status == 404, proc.poll()
        assert "We could not find that page" in body
        assert "Using the URLconf" not in body and "DEBUG = True" not in body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
