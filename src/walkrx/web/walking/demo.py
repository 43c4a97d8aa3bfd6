"""The demo walker: a few weeks of walks, pain scores, check-ins and a plan.

Built through the service layer, so the demo follows the same rules as real use:
each week the demo walker does (almost) what the plan asked, with pain that eases.
Deterministic: the same day gives the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from walkrx.evidence.red_flags import SCREEN_CODES

from . import services
from .models import Walker

DEMO_NAME = "demo"
DEMO_USER = "demo"
DEMO_PASSWORD = "walk-demo-2026"
DEMO_WEEKS = 4


@transaction.atomic
def ensure_demo(today: dt.date | None = None) -> dict[str, Any]:
    """Create the demo walker and its history unless it exists; return how to sign in."""
    info = {"username": DEMO_USER, "password": DEMO_PASSWORD, "walker": DEMO_NAME}
    if Walker.objects.filter(name=DEMO_NAME).exists():
        return info
    tz = "Europe/Oslo"
    today = today or services.local_today(tz)
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=DEMO_WEEKS)
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USER).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_USER, password=DEMO_PASSWORD)
    walker = services.create_walker(
        name=DEMO_NAME,
        display_name="Demo Walker",
        age=58,
        goal="relieve-pain",
        conditions=[],
        tz=tz,
        start_date=start,
        baseline_minutes=0,
        user=user,
        screening=dict.fromkeys(SCREEN_CODES, False),
    )
    walker.onboarded = True
    walker.save(update_fields=["onboarded"])
    rng = random.Random(20261122)
    pain = 5
    for week in range(DEMO_WEEKS + 1):  # the past weeks and this week up to yesterday
        week_start = start + dt.timedelta(weeks=week)
        plan = services.plan_for(walker, week_start)
        for i, session in enumerate(plan.sessions):
            if session.date >= today or rng.random() < 0.1:
                continue  # an occasional missed walk keeps the demo honest
            before = max(1, pain - rng.choice([0, 1]))
            after = max(0, before - rng.choice([0, 1, 1]))
            services.log_walk(
                walker,
                local_date=session.date,
                minutes=float(session.minutes),
                start_time=dt.time(8 + (i % 3) * 4, 30),
                steps=int(session.minutes * rng.uniform(95, 110)),
                pain_before=before,
                pain_max=min(10, before + 1),
                pain_after=after,
                terrain="flat",
                source="demo",
            )
        pain = max(2, pain - 1)
        checkin_day = week_start + dt.timedelta(days=6)
        if checkin_day < today:
            services.record_checkin(
                walker,
                date=checkin_day,
                avg_pain=pain,
                worst_pain=pain + 1,
                rest_pain=max(0, pain - 2),
            )
    return info
