"""A gene's window: every bin the BAM gives in and around it, as positions for the model.

The model (caller.model) runs over positions in genomic order. For each group of genes
(rules.yaml `genes`/`groups`) the positions are:

  exon      one per exon unit: the inverse-variance mean of the target bins over it
            (the labels are made of these)
  intronic  each target bin inside a gene's span that overlaps none of its exons
            (intronic tiling probes, breakpoint-region probes)
  flank     each target bin outside the gene spans but inside the window (backbone or
            neighbouring probes)
  offtarget each off-target (antitarget) bin in the window with enough expected reads

The window reaches `left`/`right` bp beyond the group's outermost exons (rules.yaml
`windows`, per group, with a default): far enough to see where a large deletion ends
(for IKZF1 past COBL, a hotspot for the ends of interstitial del1-8).

Every bin carries its own variance (caller.prepare.prepare_bins): a systematic error per bin
plus its read-count and reference noise, scaled to the sample's own scatter, off-target
bins on their own scale. Exon units with no bin keep a position without data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.bins import factorize_names
from ..core.annotation import group_key, window_of

KINDS = ("exon", "intronic", "flank", "offtarget")
POSITION_COLS = ["group", "chrom", "start", "end", "kind", "gene", "exon", "n_bins", "log2", "se", "depth"]


def _overlapping(bs: np.ndarray, be: np.ndarray, idx: np.ndarray, lo: int, hi: int, ordered: bool) -> np.ndarray:
    """The bins of idx (ascending) overlapping [lo, hi): be > lo and bs < hi. Bins sorted by
    start and by end (CNVkit's bins do not overlap): one contiguous run, found by bisection."""
    if ordered:
        a = np.searchsorted(be[idx], lo, "right")
        b = np.searchsorted(bs[idx], hi, "left")
        return idx[a:max(a, b)]
    return idx[(bs[idx] < hi) & (be[idx] > lo)]


def exon_positions(bins: pd.DataFrame, var: np.ndarray, units: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per exon unit (1-based inclusive coordinates, as the annotation): the
    inverse-variance mean of the target bins overlapping it. Also returns, per bin, whether
    it overlaps one of these units (those bins are not positions of their own)."""
    used = np.zeros(len(bins), dtype=bool)
    codes, names = factorize_names(bins["chromosome"].to_numpy())
    code_of = {n: i for i, n in enumerate(names.tolist())}
    bs, be = bins["start"].to_numpy(), bins["end"].to_numpy()
    l2, dp = bins["log2"].to_numpy(dtype=float), bins["depth"].to_numpy(dtype=float)
    tgt = ~bins["offtarget"].to_numpy()
    u_gene, u_exon, u_chrom = units["gene"].tolist(), units["exon"].tolist(), units["chrom"].tolist()
    u_start, u_end = units["start"].tolist(), units["end"].tolist()
    on = {}   # target bins per chromosome, and whether they are sorted by start and by end
    for c in set(u_chrom):
        idx = np.flatnonzero(tgt & (codes == code_of[c])) if c in code_of else np.zeros(0, dtype=np.int64)
        on[c] = (idx, bool((np.diff(bs[idx]) >= 0).all() and (np.diff(be[idx]) >= 0).all()))
    n_bins, mean, se, depth = [], [], [], []
    for c, us, ue in zip(u_chrom, u_start, u_end):
        idx = _overlapping(bs, be, on[c][0], us - 1, ue, on[c][1])
        used[idx] = True
        sel = idx[np.isfinite(l2[idx])]
        n_bins.append(len(sel))
        if len(sel):
            w = 1.0 / var[sel]
            mean.append(float(np.sum(w * l2[sel]) / np.sum(w)))
            se.append(float(np.sqrt(1.0 / np.sum(w))))
            depth.append(float(np.median(dp[sel])))
        else:
            mean.append(float("nan"))
            se.append(float("nan"))
            depth.append(float("nan"))
    out = pd.DataFrame({"gene": pd.Series(u_gene, dtype=object), "exon": pd.Series([str(e) for e in u_exon], dtype=object),
                        "chrom": pd.Series(u_chrom, dtype=object), "start": np.array(u_start, dtype=np.int64),
                        "end": np.array(u_end, dtype=np.int64), "n_bins": np.array(n_bins, dtype=np.int64),
                        "log2": np.array(mean, dtype=float), "se": np.array(se, dtype=float),
                        "depth": np.array(depth, dtype=float)})
    return out, used


def bin_arrays(bins: pd.DataFrame) -> dict:
    """The bins' columns as numpy arrays, and each chromosome's bin indices: what
    window_positions reads for every group, taken once per sample."""
    codes, names = factorize_names(bins["chromosome"].to_numpy())
    order = np.argsort(codes, kind="stable")
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    l2 = bins["log2"].to_numpy(dtype=float)
    return {"start": bins["start"].to_numpy(), "end": bins["end"].to_numpy(), "log2": l2, "finite": np.isfinite(l2),
            "depth": bins["depth"].to_numpy(dtype=float), "offtarget": bins["offtarget"].to_numpy(dtype=bool),
            "by_chrom": {names[codes[part[0]]]: part for part in np.split(order, cuts) if len(part)}}


def _objects(*parts) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=object) for p in parts]) if parts else np.zeros(0, dtype=object)


@dataclass(frozen=True)
class SampleBins:
    """A sample's bins as every window reads them, taken once per sample (sample_bins): the
    exon positions and which bins they hold, the bins' variances, their expected reads and
    their columns as arrays."""
    exons: pd.DataFrame
    in_exon: np.ndarray
    var: np.ndarray
    expected_reads: np.ndarray
    arrays: dict


def sample_bins(bins: pd.DataFrame, var: np.ndarray, expected_reads: np.ndarray, units: pd.DataFrame) -> SampleBins:
    exons, in_exon = exon_positions(bins, var, units)
    return SampleBins(exons, in_exon, var, expected_reads, bin_arrays(bins))


def window_positions(group: list[str], sb: SampleBins, units: pd.DataFrame, windows: dict,
                     min_offtarget_reads: float, window: tuple[str, int, int] | None = None) -> pd.DataFrame:
    """The positions of one group's window in genomic order (POSITION_COLS; start 0-based);
    `window`: the group's window (core.annotation.window_of) where already worked out."""
    a, var, in_exon, expected_reads = sb.arrays, sb.var, sb.in_exon, sb.expected_reads
    key = group_key(group)
    chrom, ws, we = window or window_of(units, group, windows)
    ex = sb.exons[np.isin(sb.exons["gene"].to_numpy(dtype=object), group)]
    ug, us, ue = units["gene"].to_numpy(dtype=object), units["start"].to_numpy(), units["end"].to_numpy()
    spans = sorted((g, int(us[ug == g].min()), int(ue[ug == g].max())) for g in group)
    idx = a["by_chrom"].get(chrom, np.zeros(0, dtype=np.int64))
    bstart, bend, off = a["start"][idx], a["end"][idx], a["offtarget"][idx]
    keep = ((bstart >= ws) & (bend <= we) & ~in_exon[idx] & a["finite"][idx]
            & (~off | (expected_reads[idx] >= min_offtarget_reads)))
    idx, bs, be, off = idx[keep], bstart[keep], bend[keep], off[keep]
    gene = np.full(len(bs), "", dtype=object)
    for g, gs, ge in spans[::-1]:  # the first gene (by name) wins where spans overlap
        gene[(bs < ge) & (be > gs - 1)] = g
    kind = np.where(off, "offtarget", np.where(gene != "", "intronic", "flank")).astype(object)
    n_ex, n_o = len(ex), len(idx)
    start = np.concatenate([ex["start"].to_numpy(dtype=np.int64) - 1, bs.astype(np.int64)])
    end = np.concatenate([ex["end"].to_numpy(dtype=np.int64), be.astype(np.int64)])
    order = np.lexsort((end, start))   # stable, as sort_values(["start", "end"], kind="mergesort")
    cols = {"group": np.full(n_ex + n_o, key, dtype=object),
            "chrom": _objects(ex["chrom"].to_numpy(dtype=object), np.full(n_o, chrom, dtype=object)),
            "start": start, "end": end, "kind": _objects(np.full(n_ex, "exon", dtype=object), kind),
            "gene": _objects(ex["gene"].to_numpy(dtype=object), gene),
            "exon": _objects(ex["exon"].to_numpy(dtype=object), np.full(n_o, "", dtype=object)),
            "n_bins": np.concatenate([ex["n_bins"].to_numpy(dtype=np.int64), np.ones(n_o, dtype=np.int64)]),
            "log2": np.concatenate([ex["log2"].to_numpy(dtype=float), a["log2"][idx]]),
            "se": np.concatenate([ex["se"].to_numpy(dtype=float), np.sqrt(var[idx])]),
            "depth": np.concatenate([ex["depth"].to_numpy(dtype=float), a["depth"][idx]])}
    return pd.DataFrame({c: v[order] for c, v in cols.items()}, columns=POSITION_COLS)


def evidence(pos: pd.DataFrame) -> str:
    """'exon=4,intronic=14,flank=0,offtarget=1': positions with data by kind."""
    d = pos[np.isfinite(pos["log2"])]
    return ",".join(f"{k}={int((d['kind'] == k).sum())}" for k in KINDS)
