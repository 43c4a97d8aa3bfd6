"""The words of a plan: reasons (each with its source) and notices."""

from __future__ import annotations

from walkrx.evidence.findings import FINDINGS
from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS, RED_FLAGS, WHAT_TO_DO
from walkrx.program.goals import WALKBACK_GOAL_WEEK
from walkrx.program.models import Profile, Reason
from walkrx.program.replay import WeekRecord
from walkrx.program.sources import CLINICIAN_SOURCE, adv

__all__ = ["CLINICIAN_SOURCE", "notices_for", "safety_reasons", "level_reasons", "goal_reasons"]


def safety_reasons(rec: WeekRecord) -> tuple[Reason, ...]:
    """Why there are no (or only short) walks this week, by status."""
    st = rec.state
    out: list[Reason] = []
    if st.status == "paused":
        for code in st.open_red_flags:
            flag = RED_FLAGS.get(code)
            if flag is None:
                out.append(
                    Reason(
                        f"Walking is paused ({code}). {WHAT_TO_DO[st.urgency or 'review']}",
                        "nice-ng59",
                    )
                )
            else:
                out.append(
                    Reason(
                        f'Walking is paused: you reported "{flag.question}" {flag.what_to_do}',
                        flag.source,
                    )
                )
        out.append(
            Reason(
                "The program resumes only after a clinician records a clearance (or, if you "
                "have no clinician, after you record that a doctor has reviewed you).",
                "finucane-2020",
            )
        )
    elif st.status == "escalated":
        out.append(
            Reason(
                "After 4 or more weeks of consistent walking you still report pain above 4/10 at "
                "rest, night pain that disturbs sleep, or symptoms spreading down the legs. Stop "
                "walking and see a physiotherapist or doctor; the program resumes after they "
                "clear you.",
                adv("escalate-after-weeks"),
            )
        )
    elif st.status == "flare":
        out.append(
            Reason(
                "Flare-up: rest from longer walks, try an ice pack, and take only gentle walks "
                "of 2-5 minutes. Talk to a health professional about pain relief.",
                adv("flare-relief"),
            )
        )
        out.append(
            Reason(
                "No progression until the pain settles: the flare ends at your next check-in or "
                "walk with all pain scores below 7/10 and no flare reported.",
                adv("flare-relief"),
            )
        )
    return tuple(out)


def level_reasons(rec: WeekRecord, profile: Profile, pain_limit: int) -> tuple[Reason, ...]:
    """Why the sessions have this length and number."""
    out: list[Reason] = []
    lv = rec.level
    if rec.change == "start":
        out.append(
            Reason(
                f"Week 1 starts at {lv.minutes} min on {lv.days} days, from your baseline; "
                "if you do not walk regularly, start with three or four short walks.",
                adv("start-short-walks"),
            )
        )
        out.append(
            Reason(
                "The default build-up: 10 min on 3-4 days, 15 on 4-5, 20 on 5, 25 on 5-6, then "
                "30-45 min on 5-7 days.",
                adv("five-week-template"),
            )
        )
    elif rec.change == "progress":
        out.append(
            Reason(
                f"Last week went well, so this week steps up to {lv.minutes} min on {lv.days} "
                "days (one more day, or 5-10 more minutes).",
                adv("progress-step"),
            )
        )
    elif rec.change == "repeat":
        out.append(
            Reason(
                "Last week fewer than 3 in 4 planned walks or minutes were done, or a walk went "
                f"above your pain limit, so this week repeats {lv.minutes} min on {lv.days} days.",
                adv("progress-step"),
            )
        )
    elif rec.change == "scale-back":
        out.append(
            Reason(
                "After a walk last week your pain was more than 2 points higher than before it, "
                f"so this week's walks are shorter ({lv.minutes} min).",
                adv("scale-back-2-points"),
            )
        )
        out.append(
            Reason(
                "A change of about 2 points on the 0-10 scale is meaningful.",
                "meaningful-pain-change",
            )
        )
    elif rec.change == "restart":
        out.append(
            Reason(
                f"You have been cleared to walk again. The plan restarts gently at {lv.minutes} "
                f"min on {lv.days} days, not where it stopped.",
                adv("start-short-walks"),
            )
        )
    elif rec.change == "after-flare":
        out.append(
            Reason(
                f"Your pain has settled. Walks restart one step below where they were "
                f"({lv.minutes} min).",
                adv("scale-back-2-points"),
            )
        )
    if rec.previous is not None and rec.previous.pain_eased and rec.change != "scale-back":
        out.append(
            Reason(
                "Your pain eased during walks last week: you are on track.",
                adv("pain-eases-on-track"),
            )
        )
    if rec.capped:
        out.append(
            Reason(
                f"This week is limited to {rec.cap} min in total: last week you walked "
                f"{round(rec.achieved_before)} min, and large week-over-week jumps (over 30 %) "
                "have been linked to injuries.",
                "large-jumps-injury",
            )
        )
    limit_src = CLINICIAN_SOURCE if profile.limits.pain_limit is not None else adv("pain-limit-3")
    out.append(Reason(f"Stop a walk if pain goes above {pain_limit}/10.", limit_src))
    if profile.limits.target_minutes or profile.limits.target_days:
        out.append(Reason("Your targets were set by your clinician.", CLINICIAN_SOURCE))
    return tuple(out)


def goal_reasons(
    rec: WeekRecord, profile: Profile, volume_target: int | None
) -> tuple[Reason, ...]:
    """The goal and the evidence behind it, with honest effect sizes."""
    out: list[Reason] = []
    if profile.goal == "prevent-recurrence":
        out.append(
            Reason(
                f"Goal: build up to 30 minutes on 5 days a week by week {WALKBACK_GOAL_WEEK} "
                f"(about 6 months); this is week {rec.index}.",
                "walkback-goal",
            )
        )
        wb = FINDINGS["walkback-result"]
        out.append(Reason(f"{wb.statement} {wb.caveat}", "walkback-result"))
    elif profile.goal == "relieve-pain":
        out.append(
            Reason(
                "Goal: 30-45 minutes on 5-7 days. Walking eases pain a little in the short term "
                "compared with minimal care (a small effect).",
                "walking-effect",
            )
        )
    else:
        plateau = FINDINGS["hunt-plateau"]
        out.append(
            Reason(
                "Goal: more total walking each day, towards about 100 min/day. "
                f"{plateau.statement} {plateau.caveat}",
                "hunt-plateau",
            )
        )
        if volume_target is None:
            out.append(
                Reason(
                    "Record or import your daily walking to get a daily walking target.",
                    adv("progress-step"),
                )
            )
        else:
            out.append(
                Reason(
                    f"Daily walking target this week: {volume_target} min/day in total "
                    "(last week's daily walking plus 5 minutes).",
                    adv("progress-step"),
                )
            )
    out.append(
        Reason(
            "Break up sitting every 30-40 minutes: stand up and move for a few minutes.",
            adv("sitting-reminder"),
        )
    )
    return tuple(out)


def notices_for(rec: WeekRecord) -> tuple[str, ...]:
    """Notices shown with every plan: what to do now (by urgency) and not-a-diagnosis."""
    st = rec.state
    if st.status == "paused" and st.urgency is not None:
        return (WHAT_TO_DO[st.urgency], NOT_A_DIAGNOSIS)
    if st.status == "escalated":
        return (WHAT_TO_DO["review"], NOT_A_DIAGNOSIS)
    return (NOT_A_DIAGNOSIS,)
