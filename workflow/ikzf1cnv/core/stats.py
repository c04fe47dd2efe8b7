"""Robust statistics used across the layers."""
from __future__ import annotations

import numpy as np

# The median absolute deviation times this estimates a normal distribution's SD.
MAD_SD = 1.4826


def mad_sd(x) -> float:
    """MAD_SD x the median absolute deviation from the median (no filtering)."""
    x = np.asarray(x, dtype=float)
    return MAD_SD * float(np.median(np.abs(x - np.median(x))))


def robust_sd(x) -> float:
    """mad_sd of the finite values; NaN with fewer than 3."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 3:
        return float("nan")
    return mad_sd(x)
