"""Minute, day and bout tables from detected steps, bouts and per-minute wear statistics.

All inputs are UTC nanoseconds; local days come from the IANA time zone, so a day on which
daylight saving time starts or ends has 23 or 25 hours and its totals are still exact
(minutes are summed, never assumed to number 1440).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

from walkrx.signal.intensity import cadence_to_met
from walkrx.signal.nonwear import flag_nonwear, minute_sd

_NS = 1_000_000_000
_MIN_NS = 60 * _NS

IntArray = npt.NDArray[np.int64]


def check_tz(tz: str) -> ZoneInfo:
    """Return the zone for an IANA name; refuse abbreviations such as ``CET`` or ``EST``."""
    if "/" not in tz and tz not in ("UTC", "Etc/UTC"):
        raise ValueError(f"time zone {tz!r} is not an IANA region name such as 'Europe/Oslo'")
    try:
        return ZoneInfo(tz)
    except Exception as exc:  # noqa: BLE001 - ZoneInfo raises several types
        raise ValueError(f"unknown time zone {tz!r}") from exc


def bout_steps(step_ns: IntArray, bouts: npt.NDArray[np.int64]) -> list[IntArray]:
    """The step times of each bout (``bouts`` holds first/last step indices)."""
    return [step_ns[a : b + 1] for a, b in bouts]


RHYTHM_TOLERANCE = 0.25


def stepping_cadence(
    length_s: npt.NDArray[np.float64],
    local_cadence_spm: npt.NDArray[np.float64] | None = None,
    tolerance: float = RHYTHM_TOLERANCE,
) -> npt.NDArray[np.float64]:
    """Cadence (steps/min) carried by each step interval.

    ``60 / length`` when the interval agrees with the signal's local step period
    (``local_cadence_spm``; within ``tolerance``, 25 %: step-to-step variability of walking
    is a few per cent), else the local cadence: an interval of about two periods is a weak
    step the detector missed, one of about half a period an extra peak — neither is the
    walker's cadence. Where the local cadence is unknown (NaN or not given) the interval is
    used. walkrx's choice.
    """
    own: npt.NDArray[np.float64] = 60.0 / np.asarray(length_s, dtype=np.float64)
    if local_cadence_spm is None:
        return own
    local = np.asarray(local_cadence_spm, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        off = np.abs(local / own - 1.0) > tolerance
    out: npt.NDArray[np.float64] = np.where(np.isfinite(local) & off, local, own)
    return out


def interval_cadence(
    step_ns: IntArray,
    bouts: npt.NDArray[np.int64],
    pause_ratio: float = 1.5,
    step_cadence_spm: npt.NDArray[np.float64] | None = None,
) -> tuple[IntArray, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Cadence while stepping, per step interval of every bout.

    An interval longer than ``pause_ratio`` times its bout's median step interval is a
    *pause* (standing still for a moment inside a bout). Each non-pause interval carries the
    cadence of :func:`stepping_cadence`: ``60 / length``, or the signal's local step
    frequency at the interval's first step (``step_cadence_spm``, see
    :func:`walkrx.signal.periodicity.local_step_period`) where the interval disagrees with
    it. A bout's cadence is the time-weighted mean over its non-pause intervals (when every
    interval carries its own ``60 / length`` this is exactly ``60 / mean(interval)``); each pause carries its bout's cadence. Pauses still count as
    walking time (the bout spans them), they just do not lower the cadence. walkrx's choice
    (``pause_ratio`` is a setting); it keeps a 2-s stop — or a weak step the detector
    missed — from turning a brisk walk into a slow one in cadence and MET.

    Returns the index of each interval's first step, the cadence of each interval, and the
    cadence of each bout (steps/min).
    """
    if not len(bouts):
        z = np.zeros(0)
        return np.zeros(0, dtype=np.int64), z, z
    a_idx = np.concatenate([np.arange(a, b) for a, b in bouts]).astype(np.int64)
    length = (step_ns[a_idx + 1] - step_ns[a_idx]) / _NS
    local = None if step_cadence_spm is None else np.asarray(step_cadence_spm)[a_idx]
    own = stepping_cadence(length, local)
    counts = bouts[:, 1] - bouts[:, 0]
    bout_cad = np.full(len(bouts), np.nan)
    c = np.empty(a_idx.size)
    pos = 0
    for k, n in enumerate(counts):
        seg = length[pos : pos + n]
        cs = own[pos : pos + n]
        stepping = seg <= pause_ratio * np.median(seg)
        bout_cad[k] = float(np.sum(cs[stepping] * seg[stepping]) / np.sum(seg[stepping]))
        c[pos : pos + n] = np.where(stepping, cs, bout_cad[k])
        pos += n
    return a_idx, c, bout_cad


def bout_table(
    step_ns: IntArray,
    bouts: npt.NDArray[np.int64],
    tz: str,
    met_relation: str,
    pause_ratio: float = 1.5,
    step_cadence_spm: npt.NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """One row per bout: start, end, duration_s, steps, both cadences, mean_met.

    ``cadence_stepping_spm`` is the cadence while stepping (see :func:`interval_cadence`;
    the input of the MET relation); ``cadence_bout_spm`` is the bout's cadence as gait labs
    and Mobilise-D report it, ``60 × (steps − 1) / (last step − first step)``.
    """
    first = step_ns[bouts[:, 0]] if len(bouts) else np.zeros(0, dtype=np.int64)
    last = step_ns[bouts[:, 1]] if len(bouts) else np.zeros(0, dtype=np.int64)
    n = (bouts[:, 1] - bouts[:, 0] + 1) if len(bouts) else np.zeros(0, dtype=np.int64)
    dur = (last - first) / _NS
    cad = interval_cadence(step_ns, bouts, pause_ratio, step_cadence_spm)[2]
    return pd.DataFrame(
        {
            "start": pd.to_datetime(first, utc=True).tz_convert(tz),
            "end": pd.to_datetime(last, utc=True).tz_convert(tz),
            "duration_s": dur.astype(np.float64),
            "steps": n.astype(np.int64),
            "cadence_stepping_spm": cad,
            "cadence_bout_spm": np.where(
                dur > 0, 60.0 * (n - 1) / np.where(dur > 0, dur, 1.0), np.nan
            ),
            "mean_met": cadence_to_met(cad, met_relation),
        }
    )


def minute_table(
    step_ns: IntArray,
    bouts: npt.NDArray[np.int64],
    minute_idx: IntArray,
    moments: npt.NDArray[np.float64],
    tz: str,
    met_relation: str = "cadence-adults",
    nonwear_sd_threshold_g: float = 0.013,
    nonwear_window_min: int = 60,
    pause_ratio: float = 1.5,
    step_cadence_spm: npt.NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """One row per minute that holds samples (minutes without data have no row).

    ``minute_idx`` are UTC minutes since the epoch with their summed moments (see
    :func:`walkrx.signal.nonwear.minute_moments`). Walking time is split exactly at minute
    boundaries: each step interval of a bout contributes its overlap with the minute to
    ``walk_s``; the minute's cadence is the walking-time weighted mean of the intervals'
    cadence while stepping (:func:`interval_cadence`).
    """
    if minute_idx.size == 0:
        return pd.DataFrame(
            {
                c: []
                for c in ["time", "walk_s", "steps", "cadence_stepping_spm", "met", "wear", "data"]
            }
        )
    # Rows are the minutes that hold samples or steps, never the whole span: a recording with
    # one far-off timestamp costs one row, not a row for every minute in between.
    a_idx = np.zeros(0, dtype=np.int64)
    c_iv = np.zeros(0)
    idx = np.zeros(0, dtype=np.int64)
    if len(bouts):
        idx = np.concatenate([np.arange(a, b + 1) for a, b in bouts])
        a_idx, c_iv, _ = interval_cadence(step_ns, bouts, pause_ratio, step_cadence_spm)
    rows = np.union1d(minute_idx, step_ns[idx] // _MIN_NS)
    m_count = rows.size
    rel = np.searchsorted(rows, minute_idx)
    present = np.zeros(m_count, dtype=bool)
    still = np.zeros(m_count, dtype=bool)
    present[rel] = moments[:, 0] > 0
    still[rel] = (minute_sd(moments) < nonwear_sd_threshold_g).all(axis=1) & (moments[:, 0] > 0)
    # a missing minute between two rows breaks a still run, as on a full minute grid
    gap = np.r_[False, np.diff(rows) > 1]
    pos = np.arange(m_count) + np.cumsum(gap)
    grid = np.zeros(m_count + int(gap.sum()), dtype=bool)
    grid[pos] = still
    nonwear = flag_nonwear(grid, nonwear_window_min)[pos]
    wear = present & ~nonwear

    walk_s = np.zeros(m_count)
    cad_w = np.zeros(m_count)
    steps = np.zeros(m_count, dtype=np.int64)
    if len(bouts):
        sm = np.searchsorted(rows, step_ns[idx] // _MIN_NS)
        steps += np.bincount(sm, minlength=m_count)[:m_count]
        a = step_ns[a_idx]
        b = step_ns[a_idx + 1]
        length = (b - a).astype(np.float64)
        ma = a // _MIN_NS
        mb = b // _MIN_NS
        boundary = mb * _MIN_NS
        part_a = np.where(ma == mb, b - a, boundary - a).astype(np.float64)
        part_b = length - part_a
        for minute, part in ((ma, part_a), (mb, part_b)):
            mm = np.searchsorted(rows, minute)
            good = (mm < m_count) & (part > 0)
            good[good] &= rows[mm[good]] == minute[good]
            walk_s += np.bincount(mm[good], weights=part[good] / _NS, minlength=m_count)[:m_count]
            cad_w += np.bincount(
                mm[good], weights=c_iv[good] * part[good] / _NS, minlength=m_count
            )[:m_count]
    with np.errstate(divide="ignore", invalid="ignore"):
        cadence = np.where(walk_s > 0, cad_w / np.where(walk_s > 0, walk_s, 1.0), np.nan)
    times = pd.to_datetime(rows * _MIN_NS, utc=True)
    df = pd.DataFrame(
        {
            "time": times.tz_convert(tz),
            "walk_s": walk_s,
            "steps": steps,
            "cadence_stepping_spm": cadence,
            "met": cadence_to_met(cadence, met_relation),
            "wear": wear,
            "data": present,
        }
    )
    return df


def day_length_h(date: pd.Timestamp | object, tz: str) -> float:
    """Hours between local midnight of ``date`` and of the next day (23, 24 or 25)."""
    d = pd.Timestamp(str(date))
    z = ZoneInfo(tz)
    start = d.tz_localize(z, nonexistent="shift_forward", ambiguous=True)
    end = (d + pd.Timedelta(days=1)).tz_localize(z, nonexistent="shift_forward", ambiguous=True)
    return float((end - start) / pd.Timedelta(hours=1))


def daily_table(
    minutely: pd.DataFrame,
    bouts: pd.DataFrame,
    tz: str,
    valid_day_min_wear_h: float = 10.0,
    cadence_p95_min_walk_s: float = 30.0,
) -> pd.DataFrame:
    """One row per local calendar date touched by the recording."""
    cols = list(
        [
            "date",
            "day_length_h",
            "data_min",
            "wear_min",
            "valid_day",
            "walk_min",
            "steps",
            "bouts",
            "cadence_mean_spm",
            "cadence_p95_spm",
            "mean_met",
        ]
    )
    if minutely.empty:
        return pd.DataFrame({c: [] for c in cols})
    m = pd.DataFrame(
        {
            "date": minutely["time"].dt.date,
            "walk_s": minutely["walk_s"].to_numpy(),
            "steps": minutely["steps"].to_numpy(),
            "wear": minutely["wear"].to_numpy(),
            "cad_w": (minutely["walk_s"] * minutely["cadence_stepping_spm"].fillna(0.0)).to_numpy(),
            "present": minutely["data"].to_numpy(),
            "met_w": (minutely["met"] * minutely["walk_s"]).fillna(0.0).to_numpy(),
            "cad_p": np.where(
                minutely["walk_s"].to_numpy() >= cadence_p95_min_walk_s,
                minutely["cadence_stepping_spm"].to_numpy(),
                np.nan,
            ),
        }
    )
    g = m.groupby("date", sort=True)
    day = pd.DataFrame(
        {
            "data_min": g["present"].sum().astype(np.int64),
            "wear_min": g["wear"].sum().astype(np.int64),
            "walk_s": g["walk_s"].sum(),
            "steps": g["steps"].sum().astype(np.int64),
            "cad_w": g["cad_w"].sum(),
            "met_w": g["met_w"].sum(),
            "cadence_p95_spm": g["cad_p"].quantile(0.95),
        }
    ).reset_index()
    walk = day["walk_s"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        day["cadence_mean_spm"] = np.where(
            walk > 0, day["cad_w"] / np.where(walk > 0, walk, 1), np.nan
        )
        day["mean_met"] = np.where(walk > 0, day["met_w"] / np.where(walk > 0, walk, 1), np.nan)
    day["walk_min"] = walk / 60.0
    day["valid_day"] = day["wear_min"] >= valid_day_min_wear_h * 60.0
    day["day_length_h"] = [day_length_h(d, tz) for d in day["date"]]
    bout_dates = bouts["start"].dt.date if len(bouts) else pd.Series([], dtype=object)
    counts = bout_dates.value_counts()
    day["bouts"] = [int(counts.get(d, 0)) for d in day["date"]]
    return day[cols]
