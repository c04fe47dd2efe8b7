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
