"""The per-request lookups written once (walkrx.web.rows): the same rows as the ORM, or none.

Session, user and walker are read on every signed-in request by precompiled SQL instead
of an ORM query built each time. These tests hold them to the ORM's answers, field by
field, on SQLite and PostgreSQL, and check what must not load: an expired or unknown
session, an inactive user, another user's walker.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from walkrx.web.accounts.backends import UserBackend
from walkrx.web.rows import one_by
from walkrx.web.walking.access import walker_of
from walkrx.web.walking.models import Walker
from walkrx.web.walking.templatetags.walkrx_web import link

from .walker.conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_the_walker_row_equals_the_orms_field_by_field() -> None:
    user, walker = make_walker("rows-a", tz="America/New_York")
    make_walker("rows-b")
    Walker.objects.filter(pk=walker.pk).update(  # JSON, dates and nulls filled in
        conditions=["knee-oa", {"note": "ü"}],
        preferences={"reminder": "07:30", "days": [1, 3, 5]},
        surgery_date=dt.date(2026, 3, 4),
        pain_limit=4,
        onboarded=True,
    )
    request = RequestFactory().get("/")
    request.user = user
    found = walker_of(request)
    assert found is not None
    assert _fields(found) == _fields(Walker.objects.get(pk=walker.pk))
    assert isinstance(found.created_at, dt.datetime) and found.created_at.tzinfo is not None
    assert found.preferences["days"] == [1, 3, 5] and found.surgery_date == dt.date(2026, 3, 4)
    assert found.onboarded is True and found._state.adding is False


def test_no_row_is_none() -> None:
    assert one_by(Walker, "user_id", 10**9) is None
    assert one_by(Walker, "user_id", None) is None


def test_the_signed_in_user_loads_and_an_inactive_one_does_not() -> None:
    user, _ = make_walker("rows-user")
    backend = UserBackend()
    loaded = backend.get_user(user.pk)
    assert loaded is not None and _fields(loaded) == _fields(
        get_user_model().objects.get(pk=user.pk)
    )
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
    assert backend.get_user(10**9) is None


def test_sessions_made_by_djangos_store_still_load_and_expired_ones_do_not() -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    old = DjangoSessionStore()
    old["walkrx"] = "kept"
    old.create()
    assert store(old.session_key)["walkrx"] == "kept"

    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = store(old.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert store("no-such-session-key-0123456789").load() == {}


def test_a_signed_in_page_works_through_the_whole_stack_and_sign_out_ends_it() -> None:
    user, _ = make_walker("rows-page")
    client = Client()
    assert client.login(
        request=RequestFactory().get("/"), username="rows-page", password="pw-rows-page-123"
    )
    assert Session.objects.get().get_decoded()[SESSION_KEY] == str(user.pk)
    assert client.get("/progress/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.exists()  # signed out: the session row is gone
    assert client.get("/progress/").status_code == 302  # to the sign-in page


def test_navigation_links_equal_reverse_and_follow_the_script_prefix() -> None:
    for name in ("today", "progress", "logout", "clinic_caseload"):
        assert link(name) == reverse(name)
    try:
        set_script_prefix("/walkrx/")
        assert link("today") == reverse("today") == "/walkrx/today/"
    finally:
        set_script_prefix("/")
    assert link("today") == "/today/"


@pytest.mark.parametrize("page", ["/progress/", "/today/"])
def test_a_cached_walker_page_costs_three_queries(page: str) -> None:
    """Session, user, and the walker with the page's fingerprint in the same statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_walker("rows-queries")
    client = Client()
    client.login(
        request=RequestFactory().get("/"), username="rows-queries", password="pw-rows-queries-123"
    )
    assert client.get(page).status_code == 200  # renders and caches the body
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert len(queries) == 3, [q["sql"][:80] for q in queries]
    assert "walking_walk" in queries[2]["sql"]  # the fingerprint rode along with the walker


def test_postgresql_prepares_the_statements_every_page_repeats(tmp_path: Path) -> None:
    """Django never prepares by default; walkrx asks psycopg to after 5 runs (settings).

    On PostgreSQL (the CI's second pass): the walker's statement is found prepared on the
    connection. On SQLite: PostgreSQL settings, loaded in a fresh interpreter, ask for it,
    and ``WALKRX_DB_SERVER_BINDING=0`` (for PgBouncer) turns it off.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        user, _ = make_walker("rows-prepared")
        for _ in range(6):
            assert one_by(Walker, "user_id", user.pk) is not None
        with connection.cursor() as cur:
            cur.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cur.fetchall()]
        assert any('FROM "walking_walker"' in sql for sql in prepared), prepared
        return
    pg = {"DATABASE_URL": "postgres://walkrx@127.0.0.1:5432/walkrx"}
    on = _database_options(pg, tmp_path)
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 5
    off = _database_options({**pg, "WALKRX_DB_SERVER_BINDING": "0"}, tmp_path)
    assert "prepare_threshold" not in off and not off.get("server_side_binding")
    with pytest.raises(
        AssertionError, match="WALKRX_DB_SERVER_BINDING must be 1 or 0, not 'maybe'"
    ):
        _database_options({**pg, "WALKRX_DB_SERVER_BINDING": "maybe"}, tmp_path)


def _database_options(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """The default database's OPTIONS as the settings build them under ``env`` (no connection)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {}), default=str))"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith(("WALKRX_", "DATABASE_URL"))}
    full.update({"WALKRX_HOME": str(tmp_path / "home"), **env})
    full["DJANGO_SETTINGS_MODULE"] = "walkrx.web.settings"
    r = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return dict(json.loads(r.stdout))
