"""The cohort's call table (cohort/ikzf1_calls.tsv): one row per tumour from its record
(caller.record), the contract's columns first. Every value is the caller's: nothing is
decided here."""
from __future__ import annotations

import pandas as pd

from ..core.annotation import gene_columns
from ..core.tables import fmt


CALL_HEAD = ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_deleted", "ikzf1_exons_biallelic",
             "ikzf1_cell_fraction"]
CALL_TAIL = ["ikzf1plus", "ukall_cna", "qc"]
EXTRA_COLS = ["ikzf1_mechanism", "ikzf1_lod", "ikzf1_evidence", "ikzf1_junction", "ikzf1_deletion_alt",
              "ikzf1_deletion_alt_lr", "arm_losses", "age_group",
              "ikzf1_cf_low", "ikzf1_cf_high", "blast_fraction", "blast_source", "clone_fraction", "clone_low", "clone_high",
              "median_depth", "noise", "sex", "sex_inferred", "sex_check", "sex_evidence"]


def call_columns(rules: dict) -> list[str]:
    """The contract's columns of ikzf1_calls.tsv: the gene columns from rules.yaml."""
    return CALL_HEAD + gene_columns(rules) + CALL_TAIL


def call_row(rec: dict, rules: dict) -> dict:
    """One row of ikzf1_calls.tsv from a sample record (caller.record.sample_record)."""
    genes = rec["genes"]
    ik = rec["ikzf1"]
    pur = rec["purity"]
    return {"sample": rec["sample"], "subtype": rec["subtype"], "status": rec["status"],
            "ikzf1_deletion": ik["deletion"], "ikzf1_exons_deleted": ik["exons_deleted"],
            "ikzf1_exons_biallelic": ik["exons_biallelic"],
            "ikzf1_cell_fraction": fmt(ik["cell_fraction"], 2),
            **{g: genes.get(g, "NA") for g in gene_columns(rules)},
            "ikzf1plus": rec["ikzf1plus"], "ukall_cna": rec["ukall_cna"], "qc": rec["qc"],
            "ikzf1_mechanism": ik.get("mechanism", "NA"), "ikzf1_lod": ik.get("lod", "NA"),
            "ikzf1_evidence": ik.get("evidence", "NA"), "ikzf1_junction": ik.get("junction", "NA"),
            "ikzf1_deletion_alt": ik.get("deletion_alt", "NA"), "ikzf1_deletion_alt_lr": fmt(ik.get("deletion_alt_lr"), 1),
            "arm_losses": rec.get("arm_losses", "NA"),
            "age_group": rec.get("age_group") or "NA",
            "ikzf1_cf_low": fmt(ik["cf_low"], 2), "ikzf1_cf_high": fmt(ik["cf_high"], 2),
            "blast_fraction": fmt(pur["blast_fraction"], 2), "blast_source": pur["blast_source"],
            **{k: fmt(pur.get(k), 2) for k in ("clone_fraction", "clone_low", "clone_high")},
            "median_depth": fmt(rec["metrics"]["median_depth"], 1), "noise": fmt(rec["metrics"]["noise"], 3),
            **{k: rec.get(k, "NA") for k in ("sex", "sex_inferred", "sex_check", "sex_evidence")}}


def calls_table(records: list[dict], rules: dict) -> pd.DataFrame:
    rows = [call_row(r, rules) for r in sorted(records, key=lambda r: r["sample"])]
    return pd.DataFrame(rows, columns=call_columns(rules) + EXTRA_COLS)
