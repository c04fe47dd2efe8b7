"""Cohort tables: the per-sample call table and subtype frequencies vs the literature."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy.stats import binomtest, norm

from . import classify
from . import genes as genelib
from .purity import fmt

CALL_HEAD = ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_deleted", "ikzf1_exons_biallelic",
             "ikzf1_cell_fraction"]
CALL_TAIL = ["ikzf1plus", "ukall_cna", "qc"]
EXTRA_COLS = ["ikzf1_mechanism", "ikzf1_lod", "ikzf1_evidence", "ikzf1_junction", "arm_losses", "age_group", "ikzf1_cf_low", "ikzf1_cf_high", "blast_fraction", "blast_low", "blast_high",
              "blast_source", "median_depth", "noise"]


def call_columns(rules: dict) -> list[str]:
    """The contract's columns of ikzf1_calls.tsv: the gene columns from rules.yaml."""
    return CALL_HEAD + genelib.gene_columns(rules) + CALL_TAIL
FREQ_COLS = ["group", "label", "n", "n_altered", "observed", "ci_low", "ci_high", "reference_low",
             "reference_high", "p_value", "verdict"]


def call_row(rec: dict, rules: dict, pax5_mode: str) -> dict:
    """One row of ikzf1_calls.tsv from a sample record (see steps.sample_record)."""
    genes = rec["genes"]
    calls = {"IKZF1": rec["status"], **genes}
    bcp = rec["subtype"] in rules["bcp_subtypes"]
    ik = rec["ikzf1"]
    pur = rec["purity"]
    row = {"sample": rec["sample"], "subtype": rec["subtype"], "status": rec["status"],
           "ikzf1_deletion": ik["deletion"], "ikzf1_exons_deleted": ik["exons_deleted"],
           "ikzf1_exons_biallelic": ik["exons_biallelic"],
           "ikzf1_cell_fraction": fmt(ik["cell_fraction"], 2),
           **{g: genes.get(g, "NA") for g in genelib.gene_columns(rules)},
           "ikzf1plus": classify.ikzf1plus(calls, rules["ikzf1plus"], pax5_mode) if bcp else "NA",
           "ukall_cna": classify.ukall_cna(calls, rules["ukall_cna"]) if bcp else "NA",
           "qc": rec["qc"],
           "ikzf1_mechanism": ik.get("mechanism", "NA"), "ikzf1_lod": ik.get("lod", "NA"),
           "ikzf1_evidence": ik.get("evidence", "NA"), "ikzf1_junction": ik.get("junction", "NA"),
           "arm_losses": rec.get("arm_losses", "NA"),
           "age_group": rec.get("age_group") or "NA",
           "ikzf1_cf_low": fmt(ik["cf_low"], 2), "ikzf1_cf_high": fmt(ik["cf_high"], 2),
           "blast_fraction": fmt(pur["blast_fraction"], 2), "blast_low": fmt(pur["blast_low"], 2),
           "blast_high": fmt(pur["blast_high"], 2), "blast_source": pur["blast_source"],
           "median_depth": fmt(rec["metrics"]["median_depth"], 1), "noise": fmt(rec["metrics"]["noise"], 3)}
    return row


def calls_table(records: list[dict], rules: dict, pax5_mode: str) -> pd.DataFrame:
    rows = [call_row(r, rules, pax5_mode) for r in sorted(records, key=lambda r: r["sample"])]
    return pd.DataFrame(rows, columns=call_columns(rules) + EXTRA_COLS)


# ------------------------------------------------------------------ frequencies
def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n == 0:
        return (math.nan, math.nan)
    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def range_test(k: int, n: int, low: float, high: float) -> float:
    """Exact binomial test of k/n against a reference range [low, high]: the two-sided
    p-value against the nearest end of the range (1 when k/n lies inside it)."""
    if n == 0:
        return math.nan
    obs = k / n
    if low <= obs <= high:
        return 1.0
    p0 = low if obs < low else high
    return float(binomtest(k, n, p0, alternative="two-sided").pvalue)


def verdict(k: int, n: int, low: float, high: float, p: float, min_n: int, alpha: float) -> str:
    if n < min_n:
        return "insufficient"
    if p < alpha:
        return "higher" if k / n > high else "lower"
    return "consistent"


def select(calls: pd.DataFrame, subtypes: str, age_group: str) -> pd.DataFrame:
    """Rows matching a reference-table selector ('*' = any; comma-separated lists)."""
    m = pd.Series(True, index=calls.index)
    if subtypes and subtypes != "*":
        m &= calls["subtype"].isin([s.strip() for s in subtypes.split(",")])
    if age_group and age_group != "*":
        m &= calls["age_group"].isin([s.strip() for s in age_group.split(",")])
    return calls[m]


def frequencies(calls: pd.DataFrame, table: pd.DataFrame, min_n: int, alpha: float) -> pd.DataFrame:
    """One row per reference-table row: evaluable samples of the group (n), those with an
    IKZF1 deletion (n_altered), the Wilson 95% interval, the exact test against the range."""
    ev = calls[calls["status"] != "not_evaluable"]
    rows = []
    for t in table.itertuples(index=False):
        g = select(ev, t.subtypes, t.age_group)
        n = len(g)
        k = int((g["status"] == "deleted").sum())
        lo, hi = wilson(k, n)
        p = range_test(k, n, t.reference_low, t.reference_high)
        rows.append({"group": t.group, "label": t.label, "n": n, "n_altered": k,
                     "observed": fmt(k / n if n else math.nan, 3), "ci_low": fmt(lo, 3), "ci_high": fmt(hi, 3),
                     "reference_low": fmt(t.reference_low, 3), "reference_high": fmt(t.reference_high, 3),
                     "p_value": fmt(p, 4), "verdict": verdict(k, n, t.reference_low, t.reference_high, p, min_n, alpha)
                     if n else "insufficient"})
    return pd.DataFrame(rows, columns=FREQ_COLS)


def read_reference_table(path) -> pd.DataFrame:
    t = pd.read_csv(path, sep="\t", comment="#", dtype={"subtypes": str, "age_group": str}, keep_default_na=False)
    need = {"group", "label", "subtypes", "age_group", "reference_low", "reference_high", "source"}
    missing = need - set(t.columns)
    if missing:
        raise ValueError(f"reference table {path}: missing column(s) {', '.join(sorted(missing))}")
    t["reference_low"] = t["reference_low"].astype(float)
    t["reference_high"] = t["reference_high"].astype(float)
    return t


# ------------------------------------------------------------------ the cohort step
@dataclass(frozen=True)
class CohortJob:
    records: list[str]           # samples/{sample}/calls.json
    rules: str                   # resources/rules.yaml
    reference_table: str
    ikzf1plus_pax5: str
    frequency_min_samples: int
    frequency_alpha: float
    out_calls: str
    out_freq: str
    out_mqc: str


def run_cohort(job: CohortJob):
    """The call table, the frequencies against the reference table, MultiQC's sections."""
    from . import annotation, mqc
    from .files import atomic, log, read_records
    rules = annotation.load_rules(job.rules)
    calls = calls_table(read_records(job.records), rules, job.ikzf1plus_pax5)
    with atomic(job.out_calls) as tmp:
        calls.to_csv(tmp, sep="\t", index=False, lineterminator="\n")
    freq = frequencies(calls, read_reference_table(job.reference_table), job.frequency_min_samples,
                       job.frequency_alpha)
    with atomic(job.out_freq) as tmp:
        freq.to_csv(tmp, sep="\t", index=False, lineterminator="\n")
    mqc.write_custom_content(calls, freq, job.out_mqc)
    log.info("%d samples: %d deleted, %d IKZF1plus, %d not evaluable", len(calls),
             (calls["status"] == "deleted").sum(), (calls["ikzf1plus"] == "yes").sum(),
             (calls["status"] == "not_evaluable").sum())
