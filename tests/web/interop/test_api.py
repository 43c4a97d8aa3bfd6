"""The JSON API: every endpoint for the walker, another walker (404), no or a wrong token (401),
the rate limit (429), and every response checked against the served OpenAPI description."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
from django.test import Client

from walkrx.web.interop import services as interop
from walkrx.web.walking import services
from walkrx.web.walking.models import Walk

from .conftest import make_walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]

READS = ["", "/plan", "/walks", "/checkins", "/activity", "/safety"]


class Api:
    """A client that sends a bearer token and checks each answer against the OpenAPI schema."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token
        self.schema: dict[str, Any] = json.loads(self.client.get("/api/v1/schema").content)

    def _headers(self) -> dict[str, str]:
        return {} if self.token is None else {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, body: Any = None, **query: str) -> tuple[int, Any]:
        url = "/api/v1" + path
        if method == "get":
            r = self.client.get(url, query, headers=self._headers())
        else:
            r = self.client.post(
                url, json.dumps(body), content_type="application/json", headers=self._headers()
            )
        assert r["Content-Type"].startswith("application/json"), (path, r["Content-Type"])
        data = json.loads(r.content)
        self.check(method, path, r.status_code, data)
        return r.status_code, data

    def check(self, method: str, path: str, status: int, data: Any) -> None:
        """The answer matches the schema the API itself publishes for this path and status."""
        template = _template(self.schema, path)
        op = self.schema["paths"][template][method]
        assert str(status) in op["responses"], f"{method} {template}: {status} not documented"
        spec = op["responses"][str(status)]["content"]["application/json"]["schema"]
        jsonschema.Draft202012Validator(spec | {"components": self.schema["components"]}).validate(
            data
        )


def _template(schema: dict[str, Any], path: str) -> str:
    parts = path.strip("/").split("/")
    for template in schema["paths"]:
        tparts = template.removeprefix("/api/v1").strip("/").split("/")
        if len(tparts) == len(parts) and all(
            t == p or (t.startswith("{") and t.endswith("}"))
            for t, p in zip(tparts, parts, strict=True)
        ):
            return str(template)
    raise AssertionError(f"{path} is not in the OpenAPI description")


@pytest.fixture
def ann(db: None) -> tuple[Any, str]:
    user, walker = make_walker("ann")
    services.log_walk(
        walker,
        local_date=services.local_today(walker.tz) - dt.timedelta(days=1),
        minutes=21,
        pain_before=3,
    )
    services.record_checkin(walker, date=services.local_today(walker.tz), avg_pain=3)
    return walker, interop.new_api_token(user, "tests")[1]


def test_schema_is_served_and_lists_every_endpoint(ann: tuple[Any, str]) -> None:
    schema = Api(None).schema
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/walkers/{name}",
        "/api/v1/walkers/{name}/plan",
        "/api/v1/walkers/{name}/walks",
        "/api/v1/walkers/{name}/checkins",
        "/api/v1/walkers/{name}/activity",
        "/api/v1/walkers/{name}/safety",
    } <= paths
    assert set(schema["paths"]["/api/v1/walkers/{name}/walks"]) == {"get", "post"}


def test_walker_reads_every_endpoint(ann: tuple[Any, str]) -> None:
    walker, token = ann
    api = Api(token)
    status, me = api.call("get", "/me")
    assert (
        status == 200 and me["username"] == "ann" and [w["name"] for w in me["walkers"]] == ["ann"]
    )
    status, profile = api.call("get", "/walkers/ann")
    assert status == 200 and profile["role"] == "walker" and profile["tz"] == "Europe/Oslo"
    status, plan = api.call("get", "/walkers/ann/plan")
    assert (
        status == 200
        and plan["sessions"]
        == services.plan_for(walker, services.local_today(walker.tz)).to_dict()["sessions"]
    )
    status, walks = api.call("get", "/walkers/ann/walks")
    assert status == 200 and [w["minutes"] for w in walks] == [21]
    status, checkins = api.call("get", "/walkers/ann/checkins")
    assert status == 200 and [c["avg_pain"] for c in checkins] == [3]
    status, days = api.call("get", "/walkers/ann/activity")
    assert status == 200 and [d["walk_minutes"] for d in days] == [21]
    status, state = api.call("get", "/walkers/ann/safety")
    assert status == 200 and state["status"] == services.current_state(walker).status
    assert any("not a diagnosis" in a.lower() for a in state["advice"])


def test_walker_logs_a_walk_through_the_service(ann: tuple[Any, str]) -> None:
    walker, token = ann
    api = Api(token)
    today = services.local_today(walker.tz).isoformat()
    status, body = api.call(
        "post",
        "/walkers/ann/walks",
        {"date": today, "minutes": 15, "pain_before": 2, "pain_after": 6},
    )
    assert status == 201 and body["walk"]["minutes"] == 15 and body["walk"]["source"] == "api"
    assert body["stop"] is True and body["feedback"]  # the pain rules answered
    assert Walk.objects.filter(walker=walker, source="api").count() == 1
    # bad input: a clear JSON message naming the field, nothing stored
    status, err = api.call("post", "/walkers/ann/walks", {"date": today, "minutes": -3})
    assert status == 422 and "minutes" in err["detail"]
    future = (services.local_today(walker.tz) + dt.timedelta(days=2)).isoformat()
    status, err = api.call("post", "/walkers/ann/walks", {"date": future, "minutes": 5})
    assert status == 400 and "future" in err["detail"]
    assert Walk.objects.filter(walker=walker, source="api").count() == 1


def test_logging_is_refused_while_paused(ann: tuple[Any, str]) -> None:
    walker, token = ann
    services.record_checkin(
        walker, date=services.local_today(walker.tz), red_flags=["saddle-numbness"]
    )
    status, err = Api(token).call(
        "post",
        "/walkers/ann/walks",
        {"date": services.local_today(walker.tz).isoformat(), "minutes": 10},
    )
    assert status == 409 and "paused" in err["detail"]
    assert not Walk.objects.filter(walker=walker, source="api").exists()


def test_another_walkers_data_is_404(ann: tuple[Any, str]) -> None:
    _, bob = make_walker("bob")
    services.log_walk(bob, local_date=services.local_today(bob.tz), minutes=30, notes="bob-secret")
    api = Api(ann[1])
    for path in READS:
        status, err = api.call("get", "/walkers/bob" + path)
        assert status == 404 and "bob-secret" not in json.dumps(err), path
        assert api.call("get", "/walkers/nobody" + path)[0] == 404
    status, _ = api.call("post", "/walkers/bob/walks", {"date": "2026-01-01", "minutes": 5})
    assert status == 404
    assert Walk.objects.filter(walker=bob).count() == 1


@pytest.mark.parametrize("token", [None, "wrx_not-a-real-token", ""])
def test_no_or_wrong_token_is_401(ann: tuple[Any, str], token: str | None) -> None:
    api = Api(token)
    for path in ["/me"] + ["/walkers/ann" + p for p in READS]:
        status, err = api.call("get", path)
        assert status == 401 and err["detail"], path
    status, _ = api.call("post", "/walkers/ann/walks", {"date": "2026-01-01", "minutes": 5})
    assert status == 401


def test_revoked_token_is_401(ann: tuple[Any, str]) -> None:
    walker, token = ann
    assert Api(token).call("get", "/me")[0] == 200
    (row,) = walker.user.api_tokens.all()
    assert interop.revoke_api_token(walker.user, row.pk)
    assert Api(token).call("get", "/me")[0] == 401


ENDPOINTS = (
    [("get", "/me")]
    + [("get", "/walkers/ann" + p) for p in READS]
    + [("post", "/walkers/ann/walks")]
)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_rate_limit_is_429_per_token_on_every_endpoint(
    ann: tuple[Any, str], settings: Any, method: str, path: str
) -> None:
    settings.WALKRX_API_RATE = "2/m"
    walker, token = ann
    api = Api(token)
    today = services.local_today(walker.tz).isoformat()
    payload = {"date": today, "minutes": 5} if method == "post" else None
    assert [api.call(method, path, payload)[0] for _ in range(2)] in ([200] * 2, [201] * 2)
    status, err = api.call(method, path, payload)
    assert status == 429 and "many" in err["detail"].lower()
    # another token has its own allowance
    other = interop.new_api_token(walker.user, "second")[1]
    assert Api(other).call("get", "/me")[0] == 200


def test_query_errors_are_json(ann: tuple[Any, str]) -> None:
    api = Api(ann[1])
    status, err = api.call("get", "/walkers/ann/walks", since="2026-05-01", until="2026-04-01")
    assert status == 400 and "after" in err["detail"]
    status, err = api.call("get", "/walkers/ann/plan", week_of="1999-01-01")
    assert status == 400 and "before" in err["detail"]
    status, err = api.call("get", "/walkers/ann/plan", week_of="2100-01-04")
    assert status == 400 and "a year ahead" in err["detail"]
    status, err = api.call("get", "/walkers/ann/activity", since="not-a-date")
    assert status == 422 and "since" in err["detail"]


def test_unreadable_body_and_unexpected_errors_are_json(
    ann: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = Api(ann[1])
    r = api.client.post(
        "/api/v1/walkers/ann/walks",
        "{not json",
        content_type="application/json",
        headers=api._headers(),
    )
    assert r.status_code == 400 and r.json()["detail"]
    api.check("post", "/walkers/ann/walks", 400, r.json())

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "current_state", broken)
    r = api.client.get("/api/v1/walkers/ann/safety", headers=api._headers())
    assert r.status_code == 500 and r["Content-Type"].startswith("application/json")
    assert "logged" in r.json()["detail"] and "fire" not in r.json()["detail"]


def test_token_page_makes_a_token_shown_once(ann: tuple[Any, str]) -> None:
    walker, _ = ann
    c = Client()
    c.force_login(walker.user)
    assert c.post("/data/api-tokens/", {"action": "new", "name": "my script"}).status_code == 302
    page = c.get("/data/api-tokens/").content.decode()
    start = page.index('value="wrx_') + len('value="')
    raw = page[start : page.index('"', start)]
    assert Api(raw).call("get", "/me")[0] == 200
    assert raw not in c.get("/data/api-tokens/").content.decode()


@pytest.fixture
def clinician(ann: tuple[Any, str]) -> tuple[Any, str]:
    from walkrx.web.clinic import services as clinic

    doc = clinic.add_clinician("dr-lee", full_name="Dr Lee", password="pw-dr-lee-123")
    clinic.link_walker(ann[0], "dr-lee", by="ann")
    return doc, interop.new_api_token(doc.user, "clinic system")[1]


def test_linked_clinician_reads_every_endpoint_and_is_audited(
    ann: tuple[Any, str], clinician: tuple[Any, str]
) -> None:
    from walkrx.web.clinic.models import AuditEntry

    walker, _ = ann
    api = Api(clinician[1])
    status, me = api.call("get", "/me")
    assert status == 200 and me["role"] == "clinician"
    assert [(w["name"], w["role"]) for w in me["walkers"]] == [("ann", "clinician")]
    before = AuditEntry.objects.filter(walker=walker).count()
    for path in READS:
        status, body = api.call("get", "/walkers/ann" + path)
        assert status == 200, path
    assert api.call("get", "/walkers/ann/walks")[1][0]["minutes"] == 21
    views = AuditEntry.objects.filter(walker=walker, actor="dr-lee", action="view")
    assert views.count() - before >= len(READS)
    assert views.filter(detail__contains="/api/v1/walkers/ann/plan").exists()


def test_clinician_cannot_log_walks_or_read_unlinked_walkers(
    ann: tuple[Any, str], clinician: tuple[Any, str]
) -> None:
    from walkrx.web.clinic import services as clinic

    walker, _ = ann
    _, bob = make_walker("bob")
    api = Api(clinician[1])
    today = services.local_today(walker.tz).isoformat()
    status, err = api.call("post", "/walkers/ann/walks", {"date": today, "minutes": 10})
    assert status == 403 and "walker" in err["detail"]
    assert not Walk.objects.filter(walker=walker, source="api").exists()
    for path in READS:
        assert api.call("get", "/walkers/bob" + path)[0] == 404, path
    clinic.unlink_walker(walker, by="ann", reason="moved")
    for path in READS:
        assert api.call("get", "/walkers/ann" + path)[0] == 404, path
