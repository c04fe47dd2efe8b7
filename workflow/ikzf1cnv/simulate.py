"""Deterministic simulation of panel BAMs with known copy-number truth.

Used to build the bundled toy cohort (scripts/make_toy_cohort.py). The model:
  * a capture panel: every annotated exon unit (clipped to `max_target` bp, as panels
    often capture only part of long UTR exons) plus evenly spaced backbone targets on
    every chromosome;
  * reads start uniformly over each target padded by one read length; the expected count
    is depth x capture efficiency (per target, shared by all samples) x a GC-like bias
    whose slope differs by sample x gamma overdispersion x copy number / 2;
  * off-target reads at a low uniform rate, scaled by copy number;
  * copy number = germline (2; chrX 1 in males outside PAR1) + sum over events of
    copies x cell fraction (blast fraction x fraction of blasts carrying the event).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

READ_SEQ_UNIT = "ACGT"


@dataclass(frozen=True)
class Event:
    chrom: str
    start: int  # 0-based half-open
    end: int
    copies: int  # -1 loss of one copy, -2 both, +1 gain
    fraction: float  # of all cells


def seed_of(name: str, base: int) -> int:
    return (zlib.crc32(name.encode()) + base) % (2 ** 32)


def germline_cn(chrom: str, pos: np.ndarray, sex: str, par1: tuple[str, int, int]) -> np.ndarray:
    cn = np.full(len(pos), 2.0)
    if chrom == "chrX" and sex == "male":
        inpar = (pos >= par1[1] - 1) & (pos < par1[2])
        cn[~inpar] = 1.0
    if chrom == "chrY":
        cn[:] = 1.0 if sex == "male" else 0.0
    return cn


def copy_number(chrom: str, pos: np.ndarray, sex: str, par1, events: list[Event]) -> np.ndarray:
    cn = germline_cn(chrom, pos, sex, par1)
    for ev in events:
        if ev.chrom == chrom:
            hit = (pos >= ev.start) & (pos < ev.end)
            cn[hit] += ev.copies * ev.fraction
    return np.maximum(cn, 0.0)


def simulate_reads(panel: pd.DataFrame, contigs: dict[str, int], sex: str, par1, events: list[Event],
                   depth: float, seed: int, read_length: int, capture_seed: int,
                   gc_slope_sd: float = 0.3, overdispersion_cv: float = 0.05,
                   offtarget_per_mb: float = 4.0) -> dict[str, np.ndarray]:
    """Sorted read start positions (0-based) per chromosome."""
    cap = np.random.default_rng(capture_seed)
    eff = np.exp(cap.normal(0.0, 0.3, len(panel)))          # capture efficiency per target
    gcl = cap.uniform(-1.0, 1.0, len(panel))                  # GC-like covariate per target
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, gc_slope_sd)
    shape = 1.0 / overdispersion_cv ** 2
    od = rng.gamma(shape, 1.0 / shape, len(panel))
    out: dict[str, list[np.ndarray]] = {c: [] for c in contigs}
    s = panel["start"].to_numpy()
    e = panel["end"].to_numpy()
    mids = (s + e) // 2
    for c in panel["chrom"].unique():
        idx = np.flatnonzero(panel["chrom"].to_numpy() == c)
        cn = copy_number(c, mids[idx], sex, par1, events)
        lam = depth * (e[idx] - s[idx] + read_length) / read_length * eff[idx] * np.exp(slope * gcl[idx]) \
            * od[idx] * cn / 2.0
        n = rng.poisson(lam)
        for j, k in zip(idx, n):
            if k:
                out[c].append(rng.integers(max(s[j] - read_length + 1, 0), e[j], k))
    for c, L in contigs.items():
        k = rng.poisson(offtarget_per_mb * L / 1e6)
        if k:
            pos = rng.integers(0, L - read_length, k)
            keep = rng.random(k) < copy_number(c, pos, sex, par1, events) / 2.0
            out[c].append(pos[keep])
    return {c: np.sort(np.concatenate(v)) if v else np.zeros(0, dtype=np.int64) for c, v in out.items()}


def write_bam(path: str, sample: str, contigs: dict[str, int], reads: dict[str, np.ndarray],
              read_length: int, seed: int) -> int:
    """Write a coordinate-sorted, CSI-indexed BAM of unpaired reads; returns the read count."""
    import pysam

    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": c, "LN": L} for c, L in contigs.items()],
              "RG": [{"ID": sample, "SM": sample, "PL": "ILLUMINA"}],
              "PG": [{"ID": "ikzf1cnv-simulate", "PN": "ikzf1cnv.simulate"}]}
    seq = (READ_SEQ_UNIT * (read_length // len(READ_SEQ_UNIT) + 1))[:read_length]
    rng = np.random.default_rng(seed)
    n = 0
    with pysam.AlignmentFile(path, "wb", header=header) as bam:
        for tid, c in enumerate(contigs):
            pos = reads.get(c)
            if pos is None or not len(pos):
                continue
            rev = rng.random(len(pos)) < 0.5
            for p, r in zip(pos.tolist(), rev.tolist()):
                a = pysam.AlignedSegment(bam.header)
                a.query_name = f"{n:x}"
                a.flag = 16 if r else 0
                a.reference_id = tid
                a.reference_start = p
                a.mapping_quality = 60
                a.cigartuples = [(0, read_length)]
                a.query_sequence = seq
                a.set_tag("RG", sample)
                bam.write(a)
                n += 1
    pysam.index("-c", path)  # CSI: a few kB, where a BAI of a sparse hg38 BAM is 1.7 MB
    return n


# ------------------------------------------------------------------ event geometry
def _ordered(units: pd.DataFrame, gene: str) -> pd.DataFrame:
    u = units[units["gene"] == gene].copy()
    u["_n"] = range(len(u))
    return u  # exons.tsv lists units in transcription order


def exon_event(units: pd.DataFrame, gene: str, first: int, last: int, copies: int, fraction: float,
               extend: int = 0) -> Event:
    """A deletion of exon units first..last (transcription order) with breakpoints in the
    middle of the flanking introns; at the gene's ends it reaches `extend` bp (default a
    small margin) beyond the gene."""
    u = _ordered(units, gene).reset_index(drop=True)
    n = len(u)
    sel = u.iloc[first - 1:last]
    lo, hi = int(sel["start"].min()) - 1, int(sel["end"].max())
    gs, ge = int(u["start"].min()) - 1, int(u["end"].max())
    margin = max(extend, 2000)
    # genomic neighbours of the selected block
    left = u[u["end"] < lo + 1]["end"].max()
    right = u[u["start"] > hi]["start"].min()
    start = (int(left) + lo) // 2 if pd.notna(left) else gs - margin
    end = (hi + int(right) - 1) // 2 if pd.notna(right) else ge + margin
    if first == 1 and last == n:
        start, end = gs - margin, ge + margin
    return Event(str(sel["chrom"].iloc[0]), start, end, copies, fraction)


def par1_event(units: pd.DataFrame, copies: int, fraction: float) -> Event:
    """P2RY8-CRLF2: from P2RY8's first intron to between CRLF2 and CSF2RA (CRLF2 kept)."""
    p = _ordered(units, "P2RY8").reset_index(drop=True)
    crlf2_end = int(units[units["gene"] == "CRLF2"]["end"].max())
    csf2ra_start = int(units[units["gene"] == "CSF2RA"]["start"].min())
    start = (crlf2_end + csf2ra_start) // 2
    end = (int(p.iloc[1]["end"]) + int(p.iloc[0]["start"])) // 2
    return Event("chrX", start, end, copies, fraction)


def chromosome_event(contigs: dict[str, int], chrom: str, copies: int, fraction: float) -> Event:
    return Event(chrom, 0, contigs[chrom], copies, fraction)
