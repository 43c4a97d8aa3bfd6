import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from walkrx.measure import measure_chunks, write_outputs
from walkrx.summary.glossary import COLUMNS, glossary_markdown
from walkrx.synthetic.signals import SyntheticRecording

REPO = Path(__file__).resolve().parents[2]


def test_glossary_covers_every_output_column(tmp_path):
    rec = SyntheticRecording("thigh", days=0.5, seed=1, sampling_rate_hz=25)
    res = measure_chunks(rec.iter_chunks(), rec.info(), "thigh", "Europe/Oslo")
    for name, df in (("minutely", res.minutely), ("daily", res.daily), ("bouts", res.bouts)):
        assert list(df.columns) == list(COLUMNS[name]), name
    out = write_outputs(res, tmp_path / "o", qc_plot=False)
    meta = pq.read_schema(out / "daily.parquet").metadata
    assert b"walkrx.columns" in meta and b"valid_day" in meta[b"walkrx.columns"]


def test_docs_columns_md_in_sync():
    doc = REPO / "docs" / "columns.md"
    assert doc.read_text() == glossary_markdown() + "\n", "run scripts/write_columns_doc.py"


def test_write_script_check_mode():
    r = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "write_columns_doc.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
