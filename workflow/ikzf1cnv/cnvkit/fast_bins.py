"""CNVkit's target and antitarget bins (cnvlib.target.do_target with splitting,
cnvlib.antitarget.do_antitarget without an access file) on the BED's columns as arrays.

cnvlib merges overlapping targets a row at a time (skgenome.merge: a pandas Series per
interval once a BED spans more than one chromosome) and splits them in a Python loop:
~200 s and 1.3 GB for an exome's 190,000 targets. The same steps here, as cnvlib takes them:
  merge   intervals sorted by chromosome name, start and end; an interval starting at or
          before the furthest end so far (overlapping or touching) joins its cluster: the
          cluster's first start, furthest end, its distinct names joined by commas ('-'
          without one); single intervals kept as they are; chromosomes then in CNVkit's
          order (sorter_chrom, stable)
  split   a region of span s into round(s / avg) bins (at least one; Python's round, half
          to even), boundaries at start + int(i * s / n); regions under min_size dropped
  off-target: each chromosome from 150 kb to its last target's end, shrunk by 2 x 250 bp
          at both ends, less every target widened by 500 bp, split at 150 kb (regions
          under 2 x int(avg / 32) dropped), named Antitarget
Byte-identical to cnvlib's BED files by test (tests/test_bins_fast.py), overlaps and
touching targets included.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .fast_fix import _chrom_key

INSERT_SIZE = 250          # cnvlib.params.INSERT_SIZE
TELOMERE_SIZE = 150_000    # cnvlib.antitarget.get_antitargets: chromosome starts assumed
MIN_REF_COVERAGE = -5.0    # cnvlib.params: the smallest antitarget bin is 2 x int(avg x 2^this)


def _sorter_rank(chrom: np.ndarray) -> np.ndarray:
    """Each row's chromosome rank in CNVkit's order (sorter_chrom; equal keys equal rank)."""
    codes, names = pd.factorize(chrom)
    keys = [_chrom_key(str(c)) for c in names]
    levels = {k: i for i, k in enumerate(sorted(set(keys)))}
    return np.array([levels[k] for k in keys], dtype=np.int64)[codes] if len(keys) else codes.astype(np.int64)


def _join_strings(values) -> str:
    return ",".join(dict.fromkeys(v for v in values if isinstance(v, str))) or "-"


def merge(chrom: np.ndarray, start: np.ndarray, end: np.ndarray, gene: np.ndarray | None):
    """skgenome's merge (see above): the merged regions' columns, in CNVkit's order."""
    name_rank = pd.factorize(chrom, sort=True)[0]          # chromosome names as strings sort
    order = np.lexsort((end, start, name_rank))
    c, s, e = chrom[order], start[order], end[order]
    g = gene[order] if gene is not None else None
    same = np.r_[False, name_rank[order][1:] == name_rank[order][:-1]]
    # the furthest end so far within each chromosome (chromosomes apart by a large offset)
    off = name_rank[order].astype(np.int64) << 33
    reach = np.maximum.accumulate(e + off) - off
    new = ~same | np.r_[True, s[1:] > reach[:-1]]
    cid = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    size = np.diff(np.r_[first, len(s)])
    out_end = np.maximum.reduceat(e, first) if len(first) else e[:0]
    out_gene = None
    if g is not None:
        out_gene = g[first].astype(object)
        for k in np.flatnonzero(size > 1):
            out_gene[k] = _join_strings(g[first[k]:first[k] + size[k]])
        bad = np.array([not isinstance(x, str) for x in out_gene], dtype=bool)
        out_gene[bad] = "-"
    mc, ms = c[first], s[first]
    o = np.lexsort((np.arange(len(first)), _sorter_rank(mc)))   # CNVkit's chromosome order, stable
    del cid
    return mc[o], ms[o], out_end[o], (out_gene[o] if out_gene is not None else None)


def split(chrom, start, end, gene, avg_size: float, min_size: int):
    """skgenome's _split_targets: each region into round(span / avg_size) (at least 1)
    equal parts at integer boundaries; regions shorter than min_size dropped."""
    span = end - start
    keep = span >= min_size
    chrom, start, end, span = chrom[keep], start[keep], end[keep], span[keep]
    gene = gene[keep] if gene is not None else None
    n = np.rint(span / avg_size).astype(np.int64)     # Python's round of the float: half to even
    n[n == 0] = 1
    row = np.repeat(np.arange(len(span)), n)
    i = np.arange(len(row)) - np.repeat(np.cumsum(n) - n, n)
    size = span / n
    lo = start[row] + np.where(i > 0, (i * size[row]).astype(np.int64), 0)
    hi = np.where(i < n[row] - 1, start[row] + ((i + 1) * size[row]).astype(np.int64), end[row])
    return chrom[row], lo, hi, (gene[row] if gene is not None else None)


def target_bins(bed: pd.DataFrame, avg_size: float) -> pd.DataFrame:
    """do_target(baits, do_split=True, avg_size): the BED's intervals merged and split."""
    chrom = bed["chromosome"].to_numpy(dtype=object)
    start, end = bed["start"].to_numpy(dtype=np.int64), bed["end"].to_numpy(dtype=np.int64)
    wide = start != end
    c, s, e, g = merge(chrom[wide], start[wide], end[wide], bed["gene"].to_numpy(dtype=object)[wide])
    c, s, e, g = split(c, s, e, g, avg_size, 0)
    return pd.DataFrame({"chromosome": c, "start": s, "end": e, "gene": g})


def antitarget_bins(targets: pd.DataFrame, avg_size: int) -> pd.DataFrame:
    """do_antitarget(targets, avg_bin_size=avg_size): the gaps between the targets."""
    min_size = 2 * int(avg_size * (2 ** MIN_REF_COVERAGE))
    pad = 2 * INSERT_SIZE
    chrom = targets["chromosome"].to_numpy(dtype=object)
    start, end = targets["start"].to_numpy(dtype=np.int64), targets["end"].to_numpy(dtype=np.int64)
    pieces = []
    for c in dict.fromkeys(chrom.tolist()):
        on = np.flatnonzero(chrom == c)
        a, b = TELOMERE_SIZE + pad, int(end[on[-1]]) - pad         # the chromosome guessed, shrunk
        if b - a <= 0:
            continue
        ps, pe = np.maximum(start[on] - pad, 0), end[on] + pad      # the targets widened
        o = np.lexsort((pe, ps))
        ps, pe = ps[o], pe[o]
        reach = np.maximum.accumulate(pe)
        gap_lo = np.r_[np.iinfo(np.int64).min, reach]               # complement of the widened targets
        gap_hi = np.r_[ps, np.iinfo(np.int64).max]
        lo, hi = np.maximum(gap_lo, a), np.minimum(gap_hi, b)
        ok = hi > lo
        pieces.append((np.full(int(ok.sum()), c, dtype=object), lo[ok], hi[ok]))
    if not pieces:
        return pd.DataFrame({"chromosome": pd.Series(dtype=object), "start": pd.Series(dtype=np.int64),
                             "end": pd.Series(dtype=np.int64), "gene": pd.Series(dtype=object)})
    c, s, e = (np.concatenate(x) for x in zip(*pieces))
    c, s, e, _ = merge(c, s, e, None)
    c, s, e, _ = split(c, s, e, None, avg_size, min_size)
    return pd.DataFrame({"chromosome": c, "start": s, "end": e, "gene": np.full(len(c), "Antitarget", dtype=object)})
