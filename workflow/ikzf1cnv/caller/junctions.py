"""Junctions in the caller: each junction the coverage pass found (reads.junction_reads)
placed in the gene windows (breakpoints: the exons its deletion removes, its label, its
cell fraction from its reads and the local depth, and, with a FASTA, a RAG recombination
signal heptamer beside each end), and depth and junctions reconciled for IKZF1 (reconcile:
a junction confirms a call, sets its exact type, or makes the call for a clone below the
depth limit)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.bins import factorize_names
from ..core.tables import BREAKPOINTS_TABLE
from . import labels

BREAKPOINT_COLS = [c for c in BREAKPOINTS_TABLE[0] if c != "sample"]


@dataclass(frozen=True)
class Placement:
    """What placing a sample's junctions needs: the exon units and every group's window,
    the depth beside a position (depth_at(chrom, pos)), the read length, the smallest soft
    clip of a split read, the median fragment length (None: unpaired reads), a FASTA
    (pysam.FastaFile) for the RSS check and the bases looked at beside each end."""
    units: pd.DataFrame
    windows: dict
    depth_at: Callable
    read_length: float
    min_clip: int
    fragment: float | None = None
    fasta: object = None
    flank: int = 10


@dataclass(frozen=True)
class JunctionRules:
    """config `junctions` as the reconciliation reads it, and the mode (a genome's depth
    call without a junction is flagged for review)."""
    min_support: int
    min_split_reads: int
    min_pairs_alone: int
    retype_max_exons: int = 0
    whole_genome: bool = False

    @classmethod
    def from_config(cls, cfg: dict, whole_genome: bool) -> "JunctionRules":
        return cls(cfg["min_support"], cfg["min_split_reads"], cfg["min_pairs_alone"], cfg["retype_max_exons"],
                   whole_genome)


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


def cell_fraction(split_reads: int, depth: float, read_length: float, min_clip: int, pairs: int = 0,
                  fragment: float | None = None) -> float:
    """Fraction of cells with the junction (one allele) from its reads: a junction on one
    allele of every cell gives depth / read_length / 2 read starts per bp over the
    read_length - 2 min_clip + 1 positions that split, and (paired reads, median fragment
    length F) depth / (2 read_length) / 2 fragment starts per bp over the F - 2 read_length
    + 1 positions whose reads both miss it (discordant pairs). Without F the pairs are left out."""
    per_cell = depth / max(read_length, 1.0) / 2.0 * max(read_length - 2 * min_clip + 1, 1.0)
    n = split_reads
    if fragment is not None and np.isfinite(fragment):
        per_cell += depth / max(2.0 * read_length, 1.0) / 2.0 * max(fragment - 2 * read_length + 1, 0.0)
        n += pairs
    return float(min(n / per_cell, 1.0)) if per_cell > 0 else float("nan")


def breakpoints(junctions: pd.DataFrame, p: Placement) -> pd.DataFrame:
    """Each junction inside a gene window: the group, the exon units its deletion removes
    (entirely between left and right), the IKZF1-style label, a cell-fraction estimate
    (cell_fraction at the local depth p.depth_at(chrom, pos) and the median fragment
    length), `precision` (`exact`: split reads place it to the base; `imprecise`: pairs
    alone, between their reads) and, with a FASTA, the RSS heptamer beside each end of an
    exact junction."""
    if not len(junctions):
        return pd.DataFrame(columns=BREAKPOINT_COLS)
    rows = []
    per_window = {}   # each window's exon units once (a genome sample has thousands of junctions)
    for key, (c, ws, we) in p.windows.items():
        genes = key.split("+")
        u = p.units[p.units["gene"].isin(genes) & (p.units["chrom"] == c)]
        per_window[key] = (genes, u["start"].to_numpy() - 1, u["end"].to_numpy(),
                           u["gene"].to_numpy(dtype=object), u["exon"].to_numpy(dtype=object))
    for j in junctions.itertuples(index=False):
        for key, (c, ws, we) in p.windows.items():
            if c != j.chrom or not (ws <= j.left < we or ws <= j.right < we):
                continue
            genes, us, ue, ug, ux = per_window[key]
            inside = np.flatnonzero((us >= j.left) & (ue <= j.right))
            if "IKZF1" in genes:
                label = labels.deletion_label(int(ux[i]) for i in inside)
            else:
                label = "+".join(f"{g}:" + ",".join(str(ux[i]) for i in inside if ug[i] == g)
                                 for g in genes if any(ug[i] == g for i in inside)) or "none"
            removed = ",".join(f"{ug[i]}:{ux[i]}" for i in inside)
            d = p.depth_at(c, j.left)
            rl = rr = "NA"
            if p.fasta is not None and j.precise:
                rl = rss(p.fasta.fetch(c, max(j.left - p.flank, 0), j.left + p.flank))
                rr = rss(p.fasta.fetch(c, max(j.right - p.flank, 0), j.right + p.flank))
            rows.append({"gene": key, "chrom": c, "start": int(j.left), "end": int(j.right),
                         "split_reads": int(j.split_reads), "discordant_pairs": int(j.discordant_pairs),
                         "cell_fraction": round(cell_fraction(int(j.split_reads), d, p.read_length, p.min_clip,
                                                              int(j.discordant_pairs), p.fragment), 3)
                         if np.isfinite(d) else float("nan"),
                         "exons_removed": removed, "label": label, "rss_left": rl, "rss_right": rr,
                         "precision": "exact" if j.precise else "imprecise"})
    return pd.DataFrame(rows, columns=BREAKPOINT_COLS)


def strong(bps: pd.DataFrame, min_support: int, min_pairs_alone: int) -> pd.Series:
    """Junctions with the reads to be reported (a boolean per row): >= min_support reads
    (split reads + discordant pairs) with a split read among them, or >= min_pairs_alone
    discordant pairs alone. Chimeric split reads never share both ends to the base, but
    chimeric pairs do fall within a fragment of each other at panel depths."""
    n = bps["split_reads"] + bps["discordant_pairs"]
    return ((bps["split_reads"] > 0) & (n >= min_support)) | (bps["discordant_pairs"] >= min_pairs_alone)


def _exons(removed: str, gene: str = "IKZF1") -> set[str]:
    return {x.split(":")[1] for x in removed.split(",") if x.startswith(f"{gene}:")}


def reconcile(status: str, ikzf1: dict, bps: pd.DataFrame, rules: JunctionRules) -> tuple[str, dict, pd.DataFrame]:
    """Depth and junctions together, for IKZF1 (status, ikzf1 summary -> updated, and the
    junctions to report). Only junctions with enough reads (strong) are reported: a lone
    chimeric read or pair is common in any library and can seem to remove any exons.
    `confirmed` when a reported junction removes IKZF1 exons the depth call also has lost
    (its ends then name the exact deletion: with >= min_split_reads split reads, placed to
    the base, its exons set the type when they differ from the depth call's by at most
    `retype_max_exons` exons, at its edges, and depth saw a focal or interstitial loss, not
    an arm or a chromosome); a reported junction removing IKZF1 exons with
    >= min_split_reads split reads (which place it to the base) and no depth signal makes
    the call (a clone below the depth limit: its label, its cell fraction from the
    junction reads); `none_found` when a genome's depth call has no junction (flag for
    review); `not_applicable` otherwise."""
    rep = bps[strong(bps, rules.min_support, rules.min_pairs_alone)].reset_index(drop=True) if len(bps) else bps
    out = dict(ikzf1)
    ik = rep[(rep["gene"] == "IKZF1") & (rep["label"] != "none")] if len(rep) else rep
    if status == "deleted":
        lost = set(ikzf1["exons_deleted"].split(",")) if ikzf1.get("exons_deleted") else set()
        hit = [r for r in ik.itertuples() if lost & _exons(r.exons_removed)]
        out["junction"] = "confirmed" if hit else ("none_found" if rules.whole_genome else "not_applicable")
        exact = [r for r in hit if r.precision == "exact" and r.split_reads >= rules.min_split_reads]
        if exact and ikzf1.get("mechanism") in ("focal", "interstitial"):
            jx = set().union(*(_exons(r.exons_removed) for r in exact))
            if jx != lost and len(jx ^ lost) <= rules.retype_max_exons:
                new = sorted(int(e) for e in jx)
                bial = [e for e in ikzf1.get("exons_biallelic", "").split(",") if e and e in jx]
                out.update({"deletion": labels.deletion_label(new), "exons_deleted": labels.exon_list(new),
                            "deletion_alt": "NA", "deletion_alt_lr": None,
                            "exons_biallelic": labels.exon_list(int(e) for e in bial),
                            "evidence": f"{ikzf1.get('evidence', '')}; type from junction(s) "
                                        + ", ".join(f"{r.chrom}:{int(r.start)}-{int(r.end)}" for r in exact)
                                        + f" (depth: {ikzf1.get('deletion')})"})
        return status, out, rep
    cand = ik[ik["split_reads"] >= rules.min_split_reads] if len(ik) else ik
    if status == "wildtype" and len(cand):
        best = cand.assign(support=cand["split_reads"] + cand["discordant_pairs"]).sort_values(
            ["support", "split_reads", "start"], ascending=[False, False, True]).iloc[0]
        exons = sorted(int(x.split(":")[1]) for x in best["exons_removed"].split(",") if x)
        out.update({"deletion": labels.deletion_label(exons), "exons_deleted": labels.exon_list(exons),
                    "deletion_alt": "NA", "deletion_alt_lr": None,
                    "exons_biallelic": "", "cell_fraction": float(best["cell_fraction"]), "cf_low": None,
                    "cf_high": None, "mechanism": "focal", "junction": "confirmed",
                    "evidence": f"junction {best['chrom']}:{int(best['start'])}-{int(best['end'])}, "
                                f"{int(best['split_reads'])} split reads, {int(best['discordant_pairs'])} "
                                f"discordant pairs, no depth signal (below the depth limit)"})
        return "deleted", out, rep
    out["junction"] = "not_applicable"
    return status, out, rep


LOCAL_SPAN = 5000  # bp each side of a junction over which target bins give its local depth


def local_depth(bins: pd.DataFrame) -> Callable:
    """depth_at(chrom, pos): the depth beside a junction, the median over the target bins
    within LOCAL_SPAN bp, or the sample's median depth where none is that close. Each
    contig's bins are sorted once (a genome sample has thousands of candidate junctions)."""
    tg = bins[~bins["offtarget"].to_numpy()]
    mid = ((tg["start"] + tg["end"]) // 2).to_numpy()
    overall = float(np.median(tg["depth"])) if len(tg) else float("nan")
    codes, names = factorize_names(tg["chromosome"].to_numpy())
    depth = tg["depth"].to_numpy()
    by_chrom = {}
    for i, c in enumerate(names.tolist()):
        on = np.flatnonzero(codes == i)
        order = np.argsort(mid[on], kind="stable")
        by_chrom[c] = (mid[on][order], depth[on][order])

    def depth_at(chrom, pos, span=LOCAL_SPAN):
        if chrom not in by_chrom:
            return overall
        m, d = by_chrom[chrom]
        a, b = np.searchsorted(m, pos - span, "left"), np.searchsorted(m, pos + span, "right")
        return float(np.median(d[a:b])) if b > a else overall
    return depth_at
