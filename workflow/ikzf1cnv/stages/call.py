"""Rule call_NNN: each tumour of the batch fixed against the reference (CNVkit's fix),
denoised, and called (caller.sample.call); its tables and record written."""
from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from ..cnvkit.fix import FixSettings, bins_with_spread, fix_table
from ..cnvkit.io import write_cnn
from ..caller.arms import losses_label
from ..caller.junctions import JunctionRules
from ..caller.params import Annotation, CallerParams
from ..caller.record import sample_record
from ..caller import sex
from ..caller.sample import SampleCalls
from ..caller.tumour import Caller, Tumour, call, failed
from ..core import annotation
from ..core.files import log, read_json, write_json
from ..core.tables import (BREAKPOINTS_TABLE, EXON_TABLE, POSITIONS_TABLE, UNITS_TABLE, empty_table,
                           write_table)
from ..reads.binning import empty_coverage
from ..reference import denoise
from .wiring import Job


@dataclass(frozen=True)
class CallTumour:
    """One tumour of the batch: its sheet row, its coverage step's files and its outputs."""
    sample: str
    row: dict                    # the sheet's subtype, age_group, blast_pct
    target_coverage: str
    antitarget_coverage: str
    bam_info: str
    junctions: str               # coverage/{sample}.junctions.tsv
    idxstats: str                # qc/samtools/{sample}.idxstats: the reads on chrY (sex)
    cnr: str                     # outputs
    exon_table: str
    units: str
    record: str
    positions: str
    breakpoints: str


@dataclass(frozen=True)
class CallBatch(Job):
    members: tuple
    reference: str
    denoise: str
    reference_info: str          # reference/reference.json: a tumour-pooled reference's genes (baseline)
    fasta: str | None            # config `fasta`: the RSS check at junction ends
    rules: str                   # resources/rules.yaml
    exons: str                   # resources/<build>/exons.tsv
    arms: str                    # resources/<build>/arms.tsv
    contigs: str                 # resources/<build>/contigs.tsv: chrY's length (sex)
    introns: str                 # resources/<build>/introns.tsv
    calibration: str             # resources/penalty_calibration.tsv
    types: str                   # resources/deletion_types.tsv: the IKZF1 types' shares (a prior)
    par_regions: str             # resources/cnvkit_par_regions.tsv
    genome: str
    caller: dict                 # config `caller`
    qc: dict                     # config `qc`
    edge_correction: bool
    has_fasta: bool              # CNVkit's GC and repeat-mask correction in fix (gc_correction)
    whole_genome: bool           # targets null: whole-genome mode
    mode: str                    # panel | exome-sized | whole genome (inputs.config.run_mode)
    junction_settings: dict      # config `junctions`
    sex: dict                    # config `sex`
    ikzf1plus_pax5: str

    MEMBER = CallTumour


JOB = CallBatch


def plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its text columns as numpy object arrays instead of pandas' Arrow
    strings: the caller filters and indexes small tables thousands of times a sample, and
    each such step on an Arrow column goes through pyarrow (~30% of the call step's time)."""
    txt = [c for c in df.columns if isinstance(df[c].dtype, pd.StringDtype)]
    return df.astype({c: object for c in txt}) if txt else df


@dataclass(frozen=True)
class Shared:
    """What every tumour of the batch shares, read once per batch."""
    caller: Caller
    fix: FixSettings
    denoise: pd.DataFrame


def shared(job: CallBatch, fasta=None) -> Shared:
    rules = annotation.load_rules(job.rules)
    units = plain_strings(annotation.modelled_units(job.exons, rules))
    ann = Annotation(units, plain_strings(annotation.read_tsv(job.arms)),
                     plain_strings(annotation.read_tsv(job.introns)), rules)
    params = CallerParams.from_config(job.caller, job.qc, annotation.read_tsv(job.calibration), job.whole_genome,
                                      annotation.read_tsv(job.types))
    jc = job.junction_settings
    fix = FixSettings.read(job.reference, rules["cnvkit_par_genome"].get(job.genome), job.par_regions,
                           job.edge_correction, job.has_fasta)
    caller = Caller(ann, params, JunctionRules.from_config(jc, job.whole_genome), jc["min_clip"], job.ikzf1plus_pax5,
                    sex.SexRules.from_config(job.sex), fix.par[fix.par["genome"] == fix.par_genome],
                    annotation.contigs_of(job.contigs).get("chrY", 0), fasta,
                    read_json(job.reference_info).get("baseline", {}))
    return Shared(caller, fix, pd.read_csv(job.denoise, sep="\t"))


def tumour(t: CallTumour, s: Shared, info: dict) -> Tumour:
    """A tumour's bins for the caller: fixed against the reference (its .cnr written), the
    reference's spread attached, the normals' bias patterns removed from the target bins."""
    cnr = fix_table(t.target_coverage, t.antitarget_coverage, s.fix)
    write_cnn(cnr, t.cnr)
    bins = plain_strings(bins_with_spread(cnr, s.fix.reference, index=s.fix.index))
    tg = ~bins["offtarget"].to_numpy()
    if tg.any():   # the target bins' log2 denoised, in place (the off-target bins as they are)
        l2 = bins["log2"].to_numpy(dtype=float).copy()
        l2[tg] = denoise.apply(bins[tg], s.denoise)["log2"].to_numpy(dtype=float)
        bins = bins.assign(log2=l2)
    junctions = pd.read_csv(t.junctions, sep="\t", dtype={"chrom": str})
    return Tumour(t.sample, t.row, bins, info["read_length"], junctions, info.get("fragment_length"),
                  chry_reads(t.idxstats, info.get("contig_names", {}).get("chrY", "chrY")))


def chry_reads(idxstats: str, name: str) -> int | None:
    """The mapped reads on chrY (its name in the BAM) of a samtools idxstats file; None
    where the BAM has no chrY."""
    for line in open(idxstats):
        f = line.rstrip("\n").split("\t")
        if f[0] == name and len(f) > 2:
            return int(f[2])
    return None


def write(t: CallTumour, res: SampleCalls, mode: str):
    """A tumour's tables and record (empty tables for a BAM that could not be read)."""
    if res.bam_error is not None:
        write_cnn(empty_coverage(), t.cnr)
        log.warning("%s: not evaluable, its BAM could not be read: %s", t.sample, res.bam_error)
    else:
        log.info("%s: qc %s, IKZF1 %s (%s, %s), arm losses %s, shift %.3f, noise %.3f", t.sample, res.qc, res.status,
                 res.ikzf1["deletion"], res.ikzf1["mechanism"], losses_label(res.arms),
                 res.metrics["recentre_shift"], res.metrics["noise"])
    write_table(res.junctions.assign(sample=t.sample), BREAKPOINTS_TABLE, t.breakpoints)
    for table, layout, out in ((res.ikzf1_exons, EXON_TABLE, t.exon_table), (res.units, UNITS_TABLE, t.units),
                               (res.positions, POSITIONS_TABLE, t.positions)):
        write_table(table if res.bam_error is None else empty_table(layout), layout, out)
    write_json(sample_record(res, t.row, mode), t.record)


def run(job: CallBatch):
    """Each tumour of the batch, in one process."""
    import pysam
    t0 = time.time()
    fa = pysam.FastaFile(job.fasta) if job.fasta else None
    try:
        s = shared(job, fa)
        for i, t in enumerate(job.members):
            info = read_json(t.bam_info)
            res = failed(t.sample, t.row, s.caller.ann.rules, info["error"]) if info.get("error") else \
                call(tumour(t, s, info), s.caller)
            write(t, res, job.mode)
            log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.members), t.sample, time.time() - t0)
    finally:
        if fa is not None:
            fa.close()
