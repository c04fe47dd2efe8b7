"""The per-sample record (samples/{sample}/calls.json): everything the cohort steps read
about a tumour, JSON-ready and rounded, made by one constructor for every outcome (called,
QC failed, BAM unreadable)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import arms
from .sample import SampleCalls


def arm_record(a: pd.DataFrame | None) -> dict:
    if a is None:
        return {}
    return {r.arm: {"n_bins": int(r.n_bins), "level": round(float(r.level), 3), "se": round(float(r.se), 3),
                    "z": round(float(r.z), 2), "lost": bool(r.called), "cell_fraction": round(float(r.cell_fraction), 2),
                    "cf_low": round(float(r.cf_low), 2), "cf_high": round(float(r.cf_high), 2)}
            for r in a.itertuples(index=False)}


def junction_records(bps: pd.DataFrame | None) -> list[dict]:
    """The sample's junctions (breakpoints.tsv rows) for calls.json and the report."""
    if bps is None or not len(bps):
        return []
    cf = bps["cell_fraction"].astype(float)
    return [{"gene": r.gene, "chrom": r.chrom, "start": int(r.start), "end": int(r.end),
             "split_reads": int(r.split_reads), "discordant_pairs": int(r.discordant_pairs),
             "cell_fraction": None if not np.isfinite(c) else round(float(c), 3), "label": r.label,
             "rss_left": r.rss_left, "rss_right": r.rss_right, "precision": r.precision}
            for r, c in zip(bps.itertuples(index=False), cf)]


def _round(x, nd=3):
    return None if x is None else round(float(x), nd)


def sample_record(res: SampleCalls, row: dict, mode: str) -> dict:
    """The record of one tumour's calls (caller.tumour.call or .failed), its sheet row and
    the run's mode (panel, exome-sized, whole genome)."""
    rec = {
        "mode": mode, **res.sex,
        "sample": res.sample, "subtype": row.get("subtype") or "unknown", "age_group": row.get("age_group", ""),
        "status": res.status, "qc": res.qc,
        "ikzf1": {k: (_round(v, 2) if k in ("cell_fraction", "cf_low", "cf_high") else
                      (_round(v, 1) if k in ("llr", "deletion_alt_lr") else v)) for k, v in res.ikzf1.items()},
        "genes": res.genes, "ikzf1plus": res.ikzf1plus, "ukall_cna": res.ukall_cna,
        "purity": {k: (_round(v, 2) if isinstance(v, float) else v) for k, v in res.purity.items()},
        "metrics": {k: _round(v, 3) if isinstance(v, float) else v for k, v in res.metrics.items()},
        "arms": arm_record(res.arms), "arm_losses": "NA" if res.arms is None else arms.losses_label(res.arms),
        "junctions": junction_records(res.junctions),
    }
    if res.bam_error is not None:
        rec["bam_error"] = res.bam_error
    return rec
