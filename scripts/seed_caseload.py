#!/usr/bin/env python
"""Seed a clinician's caseload: N walkers with varied histories, for demos, tests and the bench.

Each walker gets a year (``--days``) of walks, weekly check-ins and imported daily steps,
and one of these stories, in turn: a red-flag pause (emergency, same-day, within days,
of different ages), an escalation, pain rising, a flare-up, no check-in for weeks, low
adherence, a recurrence, or nothing wrong; sessions with the clinician at varied dates.
Rows are bulk-inserted (the stories are data, not service calls), so seeding is quick.

    .venv/bin/python scripts/seed_caseload.py --walkers 200 --days 365 --clinician physio
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from typing import Any

STORIES = (
    "emergency",
    "calm",
    "same-day",
    "pain-rising",
    "calm",
    "escalation",
    "flare",
    "calm",
    "no-checkin",
    "low-adherence",
    "within-days",
    "recurrence",
    "calm",
)
FLAGS = {
    "emergency": "cauda-equina-bladder",
    "same-day": "fever-unwell",
    "within-days": "trauma",
}
ZONES = ("Europe/Oslo", "Europe/London", "America/New_York", "Australia/Sydney")


def seed_caseload(
    walkers: int = 200,
    days: int = 365,
    clinician: str = "physio",
    *,
    seed: int = 7,
    password: str | None = None,
    prefix: str = "w",
) -> dict[str, Any]:
    """Create the clinician (if missing) and ``walkers`` linked walkers; return counts."""
    from django.utils import timezone

    from walkrx import safety
    from walkrx.web.clinic import services as clinic
    from walkrx.web.clinic.models import CareLink, Clinician, ClinicSession
    from walkrx.web.walking import services
    from walkrx.web.walking.models import CheckIn, DailyActivity, SafetyEvent, Walk, Walker

    rng = random.Random(seed)
    found = Clinician.objects.filter(user__username=clinician).first()
    physio = found or clinic.add_clinician(
        clinician, full_name="Pat Physio", clinic="Seeded Clinic", password=password
    )
    now = timezone.now()
    made = {"walks": 0, "checkins": 0, "days": 0, "events": 0, "sessions": 0}
    for i in range(walkers):
        story = STORIES[i % len(STORIES)]
        tz = ZONES[i % len(ZONES)]
        today = services.local_today(tz)
        span = max(14, days - rng.randint(0, days // 3))
        start = today - dt.timedelta(days=span)
        w = Walker.objects.create(
            name=f"{prefix}{i:03d}",
            display_name=f"Walker {i:03d} ({story})",
            age=rng.randint(30, 80),
            goal=rng.choice(["prevent-recurrence", "relieve-pain", "lower-risk"]),
            conditions=rng.choice([[], [], ["spinal-stenosis"], ["disc-herniation"]]),
            tz=tz,
            start_date=start,
            baseline_minutes=rng.choice([5, 10, 15, 20]),
            onboarded=True,
        )
        quiet_from = today - dt.timedelta(
            days=21 if story in ("no-checkin", "low-adherence") else 0
        )
        walks = []
        for d in range(span + 1):
            day = start + dt.timedelta(days=d)
            if story == "low-adherence" and day > quiet_from and rng.random() > 0.1:
                continue  # hardly walking for the last three weeks
            if rng.random() > 0.6:
                continue
            before = rng.randint(1, 4)
            after = max(0, before - rng.randint(-1, 2))
            if story == "pain-rising" and (today - day).days < 6:
                after = min(10, before + 3)
            peak = max(before, after)
            if story == "flare" and (today - day).days <= 2:
                peak = 8
            walks.append(
                Walk(
                    walker=w,
                    start_utc=dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC),
                    tz=tz,
                    local_date=day,
                    minutes=rng.choice([10, 15, 20, 25, 30]),
                    steps=rng.randint(900, 3500),
                    pain_before=before,
                    pain_max=peak,
                    pain_after=after,
                    terrain="flat",
                    source="seed",
                )
            )
        Walk.objects.bulk_create(walks, batch_size=1000)
        checkins = []
        day = start + dt.timedelta(days=6)
        last_checkin = today - dt.timedelta(days=25) if story == "no-checkin" else today
        while day <= last_checkin:
            checkins.append(
                CheckIn(
                    walker=w,
                    date=day,
                    avg_pain=rng.randint(1, 4),
                    worst_pain=rng.randint(3, 6),
                    rest_pain=rng.randint(0, 3),
                    recurrence=story == "recurrence" and (today - day).days < 10,
                )
            )
            day += dt.timedelta(days=7)
        CheckIn.objects.bulk_create(checkins)
        DailyActivity.objects.bulk_create(
            [
                DailyActivity(
                    walker=w,
                    date=start + dt.timedelta(days=d),
                    origin="imported",
                    steps=rng.randint(2000, 11000),
                    walk_min=round(rng.uniform(15, 120), 1),
                    valid_day=True,
                )
                for d in range(span + 1)
            ],
            batch_size=1000,
        )
        # the walker answered the red-flag screen (all "no") on their first day
        events = [
            SafetyEvent(
                walker=w,
                kind="screening",
                at_utc=dt.datetime.combine(start, dt.time(8), tzinfo=dt.UTC),
                by="walker",
                answers=dict.fromkeys(safety.SCREEN_CODES, False),
                note="red-flag screen",
            )
        ]
        if story in FLAGS:
            age_h = rng.randint(1, 24 * 6)
            events.append(
                SafetyEvent(
                    walker=w,
                    kind="red-flag",
                    code=FLAGS[story],
                    urgency={"emergency": "emergency", "same-day": "same-day"}.get(
                        story, "within-days"
                    ),
                    at_utc=now - dt.timedelta(hours=age_h),
                    by="walker",
                    note="seeded",
                )
            )
        if story == "escalation":
            events.append(
                SafetyEvent(
                    walker=w,
                    kind="escalation",
                    at_utc=now - dt.timedelta(days=rng.randint(1, 9)),
                    by="walkrx",
                    note="seeded",
                )
            )
        for e in events:
            e.save()
        link = CareLink.objects.create(
            walker=w,
            clinician=physio,
            started_at=dt.datetime.combine(start, dt.time(8), tzinfo=dt.UTC),
            started_by="seed",
        )
        w.clinician = physio.user
        w.save(update_fields=["clinician"])
        held = min(6, span // 35)
        sessions = [
            ClinicSession(
                walker=w,
                clinician=physio,
                date=start + dt.timedelta(days=30 * k),
                kind="first-assessment" if k == 0 else rng.choice(["follow-up", "phone"]),
                agreed="seeded session",
                next_date=(
                    start + dt.timedelta(days=30 * k + rng.randint(20, 70))
                    if k == held - 1
                    else None
                ),
            )
            for k in range(held)
        ]
        ClinicSession.objects.bulk_create(sessions)
        del link
        made["walks"] += len(walks)
        made["checkins"] += len(checkins)
        made["days"] += span + 1
        made["events"] += len(events) - 1  # not counting the screening
        made["sessions"] += len(sessions)
    return {"clinician": physio.username, "walkers": walkers} | made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--walkers", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--clinician", default="physio")
    parser.add_argument("--password", help="sign-in password for a new clinician")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from walkrx.cli._django import setup

    setup()
    t0 = time.perf_counter()
    counts = seed_caseload(
        args.walkers, args.days, args.clinician, seed=args.seed, password=args.password
    )
    print(f"seeded {counts} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
