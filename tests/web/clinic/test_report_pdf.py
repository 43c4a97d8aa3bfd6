"""The PDF report: key numbers read back with a PDF parser equal the database; same data, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from typing import Any

import pytest
from pypdf import PdfReader

from walkrx.web.clinic import services as clinic
from walkrx.web.clinic.services.report import render_pdf, report_data
from walkrx.web.walking import services

from .conftest import make_walker, signed_in

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def ann(kari: Any) -> Any:
    today = services.local_today("Europe/Oslo")
    _, ann = make_walker("ann", start_date=today - dt.timedelta(days=35))
    clinic.link_walker(ann, "kari", by="cli")
    pains = [(4, 3), (5, 3), (3, 3), (4, 6), (2, 1), (6, 4), (3, 2), (5, 5)]
    for i, (before, after) in enumerate(pains):
        services.log_walk(
            ann,
            local_date=today - dt.timedelta(days=30 - 3 * i),
            minutes=15 + i,
            pain_before=before,
            pain_after=after,
        )
    services.record_checkin(ann, date=today - dt.timedelta(days=20), avg_pain=4, worst_pain=6)
    services.record_checkin(ann, date=today - dt.timedelta(days=6), avg_pain=3, leg_symptoms=True)
    clinic.record_session(
        ann, kari, date=today - dt.timedelta(days=28), kind="first-assessment", agreed="walk daily"
    )
    return ann


def test_key_numbers_in_the_pdf_match_the_database(ann: Any) -> None:
    today = services.local_today(ann.tz)
    start, end = ann.start_date, today
    pdf = render_pdf(report_data(ann, start, end), dt.date(2026, 5, 1))
    text = _text(pdf)
    walks = list(ann.walks.filter(local_date__gte=start, local_date__lte=end))
    before = round(statistics.fmean(w.pain_before for w in walks), 1)
    after = round(statistics.fmean(w.pain_after for w in walks), 1)
    assert f"Mean pain before walks: {before}" in text
    assert f"Mean pain after walks: {after}" in text
    assert f"Walks with both scores: {len(walks)}" in text
    minutes = round(sum(w.minutes for w in walks))
    days = len({w.local_date for w in walks})
    # the summary row: planned, days done, walks, minutes
    assert re.search(rf"\b{days} {len(walks)} {minutes}\b", text), text[:600]
    for c in ann.checkins.all():
        assert c.date.isoformat() in text
    assert "leg symptoms" in text and "walk daily" in text and "First assessment" in text
    assert "Responsible clinician: Kari Nordmann" in text
    assert "HUNT category" in text and "Keep in mind" in text
    assert "Pocovi" in text and "not a diagnosis" in text.lower()
    assert "Generated on 2026-05-01" in text


def test_same_data_same_pdf_except_the_generation_date(ann: Any) -> None:
    today = services.local_today(ann.tz)
    data = report_data(ann, ann.start_date, today)
    one = render_pdf(data, dt.date(2026, 5, 1))
    two = render_pdf(report_data(ann, ann.start_date, today), dt.date(2026, 5, 1))
    assert one == two
    other_day = render_pdf(data, dt.date(2026, 5, 2))
    assert other_day != one
    assert _text(other_day).replace("2026-05-02", "2026-05-01") == _text(one)


def test_report_period_is_checked(ann: Any) -> None:
    today = services.local_today(ann.tz)
    with pytest.raises(services.ServiceError, match="end on or after"):
        report_data(ann, today, today - dt.timedelta(days=1))
    c = signed_in(clinic.linked_clinician(ann).user)
    r = c.get(f"/clinic/walkers/ann/report/?start={today}&end={today - dt.timedelta(days=1)}")
    assert r.status_code == 200 and "must be on or after" in r.content.decode()


def test_clinician_download_is_audited(ann: Any) -> None:
    c = signed_in(clinic.linked_clinician(ann).user)
    today = services.local_today(ann.tz)
    r = c.get(f"/clinic/walkers/ann/report/?start={ann.start_date}&end={today}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "Mean pain before walks" in _text(r.content)
    assert ann.audit_entries.filter(action="report").exists()
