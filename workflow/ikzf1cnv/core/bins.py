"""Bin tables as arrays: the same bins found in another table by their coordinates, and
medians per chromosome, without a merge or a groupby per sample (an exome has ~200,000
bins, and every step of a sample used to pay pandas' price per call)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def factorize_names(chrom) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize of a column of names (codes in order of first appearance, the names), one
    dictionary look-up per run of equal names: bins come sorted by chromosome, so an exome's
    200,000 rows are a few dozen runs (pandas hashes every row, through Arrow in pandas 3).
    A column with a missing value (not text) goes to pd.factorize."""
    a = np.asarray(chrom, dtype=object)
    if not len(a):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    starts = np.r_[0, np.flatnonzero(a[1:] != a[:-1]) + 1]
    heads = a[starts].tolist()
    if not all(isinstance(h, str) for h in heads):
        codes, names = pd.factorize(a)
        return codes.astype(np.int64), np.asarray(names, dtype=object)
    first = {}
    run_codes = np.array([first.setdefault(h, len(first)) for h in heads], dtype=np.int64)
    return np.repeat(run_codes, np.diff(np.r_[starts, len(a)])), np.array(list(first), dtype=object)


def isin_names(chrom, names) -> np.ndarray:
    """np.isin(chrom, names) for a column of chromosome names, testing each distinct name once."""
    codes, uniq = factorize_names(chrom)
    return np.isin(uniq, list(names))[codes] if len(uniq) else np.zeros(len(codes), bool)


def _key(codes: np.ndarray, start: np.ndarray) -> np.ndarray:
    return (codes.astype(np.int64) << 32) | np.asarray(start, dtype=np.int64)


class BinIndex:
    """A table's bins by chromosome, start and end, to find other tables' bins in it
    (match_rows): built once (a reference is looked up by every sample of a batch)."""

    def __init__(self, ref: pd.DataFrame):
        rc, self.names = factorize_names(ref["chromosome"].to_numpy())
        rs = ref["start"].to_numpy(dtype=np.int64)
        self.ends = ref["end"].to_numpy(dtype=np.int64)
        self.n = len(rs)
        self.usable = not (len(rs) and (rs.min() < 0 or rs.max() >= 1 << 32))
        key = _key(rc, np.where(self.usable, rs, 0))
        self.order = np.argsort(key, kind="stable")
        self.keys = key[self.order]
        self.usable &= not (len(self.keys) > 1 and (self.keys[1:] == self.keys[:-1]).any())
        self.by_key = None
        if not self.usable:   # bins sharing a start: a dict of the whole coordinates (None: a bin twice)
            k = list(zip(ref["chromosome"].tolist(), rs.tolist(), self.ends.tolist()))
            self.by_key = {x: i for i, x in enumerate(k)} if len(set(k)) == len(k) else None

    def rows(self, table: pd.DataFrame) -> np.ndarray | None:
        """match_rows against the indexed table (None: the indexed table holds a bin twice)."""
        if not self.usable:
            if self.by_key is None:
                return None
            k = zip(table["chromosome"].tolist(), table["start"].tolist(), table["end"].tolist())
            return np.array([self.by_key.get(x, -1) for x in k], dtype=np.int64)
        tc, tn = factorize_names(table["chromosome"].to_numpy(dtype=object))
        at = {n: i for i, n in enumerate(self.names.tolist())}
        codes = np.array([at.get(n, -1) for n in tn.tolist()], dtype=np.int64)[tc] if len(tn) else tc
        st, en = table["start"].to_numpy(dtype=np.int64), table["end"].to_numpy(dtype=np.int64)
        ok = (codes >= 0) & (st >= 0) & (st < 1 << 32)
        q = _key(np.where(ok, codes, 0), np.where(ok, st, 0))
        out = np.full(len(q), -1, dtype=np.int64)
        if self.n:
            at = np.minimum(np.searchsorted(self.keys, q), self.n - 1)
            row = self.order[at]
            hit = ok & (self.keys[at] == q) & (self.ends[row] == en)
            out[hit] = row[hit]
        return out


def match_rows(ref: pd.DataFrame, table: pd.DataFrame, index: BinIndex | None = None) -> np.ndarray | None:
    """For each row of `table`, the row number in `ref` of the bin with the same chromosome,
    start and end (-1 where ref has none): what a left merge on the three columns finds.
    None where ref holds a bin twice (the caller merges).
    `index`: ref's BinIndex, where built already."""
    return (index or BinIndex(ref)).rows(table)


def take_rows(ref: pd.DataFrame, table: pd.DataFrame, keys=("chromosome", "start", "end"),
              validate: str | None = "one_to_one", index: BinIndex | None = None) -> pd.DataFrame:
    """table[keys].merge(ref, on=keys, how="left", validate=validate): ref's rows in table's
    order (index reset), by match_rows; the merge itself where a bin of table is not in ref
    or ref's bins are not unique by chromosome and start."""
    idx = match_rows(ref, table, index)
    if idx is None or (idx < 0).any():
        return table[list(keys)].merge(ref, on=list(keys), how="left", validate=validate)
    out = ref.iloc[idx].reset_index(drop=True)
    return out[list(keys) + [c for c in ref.columns if c not in keys]]


def lookup(ref: pd.DataFrame, table: pd.DataFrame, columns: list[str],
           index: BinIndex | None = None) -> dict[str, np.ndarray]:
    """ref's numeric `columns` at each bin of `table` (NaN where ref lacks the bin): what
    table.merge(ref, on=[chromosome, start, end], how="left")[column] holds, as arrays."""
    idx = match_rows(ref, table, index)
    if idx is None:
        m = table[["chromosome", "start", "end"]].merge(ref[["chromosome", "start", "end", *columns]],
                                                        on=["chromosome", "start", "end"], how="left")
        return {c: m[c].to_numpy(dtype=float) for c in columns}
    found = idx >= 0
    out = {}
    for c in columns:
        v = np.full(len(idx), np.nan)
        v[found] = ref[c].to_numpy(dtype=float)[idx[found]]
        out[c] = v
    return out


def group_medians(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Median of the non-NaN values of each group (codes 0..n_groups-1), NaN for a group
    without values: pandas' groupby median (the middle value, or the mean of the two middle
    ones: (a + b) / 2, as np.median computes it). The groups are runs of equal codes (bins
    sorted by chromosome: no sort needed) or made so by a stable sort of the codes."""
    v = np.asarray(values, dtype=float)
    c = np.asarray(codes)
    keep = ~np.isnan(v)
    v, c = v[keep], c[keep]
    if len(c) > 1 and (c[1:] < c[:-1]).any():
        order = np.argsort(c, kind="stable")
        v, c = v[order], c[order]
    out = np.full(n_groups, np.nan)
    cuts = np.flatnonzero(c[1:] != c[:-1]) + 1
    for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(c)].tolist()):
        if b > a:
            lo, hi = (b - a - 1) // 2, (b - a) // 2
            p = np.partition(v[a:b], [lo, hi] if hi != lo else lo)
            out[c[a]] = (p[lo] + p[hi]) / 2.0
    return out
