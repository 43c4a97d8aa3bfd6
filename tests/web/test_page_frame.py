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
