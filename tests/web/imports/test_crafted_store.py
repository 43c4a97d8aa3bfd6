"""Issue 14 §3: hostile values in an import are refused with ImportFileError; nothing is stored.

Before the fix a step CSV or Fitbit file with ``1e308``/``inf``/``nan`` reached the database
(``OverflowError``, ``IntegrityError``) and a FIT file with a damaged message raised raw
decoder errors; here each is refused and the database and media folder are as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from walkrx.consumer.records import ImportFileError
from walkrx.web.imports import services
from walkrx.web.imports.models import ConsumerInterval, IntervalChunk, SourceFile
from walkrx.web.walking.models import DailyActivity, Walker

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def walker() -> Walker:
    return Walker.objects.create(
        name="kari", age=62, goal="lower-risk", start_date=dt.date(2020, 1, 1), tz="Europe/Oslo"
    )


def _stored(media: Path) -> tuple[int, int, int, list[Path]]:
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return (
        ConsumerInterval.objects.count() + IntervalChunk.objects.count(),
        DailyActivity.objects.count(),
        SourceFile.objects.count(),
        files,
    )


@pytest.mark.parametrize("value", ["1e308", "inf", "nan"])
def test_hostile_step_values_store_nothing(walker: Walker, media: Path, tmp_path: Path, value: str):
    csv = tmp_path / "steps.csv"
    csv.write_text(
        f"time,steps,minutes\n2020-01-06T10:00:00+01:00,100,1\n2020-01-06T10:01:00+01:00,{value},1\n"
    )
    fitbit = tmp_path / "steps.json"
    fitbit.write_text(
        f'[{{"dateTime": "2020-01-06 10:00:00", "value": "12"}}, '
        f'{{"dateTime": "2020-01-06 10:01:00", "value": "{value}"}}]'
    )
    for path in (csv, fitbit):
        with pytest.raises(ImportFileError) as exc:
            services.import_files("kari", [path])
        assert path.name in str(exc.value)
        assert _stored(media) == (0, 0, 0, [])
