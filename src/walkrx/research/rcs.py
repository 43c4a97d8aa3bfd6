"""Restricted (natural) cubic spline basis in Harrell's parametrisation.

For knots ``t_1 < ... < t_k`` the basis is ``x`` plus ``k - 2`` non-linear terms

    S_j(x) = [(x - t_j)_+^3
              - (x - t_{k-1})_+^3 (t_k - t_j) / (t_k - t_{k-1})
              + (x - t_k)_+^3 (t_{k-1} - t_j) / (t_k - t_{k-1})] / (t_k - t_1)^2,

``j = 1 .. k-2`` (Harrell, *Regression Modeling Strategies*, 2nd ed., §2.4.5; the division by
``(t_k - t_1)^2`` only rescales the coefficients). The curve is cubic between knots and linear
beyond the outer knots. Knots default to the 10th, 50th and 90th percentiles (Harrell's
recommendation for three knots).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

DEFAULT_KNOT_PERCENTILES: tuple[float, ...] = (10.0, 50.0, 90.0)


def knots_at_percentiles(
    x: npt.ArrayLike, percentiles: Sequence[float] = DEFAULT_KNOT_PERCENTILES
) -> npt.NDArray[np.float64]:
    """Return knots at the given percentiles of ``x``; raise if they are not distinct."""
    arr = np.asarray(x, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        raise ValueError("cannot place spline knots: no finite values")
    knots: npt.NDArray[np.float64] = np.percentile(arr, list(percentiles))
    if np.any(np.diff(knots) <= 0):
        raise ValueError(f"spline knots are not distinct: {np.round(knots, 4).tolist()}")
    return knots


def rcs_basis(x: npt.ArrayLike, knots: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return the restricted cubic spline design matrix, shape ``(n, k - 1)``.

    Column 0 is ``x`` itself; columns 1.. are the non-linear terms ``S_j``.
    """
    t = np.asarray(knots, dtype=float)
    k = t.size
    if k < 3:
        raise ValueError(f"a restricted cubic spline needs at least 3 knots, got {k}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("knots must be strictly increasing")
    xv = np.asarray(x, dtype=float)
    scale = (t[-1] - t[0]) ** 2

    def cube(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.where(v > 0, v, 0.0) ** 3

    cols = [xv]
    tail_km1 = cube(xv - t[-2])
    tail_k = cube(xv - t[-1])
    denom = t[-1] - t[-2]
    for j in range(k - 2):
        term = cube(xv - t[j]) - tail_km1 * (t[-1] - t[j]) / denom + tail_k * (t[-2] - t[j]) / denom
        cols.append(term / scale)
    return np.column_stack(cols)
