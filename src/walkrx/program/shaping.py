"""Condition and preference rules that shape each session (mode, aids, terrain, bouts).

* spinal stenosis → bouts of at most 10 min with rests, forward-leaning support
  (trolley/rollator); treadmill is an option (finding ``stenosis-flexed``;
  "≤ 10-min bouts" is seed advice ``stenosis-bouts``, so a clinician's
  ``bout_cap_min`` replaces it).
* recent disc herniation → pool walking (seed advice ``disc-pool``; evidence:
  water-based exercise is an option, no better than land).
* spondylolisthesis → poles (optional; no evidence they reduce pain), flat
  terrain, no hills or stairs (seed advice ``spondylolisthesis-poles``). Not
  in the pool or on a treadmill, and not together with forward-leaning support
  (both hands are on the rollator or trolley).
* after microdiscectomy → treadmill (seed advice ``microdiscectomy-treadmill``),
  no session before day 14 after surgery nor before a recorded clinician
  clearance; structured programmes usually start 4–6 weeks after surgery
  (finding ``microdiscectomy-start``). Treadmill takes precedence over the pool
  (a fresh wound should not go in a pool).
* Everyone walks on flat ground while the back is bothering (seed advice
  ``flat-terrain``); ``split_sessions`` splits walks of 20 min or more into
  two bouts (seed advice ``split-walks``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from walkrx.program.models import Aid, Mode, Profile, Reason, Terrain
from walkrx.program.sources import CLINICIAN_SOURCE, adv

__all__ = [
    "STENOSIS_BOUT_MAX_MIN",
    "SessionShape",
    "condition_reasons",
    "earliest_session_date",
    "session_shape",
    "split_bouts",
]

STENOSIS_BOUT_MAX_MIN = 10
MICRODISCECTOMY_MIN_DAYS = 14


@dataclass(frozen=True)
class SessionShape:
    """How every session of the week is walked."""

    mode: Mode
    aids: tuple[Aid, ...]
    terrain: Terrain
    bout_cap_min: int | None
    split: bool


def session_shape(profile: Profile) -> SessionShape:
    """Mode, aids, terrain and bout rules from conditions and preferences."""
    cond = profile.conditions
    mode: Mode
    if "microdiscectomy" in cond:
        mode = "treadmill"
    elif "disc-herniation" in cond:
        mode = "pool"
    elif profile.preferences.setting == "indoor":
        mode = "treadmill"
    else:
        mode = "outdoor"
    aids: list[Aid] = []
    if "spinal-stenosis" in cond and mode != "pool":
        aids.append("forward-leaning-support")
    if "spondylolisthesis" in cond and mode not in ("pool", "treadmill") and not aids:
        aids.append("poles")  # optional; not with a rollator/trolley (hands are on it)
    terrain: Terrain = "flat"
    if mode == "pool":
        terrain = "pool"
    elif mode == "treadmill":
        terrain = "treadmill"
    # The clinician's bout cap overrides the seed's 10-min stenosis default (advice).
    bout_cap = profile.limits.bout_cap_min
    if bout_cap is None and "spinal-stenosis" in cond:
        bout_cap = STENOSIS_BOUT_MAX_MIN
    return SessionShape(
        mode=mode,
        aids=tuple(aids),
        terrain=terrain,
        bout_cap_min=bout_cap,
        split=profile.preferences.split_sessions,
    )


def split_bouts(minutes: int, bout_cap_min: int | None, split: bool) -> tuple[int, ...]:
    """Split ``minutes`` into near-equal whole-minute bouts, none longer than the cap."""
    if minutes <= 0:
        return ()
    n = 1
    if bout_cap_min is not None:
        n = max(n, math.ceil(minutes / bout_cap_min))
    if split and minutes >= 20:
        n = max(n, 2)
    base, extra = divmod(minutes, n)
    return tuple(base + 1 if i < extra else base for i in range(n))


def earliest_session_date(profile: Profile) -> date | None:
    """First date a session may be planned on after microdiscectomy, or ``None`` (no limit).

    Returns ``date.max`` while no clinician clearance is recorded.
    """
    if "microdiscectomy" not in profile.conditions:
        return None
    cleared = profile.limits.microdiscectomy_cleared_on
    if cleared is None:
        return date.max
    earliest = cleared
    if profile.surgery_date is not None:
        earliest = max(earliest, profile.surgery_date + timedelta(days=MICRODISCECTOMY_MIN_DAYS))
    return earliest


def condition_reasons(profile: Profile, shape: SessionShape) -> tuple[Reason, ...]:
    """Reasons for each condition and preference rule that shaped the sessions."""
    out: list[Reason] = []
    cond = profile.conditions
    if "spinal-stenosis" in cond:
        out.append(
            Reason(
                f"Spinal stenosis: walks are split into bouts of up to {shape.bout_cap_min} "
                "minutes with a rest between them (sit, or bend forward, until symptoms ease).",
                CLINICIAN_SOURCE
                if profile.limits.bout_cap_min is not None
                else adv("stenosis-bouts"),
            )
        )
        out.append(
            Reason(
                "Leaning forward on a trolley or rollator often lets people with stenosis walk "
                "further; cycling is another option that bends you forward, and walking on a "
                "treadmill is used in studies.",
                "stenosis-flexed",
            )
        )
    if "disc-herniation" in cond and shape.mode == "pool":
        out.append(Reason("Recent disc herniation: walks are planned in a pool.", adv("disc-pool")))
        out.append(
            Reason(
                "Walking in water is one option; it is not better than walking on land, so "
                "land walking is fine when it suits you.",
                "disc-herniation-water",
            )
        )
    if "spondylolisthesis" in cond:
        out.append(
            Reason(
                "Spondylolisthesis: walk on flat ground and avoid hills and stairs; walking "
                "poles are optional.",
                adv("spondylolisthesis-poles"),
            )
        )
        out.append(
            Reason(
                "There is no evidence that poles reduce pain; use them if they help you feel "
                "steady.",
                "poles-no-evidence",
            )
        )
    if "microdiscectomy" in cond:
        out.append(
            Reason(
                "After microdiscectomy: treadmill walks, none before 14 days after the operation "
                "and only once your surgeon or clinician has cleared you.",
                adv("microdiscectomy-treadmill"),
            )
        )
        out.append(
            Reason(
                "Early gentle walking after surgery is safe; structured exercise programmes "
                "usually start 4-6 weeks after the operation.",
                "microdiscectomy-start",
            )
        )
        if profile.limits.microdiscectomy_cleared_on is None:
            out.append(
                Reason(
                    "No clinician clearance is recorded yet, so no walks are planned. Ask your "
                    "surgeon or physiotherapist to record it.",
                    adv("microdiscectomy-treadmill"),
                )
            )
    if shape.terrain == "flat":
        out.append(
            Reason(
                "Walk on flat ground (a track or level path) while your back is bothering you.",
                adv("flat-terrain"),
            )
        )
    if shape.split:
        out.append(Reason("Walks of 20 minutes or more are split into two.", adv("split-walks")))
    return tuple(out)
