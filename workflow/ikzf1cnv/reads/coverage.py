"""Bins' coverage as CNVkit defines it, read in one pass over each BAM.

Each bin's depth is the sum over reads of the bases of the read's aligned span inside the
bin, divided by the bin's length (samtools bedcov, as CNVkit's `coverage` runs it), counting
reads that are not unmapped, secondary, QC-fail or duplicate and have MAPQ >= min_mapq.
Panels and exomes (bins all over the genome) are read in one sequential pass over the file
(reads.passes.sequential_pass); whole-genome mode reads only the bins' regions through the
index (index_scan, index_pass), so a genome costs what its loci cost. The same pass hands
the junction collector (reads.junction_reads) the reads it needs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.constants import NULL_LOG2
from ..core.files import log
from . import bamhead, bgzf, passes
from .alignments import open_alignments
from .records import read_header
from .binning import BIN_COLS, ContigBins, PassSettings, read_bins


def _bins_on_bam(tables: list[pd.DataFrame], refs: set, names: dict, bam: str) -> pd.DataFrame:
    """The bins of every set in one table (`part`: the set), less those on contigs the BAM
    lacks (dropped with a warning, as CNVkit drops them)."""
    contigs = refs | {c for c, b in names.items() if b in refs}
    parts = []
    for i, b in enumerate(tables):
        dropped = ~b["chromosome"].isin(contigs)
        if dropped.any():
            log.warning("%s: %d bin(s) on contigs missing from the BAM are skipped (%s)", bam,
                        int(dropped.sum()), ", ".join(sorted(set(b.loc[dropped, "chromosome"]))))
        parts.append(b[~dropped].assign(part=i))
    allbins = pd.concat(parts, ignore_index=True)
    return allbins.astype({"start": "int64", "end": "int64"})


def _bam_references(bam: str) -> list[str] | None:
    """A BAM's contig names from its header, or None (a CRAM, or a file pysam must open)."""
    try:
        if not bamhead.is_bam(bam):
            return None
        buf = b""
        for parts in bgzf.inflated_parts(bam, 1, target=1 << 16):
            buf = b"".join([buf, *parts])
            if (hdr := read_header(buf, bam)) is not None:
                return hdr[1]
    except Exception:  # noqa: BLE001  (pysam opens it and words what is wrong)
        return None
    return None


def _sequential(fh, bam: str, allbins: pd.DataFrame, how: PassSettings, junction_reads) -> np.ndarray:
    """Every read of the file once (passes.sequential_pass; `fh` None: a BAM read by
    reads.records), binned per contig: each bin's aligned bases."""
    names = how.contig_names
    per_contig = {}
    for chrom, g in allbins.groupby("chromosome", sort=False):
        g = g.sort_values("start", kind="stable")
        per_contig[names.get(chrom, chrom)] = (
            ContigBins(g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()), chrom)
    passes.sequential_pass(fh, bam, per_contig, how, junction_reads)
    basecount = np.zeros(len(allbins))
    for cb, _ in per_contig.values():
        basecount[cb.idx] = cb.count
    return basecount


def bin_coverages(bins: list, bam: str, how: PassSettings, junction_reads=None) -> list[pd.DataFrame]:
    """Mean read depth and log2 depth of every bin of each bin set (a BED path or the table
    read_bins gives), as CNVkit's `coverage` computes them, in one pass over the reads
    (`how`: PassSettings). Both passes give the same numbers. Bins on contigs the BAM lacks
    are dropped, as CNVkit does. Returns one table per bin set, in its order; the tables keep
    the bins' contig names. With a `junction_reads` collector (reads.junction_reads.
    JunctionReads), the reads of the pass that pass the filters and lie in the bins' fetch
    regions are offered to it in the same pass (reads.passes.offer)."""
    tables = [read_bins([b])[0] if isinstance(b, str) else b for b in bins]
    refs = _bam_references(bam) if how.sequential else None
    if refs is not None:   # a BAM read in one pass: its header read directly (pysam would load the index)
        allbins = _bins_on_bam(tables, set(refs), how.contig_names, bam)
        basecount = _sequential(None, bam, allbins, how, junction_reads)
    else:
        with open_alignments("-", bam, how.fasta, how.threads) as fh:
            allbins = _bins_on_bam(tables, set(fh.references), how.contig_names, bam)
            if how.sequential:
                basecount = _sequential(fh, bam, allbins, how, junction_reads)
            else:
                basecount = np.zeros(len(allbins))
                if fh.is_cram:
                    passes.index_pass(fh, allbins, how, junction_reads, basecount)
                else:
                    passes.index_scan(fh, bam, allbins, how, junction_reads, basecount)
    span = (allbins["end"] - allbins["start"]).to_numpy()
    depth = np.where(span > 0, basecount / np.maximum(span, 1), 0.0)
    with np.errstate(divide="ignore"):
        l2 = np.where(depth > 0, np.log2(np.where(depth > 0, depth, 1.0)), NULL_LOG2)
    allbins = allbins.assign(gene=allbins["gene"].fillna("-"), depth=depth, log2=l2)
    return [allbins[allbins["part"] == i][BIN_COLS + ["depth", "log2"]].reset_index(drop=True)
            for i in range(len(tables))]
