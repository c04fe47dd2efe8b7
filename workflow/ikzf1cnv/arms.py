"""Chromosome arms: each arm's copy-number level and cell fraction from all its bins.

Monosomy 7, a 7p loss or an isochromosome 7q are common routes to a whole-IKZF1 loss,
9p loss to CDKN2A/B loss. A loss in 16% of cells moves an arm by only -0.12 log2, far
below any single bin's noise, but an arm holds hundreds of target and off-target bins.

Per arm and bin kind (target, off-target) the level is the median of the bins' log2
(robust to focal events inside the arm) with the standard error of a median; the two
kinds are combined by inverse variance. Arm levels also vary for reasons other than copy
number (coverage waves, the recentring): that systematic spread is estimated from the
sample's own arms (robust SD of all autosomal arm levels, at least `arm_sd_floor`) and
added to each arm's variance. An arm is called lost when its z is below the one-sided
quantile of the false-positive rate split over the arms tested (Bonferroni), so a sample
gets a false arm loss with probability at most that rate. The cell fraction of a
one-copy loss is 2 (1 - 2^level), with a 95% interval from the level's.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

ARM_COLS = ["arm", "chrom", "n_bins", "level", "se", "z", "called", "cell_fraction", "cf_low", "cf_high"]
MEDIAN_EFFICIENCY = math.sqrt(math.pi / 2)  # SE of a normal sample's median / SE of its mean


def _median_and_se(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if len(x) < 3:
        return float("nan"), float("nan")
    med = float(np.median(x))
    sd = 1.4826 * float(np.median(np.abs(x - med)))
    return med, MEDIAN_EFFICIENCY * max(sd, 1e-6) / math.sqrt(len(x))


def arm_levels(bins: pd.DataFrame, arms: pd.DataFrame, min_bins: int, skip: np.ndarray | None = None) -> pd.DataFrame:
    """Level (log2) and its statistical SE per arm, from target and off-target bins, but
    those marked `skip` (the gene windows: on a panel most target bins of an arm may sit
    in one gene, whose focal deletion must not read as the arm's loss)."""
    rows = []
    if skip is not None:
        bins = bins[~skip]
    chrom, start, end = bins["chromosome"].to_numpy(), bins["start"].to_numpy(), bins["end"].to_numpy()
    l2, off = bins["log2"].to_numpy(), bins["offtarget"].to_numpy()
    for a in arms.itertuples(index=False):
        inarm = (chrom == a.chrom) & (start >= a.start - 1) & (end <= a.end)
        parts = []
        for kind in (False, True):
            sel = inarm & (off == kind)
            if sel.sum() >= min_bins:
                parts.append(_median_and_se(l2[sel]))
        parts = [(m, s) for m, s in parts if math.isfinite(m)]
        if not parts:
            continue
        w = np.array([1.0 / s ** 2 for _, s in parts])
        level = float(np.sum(w * np.array([m for m, _ in parts])) / np.sum(w))
        rows.append({"arm": a.arm, "chrom": a.chrom, "n_bins": int(inarm.sum()), "level": level,
                     "se_stat": float(np.sqrt(1.0 / np.sum(w)))})
    return pd.DataFrame(rows, columns=["arm", "chrom", "n_bins", "level", "se_stat"])


def call_arms(levels: pd.DataFrame, tested: list[str], fp_rate: float, arm_sd_floor: float,
              autosomes: tuple[str, ...]) -> pd.DataFrame:
    """Loss calls for the `tested` arms (ARM_COLS)."""
    auto = levels[levels["chrom"].isin(autosomes)]
    if len(auto) >= 5:
        lv = auto["level"].to_numpy()
        sys_sd = max(arm_sd_floor, 1.4826 * float(np.median(np.abs(lv - np.median(lv)))))
    else:
        sys_sd = arm_sd_floor
    t = levels[levels["arm"].isin(tested)].copy()
    z_crit = float(norm.isf(fp_rate / max(len(tested), 1)))
    t["se"] = np.sqrt(t["se_stat"] ** 2 + sys_sd ** 2)
    t["z"] = t["level"] / t["se"]
    t["called"] = t["z"] < -z_crit
    cf = lambda x: np.clip(2.0 * (1.0 - np.power(2.0, x)), 0.0, 1.0)  # noqa: E731
    t["cell_fraction"] = cf(t["level"])
    t["cf_low"] = cf(t["level"] + 1.96 * t["se"])
    t["cf_high"] = cf(t["level"] - 1.96 * t["se"])
    return t[ARM_COLS].reset_index(drop=True)


def arm_of(arms: pd.DataFrame, chrom: str, pos: int) -> str | None:
    a = arms[(arms["chrom"] == chrom) & (arms["start"] <= pos) & (arms["end"] >= pos)]
    return str(a["arm"].iloc[0]) if len(a) else None


def losses_label(called: pd.DataFrame) -> str:
    """'7p:0.16,7q:0.15' for the arms called lost, 'none' when none."""
    c = called[called["called"]]
    return ",".join(f"{r.arm}:{r.cell_fraction:.2f}" for r in c.itertuples(index=False)) or "none"
