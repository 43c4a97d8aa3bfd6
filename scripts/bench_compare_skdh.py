#!/usr/bin/env python
"""Optional: walkrx vs scikit-digital-health's lumbar gait pipeline on the same samples.

Both run on synthetic lower-back samples already in memory (no file decoding), each in its
own subprocess for a fair peak-RSS figure. scikit-digital-health is NOT a walkrx dependency:
install it in a separate virtualenv and pass its interpreter, e.g.

    python -m venv /tmp/skdh-venv && /tmp/skdh-venv/bin/pip install scikit-digital-health
    .venv/bin/python scripts/bench_compare_skdh.py --skdh-python /tmp/skdh-venv/bin/python --days 1

skdh pipeline: ``skdh.context.PredictGaitLumbarLgbm`` (gait classifier) then
``skdh.gait.GaitLumbar`` (gait events and metrics), default settings.
"""

from __future__ import annotations

import argparse
import json
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
from walkrx.io.base import RecordingInfo, SampleChunk
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

SKDH = r"""
import json, resource, time, warnings
def peak_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def run(py: str, code: str) -> dict[str, float]:
    r = subprocess.run([py, "-c", code], capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "failed"}  # type: ignore[dict-item]
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skdh-python", required=True, help="interpreter with scikit-digital-health")
    ap.add_argument("--days", type=float, default=1.0)
    ap.add_argument("--rate", type=float, default=100.0)
    args = ap.parse_args()
    from walkrx.synthetic.signals import SyntheticRecording

    rec = SyntheticRecording("lower-back", days=args.days, sampling_rate_hz=args.rate, seed=42)
    with tempfile.TemporaryDirectory() as d:
        t_path, a_path = str(Path(d) / "t.npy"), str(Path(d) / "a.npy")
        c = rec.render(0, rec.n_samples)
        np.save(t_path, c.time_ns)
        np.save(a_path, c.acc_g)
        del c
        kw = {"t": t_path, "a": a_path, "fs": args.rate, "src": str(REPO / "src")}
        w = run(sys.executable, WALKRX.format(**kw))
        s = run(args.skdh_python, SKDH.format(**kw))
    print(
        f"{args.days:g} day(s) at {args.rate:g} Hz, {rec.n_samples:,} samples in memory; "
        f"true steps {rec.truth_step_ns.size:,}\n"
    )
    print("| pipeline | wall s | peak RSS MB | gait bouts | steps |")
    print("|---|---|---|---|---|")
    for name, r in (("walkrx measure_chunks", w), ("scikit-digital-health GaitLumbar", s)):
        if "error" in r:
            print(f"| {name} | error: {r['error']} | | | |")
        else:
            print(
                f"| {name} | {r['wall_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['bouts']:,} "
                f"| {'–' if r['steps'] is None else format(r['steps'], ',')} |"
            )
    if "error" not in w and "error" not in s:
        print(f"\nskdh / walkrx wall-time ratio: {s['wall_s'] / w['wall_s']:.1f}x")
        print(
            "Note: skdh's gait classifier is trained on real lumbar data; on walkrx's synthetic "
            "waveforms it may find little or no gait, so only the time and memory are comparable."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
