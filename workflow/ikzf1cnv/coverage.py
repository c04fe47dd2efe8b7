"""The bins and coverage stage: target/off-target bins, and each BAM's header check, bin
depths and samtools QC, a batch of BAMs per job."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import annotation, genes, inputs, junctions
from .files import JUNCTIONS_TABLE, log, write_json, write_table


@dataclass(frozen=True)
class BinsJob:
    targets: str | None          # the panel's BED; None: whole-genome mode
    target_avg_size: float
    antitarget_avg_size: int
    exons: str                   # resources/<build>/exons.tsv (whole-genome mode)
    contigs: str                 # resources/<build>/contigs.tsv (whole-genome mode)
    rules: str                   # resources/rules.yaml: the windows (whole-genome mode)
    wgs: dict                    # config `wgs`: bin_size, backbone_spacing, backbone_size
    out_targets: str
    out_antitargets: str


def run_bins(job: BinsJob):
    """Panel mode: CNVkit's target and antitarget bins of the panel. Whole-genome mode
    (wgs.py): every gene window tiled in full and a genome backbone, no off-target bins."""
    from skgenome import tabio

    from . import cnv, wgs
    if job.targets:
        table, notes = inputs.read_targets(job.targets)
        for note in notes:
            log.info("%s: %s", job.targets, note)
        tgt, anti = cnv.make_bins(table, job.target_avg_size, job.antitarget_avg_size)
        tabio.write(tgt, job.out_targets, "bed4")
        tabio.write(anti, job.out_antitargets, "bed4")
        log.info("%d target bins, %d antitarget bins from %s", len(tgt), len(anti), job.targets)
        return
    units = annotation.read_tsv(job.exons)
    rules = annotation.load_rules(job.rules)
    units = units[units["gene"].isin(genes.modelled_genes(rules))]
    contigs = annotation.contigs_of(job.contigs)
    bins = wgs.wgs_bins(units, contigs, rules, job.wgs["bin_size"], job.wgs["backbone_spacing"],
                        job.wgs["backbone_size"], [c for c in contigs if c != "chrY"])
    bins.to_csv(job.out_targets, sep="\t", header=False, index=False)
    Path(job.out_antitargets).write_text("")
    kinds = bins["name"].where(bins["name"].isin(["window", "backbone"]), "exon").value_counts()
    log.info("whole-genome mode: %d bins (%d exon units, %d window tiles of ~%d bp, %d backbone), %.1f Mb read",
             len(bins), kinds.get("exon", 0), kinds.get("window", 0), job.wgs["bin_size"], kinds.get("backbone", 0),
             (bins["end"] - bins["start"]).sum() / 1e6)


@dataclass(frozen=True)
class CoverageJob:
    samples: list[str]
    bams: list[str]
    genome: str
    contigs: dict[str, str]      # build -> resources/<build>/contigs.tsv (the other build is named in errors)
    target_bins: str
    antitarget_bins: str
    min_mapq: int
    fasta: str | None            # config `fasta`: decodes CRAM
    junctions: dict              # config `junctions`: min_clip, min_insert, pair_window, tolerance
    out_targets: list[str]
    out_antitargets: list[str]
    out_bam_info: list[str]
    out_junctions: list[str]
    out_idxstats: list[str]
    out_stats: list[str]         # empty: no samtools stats


def cover_one(job: CoverageJob, i: int, builds: dict, bins: list):
    """BAM i of the batch: check its header against `builds` (contigs of every build) and
    write the depth of `bins` (the target and antitarget bin tables)."""
    from . import cnv
    sample, bam, genome = job.samples[i], job.bams[i], job.genome
    out_t, out_a = job.out_targets[i], job.out_antitargets[i]
    facts = inputs.check_bam(sample, bam, builds[genome], genome, {b: c for b, c in builds.items() if b != genome},
                             job.fasta)
    log.info("%s: %s header matches %s (%d contigs checked, %s names); read length %.0f", sample, facts["format"],
             genome, facts["contigs_checked"], facts["contig_naming"], facts["read_length"])
    jr = junctions.JunctionReads(job.junctions["min_clip"], job.junctions["min_insert"])
    tcov, acov = cnv.bin_coverages(bins, bam, job.min_mapq, reference=job.fasta,
                                   contig_names=facts["contig_names"], junction_reads=jr)
    jx = junctions.junctions_of(jr, job.junctions["tolerance"], job.junctions["pair_window"])
    write_table(jx, JUNCTIONS_TABLE, job.out_junctions[i])
    facts["fragment_length"] = jr.fragment_length()
    log.info("%s: %d split read(s), %d discordant pair(s) in %d junction(s); median fragment %s", sample,
             len(jr.split), len(jr.pairs), len(jx),
             "n/a (unpaired)" if facts["fragment_length"] is None else f"{facts['fragment_length']:.0f} bp")
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
            Path(job.out_stats[i]).write_text(pysam.stats(*(["--reference", job.fasta] if job.fasta else []), bam))
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.samples), s, time.time() - t0)
