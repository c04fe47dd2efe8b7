"""Deletion junctions from split reads: where a deletion starts and ends, to the base.

A read that crosses a deletion's junction aligns in two parts: one ends at the junction's
left side and is soft-clipped from there on, the other starts at its right side after a
soft clip; the aligner writes one as primary and names the other in an SA tag
("chrom,pos,strand,CIGAR,mapq,NM;"). Read once per BAM in the coverage pass (only
primary alignments with an SA tag on the same chromosome and strand, downstream, are
kept: split_read_record), the reads are clustered into junctions (cluster), and the call
step places each junction in the gene windows (breakpoints), estimates its cell fraction
from its read count and the local depth, and looks for a RAG recombination signal
heptamer beside each end where a FASTA is given (rss).

Discordant pairs are not read yet (the simulator writes unpaired reads); the column is
there, 0.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import labels
from .files import BREAKPOINTS_TABLE, JUNCTIONS_TABLE

JUNCTION_COLS = JUNCTIONS_TABLE[0]
BREAKPOINT_COLS = [c for c in BREAKPOINTS_TABLE[0] if c != "sample"]
_CIGAR = re.compile(r"(\d+)([MIDNSHP=X])")
_REF_OPS = set("MDN=X")


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


def split_read_record(chrom: str, start: int, end: int, cigar: list[tuple[int, int]], reverse: bool, sa: str,
                      min_clip: int, bam_chrom: str | None = None) -> tuple[str, int, int] | None:
    """(chrom, left, right) of the deletion junction a primary split read spans, or None
    (`bam_chrom`: the BAM's name of `chrom`, which the SA tag uses, if it differs).
    left: the last aligned base + 1 of the left part (0-based, exclusive end); right: the
    first aligned base of the right part (0-based). `cigar` as pysam gives it ((op, length),
    op 4 = soft clip)."""
    strand = "-" if reverse else "+"
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


def cluster(records: list[tuple[str, int, int]], tolerance: int) -> pd.DataFrame:
    """Junctions from split-read records: records whose ends lie within `tolerance` bp of a
    cluster's first are one junction, placed at the most common (left, right)."""
    if not records:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(JUNCTION_COLS, (str, "int64", "int64", "int64", "int64"))})
    df = pd.DataFrame(records, columns=["chrom", "left", "right"]).sort_values(["chrom", "left", "right"])
    rows = []
    for chrom, g in df.groupby("chrom", sort=True):
        pts = list(zip(g["left"].tolist(), g["right"].tolist()))
        used = [False] * len(pts)
        for i, (l0, r0) in enumerate(pts):
            if used[i]:
                continue
            members = [j for j in range(i, len(pts)) if not used[j] and abs(pts[j][0] - l0) <= tolerance
                       and abs(pts[j][1] - r0) <= tolerance]
            for j in members:
                used[j] = True
            vals = pd.Series([pts[j] for j in members]).value_counts()
            top = sorted(k for k, v in vals.items() if v == vals.max())[0]   # deterministic mode
            rows.append((chrom, top[0], top[1], len(members), 0))
    return pd.DataFrame(rows, columns=JUNCTION_COLS)


RSS_HEPTAMER = "CACAGTG"


def rss(seq: str, max_mismatch: int = 1) -> str:
    """The best RSS heptamer match in `seq` (either strand): 'CACAGTG' (exact), 'CACAGTG~1'
    (one mismatch), or 'none'."""
    seq = seq.upper()
    comp = str.maketrans("ACGT", "TGCA")
    best = None
    for motif in (RSS_HEPTAMER, RSS_HEPTAMER.translate(comp)[::-1]):
        for i in range(len(seq) - len(motif) + 1):
            mm = sum(a != b for a, b in zip(seq[i:i + len(motif)], motif))
            if mm <= max_mismatch and (best is None or mm < best):
                best = mm
    return "none" if best is None else (RSS_HEPTAMER if best == 0 else f"{RSS_HEPTAMER}~{best}")


def cell_fraction(split_reads: int, depth: float, read_length: float, min_clip: int) -> float:
    """Fraction of cells with the junction (one allele) from its split reads: a junction on
    one allele of every cell gives depth / read_length / 2 read starts per bp over the
    read_length - 2 min_clip + 1 positions that split."""
    per_cell = depth / max(read_length, 1.0) / 2.0 * max(read_length - 2 * min_clip + 1, 1.0)
    return float(min(split_reads / per_cell, 1.0)) if per_cell > 0 else float("nan")


def breakpoints(junctions: pd.DataFrame, units: pd.DataFrame, windows: dict[str, tuple[str, int, int]],
                depth_at, read_length: float, min_clip: int, fasta=None, flank: int = 10) -> pd.DataFrame:
    """Each junction inside a gene window: the group, the exon units its deletion removes
    (entirely between left and right), the IKZF1-style label, a cell-fraction estimate
    (cell_fraction at depth_at(chrom, pos), the local depth) and, with a FASTA (pysam
    FastaFile), the RSS heptamer beside each end."""
    rows = []
    for j in junctions.itertuples(index=False):
        for key, (c, ws, we) in windows.items():
            if c != j.chrom or not (ws <= j.left < we or ws <= j.right < we):
                continue
            genes = key.split("+")
            u = units[units["gene"].isin(genes) & (units["chrom"] == c)]
            inside = u[(u["start"] - 1 >= j.left) & (u["end"] <= j.right)]
            if "IKZF1" in genes:
                label = labels.deletion_label(int(e) for e in inside["exon"])
            else:
                label = "+".join(f"{g}:" + ",".join(str(e) for e in inside.loc[inside["gene"] == g, "exon"])
                                 for g in genes if (inside["gene"] == g).any()) or "none"
            removed = ",".join(f"{r.gene}:{r.exon}" for r in inside.itertuples())
            d = depth_at(c, j.left)
            rl = rr = "NA"
            if fasta is not None:
                rl = rss(fasta.fetch(c, max(j.left - flank, 0), j.left + flank))
                rr = rss(fasta.fetch(c, max(j.right - flank, 0), j.right + flank))
            rows.append({"gene": key, "chrom": c, "start": int(j.left), "end": int(j.right),
                         "split_reads": int(j.split_reads), "discordant_pairs": int(j.discordant_pairs),
                         "cell_fraction": round(cell_fraction(int(j.split_reads), d, read_length, min_clip), 3)
                         if np.isfinite(d) else float("nan"),
                         "exons_removed": removed, "label": label, "rss_left": rl, "rss_right": rr})
    return pd.DataFrame(rows, columns=BREAKPOINT_COLS)


def reconcile(status: str, ikzf1: dict, bps: pd.DataFrame, whole_genome: bool, min_split_reads: int) -> tuple[str, dict]:
    """Depth and junctions together, for IKZF1 (status, ikzf1 summary -> updated):
    `confirmed` when a junction removes IKZF1 exons the depth call also has lost (its ends
    then name the exact deletion); a junction of >= min_split_reads split reads removing
    IKZF1 exons with no depth signal makes the call (a clone below the depth limit: its
    label, its cell fraction from the junction reads); `none_found` when a genome's depth
    call has no junction (flag for review); `not_applicable` otherwise."""
    ik = bps[(bps["gene"] == "IKZF1") & (bps["label"] != "none")] if len(bps) else bps
    out = dict(ikzf1)
    if status == "deleted":
        lost = set(ikzf1["exons_deleted"].split(",")) if ikzf1.get("exons_deleted") else set()
        hit = [r for r in ik.itertuples() if lost & {x.split(":")[1] for x in r.exons_removed.split(",") if x}]
        out["junction"] = "confirmed" if hit else ("none_found" if whole_genome else "not_applicable")
        return status, out
    strong = ik[ik["split_reads"] >= min_split_reads] if len(ik) else ik
    if status == "wildtype" and len(strong):
        best = strong.sort_values(["split_reads", "start"], ascending=[False, True]).iloc[0]
        exons = sorted(int(x.split(":")[1]) for x in best["exons_removed"].split(",") if x)
        out.update({"deletion": labels.deletion_label(exons), "exons_deleted": labels.exon_list(exons),
                    "exons_biallelic": "", "cell_fraction": float(best["cell_fraction"]), "cf_low": None,
                    "cf_high": None, "mechanism": "focal", "junction": "confirmed",
                    "evidence": f"junction {best['chrom']}:{int(best['start'])}-{int(best['end'])}, "
                                f"{int(best['split_reads'])} split reads, no depth signal (below the depth limit)"})
        return "deleted", out
    out["junction"] = "not_applicable"
    return status, out
