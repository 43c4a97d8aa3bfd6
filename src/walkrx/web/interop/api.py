"""The JSON API under ``/api/v1/`` (django-ninja: pydantic schemas and OpenAPI from the code).

Every request carries a personal token (``Authorization: Bearer <token>``, made on the
"API tokens" page or with ``walkrx api-token``). A walker reads their own data; a
clinician reads the walkers linked to them. Everything is read-only except logging a
walk, which goes through the same service as the web form, so the safety rules refuse
it while walking is paused. Errors are JSON ``{"detail": "..."}``; each token may make
``WALKRX_API_RATE`` requests (default 120 a minute), then gets 429.
The OpenAPI description is served at ``/api/v1/schema``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from walkrx.web.walking import services as walking
from walkrx.web.walking.models import Walk, Walker

from . import services
from .models import ApiToken
from .schemas import (
    CheckInOut,
    DayOut,
    Error,
    MeOut,
    PlanOut,
    SafetyOut,
    WalkerOut,
    WalkIn,
    WalkLogged,
    WalkOut,
)

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """A live personal API token; the request's user becomes its owner."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        """The token's row, or ``None`` (401)."""
        found = services.api_token_owner(token)
        if found is not None:
            request.user = found.user
        return found


class TokenThrottle(SimpleRateThrottle):
    """At most ``WALKRX_API_RATE`` requests per token (read at each request, so tests can set it)."""

    scope = "walkrx-api"

    def get_rate(self) -> str | None:
        """The configured rate, e.g. ``120/m``."""
        return str(getattr(settings, "WALKRX_API_RATE", "120/m"))

    def allow_request(self, request: HttpRequest) -> bool:
        """Re-read the rate, then count the request against the token."""
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        """One bucket per token."""
        token = getattr(request, "auth", None)
        return None if token is None else f"throttle_walkrx_api_{token.pk}"


api = NinjaAPI(
    title="walkrx API",
    version="1",
    description=__doc__,
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from the network: not served
    openapi_url="/schema",
)


ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error, 429: Error}


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parts = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return api.create_response(request, {"detail": "; ".join(parts)}, status=422)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen is still a JSON answer (and logged with its traceback)."""
    if isinstance(exc, HttpError):  # ninja's own errors keep their status and message
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request,
        {"detail": "walkrx could not answer this request (the error is logged)"},
        status=500,
    )


def _walker(request: HttpRequest, name: str) -> tuple[Walker, str]:
    found = services.walker_for_user(request.user, name)
    if found is None:
        raise HttpError(404, f"no walker called {name!r} that this token may read")
    if found[1] == "clinician":
        services.audit_clinician_read(
            request.user, found[0], f"API: {request.method} {request.path}"
        )
    return found


def _walker_out(walker: Walker, role: str) -> dict[str, Any]:
    return walking.walker_dict(walker) | {"display_name": walker.display_name, "role": role}


def _walk_out(w: Walk) -> dict[str, Any]:
    return {
        "id": w.pk,
        "date": w.local_date,
        "start_utc": w.start_utc,
        "minutes": w.minutes,
        "steps": w.steps,
        "distance_m": w.distance_m,
        "terrain": w.terrain,
        "pain_before": w.pain_before,
        "pain_max": w.pain_max,
        "pain_after": w.pain_after,
        "talk_test": w.talk_test,
        "source": w.source,
    }


@api.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I, and which walkers can I read")
def me(request: HttpRequest) -> dict[str, Any]:
    """The token's user and every walker it may read."""
    is_clinician = hasattr(request.user, "clinician")
    return {
        "username": request.user.get_username(),
        "role": "clinician" if is_clinician else "walker",
        "walkers": [_walker_out(w, role) for w, role in services.readable_walkers(request.user)],
    }


@api.get("/walkers/{name}", response={200: WalkerOut, **ERRORS}, summary="A walker's profile")
def profile(request: HttpRequest, name: str) -> dict[str, Any]:
    """The walker's profile and safety status."""
    walker, role = _walker(request, name)
    return _walker_out(walker, role)


@api.get(
    "/walkers/{name}/plan", response={200: PlanOut, 400: Error, **ERRORS}, summary="Plan for a week"
)
def plan(request: HttpRequest, name: str, week_of: dt.date | None = None) -> Any:
    """The plan of the week containing ``week_of`` (default: this week), from the plan engine."""
    walker, _ = _walker(request, name)
    today = walking.local_today(walker.tz)
    day = week_of or max(today, walker.start_date)
    if day > max(today, walker.start_date) + dt.timedelta(days=366):
        raise HttpError(400, "plans are made at most a year ahead; ask for an earlier week")
    try:
        return walking.plan_for(walker, day).to_dict()
    except walking.ServiceError as exc:
        raise HttpError(400, str(exc)) from None


def _date_range(
    since: dt.date | None, until: dt.date | None, walker: Walker, days: int
) -> tuple[dt.date, dt.date]:
    until = until or walking.local_today(walker.tz)
    since = since or until - dt.timedelta(days=days - 1)
    if since > until:
        raise HttpError(400, f"since ({since}) is after until ({until})")
    if (until - since).days > 366:
        raise HttpError(400, "ask for at most 366 days at a time")
    return since, until


class Range(Schema):
    """A range of local dates (both ends included)."""

    since: dt.date | None = None
    until: dt.date | None = None


@api.get(
    "/walkers/{name}/walks", response={200: list[WalkOut], 400: Error, **ERRORS}, summary="Walks"
)
def walks(request: HttpRequest, name: str, q: Query[Range]) -> Any:
    """Logged walks between ``since`` and ``until`` (default: the last 90 days)."""
    walker, _ = _walker(request, name)
    since, until = _date_range(q.since, q.until, walker, 90)
    rows = walker.walks.filter(local_date__gte=since, local_date__lte=until)
    return [_walk_out(w) for w in rows]


@api.post(
    "/walkers/{name}/walks",
    response={201: WalkLogged, 400: Error, 403: Error, 409: Error, **ERRORS},
    summary="Log a walk",
)
def log_walk(request: HttpRequest, name: str, payload: WalkIn) -> Any:
    """Log a walk for yourself. Refused (409) while walking is paused for safety."""
    walker, role = _walker(request, name)
    if role != "walker":
        raise HttpError(403, "only the walker can log their own walks")
    try:
        outcome = walking.log_walk(
            walker,
            local_date=payload.date,
            minutes=payload.minutes,
            start_time=payload.start_time,
            steps=payload.steps,
            distance_m=payload.distance_m,
            pain_before=payload.pain_before,
            pain_max=payload.pain_max,
            pain_after=payload.pain_after,
            terrain=payload.terrain,
            talk_test=payload.talk_test,
            notes=payload.notes,
            source="api",
        )
    except walking.WalkerPaused as exc:
        raise HttpError(409, str(exc)) from None
    except walking.ServiceError as exc:
        raise HttpError(400, str(exc)) from None
    body = {"walk": _walk_out(outcome.walk), "feedback": outcome.feedback, "stop": outcome.stop}
    return Status(201, body)


@api.get(
    "/walkers/{name}/checkins",
    response={200: list[CheckInOut], 400: Error, **ERRORS},
    summary="Check-ins",
)
def checkins(request: HttpRequest, name: str, q: Query[Range]) -> Any:
    """Weekly check-ins between ``since`` and ``until`` (default: the last 365 days)."""
    walker, _ = _walker(request, name)
    since, until = _date_range(q.since, q.until, walker, 365)
    return list(walker.checkins.filter(date__gte=since, date__lte=until))


@api.get(
    "/walkers/{name}/activity",
    response={200: list[DayOut], 400: Error, **ERRORS},
    summary="Daily activity",
)
def activity(request: HttpRequest, name: str, q: Query[Range]) -> Any:
    """Walking per local day between ``since`` and ``until`` (default: the last 28 days)."""
    walker, _ = _walker(request, name)
    since, until = _date_range(q.since, q.until, walker, 28)
    days = walking.daily_walking(walker, since, until)
    return [
        {
            "date": day,
            "walks": v.get("walks", 0),
            "walk_minutes": v.get("walk_minutes", 0.0),
            "walk_steps": v.get("walk_steps"),
            "device_origin": v.get("device_origin"),
            "device_minutes": v.get("device_minutes"),
            "device_steps": v.get("device_steps"),
        }
        for day, v in sorted(days.items())
    ]


@api.get("/walkers/{name}/safety", response={200: SafetyOut, **ERRORS}, summary="Safety state")
def safety_state(request: HttpRequest, name: str) -> Any:
    """The safety status now, from the safety and plan engines, with what to do."""
    walker, _ = _walker(request, name)
    state = walking.current_state(walker)
    return {"status": state.status, "urgency": state.urgency, "advice": list(state.advice)}
