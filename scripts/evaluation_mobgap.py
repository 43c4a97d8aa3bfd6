"""Mobilise-D's pipelines (mobgap, run in its own virtualenv) scored like walkrx.

mobgap is not a walkrx dependency: ``--mobgap-python PY`` names the interpreter of a
separate virtualenv with ``pip install mobgap``. The child reads each fixture CSV itself and
prints, per file, the initial contacts inside mobgap's final walking bouts and the bouts
(seconds from the first sample); they are scored with :func:`evaluation_sets.score`, with
``cadence_bout_spm`` computed from mobgap's own contacts in each bout.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence

import evaluation_sets as es
import numpy as np

CHILD = r"""
import json, sys, warnings
import pandas as pd
warnings.simplefilter("ignore")
from mobgap.data import GaitDatasetFromData
from mobgap import pipeline as mp
Pipeline = getattr(mp, sys.argv[1])
out = {}
for csv in sys.argv[2:]:
    df = pd.read_csv(csv).drop(columns=["time"])
    df[["acc_x", "acc_y", "acc_z"]] *= 9.81  # mobgap wants m/s^2; the fixtures hold g
    fs = 100.0
    ds = GaitDatasetFromData(
        {"p": {"LowerBack": df}}, fs,
        # height only scales stride length and speed, which are not scored here
        {"p": {"height_m": 1.75, "sensor_height_m": 0.93, "cohort": "HA"}},
        {"p": {"measurement_condition": "laboratory"}},
    )
    pl = Pipeline().safe_run(ds[0])
    wb = pl.per_wb_parameters_
    bouts = [[float(s) / fs, float(e) / fs] for s, e in zip(wb["start"], wb["end"])]
    ics = pl.raw_ic_list_["ic"].to_numpy() / fs
    steps = sorted(float(t) for t in ics if any(a <= t <= b for a, b in bouts))
    out[csv] = {"steps_s": steps, "bouts_s": bouts}
print(json.dumps(out))
"""


def mobgap_rows(
    python: str, recs: Sequence[es.Recording], pipeline: str = "MobilisedPipelineHealthy"
) -> list[dict[str, object]]:
    """Scored rows of mobgap's ``pipeline`` on the lower-back recordings ``recs``."""
    csvs = [str(r.meta["csv"]) for r in recs]
    r = subprocess.run([python, "-c", CHILD, pipeline, *csvs], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"mobgap run failed:\n{r.stderr[-2000:]}")
    res = json.loads(r.stdout.strip().splitlines()[-1])
    rows: list[dict[str, object]] = []
    for rec, csv in zip(recs, csvs, strict=True):
        m = res[csv]
        steps = np.asarray(m["steps_s"], dtype=float)
        bouts = [(float(a), float(b)) for a, b in m["bouts_s"]]
        inb = [steps[(steps >= a) & (steps <= b)] for a, b in bouts]
        det = es.Detected(
            steps,
            bouts,
            np.array([x.size for x in inb], dtype=np.int64),
            np.array([es.bout_cadence(x) for x in inb]),
            np.full(len(bouts), np.nan),
        )
        group = f"{rec.set} {rec.meta['test']}" if rec.set == "lowerback-lab" else rec.set
        rows.append(
            {
                "set": rec.set,
                "group": group,
                "name": rec.name,
                "person": rec.person,
                **es.score(rec, det),
            }  # fmt: skip
        )
    return rows
