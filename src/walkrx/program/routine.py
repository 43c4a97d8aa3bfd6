"""The routine around each walk: activation, form, talk test, strength work."""

from __future__ import annotations

from datetime import date, timedelta

from walkrx.program.models import Profile, RoutineItem
from walkrx.program.sources import adv

__all__ = ["STRENGTH_SESSIONS_PER_WEEK", "routine_for", "strength_indices"]

STRENGTH_SESSIONS_PER_WEEK = 3


def _talk_test(profile: Profile) -> RoutineItem:
    text = "Talk test: walk at a pace where you can talk but not sing."
    hr = profile.max_heart_rate_bpm
    if hr is not None and hr > 0:
        text += f" Heart rate about {round(hr * 0.5)}-{round(hr * 0.7)} bpm (50-70 % of {hr})."
    return RoutineItem("intensity", text, adv("talk-test"))


def strength_indices(n_sessions: int) -> frozenset[int]:
    """Indices of the sessions (spread over the week) that end with strength work."""
    k = min(STRENGTH_SESSIONS_PER_WEEK, n_sessions)
    return frozenset((i * n_sessions) // k for i in range(k)) if k else frozenset()


def _footing(profile: Profile, week_start: date | None) -> list[RoutineItem]:
    items = [
        RoutineItem(
            "terrain", "Wear supportive shoes for walking (no flip-flops).", adv("supportive-shoes")
        ),
        RoutineItem(
            "terrain",
            "When your pain is up, avoid hard surfaces and worn or rubbing shoes.",
            adv("avoid-hard-surfaces"),
        ),
    ]
    first_week = profile.program_start - timedelta(days=profile.program_start.weekday())
    if week_start is not None and week_start <= first_week:
        items.append(
            RoutineItem(
                "terrain",
                "This first week, walk on flat indoor surfaces (a corridor, a shopping centre).",
                adv("flat-indoor-week-1"),
            )
        )
    return items


def routine_for(
    profile: Profile, with_strength: bool, flare: bool, week_start: date | None = None
) -> tuple[RoutineItem, ...]:
    """Routine items for one session. In flare mode: only gentle walking cues."""
    items = [
        RoutineItem(
            "pre-walk",
            "2-minute warm-up: march in place 30 s, standing cat-camel x10, ankle circles x10 "
            "each way, glute squeezes x15.",
            adv("pre-walk-activation"),
        ),
        RoutineItem(
            "form",
            "Stride under the hip (shorter steps), walk tall, hands loose, arms swinging "
            "forward and back.",
            adv("form-cues"),
        ),
        RoutineItem(
            "form",
            "Every few minutes, check your shoulders: down and relaxed, head tall.",
            adv("shoulder-check"),
        ),
        *_footing(profile, week_start),
    ]
    if flare:
        items.append(
            RoutineItem("intensity", "Gentle pace only; stop if pain rises.", adv("flare-relief"))
        )
        return tuple(items)
    items.append(_talk_test(profile))
    if with_strength:
        items.append(
            RoutineItem(
                "post-walk",
                "After the walk: glute bridges 3x15, bird-dog 10 each side, standing hamstring "
                "stretch 30 s each leg.",
                adv("post-walk-strength"),
            )
        )
    return tuple(items)
