"""Synthetic accelerometer recordings with known truth, streamed in chunks.

A recording is a schedule of activities (walk, stand, sit, lie, non-wear) over N days.
Each walk holds a list of true step times (initial contacts) at a chosen cadence with
step-to-step variability. Samples are rendered on demand, chunk by chunk, so a week at
100 Hz costs only the chunk in memory.

Waveforms are "realistic-ish", not physiological models:

* ``lower-back``: vertical trunk acceleration with one impact per step and a sinusoid at
  the step frequency, medio-lateral sway at the stride frequency, forward surge per step.
* ``thigh``: the thigh pitches ±~25° once per stride (gravity rotates in the sensor frame),
  a strong impact at the ipsilateral and a weaker one at the contralateral foot contact.
* ``wrist``: arm swing (±~20° pitch once per stride) with its tangential acceleration and a
  small impact per step.

The sensor sits on the body in a random orientation (a random rotation per wear period), and
white noise is added. During non-wear the device lies still on a surface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from walkrx.sensors.base import ReadError, RecordingInfo, SampleChunk
from walkrx.signal.base import Placement, check_placement

_NS = 1_000_000_000


@dataclass
class Segment:
    """One activity period; times in seconds from the recording start."""

    start_s: float
    end_s: float
    kind: str  # "walk", "stand", "sit", "lie", "nonwear"
    rotation: npt.NDArray[np.float64]  # body-to-sensor rotation (3x3)
    step_s: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    cadence_spm: float = 0.0


def _random_rotation(rng: np.random.Generator) -> npt.NDArray[np.float64]:
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def _rot_y(theta: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], ...]:
    return np.cos(theta), np.sin(theta)


class SyntheticRecording:
    """A synthetic recording: call :meth:`iter_chunks` for samples, read ``truth_*`` for truth.

    Args:
        placement: ``lower-back``, ``thigh`` or ``wrist``.
        days: length of the recording in days (may be fractional).
        sampling_rate_hz: sample rate.
        start_utc: first sample instant (timezone-aware; defaults to 2024-03-04 00:00 UTC).
        seed: random seed (everything is reproducible from it).
        walk_min_per_day: approximate walking minutes per day.
        cadence_range_spm: cadences of walks are drawn uniformly from this range.
        step_cv: coefficient of variation of step intervals within a walk.
        noise_g: SD of the white noise added to each axis while worn.
        nonwear_h_per_day: hours per day the device is taken off (lying still on a table).
        tz: IANA zone stored in the info (the schedule itself is laid out in UTC hours).
        amplitude: lower back only: scale of the walking accelerations (1.0: walkrx's
            usual waveform; 0.5: half of it, as in slow, guarded walking).
        asymmetry: lower back only: step asymmetry of impaired gait, 0 (none) to below 1:
            step intervals alternate between ``1 + asymmetry / 2`` and ``1 - asymmetry / 2``
            times the mean, and the left foot's accelerations are ``1 - asymmetry`` times the
            right foot's.

    """

    def __init__(
        self,
        placement: Placement = "lower-back",
        days: float = 1.0,
        sampling_rate_hz: float = 100.0,
        start_utc: dt.datetime | None = None,
        seed: int = 0,
        walk_min_per_day: float = 90.0,
        cadence_range_spm: tuple[float, float] = (85.0, 125.0),
        step_cv: float = 0.03,
        noise_g: float = 0.004,
        nonwear_h_per_day: float = 1.5,
        tz: str | None = "UTC",
        amplitude: float = 1.0,
        asymmetry: float = 0.0,
    ) -> None:
        if not 0.0 <= asymmetry < 1.0:
            raise ValueError("asymmetry must be in [0, 1)")
        self.placement = check_placement(placement)
        if placement != "lower-back" and (amplitude != 1.0 or asymmetry > 0):
            raise ValueError("amplitude and asymmetry are modelled for the lower back only")
        self.days = days
        self.sampling_rate_hz = float(sampling_rate_hz)
        self.start_utc = start_utc or dt.datetime(2024, 3, 4, tzinfo=dt.UTC)
        if self.start_utc.tzinfo is None:
            raise ValueError("start_utc must be timezone-aware")
        self.seed = seed
        self.walk_min_per_day = walk_min_per_day
        self.cadence_range_spm = cadence_range_spm
        self.step_cv = step_cv
        self.noise_g = noise_g
        self.nonwear_h_per_day = nonwear_h_per_day
        self.tz = tz
        self.amplitude = amplitude
        self.asymmetry = asymmetry
        self.start_ns = int(pd.Timestamp(self.start_utc).value)
        self.n_samples = int(round(days * 86400 * self.sampling_rate_hz))
        self.segments = self._schedule()

    # ------------------------------------------------------------------ schedule
    def _schedule(self) -> list[Segment]:
        rng = np.random.default_rng(self.seed)
        total_s = self.n_samples / self.sampling_rate_hz
        segs: list[Segment] = []
        rot = _random_rotation(rng)
        t = 0.0
        day = 0
        while t < total_s:
            day_end = min((day + 1) * 86400.0, total_s)
            # night: lie 0:00-6:30 (worn), with a non-wear period in the evening
            night_end = min(day * 86400.0 + 6.5 * 3600, day_end)
            if t < night_end:
                segs.append(Segment(t, night_end, "lie", rot))
                t = night_end
            day_stop = min(day * 86400.0 + 21.0 * 3600, day_end)
            if day_stop - t > 60:
                t = self._daytime(segs, t, day_stop, rot, rng)
            if t < day_end and self.nonwear_h_per_day > 0:
                end = min(t + self.nonwear_h_per_day * 3600, day_end)
                segs.append(Segment(t, end, "nonwear", _random_rotation(rng)))
                t = end
                rot = _random_rotation(rng)  # re-attached differently
            if t < day_end:
                segs.append(Segment(t, day_end, "lie", rot))
                t = day_end
            day += 1
        return segs

    def _daytime(
        self,
        segs: list[Segment],
        t: float,
        stop: float,
        rot: npt.NDArray[np.float64],
        rng: np.random.Generator,
    ) -> float:
        """Alternate rest (sit or stand) and walks between ``t`` and ``stop``."""
        room = stop - t
        walk_s = min(self.walk_min_per_day * 60.0 * room / (14.5 * 3600), 0.5 * room)
        n_walks = max(1, int(rng.poisson(max(walk_s / 360.0, 1.0))))
        walks = rng.dirichlet(np.ones(n_walks)) * walk_s
        walks = np.maximum(walks, 12.0)
        rests = rng.dirichlet(np.ones(n_walks + 1)) * max(room - walks.sum(), 60.0)
        for i in range(n_walks + 1):
            rest = float(rests[i])
            sit = rest * float(rng.uniform(0.5, 0.95))
            for kind, dur in (("sit", sit), ("stand", rest - sit)):
                dur = min(dur, stop - t)
                if dur > 0:
                    segs.append(Segment(t, t + dur, kind, rot))
                    t += dur
            if i < n_walks and stop - t > walks[i]:
                seg = Segment(t, t + float(walks[i]), "walk", rot)
                self._add_steps(seg, rng)
                segs.append(seg)
                t += float(walks[i])
        if stop - t > 0:
            segs.append(Segment(t, stop, "sit", rot))
        return stop

    def _add_steps(self, seg: Segment, rng: np.random.Generator) -> None:
        cad = float(rng.uniform(*self.cadence_range_spm))
        mean_iv = 60.0 / cad
        n = int((seg.end_s - seg.start_s - 1.0) / mean_iv)
        iv = mean_iv * (1 + self.step_cv * rng.standard_normal(max(n - 1, 0)))
        if self.asymmetry > 0:  # long-short alternation of step intervals
            iv *= 1.0 + np.where(np.arange(iv.size) % 2 == 0, 0.5, -0.5) * self.asymmetry
        first = seg.start_s + 0.5
        steps = first + np.r_[0.0, np.cumsum(iv)]
        steps = steps[steps < seg.end_s - 0.3]
        seg.step_s = steps
        seg.cadence_spm = cad

    # ------------------------------------------------------------------ truth
    @property
    def truth_step_ns(self) -> npt.NDArray[np.int64]:
        """True step (initial contact) instants, UTC ns."""
        s = np.concatenate([g.step_s for g in self.segments if g.kind == "walk"] or [np.zeros(0)])
        return (self.start_ns + np.round(s * _NS)).astype(np.int64)

    @property
    def truth_bouts(self) -> pd.DataFrame:
        """True walking bouts: ``start``/``end`` (UTC, first/last step), ``steps``, ``cadence_spm``."""
        rows = []
        for g in self.segments:
            if g.kind == "walk" and g.step_s.size >= 2:
                rows.append(
                    {
                        "start": pd.Timestamp(self.start_ns + int(g.step_s[0] * _NS), tz="UTC"),
                        "end": pd.Timestamp(self.start_ns + int(g.step_s[-1] * _NS), tz="UTC"),
                        "duration_s": float(g.step_s[-1] - g.step_s[0]),
                        "steps": int(g.step_s.size),
                        "cadence_spm": g.cadence_spm,
                    }
                )
        return pd.DataFrame(rows, columns=["start", "end", "duration_s", "steps", "cadence_spm"])

    @property
    def truth_nonwear(self) -> list[tuple[int, int]]:
        """Non-wear periods as (start, end) UTC ns."""
        return [
            (self.start_ns + int(g.start_s * _NS), self.start_ns + int(g.end_s * _NS))
            for g in self.segments
            if g.kind == "nonwear"
        ]

    def info(self) -> RecordingInfo:
        """Recording metadata in the reader contract's form."""
        return RecordingInfo(
            path=f"synthetic-{self.placement}-seed{self.seed}",
            device="walkrx synthetic",
            device_id=str(self.seed),
            sample_rate_hz=self.sampling_rate_hz,
            tz=self.tz,
            n_samples=self.n_samples,
            start_utc_ns=self.start_ns,
            end_utc_ns=self.start_ns + int((self.n_samples - 1) * _NS / self.sampling_rate_hz),
        )

    # ------------------------------------------------------------------ samples
    def iter_chunks(
        self, chunk_samples: int = 1_000_000
    ) -> Iterator[tuple[SampleChunk, list[ReadError]]]:
        """Yield ``(SampleChunk, [])`` pairs like a reader does."""
        for i0 in range(0, self.n_samples, chunk_samples):
            i1 = min(i0 + chunk_samples, self.n_samples)
            yield self.render(i0, i1), []

    def samples(self, chunk_samples: int = 1_000_000) -> Iterator[SampleChunk]:
        """Yield plain :class:`SampleChunk` objects (what ``walkrx.synthetic.writers`` takes)."""
        for chunk, _ in self.iter_chunks(chunk_samples):
            yield chunk

    def render(self, i0: int, i1: int) -> SampleChunk:
        """Samples ``i0`` to ``i1`` (exclusive) of the recording."""
        fs = self.sampling_rate_hz
        idx = np.arange(i0, i1, dtype=np.int64)
        t_s = idx / fs
        time_ns = self.start_ns + (idx * _NS / fs).astype(np.int64)
        acc = np.zeros((i1 - i0, 3), dtype=np.float64)
        starts = np.array([g.start_s for g in self.segments])
        first = max(0, int(np.searchsorted(starts, t_s[0], side="right")) - 1)
        for g in self.segments[first:]:
            if g.start_s > t_s[-1]:
                break
            a = int(np.searchsorted(t_s, g.start_s))
            b = int(np.searchsorted(t_s, g.end_s))
            if b <= a:
                continue
            acc[a:b] = self._render_segment(g, t_s[a:b])
        nonwear = np.zeros(i1 - i0, dtype=bool)
        for g in self.segments[first:]:
            if g.kind == "nonwear" and g.start_s <= t_s[-1]:
                nonwear[(t_s >= g.start_s) & (t_s < g.end_s)] = True
        noise = self._noise(i0, i1)
        noise[nonwear] *= 0.2
        acc += noise
        return SampleChunk(time_ns=time_ns, acc_g=acc.astype(np.float32))

    def _noise(self, i0: int, i1: int) -> npt.NDArray[np.float64]:
        """White noise that depends only on the sample index, not on the chunking."""
        blk = 1 << 16
        parts = []
        for b in range(i0 // blk, (i1 - 1) // blk + 1):
            z = np.random.default_rng([self.seed, 7919, b]).standard_normal((blk, 3))
            lo = max(i0, b * blk) - b * blk
            hi = min(i1, (b + 1) * blk) - b * blk
            parts.append(z[lo:hi])
        return np.concatenate(parts) * self.noise_g

    def _render_segment(self, g: Segment, t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        n = t.size
        body = np.zeros((n, 3))  # body frame: x forward, y left, z up
        p = self.placement
        if g.kind == "nonwear":
            return np.tile(g.rotation @ np.array([0.0, 0.0, 1.0]), (n, 1))
        if g.kind == "walk" and g.step_s.size >= 2:
            body = self._walk(g, t)
        else:
            tilt = {
                ("lower-back", "sit"): 0.25,
                ("lower-back", "lie"): 1.5,
                ("thigh", "sit"): 1.5,
                ("thigh", "lie"): 1.5,
                ("wrist", "sit"): 1.0,
                ("wrist", "lie"): 1.3,
            }.get((p, g.kind), 0.05)
            slow = 0.02 * np.sin(2 * np.pi * t / 37.0)  # slow postural sway
            body[:, 0] = np.sin(tilt + slow)
            body[:, 2] = np.cos(tilt + slow)
            self._fidget(g, t, body)
        return body @ g.rotation.T

    def _fidget(
        self, g: Segment, t: npt.NDArray[np.float64], body: npt.NDArray[np.float64]
    ) -> None:
        """Add short movement bursts (shifting in the chair, reaching) while resting."""
        rate = 1 / 600.0 if g.kind == "lie" else 1 / 60.0
        rng = np.random.default_rng([self.seed, int(g.start_s * 1000)])
        n = int(rng.poisson((g.end_s - g.start_s) * rate))
        centres = np.sort(rng.uniform(g.start_s, g.end_s, n))
        amps = rng.uniform(0.03, 0.15, n)
        freqs = rng.uniform(1.0, 3.0, n)
        axes = rng.integers(0, 3, n)
        lo = np.searchsorted(centres, t[0] - 2.0)
        hi = np.searchsorted(centres, t[-1] + 2.0)
        for c, a, f, ax in zip(centres[lo:hi], amps[lo:hi], freqs[lo:hi], axes[lo:hi], strict=True):
            i0 = int(np.searchsorted(t, c - 1.5))
            i1 = int(np.searchsorted(t, c + 1.5))
            if i1 > i0:
                tt = t[i0:i1] - c
                body[i0:i1, ax] += a * np.exp(-((tt / 0.3) ** 2)) * np.sin(2 * np.pi * f * tt)

    def _walk(self, g: Segment, t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        st = g.step_s
        k = np.clip(np.searchsorted(st, t, side="right") - 1, 0, st.size - 2)
        t0 = st[k]
        t1 = st[k + 1]
        inside = (t >= st[0]) & (t < st[-1])
        ph = np.clip((t - t0) / (t1 - t0), 0.0, 1.0)  # step phase 0..1
        side = (k % 2).astype(np.float64)  # 0 = right foot (sensor side), 1 = left
        stride_ph = (side + ph) / 2.0  # stride phase 0..1
        # impact: a sharp positive pulse just after contact followed by a rebound
        dt_s = (t - t0) * 1.0
        impact = np.exp(-(((dt_s - 0.04) / 0.03) ** 2)) - 0.4 * np.exp(
            -(((dt_s - 0.12) / 0.05) ** 2)
        )
        cyc = np.cos(2 * np.pi * ph)
        out = np.zeros((t.size, 3))
        p = self.placement
        if p == "lower-back":
            vert = 0.25 * cyc + 0.35 * impact
            fwd = 0.12 * np.sin(2 * np.pi * ph) + 0.05 * impact
            lat = 0.08 * np.sin(2 * np.pi * stride_ph)
            out[:, 0] = fwd + np.sin(0.05)
            out[:, 1] = lat
            out[:, 2] = np.cos(0.05) + vert
        elif p == "thigh":
            theta = 0.1 + 0.42 * np.sin(2 * np.pi * (stride_ph + 0.25))  # pitch, rad
            strength = np.where(side == 0, 0.7, 0.35)
            along = strength * impact
            swing = 0.25 * np.sin(2 * np.pi * stride_ph)
            c, s = np.cos(theta), np.sin(theta)
            out[:, 0] = s + swing
            out[:, 2] = c + along
        else:  # wrist
            theta = 0.35 * np.sin(2 * np.pi * stride_ph)
            c, s = np.cos(theta), np.sin(theta)
            tang = 0.3 * np.cos(2 * np.pi * stride_ph)
            bump = 0.22 * impact + 0.06 * cyc
            out[:, 0] = s + tang
            out[:, 2] = c + bump
        rest = np.array([np.sin(0.05), 0.0, np.cos(0.05)])
        if self.amplitude != 1.0 or self.asymmetry > 0:  # lower back (checked in __init__)
            # scale the dynamic part; the left (weaker) step by 1 - asymmetry
            gain = self.amplitude * np.where(side == 1, 1.0 - self.asymmetry, 1.0)
            out = rest + (out - rest) * gain[:, None]
        out[~inside] = rest
        return out
