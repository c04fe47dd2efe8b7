"""Bins and the aligned bases of reads in them (CNVkit's coverage: samtools bedcov's sum
of per-base depths), a batch of reads at a time; the settings of a pass over a BAM."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


# Reads CNVkit's coverage (samtools bedcov) skips: unmapped, secondary, QC-fail, duplicate
# (0x4 | 0x100 | 0x200 | 0x400). Part of CNVkit's coverage definition, not a threshold.
EXCLUDE_FLAGS = 0x704
FETCH_GAP = 10_000  # bins closer than this are read in one fetch through the index
BIN_COLS = ["chromosome", "start", "end", "gene"]


@dataclass(frozen=True)
class PassSettings:
    """How a BAM is read: the MAPQ threshold, decompression threads, the FASTA that decodes
    a CRAM, the BAM's name of each bin contig where it differs (Ensembl `7` for `chr7`:
    inputs.bam.check_bam), and whether every read is read in order (panels, exomes) or only
    the bins' regions through the index (whole-genome mode)."""
    min_mapq: int = 0
    threads: int = 1
    fasta: str | None = None
    contig_names: dict = field(default_factory=dict)
    sequential: bool = False

    def __post_init__(self):
        if self.contig_names is None:
            object.__setattr__(self, "contig_names", {})


def read_bins(bin_beds: list[str]) -> list[pd.DataFrame]:
    """The bins of each BED4 file (an empty file: no bins)."""
    empty = pd.DataFrame({"chromosome": pd.Series(dtype=str), "start": pd.Series(dtype="int64"),
                          "end": pd.Series(dtype="int64"), "gene": pd.Series(dtype=str)})
    return [pd.read_csv(p, sep="\t", header=None, names=BIN_COLS, dtype={"chromosome": str, "gene": str})
            if os.path.getsize(p) else empty.copy() for p in bin_beds]


def fetch_regions(starts, ends, gap: int = FETCH_GAP) -> list[tuple[int, int, int, int]]:
    """Bins (sorted by start) grouped into regions read by one fetch each: (lo, hi, first
    bin, last bin + 1); a new region where the next bin starts more than `gap` past the
    furthest end so far."""
    s, e = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if not len(s):
        return []
    reach = np.maximum.accumulate(e)
    brk = np.flatnonzero(s[1:] > reach[:-1] + gap) + 1
    first, last = np.r_[0, brk], np.r_[brk, len(s)]
    return [(int(s[a:b].min()), int(reach[b - 1]), int(a), int(b)) for a, b in zip(first, last)]


def aligned_bases(read_starts, read_ends, bin_starts, bin_ends):
    """Sum over reads of the bases each read's aligned span [start, end) shares with each
    bin: C(e) - C(s) with C(x) = sum_reads clip(x - start, 0, end - start), evaluated from
    sorted starts and ends and their cumulative sums (no per-base array)."""
    # stable (timsort): the starts come sorted from the index and the ends nearly so
    a = np.sort(np.asarray(read_starts, dtype=np.int64), kind="stable")
    b = np.sort(np.asarray(read_ends, dtype=np.int64), kind="stable")
    ca, cb = np.r_[0, np.cumsum(a)], np.r_[0, np.cumsum(b)]

    def cum(x):
        na, nb = np.searchsorted(a, x, "left"), np.searchsorted(b, x, "left")
        return (x * na - ca[na]) - (x * nb - cb[nb])
    bs, be = np.asarray(bin_starts, dtype=np.int64), np.asarray(bin_ends, dtype=np.int64)
    return cum(be) - cum(bs)


class ContigBins:
    """The bins of one contig (sorted by start) and their aligned-base counts, filled a
    batch of reads at a time (aligned_bases adds up over batches), and the fetch regions
    the index path would read (junction reads are taken from these only, as there)."""

    def __init__(self, idx, starts, ends):
        self.idx, self.s, self.e = idx, starts, ends
        self.reach = np.maximum.accumulate(ends)
        regions = fetch_regions(starts, ends)
        self.rlo = np.array([r[0] for r in regions], dtype=np.int64)
        self.rhi = np.array([r[1] for r in regions], dtype=np.int64)
        self.count = np.zeros(len(starts), dtype=np.int64)

    def add(self, st, en):
        """Reads [st, en) of a batch (st sorted, as in a coordinate-sorted BAM)."""
        if not len(st):
            return
        lo = int(np.searchsorted(self.reach, st[0], "right"))   # bins ending at or before the first start: none
        hi = int(np.searchsorted(self.s, en.max(), "left"))     # bins starting at or after the last end: none
        if hi > lo:
            self.count[lo:hi] += aligned_bases(st, en, self.s[lo:hi], self.e[lo:hi])

    def in_regions(self, st, en):
        """Reads overlapping a fetch region, as htslib's fetch decides (a read without
        aligned bases spans its first base)."""
        k = np.searchsorted(self.rhi, st, "right")
        ok = k < len(self.rhi)
        ok[ok] = self.rlo[k[ok]] < np.maximum(en[ok], st[ok] + 1)
        return ok


def empty_coverage() -> pd.DataFrame:
    """A coverage table with no bins (a BAM that could not be read)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(BIN_COLS + ["depth", "log2"],
                                                                 (str, "int64", "int64", str, float, float))})
