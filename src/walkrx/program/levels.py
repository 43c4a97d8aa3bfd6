"""Walking levels (minutes per session × days per week) and how they move.

Rules (each cited in ``docs/engines.md``):

* **Template** (seed advice ``five-week-template``): 10×3 → 15×4 → 20×5 → 25×5
  → 30×5. walkrx plans the lower end of each range of the seed (3–4, 4–5,
  5–6, 5–7 days; 30–45 min); a clinician may set a higher target.
* **Progression** after a good week. In program weeks 1–5 a walker on the
  template takes its next step as written (EVIDENCE §6: the template rises 60–100 %
  a week from a very low start; follow it, and apply the jump cap only beyond it).
  After that (seed advice ``progress-step`` and ``progress-percent``): one more day
  per week while below the target days, **or** (at the target days) longer walks:
  +5 min per walk below 30 min, then +10 % (at least 2 min), up to the target
  minutes — a day or minutes, never both.
* **Scale back** after a pain rise > 2 points (seed advice
  ``scale-back-2-points``): session minutes drop to the shorter of one step
  back (−5 min) and −25 %, never below 5 min; days unchanged.
* **Restart** after a pause or escalation is cleared: the week-1 level (10×3,
  or lower if the target is lower), never where the walker stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "MIN_SESSION_MIN",
    "START_LEVEL",
    "TEMPLATE",
    "Level",
    "TEMPLATE_WEEKS",
    "next_level",
    "template_step",
    "restart_level",
    "scale_back",
    "start_level",
]

#: Shortest planned session outside flare mode (minutes).
MIN_SESSION_MIN = 5


@dataclass(frozen=True)
class Level:
    """Minutes per session and walking days per week."""

    minutes: int
    days: int

    @property
    def weekly_minutes(self) -> int:
        """Planned minutes per week at this level."""
        return self.minutes * self.days


#: The seed's 5-week template, lower end of each range.
TEMPLATE: tuple[Level, ...] = (
    Level(10, 3),
    Level(15, 4),
    Level(20, 5),
    Level(25, 5),
    Level(30, 5),
)
START_LEVEL = TEMPLATE[0]
#: Program weeks in which the template is followed as written.
TEMPLATE_WEEKS = len(TEMPLATE)


def _clip(level: Level, target: Level) -> Level:
    return Level(max(1, min(level.minutes, target.minutes)), max(1, min(level.days, target.days)))


def start_level(baseline: Level | None, target: Level) -> Level:
    """Choose week 1 from the baseline (``None`` = not walking regularly).

    The highest template level the baseline already covers (both minutes and
    days), within the target; below the first template level, the first one
    (10×3, seed advice ``start-short-walks``). A walker already beyond the
    template's end keeps their level (at most 45 min, at most 7 days) - the
    plan does not cut back someone who walks more than the target.
    """
    if baseline is None:
        return _clip(START_LEVEL, target)
    covered = [lv for lv in TEMPLATE if lv.minutes <= baseline.minutes and lv.days <= baseline.days]
    if not covered:
        return _clip(START_LEVEL, target)
    if covered[-1] == TEMPLATE[-1]:
        return Level(min(baseline.minutes, max(target.minutes, 45)), min(baseline.days, 7))
    return _clip(covered[-1], target)


def template_step(level: Level, target: Level) -> Level | None:
    """The template's next level after ``level`` (clipped to the target), or ``None`` off it."""
    if level not in TEMPLATE or level == TEMPLATE[-1]:
        return None
    nxt = _clip(TEMPLATE[TEMPLATE.index(level) + 1], target)
    return nxt if nxt != level else None


def next_level(level: Level, target: Level, template_week: bool = False) -> Level:
    """Progress one step after a good week (never beyond the target; never down).

    ``template_week``: the new week is one of weeks 1–5, where a template level
    takes the template's next step. Otherwise one more day **or** longer walks.
    """
    if template_week:
        step = template_step(level, target)
        if step is not None:
            return step
    if level.days < target.days:
        return Level(level.minutes, level.days + 1)
    if level.minutes >= target.minutes:
        return level
    if level.minutes < 30:
        minutes = min(level.minutes + 5, target.minutes)
    else:
        minutes = min(level.minutes + max(2, round(level.minutes * 0.10)), target.minutes)
    return Level(minutes, level.days)


def scale_back(level: Level) -> Level:
    """Shorter sessions after a pain rise: min(−5 min, −25 %), floor 5 min."""
    shorter = min(level.minutes - 5, (level.minutes * 3) // 4)
    return Level(max(MIN_SESSION_MIN, shorter), level.days)


def restart_level(target: Level) -> Level:
    """The safe level to restart from after a pause or escalation is cleared."""
    return _clip(START_LEVEL, target)
