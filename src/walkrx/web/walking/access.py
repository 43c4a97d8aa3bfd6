"""Row-level ownership for the walker's pages: one helper, used by every view.

``walker_view`` signs the user in (or redirects), finds *their* walker and puts it
on ``request.walker``. Objects are then fetched with :func:`own`, which filters by
that walker, so another walker's ids give 404 whatever the URL or form says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from ..rows import one_by
from .models import Walker

M = TypeVar("M", bound=Model)
Aggregates = tuple[tuple[str, Any], ...]
View = Callable[..., HttpResponse]


def walker_of(request: HttpRequest, aggregates: Aggregates = ()) -> Walker | None:
    """The signed-in user's walker, or ``None``.

    ``aggregates`` (``services.PROGRESS_AGGREGATES`` or ``TODAY_AGGREGATES``) are read in
    the same statement, for the page's fingerprint (``services.progress_version``...).
    """
    if not request.user.is_authenticated:
        return None
    if not aggregates:
        return one_by(Walker, "user_id", request.user.pk)
    from .services.progress import aggregate_columns

    walker = one_by(Walker, "user_id", request.user.pk, extra_columns=aggregate_columns(aggregates))
    if walker is not None:
        walker.aggregates_of = aggregates  # type: ignore[attr-defined]
    return walker


@overload
def walker_view(view: View) -> View: ...


@overload
def walker_view(
    *, onboarded: bool = True, aggregates: Aggregates = ()
) -> Callable[[View], View]: ...


def walker_view(
    view: View | None = None, *, onboarded: bool = True, aggregates: Aggregates = ()
) -> Any:
    """Require a signed-in user with a walker profile (else go to onboarding).

    ``aggregates``: the page's fingerprint columns, loaded with the walker (walker_of).
    """

    def decorate(fn: View) -> View:
        @login_required
        @wraps(fn)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            walker = walker_of(request, aggregates)
            if walker is None and hasattr(request.user, "clinician"):
                return redirect("clinic_caseload")  # a clinician's account has no walker pages
            if walker is None or (onboarded and not walker.onboarded and not _paused(walker)):
                return redirect("onboarding")
            request.walker = walker  # type: ignore[attr-defined]
            return fn(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _paused(walker: Walker) -> bool:
    from .services import recorded_safety

    return recorded_safety(walker)["status"] in ("paused", "escalated")


def own(model: type[M], request: HttpRequest, **lookup: Any) -> M:
    """The object matching ``lookup`` *and* owned by the request's walker, else 404."""
    return get_object_or_404(model, walker=request.walker, **lookup)  # type: ignore[attr-defined]
