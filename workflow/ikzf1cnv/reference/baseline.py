"""The copy-neutral baseline of a reference pooled from tumours (no normals).

A tumour-pooled reference puts each bin at the tumours' median. Where most of the pool
carries a deletion (IKZF1 in Ph+ ALL: 66-80%), the median is the deleted level: the
deleted tumours then read as wild type and the rest as gains. Deletions only lower a bin,
so the copy-neutral level is the upper cluster of the tumours at that bin, not their
median. Here, from each tumour's log2 ratios against the first-pass reference (bins x
tumours):

1. each tumour's value is taken relative to its own arm's level, from the arm's bins
   outside the gene windows, off-target bins included (a gained or lost chromosome moves
   the whole arm; a focal deletion does not); chrX by its own level, its PARs by the
   copies that implies plus a Y in a male, arm_relative;
2. each bin's baseline is the upper cluster of those values: found from the top (the
   median of the highest few means over a centred window of neighbouring bins: a
   deletion spans neighbouring bins, a noise spike does not), then refined to the values
   within `trim` noise SDs of it, upper_cluster;
3. a gene is safe when its baseline rests on at least `min_tumours` tumours at every
   exon bin and no tumour sits clearly above it over the gene (what a baseline at the
   deleted level leaves: the few undeleted tumours above it), gene_safety. Where a gene is
   not safe the caller makes it not_evaluable, never a call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.stats import MAD_SD


@dataclass(frozen=True)
class ClusterSettings:
    """config `cohort_reference_*`: the noise SDs around the cluster (`trim`), the bins
    judged together (`window`), the tumours a gene's baseline needs (`min_tumours`), how far
    above the baseline a tumour's mean over a gene marks it as sitting clearly above it (at
    least `above_min` log2 and `above_z` times its chance spread), and the bins outside the
    windows an arm needs for its own level (`min_arm_bins`)."""
    trim: float
    window: int
    min_tumours: int
    above_z: float
    above_min: float
    min_arm_bins: int = 10


X_NONPAR, X_PAR = -2, -3        # region codes of chrX outside and inside its pseudo-autosomal regions
MALE_X = -0.415                 # chrX outside the PARs below log2(0.75): one X copy (a male)
MIN_TARGET_LEVEL_BINS = 3       # target bins a level may rest on (their median: a backbone's few probes)


def _median_level(m: np.ndarray, src: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.nanmedian(m[src], axis=0)


def _level(m: np.ndarray, sources: list[np.ndarray], min_bins: list[int]) -> np.ndarray | None:
    """The median of the first source with enough bins (None when none has)."""
    for src, k in zip(sources, min_bins):
        if src.sum() >= k:
            return _median_level(m, src)
    return None


def arm_relative(m: np.ndarray, region: np.ndarray, chrom: np.ndarray, level_bins: np.ndarray,
                 is_target: np.ndarray, min_bins: int) -> np.ndarray:
    """Each tumour's values minus its own level there (bins x tumours). `region`: an
    autosomal arm's index, X_NONPAR or X_PAR; its level is the median of its `level_bins`:
    target bins first (MIN_TARGET_LEVEL_BINS of the arm, else of the chromosome), then
    off-target ones (`min_bins`), which are noisier and fewer reads. chrX's PARs take the
    level the tumour's X copies imply there, plus a Y in a male (a male reads chrX at about
    -1 but its PARs at 0); other bins (-1) are left as they are."""
    y = np.array(m, dtype=float)
    counts = [MIN_TARGET_LEVEL_BINS, MIN_TARGET_LEVEL_BINS, min_bins, min_bins]
    for a in np.unique(region[region >= 0]):
        on = region == a
        chrom_bins = chrom == chrom[on][0]
        lv = _level(m, [on & level_bins & is_target, chrom_bins & level_bins & is_target,
                        on & level_bins & ~is_target, chrom_bins & level_bins & ~is_target], counts)
        if lv is not None:
            y[on] -= lv
    xb = (region == X_NONPAR) & level_bins
    x = _level(m, [xb & is_target, xb & ~is_target], counts[1:3])
    if x is not None:
        y[region == X_NONPAR] -= x
        male = np.where(np.isfinite(x), x < MALE_X, False)
        with np.errstate(all="ignore"):
            y[region == X_PAR] -= np.log2(2.0 ** x + male / 2.0)
    return y


def tumour_noise(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each tumour's bin-to-bin noise: the robust SD of the differences of neighbouring bins
    (within each group, a chromosome) / sqrt 2, over all its bins: the probes of the gene
    windows as well as the backbone's (a deletion adds only a jump or two)."""
    diffs = []
    for g in dict.fromkeys(groups):
        v = y[groups == g]
        if len(v) > 1:
            diffs.append(np.diff(v, axis=0))
    d = np.concatenate(diffs) if diffs else np.full((1, y.shape[1]), np.nan)
    with np.errstate(all="ignore"):
        s = MAD_SD * np.nanmedian(np.abs(d - np.nanmedian(d, axis=0)), axis=0) / np.sqrt(2.0)
    return np.where(np.isfinite(s) & (s > 0), s, np.nanmedian(s) if np.isfinite(s).any() else 1.0)


def window_mean(y: np.ndarray, groups: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """The mean of a centred window of `window` bins within each group (chromosome), and
    how many values it holds."""
    out, cnt = np.full(y.shape, np.nan), np.zeros(y.shape)
    half = window // 2
    for g in dict.fromkeys(groups):
        idx = np.flatnonzero(groups == g)
        v = y[idx]
        fin = np.isfinite(v)
        cs = np.vstack([np.zeros((1, y.shape[1])), np.cumsum(np.where(fin, v, 0.0), axis=0)])
        cn = np.vstack([np.zeros((1, y.shape[1])), np.cumsum(fin, axis=0)])
        lo = np.clip(np.arange(len(idx)) - half, 0, len(idx))
        hi = np.clip(np.arange(len(idx)) + half + 1, 0, len(idx))
        tot, n = cs[hi] - cs[lo], cn[hi] - cn[lo]
        with np.errstate(all="ignore"):
            out[idx] = np.where(fin & (n > 0), tot / np.maximum(n, 1), np.nan)
        cnt[idx] = np.where(fin, n, 0)
    return out, cnt


def upper_cluster(y: np.ndarray, noise: np.ndarray, groups: np.ndarray, s: ClusterSettings,
                  iters: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per bin (row of a bins x tumours matrix): the location of the upper cluster of the
    values (the median of its members), their robust SD and how many tumours it holds.

    It starts at the median of the `min_tumours` highest window means (window_mean over
    `window` neighbouring bins: a lone high value does not start it). A value belongs to
    the cluster unless it lies more than `trim` of its tumour's bin-to-bin noise SDs below
    it. What lies above is the cluster's scatter or a gain, to which the median is
    robust; deletions only lower a value. Started from the top, the location settles on the
    highest cluster, not on the majority's."""
    ys, _ = window_mean(y, groups, s.window)
    top = -np.sort(-np.where(np.isfinite(ys), ys, -np.inf), axis=1)[:, :max(s.min_tumours, 1)]
    with np.errstate(all="ignore"):
        loc = np.nanmedian(np.where(np.isfinite(top), top, np.nan), axis=1)
    tol = s.trim * noise
    member = np.zeros(y.shape, dtype=bool)
    for _ in range(iters):
        new = np.isfinite(y) & (y >= loc[:, None] - tol[None, :])
        if np.array_equal(new, member):
            break
        member = new
        with np.errstate(all="ignore"):
            loc = np.where(member.any(axis=1), np.nanmedian(np.where(member, y, np.nan), axis=1), loc)
    with np.errstate(all="ignore"):
        spread = MAD_SD * np.nanmedian(np.abs(np.where(member, y, np.nan) - loc[:, None]), axis=1)
    return np.where(member.any(axis=1), loc, np.nan), spread, member.sum(axis=1)


def block_sd(resid: np.ndarray, groups: np.ndarray, k: int) -> np.ndarray:
    """Per tumour, the robust SD of the means of runs of `k` neighbouring bins (a centred
    window, every k-th one): how far a gene's mean strays by chance in that tumour, its
    regional biases included (a GC-like slope moves neighbours together; independent noise
    alone would understate it). `resid`: the bins outside the gene windows, in order."""
    means, cnt = window_mean(resid, groups, k)
    pick = np.arange(len(resid)) % max(k, 1) == 0
    m = np.where(cnt[pick] >= max(k // 2, 1), means[pick], np.nan)
    with np.errstate(all="ignore"):
        return MAD_SD * np.nanmedian(np.abs(m - np.nanmedian(m, axis=0)), axis=0)


def gene_safety(resid: np.ndarray, spread: np.ndarray, n_members: np.ndarray, gene_bins: np.ndarray,
                exon_bins: np.ndarray, s: ClusterSettings) -> dict:
    """A gene's baseline: the fewest tumours it rests on at an exon bin, the tumours whose
    mean over the gene sits clearly above it (more than `above_min` and `above_z` times
    `spread`, each tumour's block_sd for the gene's number of bins: what a baseline at the
    deleted level leaves, the few undeleted tumours above it), and whether it is safe.
    `resid`: values minus the baseline (bins x tumours); `gene_bins`/`exon_bins`: the gene's
    bins and its exons' (boolean over bins)."""
    n = int(n_members[exon_bins].min()) if exon_bins.any() else 0
    above = []
    if gene_bins.any():
        with np.errstate(all="ignore"):
            mean = np.nanmean(resid[gene_bins], axis=0)
        above = [int(i) for i in np.flatnonzero((mean > s.above_min) & (mean > s.above_z * spread))]
    return {"tumours": n, "above": above, "evaluable": bool(exon_bins.any() and n >= s.min_tumours and not above)}
