"""CNVkit's `fix`: a sample's bias-corrected log2 ratios against the reference.

fix_fast reproduces cnvlib.fix.do_fix for the case this workflow runs by default (no GC,
repeat or edge correction and no chrY bins) on the tables' columns as arrays (cnvlib builds
a GenomicArray per chromosome per step, ~0.6 s a sample; pandas' merges and groupbys cost
~0.1 s more than the arithmetic); its equality with cnvlib's output is tested on real
coverage files (tests/test_coverage.py). The constants are CNVkit's (cnvlib.params), part
of the method being reproduced.
"""
from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from ..core.bins import BinIndex, factorize_names, group_medians
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


COLS = ("chromosome", "start", "end", "gene", "log2", "depth")


def _cols(df: pd.DataFrame) -> dict:
    """A coverage table's columns as arrays, and its chromosomes as codes (factorize_names)."""
    c = {k: df[k].to_numpy(dtype=object if k in ("chromosome", "gene") else None) for k in COLS}
    c["log2"], c["depth"] = c["log2"].astype(float), c["depth"].astype(float)
    c["codes"], c["names"] = factorize_names(c["chromosome"])
    return c


def _take(c: dict, rows: np.ndarray) -> dict:
    return {k: (v if k == "names" else v[rows]) for k, v in c.items()}


def _join(a: dict, b: dict) -> dict:
    out = {k: np.concatenate([a[k], b[k]]) for k in COLS}
    out["codes"], out["names"] = factorize_names(out["chromosome"])
    return out


def _order(c: dict) -> np.ndarray:
    """The rows in cnvlib's order (chromosome by _chrom_key, then start, end; stable): the
    key of each distinct chromosome once, its rank per row."""
    keys = [_chrom_key(x) for x in c["names"]]
    levels = {k: i for i, k in enumerate(sorted(set(keys)))}   # equal keys, equal rank (as sort_values)
    rank = np.array([levels[k] for k in keys], dtype=np.int64)
    return np.lexsort((c["end"], c["start"], rank[c["codes"]] if len(rank) else c["codes"]))


def _is_autosome(c: dict) -> np.ndarray:
    """Per row: a numbered chromosome (chr1, 7, ...), tested once per name."""
    auto = np.array([re.fullmatch(r"(chr)?\d+", str(x), flags=re.IGNORECASE) is not None for x in c["names"]],
                    dtype=bool)
    return auto[c["codes"]] if len(auto) else np.zeros(len(c["codes"]), dtype=bool)


def _low(c: dict) -> np.ndarray:
    """cnvlib drop_low_coverage: log2 below NULL - MIN_REF, or no log2, or no depth."""
    l2, dp = c["log2"], c["depth"]
    return (l2 < NULL_LOG2 - MIN_REF_COVERAGE) | np.isnan(l2) | (dp == 0) | np.isnan(dp)


def _par_list(par: pd.DataFrame) -> list[tuple[str, int, int]]:
    return list(zip(par["chrom"].tolist(), par["start"].tolist(), par["end"].tolist()))


def _in_par(c: dict, par: list[tuple[str, int, int]]) -> np.ndarray:
    out = np.zeros(len(c["codes"]), dtype=bool)
    for chrom, a, b in par:
        on = c["chromosome"] == chrom
        if on.any():
            out |= on & (c["start"] >= a) & (c["end"] <= b)
    return out


def _centre_shift(c: dict, skip_low: bool, par: list) -> float:
    """cnvlib center_all: minus the median of the per-chromosome medians of the autosomal
    bins (and chrX bins in the pseudo-autosomal regions, counted as their own group)."""
    use = _is_autosome(c) | _in_par(c, par)
    if skip_low:
        use &= ~_low(c)
    if not use.any():
        return 0.0
    n = len(c["names"])
    meds = group_medians(c["log2"][use], c["codes"][use], n)
    meds = meds[np.bincount(c["codes"][use], minlength=n) > 0]
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


def _residuals(c: dict) -> np.ndarray:
    """Each bin's log2 less its chromosome's median."""
    return c["log2"] - group_medians(c["log2"], c["codes"], len(c["names"]))[c["codes"]]


def _adjust(cov: pd.DataFrame, ref: dict, index: BinIndex, skip_low: bool, par: list):
    """The sample's bins the reference can correct (cnvlib's mask of bad reference bins),
    centred; and the reference's log2 and spread at them."""
    c = _cols(cov)
    if not len(cov):
        return c, np.zeros(0), np.zeros(0)
    rows = index.rows(cov)
    if rows is None:
        raise ValueError("the reference holds a bin twice: it was not built by CNVkit's reference step")
    if (rows < 0).any():
        raise ValueError(f"the reference is missing {int((rows < 0).sum())} of {len(cov)} bins of the "
                         "sample: it was built for a different target panel")
    rl2, rsp = ref["log2"][rows], ref["spread"][rows]
    bad = (rl2 < MIN_REF_COVERAGE) | (rl2 > -MIN_REF_COVERAGE) | (rsp > MAX_REF_SPREAD) | np.isnan(rl2) | np.isnan(rsp)
    if "depth" in ref:
        bad |= (ref["depth"][rows] == 0) | np.isnan(ref["depth"][rows])
    ok = np.flatnonzero(~(bad | np.isnan(c["log2"])))
    c = _take(c, ok)
    c["log2"] = c["log2"] + _centre_shift(c, skip_low, par)
    return c, rl2[ok], rsp[ok]


def _weights(c: dict, spread: np.ndarray, rlog2: np.ndarray) -> np.ndarray:
    """cnvlib.fix.apply_weights: from each kind's scatter and the bins' sizes, and the
    reference's spread."""
    simple = np.zeros(len(c["codes"]))
    anti = np.isin(c["gene"], ANTITARGET_ALIASES)
    for part in (~anti, anti):
        if not part.any():
            continue
        sub = _take(c, np.flatnonzero(part))
        var = _biweight_midvariance(_residuals(_take(sub, np.flatnonzero(~_low(sub))))) ** 2
        sz = np.sqrt(sub["end"] - sub["start"])
        simple[part] = 1 - var / (sz / sz.mean())
    if (spread > WEIGHT_EPSILON).any() and (np.abs(np.mod(rlog2, 1)) > WEIGHT_EPSILON).any():
        w = 0.9 * (1.0 - spread ** 2) + 0.1 * simple
    else:
        w = simple
    w = np.where(np.isnan(w), WEIGHT_EPSILON, w)
    return np.clip(w, WEIGHT_EPSILON, 1.0)


def reference_columns(ref: pd.DataFrame) -> dict:
    """The reference's log2, spread (and depth) as arrays, as _adjust reads them."""
    return {k: ref[k].to_numpy(dtype=float) for k in ("log2", "spread", "depth") if k in ref.columns}


def fix_fast(target_cnn: str, antitarget_cnn: str, reference_cnn: str | pd.DataFrame,
             par: pd.DataFrame, index: BinIndex | None = None) -> pd.DataFrame:
    """Bias-corrected log2 ratios of a sample against a pooled reference, as cnvlib's
    do_fix(do_gc=False, do_edge=False, do_rmask=False, diploid_parx_genome=...) computes
    them (see above); `par`: the build's rows of resources/cnvkit_par_regions.tsv; `index`:
    the reference's BinIndex, where built already (once per batch)."""
    ref = read_cnn(reference_cnn) if isinstance(reference_cnn, str) else reference_cnn
    index = index or BinIndex(ref)
    rcols, par = reference_columns(ref), _par_list(par)
    t, t_l2, t_sp = _adjust(read_cnn(target_cnn), rcols, index, True, par)
    a, a_l2, a_sp = _adjust(read_cnn(antitarget_cnn), rcols, index, False, par)
    if len(a["codes"]):   # the matched reference rows sort as the sample's (the same keys): one order for both
        c = _join(t, a)
        order = _order(c)
        c, rlog2, spread = _take(c, order), np.concatenate([t_l2, a_l2])[order], np.concatenate([t_sp, a_sp])[order]
    else:
        c, rlog2, spread = t, t_l2, t_sp
    c["log2"] = c["log2"] - rlog2
    weight = _weights(c, spread, rlog2)
    c["log2"] = c["log2"] + _centre_shift(c, True, par)
    # text as Python strings (object columns), as read_cnn gives them: pandas 3 would turn each
    # into Arrow strings here and every later step back (~0.03 s a 200,000-bin sample)
    return pd.DataFrame({"chromosome": pd.Series(c["chromosome"], dtype=object), "start": c["start"], "end": c["end"],
                         "gene": pd.Series(c["gene"], dtype=object), "log2": c["log2"], "depth": c["depth"],
                         "weight": weight})
