#!/usr/bin/env python
"""Benchmark: import a ~1 GB synthetic Apple Health export end to end.

    .venv/bin/python scripts/bench_import.py [--size-mb 1000] [--export PATH] [--keep]
        [--healthkit-to-sqlite]

Writes (or reuses) a synthetic export: an iPhone and an Apple Watch counting the same steps over
three years (the watch off part of some days), walking distance from both, walking workouts, and
heart-rate / energy records as noise, in Apple's attribute layout. Then runs, each in its own
subprocess (peak RSS = the child's ru_maxrss):

1. walkrx: ``walkrx.web.imports.services.import_files`` into a throwaway SQLite DB under a temp
   ``WALKRX_HOME`` (migrated beforehand, untimed) (parse in two processes, store the intervals as a chunk file, merge, upsert
   daily rows; one transaction); its peak RSS is its own plus the helper parser process's;
2. walkrx parser only (``walkrx.importers.apple.iter_apple``, counting records);
3. a plain ``xml.etree.ElementTree.iterparse`` loop summing steps per day, and the same with
   lxml when it is installed;
4. optionally healthkit-to-sqlite, pip-installed into a throwaway venv.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from walkrx._machine import cpu_model

REPO = Path(__file__).resolve().parents[1]

DTD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-01-01 09:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1960-05-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
"""

PHONE_DEV = "&lt;&lt;HKDevice: 0x2{:08x}&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone12,1, software:16.4&gt;"
WATCH_DEV = "&lt;&lt;HKDevice: 0x2{:08x}&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.4&gt;"


def _fmt(t: float, off_min: int) -> str:
    lt = time.gmtime(t + off_min * 60)
    sign = "+" if off_min >= 0 else "-"
    a = abs(off_min)
    return f"{time.strftime('%Y-%m-%d %H:%M:%S', lt)} {sign}{a // 60:02d}{a % 60:02d}"


def _offset(t: float) -> int:
    # Europe/Oslo-like: +0200 from late March to late October, else +0100.
    doy = time.gmtime(t).tm_yday
    return 120 if 86 <= doy <= 300 else 60


def write_export(
    path: Path, size_mb: int, seed: int = 1, days: int = 3 * 365, start: float | None = None
) -> None:
    """Write a synthetic export of about ``size_mb`` MB (two step sources).

    ``days`` from ``start`` (UTC epoch seconds of a midnight; default 2021-01-01).
    """
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    if start is None:
        start = time.mktime((2021, 1, 1, 0, 0, 0, 0, 0, 0)) - time.timezone
    # Noise records per day, tuned so the wanted records are ~1/5 of the bytes.
    per_day_bytes = target / days
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(DTD)
        written = len(DTD)
        for day in range(days):
            t0 = start + day * 86400
            off = _offset(t0)
            lines: list[str] = []
            watch_off = (rng.random() < 0.3, rng.uniform(8, 20))  # watch off from this hour
            # walking bouts
            for _ in range(rng.randint(8, 20)):
                h = rng.uniform(7, 21)
                s = t0 + h * 3600 - off * 60
                dur = rng.uniform(120, 1800)
                cad = rng.uniform(70, 115)
                # phone: records of up to 10 minutes
                t = s
                while t < s + dur:
                    e = min(s + dur, t + rng.uniform(60, 600))
                    n = int((e - t) / 60 * cad * rng.uniform(0.85, 1.0))
                    dev = PHONE_DEV.format(rng.getrandbits(28))
                    lines.append(
                        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Kari’s iPhone" sourceVersion="16.4" device="{dev}" unit="count" creationDate="{_fmt(e + 60, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(e, off)}" value="{n}"/>\n'
                    )
                    lines.append(
                        f' <Record type="HKQuantityTypeIdentifierDistanceWalkingRunning" sourceName="Kari’s iPhone" sourceVersion="16.4" device="{dev}" unit="km" creationDate="{_fmt(e + 60, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(e, off)}" value="{n * 0.00071:.5f}"/>\n'
                    )
                    t = e
                if watch_off[0] and h >= watch_off[1]:
                    continue
                t = s
                while t < s + dur:
                    e = min(s + dur, t + rng.uniform(40, 90))
                    n = int((e - t) / 60 * cad)
                    dev = WATCH_DEV.format(rng.getrandbits(28))
                    lines.append(
                        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Kari’s Apple Watch" sourceVersion="9.4" device="{dev}" unit="count" creationDate="{_fmt(e + 30, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(e, off)}" value="{n}"/>\n'
                    )
                    lines.append(
                        f' <Record type="HKQuantityTypeIdentifierDistanceWalkingRunning" sourceName="Kari’s Apple Watch" sourceVersion="9.4" device="{dev}" unit="km" creationDate="{_fmt(e + 30, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(e, off)}" value="{n * 0.00072:.5f}"/>\n'
                    )
                    t = e
            wanted = sum(len(x) for x in lines)
            # noise: heart rate (with metadata) and active energy until the day's byte budget
            noise = 0
            t = t0 - off * 60
            while wanted + noise < per_day_bytes:
                t += rng.uniform(30, 300)
                dev = WATCH_DEV.format(rng.getrandbits(28))
                if rng.random() < 0.5:
                    line = (
                        f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Kari’s Apple Watch" sourceVersion="9.4" device="{dev}" unit="count/min" creationDate="{_fmt(t + 5, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(t, off)}" value="{rng.randint(55, 120)}">\n'
                        '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
                        " </Record>\n"
                    )
                else:
                    line = f' <Record type="HKQuantityTypeIdentifierActiveEnergyBurned" sourceName="Kari’s Apple Watch" sourceVersion="9.4" device="{dev}" unit="kcal" creationDate="{_fmt(t + 5, off)}" startDate="{_fmt(t, off)}" endDate="{_fmt(t + 60, off)}" value="{rng.uniform(0.1, 9):.3f}"/>\n'
                lines.append(line)
                noise += len(line)
            if day % 3 == 0:
                s = t0 + 17 * 3600 - off * 60
                lines.append(
                    f' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="31.5" durationUnit="min" sourceName="Kari’s Apple Watch" sourceVersion="9.4" device="{WATCH_DEV.format(1)}" creationDate="{_fmt(s + 1900, off)}" startDate="{_fmt(s, off)}" endDate="{_fmt(s + 1890, off)}">\n'
                    '  <MetadataEntry key="HKTimeZone" value="Europe/Oslo"/>\n'
                    f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="{_fmt(s, off)}" endDate="{_fmt(s + 1890, off)}" sum="2.61" unit="km"/>\n'
                    " </Workout>\n"
                )
            chunk = "".join(lines)
            out.write(chunk)
            written += len(chunk.encode())
        out.write("</HealthData>\n")


ETREE_LOOP = r"""
import sys, collections
import xml.etree.ElementTree as ET
steps = collections.Counter()
root = None
for ev, el in ET.iterparse(sys.argv[1], events=("start", "end")):
    if root is None:
        root = el
    elif ev == "end" and el.tag == "Record":
        if el.get("type") == "HKQuantityTypeIdentifierStepCount":
            steps[el.get("startDate")[:10]] += float(el.get("value"))
        root.clear()
print(len(steps), int(sum(steps.values())))
"""

LXML_LOOP = r"""
import sys, collections
from lxml import etree
steps = collections.Counter()
for ev, el in etree.iterparse(sys.argv[1], events=("end",), tag="Record", huge_tree=True):
    if el.get("type") == "HKQuantityTypeIdentifierStepCount":
        steps[el.get("startDate")[:10]] += float(el.get("value"))
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]
print(len(steps), int(sum(steps.values())))
"""

PARSE_ONLY = r"""
import sys
from walkrx.importers.apple import iter_apple
n = 0
for r in iter_apple(sys.argv[1]):
    n += 1
print(n)
"""

# The database is made (migrated, one walker) beforehand, untimed: a walker's database exists
# when they import; the timed process is `walkrx import`'s work: start Django, import.
PREPARE = r"""
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "walkrx.web.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from walkrx.web.walking.models import Walker
import datetime as dt
Walker.objects.create(name="bench", age=55, goal="lower-risk", start_date=dt.date(2021, 1, 1), tz="Europe/Oslo")
print("ok")
"""

WALKRX_IMPORT = r"""
import os, sys, json
os.environ["DJANGO_SETTINGS_MODULE"] = "walkrx.web.settings"
import django
django.setup()
from walkrx.web.imports.services import import_files
import time
t = time.perf_counter()
s = import_files("bench", [sys.argv[1]])
elapsed = time.perf_counter() - t
import resource
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    # The helper parser process's own peak (VmHWM, reported by the helper). Its ru_maxrss
    # would also count this process's pages at the moment it was spawned (the kernel takes
    # the old address space's peak at exec), which no process ever held twice.
    from walkrx.importers.apple import split
    kids = sum(split.HELPER_PEAKS_KB) / 1024
except ImportError:  # before issue 16: a forked parser process, its ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{elapsed:.2f} {own:.0f} {kids:.0f}", json.dumps(s.as_dict()["totals"]))
"""


def _worker_limits() -> None:  # runs in the child between fork and exec
    """The import worker's limits on its import processes: address space and priority."""
    import resource

    mem = int(os.environ.get("WALKRX_JOB_MEMORY_MB", "2048")) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    os.nice(10)


CPU_SECONDS: list[float] = []  # user + system time of each child (and its reaped children)


def run_child(
    args: list[str], env: dict[str, str] | None = None, worker: bool = False
) -> tuple[float, float, str]:
    """Run a child process; return (seconds, that child's peak RSS in MB, stdout).

    Its CPU time (user + system, helper processes included) is appended to ``CPU_SECONDS``.

    ``worker``: under the limits the import worker sets (``RLIMIT_AS``, ``nice 10``).
    """
    out_path = Path(tempfile.mkstemp(prefix="walkrx-bench-out-")[1])
    t = time.perf_counter()
    with open(out_path, "w") as out:
        proc = subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=_worker_limits if worker else None,  # noqa: PLW1509 - no threads here
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - t
    stdout = out_path.read_text().strip()
    out_path.unlink()
    if proc.returncode != 0:
        print(err, file=sys.stderr)
        raise SystemExit(f"child failed: {args[:3]}")
    return elapsed, usage.ru_maxrss / 1024.0, stdout


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--export", type=Path, help="reuse (or write to and keep) this export.xml")
    ap.add_argument(
        "--healthkit-to-sqlite", action="store_true", help="also try healthkit-to-sqlite"
    )
    ap.add_argument("--skip-etree", action="store_true")
    ap.add_argument(
        "--worker-limits",
        action="store_true",
        help="run the walkrx import under the import worker's limits (RLIMIT_AS "
        "WALKRX_JOB_MEMORY_MB, default 2048 MB; nice 10), as `walkrx worker` runs it",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="walkrx-bench-"))
    try:
        export = args.export or tmp / "export.xml"
        if not export.exists():
            t = time.perf_counter()
            write_export(export, args.size_mb)
            print(f"wrote {export} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        size_mb = export.stat().st_size / 1e6
        load_before = os.getloadavg()[0]
        print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
        print(f"export: {size_mb:.0f} MB")
        rows = []
        py = sys.executable
        # Each measurement in a fresh child; its own ru_maxrss comes from os.wait4.
        env = dict(os.environ, WALKRX_HOME=str(tmp / "home"))
        t, rss, out = run_child([py, "-c", PARSE_ONLY, str(export)], env)
        rows.append(("walkrx parser only (iter_apple)", t, rss, out, CPU_SECONDS[-1]))
        if not args.skip_etree:
            t, rss, out = run_child([py, "-c", ETREE_LOOP, str(export)])
            rows.append(("ElementTree iterparse loop (steps/day)", t, rss, out, CPU_SECONDS[-1]))
            try:
                import lxml  # noqa: F401
            except ImportError:
                print("lxml is not installed; its loop is skipped", file=sys.stderr)
            else:
                t, rss, out = run_child([py, "-c", LXML_LOOP, str(export)])
                rows.append(("lxml iterparse loop (steps/day)", t, rss, out, CPU_SECONDS[-1]))
        run_child([py, "-c", PREPARE], env)
        t, rss, out = run_child([py, "-c", WALKRX_IMPORT, str(export)], env, args.worker_limits)
        inner, own, kids, out = out.split(" ", 3)
        # The helper parser process runs beside the importing one: count both peaks (each
        # process's own; the sum is an upper bound, as the peaks need not coincide).
        rss = float(own) + float(kids)
        where = " under worker limits" if args.worker_limits else ""
        rows.append((f"walkrx import, whole process{where}", t, rss, out, CPU_SECONDS[-1]))
        rows.append(
            (
                "walkrx import_files() alone",
                float(inner),
                rss,
                f"(no start-up; RSS {own} + helper parser process {kids})",
                float("nan"),
            )
        )
        if args.healthkit_to_sqlite:
            venv = tmp / "hk-venv"
            ok = (
                subprocess.run([py, "-m", "venv", str(venv)]).returncode == 0
                and subprocess.run(
                    [str(venv / "bin/pip"), "install", "-q", "healthkit-to-sqlite"]
                ).returncode
                == 0
            )
            if ok:
                hk = [str(venv / "bin/healthkit-to-sqlite"), str(export), str(tmp / "hk.db")]
                if export.suffix == ".xml":
                    hk.append("--xml")
                try:
                    t, rss, out = run_child(hk)
                    rows.append(("healthkit-to-sqlite", t, rss, out, CPU_SECONDS[-1]))
                except SystemExit as exc:
                    print(f"healthkit-to-sqlite failed: {exc}", file=sys.stderr)
            else:
                print("healthkit-to-sqlite did not install; skipped", file=sys.stderr)
        et = next((r[1] for r in rows if r[0].startswith("ElementTree")), None)
        print(
            f"{'run':48s} {'s':>7s} {'MB/s':>7s} {'vs ET':>6s} {'CPU s':>6s} {'peak RSS MB':>12s}"
            "  output"
        )
        for name, t, rss, out, cpu in rows:
            rel = f"{et / t:5.2f}x" if et else ""
            print(
                f"{name:48s} {t:7.1f} {size_mb / t:7.1f} {rel:>6s} {cpu:6.1f} {rss:12.0f}"
                f"  {out[:60]}"
            )
        print(
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on "
            f"{os.cpu_count()} cores (compare runs by the vs ET column on a busy machine)"
        )
    finally:
        # the temp folder holds the database, the throwaway venv and (unless --export) the export
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
