"""Panel-of-normals denoising: remove the bias patterns that the normals share.

Sample-specific biases (a GC-like slope that differs by sample and run, capture batch
effects) move many bins together in a fixed pattern. The normals show those patterns:
their bin log2 ratios against the pooled reference, recentred, form a bins x normals
matrix whose leading left singular vectors are the patterns. A tumour's log2 ratios are
regressed on them over bins without copy-number change (robustly: outlying bins are left
out) and the fitted pattern is subtracted. With n normals at most n - 1 patterns exist.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.bins import isin_names, lookup
from ..core.constants import AUTOSOMES
from ..core.files import log
from ..core.stats import mad_sd


def components(matrix: np.ndarray, k: int) -> np.ndarray:
    """Leading k left singular vectors of a bins x normals matrix (rows centred first)."""
    m = np.asarray(matrix, dtype=float)
    m = np.where(np.isfinite(m), m, 0.0)
    m = m - m.mean(axis=1, keepdims=True)
    k = max(0, min(k, m.shape[1] - 1))
    if k == 0:
        return np.zeros((m.shape[0], 0))
    u, s, _ = np.linalg.svd(m, full_matrices=False)
    u = u[:, :k]
    # fixed sign (deterministic output): largest-magnitude loading positive
    sign = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(k)])
    return u * sign


def remove(log2: np.ndarray, comps: np.ndarray, use: np.ndarray, clip: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """Subtract the fitted bias patterns from log2; fit on bins `use` (bool), dropping bins
    whose residual exceeds `clip` robust SDs (copy-number changes) and refitting once.
    Returns (denoised log2, coefficients)."""
    l = np.asarray(log2, dtype=float)
    if comps.shape[1] == 0:
        return l, np.zeros(0)
    ok = use & np.isfinite(l)
    coef = np.zeros(comps.shape[1])
    for _ in range(2):
        med = np.median(l[ok])
        coef, *_ = np.linalg.lstsq(comps[ok], l[ok] - med, rcond=None)
        res = l - med - comps @ coef
        sd = mad_sd(res[ok])
        ok = ok & (np.abs(res) <= clip * max(sd, 1e-6))
    return l - comps @ coef, coef


def apply(bins: pd.DataFrame, comps: pd.DataFrame) -> pd.DataFrame:
    """The bins with the normals' bias patterns (the reference's denoise.tsv, read) removed:
    fitted on the autosomal bins (remove)."""
    pcs = [c for c in comps.columns if c.startswith("pc")]
    if not pcs:
        return bins
    at = lookup(comps, bins, pcs)   # each bin's loadings (a left merge on the coordinates), 0 where it has none
    v = np.column_stack([at[c] for c in pcs])
    v = np.where(np.isnan(v), 0.0, v)
    use = isin_names(bins["chromosome"].to_numpy(dtype=object), AUTOSOMES)
    l2, coef = remove(bins["log2"].to_numpy(), v, use)
    log.info("denoised with %d component(s), coefficients %s", len(pcs), np.round(coef, 3).tolist())
    return bins.assign(log2=l2)
