"""Chromosome arms: each arm's copy-number level and cell fraction from all its bins.

Monosomy 7, a 7p loss or an isochromosome 7q are common routes to a whole-IKZF1 loss,
9p loss to CDKN2A/B loss. A loss in 16% of cells moves an arm by only -0.12 log2, far
below any single bin's noise, but an arm holds hundreds of target and off-target bins.

Per arm and bin kind (target, off-target) the level is the trimmed mean of the bins'
log2 (the middle 80%: robust to focal events and outlying bins inside the arm, nearly as
efficient as a mean) with its standard error; the two kinds are combined by inverse
variance. Bins in the gene windows are left out, and off-target bins expected to hold
fewer reads than caller.min_offtarget_reads (the log2 of a handful of reads is skewed and
far from Gaussian: in the toy's 1 Mb bins of ~5 reads, 21q read 0.4 low in every tumour). Arm levels also vary for reasons other than copy
number (coverage waves, the recentring): that systematic spread is estimated from the
sample's own arms (the robust SD of all autosomal arm levels less what their statistical
SEs explain, at least `arm_sd_floor`) and added to each arm's variance. An arm is called lost when its z is below the one-sided
quantile of the false-positive rate split over the arms tested (Bonferroni), so a sample
gets a false arm loss with probability at most that rate. The cell fraction of a
one-copy loss is 2 (1 - 2^level), with a 95% interval from the level's.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import ndtri  # the normal quantile (scipy.stats' norm.isf(q) is -ndtri(q)): ~0.6 s less import a job

from ..core.bins import factorize_names, group_medians
from ..core.stats import mad_sd

ARM_COLS = ["arm", "chrom", "n_bins", "level", "se", "z", "called", "cell_fraction", "cf_low", "cf_high"]
TRIM = 0.1               # trimmed from each end for an arm's level
TRIMMED_EFFICIENCY = 1.06  # SE of a 10%-trimmed mean of a normal sample / SE of its mean


def _trimmed_mean(x: np.ndarray) -> float:
    x = np.sort(x[np.isfinite(x)])
    k = int(TRIM * len(x))
    return float(np.mean(x[k:len(x) - k]))


def _kind_sd(l2: np.ndarray, arm_idx: np.ndarray, n_arms: int) -> float:
    """Robust SD of one kind's bins around their arm's median, over all arms: the per-bin
    noise of that kind in this sample (steadier than each arm's own scatter)."""
    ok = np.isfinite(l2) & (arm_idx >= 0)
    if ok.sum() < 10:
        return float("nan")
    med = group_medians(l2[ok], arm_idx[ok], n_arms)[arm_idx[ok]]
    return mad_sd(l2[ok] - med)


def _arm_index(bins: pd.DataFrame, arms: pd.DataFrame) -> np.ndarray:
    """Each bin's arm (its row in `arms`; -1: none): the last arm that holds it whole."""
    chrom, start, end = bins["chromosome"].to_numpy(dtype=object), bins["start"].to_numpy(), bins["end"].to_numpy()
    codes, names = factorize_names(chrom)
    order = np.argsort(codes, kind="stable")
    rows = {names[codes[g[0]]]: g for g in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1) if len(g)}
    arm_idx = np.full(len(bins), -1)
    for i, (c, s, e) in enumerate(zip(arms["chrom"].tolist(), arms["start"].tolist(), arms["end"].tolist())):
        on = rows.get(c)
        if on is not None:
            arm_idx[on[(start[on] >= s - 1) & (end[on] <= e)]] = i
    return arm_idx


def arm_levels(bins: pd.DataFrame, arms: pd.DataFrame, min_bins: int, skip: np.ndarray | None = None) -> pd.DataFrame:
    """Level (log2) and its statistical SE per arm with at least `min_bins` bins of a kind,
    from target and off-target bins, but those marked `skip` (the gene windows: on a panel
    most target bins of an arm may sit in one gene, whose focal deletion must not read as
    the arm's loss)."""
    if skip is not None:
        bins = bins[~skip]
    l2, off = bins["log2"].to_numpy(dtype=float), bins["offtarget"].to_numpy(dtype=bool)
    arm_idx = _arm_index(bins, arms)
    n_arms = len(arms)
    sd = {kind: _kind_sd(l2[off == kind], arm_idx[off == kind], n_arms) for kind in (False, True)}
    # each arm's finite bins of each kind: one stable sort by (arm, kind)
    fin = np.flatnonzero(np.isfinite(l2) & (arm_idx >= 0))
    key = arm_idx[fin] * 2 + off[fin]
    order = np.argsort(key, kind="stable")
    ko, fo = key[order], fin[order]
    groups = {int(ko[g[0]]): fo[g] for g in np.split(np.arange(len(order)), np.flatnonzero(np.diff(ko)) + 1) if len(g)}
    n_all = np.bincount(arm_idx[arm_idx >= 0], minlength=n_arms)
    rows = []
    for i, (arm, chrom) in enumerate(zip(arms["arm"].tolist(), arms["chrom"].tolist())):
        parts = []
        for kind in (False, True):
            sel = groups.get(2 * i + kind, fin[:0])
            if len(sel) >= min_bins and math.isfinite(sd[kind]):
                parts.append((_trimmed_mean(l2[sel]), TRIMMED_EFFICIENCY * max(sd[kind], 1e-6) / math.sqrt(len(sel))))
        if not parts:
            continue
        w = np.array([1.0 / s ** 2 for _, s in parts])
        level = float(np.sum(w * np.array([m for m, _ in parts])) / np.sum(w))
        rows.append({"arm": arm, "chrom": chrom, "n_bins": int(n_all[i]), "level": level,
                     "se_stat": float(np.sqrt(1.0 / np.sum(w)))})
    return pd.DataFrame(rows, columns=["arm", "chrom", "n_bins", "level", "se_stat"])


def call_arms(levels: pd.DataFrame, tested: list[str], fp_rate: float, arm_sd_floor: float,
              autosomes: tuple[str, ...], baseline_band: float) -> pd.DataFrame:
    """Loss calls for the `tested` arms (ARM_COLS). The systematic spread is taken from the
    autosomal arms within +-baseline_band of log2 0 (a hyperdiploid sample's gained arms are
    copy-number changes, not noise)."""
    chrom, level = levels["chrom"].to_numpy(dtype=object), levels["level"].to_numpy(dtype=float)
    se_stat = levels["se_stat"].to_numpy(dtype=float)
    auto = np.isin(chrom, list(autosomes)) & (np.abs(level) < baseline_band)
    sys_sd = arm_sd_floor
    if auto.sum() >= 5:
        # the spread of arm levels beyond what their own SEs explain (a robust SD holds both)
        spread = mad_sd(level[auto])
        stat = float(np.median(se_stat[auto]))
        sys_sd = math.sqrt(max(arm_sd_floor ** 2, spread ** 2 - stat ** 2))
    t = np.isin(levels["arm"].to_numpy(dtype=object), list(tested))
    z_crit = float(-ndtri(fp_rate / max(len(tested), 1)))
    se = np.sqrt(se_stat[t] ** 2 + sys_sd ** 2)
    z = level[t] / se
    cf = lambda x: np.clip(2.0 * (1.0 - np.power(2.0, x)), 0.0, 1.0)  # noqa: E731
    return pd.DataFrame({"arm": levels["arm"].to_numpy(dtype=object)[t], "chrom": chrom[t],
                         "n_bins": levels["n_bins"].to_numpy()[t], "level": level[t], "se": se, "z": z,
                         "called": z < -z_crit, "cell_fraction": cf(level[t]), "cf_low": cf(level[t] + 1.96 * se),
                         "cf_high": cf(level[t] - 1.96 * se)}, columns=ARM_COLS)


def arm_of(arms: pd.DataFrame, chrom: str, pos: int) -> str | None:
    a = arms[(arms["chrom"] == chrom) & (arms["start"] <= pos) & (arms["end"] >= pos)]
    return str(a["arm"].iloc[0]) if len(a) else None


def losses_label(called: pd.DataFrame) -> str:
    """'7p:0.16,7q:0.15' for the arms called lost, 'none' when none."""
    c = called[called["called"]]
    return ",".join(f"{r.arm}:{r.cell_fraction:.2f}" for r in c.itertuples(index=False)) or "none"
