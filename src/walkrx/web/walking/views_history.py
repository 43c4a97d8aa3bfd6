"""Walk history: every walk by week (paginated), edit a walk, delete it with a short undo."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from walkrx.timeutil import monday_of

from . import services
from .access import own, walker_view
from .forms import WalkForm
from .models import Walk, WalkRevision
from .services import history

#: Whole weeks per page of the history.
WEEKS_PER_PAGE = 6


@walker_view
def walk_history(request: HttpRequest) -> HttpResponse:
    """All the walker's walks, newest week first, whole weeks to a page."""
    walker = request.walker  # type: ignore[attr-defined]
    dates = walker.walks.values_list("local_date", flat=True).distinct()
    mondays = sorted({monday_of(d) for d in dates}, reverse=True)
    page = Paginator(mondays, WEEKS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    weeks: dict[dt.date, list[Walk]] = {m: [] for m in shown}
    if shown:
        in_range = walker.walks.filter(
            local_date__gte=shown[-1], local_date__lte=shown[0] + dt.timedelta(days=6)
        ).order_by("-start_utc")
        for w in in_range:
            weeks[monday_of(w.local_date)].append(w)
    groups = [
        {
            "monday": monday,
            "walks": items,
            "minutes": sum(w.minutes for w in items),
        }
        for monday, items in weeks.items()
    ]
    return render(
        request,
        "walking/history.html",
        {"page": page, "groups": groups, "total": walker.walks.count()},
    )


def _form_for(walk: Walk) -> WalkForm:
    start_local = walk.start_utc.astimezone(ZoneInfo(walk.tz))
    return WalkForm(
        initial={
            "date": walk.local_date,
            "start_time": start_local.time().replace(second=0, microsecond=0),
            "minutes": walk.minutes,
            "pain_before": walk.pain_before,
            "pain_max": walk.pain_max,
            "pain_after": walk.pain_after,
            "talk_test": walk.talk_test,
            "terrain": walk.terrain,
            "steps": walk.steps,
            "notes": walk.notes,
        }
    )


@walker_view
def walk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a walk; the same checks and pain rules as logging one."""
    walker = request.walker  # type: ignore[attr-defined]
    walk = own(Walk, request, pk=pk)
    form = WalkForm(request.POST) if request.method == "POST" else _form_for(walk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        old_start = walk.start_utc.astimezone(ZoneInfo(walk.tz)).time()
        try:
            history.edit_walk(
                walker,
                walk,
                local_day=d["date"],
                start_time=d["start_time"] or old_start,
                minutes=d["minutes"],
                steps=d["steps"],
                pain_before=d["pain_before"],
                pain_max=d["pain_max"],
                pain_after=d["pain_after"],
                talk_test=d["talk_test"] or "",
                terrain=d["terrain"],
                notes=d["notes"],
            )
        except services.WalkerPaused:
            messages.error(request, "Not changed: your walking program is stopped for safety.")
            return redirect("safety")
        except services.ServiceError as exc:
            form.add_error(None, _plain(str(exc)))
        else:
            messages.success(request, "Your changes are saved. The original is kept below.")
            return redirect("walk_detail", pk=walk.pk)
    return render(request, "walking/walk_edit.html", {"walk": walk, "form": form})


def _plain(message: str) -> str:
    """Service messages in the walker's words (the CLI wording names commands)."""
    if "in the future" in message:
        return "That date is in the future. Walks can be logged once they have happened."
    return message


@walker_view
def walk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first; on POST delete the walk and offer an undo for 10 seconds."""
    walker = request.walker  # type: ignore[attr-defined]
    walk = own(Walk, request, pk=pk)
    if request.method != "POST":
        return render(request, "walking/walk_delete.html", {"walk": walk})
    rev = history.delete_walk(walker, walk)
    return redirect("walk_deleted", rev=rev.pk)


@walker_view
def walk_deleted(request: HttpRequest, rev: int) -> HttpResponse:
    """The walk is gone; an undo button for the first 10 seconds."""
    item = own(WalkRevision, request, pk=rev)
    left = (history.undo_deadline(item) - timezone.now()).total_seconds()
    context: dict[str, Any] = {
        "rev": item,
        "walk": item.data,
        "day": dt.date.fromisoformat(item.data["local_date"]),
        "can_undo": item.restored_at is None and left > 0,
        "seconds_left": max(0, int(left)),
    }
    return render(request, "walking/walk_deleted.html", context)


@walker_view
@require_POST
def walk_undo(request: HttpRequest, rev: int) -> HttpResponse:
    """Put the deleted walk back."""
    walker = request.walker  # type: ignore[attr-defined]
    try:
        walk = history.undo_delete(walker, rev)
    except services.ServiceError as exc:
        messages.error(request, f"Not put back: {exc}.")
        return redirect("walk_history")
    messages.success(request, "The walk is back.")
    return redirect("walk_detail", pk=walk.pk)
