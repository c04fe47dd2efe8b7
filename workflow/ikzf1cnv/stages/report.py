"""Rule report: the self-contained cohort report (report.html)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..cohort.methods import METHODS
from ..cohort.report.page import CohortReport, render
from ..core import annotation
from ..core.files import log, read_json, read_records, write_text
from . import provenance as prov
from .patient import read_positions
from .wiring import Job


@dataclass(frozen=True)
class ReportJob(Job):
    calls: str
    freq: str
    records: list[str]
    exons: list[str]             # samples/{sample}/ikzf1_exons.tsv
    positions: list[str]         # samples/{sample}/window_bins.tsv
    reference: str               # reference/reference.json: the reference used
    reference_table: str         # the literature's frequencies, with their sources
    types: str                   # resources/deletion_types.tsv
    rules: str                   # resources/rules.yaml
    builds: str                  # resources/builds.tsv
    transcripts: str             # resources/transcripts.tsv
    config: dict                 # shown in the report's settings table; its digest
    bams: dict                   # sample -> the sheet's BAM: path, size, header digest in the footer
    workflow_dir: str            # its git commit
    html: str                    # output


JOB = ReportJob


def run(job: ReportJob):
    calls = pd.read_csv(job.calls, sep="\t", dtype=str, keep_default_na=False)
    freq = pd.read_csv(job.freq, sep="\t", keep_default_na=False)
    recs = {r["sample"]: r for r in read_records(job.records)}
    exons = {Path(p).parent.name: pd.read_csv(p, sep="\t", keep_default_na=False, na_values=["NA"]) for p in job.exons}
    positions = {Path(p).parent.name: read_positions(p) for p in job.positions}
    reference = read_json(job.reference)
    bams = [prov.bam_facts(s, job.bams[s]) for s in sorted(job.bams)]
    facts = prov.provenance(job, reference, bams, prov.analysis_mode(job.config, list(recs.values())))
    html = render(CohortReport(calls, freq, annotation.read_tsv(job.reference_table),
                               annotation.read_tsv(job.types), exons, positions, recs, reference, job.config,
                               annotation.load_rules(job.rules), METHODS, facts))
    write_text(job.html, html)
    log.info("report: %s (%d bytes)", job.html, len(html))
