"""CNVkit (cnvlib) as a library: bins, coverage, pooled reference, bias correction."""
from __future__ import annotations

import logging

import pandas as pd

log = logging.getLogger("ikzf1cnv")


def make_bins(targets_bed: str, target_avg_size: float, antitarget_avg_size: int):
    """Target bins (panel targets split to ~target_avg_size bp) and antitarget bins."""
    from cnvlib import antitarget, target
    from skgenome import tabio

    baits = tabio.read_auto(targets_bed)
    tgt = target.do_target(baits, do_split=True, avg_size=target_avg_size)
    anti = antitarget.do_antitarget(tgt, avg_bin_size=antitarget_avg_size)
    return tgt, anti


# Reads samtools bedcov skips, as CNVkit's coverage does: unmapped, secondary, QC-fail,
# duplicate (0x4 | 0x100 | 0x200 | 0x400). Part of CNVkit's coverage definition, not a threshold.
EXCLUDE_FLAGS = 0x704
NULL_LOG2 = -20.0  # CNVkit's log2 for a bin without reads


def bin_coverages(bin_beds: list[str], bam: str, min_mapq: int, tmpdir: str) -> list[pd.DataFrame]:
    """Mean read depth and log2 depth of every bin of each BED file, as CNVkit's `coverage`
    computes them (samtools bedcov sums of per-base depth / bin length), but in one bedcov
    call over all bins through the BAM index and without importing cnvlib. Bins on contigs
    the BAM lacks are dropped, as CNVkit does. Returns one table per BED, in its order."""
    import os
    import tempfile

    import numpy as np
    import pysam

    with pysam.AlignmentFile(bam, "rb") as fh:
        contigs = set(fh.references)
    cols = ["chromosome", "start", "end", "gene"]
    parts = []
    for i, path in enumerate(bin_beds):
        b = (pd.read_csv(path, sep="\t", header=None, names=cols, dtype={"chromosome": str, "gene": str})
             if os.path.getsize(path) else pd.DataFrame(columns=cols))
        dropped = ~b["chromosome"].isin(contigs)
        if dropped.any():
            log.warning("%s: %d bin(s) on contigs missing from the BAM are skipped (%s)", bam, int(dropped.sum()),
                        ", ".join(sorted(set(b.loc[dropped, "chromosome"]))))
        parts.append(b[~dropped].assign(part=i))
    allbins = pd.concat(parts, ignore_index=True)
    if len(allbins):
        with tempfile.NamedTemporaryFile("w", suffix=".bed", dir=tmpdir, delete=False) as tmp:
            allbins[cols].to_csv(tmp, sep="\t", header=False, index=False)
        try:
            args = ["-G", hex(EXCLUDE_FLAGS)] + (["-Q", str(min_mapq)] if min_mapq > 0 else []) + [tmp.name, bam]
            raw = pysam.bedcov(*args, split_lines=False)
        finally:
            os.unlink(tmp.name)
        basecount = np.array([int(line.rsplit("\t", 1)[1]) for line in raw.splitlines()], dtype=float)
        if len(basecount) != len(allbins):
            raise RuntimeError(f"samtools bedcov returned {len(basecount)} rows for {len(allbins)} bins of {bam}")
    else:
        basecount = np.zeros(0)
    span = (allbins["end"] - allbins["start"]).to_numpy()
    depth = np.where(span > 0, basecount / np.maximum(span, 1), 0.0)
    with np.errstate(divide="ignore"):
        l2 = np.where(depth > 0, np.log2(np.where(depth > 0, depth, 1.0)), NULL_LOG2)
    allbins = allbins.assign(gene=allbins["gene"].fillna("-"), depth=depth, log2=l2)
    return [allbins[allbins["part"] == i][cols + ["depth", "log2"]].reset_index(drop=True)
            for i in range(len(bin_beds))]


def write_cnn(table: pd.DataFrame, path: str):
    """A coverage table in CNVkit's .cnn layout and number format."""
    table.to_csv(path, sep="\t", index=False, float_format="%.6g", lineterminator="\n")


def coverage(bins_bed: str, bam: str, sample: str, min_mapq: int):
    """Mean read depth and log2 coverage of every bin. The BAM's index must exist (checked
    before): unlike cnvkit's CLI we never write an index next to the user's BAM."""
    from cnvlib import coverage as cov

    cna = cov.interval_coverages(bins_bed, bam, by_count=False, min_mapq=min_mapq, processes=1)
    cna.meta["sample_id"] = sample
    return cna


def build_reference(target_cnns: list[str], antitarget_cnns: list[str], par_genome: str | None,
                    do_edge: bool, fasta: str | None):
    """Pooled reference from normal samples' coverages (median, spread per bin)."""
    from cnvlib import reference

    return reference.do_reference(target_cnns, antitarget_cnns, fa_fname=fasta,
                                  diploid_parx_genome=par_genome, do_gc=fasta is not None,
                                  do_edge=do_edge, do_rmask=fasta is not None)


def flat_reference(targets_bed: str, antitargets_bed: str, par_genome: str | None, fasta: str | None):
    from cnvlib import reference

    return reference.do_reference_flat(targets_bed, antitargets_bed, fasta, diploid_parx_genome=par_genome)


def fix(target_cnn: str, antitarget_cnn: str, reference_cnn: str, par_genome: str | None, do_edge: bool,
        has_fasta: bool):
    """Per-bin log2 ratios of a sample against the reference, bias-corrected."""
    from cnvlib import fix as cfix
    from cnvlib import read

    ref = read(reference_cnn)
    return cfix.do_fix(read(target_cnn), read(antitarget_cnn), ref, diploid_parx_genome=par_genome,
                       do_gc=has_fasta, do_edge=do_edge, do_rmask=has_fasta)


def target_bins_with_spread(cnr, reference_cnn: str) -> pd.DataFrame:
    """Target bins of a .cnr with the reference's spread attached (for the exon caller)."""
    from cnvlib import read

    ref = read(reference_cnn).data
    d = cnr.data if hasattr(cnr, "data") else cnr
    d = d[d["gene"] != "Antitarget"]
    keys = ["chromosome", "start", "end"]
    spread = ref[keys + ["spread"]] if "spread" in ref.columns else ref[keys].assign(spread=0.0)
    out = d[keys + ["gene", "log2", "depth", "weight"]].merge(spread, on=keys, how="left")
    return out.reset_index(drop=True)
