"""MultiQC custom content: the workflow's results as sections of the MultiQC report."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.files import atomic


def _header(id_, name, desc, plot_type, extra=""):
    return (f"# id: '{id_}'\n# section_name: '{name}'\n# description: '{desc}'\n"
            f"# plot_type: '{plot_type}'\n{extra}")


def write_custom_content(calls: pd.DataFrame, freq: pd.DataFrame, outdir: str, genes: list[str]):
    """MultiQC's custom-content files of the call table (`genes`: its gene columns), the
    frequencies and the deletion types, in `outdir`."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    cols = ["sample", "status", "ikzf1_deletion", "ikzf1_cell_fraction", "ikzf1_mechanism", "arm_losses",
            *genes, "ikzf1plus", "ukall_cna", "blast_fraction", "clone_fraction", "median_depth", "noise",
            "sex_check", "qc"]
    with atomic(out / "ikzf1_calls_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_calls", "IKZF1 calls", "Per-sample IKZF1 exon deletion, co-deletions, IKZF1plus "
                         "and UKALL-CNA (ikzf1_calls.tsv)", "table"))
        calls[cols].to_csv(fh, sep="\t", index=False, lineterminator="\n")
    with atomic(out / "ikzf1_frequencies_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_frequencies", "IKZF1 deletion frequency vs literature",
                         "Observed frequency per group with Wilson 95% CI against the reference range", "table"))
        freq.to_csv(fh, sep="\t", index=False, lineterminator="\n")
    types = calls[calls["status"] == "deleted"]["ikzf1_deletion"].value_counts().sort_index()
    with atomic(out / "ikzf1_deletion_types_mqc.tsv") as tmp, open(tmp, "w") as fh:
        fh.write(_header("ikzf1_deletion_types", "IKZF1 deletion types", "Samples per deletion label", "bargraph"))
        fh.write("label\tsamples\n")
        for k, v in types.items():
            fh.write(f"{k}\t{v}\n")
