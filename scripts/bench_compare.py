#!/usr/bin/env python
"""Optional: walkrx vs scikit-digital-health and/or mobgap (Mobilise-D) on the same samples.

Every pipeline runs on the same lower-back samples already in memory (no file decoding), each
in its own subprocess for a fair peak-RSS figure. Neither library is a walkrx dependency:
install each in its own virtualenv and pass its interpreter, e.g.

    python -m venv /tmp/skdh-venv && /tmp/skdh-venv/bin/pip install scikit-digital-health
    python -m venv /tmp/mobgap-venv && /tmp/mobgap-venv/bin/pip install mobgap
    .venv/bin/python scripts/bench_compare.py --skdh-python /tmp/skdh-venv/bin/python \
        --mobgap-python /tmp/mobgap-venv/bin/python --days 1

Samples (``--signal``): ``lab`` (default) repeats the real lower-back lab trial
``HA_001/Test11_Trial1`` from the shared fixtures (acc and gyro, sensor x axis vertical, as
mobgap expects) to fill the requested days, so every pipeline sees real gait; ``synthetic``
uses walkrx's synthetic lower-back recording (random sensor orientation, acc only — mobgap is
then skipped, and skdh's classifier may find no gait).

skdh pipeline: ``skdh.context.PredictGaitLumbarLgbm`` then ``skdh.gait.GaitLumbar``, defaults.
mobgap pipeline: ``mobgap.pipeline.MobilisedPipelineHealthy``, defaults (height 1.75 m is
assumed; it only scales stride length and speed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

WALKRX = r"""
import json, sys, time
import numpy as np
sys.path.insert(0, {src!r})
from walkrx._machine import peak_rss_mb
from walkrx.sensors.base import RecordingInfo, SampleChunk
from walkrx.measure import measure_chunks
t = np.load({t!r}); a = np.load({a!r})
t0 = time.perf_counter()
info = RecordingInfo(path="mem", device="synthetic", device_id=None, sample_rate_hz={fs})
chunks = ((SampleChunk(t[i:i + 2_000_000], a[i:i + 2_000_000]), []) for i in range(0, t.size, 2_000_000))
res = measure_chunks(chunks, info, "lower-back", "UTC")
print(json.dumps({{"wall_s": time.perf_counter() - t0, "steps": res.summary["total_steps"],
    "bouts": len(res.bouts),
    "peak_rss_mb": peak_rss_mb()}}))
"""

# the other libraries' venvs have no walkrx: their children carry their own peak-RSS helper
PEAK_MB = r"""
import json, resource, time, warnings
def peak_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

SKDH = (
    PEAK_MB
    + r"""
import numpy as np
warnings.simplefilter("ignore")
from skdh.context import PredictGaitLumbarLgbm
from skdh.gait import GaitLumbar
t = np.load({t!r}) / 1e9; a = np.load({a!r}).astype(np.float64)
t0 = time.perf_counter()
pred = PredictGaitLumbarLgbm().predict(time=t, accel=a, fs={fs})
gait = GaitLumbar().predict(time=t, accel=a, fs={fs}, height=1.75, **pred)
bouts = len(pred["Gait Bout Start"])
steps = None  # skdh reports gait metrics per stride; step totals are not compared
print(json.dumps({{"wall_s": time.perf_counter() - t0, "steps": steps, "bouts": bouts,
    "peak_rss_mb": peak_mb()}}))
"""
)


MOBGAP = (
    PEAK_MB
    + r"""
import numpy as np, pandas as pd
warnings.simplefilter("ignore")
from mobgap.data import GaitDatasetFromData
from mobgap.pipeline import MobilisedPipelineHealthy
a = np.load({a!r}).astype(np.float64); gyr = np.load({gyr!r}).astype(np.float64)
t0 = time.perf_counter()
df = pd.DataFrame(np.c_[a * 9.81, gyr], columns=["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"])
ds = GaitDatasetFromData({{"p": {{"LowerBack": df}}}}, {fs},
    {{"p": {{"height_m": 1.75, "sensor_height_m": 0.93, "cohort": "HA"}}}},
    {{"p": {{"measurement_condition": "free_living"}}}})
pl = MobilisedPipelineHealthy().safe_run(ds[0])
wb = pl.per_wb_parameters_
ics = pl.raw_ic_list_["ic"].to_numpy()
starts, ends = wb["start"].to_numpy(), wb["end"].to_numpy()
pos = np.searchsorted(starts, ics, side="right") - 1
steps = int(np.sum((pos >= 0) & (ics <= ends[np.maximum(pos, 0)])))
print(json.dumps({{"wall_s": time.perf_counter() - t0, "steps": steps, "bouts": len(wb),
    "peak_rss_mb": peak_mb()}}))
"""
)


def lab_samples(days: float, rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """The lab trial repeated to fill ``days``: time (ns), acc (g), gyro, tiles, ref contacts."""
    import pandas as pd

    sys.path.insert(0, str(REPO / "scripts"))
    from fixture_registry import fixtures_folder

    trial = fixtures_folder() / "lowerback-lab" / "HA_001" / "Test11_Trial1"
    df = pd.read_csv(trial / "lowerback.csv")
    if rate != 100.0:
        raise SystemExit("--signal lab is recorded at 100 Hz; use --rate 100")
    acc = df[["acc_x", "acc_y", "acc_z"]].to_numpy(np.float32)
    gyr = df[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(np.float32)
    n = int(days * 86400 * rate)
    tiles = -(-n // len(df))
    ref = json.loads((trial / "reference.json").read_text())
    ref_ics = sum(len(b["initial_contacts_s"]) for b in ref["continuous_walking_periods"])
    a = np.tile(acc, (tiles, 1))[:n]
    g = np.tile(gyr, (tiles, 1))[:n]
    t = 1_700_000_000 * 10**9 + (np.arange(n, dtype=np.int64) * 10**9) // int(rate)
    return t, a, g, tiles, ref_ics


def run(py: str, code: str) -> dict[str, float]:
    r = subprocess.run([py, "-c", code], capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"}  # type: ignore[dict-item]
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--skdh-python", help="interpreter with scikit-digital-health")
    ap.add_argument("--mobgap-python", help="interpreter with mobgap")
    ap.add_argument("--days", type=float, default=1.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--signal", choices=("lab", "synthetic"), default="lab")
    args = ap.parse_args()
    if not (args.skdh_python or args.mobgap_python):
        ap.error("give --skdh-python and/or --mobgap-python")
    from walkrx._machine import cpu_model

    with tempfile.TemporaryDirectory() as d:
        t_path, a_path, g_path = (str(Path(d) / f) for f in ("t.npy", "a.npy", "g.npy"))
        if args.signal == "lab":
            t, a, g, tiles, ref_ics = lab_samples(args.days, args.rate)
            scale = (
                f"the lab trial HA_001/Test11_Trial1 repeated {tiles:,} times; its reference "
                f"holds {ref_ics} contacts per copy (≈ {ref_ics * tiles:,} in all, walking after "
                "the reference span not counted)"
            )
            np.save(g_path, g)
            del g
        else:
            from walkrx.synthetic.signals import SyntheticRecording

            rec = SyntheticRecording(
                "lower-back", days=args.days, sampling_rate_hz=args.rate, seed=42
            )
            c = rec.render(0, rec.n_samples)
            t, a = c.time_ns, c.acc_g
            scale = f"walkrx synthetic lower-back; true steps {rec.truth_step_ns.size:,}"
        n = t.size
        np.save(t_path, t)
        np.save(a_path, a)
        del t, a
        kw = {"t": t_path, "a": a_path, "gyr": g_path, "fs": args.rate, "src": str(REPO / "src")}
        results = [("walkrx measure_chunks", run(sys.executable, WALKRX.format(**kw)))]
        if args.skdh_python:
            results.append(
                ("scikit-digital-health GaitLumbar", run(args.skdh_python, SKDH.format(**kw)))
            )
        if args.mobgap_python:
            if args.signal == "lab":
                res = run(args.mobgap_python, MOBGAP.format(**kw))
            else:
                res = {"error": "needs --signal lab (sensor-frame data with gyro)"}
            results.append(("mobgap MobilisedPipelineHealthy", res))
    print(f"{args.days:g} day(s) at {args.rate:g} Hz, {n:,} samples in memory; {scale}.")
    print(f"CPU: {cpu_model()} ({os.cpu_count()} logical CPUs)\n")
    print("| pipeline | wall s | peak RSS MB | gait bouts | steps |")
    print("|---|---|---|---|---|")
    for name, r in results:
        if "error" in r:
            print(f"| {name} | error: {r['error']} | | | |")
        else:
            print(
                f"| {name} | {r['wall_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['bouts']:,} "
                f"| {'–' if r['steps'] is None else format(r['steps'], ',')} |"
            )
    w = results[0][1]
    if "error" not in w:
        for name, r in results[1:]:
            if "error" not in r:
                print(
                    f"\n{name} / walkrx: wall time {r['wall_s'] / w['wall_s']:.1f}x, "
                    f"peak RSS {r['peak_rss_mb'] / w['peak_rss_mb']:.1f}x"
                )
    if args.signal == "synthetic":
        print(
            "\nNote: skdh's gait classifier is trained on real lumbar data; on walkrx's synthetic "
            "waveforms it may find little or no gait, so only the time and memory are comparable."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
