"""Rule page_NNN: each tumour's page (samples/{sample}/report.html), printable, with the
provenance of its numbers (its BAM's size and header digest, the workflow's commit, ...)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..cohort.nomenclature import Build
from ..cohort.report.patient import PatientPage, render_patient
from ..core import annotation
from ..core.files import log, read_json, write_text
from . import provenance as prov
from .wiring import Job


@dataclass(frozen=True)
class PatientMember:
    """One tumour of the batch: its record, window positions, BAM, and its page."""
    sample: str
    record: str                  # samples/{sample}/calls.json
    positions: str               # samples/{sample}/window_bins.tsv
    bam: str                     # the sheet's BAM: its size and header digest
    html: str                    # output: samples/{sample}/report.html


@dataclass(frozen=True)
class PatientBatch(Job):
    members: tuple
    reference: str               # reference/reference.json
    rules: str                   # resources/rules.yaml
    arms: str                    # resources/<build>/arms.tsv
    cytobands: str               # resources/<build>/cytobands.tsv
    accessions: str              # resources/<build>/accessions.tsv
    builds: str                  # resources/builds.tsv
    transcripts: str             # resources/transcripts.tsv
    config: dict                 # its digest, the QC thresholds, the IKZF1plus PAX5 rule
    workflow_dir: str            # its git commit

    MEMBER = PatientMember


JOB = PatientBatch


def build_of(job, config: dict) -> Build:
    acc = annotation.read_tsv(job.accessions)
    b = annotation.read_tsv(job.builds).set_index("build")
    genome = str(config.get("genome"))
    return Build(str(b.loc[genome, "assembly"]) if genome in b.index else genome,
                 dict(zip(acc["chrom"], acc["refseq"])), annotation.read_tsv(job.cytobands))


def thresholds(config: dict) -> dict:
    """The QC thresholds the caller applied (whole-genome mode: qc.min_depth_genome)."""
    qc = config.get("qc", {})
    return {"min_depth": qc["min_depth"] if config.get("targets") else qc["min_depth_genome"],
            "max_noise": qc["max_noise"], "min_ikzf1_exons_with_data": qc["min_ikzf1_exons_with_data"]}


def read_positions(path: str) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={"exon": str, "chrom": str, "gene": str, "group": str},
                       keep_default_na=False, na_values={"log2": ["NA"], "se": ["NA"], "state": ["NA"],
                                                         "depth": ["NA"]})


def run(job: PatientBatch):
    rules = annotation.load_rules(job.rules)
    build, arms = build_of(job, job.config), annotation.read_tsv(job.arms)
    reference, transcript = read_json(job.reference), prov.transcript_of(job.transcripts)
    for m in job.members:
        rec = read_json(m.record)
        facts = prov.provenance(job, reference, [prov.bam_facts(m.sample, m.bam)], prov.analysis_mode(job.config, [rec]))
        page = PatientPage(rec, read_positions(m.positions), build, arms, rules, thresholds(job.config),
                           job.config.get("ikzf1plus_pax5", "any"), transcript, facts)
        html = render_patient(page)
        write_text(m.html, html)
        log.info("%s: page %s (%d bytes)", m.sample, m.html, len(html))
