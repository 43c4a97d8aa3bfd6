"""A walker's report over a period: the numbers (``report_data``) and the PDF (``render_pdf``).

The numbers come from the stored rows and the plan engine; the PDF is drawn with
reportlab, charts included, in black, white and grey with shapes and dash patterns so
it reads when printed in black and white. The same data gives the same bytes
(reportlab's invariant mode): the only date that changes is the generation line.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
from typing import Any

from walkrx import program
from walkrx.evidence.cite import cite
from walkrx.evidence.findings import finding
from walkrx.evidence.hunt import hunt_volume_category
from walkrx.evidence.red_flags import NOT_A_DIAGNOSIS
from walkrx.timeutil import monday_of
from walkrx.web.walking import services as walking
from walkrx.web.walking.models import Walker

from ..models import SESSION_KINDS
from .links import linked_clinician

MAX_DAYS = 731


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def report_data(walker: Walker, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Everything the report shows for ``[start, end]`` (walker-local dates), JSON-able."""
    if end < start:
        raise walking.ServiceError("the report period must end on or after its start")
    if (end - start).days > MAX_DAYS:
        raise walking.ServiceError("a report covers at most two years")
    today = walking.local_today(walker.tz)
    walks = list(
        walker.walks.filter(local_date__gte=start, local_date__lte=end).order_by("start_utc")
    )
    checkins = list(
        walker.checkins.filter(date__gte=start, date__lte=end).order_by("date", "created_at")
    )
    events = [
        e
        for e in walker.safety_events.order_by("at_utc", "id")
        if start <= e.at_utc.astimezone(walker.zone).date() <= end
    ]
    sessions = list(
        walker.clinic_sessions.filter(date__gte=start, date__lte=end)
        .select_related("clinician")
        .order_by("date", "id")
    )
    # plan vs done per program week in the period (weeks not yet reached are not planned)
    first = max(monday_of(start), monday_of(walker.start_date))
    last = min(monday_of(end), monday_of(max(today, walker.start_date)))
    planned: dict[dt.date, int] = {}
    if first <= last:
        records = program.replay_weeks(
            walking.build_profile(walker), walking.build_history(walker), last
        )
        planned = {r.week_start: len(r.sessions) for r in records if r.week_start >= first}
    weeks = []
    ws = monday_of(start)
    while ws <= end:
        in_week = [w for w in walks if ws <= w.local_date < ws + dt.timedelta(days=7)]
        weeks.append(
            {
                "week_start": ws.isoformat(),
                "planned": planned.get(ws),
                "done": len({w.local_date for w in in_week}),
                "minutes": round(sum(w.minutes for w in in_week)),
            }
        )
        ws += dt.timedelta(days=7)
    before = [w.pain_before for w in walks if w.pain_before is not None]
    after = [w.pain_after for w in walks if w.pain_after is not None]
    # HUNT band: median walking minutes per day (device days when there are any)
    daily = walking.daily_walking(walker, start, min(end, today))
    device = [v["device_minutes"] for v in daily.values() if v.get("device_minutes") is not None]
    n_days = (min(end, today) - start).days + 1
    if device:
        median, basis = statistics.median(device), f"device-measured days ({len(device)})"
    elif n_days > 0:
        per_day = [
            daily.get(start + dt.timedelta(days=i), {}).get("walk_minutes", 0.0)
            for i in range(n_days)
        ]
        median, basis = statistics.median(per_day), f"logged walks over {n_days} days"
    else:
        median, basis = 0.0, "no days yet"
    band = hunt_volume_category(median)
    clinician = linked_clinician(walker)
    return {
        "walker": str(walker),
        "name": walker.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "clinician": f"{clinician.full_name}, {clinician.profession}" if clinician else "",
        "weeks": weeks,
        "planned_total": sum(v for v in planned.values()),
        "done_total": sum(w["done"] for w in weeks),
        "walks": len(walks),
        "minutes_total": round(sum(w.minutes for w in walks)),
        "pain_before_mean": _mean(before),
        "pain_after_mean": _mean(after),
        "pain_pairs": [
            (w.local_date.isoformat(), w.pain_before, w.pain_after)
            for w in walks
            if w.pain_before is not None and w.pain_after is not None
        ],
        "checkins": [
            {
                "date": c.date.isoformat(),
                "avg": c.avg_pain,
                "worst": c.worst_pain,
                "rest": c.rest_pain,
                "notes": ", ".join(
                    x
                    for x, on in (
                        ("night pain", c.night_pain),
                        ("leg symptoms", c.leg_symptoms),
                        ("flare", c.flare),
                        ("recurrence", c.recurrence),
                    )
                    if on
                )
                + (f"; red flags: {', '.join(c.red_flags)}" if c.red_flags else ""),
            }
            for c in checkins
        ],
        "events": [
            {
                "when": e.at_utc.astimezone(walker.zone).strftime("%Y-%m-%d %H:%M"),
                "kind": e.kind,
                "code": e.code,
                "urgency": e.urgency,
                "by": e.by,
                "note": e.note,
            }
            for e in events
        ],
        "sessions": [
            {
                "date": s.date.isoformat(),
                "kind": dict(SESSION_KINDS)[s.kind],
                "by": s.clinician.full_name,
                "agreed": s.agreed,
                "next": s.next_date.isoformat() if s.next_date else "",
            }
            for s in sessions
        ],
        "hunt": {
            "median_min": round(median, 1),
            "basis": basis,
            "label": band.label,
            "rr": band.rr,
            "ci": list(band.ci) if band.ci else None,
            "reference": band.is_reference,
            "caveat": finding("hunt-volume-78-100").caveat,
        },
        "citations": [cite("walkback-2024"), cite("hunt-2025")],
        "walkback": finding("walkback-result").caveat,
    }


def render_pdf(data: dict[str, Any], generated_on: dt.date) -> bytes:
    """The report as PDF bytes; identical for identical ``data`` and ``generated_on``."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .report_charts import pain_chart, weekly_chart

    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)

    def p(text: str, style: Any = body) -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(text), style)

    def table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                    ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    def listing(header: list[str], rows: list[list[Any]], widths: list[float], empty: str) -> Any:
        """A table under its header row, or the ``empty`` sentence when there are no rows."""
        return table([header, *rows], widths) if rows else p(empty)

    def num(v: Any) -> str:
        return "-" if v is None else str(v)

    story: list[Any] = [
        p(f"Walking report: {data['walker']}", h1),
        p(f"Period {data['start']} to {data['end']}"),
    ]
    if data["clinician"]:
        story.append(p(f"Responsible clinician: {data['clinician']}"))
    story += [
        p(f"Generated on {generated_on.isoformat()} by walkrx.", small),
        Spacer(1, 4 * mm),
        p("Plan and walking", h2),
        table(
            [
                ["Sessions planned", "Walking days done", "Walks logged", "Minutes walked"],
                [
                    str(data["planned_total"]),
                    str(data["done_total"]),
                    str(data["walks"]),
                    str(data["minutes_total"]),
                ],
            ]
        ),
        Spacer(1, 3 * mm),
        weekly_chart(data["weeks"]),
        table(
            [["Week of", "Planned", "Done", "Minutes"]]
            + [
                [w["week_start"], num(w["planned"]), str(w["done"]), str(w["minutes"])]
                for w in data["weeks"]
            ]
        ),
        p("Pain before and after walks (0-10)", h2),
        p(
            f"Mean pain before walks: {num(data['pain_before_mean'])}. "
            f"Mean pain after walks: {num(data['pain_after_mean'])}. "
            f"Walks with both scores: {len(data['pain_pairs'])}."
        ),
    ]
    if data["pain_pairs"]:
        story.append(pain_chart(data["pain_pairs"]))
    story += [p("Check-ins", h2)]
    story.append(
        listing(
            ["Date", "Average", "Worst", "At rest", "Also reported"],
            [
                [c["date"], num(c["avg"]), num(c["worst"]), num(c["rest"]), p(c["notes"], small)]
                for c in data["checkins"]
            ],
            [25 * mm, 18 * mm, 18 * mm, 18 * mm, 90 * mm],
            "No check-ins in this period.",
        )
    )
    story.append(p("Safety events", h2))
    story.append(
        listing(
            ["When (local)", "Event", "Urgency", "By", "Note"],
            [
                [
                    e["when"],
                    f"{e['kind']} {e['code']}".strip(),
                    e["urgency"],
                    e["by"],
                    p(e["note"], small),
                ]
                for e in data["events"]
            ],
            [30 * mm, 45 * mm, 20 * mm, 25 * mm, 50 * mm],
            "No safety events in this period.",
        )
    )
    story.append(p("Sessions with the clinician", h2))
    story.append(
        listing(
            ["Date", "Type", "With", "Agreed", "Next"],
            [
                [s["date"], s["kind"], s["by"], p(s["agreed"], small), s["next"]]
                for s in data["sessions"]
            ],
            [22 * mm, 28 * mm, 32 * mm, 66 * mm, 22 * mm],
            "No sessions recorded in this period.",
        )
    )
    hunt = data["hunt"]
    rr = "the comparison group" if hunt["reference"] else f"risk ratio {hunt['rr']:.2f}"
    if hunt["ci"]:
        rr += f" (95 % CI {hunt['ci'][0]:.2f} to {hunt['ci'][1]:.2f})"
    story += [
        p("HUNT walking band", h2),
        p(
            f"Median walking per day: {hunt['median_min']} minutes ({hunt['basis']}). "
            f"HUNT category: {hunt['label']}, {rr} compared with under 78 minutes a day."
        ),
        p(f"Keep in mind: {hunt['caveat']}", small),
        p(f"WalkBack: {data['walkback']}", small),
        p("Sources", h2),
    ]
    story += [p(c, small) for c in data["citations"]]
    story += [Spacer(1, 4 * mm), p(NOT_A_DIAGNOSIS, small)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=f"Walking report {data['name']} {data['start']} to {data['end']}",
        author="walkrx",
        invariant=1,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    doc.build(story)
    return buf.getvalue()
