"""CNVkit's biweight location and midvariance (cnvlib.descriptives) of every column of a
matrix at once, with the same floating-point results as calling them column by column.

CNVkit's reference calls them once per bin (np.apply_along_axis: ~60,000 calls for 20,000
bins, most of the reference step's time). Here each step runs on all columns together;
what makes the results identical is doing each operation as numpy does it on one column:
the elementwise arithmetic is the same, a median is the middle value (or the mean of the
two middle ones, as np.median sums them) and a sum of a column's selected values follows
numpy's summation order (pairwise, eight accumulators: pairwise below). Tested against
cnvlib on random and tied data (tests/test_reference_fast.py).
"""
from __future__ import annotations

import numpy as np

MAD_SCALE = 1.4826   # cnvlib.descriptives.biweight_midvariance: the MAD's normal scale


def _pairwise(r: np.ndarray) -> np.ndarray:
    """numpy's pairwise summation of each column of r (rows summed in order), as
    np.add.reduce runs it on a contiguous 1-D array: under 8 values one after the other
    from 0.0; up to 128 in 8 accumulators, combined as a tree, then the rest; above, the
    two halves (at a multiple of 8) each so."""
    n = r.shape[0]
    if n < 8:
        res = np.zeros(r.shape[1:])
        for i in range(n):
            res = res + r[i]
        return res
    if n <= 128:
        acc = [r[j].copy() for j in range(8)]
        i = 8
        while i < n - (n % 8):
            for j in range(8):
                acc[j] = acc[j] + r[i + j]
            i += 8
        res = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for k in range(i, n):
            res = res + r[k]
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(r[:half]) + _pairwise(r[half:])


def col_sums(values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """np.sum(values[mask[:, j], j]) of every column j, bit for bit (the reduction adds its
    pairwise sum to 0.0); mask None: every row."""
    if mask is None:
        return 0.0 + _pairwise(values)
    order = np.argsort(~mask, axis=0, kind="stable")     # each column's selected rows first, in order
    packed = np.take_along_axis(values, order, axis=0)
    count = mask.sum(axis=0)
    out = np.zeros(values.shape[1])
    for k in np.unique(count):
        cols = count == k
        out[cols] = 0.0 + _pairwise(packed[:k, cols])
    return out


def col_medians(values: np.ndarray) -> np.ndarray:
    """np.median of every column (no NaN): the middle value, or the two middle ones summed
    as np.mean sums them, halved."""
    s = np.sort(values, axis=0)
    n = s.shape[0]
    if n % 2:
        return 0.0 + s[n // 2]
    return (0.0 + ((0.0 + s[n // 2 - 1]) + s[n // 2])) / 2.0


def biweight_location(a: np.ndarray, c: float = 6.0, epsilon: float = 1e-3, max_iter: int = 5) -> np.ndarray:
    """cnvlib.descriptives.biweight_location of every column of `a` (rows: observations; no
    NaN): from the median, up to max_iter reweightings, each column stopping on its own."""
    n, m = a.shape
    if n == 1:
        return a[0].astype(float)
    initial = col_medians(a)
    result = initial.copy()
    cols = np.arange(m)
    for _ in range(max_iter):
        if not len(cols):
            break
        ini = initial[cols]
        d = a[:, cols] - ini
        mad = col_medians(np.abs(d))
        scale = c * mad
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            w = (1 - (d / scale) ** 2) ** 2
        mask = w < 1
        ws = col_sums(w, mask)
        ok = (mad != 0) & (ws != 0)
        res = ini.copy()          # no spread, or no weight: the location stays where it is
        with np.errstate(divide="ignore", invalid="ignore"):
            res[ok] = ini[ok] + col_sums(d * w, mask)[ok] / ws[ok]
        result[cols] = res
        done = ~ok | (np.abs(res - ini) <= epsilon * np.where(mad != 0, scale, 0.0))
        initial[cols] = res
        cols = cols[~done]
    return result


def biweight_midvariance(a: np.ndarray, initial: np.ndarray, c: float = 9.0, epsilon: float = 1e-3) -> np.ndarray:
    """cnvlib.descriptives.biweight_midvariance of every column of `a` (no NaN) about its
    `initial` location."""
    n, m = a.shape
    if n == 1:
        return np.zeros(m)
    d = a - initial
    mad = col_medians(np.abs(d))
    cm = c * mad
    w = d / np.where(epsilon > cm, epsilon, cm)        # Python's max(c * mad, epsilon)
    mask = np.abs(w) < 1
    w2 = w ** 2
    num = mask.sum(axis=0) * col_sums(d ** 2 * (1 - w2) ** 4, mask)
    # a scalar's ** 2 is libm's pow (the column's sum is a numpy scalar there); an array's ** 2
    # multiplies, which differs in the last bit now and then: float_power is pow
    den = np.float_power(col_sums((1 - w2) * (1 - 5 * w2), mask), 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sqrt(num / den)
    flat = col_sums(w, mask) == 0
    out[flat] = mad[flat] * MAD_SCALE
    return out
