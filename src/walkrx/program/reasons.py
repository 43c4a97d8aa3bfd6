"""The words of a plan: reasons (each with its source) and notices."""

from __future__ import annotations

from walkrx.evidence.findings import FINDINGS
from walkrx.evidence.red_flags import RED_FLAGS, WHAT_TO_DO
from walkrx.program.goals import WALKBACK_GOAL_WEEK
from walkrx.program.levels import TEMPLATE
from walkrx.program.models import Profile, Reason
from walkrx.program.replay import WeekRecord
from walkrx.program.sources import CLINICIAN_SOURCE, adv
from walkrx.safety.state import SCREEN_ADVICE

__all__ = ["CLINICIAN_SOURCE", "notices_for", "safety_reasons", "level_reasons", "goal_reasons"]


def _escalation_text(why: tuple[str, ...]) -> tuple[str, str]:
    if "leg-symptoms-new" in why:
        return (
            "You reported symptoms spreading down your legs. Stop walking and see a "
            "physiotherapist or doctor within the next few days; the program resumes after they "
            "clear you. If a leg or foot becomes numb or weak, or both legs are affected, get "
            "seen today.",
            "nice-cks-sciatica",
        )
    words = {
        "rest-pain": "pain above 4/10 at rest",
        "night-pain": "night pain that disturbs your sleep",
        "leg-symptoms": "symptoms spreading down your legs",
    }
    said = ", ".join(words[w] for w in why if w in words) or "symptoms that need a review"
    return (
        f"After 4 weeks in the program you still report {said}. This is not about how many "
        "walks you managed. Stop walking and see a physiotherapist or doctor; the program "
        "resumes after they clear you.",
        adv("escalate-after-weeks"),
    )


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
        same_day = st.urgency in ("emergency", "same-day")
        out.append(
            Reason(
                "The program resumes only after your clinician records a clearance, or, if you "
                "have no clinician, after you record that a doctor or physiotherapist has "
                "assessed you and answer the red-flag questions again"
                + (" (from the day after the flag)." if same_day else "."),
                "finucane-2020",
            )
        )
    elif st.status == "unscreened":
        out.append(Reason(SCREEN_ADVICE + " No walks are planned until then.", "finucane-2020"))
    elif st.status == "escalated":
        out.append(Reason(*_escalation_text(st.escalation_reasons)))
    elif st.status == "flare":
        if st.flare_level == "high":
            out.append(
                Reason(
                    "Your back is highly flared up (you said so, or your pain reached 7/10 or "
                    "more), so no walks are planned. Rest, use an ice pack on the painful area, "
                    "and talk to a health professional about pain relief.",
                    adv("flare-high"),
                )
            )
        else:
            out.append(
                Reason(
                    "Moderate flare-up: only short, gentle walks of 2-5 minutes this week; they "
                    "can ease stiffness.",
                    adv("flare-moderate"),
                )
            )
        pre = rec.pre_flare_level
        back_to = f"{pre}/10 or less" if pre is not None else "where it was before the flare"
        out.append(
            Reason(
                f"No step up until the flare settles: when your pain is back to {back_to} on "
                "two reports at least a day apart, with no flare reported, walks restart one "
                "step below where they were.",
                adv("flare-relief"),
            )
        )
    if st.open_reviews and st.status in ("active", "flare"):
        out.append(
            Reason(
                "You said this new episode of back pain has not improved at all in 4-6 weeks: "
                "book a review with a physiotherapist or doctor. Keep walking within your pain "
                "rules until then.",
                "nice-ng59",
            )
        )
    return tuple(out)


def _repeat_text(rec: WeekRecord) -> str:
    prev = rec.previous
    lv = rec.level
    if prev is None:
        return f"This week repeats {lv.minutes} min on {lv.days} days."
    what: list[str] = []
    if prev.limit_breach:
        what.append("a walk went above your pain limit and above your pain before it")
    if prev.meaningful_rise:
        what.append("your pain after a walk was 2 points higher than before (a meaningful change)")
    if not prev.consistent:
        what.append(f"you walked {prev.done_sessions} of {prev.planned_sessions} planned walks")
    elif not prev.enough_minutes:
        what.append(
            f"you walked {round(prev.done_minutes)} of {prev.planned_minutes} planned minutes"
        )
    said = "; ".join(what) or "last week was not complete yet"
    return f"Last week {said}, so this week repeats {lv.minutes} min on {lv.days} days."


def level_reasons(rec: WeekRecord, profile: Profile, pain_limit: int) -> tuple[Reason, ...]:
    """Why the sessions have this length and number (only the rules that acted)."""
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
        if rec.template_week and lv in TEMPLATE:
            out.append(
                Reason(
                    f"Last week went well, so this week takes the next step of the 5-week "
                    f"build-up: {lv.minutes} min on {lv.days} days.",
                    adv("five-week-template"),
                )
            )
        else:
            before = rec.previous_level
            step = (
                "one more walking day"
                if before is not None and lv.days > before.days
                else "longer walks"
            )
            out.append(
                Reason(
                    f"Last week went well, so this week adds {step}: {lv.minutes} min on "
                    f"{lv.days} days (a day or 5-10 minutes, not both).",
                    adv("progress-step"),
                )
            )
    elif rec.change == "repeat":
        out.append(Reason(_repeat_text(rec), adv("progress-step")))
    elif rec.change == "scale-back":
        floor = rec.previous_level is not None and lv.minutes >= rec.previous_level.minutes
        out.append(
            Reason(
                "After a walk last week your pain was more than 2 points higher than before it, "
                + (
                    f"and your walks are already the shortest ({lv.minutes} min). If walking "
                    "keeps raising your pain, talk to your physiotherapist or doctor."
                    if floor
                    else f"so this week's walks are shorter ({lv.minutes} min)."
                ),
                adv("scale-back-2-points"),
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
                f"Your pain has settled after the flare-up. Walks restart one step below where "
                f"they were ({lv.minutes} min).",
                adv("scale-back-2-points"),
            )
        )
    elif (
        rec.change == "hold"
        and rec.previous is not None
        and rec.previous.planned_sessions == 0
        and rec.sessions
    ):
        out.append(
            Reason(
                f"Your walks start this week at {lv.minutes} min on {lv.days} days.",
                adv("start-short-walks"),
            )
        )
    elif rec.change == "at-target":
        out.append(
            Reason(
                f"Last week went well and you are at your target of {lv.minutes} min on "
                f"{lv.days} days: keep it up.",
                adv("progress-step"),
            )
        )
    elif rec.change == "after-flare-hold":
        out.append(
            Reason(
                "Last week you were coming back from a flare-up, so this week stays at "
                f"{lv.minutes} min on {lv.days} days.",
                adv("flare-relief"),
            )
        )
    elif rec.change == "flare-hold":
        out.append(
            Reason(
                "You had a flare-up this week, so the plan does not step up.",
                adv("flare-relief"),
            )
        )
    if rec.scaled_back_on is not None:
        out.append(
            Reason(
                f"On {rec.scaled_back_on.isoformat()} your pain after the walk was more than 2 "
                f"points higher than before it, so the rest of this week's walks are shorter "
                f"({rec.scaled_minutes} min).",
                adv("scale-back-2-points"),
            )
        )
    if rec.change == "scale-back" or rec.scaled_back_on is not None:
        out.append(
            Reason(
                "A change of about 2 points on the 0-10 scale is meaningful.",
                "meaningful-pain-change",
            )
        )
    if rec.previous is not None and rec.previous.pain_eased and rec.change == "progress":
        out.append(
            Reason(
                "Your pain eased during walks last week: you are on track.",
                adv("pain-eases-on-track"),
            )
        )
    if rec.capped:
        # first: it is what set this week's walks, whatever the step above would have been
        out.insert(
            0,
            Reason(
                f"This week is limited to {rec.cap} min in total: last week you walked "
                f"{round(rec.achieved_before)} min, and large week-over-week jumps (over 30 %) "
                "have been linked to injuries.",
                "large-jumps-injury",
            ),
        )
    limit_src = CLINICIAN_SOURCE if profile.limits.pain_limit is not None else adv("pain-limit-3")
    out.append(
        Reason(
            f"Stop a walk if your pain goes above {pain_limit}/10 and above where it was before "
            "the walk.",
            limit_src,
        )
    )
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
    """Notices shown with every plan: what to do now, and the not-a-diagnosis notice."""
    return rec.state.advice
