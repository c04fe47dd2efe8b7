"""The bins and coverage stage: target/off-target bins, and each BAM's header check, bin
depths and samtools QC, a batch of BAMs per job."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import annotation, inputs
from .files import log, write_json

# whole-genome mode: a backbone of evenly spaced bins per chromosome for the baseline
WGS_BACKBONE_PER_CHROM = 50
WGS_BACKBONE_SIZE = 1000
WGS_MAX_TARGET = 10 ** 9  # exon units are not clipped


@dataclass(frozen=True)
class BinsJob:
    targets: str | None          # the panel's BED; None: whole-genome mode
    target_avg_size: float
    antitarget_avg_size: int
    exons: str                   # resources/<build>/exons.tsv (whole-genome mode)
    contigs: str                 # resources/<build>/contigs.tsv (whole-genome mode)
    out_targets: str
    out_antitargets: str


def run_bins(job: BinsJob):
    """Panel mode: CNVkit's target and antitarget bins of the panel. Whole-genome mode: bins
    over every exon unit and a backbone on each chromosome, no off-target bins."""
    from skgenome import tabio

    from . import cnv
    bed = job.targets
    if not bed:
        units = annotation.read_tsv(job.exons)
        contigs = annotation.contigs_of(job.contigs)
        panel = annotation.loci_panel(units, contigs, WGS_BACKBONE_PER_CHROM, WGS_BACKBONE_SIZE, WGS_MAX_TARGET,
                                      [c for c in contigs if c != "chrY"])
        bed = str(Path(job.out_targets).with_suffix(".loci.bed"))
        panel.to_csv(bed, sep="\t", header=False, index=False)
    tgt, anti = cnv.make_bins(bed, job.target_avg_size, job.antitarget_avg_size)
    tabio.write(tgt, job.out_targets, "bed4")
    if job.targets:
        tabio.write(anti, job.out_antitargets, "bed4")
    else:
        Path(job.out_antitargets).write_text("")
    log.info("%d target bins, %d antitarget bins from %s", len(tgt), len(anti) if job.targets else 0, bed)


@dataclass(frozen=True)
class CoverageJob:
    samples: list[str]
    bams: list[str]
    genome: str
    contigs: dict[str, str]      # build -> resources/<build>/contigs.tsv (the other build is named in errors)
    target_bins: str
    antitarget_bins: str
    min_mapq: int
    out_targets: list[str]
    out_antitargets: list[str]
    out_bam_info: list[str]
    out_idxstats: list[str]
    out_stats: list[str]         # empty: no samtools stats


def cover_one(job: CoverageJob, i: int, builds: dict, bins: list):
    """BAM i of the batch: check its header against `builds` (contigs of every build) and
    write the depth of `bins` (the target and antitarget bin tables)."""
    from . import cnv
    sample, bam, genome = job.samples[i], job.bams[i], job.genome
    out_t, out_a = job.out_targets[i], job.out_antitargets[i]
    facts = inputs.check_bam(sample, bam, builds[genome], genome, {b: c for b, c in builds.items() if b != genome})
    log.info("%s: BAM header matches %s (%d contigs checked); read length %.0f", sample, genome,
             facts["contigs_checked"], facts["read_length"])
    tcov, acov = cnv.bin_coverages(bins, bam, job.min_mapq, str(Path(out_t).parent))
    for cov, out, kind in ((tcov, out_t, "target"), (acov, out_a, "antitarget")):
        cnv.write_cnn(cov, out)
        log.info("%s: %s coverage of %d bins, median depth %.1f", sample, kind, len(cov),
                 cov["depth"].median() if len(cov) else 0.0)
    write_json(facts, job.out_bam_info[i])


def run_coverage_batch(job: CoverageJob):
    """cover_one, samtools idxstats (from the index) and, when asked, samtools stats (a
    second pass over the BAM) for each BAM of the batch, in one process."""
    import pysam

    from . import cnv
    t0 = time.time()
    builds = {b: annotation.contigs_of(p) for b, p in job.contigs.items()}
    bins = cnv.read_bins([job.target_bins, job.antitarget_bins])
    for i, (s, bam) in enumerate(zip(job.samples, job.bams)):
        cover_one(job, i, builds, bins)
        Path(job.out_idxstats[i]).write_text(pysam.idxstats(bam))
        if job.out_stats:
            Path(job.out_stats[i]).write_text(pysam.stats(bam))
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.samples), s, time.time() - t0)
