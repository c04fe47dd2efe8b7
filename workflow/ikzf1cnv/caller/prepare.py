"""A sample's bins made ready for the caller: recentred on the most common copy-number
state (target and off-target bins each on their own), each with a variance from its
reference spread and read counts scaled to the sample's own scatter plus a systematic
error; gained chromosomes found; the QC metrics (depth, noise)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.bins import factorize_names, group_medians, isin_names
from ..core.constants import AUTOSOMES
from ..core.stats import robust_sd

LN2 = math.log(2.0)


def _by_name(chrom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's chromosome as its rank among the distinct names sorted (as groupby(sort=True)
    orders them), and those names."""
    codes, uniq = factorize_names(chrom)
    order = np.argsort(np.asarray(uniq, dtype=object))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], np.asarray(uniq, dtype=object)[order]


def chromosome_levels(bins: pd.DataFrame, min_bins: int) -> pd.DataFrame:
    """Median log2 and bin count per autosome (chromosomes with at least min_bins bins)."""
    chrom, l2 = bins["chromosome"].to_numpy(dtype=object), bins["log2"].to_numpy(dtype=float)
    ok = isin_names(chrom, AUTOSOMES) & np.isfinite(l2)
    codes, names = _by_name(chrom[ok])
    med = group_medians(l2[ok], codes, len(names))
    size = np.bincount(codes, minlength=len(names))
    g = pd.DataFrame({"median": med, "size": size}, index=pd.Index(names, name="chromosome"))
    return g[g["size"] >= min_bins]


def recentre_shift(bins: pd.DataFrame, bandwidth: float, min_bins: int) -> float:
    """The log2 of the sample's most common copy-number state.

    CNVkit centres on the median bin, which whole-chromosome gains (hyperdiploidy) or a
    large loss can drag. Here each autosome votes with its median; the level shared by
    the most bins (within +-bandwidth) wins, and the shift is the bin-weighted mean of the
    chromosome medians in that window. Ties go to the level nearest 0.
    """
    return _shift_of(chromosome_levels(bins, min_bins), bandwidth)


def _shift_of(lv: pd.DataFrame, bandwidth: float) -> float:
    """recentre_shift from the chromosome levels (chromosome_levels)."""
    if lv.empty:
        return 0.0
    m = lv["median"].to_numpy()
    n = lv["size"].to_numpy()
    score = np.array([n[np.abs(m - x) <= bandwidth].sum() for x in m])
    best = np.flatnonzero(score == score.max())
    x = m[best[np.argmin(np.abs(m[best]))]]
    win = np.abs(m - x) <= bandwidth
    return float(np.sum(m[win] * n[win]) / np.sum(n[win]))


def bin_variance(bins: pd.DataFrame, read_length: float, reads=None) -> np.ndarray:
    """Prior variance of each bin's log2: the reference's spread plus read-count noise
    (from the bin's own reads, or the `reads` given)."""
    if reads is None:
        reads = bins["depth"].to_numpy() * (bins["end"] - bins["start"]).to_numpy() / read_length
    spread = np.nan_to_num(bins["spread"].to_numpy(dtype=float), nan=0.0)
    return spread ** 2 + 1.0 / (LN2 ** 2 * np.maximum(reads, 1.0))


def noise_scale(bins: pd.DataFrame, var: np.ndarray, min_bins: int) -> float:
    """Factor by which the prior variances understate this sample's real scatter:
    the squared robust SD of standardised residuals around each autosome's median."""
    chrom, l2 = bins["chromosome"].to_numpy(dtype=object), bins["log2"].to_numpy(dtype=float)
    a = isin_names(chrom, AUTOSOMES) & np.isfinite(l2)
    if a.sum() < 10:
        return 1.0
    codes, names = _by_name(chrom[a])
    med = group_medians(l2[a], codes, len(names))[codes]   # each bin's chromosome median
    z = (l2[a] - med) / np.sqrt(var[a])
    sd = robust_sd(z)
    return float(sd ** 2) if math.isfinite(sd) and sd > 0 else 1.0


def sample_noise(bins: pd.DataFrame) -> float:
    """Bin-to-bin noise: robust SD of differences of neighbouring autosomal bins / sqrt 2."""
    chrom = bins["chromosome"].to_numpy(dtype=object)
    a = np.flatnonzero(isin_names(chrom, AUTOSOMES))
    if not len(a):
        return float("nan")
    codes, _ = _by_name(chrom[a])
    start, l2 = bins["start"].to_numpy()[a], bins["log2"].to_numpy()[a]
    d = []
    for g in np.split(np.argsort(codes, kind="stable"), np.flatnonzero(np.diff(np.sort(codes))) + 1):
        d.append(np.diff(l2[g][np.argsort(start[g])]))   # each chromosome's bins by start (as sort_values)
    return robust_sd(np.concatenate(d)) / math.sqrt(2.0)


@dataclass
class PreparedBins:
    bins: pd.DataFrame          # recentred log2; `offtarget` column
    var: np.ndarray             # per-bin variance (scaled prior + systematic floor)
    expected_reads: np.ndarray  # off-target bins: reads expected at their size; targets: their reads
    metrics: dict


def prepare_bins(bins: pd.DataFrame, params, read_length: float) -> PreparedBins:
    """Recentre target and off-target bins (each on its own most common chromosome level),
    and give every bin a variance: its prior (reference spread, read counts) scaled to the
    sample's own scatter of its kind, plus a systematic error per bin (sd_floor for target
    bins, offtarget_sd_floor for off-target bins)."""
    bins = bins.reset_index(drop=True)
    if "offtarget" not in bins.columns:
        bins = bins.assign(offtarget=False)
    off = bins["offtarget"].to_numpy(dtype=bool)
    shift = recentre_shift(bins[~off], params.recentre_bandwidth, params.min_bins_per_chrom)
    # off-target bins on their own level, where they cover enough autosomes to vote
    voters = chromosome_levels(bins[off], params.min_bins_per_chrom)
    shift_off = _shift_of(voters, params.recentre_bandwidth) if len(voters) >= len(AUTOSOMES) // 2 else shift
    bins = bins.assign(log2=bins["log2"] - np.where(off, shift_off, shift))
    reads = bins["depth"].to_numpy() * (bins["end"] - bins["start"]).to_numpy() / read_length
    if off.any():
        auto = off & isin_names(bins["chromosome"].to_numpy(), AUTOSOMES)
        per_bp = float(np.median(bins["depth"].to_numpy()[auto])) if auto.any() else 0.0
        reads = np.where(off, per_bp * (bins["end"] - bins["start"]).to_numpy() / read_length, reads)
    prior = bin_variance(bins, read_length, reads)
    var = np.empty(len(bins))
    scales = {}
    for kind, sel, floor in (("target", ~off, params.sd_floor), ("offtarget", off, params.offtarget_sd_floor)):
        if sel.any():
            scales[kind] = noise_scale(bins[sel], prior[sel], params.min_bins_per_chrom)
            var[sel] = scales[kind] * prior[sel] + floor ** 2
    inflation = 1.0
    if params.bin_correlation and (~off).any():
        # neighbouring bins that share a bias: a run of them varies more than its bins'
        # variances say, and carries that much less evidence (run_inflation)
        inflation = run_inflation(bins[~off], var[~off])
        var[~off] *= inflation
    tg = bins[~off]
    auto = isin_names(tg["chromosome"].to_numpy(dtype=object), AUTOSOMES)
    metrics = {"run_inflation": inflation, "median_depth": float(np.nanmedian(tg.loc[auto, "depth"])) if auto.any() else 0.0,
               "noise": sample_noise(tg), "noise_scale": scales.get("target", 1.0),
               "offtarget_noise_scale": scales.get("offtarget"), "recentre_shift": shift,
               "n_bins": int((~off).sum()), "n_offtarget_bins": int(off.sum())}
    return PreparedBins(bins, var, reads, metrics)


BLOCKS = (2, 4, 8, 16, 32)   # run lengths (bins) at which the variance of a mean is measured
MIN_BLOCKS = 20               # means a run length needs to be measured


def run_inflation(bins: pd.DataFrame, var: np.ndarray, most: float = 100.0) -> float:
    """How much more a run of touching bins (one ends where the next starts: a genome's
    window tiles) varies than independent bins would: for runs of k bins (BLOCKS), the
    variance of their mean standardised residual (about each chromosome's median) times k,
    over the single bins' variance (robust SDs: a deletion's run moves it little); the
    largest over k, at least 1. Independent bins give 1; a shared bias whose neighbours
    move together (coverage waves) gives more, and a run's evidence is worth that much
    less. 1 with too few touching bins."""
    b = bins.assign(_z=(bins["log2"] - bins.groupby("chromosome")["log2"].transform("median")) / np.sqrt(var))
    b = b.sort_values(["chromosome", "start"], kind="stable")
    z, c = b["_z"].to_numpy(dtype=float), b["chromosome"].to_numpy(dtype=object)
    touch = np.r_[False, (c[1:] == c[:-1]) & (b["start"].to_numpy()[1:] == b["end"].to_numpy()[:-1])]
    seg = np.cumsum(~touch)                       # runs of touching bins
    ok = np.isfinite(z)
    base = robust_sd(z[ok])
    if not base > 0:
        return 1.0
    worst = 1.0
    for k in BLOCKS:
        means = []
        for s in np.unique(seg):
            v = z[(seg == s) & ok]
            n = len(v) // k
            if n:
                means.append(v[:n * k].reshape(n, k).mean(axis=1))
        m = np.concatenate(means) if means else np.zeros(0)
        if len(m) >= MIN_BLOCKS:
            worst = max(worst, (robust_sd(m) ** 2 * k) / base ** 2)
    return float(min(worst, most))


def chromosome_gains(bins: pd.DataFrame, params) -> dict[str, float]:
    """Gained chromosomes (median log2 above gain_level: +21 over ERG, +X over PAR1 in
    hyperdiploid ALL) and their levels; a deletion there removes a copy from the gained
    level, not from two, so those genes are measured against their chromosome's level.
    Losses of whole chromosomes are not levelled away: monosomy 7 is a deletion of IKZF1."""
    tg = bins[~bins["offtarget"] & np.isfinite(bins["log2"])]
    lv = tg.groupby("chromosome")["log2"].agg(["median", "size"])
    lv = lv[lv["size"] >= params.min_bins_per_chrom]
    return {c: float(m) for c, m in lv["median"].items() if m > params.gain_level}
