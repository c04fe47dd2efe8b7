"""Rule coverage_NNN: each BAM of the batch checked against the build, the depth of every
bin and its junction reads read in one pass, and samtools idxstats (and stats)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..cnvkit.io import write_cnn
from ..core import annotation
from ..core.errors import InputError
from ..core.files import log, write_json, write_text
from ..core.tables import JUNCTIONS_TABLE, write_table
from ..inputs.bam import check_bam
from ..reads import junction_reads
from ..reads.binning import PassSettings, empty_coverage, read_bins
from ..reads.coverage import bin_coverages
from .wiring import Job


@dataclass(frozen=True)
class CoverageBam:
    """One BAM of the batch: its input and its outputs."""
    sample: str
    bam: str
    bai: str                     # its index (an input: a new index reruns the batch)
    target_coverage: str
    antitarget_coverage: str
    bam_info: str
    junctions: str
    idxstats: str
    stats: str | None            # None: no samtools stats


@dataclass(frozen=True)
class CoverageBatch(Job):
    members: tuple
    target_bins: str
    antitarget_bins: str
    hg38_contigs: str            # the builds' contigs (the other build is named in errors)
    hg19_contigs: str
    fasta: str | None            # config `fasta`: decodes CRAM
    genome: str
    min_mapq: int
    junction_settings: dict      # config `junctions`: min_clip, min_insert, pair_window, tolerance
    on_sample_error: str         # config `on_sample_error`: continue (the sample is not evaluable) | stop
    sequential: bool             # panels: one pass over every read; whole-genome mode: the loci through the index
    threads: int = 1             # decompression threads (the rule's threads: cores the other jobs leave free)

    MEMBER = CoverageBam
    RUNTIME = ("threads",)


JOB = CoverageBatch


def cover_one(job: CoverageBatch, b: CoverageBam, builds: dict, bins: list):
    """One BAM: its header checked against `builds` (contigs of every build), the depth of
    `bins` (the target and antitarget bin tables) and its junctions written."""
    genome, jc = job.genome, job.junction_settings
    facts = check_bam(b.sample, b.bam, builds[genome], genome, {k: c for k, c in builds.items() if k != genome},
                      job.fasta)
    log.info("%s: %s header matches %s (%d contigs checked, %s names); read length %.0f", b.sample, facts["format"],
             genome, facts["contigs_checked"], facts["contig_naming"], facts["read_length"])
    jr = junction_reads.JunctionReads(jc["min_clip"], jc["min_insert"])
    how = PassSettings(job.min_mapq, job.threads, job.fasta, facts["contig_names"], job.sequential)
    tcov, acov = bin_coverages(bins, b.bam, how, junction_reads=jr)
    jx = junction_reads.junctions_of(jr, jc["tolerance"], jc["pair_window"])
    write_table(jx, JUNCTIONS_TABLE, b.junctions)
    facts["fragment_length"] = jr.fragment_length()
    log.info("%s: %d split read(s), %d discordant pair(s) in %d junction(s); median fragment %s", b.sample,
             len(jr.split), len(jr.pairs), len(jx),
             "n/a (unpaired)" if facts["fragment_length"] is None else f"{facts['fragment_length']:.0f} bp")
    if not (tcov["depth"] > 0).any():
        raise InputError(
            f"sample '{b.sample}': {b.bam} has no reads over any of the {len(tcov)} target bins (the loci). Fix: check "
            f"that it is this panel's BAM (or a genome) aligned to {genome}, and not empty (`samtools idxstats {b.bam}`)")
    for cov, out, kind in ((tcov, b.target_coverage, "target"), (acov, b.antitarget_coverage, "antitarget")):
        write_cnn(cov, out)
        log.info("%s: %s coverage of %d bins, median depth %.1f", b.sample, kind, len(cov),
                 cov["depth"].median() if len(cov) else 0.0)
    write_json(facts, b.bam_info)


def failure_reason(sample: str, bam: str, e: Exception) -> str:
    """One line for a BAM that could not be read: the fault, the file and the fix."""
    if isinstance(e, InputError):
        return str(e)
    msg = str(e) or type(e).__name__
    if isinstance(e, (OSError, EOFError)) or any(w in msg.lower() for w in ("bgzf", "truncat", "eof")):
        return (f"sample '{sample}': {bam} is truncated or corrupt ({msg}). Fix: copy it again from its source "
                f"(compare size or checksum), check it with `samtools quickcheck -v {bam}`, and re-index it")
    return (f"sample '{sample}': {bam} could not be read ({type(e).__name__}: {msg}). "
            f"Fix: check it with `samtools quickcheck -v {bam}` and `samtools view -H {bam}`")


def write_failed(b: CoverageBam, reason: str):
    """The outputs of a BAM that could not be read: empty tables, and the reason in its
    bam.json (the call step makes it a not_evaluable row)."""
    empty = empty_coverage()
    write_cnn(empty, b.target_coverage)
    write_cnn(empty, b.antitarget_coverage)
    write_table(junction_reads.cluster([], 0), JUNCTIONS_TABLE, b.junctions)
    write_text(b.idxstats, "")
    if b.stats:
        write_text(b.stats, "")
    write_json({"sample": b.sample, "bam": b.bam, "error": reason}, b.bam_info)


def run(job: CoverageBatch):
    """cover_one, samtools idxstats (from the index) and, when asked, samtools stats (a
    second pass over the BAM) for each BAM of the batch, in one process. A BAM that cannot
    be read (unreadable, truncated, empty, unsorted, of another build, no reads over the
    loci) fails alone: its outputs say why (write_failed) and the batch goes on, unless
    `on_sample_error` is `stop`."""
    import pysam

    t0 = time.time()
    builds = {"hg38": annotation.contigs_of(job.hg38_contigs), "hg19": annotation.contigs_of(job.hg19_contigs)}
    bins = read_bins([job.target_bins, job.antitarget_bins])
    failed = 0
    for i, b in enumerate(job.members):
        try:
            cover_one(job, b, builds, bins)
            write_text(b.idxstats, pysam.idxstats(b.bam))
            if b.stats:
                write_text(b.stats, pysam.stats(*(["--reference", job.fasta] if job.fasta else []), b.bam))
        except Exception as e:  # noqa: BLE001  (any fault of one BAM is that sample's, not the batch's)
            reason = failure_reason(b.sample, b.bam, e)
            if job.on_sample_error == "stop":
                log.error("%s (on_sample_error: stop)", reason)
                raise
            log.error("%s: not evaluable: %s", b.sample, reason, exc_info=not isinstance(e, InputError))
            write_failed(b, reason)
            failed += 1
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.members), b.sample, time.time() - t0)
    if failed:
        log.warning("%d of %d BAM(s) of this batch could not be read; their samples are not evaluable", failed,
                    len(job.members))
