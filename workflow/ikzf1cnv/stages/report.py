"""Rule report: the self-contained cohort report (report.html)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..cohort.methods import METHODS, versions
from ..cohort.report.page import CohortReport, render
from ..core import annotation
from ..core.files import log, read_json, read_records, write_text
from .wiring import Job


@dataclass(frozen=True)
class ReportJob(Job):
    calls: str
    freq: str
    records: list[str]
    exons: list[str]             # samples/{sample}/ikzf1_exons.tsv
    reference: str               # reference/reference.json: the reference used
    types: str                   # resources/deletion_types.tsv
    rules: str                   # resources/rules.yaml
    config: dict                 # shown in the report's settings table
    html: str                    # output


JOB = ReportJob


def run(job: ReportJob):
    calls = pd.read_csv(job.calls, sep="\t", dtype=str, keep_default_na=False)
    freq = pd.read_csv(job.freq, sep="\t", keep_default_na=False)
    recs = {r["sample"]: r for r in read_records(job.records)}
    exons = {Path(p).parent.name: pd.read_csv(p, sep="\t", keep_default_na=False, na_values=["NA"]) for p in job.exons}
    html = render(CohortReport(calls, freq, annotation.read_tsv(job.types), exons, recs, read_json(job.reference),
                               job.config, annotation.load_rules(job.rules), versions(), METHODS))
    write_text(job.html, html)
    log.info("report: %s (%d bytes)", job.html, len(html))
