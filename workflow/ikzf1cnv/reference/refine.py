"""Making a pooled reference trustworthy when it is built from few normals (seen in the
accuracy benchmark, docs/accuracy.md; a reference pooled from tumours: reference.baseline).

CNVkit's per-bin `spread` is the spread of the normals at that bin. From two normals it is
the spread of two numbers: some bins get ~0, others several times their true noise, and an
exon whose bin drew a large spread can no longer be called. `shrink_spread` pulls each
bin's variance towards a prior fitted over all target bins (a constant plus a term in
1 / (depth x length): read-count noise), weighted by degrees of freedom (empirical Bayes):
with many normals a bin keeps its own.
"""
from __future__ import annotations

import numpy as np


LN2 = np.log(2.0)


def spread_prior(spread: np.ndarray, depth: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Per-bin prior variance a + b / (depth x length), fitted by least squares to the
    observed spread^2 over the bins (a, b >= 0)."""
    s2 = np.asarray(spread, dtype=float) ** 2
    x = 1.0 / np.maximum(np.asarray(depth, dtype=float) * np.asarray(length, dtype=float), 1e-9)
    ok = np.isfinite(s2) & np.isfinite(x)
    if ok.sum() < 3:
        return np.full(len(s2), np.nanmedian(s2) if np.isfinite(s2).any() else 0.0)
    a_mat = np.column_stack([np.ones(ok.sum()), x[ok]])
    coef, *_ = np.linalg.lstsq(a_mat, s2[ok], rcond=None)
    a, b = coef
    if b < 0:  # no read-count term: a constant
        a, b = float(np.mean(s2[ok])), 0.0
    if a < 0:  # no constant: through the origin
        a, b = 0.0, float(np.sum(x[ok] * s2[ok]) / np.sum(x[ok] ** 2))
    return a + b * x


def shrink_spread(spread: np.ndarray, depth: np.ndarray, length: np.ndarray, n_samples,
                  prior_df: float) -> np.ndarray:
    """Spread shrunk towards the fitted prior: s^2 = (df s_b^2 + d0 s0_b^2) / (df + d0), df = n - 1
    (n: samples behind each bin's spread, a number or one per bin)."""
    s = np.asarray(spread, dtype=float)
    df = np.maximum(np.asarray(n_samples, dtype=float) - 1.0, 0.0)
    if prior_df <= 0 or len(s) == 0:
        return s
    prior = spread_prior(s, depth, length)
    s2 = np.where(np.isfinite(s), s ** 2, prior)
    return np.sqrt((df * s2 + prior_df * prior) / (df + prior_df))
