"""Write a folder of synthetic ``.cwa`` recordings, to try or benchmark cohort mode.

Each participant gets a :class:`walkrx.synthetic.signals.SyntheticRecording` with its own seed
and a usual walking volume, written as an Axivity AX3 file by
:func:`walkrx.synthetic.writers.write_cwa`. Existing files are kept, so a folder can serve as a
cache between benchmark runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from walkrx.synthetic.signals import SyntheticRecording
from walkrx.synthetic.writers import write_cwa


def write_synthetic_cohort(
    folder: str | Path,
    n: int,
    *,
    days: float = 7.0,
    sampling_rate_hz: float = 50.0,
    placement: str = "thigh",
    seed: int = 0,
    tz: str = "Europe/Oslo",
    prefix: str = "P",
) -> list[Path]:
    """Write ``n`` recordings ``<prefix>0001.cwa`` ... into ``folder``; return their paths.

    Recordings already present (same name, non-empty) are not rewritten.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    volumes = np.clip(rng.lognormal(np.log(95.0), 0.35, n), 20.0, 240.0)
    paths: list[Path] = []
    for i in range(n):
        path = out / f"{prefix}{i + 1:04d}.cwa"
        paths.append(path)
        if path.is_file() and path.stat().st_size > 0:
            continue
        recording = SyntheticRecording(
            placement,  # type: ignore[arg-type]
            days=days,
            sampling_rate_hz=sampling_rate_hz,
            start_utc=dt.datetime(2024, 3, 4, 23, 0, tzinfo=dt.UTC),  # local midnight in Oslo
            seed=seed * 100_000 + i,
            walk_min_per_day=float(volumes[i]),
            tz=tz,
        )
        tmp = path.with_name(path.name + ".tmp")
        write_cwa(
            tmp,
            (chunk for chunk, _ in recording.iter_chunks()),
            sample_rate_hz=sampling_rate_hz,
            tz=tz,
        )
        tmp.replace(path)
    return paths
