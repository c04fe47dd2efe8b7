"""Making a pooled reference trustworthy when it is built from few normals or from tumours.

Two failure modes seen in the accuracy benchmark (docs/accuracy.md):

* **Few normals.** CNVkit's per-bin `spread` is the spread of the normals at that bin.
  From two normals it is the spread of two numbers: some bins get ~0, others several
  times their true noise, and an exon whose bin drew a large spread can no longer be
  called. `shrink_spread` pulls each bin's variance towards a prior fitted over all
  target bins (a constant plus a term in 1 / (depth x length): read-count noise),
  weighted by degrees of freedom (empirical Bayes): with many normals a bin keeps its own.

* **No normals (the cohort's tumours pooled).** The median or biweight mean of the
  tumours at a bin is pulled down when a third of them carry a deletion there (IKZF1 in
  B-ALL), and their spread is inflated: the very exons one wants to call get a biased
  baseline and a huge variance. `lower_trimmed_location` re-estimates each bin from the
  tumours' log2 ratios against that first reference, leaving out, iteratively, values
  far below the bin's centre (deletions only go down; a gain of a whole chromosome moves
  the sample's chromosome, and is one-sided the other way).
"""
from __future__ import annotations

import numpy as np

from ..core.stats import MAD_SD

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


def _window_z(z: np.ndarray, groups: np.ndarray, window: int) -> np.ndarray:
    """Sum of z over a centred window of bins within each group, / sqrt(count): a run of
    bins that is low together stands out although each bin alone does not."""
    out = np.full(z.shape, np.nan)
    half = window // 2
    for g in dict.fromkeys(groups):
        idx = np.flatnonzero(groups == g)
        zz = z[idx]
        fin = np.isfinite(zz)
        cs = np.vstack([np.zeros((1, z.shape[1])), np.cumsum(np.where(fin, zz, 0.0), axis=0)])
        cn = np.vstack([np.zeros((1, z.shape[1])), np.cumsum(fin, axis=0)])
        lo = np.clip(np.arange(len(idx)) - half, 0, len(idx))
        hi = np.clip(np.arange(len(idx)) + half + 1, 0, len(idx))
        tot, cnt = cs[hi] - cs[lo], cn[hi] - cn[lo]
        with np.errstate(all="ignore"):
            out[idx] = np.where(cnt > 0, tot / np.sqrt(cnt), np.nan)
    return out


def lower_trimmed_location(matrix: np.ndarray, k: float, groups=None, window: int = 1,
                           iters: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row (bin) of a bins x samples matrix: the median of the values kept, where a
    value is left out when it lies more than k robust SDs below the bin's centre, alone or
    summed with its neighbours (a centred window of `window` bins within the same group,
    e.g. chromosome: deletions span neighbouring bins). Iterated from the plain median.
    Returns (location, robust SD of the kept values, number kept). NaNs are ignored."""
    m = np.asarray(matrix, dtype=float)
    groups = np.zeros(m.shape[0]) if groups is None else np.asarray(groups)
    keep = np.isfinite(m)
    loc = np.full(m.shape[0], np.nan)
    sd = np.full(m.shape[0], np.nan)
    for _ in range(iters):
        mk = np.where(keep, m, np.nan)
        with np.errstate(all="ignore"):
            loc = np.nanmedian(mk, axis=1)
            sd = MAD_SD * np.nanmedian(np.abs(mk - loc[:, None]), axis=1)
            z = (m - loc[:, None]) / np.maximum(sd, 1e-6)[:, None]
        new = np.isfinite(m) & (z >= -k)
        if window > 1:
            new &= ~(_window_z(z, groups, window) < -k)
        if np.array_equal(new, keep):
            break
        keep = new
    return loc, sd, keep.sum(axis=1)
