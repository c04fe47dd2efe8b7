"""MultiQC custom content: the workflow's results as sections of the MultiQC report, each
column with its format (fractions 2 decimals, p-values in scientific notation, counts as
integers) in the file's commented YAML header; the calls first (workflow/multiqc_config.yaml
orders the sections)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..core.files import atomic
from ..core.tables import p_value_text
from .report.verdict import lod_compact

FRACTION = {"format": "{:.2f}", "min": 0, "max": 1}
COUNT = {"format": "{:,d}", "scale": False}


def _header(id_, name, desc, plot_type, headers: dict | None = None) -> str:
    conf = {"id": id_, "section_name": name, "description": desc, "plot_type": plot_type,
            "pconfig": {"id": f"{id_}_table", "title": name, **({"namespace": "IKZF1"} if plot_type == "table" else {})}}
    if headers:
        conf["headers"] = headers
    text = yaml.safe_dump(conf, sort_keys=False, default_flow_style=False, allow_unicode=True)
    return "".join(f"# {line}\n" for line in text.splitlines())


TEXT = {"scale": False}
CALL_COLUMNS = {  # every column shown, in this order (MultiQC shows only the columns its headers name)
    "status": {**TEXT, "description": "deleted, wildtype or not_evaluable"},
    "ikzf1_deletion": {**TEXT, "description": "IKZF1 deletion type (exons of NM_006060.6)"},
    "ikzf1_cell_fraction": {**FRACTION, "scale": "Reds", "description": "Fraction of all cells with the deletion"},
    "ikzf1_cf_95ci": {**TEXT, "description": "95% interval of the cell fraction"},
    "ikzf1_mechanism": {**TEXT, "description": "focal, interstitial, arm, chromosome"},
    "arm_losses": {**TEXT, "description": "Chromosome arms called lost (cell fraction)"},
    "GENES": None,
    "ikzf1plus": {**TEXT, "description": "IKZF1plus (Stanulla 2018)"},
    "ukall_cna": {**TEXT, "description": "UKALL-CNA profile (Moorman 2014)"},
    "ikzf1_lod": {**TEXT, "description": "Limit of detection: a deletion of each type in at least that fraction of "
                  "cells would have been called with 95% probability"},
    "blast_fraction": {**FRACTION, "scale": "Blues", "description": "Blast fraction (sheet or estimated)"},
    "median_depth": {"format": "{:,.0f}", "scale": "Greens", "min": 0, "suffix": "x",
                     "description": "Median depth of the target bins"},
    "clone_fraction": {**FRACTION, "scale": "Blues", "description": "Without a blast count: the largest clone's "
                       "fraction of cells (a lower bound of the blasts)"},
    "noise": {"format": "{:.3f}", "scale": False, "description": "The sample's scatter of log2 ratios"},
    "sex_check": {**TEXT, "description": "The sheet's sex against the one inferred from the data (ok, mismatch, NA)"},
    "qc": {**TEXT, "description": "pass, or the reason it failed"},
}


def call_headers(genes: list[str]) -> dict:
    """Each column of the calls section, in order: its description and format."""
    out = {}
    for col, h in CALL_COLUMNS.items():
        if col == "GENES":
            out.update({g: {**TEXT, "description": f"{g} call"} for g in genes})
        else:
            out[col] = h
    return out


FREQ_HEADERS = {
    "label": {**TEXT, "description": "Group of the reference table"},
    "n": {**COUNT, "description": "Evaluable samples in the group"},
    "n_altered": {**COUNT, "description": "Samples with an IKZF1 deletion"},
    **{c: {**FRACTION, "scale": False} for c in ("observed", "ci_low", "ci_high", "reference_low", "reference_high")},
    "p_value": {**TEXT, "description": "Exact binomial test against the reference range"},
    "verdict": {**TEXT, "description": "consistent, higher, lower or insufficient"},
}


def write_custom_content(calls: pd.DataFrame, freq: pd.DataFrame, outdir: str, genes: list[str]):
    """MultiQC's custom-content files of the call table (`genes`: its gene columns), the
    frequencies and the deletion types, in `outdir`."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    c = calls.assign(ikzf1_cf_95ci=[f"{a}-{b}" if "NA" not in (a, b) else "NA"
                                    for a, b in zip(calls["ikzf1_cf_low"], calls["ikzf1_cf_high"])],
                     ikzf1_lod=[lod_compact(x, "; ") or "NA" for x in calls["ikzf1_lod"]])  # MultiQC spaces commas
    headers = {k: v for k, v in call_headers(genes).items() if k in c.columns}   # the columns this table has
    cols = ["sample", *headers]
    with atomic(out / "ikzf1_calls_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_calls", "IKZF1 calls", "Per-sample IKZF1 exon deletion with its cell fraction and 95% "
                         "interval, co-deletions, IKZF1plus and UKALL-CNA (ikzf1_calls.tsv)", "table",
                         headers))
        c[cols].to_csv(fh, sep="\t", index=False, lineterminator="\n")
    # p-values as quoted text (6.0e-4): MultiQC's number formats cannot drop the exponent's zero
    f = freq.assign(p_value=[f"'{p_value_text(p)}'" for p in freq["p_value"]])
    with atomic(out / "ikzf1_frequencies_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_frequencies", "IKZF1 deletion frequency vs literature",
                         "Observed frequency per group with Wilson 95% CI against the reference range", "table",
                         FREQ_HEADERS))
        f.to_csv(fh, sep="\t", index=False, lineterminator="\n")
    types = calls[calls["status"] == "deleted"]["ikzf1_deletion"].value_counts().sort_index()
    with atomic(out / "ikzf1_deletion_types_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_deletion_types", "IKZF1 deletion types", "Samples per deletion label", "bargraph"))
        fh.write("label\tsamples\n")
        for k, v in types.items():
            fh.write(f"{k}\t{v}\n")
