"""CNVkit's `fix`: a sample's bias-corrected log2 ratios against the reference.

fix_fast reproduces cnvlib.fix.do_fix for the case this workflow runs by default (no GC,
repeat or edge correction and no chrY bins) on plain DataFrames (cnvlib builds a
GenomicArray per chromosome per step, ~0.6 s a sample); its equality with cnvlib's output
is tested on real coverage files (tests/test_coverage.py). The constants are CNVkit's
(cnvlib.params), part of the method being reproduced.
"""
from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from ..core.bins import chrom_codes, group_medians, take_rows
from ..core.constants import ANTITARGET_ALIASES, NULL_LOG2
from ..core.stats import MAD_SD
from .io import read_cnn

MIN_REF_COVERAGE = -5.0
MAX_REF_SPREAD = 1.0
WEIGHT_EPSILON = 1e-4


def _chrom_key(label: str):
    c = label[3:] if label.lower().startswith("chr") else label
    if c in ("X", "Y"):
        return (1000, c)
    nums = "".join(itertools.takewhile(str.isdigit, c))
    chars = c[len(nums):]
    n = int(nums) if nums else 0
    return (n, "") if not chars else ((2000 + n, chars) if len(chars) == 1 else (3000 + n, chars))


def _order(df: pd.DataFrame) -> np.ndarray:
    """The rows in cnvlib's order (chromosome by _chrom_key, then start, end; stable): the
    key of each distinct chromosome once, its rank per row."""
    codes, names = chrom_codes(df["chromosome"].to_numpy())
    keys = [_chrom_key(c) for c in names]
    levels = {k: i for i, k in enumerate(sorted(set(keys)))}   # equal keys, equal rank (as sort_values)
    rank = np.array([levels[k] for k in keys], dtype=np.int64)
    return np.lexsort((df["end"].to_numpy(), df["start"].to_numpy(), rank[codes]))


def _is_autosome(codes: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Per row: a numbered chromosome (chr1, 7, ...), tested once per name."""
    auto = np.array([re.fullmatch(r"(chr)?\d+", str(c), flags=re.IGNORECASE) is not None for c in names], dtype=bool)
    return auto[codes] if len(names) else np.zeros(len(codes), dtype=bool)


def _low(df: pd.DataFrame) -> np.ndarray:
    """cnvlib drop_low_coverage: log2 below NULL - MIN_REF, or no log2, or no depth."""
    l2, dp = df["log2"].to_numpy(dtype=float), df["depth"].to_numpy(dtype=float)
    return (l2 < NULL_LOG2 - MIN_REF_COVERAGE) | np.isnan(l2) | (dp == 0) | np.isnan(dp)


def _in_par(df: pd.DataFrame, par: pd.DataFrame) -> np.ndarray:
    out = np.zeros(len(df), dtype=bool)
    if not len(par):
        return out
    chrom = df["chromosome"].to_numpy(dtype=object)
    st, en = df["start"].to_numpy(), df["end"].to_numpy()
    for c, a, b in zip(par["chrom"].tolist(), par["start"].tolist(), par["end"].tolist()):
        on = chrom == c
        if on.any():
            out |= on & (st >= a) & (en <= b)
    return out


def _centre_shift(df: pd.DataFrame, skip_low: bool, par: pd.DataFrame) -> float:
    """cnvlib center_all: minus the median of the per-chromosome medians of the autosomal
    bins (and chrX bins in the pseudo-autosomal regions, counted as their own group)."""
    codes, names = chrom_codes(df["chromosome"].to_numpy())
    use = _is_autosome(codes, names) | _in_par(df, par)
    if skip_low:
        use &= ~_low(df)
    if not use.any():
        return 0.0
    meds = group_medians(df["log2"].to_numpy(dtype=float)[use], codes[use], len(names))
    meds = meds[np.bincount(codes[use], minlength=len(names)) > 0]
    meds = meds[~np.isnan(meds)]
    return -float(np.median(meds)) if len(meds) else float("nan")


def _biweight_location(a, c=6.0, epsilon=1e-3, max_iter=5):
    initial = np.median(a)
    result = initial
    for _ in range(max_iter):
        d = a - initial
        mad = np.median(np.abs(d))
        if mad == 0:
            return initial
        scale = c * mad
        with np.errstate(over="ignore"):
            w = (1 - (d / scale) ** 2) ** 2
        mask = w < 1
        ws = w[mask].sum()
        result = initial if ws == 0 else initial + (d[mask] * w[mask]).sum() / ws
        if abs(result - initial) <= epsilon * scale:
            break
        initial = result
    return result


def _biweight_midvariance(a, c=9.0, epsilon=1e-3):
    a = np.asarray(a, dtype=float)
    a = a[~np.isnan(a)]
    if not len(a):
        return np.nan
    if len(a) == 1:
        return a[0]
    d = a - _biweight_location(a)
    mad = np.median(np.abs(d))
    w = d / max(c * mad, epsilon)
    mask = np.abs(w) < 1
    if w[mask].sum() == 0:
        return mad * MAD_SD
    n = mask.sum()
    d_, w_ = d[mask], (w ** 2)[mask]
    return np.sqrt((n * (d_ ** 2 * (1 - w_) ** 4).sum()) / (((1 - w_) * (1 - 5 * w_)).sum() ** 2))


def _residuals(df: pd.DataFrame) -> np.ndarray:
    """Each bin's log2 less its chromosome's median."""
    codes, names = chrom_codes(df["chromosome"].to_numpy())
    l2 = df["log2"].to_numpy(dtype=float)
    return l2 - group_medians(l2, codes, len(names))[codes]


def _adjust(cov: pd.DataFrame, ref: pd.DataFrame, skip_low: bool, par: pd.DataFrame):
    keys = ["chromosome", "start", "end"]
    if not len(cov):
        return cov, ref.iloc[:0]
    matched = take_rows(ref, cov)
    if matched["gene"].isna().any():
        raise ValueError(f"the reference is missing {int(matched['gene'].isna().sum())} of {len(cov)} bins of the "
                         "sample: it was built for a different target panel")
    rl2, rsp = matched["log2"].to_numpy(dtype=float), matched["spread"].to_numpy(dtype=float)
    bad = (rl2 < MIN_REF_COVERAGE) | (rl2 > -MIN_REF_COVERAGE) | (rsp > MAX_REF_SPREAD) | np.isnan(rl2) | np.isnan(rsp)
    if "depth" in matched:
        rdp = matched["depth"].to_numpy(dtype=float)
        bad |= (rdp == 0) | np.isnan(rdp)
    ok = ~(bad | np.isnan(cov["log2"].to_numpy(dtype=float)))
    cov, matched = cov[ok].copy(), matched[ok]
    cov["log2"] = cov["log2"] + _centre_shift(cov, skip_low, par)
    return cov, matched[keys + ["log2", "spread"]]


def fix_fast(target_cnn: str, antitarget_cnn: str, reference_cnn: str | pd.DataFrame,
             par: pd.DataFrame) -> pd.DataFrame:
    """Bias-corrected log2 ratios of a sample against a pooled reference, as cnvlib's
    do_fix(do_gc=False, do_edge=False, do_rmask=False, diploid_parx_genome=...) computes
    them (see above); `par`: the build's rows of resources/cnvkit_par_regions.tsv."""
    ref = read_cnn(reference_cnn) if isinstance(reference_cnn, str) else reference_cnn
    t, rt = _adjust(read_cnn(target_cnn), ref, True, par)
    a, ra = _adjust(read_cnn(antitarget_cnn), ref, False, par)
    if len(a):   # the matched reference rows sort as the sample's (the same keys): one order for both
        cnr, rm = pd.concat([t, a], ignore_index=True), pd.concat([rt, ra], ignore_index=True)
        order = _order(cnr)
        cnr, rm = cnr.iloc[order].reset_index(drop=True), rm.iloc[order].reset_index(drop=True)
    else:
        cnr, rm = t.reset_index(drop=True), rt.reset_index(drop=True)
    cnr["log2"] = cnr["log2"].to_numpy() - rm["log2"].to_numpy()
    # weights (cnvlib.fix.apply_weights)
    simple = np.zeros(len(cnr))
    anti = cnr["gene"].isin(ANTITARGET_ALIASES).to_numpy()
    for part in (~anti, anti):
        if not part.any():
            continue
        sub = cnr[part]
        var = _biweight_midvariance(_residuals(sub[~_low(sub)])) ** 2
        sz = np.sqrt((sub["end"] - sub["start"]).to_numpy())
        simple[part] = 1 - var / (sz / sz.mean())
    spread, rlog2 = rm["spread"].to_numpy(), rm["log2"].to_numpy()
    if (spread > WEIGHT_EPSILON).any() and (np.abs(np.mod(rlog2, 1)) > WEIGHT_EPSILON).any():
        w = 0.9 * (1.0 - spread ** 2) + 0.1 * simple
    else:
        w = simple
    w = np.where(np.isnan(w), WEIGHT_EPSILON, w)
    cnr["weight"] = np.clip(w, WEIGHT_EPSILON, 1.0)
    cnr["log2"] = cnr["log2"] + _centre_shift(cnr, True, par)
    return cnr[["chromosome", "start", "end", "gene", "log2", "depth", "weight"]]
