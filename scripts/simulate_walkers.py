"""Simulate walkers for 26 weeks through the plan and safety engines and print each trajectory.

Each persona is a profile plus a behaviour: which planned walks they do, with what pain,
what they answer at a weekly check-in (Friday evening), and when a clinician clears them
after a stop. Everything else is the engines' decision. Per week the table shows the
planned sessions (walks x minutes), the week's total, the status and the main reason.
Consecutive identical weeks are shown as one row ("7-26").

    python scripts/simulate_walkers.py            # all personas, Markdown tables
    python scripts/simulate_walkers.py --persona stenosis --weeks 12
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from walkrx.evidence.red_flags import SCREEN_CODES
from walkrx.program import CheckIn, ClinicianLimits, History, Profile, Walk, WeekPlan, plan_week
from walkrx.safety import SafetyEvent

START = date(2026, 1, 5)  # a Monday
SCREENED = SafetyEvent(
    "screening",
    datetime(2026, 1, 5, 7, tzinfo=UTC),
    answers=tuple((c, False) for c in SCREEN_CODES),
)

#: (week index, plan) -> walks done that week
WalkModel = Callable[[int, WeekPlan], tuple[Walk, ...]]
#: week index -> the check-in of that week (or None)
CheckInModel = Callable[[int], CheckIn | None]


def friday(n: int) -> date:
    return START + timedelta(weeks=n - 1, days=4)


def walks(before: int, peak: int, after: int, share: float = 1.0) -> WalkModel:
    """Do ``share`` of the planned walks, in full, with these pain scores."""

    def model(n: int, plan: WeekPlan) -> tuple[Walk, ...]:
        k = round(len(plan.sessions) * share)
        return tuple(
            Walk(s.date, s.minutes, pain_before=before, pain_max=peak, pain_after=after)
            for s in plan.sessions[:k]
        )

    return model


def checkins(**answers: object) -> CheckInModel:
    """The same answers every Friday."""

    def model(n: int) -> CheckIn | None:
        d = friday(n)
        return CheckIn(d, at_utc=datetime.combine(d, time(18), tzinfo=UTC), **answers)  # type: ignore[arg-type]

    return model


@dataclass
class Persona:
    key: str
    title: str
    profile: Profile
    walk: WalkModel
    checkin: CheckInModel
    clinician_clears: bool = False  # a clinician clears on the Monday after a stop
    extra: dict[int, list[CheckIn]] = field(default_factory=dict)  # week -> more check-ins


def _p(**kw: object) -> Profile:
    kw.setdefault("age", 50)
    kw.setdefault("goal", "relieve-pain")
    return Profile(program_start=START, **kw)  # type: ignore[arg-type]


def _flare_week(n: int, pain: int, flagged: bool, highly: bool) -> CheckInModel:
    calm = checkins(avg_pain=2, worst_pain=2, rest_pain=1)

    def model(w: int) -> CheckIn | None:
        if w == n:
            d = friday(w) - timedelta(days=3)  # Tuesday
            return CheckIn(
                d,
                avg_pain=pain,
                worst_pain=pain,
                flare=flagged,
                highly_flared=highly,
                at_utc=datetime.combine(d, time(18), tzinfo=UTC),
            )
        return calm(w)

    return model


def _flare_walks(n: int, pain: int) -> WalkModel:
    usual = walks(2, 2, 2)

    def model(w: int, plan: WeekPlan) -> tuple[Walk, ...]:
        done = usual(w, plan)
        if w == n:  # the flare started after Tuesday: walks on Mon-Tue only, then at flare pain
            return tuple(
                x if x.date.weekday() < 2 else Walk(x.date, x.minutes, pain, pain, pain)
                for x in done
            )
        return done

    return model


def _nothing_for(weeks: range) -> WalkModel:
    usual = walks(2, 2, 2)

    def model(w: int, plan: WeekPlan) -> tuple[Walk, ...]:
        return () if w in weeks else usual(w, plan)

    return model


def _two_of_three_symptoms(n: int) -> CheckIn | None:
    d = friday(n)
    return CheckIn(
        d,
        avg_pain=6,
        worst_pain=7,
        rest_pain=6,
        night_pain=True,
        leg_symptoms=True,
        at_utc=datetime.combine(d, time(18), tzinfo=UTC),
    )


SURGERY = START - timedelta(days=7)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "beginner",
        "Beginner, stable pain 2/10, does every walk",
        _p(),
        walks(2, 2, 2),
        checkins(avg_pain=2, worst_pain=2, rest_pain=1),
    ),
    Persona(
        "rise-2",
        "Pain rises 2 points on every walk (2 -> 4)",
        _p(limits=ClinicianLimits(pain_limit=5)),
        walks(2, 4, 4),
        checkins(avg_pain=3, worst_pain=4, rest_pain=2),
    ),
    Persona(
        "rise-3",
        "Pain rises 3 points on every walk (2 -> 5)",
        _p(),
        walks(2, 5, 5),
        checkins(avg_pain=3, worst_pain=5, rest_pain=2),
    ),
    Persona(
        "high-flare",
        "Highly flared in week 3 (8/10), back to 2/10 from week 4",
        _p(),
        _flare_walks(3, 8),
        _flare_week(3, 8, True, True),
        extra={4: [CheckIn(START + timedelta(weeks=3, days=1), avg_pain=2, worst_pain=2)]},
    ),
    Persona(
        "moderate-flare",
        "Moderate flare in week 4 (5/10, says it is a flare), settles in week 5",
        _p(),
        _flare_walks(4, 5),
        _flare_week(4, 5, True, False),
        extra={5: [CheckIn(START + timedelta(weeks=4, days=1), avg_pain=2, worst_pain=2)]},
    ),
    Persona(
        "gap-3-weeks",
        "Walks nothing in weeks 3-5, then every walk again",
        _p(),
        _nothing_for(range(3, 6)),
        checkins(avg_pain=2, worst_pain=3, rest_pain=1),
    ),
    Persona(
        "aged-78",
        "Aged 78, not walking at all before",
        _p(age=78, baseline_daily_min=0, goal="prevent-recurrence"),
        walks(3, 3, 2),
        checkins(avg_pain=3, worst_pain=3, rest_pain=2),
    ),
    Persona(
        "walks-60",
        "Already walking 60 min a day",
        _p(baseline_daily_min=60, goal="lower-risk"),
        walks(1, 1, 1),
        checkins(avg_pain=1, worst_pain=2, rest_pain=0),
    ),
    Persona(
        "chronic-5",
        "Chronic pain 5/10 at rest that eases with walking (5 -> 4 -> 3); clinician clears",
        _p(),
        walks(5, 4, 3),
        checkins(avg_pain=5, worst_pain=6, rest_pain=5),
        clinician_clears=True,
    ),
    Persona(
        "symptoms-2-of-3",
        "Rest pain 6, night pain, leg symptoms; does 2 of 3 walks",
        _p(),
        walks(5, 6, 6, share=2 / 3),
        _two_of_three_symptoms,
    ),
    Persona(
        "stenosis",
        "Spinal stenosis, stable pain",
        _p(age=70, conditions=frozenset({"spinal-stenosis"})),
        walks(3, 3, 3),
        checkins(avg_pain=3, worst_pain=4, rest_pain=2),
    ),
    Persona(
        "microdiscectomy",
        "After microdiscectomy (a week before the start), cleared 3 weeks after surgery",
        _p(
            conditions=frozenset({"microdiscectomy"}),
            surgery_date=SURGERY,
            limits=ClinicianLimits(microdiscectomy_cleared_on=SURGERY + timedelta(days=21)),
        ),
        walks(2, 2, 2),
        checkins(avg_pain=2, worst_pain=3, rest_pain=1),
    ),
)

_PRIORITY = (
    "Walking is paused",
    "red-flag questions",
    "Stop walking",
    "flared up",
    "flare-up",
    "No walks before",
    "No clinician clearance",
    "limited to",
    "the rest of this week's walks are shorter",
    "Last week",
    "cleared to walk",
    "settled",
    "Week 1 starts",
)


def main_reason(plan: WeekPlan) -> str:
    """The reason that says why this week looks as it does (the first that explains)."""
    for needle in _PRIORITY:
        for r in plan.reasons:
            if needle.lower() in r.text.lower():
                return r.text
    return plan.reasons[0].text if plan.reasons else ""


def describe(plan: WeekPlan) -> str:
    """Walks x minutes, grouped by length; bouts when a walk is split."""
    if not plan.sessions:
        return "-"
    groups: dict[tuple[int, int], int] = {}
    for s in plan.sessions:
        groups[(s.minutes, s.bouts)] = groups.get((s.minutes, s.bouts), 0) + 1
    parts = []
    for (minutes, bouts), count in groups.items():
        split = f" ({bouts} bouts)" if bouts > 1 else ""
        parts.append(f"{count} x {minutes}{split}")
    return " + ".join(parts)


def run(persona: Persona, weeks: int) -> list[tuple[int, str, int, str, str]]:
    h = History(safety_events=(SCREENED,))
    rows: list[tuple[int, str, int, str, str]] = []
    for n in range(1, weeks + 1):
        ws = START + timedelta(weeks=n - 1)
        extra = tuple(persona.extra.get(n, ()))
        ci = persona.checkin(n)
        cis = h.checkins + extra + ((ci,) if ci is not None else ())
        # walks are logged as they happen; the check-in on Friday may change the week
        plan = plan_week(
            persona.profile, History(h.walks, h.checkins + extra, (), h.safety_events), ws
        )
        done = persona.walk(n, plan) if plan.status in ("active", "flare") else ()
        h = History(h.walks + done, cis, (), h.safety_events)
        shown = plan_week(persona.profile, h, ws)
        sessions = describe(shown)
        status = shown.status + (f" ({shown.flare_level})" if shown.flare_level else "")
        rows.append((n, sessions, shown.total_minutes, status, main_reason(shown)))
        if persona.clinician_clears and shown.status in ("escalated", "paused"):
            monday = ws + timedelta(days=7)
            clear = SafetyEvent(
                "clinician-clearance",
                datetime.combine(monday, time(9), tzinfo=UTC),
                by="physio-kim",
                note="assessed: chronic pain that eases with walking; continue",
            )
            h = History(h.walks, h.checkins, (), h.safety_events + (clear,))
    return rows


def table(persona: Persona, weeks: int) -> str:
    rows = run(persona, weeks)
    out = [
        f"**{persona.title}** (`{persona.key}`)",
        "",
        "| week | walks x min | min/week | status | main reason |",
        "|---|---|---|---|---|",
    ]
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1][1:] == rows[i][1:]:
            j += 1
        n, sessions, total, status, reason = rows[i]
        label = f"{n}" if i == j else f"{n}-{rows[j][0]}"
        out.append(f"| {label} | {sessions} | {total} | {status} | {reason} |")
        i = j + 1
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persona", choices=[p.key for p in PERSONAS])
    ap.add_argument("--weeks", type=int, default=26)
    args = ap.parse_args()
    for persona in PERSONAS:
        if args.persona and persona.key != args.persona:
            continue
        print(table(persona, args.weeks))


if __name__ == "__main__":
    main()
