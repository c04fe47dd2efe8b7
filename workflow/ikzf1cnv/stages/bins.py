"""Rule bins: CNVkit's target and antitarget bins of the panel, or whole-genome mode's
bins (every gene window tiled, a genome backbone, no off-target bins)."""
from __future__ import annotations

from dataclasses import dataclass

from ..cnvkit.bins import make_bins
from ..core import annotation
from ..core.files import atomic, log, write_text
from ..core.tables import write_tsv
from ..inputs.bed import read_targets
from ..reads.wgs_bins import wgs_bins
from .wiring import Job


@dataclass(frozen=True)
class BinsJob(Job):
    targets: str | None          # the panel's BED; None: whole-genome mode
    exons: str | None            # resources/<build>/exons.tsv (whole-genome mode)
    contigs: str | None          # resources/<build>/contigs.tsv (whole-genome mode)
    rules: str | None            # resources/rules.yaml: the windows (whole-genome mode)
    target_avg_size: float
    antitarget_avg_size: int
    wgs: dict                    # config `wgs`: bin_size, backbone_spacing, backbone_size
    target_bins: str             # outputs
    antitarget_bins: str


JOB = BinsJob


def run(job: BinsJob):
    if job.targets:
        table, notes = read_targets(job.targets)
        for note in notes:
            log.info("%s: %s", job.targets, note)
        tgt, anti = make_bins(table, job.target_avg_size, job.antitarget_avg_size)
        for bins, out in ((tgt, job.target_bins), (anti, job.antitarget_bins)):   # BED4, as tabio.write(.., "bed4")
            write_tsv(bins.data[["chromosome", "start", "end", "gene"]], out, header=False)
        log.info("%d target bins, %d antitarget bins from %s", len(tgt), len(anti), job.targets)
        return
    rules = annotation.load_rules(job.rules)
    units = annotation.modelled_units(job.exons, rules)
    contigs = annotation.contigs_of(job.contigs)
    bins = wgs_bins(units, contigs, rules, job.wgs, [c for c in contigs if c != "chrY"])
    with atomic(job.target_bins) as t:
        bins.to_csv(t, sep="\t", header=False, index=False)
    write_text(job.antitarget_bins, "")
    kinds = bins["name"].where(bins["name"].isin(["window", "backbone"]), "exon").value_counts()
    log.info("whole-genome mode: %d bins (%d exon units, %d window tiles of ~%d bp, %d backbone), %.1f Mb read",
             len(bins), kinds.get("exon", 0), kinds.get("window", 0), job.wgs["bin_size"], kinds.get("backbone", 0),
             (bins["end"] - bins["start"]).sum() / 1e6)
