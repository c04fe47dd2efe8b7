"""Deletion junctions from split reads and discordant pairs: where a deletion starts and ends.

A read that crosses a deletion's junction aligns in two parts: one ends at the junction's
left side and is soft-clipped from there on, the other starts at its right side after a
soft clip; the aligner writes one as primary and names the other in an SA tag
("chrom,pos,strand,CIGAR,mapq,NM;"). Read once per BAM in the coverage pass (only
primary alignments with an SA tag on the same chromosome and strand, downstream, are
kept: split_read_record), the reads are clustered into junctions (cluster), and the call
step (caller.junctions) places each junction in the gene windows, estimates its cell fraction
from its read count and the local depth, and looks for a RAG recombination signal
heptamer beside each end where a FASTA is given.

A fragment that spans the junction with neither read crossing it is a discordant pair:
its reads align in the usual inward orientation (forward left, reverse right) but the
deletion lies between them, so they span more of the reference than any fragment
(> min_insert). Such pairs are clustered (cluster_pairs): on their own they place the
junction between the left reads' ends and the right reads' starts (imprecise, to within a
fragment length); beside a split-read junction they add to its support (merge_pairs).
Reads are gathered in the coverage pass by a JunctionReads collector, once per read.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..core.tables import JUNCTIONS_TABLE

JUNCTION_COLS = JUNCTIONS_TABLE[0]
_CIGAR = re.compile(r"(\d+)([MIDNSHP=X])")
_REF_OPS = set("MDN=X")


class Aligned(NamedTuple):
    """One alignment of a read: 0-based start, exclusive end, strand; the CIGAR as pysam
    gives it ((op, length), op 4 = soft clip) where it matters."""
    start: int
    end: int
    reverse: bool
    cigar: list = ()


def parse_sa(tag: str) -> list[tuple[str, int, str, list[tuple[int, str]]]]:
    """SA tag -> [(chrom, 0-based start, strand, [(length, op), ...]), ...]."""
    out = []
    for part in tag.strip(";").split(";"):
        f = part.split(",")
        if len(f) >= 4:
            out.append((f[0], int(f[1]) - 1, f[2], [(int(n), op) for n, op in _CIGAR.findall(f[3])]))
    return out


def ref_length(cigar: list[tuple[int, str]]) -> int:
    return sum(n for n, op in cigar if op in _REF_OPS)


def split_read_record(chrom: str, part: Aligned, sa: str, min_clip: int,
                      bam_chrom: str | None = None) -> tuple[str, int, int] | None:
    """(chrom, left, right) of the deletion junction a primary split read spans, or None
    (`part`: the read's alignment on `chrom`; `bam_chrom`: the BAM's name of `chrom`, which
    the SA tag uses, if it differs). left: the last aligned base + 1 of the left part
    (0-based, exclusive end); right: the first aligned base of the right part (0-based)."""
    start, end, cigar = part.start, part.end, part.cigar
    strand = "-" if part.reverse else "+"
    right_clip = cigar[-1][1] if cigar and cigar[-1][0] == 4 else 0
    left_clip = cigar[0][1] if cigar and cigar[0][0] == 4 else 0
    for c, pos, s, cig in parse_sa(sa):
        if c != (bam_chrom or chrom) or s != strand:
            continue
        sa_left = cig[0][0] if cig and cig[0][1] == "S" else 0
        sa_right = cig[-1][0] if cig and cig[-1][1] == "S" else 0
        if right_clip >= min_clip and sa_left >= min_clip and pos >= end:      # this part left, SA right
            return chrom, end, pos
        if left_clip >= min_clip and sa_right >= min_clip and pos + ref_length(cig) <= start:  # SA left
            return chrom, pos + ref_length(cig), start
    return None


def pair_record(chrom: str, read: Aligned, mate: Aligned, min_insert: int) -> tuple[str, int, int] | None:
    """(chrom, left, right) a discordant pair brackets, or None: the forward read's end
    (left) and the reverse read's start (right) of an inward-facing pair whose reads span
    more than `min_insert` bp of the reference. Works from either read (the mate's end from
    its MC tag or read length). 0-based like split_read_record."""
    if not read.reverse and mate.reverse and mate.start >= read.end:
        left, right, span = read.end, mate.start, mate.end - read.start
    elif read.reverse and not mate.reverse and read.start >= mate.end:
        left, right, span = mate.end, read.start, read.end - mate.start
    else:
        return None
    return (chrom, left, right) if span > min_insert else None


@dataclass
class JunctionReads:
    """Collects, read by read, what junctions are made of (JunctionReads.add): split reads
    (split_read_record), discordant pairs (pair_record; pairs whose read is split are left
    to the split reads) and the fragment lengths of proper pairs (for the cell fraction)."""
    min_clip: int
    min_insert: int
    split: list = field(default_factory=list)
    pairs: list = field(default_factory=list)
    fragments: list = field(default_factory=list)
    max_fragments: int = 100_000
    _seen_split: set = field(default_factory=set)
    _seen_pair: set = field(default_factory=set)

    def add(self, r, chrom: str, bam_chrom: str | None = None):
        """One primary or supplementary read of the pass (pysam AlignedSegment) on `chrom`
        (the BAM's name `bam_chrom` where it differs), already through the depth filters."""
        flag = r.flag
        if flag & 0x800:
            return
        if r.has_tag("SA"):
            key = (r.query_name, r.reference_start)
            if key not in self._seen_split:
                part = Aligned(r.reference_start, r.reference_end, r.is_reverse, r.cigartuples)
                rec = split_read_record(chrom, part, r.get_tag("SA"), self.min_clip, bam_chrom)
                if rec:
                    self._seen_split.add(key)
                    self.split.append(rec)
                    return
        if not flag & 0x1 or flag & 0x8 or r.next_reference_id != r.reference_id:
            return
        if flag & 0x2:
            if flag & 0x40 and len(self.fragments) < self.max_fragments:
                self.fragments.append(abs(r.template_length))
            return
        if r.query_name in self._seen_pair:
            return
        ms = r.next_reference_start
        me = ms + (ref_length([(int(n), op) for n, op in _CIGAR.findall(r.get_tag("MC"))]) if r.has_tag("MC")
                   else r.query_length)
        rec = pair_record(chrom, Aligned(r.reference_start, r.reference_end, r.is_reverse),
                          Aligned(ms, me, r.mate_is_reverse), self.min_insert)
        if rec:
            self._seen_pair.add(r.query_name)
            self.pairs.append(rec)

    def fragments_full(self) -> bool:
        return len(self.fragments) >= self.max_fragments

    def add_fragments(self, lengths):
        """Fragment lengths of proper pairs' first reads (abs TLEN), many at once, up to
        max_fragments: what add does for each such read without a split part, for a pass
        that reads its columns as arrays (reads.passes.offer)."""
        room = self.max_fragments - len(self.fragments)
        if room > 0:
            self.fragments.extend(int(x) for x in lengths[:room])

    def fragment_length(self) -> float | None:
        """Median fragment length of the proper pairs seen (None: unpaired reads)."""
        return float(np.median(self.fragments)) if self.fragments else None


def cluster(records: list[tuple[str, int, int]], tolerance: int) -> pd.DataFrame:
    """Junctions from split-read records: records whose ends lie within `tolerance` bp of a
    cluster's first are one junction, placed at the most common (left, right)."""
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(JUNCTION_COLS, (str, "int64", "int64", "int64", "int64", "int64"))})
    df = pd.DataFrame(records, columns=["chrom", "left", "right"]).sort_values(["chrom", "left", "right"])
    rows = []
    for chrom, g in df.groupby("chrom", sort=True):
        pts = list(zip(g["left"].tolist(), g["right"].tolist()))
        lefts = [p[0] for p in pts]
        used = [False] * len(pts)
        for i, (l0, r0) in enumerate(pts):
            if used[i]:
                continue
            # sorted by left: only records up to l0 + tolerance can be members (a genome
            # sample has thousands of chimeric split reads: no pass over all of them each)
            stop = bisect.bisect_right(lefts, l0 + tolerance, i)
            members = [j for j in range(i, stop) if not used[j] and abs(pts[j][0] - l0) <= tolerance
                       and abs(pts[j][1] - r0) <= tolerance]
            for j in members:
                used[j] = True
            vals = Counter(pts[j] for j in members)
            most = max(vals.values())
            top = min(k for k, v in vals.items() if v == most)   # deterministic mode
            rows.append((chrom, top[0], top[1], len(members), 0, 1))
    return pd.DataFrame(rows, columns=JUNCTION_COLS)


def cluster_pairs(records: list[tuple[str, int, int]], window: int) -> list[tuple[str, int, int, int, int, int, int]]:
    """Discordant pairs (pair_record) whose left ends and right starts each lie within
    `window` bp of a cluster's first: (chrom, innermost left = the largest read end,
    innermost right = the smallest mate start, count, smallest left, largest right)."""
    out = []
    df = sorted(records)
    used = [False] * len(df)
    for i, (c0, l0, r0) in enumerate(df):
        if used[i]:
            continue
        stop = bisect.bisect_right(df, (c0, l0 + window, math.inf), i)   # sorted: no member past this
        members = [j for j in range(i, stop) if not used[j] and df[j][0] == c0 and abs(df[j][1] - l0) <= window
                   and abs(df[j][2] - r0) <= window]
        for j in members:
            used[j] = True
        ls, rs = [df[j][1] for j in members], [df[j][2] for j in members]
        out.append((c0, max(ls), min(rs), len(members), min(ls), max(rs)))
    return out


def merge_pairs(split: pd.DataFrame, pairs: list, window: int, tolerance: int) -> pd.DataFrame:
    """Split-read junctions (cluster) with the discordant pairs (cluster_pairs) added: a
    pair cluster goes to the split-read junction it brackets (its reads end at most
    `tolerance` bp past the junction's ends and lie within `window` bp of them), the one
    with most split reads; one that brackets none is a junction of its own, placed between
    its reads (precise 0)."""
    out = split.reset_index(drop=True)
    chrom = out["chrom"].to_numpy(dtype=object)
    left, right = out["left"].to_numpy(dtype=np.int64), out["right"].to_numpy(dtype=np.int64)
    split_reads = out["split_reads"].to_numpy(dtype=np.int64)
    rows_of = {c: np.flatnonzero(chrom == c) for c in dict.fromkeys(chrom)}
    added = np.zeros(len(out), dtype=np.int64)
    extra = []
    for c, il, ir, k, ol, orr in pairs:
        rows = rows_of.get(c, np.zeros(0, dtype=np.int64))
        lr, rr = left[rows], right[rows]
        fits = rows[(lr >= il - tolerance) & (lr - ol <= window) & (rr <= ir + tolerance) & (orr - rr <= window)]
        if len(fits):   # most split reads, then the leftmost, then the first row
            added[fits[np.lexsort((fits, left[fits], -split_reads[fits]))[0]]] += k
        else:
            extra.append((c, il, ir, 0, k, 0))
    out = out.assign(discordant_pairs=out["discordant_pairs"].to_numpy(dtype=np.int64) + added)
    if extra:
        out = pd.concat([out, pd.DataFrame(extra, columns=JUNCTION_COLS)], ignore_index=True)
    return out.sort_values(["chrom", "left", "right"], kind="stable").reset_index(drop=True).astype(
        {"left": "int64", "right": "int64", "split_reads": "int64", "discordant_pairs": "int64", "precise": "int64"})


def junctions_of(reads: JunctionReads, tolerance: int, pair_window: int) -> pd.DataFrame:
    """The junction table of a sample's collected reads (coverage/{sample}.junctions.tsv):
    every split-read junction, and the junctions of discordant pairs alone that have at
    least two (a lone far pair is the commonest library chimera)."""
    jx = merge_pairs(cluster(reads.split, tolerance), cluster_pairs(reads.pairs, pair_window), pair_window, tolerance)
    return jx[(jx["split_reads"] > 0) | (jx["discordant_pairs"] > 1)].reset_index(drop=True)
