"""Chunked step detection with overlap, so steps at chunk edges are neither lost nor doubled.

Every chunk is processed together with ``overlap_s`` of the preceding samples; a step is kept
only when it falls in the part of the buffer that has at least ``overlap_s`` of context on
both sides (or at the real start/end of the recording). With ``overlap_s`` much longer than
the filters' and the peak finder's reach (a few seconds), chunked and whole-file processing
give the same steps.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .base import StepDetector

_NS = 1_000_000_000


class ChunkedStepFinder:
    """Feed chunks with :meth:`push`, then call :meth:`finish`; both return peak times (UTC ns).

    After each call, ``last_prominence_g_`` holds the prominence of each returned peak, and
    ``last_period_s_`` / ``last_periodicity_`` its local step period and periodicity when the
    detector provides them (NaN / 0 otherwise).

    Gaps in the time stamps longer than ``max_gap_s`` (e.g. skipped corrupt blocks) split the
    signal: filters never run across missing data, and no samples are invented.
    """

    def __init__(
        self,
        detector: StepDetector,
        sampling_rate_hz: float,
        overlap_s: float = 20.0,
        max_gap_s: float = 1.0,
        active_range_g: float | None = None,
        weak_range_g: float | None = None,
        weak_run_s: int = 3,
    ) -> None:
        self.detector = detector
        self.sampling_rate_hz = float(sampling_rate_hz)
        self.overlap_ns = int(overlap_s * _NS)
        self.max_gap_ns = int(max_gap_s * _NS)
        self.active_range_g = active_range_g
        self.weak_range_g = weak_range_g
        self.weak_run_s = weak_run_s
        self._t = np.zeros(0, dtype=np.int64)
        self._a = np.zeros((0, 3), dtype=np.float32)
        self._accept_from = np.iinfo(np.int64).min
        self.last_prominence_g_ = np.zeros(0)
        self.last_period_s_ = np.zeros(0)
        self.last_periodicity_ = np.zeros(0)

    def _clear(self) -> None:
        self.last_prominence_g_ = np.zeros(0)
        self.last_period_s_ = np.zeros(0)
        self.last_periodicity_ = np.zeros(0)

    def push(
        self, time_ns: npt.NDArray[np.int64], acc_g: npt.NDArray[np.floating]
    ) -> npt.NDArray[np.int64]:
        """Add samples; return the steps that are now final."""
        self._clear()
        if time_ns.size == 0:
            return np.zeros(0, dtype=np.int64)
        self._t = np.concatenate([self._t, np.asarray(time_ns, dtype=np.int64)])
        self._a = np.concatenate([self._a, np.asarray(acc_g, dtype=np.float32)])
        if self._t[-1] - self._t[0] < 3 * self.overlap_ns:
            return np.zeros(0, dtype=np.int64)
        accept_until = int(self._t[-1]) - self.overlap_ns
        steps = self._process(self._accept_from, accept_until)
        keep_from = np.searchsorted(self._t, accept_until - self.overlap_ns)
        self._t = self._t[keep_from:].copy()
        self._a = self._a[keep_from:].copy()
        self._accept_from = accept_until
        return steps

    def finish(self) -> npt.NDArray[np.int64]:
        """Process what is left at the end of the recording."""
        steps = self._process(self._accept_from, np.iinfo(np.int64).max)
        self._t = np.zeros(0, dtype=np.int64)
        self._a = np.zeros((0, 3), dtype=np.float32)
        return steps

    def _process(self, lo: int, hi: int) -> npt.NDArray[np.int64]:
        t, a = self._t, self._a
        self._clear()
        if t.size == 0:
            return np.zeros(0, dtype=np.int64)
        cuts = np.flatnonzero(np.diff(t) > self.max_gap_ns) + 1
        bounds = np.r_[0, cuts, t.size]
        out: list[npt.NDArray[np.int64]] = []
        prom: list[npt.NDArray[np.float64]] = []
        per: list[npt.NDArray[np.float64]] = []
        reg: list[npt.NDArray[np.float64]] = []
        for s0, s1 in zip(bounds[:-1], bounds[1:], strict=True):
            if t[s1 - 1] < lo or t[s0] >= hi:
                continue
            for r0, r1 in self._active_runs(a, int(s0), int(s1)):
                det = self.detector.detect(a[r0:r1], self.sampling_rate_hz)
                st = t[r0:r1][det.step_idx_]
                keep = (st >= lo) & (st < hi)
                out.append(st[keep])
                prom.append(np.asarray(getattr(det, "step_prominence_g_", np.ones(st.size)))[keep])
                nan = np.full(st.size, np.nan)
                per.append(np.asarray(getattr(det, "step_period_s_", nan))[keep])
                reg.append(np.asarray(getattr(det, "step_periodicity_", np.zeros(st.size)))[keep])
        if not out:
            return np.zeros(0, dtype=np.int64)
        self.last_prominence_g_ = np.concatenate(prom)
        self.last_period_s_ = np.concatenate(per)
        self.last_periodicity_ = np.concatenate(reg)
        return np.concatenate(out)

    def _active_runs(self, a: npt.NDArray[np.float32], s0: int, s1: int) -> list[tuple[int, int]]:
        """Sub-ranges worth running the detector on (all of it unless ``active_range_g`` is set).

        A one-second block (aligned to UTC seconds, so the result does not depend on chunking)
        whose vector-magnitude range is below ``active_range_g`` cannot hold a step peak; runs of
        such blocks are skipped, keeping ``overlap_s / 2`` of padding around active blocks so the
        filters see the same neighbourhood as without skipping.

        With ``weak_range_g`` (below ``active_range_g``; for detectors that accept weak peaks
        only where the signal repeats), a block whose range is only above ``weak_range_g`` is
        active when it lies in a run of at least ``weak_run_s`` consecutive such (or stronger)
        seconds: a single weak second cannot hold a rhythmic walk of weak steps, and a lone
        movement there (shifting in a chair) is not worth filtering.
        """
        if self.active_range_g is None or s1 - s0 < 4 * self.sampling_rate_hz:
            return [(s0, s1)]
        sec = self._t[s0:s1] // _NS
        first = np.flatnonzero(np.r_[True, sec[1:] != sec[:-1]])
        seg = a[s0:s1]
        vm = np.sqrt(np.einsum("ij,ij->i", seg, seg, dtype=np.float32))
        rng = np.maximum.reduceat(vm, first) - np.minimum.reduceat(vm, first)
        active = rng >= self.active_range_g
        if self.weak_range_g is not None and self.weak_range_g < self.active_range_g:
            weak = rng >= self.weak_range_g
            # runs of consecutive weak-or-stronger seconds
            brk = np.flatnonzero(~weak[1:] | ~weak[:-1] | (np.diff(sec[first]) != 1)) + 1
            edges = np.r_[0, brk, weak.size]
            length = np.diff(edges)
            long_run = np.repeat(length >= self.weak_run_s, length)
            active |= weak & long_run
        if active.all():
            return [(s0, s1)]
        if not active.any():
            return []
        pad_s = self.overlap_ns // _NS // 2
        bsec = sec[first]
        act_sec = bsec[active]
        # a block is kept if an active block lies within pad_s seconds of it
        pos = np.searchsorted(act_sec, bsec)
        nxt = np.where(
            pos < act_sec.size, act_sec[np.minimum(pos, act_sec.size - 1)], np.iinfo(np.int64).max
        )
        prv = np.where(pos > 0, act_sec[np.maximum(pos - 1, 0)], np.iinfo(np.int64).min // 2)
        keep = ((nxt - bsec) <= pad_s) | ((bsec - prv) <= pad_s)
        d = np.diff(np.r_[0, keep.astype(np.int8), 0])
        starts = np.flatnonzero(d == 1)
        ends = np.flatnonzero(d == -1)
        bounds = np.r_[first, s1 - s0]
        return [
            (s0 + int(bounds[b0]), s0 + int(bounds[b1]))
            for b0, b1 in zip(starts, ends, strict=True)
        ]
