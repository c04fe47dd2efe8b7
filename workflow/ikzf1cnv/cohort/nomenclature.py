"""Each deletion named as a lab writes it: ISCN (`seq[GRCh38] 7p12.2(50352085_50392950)x1`)
and HGVS (`NC_000007.14:g.(50349205_50352084)_(50392951_50395830)del`), from the positions
the model saw (window_bins.tsv) and the junctions found (calls.json).

Depth places a deletion's end between two measured positions: the last one it keeps and the
first one it loses. ISCN gives the deleted region's minimal extent, from the first base of
the first deleted position to the last base of the last one (1-based), with its copy number
(x1: one copy left, x0: none); HGVS brackets each end between the positions that bound it,
`(a_b)`, or `?` where nothing is measured beyond it. A junction read to the base (a split
read, `exact`) whose ends fall in those brackets gives the exact ends instead. Coordinates
are 1-based; the window table's are 0-based half-open (as BED).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Build:
    """What naming needs of a build: its assembly (GRCh38), each chromosome's RefSeq
    accession and the bands (resources/<build>/cytobands.tsv)."""
    assembly: str
    refseq: dict
    bands: pd.DataFrame


@dataclass(frozen=True)
class End:
    """A deletion's end: the deleted base nearest to it is in [inner, outer] (left end:
    outer <= inner), outer None where nothing is measured beyond; exact when a junction
    gives the base."""
    inner: int
    outer: int | None
    exact: bool = False


@dataclass(frozen=True)
class Interval:
    chrom: str
    left: End
    right: End
    lost: int                 # copies lost in the cells that carry it (1 or 2)

    @property
    def first(self) -> int:
        return self.left.inner

    @property
    def last(self) -> int:
        return self.right.inner


def band(b: Build, chrom: str, pos1: int) -> str:
    """The band holding a 1-based position, e.g. '7p12.2' ('' when the table has none)."""
    t = b.bands[(b.bands["chrom"] == chrom) & (b.bands["start"] < pos1) & (b.bands["end"] >= pos1)]
    return f"{chrom.removeprefix('chr')}{t['band'].iloc[0]}" if len(t) else ""


def band_range(b: Build, chrom: str, first: int, last: int) -> str:
    """'7p12.2' for one band, '7p12.2p12.1' for a run (ISCN)."""
    a, z = band(b, chrom, first), band(b, chrom, last)
    name = chrom.removeprefix("chr")
    return a if a == z else a + z[len(name):]


def _measured(pos: pd.DataFrame) -> pd.DataFrame:
    ok = np.isfinite(pd.to_numeric(pos["log2"], errors="coerce").to_numpy(dtype=float))
    return pos[ok].sort_values("start").reset_index(drop=True)


def _interval(p: pd.DataFrame, a: int, b: int, lost: int) -> Interval:
    """Positions a..b (rows of p, 0-based starts) deleted; bounded by rows a-1 and b+1."""
    s, e = p["start"].to_numpy(dtype=int), p["end"].to_numpy(dtype=int)
    left = End(int(s[a]) + 1, int(e[a - 1]) + 1 if a > 0 else None)
    right = End(int(e[b]), int(s[b + 1]) if b + 1 < len(p) else None)
    return Interval(str(p["chrom"].iloc[a]), left, right, lost)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < len(mask):
        if mask[i]:
            j = i
            while j + 1 < len(mask) and mask[j + 1]:
                j += 1
            out.append((i, j))
            i = j + 1
        else:
            i += 1
    return out


SLACK = 1000   # bp: a junction's end may lie this far beyond its bracket (inside a partly deleted bin)


def events(pos: pd.DataFrame) -> list[tuple[Interval, list[Interval], pd.DataFrame]]:
    """Each deletion of a window (a run of measured positions with a copy lost) that removes
    an exon: its outer interval, its pieces of one copy state each (in genomic order: one
    copy lost, both lost, ...), and its positions."""
    p = _measured(pos)
    st = p["state"].fillna(0).astype(int).to_numpy() if len(p) else np.zeros(0, dtype=int)
    out = []
    for a, b in _runs(st >= 1):
        if not (p["kind"].iloc[a:b + 1] == "exon").any():
            continue
        pieces, i = [], a
        while i <= b:
            j = i
            while j + 1 <= b and st[j + 1] == st[i]:
                j += 1
            pieces.append(_interval(p, i, j, int(st[i])))
            i = j + 1
        outer = _interval(p, a, b, max(x.lost for x in pieces))
        out.append((outer, pieces, p.iloc[a:b + 1]))
    return out


def with_junction(iv: Interval, junctions: list[dict]) -> Interval:
    """The interval with exact ends where a split-read junction's ends fall in its brackets
    (give or take SLACK: a junction inside a bin leaves the bin partly deleted)."""
    for j in junctions:
        if j.get("precision", "exact") != "exact" or j["chrom"] != iv.chrom:
            continue
        j1, j2 = int(j["start"]) + 1, int(j["end"])
        lo = (iv.left.outer if iv.left.outer is not None else j1) - SLACK
        hi = (iv.right.outer if iv.right.outer is not None else j2) + SLACK
        if lo <= j1 <= iv.first + SLACK and iv.last - SLACK <= j2 <= hi:
            return Interval(iv.chrom, End(j1, j1, True), End(j2, j2, True), iv.lost)
    return iv


def refine(outer: Interval, pieces: list[Interval], junctions: list[dict]) -> tuple[Interval, list[Interval]]:
    """Outer interval and pieces with the ends junctions give: the outer ends (the first
    allele), and each run where both copies are lost (the second allele's)."""
    new = with_junction(outer, junctions)
    out = []
    for k, pc in enumerate(pieces):
        if pc.lost == 2 and len(pieces) > 1:
            pc = with_junction(pc, junctions)
        left = new.left if k == 0 else pc.left
        right = new.right if k == len(pieces) - 1 else pc.right
        out.append(Interval(pc.chrom, left, right, pc.lost))
    for k in range(1, len(out)):   # an exact end moves its neighbour's: the pieces abut
        a, z = out[k - 1], out[k]
        if z.left.exact:
            out[k - 1] = Interval(a.chrom, a.left, End(z.first - 1, z.first - 1, True), a.lost)
        elif a.right.exact:
            out[k] = Interval(z.chrom, End(a.last + 1, a.last + 1, True), z.right, z.lost)
    return new, out


def arm_iscn(b: Build, arm: str, chrom: str, arms: pd.DataFrame, whole: bool) -> str:
    """ISCN of an arm lost (7p22.3p11.1(1_58100000)x1, from resources/<build>/arms.tsv) or,
    both arms lost, of the chromosome ((7)x1)."""
    if whole:
        return f"seq[{b.assembly}] ({chrom.removeprefix('chr')})x1"
    r = arms[arms["arm"] == arm].iloc[0]
    first, last = int(r["start"]), int(r["end"])
    return f"seq[{b.assembly}] {band_range(b, chrom, first, last)}({first}_{last})x1"


def iscn(b: Build, pieces: list[Interval]) -> str:
    """ISCN of one deletion: 7p12.2(first_last)x1 per piece (x1: one copy left, x0: none)."""
    return ",".join(f"{band_range(b, p.chrom, p.first, p.last)}({p.first}_{p.last})x{2 - p.lost}" for p in pieces)


def hgvs_interval(iv: Interval) -> str:
    """'(a_b)_(c_d)del' with brackets for uncertain ends, exact ends as plain numbers."""
    def end(e: End, left: bool) -> str:
        if e.exact:
            return str(e.inner)
        o = "?" if e.outer is None else str(e.outer)
        return f"({o}_{e.inner})" if left else f"({e.inner}_{o})"
    return f"{end(iv.left, True)}_{end(iv.right, False)}del"


def hgvs(b: Build, outer: Interval, pieces: list[Interval]) -> str:
    """NC_000007.14:g.<del> where one copy is lost; g.[<del>];[<del>] where both are (the
    second allele's deletions: the runs where both copies are gone)."""
    acc = b.refseq.get(outer.chrom, outer.chrom)
    both = [p for p in pieces if p.lost == 2]
    if not both:
        return f"{acc}:g.{hgvs_interval(outer)}"
    second = hgvs_interval(outer) if len(pieces) == 1 else ";".join(hgvs_interval(p) for p in both)
    return f"{acc}:g.[{hgvs_interval(outer)}];[{second}]"


def name_deletions(b: Build, pos: pd.DataFrame, junctions: list[dict]) -> list[dict]:
    """Every deletion of a window that removes an exon, named: the genes and exons it
    removes, ISCN, HGVS, and how its ends are known."""
    out = []
    for outer, pieces, rows in events(pos):
        outer, pieces = refine(outer, pieces, junctions)
        ex = rows[rows["kind"] == "exon"]
        exons = {g: [str(e) for e in ex.loc[ex["gene"] == g, "exon"]] for g in dict.fromkeys(ex["gene"])}
        exact = outer.left.exact and outer.right.exact
        out.append({"genes": exons, "iscn": f"seq[{b.assembly}] {iscn(b, pieces)}", "hgvs": hgvs(b, outer, pieces),
                    "ends": "exact: a split-read junction gives the bases" if exact else
                    "between measured positions: the brackets hold the last kept and first lost bases",
                    "chrom": outer.chrom, "first": outer.first, "last": outer.last})
    return out
