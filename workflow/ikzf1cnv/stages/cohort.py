"""Rule cohort: the call table from the per-sample records, the frequencies against the
reference table, and MultiQC's sections."""
from __future__ import annotations

from dataclasses import dataclass

from ..cohort import mqc
from ..cohort.frequencies import frequencies, read_reference_table
from ..cohort.table import calls_table
from ..core import annotation
from ..core.files import atomic, log, read_records
from .wiring import Job


@dataclass(frozen=True)
class CohortJob(Job):
    records: list[str]           # samples/{sample}/calls.json
    reference_table: str
    rules: str                   # resources/rules.yaml: the gene columns
    frequency_min_samples: int
    frequency_alpha: float
    calls: str                   # outputs
    freq: str
    mqc: str


JOB = CohortJob


def run(job: CohortJob):
    rules = annotation.load_rules(job.rules)
    calls = calls_table(read_records(job.records), rules)
    with atomic(job.calls) as tmp:
        calls.to_csv(tmp, sep="\t", index=False, lineterminator="\n")
    freq = frequencies(calls, read_reference_table(job.reference_table), job.frequency_min_samples,
                       job.frequency_alpha)
    with atomic(job.freq) as tmp:
        freq.to_csv(tmp, sep="\t", index=False, lineterminator="\n")
    mqc.write_custom_content(calls, freq, job.mqc, annotation.gene_columns(rules))
    log.info("%d samples: %d deleted, %d IKZF1plus, %d not evaluable", len(calls),
             (calls["status"] == "deleted").sum(), (calls["ikzf1plus"] == "yes").sum(),
             (calls["status"] == "not_evaluable").sum())
