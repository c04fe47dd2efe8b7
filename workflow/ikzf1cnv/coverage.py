"""The bins and coverage stage: target/off-target bins, and each BAM's header check, bin
depths and samtools QC, a batch of BAMs per job."""
from __future__ import annotations

import time
from dataclasses import dataclass

from . import annotation, genes, inputs, junctions
from .files import JUNCTIONS_TABLE, atomic, log, write_json, write_table, write_text


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
        with atomic(job.out_targets) as t, atomic(job.out_antitargets) as a:
            tabio.write(tgt, t, "bed4")
            tabio.write(anti, a, "bed4")
        log.info("%d target bins, %d antitarget bins from %s", len(tgt), len(anti), job.targets)
        return
    units = annotation.read_tsv(job.exons)
    rules = annotation.load_rules(job.rules)
    units = units[units["gene"].isin(genes.modelled_genes(rules))]
    contigs = annotation.contigs_of(job.contigs)
    bins = wgs.wgs_bins(units, contigs, rules, job.wgs["bin_size"], job.wgs["backbone_spacing"],
                        job.wgs["backbone_size"], [c for c in contigs if c != "chrY"])
    with atomic(job.out_targets) as t:
        bins.to_csv(t, sep="\t", header=False, index=False)
    write_text(job.out_antitargets, "")
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
    on_sample_error: str = "continue"   # config `on_sample_error`: continue (the sample is not evaluable) | stop
    sequential: bool = True      # panels: one pass over every read; whole-genome mode: the loci through the index
    threads: int = 1             # decompression threads (the rule's threads: cores the other jobs leave free)


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
    tcov, acov = cnv.bin_coverages(bins, bam, job.min_mapq, threads=job.threads, reference=job.fasta,
                                   contig_names=facts["contig_names"], junction_reads=jr, sequential=job.sequential)
    jx = junctions.junctions_of(jr, job.junctions["tolerance"], job.junctions["pair_window"])
    write_table(jx, JUNCTIONS_TABLE, job.out_junctions[i])
    facts["fragment_length"] = jr.fragment_length()
    log.info("%s: %d split read(s), %d discordant pair(s) in %d junction(s); median fragment %s", sample,
             len(jr.split), len(jr.pairs), len(jx),
             "n/a (unpaired)" if facts["fragment_length"] is None else f"{facts['fragment_length']:.0f} bp")
    if not (tcov["depth"] > 0).any():
        raise inputs.InputError(
            f"sample '{sample}': {bam} has no reads over any of the {len(tcov)} target bins (the loci). Fix: check "
            f"that it is this panel's BAM (or a genome) aligned to {genome}, and not empty (`samtools idxstats {bam}`)")
    for cov, out, kind in ((tcov, out_t, "target"), (acov, out_a, "antitarget")):
        cnv.write_cnn(cov, out)
        log.info("%s: %s coverage of %d bins, median depth %.1f", sample, kind, len(cov),
                 cov["depth"].median() if len(cov) else 0.0)
    write_json(facts, job.out_bam_info[i])


def failure_reason(sample: str, bam: str, e: Exception) -> str:
    """One line for a BAM that could not be read: the fault, the file and the fix."""
    if isinstance(e, inputs.InputError):
        return str(e)
    msg = str(e) or type(e).__name__
    if isinstance(e, (OSError, EOFError)) or any(w in msg.lower() for w in ("bgzf", "truncat", "eof")):
        return (f"sample '{sample}': {bam} is truncated or corrupt ({msg}). Fix: copy it again from its source "
                f"(compare size or checksum), check it with `samtools quickcheck -v {bam}`, and re-index it")
    return (f"sample '{sample}': {bam} could not be read ({type(e).__name__}: {msg}). "
            f"Fix: check it with `samtools quickcheck -v {bam}` and `samtools view -H {bam}`")


def write_failed(job: CoverageJob, i: int, reason: str):
    """The outputs of a BAM that could not be read: empty tables, and the reason in its
    bam.json (the call step makes it a not_evaluable row)."""
    from . import cnv
    empty = cnv.empty_coverage()
    cnv.write_cnn(empty, job.out_targets[i])
    cnv.write_cnn(empty, job.out_antitargets[i])
    write_table(junctions.cluster([], 0), JUNCTIONS_TABLE, job.out_junctions[i])
    write_text(job.out_idxstats[i], "")
    if job.out_stats:
        write_text(job.out_stats[i], "")
    write_json({"sample": job.samples[i], "bam": job.bams[i], "error": reason}, job.out_bam_info[i])


def run_coverage_batch(job: CoverageJob):
    """cover_one, samtools idxstats (from the index) and, when asked, samtools stats (a
    second pass over the BAM) for each BAM of the batch, in one process. A BAM that cannot
    be read (unreadable, truncated, empty, unsorted, of another build, no reads over the
    loci) fails alone: its outputs say why (write_failed) and the batch goes on, unless
    `on_sample_error` is `stop`."""
    import pysam

    from . import cnv
    t0 = time.time()
    builds = {b: annotation.contigs_of(p) for b, p in job.contigs.items()}
    bins = cnv.read_bins([job.target_bins, job.antitarget_bins])
    failed = 0
    for i, (s, bam) in enumerate(zip(job.samples, job.bams)):
        try:
            cover_one(job, i, builds, bins)
            write_text(job.out_idxstats[i], pysam.idxstats(bam))
            if job.out_stats:
                write_text(job.out_stats[i], pysam.stats(*(["--reference", job.fasta] if job.fasta else []), bam))
        except Exception as e:  # noqa: BLE001  (any fault of one BAM is that sample's, not the batch's)
            reason = failure_reason(s, bam, e)
            if job.on_sample_error == "stop":
                log.error("%s (on_sample_error: stop)", reason)
                raise
            log.error("%s: not evaluable: %s", s, reason, exc_info=not isinstance(e, inputs.InputError))
            write_failed(job, i, reason)
            failed += 1
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.samples), s, time.time() - t0)
    if failed:
        log.warning("%d of %d BAM(s) of this batch could not be read; their samples are not evaluable", failed,
                    len(job.samples))
