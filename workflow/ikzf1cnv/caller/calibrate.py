"""Calibrating the caller's evidence threshold (the switch penalty) to a false-positive rate.

Under the null (no event; every position's log2 ~ N(0, se)) the model calls an event in
a window of n positions with a probability that falls as the switch penalty P rises and
grows with n. An event of one run costs two breakpoints (2P), so the model calls one in
a null draw exactly when the best single run's gain over "no event", at the best cell
fraction and state, exceeds 2P (several runs cost more per unit of gain, never less).
The largest penalty at which a draw is still called is therefore half its best run's
gain: computed here for many draws at once with cumulative sums (Kadane's maximum
subarray), which makes windows of hundreds of positions affordable.

The table (resources/penalty_calibration.tsv, scripts/calibrate_penalty.py) gives, for
each n and rate, the (1 - rate) quantile of that critical penalty.
"""
from __future__ import annotations

import numpy as np

from .model import STATES, ModelParams, huber
from .purity import expected_log2


def _max_run_sum(g: np.ndarray) -> np.ndarray:
    """Largest sum of a non-empty contiguous run along the last axis (any leading shape)."""
    c = np.cumsum(g, axis=-1)
    zero = np.zeros(g.shape[:-1] + (1,))
    prev_min = np.minimum.accumulate(np.concatenate([zero, c[..., :-1]], axis=-1), axis=-1)
    return np.max(c - prev_min, axis=-1)


def critical_penalties(x: np.ndarray, se: float | np.ndarray, params: ModelParams = ModelParams(),
                       f_max: float = 1.0) -> np.ndarray:
    """For each row of x (draws x positions, log2 values), the largest switch penalty at
    which the model would still call an event in it (0 when none would ever be called)."""
    x = np.maximum(np.atleast_2d(np.asarray(x, dtype=float)), params.log2_floor)
    s = np.broadcast_to(np.asarray(se, dtype=float), x.shape)
    fgrid = np.round(np.arange(params.f_min, f_max + 1e-9, params.f_step), 6)
    null = huber(x / s, params.huber_k)
    best = np.zeros(x.shape[0])
    for f in fgrid:
        for k in STATES[1:]:
            mu = expected_log2(f, k, floor=params.log2_floor)
            g = null - huber((x - mu) / s, params.huber_k)
            best = np.maximum(best, _max_run_sum(g) - (params.biallelic_penalty if k == 2 else 0.0))
    return best / 2.0


DRAWS_AT_ONCE = 500  # null draws simulated at a time (memory)


def calibration_table(ns, rates, draws: int, seed: int, se: float = 0.1,
                      params: ModelParams = ModelParams()) -> list[tuple[int, float, float]]:
    """(n, rate, penalty) rows: the smallest penalty whose null false-positive rate per
    window of n positions is at most `rate`, non-decreasing in n for each rate (a longer
    window can only have more false positives; Monte Carlo noise in the tail can dip)."""
    rows = []
    for n in ns:
        rng = np.random.default_rng(seed + n)
        crit = np.concatenate([critical_penalties(rng.normal(0, se, (min(DRAWS_AT_ONCE, draws - i), n)), se, params)
                               for i in range(0, draws, DRAWS_AT_ONCE)])
        rows += [(n, r, float(np.quantile(crit, 1 - r))) for r in rates]
    for r in rates:
        best = 0.0
        for i, (n, rr, pen) in enumerate(rows):
            if rr == r:
                best = max(best, pen)
                rows[i] = (n, rr, best)
    return rows
