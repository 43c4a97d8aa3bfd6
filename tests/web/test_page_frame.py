"""The frame around every walker page: the navigation, rendered once per page name.

``{% walker_nav %}`` caches the links' HTML per URL name; each page must still mark
itself, and only itself, as the current one, and the clinic's own navigation must not
be replaced by the walker's.
"""

from __future__ import annotations

import re

import pytest

from .walker.conftest import signed_in

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PAGES = {
    "/today/": "Today",
    "/check-in/": "Check-in",
    "/progress/": "Progress",
    "/data/": "My data",
    "/my-clinician/": "My clinician",
    "/settings/": "Settings",
}


def _current(html: str) -> list[str]:
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav)


def test_each_walker_page_marks_itself_and_nothing_else() -> None:
    client, _ = signed_in("frame-nav")
    for _ in range(2):  # the second round is served from the cached links
        for path, label in PAGES.items():
            response = client.get(path)
            assert response.status_code == 200, path
            assert _current(response.content.decode()) == [label], path


def test_the_sign_out_form_carries_this_sessions_csrf_token() -> None:
    client, _ = signed_in("frame-csrf")
    html = client.get("/progress/").content.decode()
    form = html[html.index("data-signout") : html.index("Sign out</button>")]
    assert 'name="csrfmiddlewaretoken"' in form
    assert client.post("/accounts/logout/").status_code == 302


def test_todays_two_forms_share_one_token_that_the_server_accepts() -> None:
    """The log form and the sign-out form carry the same masked token; a real check passes."""
    from django.test import Client, RequestFactory

    from .walker.conftest import make_walker

    make_walker("frame-token")
    client = Client(enforce_csrf_checks=True)
    assert client.login(
        username="frame-token", password="pw-frame-token-123", request=RequestFactory().get("/")
    )
    html = client.get("/today/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) == 2 and tokens[0] == tokens[1], tokens
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
