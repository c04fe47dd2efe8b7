"""The arithmetic of purity.

A loss of k copies (k = 1 or 2) in a fraction f of all cells leaves 2 - f*k copies on
average, so the expected log2 ratio against a diploid reference is log2(1 - f*k/2).
For a blast fraction p and an event in a fraction c of the blasts, f = p*c.
"""
from __future__ import annotations


import numpy as np


def expected_log2(f, k, floor: float | None = None):
    """Expected log2 ratio of a k-copy loss (negative k: gain) in a fraction f of cells.

    `floor` clamps the result from below (a total loss in all cells is -inf in theory,
    a few stray reads in practice)."""
    r = 1.0 - np.asarray(f, dtype=float) * np.asarray(k, dtype=float) / 2.0
    with np.errstate(divide="ignore"):
        out = np.log2(np.maximum(r, 0.0))
    if floor is not None:
        out = np.maximum(out, floor)
    return out if np.ndim(out) else float(out)


def cell_fraction(log2: float, k: int = 1) -> float:
    """Fraction of cells with a k-copy loss that explains an observed log2 (inverse of
    expected_log2); not clipped, so values above 1 flag a deeper event than k copies."""
    return 2.0 * (1.0 - 2.0 ** log2) / k


def tumour_copy_number(log2: float, purity: float) -> float:
    """Copy number in the tumour cells given the mixture's log2 and the tumour fraction,
    assuming the normal cells are diploid: 2 - 2(1 - 2^log2)/p."""
    if not (purity and purity > 0):
        raise ValueError("purity must be > 0")
    return 2.0 - 2.0 * (1.0 - 2.0 ** log2) / purity
