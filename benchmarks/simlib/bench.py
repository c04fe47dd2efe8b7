"""Accuracy benchmark: truth tables for simulated cohorts, CNVkit's segments read onto
exons and genes at CNVkit's own thresholds, and the scores (benchmarks/accuracy)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ikzf1cnv.caller import classify, genes, labels
from ikzf1cnv.core import annotation
from ikzf1cnv.caller import classify, genes, labels
from ikzf1cnv.core import annotation
from ikzf1cnv.core.annotation import load_rules
from ikzf1cnv.cohort.table import call_columns

from . import simulate

RULES = load_rules(Path(__file__).resolve().parents[2] / "resources" / "rules.yaml")
GENES = annotation.gene_columns(RULES)
CALL_COLS = call_columns(RULES)
BLAST_BANDS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.7), (0.7, 1.01)]
TRUTH_EXTRA = ["ikzf1_events", "arm_truth", "mechanism_truth"]       # "-" in older truth tables
CALL_EXTRA = ["ikzf1_mechanism", "ikzf1_lod", "ikzf1_evidence", "arm_losses"]  # "-" from older callers


def _g(x: float) -> str:
    return f"{round(x, 3):g}"


def ikzf1_events(units: pd.DataFrame, events: list) -> list:
    """Loss events overlapping the IKZF1 gene span (chr7 and 7p losses included)."""
    ik = units[units["gene"] == "IKZF1"]
    gs, ge = int(ik["start"].min()) - 1, int(ik["end"].max())
    return [ev for ev in events if ev.copies < 0 and ev.chrom == ik["chrom"].iloc[0] and ev.start < ge and ev.end > gs]


def arm_truth(events: list, arms: pd.DataFrame, min_cover: float = 0.9) -> str:
    """Arms that lose copies over at least `min_cover` of their length: "7p:0.16,7q:0.16"."""
    out = []
    for a in arms.itertuples(index=False):
        s0, e = int(a.start) - 1, int(a.end)
        f = sum(ev.fraction * -ev.copies for ev in events if ev.copies < 0 and ev.chrom == a.chrom
                and min(ev.end, e) - max(ev.start, s0) >= min_cover * (e - s0))
        if f > 0:
            out.append(f"{a.arm}:{_g(f)}")
    return ",".join(out) or "none"


def mechanism_truth(units: pd.DataFrame, events: list, arms: pd.DataFrame, contigs: dict,
                    lost: list, interstitial: int = 100_000) -> str:
    """How IKZF1 is lost: chromosome (monosomy) > arm > interstitial (an event reaching more
    than `interstitial` bp past the gene) > focal; NA when no IKZF1 exon is lost."""
    if not lost:
        return "NA"
    ik = units[units["gene"] == "IKZF1"]
    gs, ge = int(ik["start"].min()) - 1, int(ik["end"].max())
    kinds = set()
    for ev in ikzf1_events(units, events):
        arm = arms[(arms["chrom"] == ev.chrom) & (arms["start"] - 1 == ev.start) & (arms["end"] == ev.end)]
        if ev.start == 0 and ev.end == contigs.get(ev.chrom):
            kinds.add("chromosome")
        elif len(arm):
            kinds.add("arm")
        elif gs - ev.start > interstitial or ev.end - ge > interstitial:
            kinds.add("interstitial")
        else:
            kinds.add("focal")
    for k in ("chromosome", "arm", "interstitial", "focal"):
        if k in kinds:
            return k
    return "NA"


def truth_row(spec: dict, units: pd.DataFrame, events: list, rules: dict, pax5_mode: str = "any",
              arms: pd.DataFrame | None = None, contigs: dict | None = None) -> dict:
    """The truth of a tumour from the event geometry. With `arms` and `contigs` it also
    says which events hit IKZF1 (ikzf1_events: "chr7:START-END:FRACTION", 0-based half-open,
    fraction of all cells), the arm losses and how IKZF1 is lost (mechanism_truth)."""
    geo = simulate.gene_truth(units, events, rules)
    lost, bial = geo["ikzf1_lost"], geo["ikzf1_biallelic"]
    ik_f = [ev.fraction for ev in events if ev.copies < 0 and ev.chrom == "chr7"
            and ev.start <= int(units[units["gene"] == "IKZF1"]["end"].max())
            and ev.end >= int(units[units["gene"] == "IKZF1"]["start"].min())]
    genes = {g: geo[g] for g in GENES}
    calls = {"IKZF1": "deleted" if lost else "wildtype", **genes}
    bcp = spec["subtype"] in rules["bcp_subtypes"]
    return {"sample": spec["sample"], "subtype": spec["subtype"], "status": calls["IKZF1"],
            "ikzf1_deletion": labels.deletion_label(lost), "ikzf1_exons_deleted": labels.exon_list(lost),
            "ikzf1_exons_biallelic": labels.exon_list(bial),
            "ikzf1_cell_fraction": f"{max(ik_f):.2f}" if lost else "NA", **genes,
            "ikzf1plus": classify.ikzf1plus(calls, rules["ikzf1plus"], pax5_mode) if bcp else "NA",
            "ukall_cna": classify.ukall_cna(calls, rules["ukall_cna"]) if bcp else "NA", "qc": "pass",
            "blast": spec["blast"], "depth": spec["depth"],
            "ikzf1_events": ";".join(f"{e.chrom}:{e.start}-{e.end}:{_g(e.fraction)}"
                                     for e in ikzf1_events(units, events)) or "none",
            "arm_truth": "NA" if arms is None else arm_truth(events, arms),
            "mechanism_truth": "NA" if arms is None else mechanism_truth(units, events, arms, contigs or {}, lost)}


# ------------------------------------------------------------------ CNVkit baseline
def cnvkit_unit_states(segments: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Copies lost at each exon unit from CNVkit's called segments (.call.cns, column cn):
    the segment overlapping the unit most decides; k = clip(2 - cn, 0, 2)."""
    out = []
    by = {c: g for c, g in segments.groupby("chromosome")}
    for u in units.itertuples(index=False):
        g = by.get(u.chrom)
        k, n = 0, 0
        if g is not None:
            ov = np.minimum(g["end"].to_numpy(), u.end) - np.maximum(g["start"].to_numpy(), u.start - 1)
            if (ov > 0).any():
                cn = g["cn"].to_numpy()[int(np.argmax(ov))]
                k, n = int(np.clip(2 - cn, 0, 2)), 1
        out.append({"gene": u.gene, "exon": str(u.exon), "chrom": u.chrom, "start": int(u.start), "state": k,
                    "n_bins": n})
    return pd.DataFrame(out)


def record_from_states(sample: str, subtype: str, st: pd.DataFrame, rules: dict, pax5_mode: str = "any") -> dict:
    """A sample record (as caller.record.sample_record) from exon-unit states: how CNVkit's
    calls become the same call table as ours (the same rules classify them)."""
    levels = genes.gene_levels(st, rules)
    ik = st[st["gene"] == "IKZF1"].assign(e=lambda d: d["exon"].astype(int)).sort_values("e")
    lost = ik.loc[ik["state"] > 0, "e"].tolist()
    bial = ik.loc[ik["state"] == 2, "e"].tolist()
    status = "deleted" if lost else "wildtype"
    plus, ukall = classify.risk({"subtype": subtype}, status, levels, rules, pax5_mode)
    return {"sample": sample, "subtype": subtype, "age_group": "", "status": status,
            "qc": "pass", "genes": levels, "ikzf1plus": plus, "ukall_cna": ukall,
            "ikzf1": {"deletion": labels.deletion_label(lost), "exons_deleted": labels.exon_list(lost),
                      "exons_biallelic": labels.exon_list(bial), "cell_fraction": None, "cf_low": None,
                      "cf_high": None},
            "purity": {"blast_fraction": None, "blast_low": None, "blast_high": None, "blast_source": "none"},
            "metrics": {"median_depth": None, "noise": None}}


# ------------------------------------------------------------------ scores
def _rate(x) -> float:
    x = list(x)
    return float(np.mean(x)) if x else math.nan


def per_sample(calls: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """One row per tumour: truth and call side by side, with agreement flags."""
    extra = [c for c in CALL_EXTRA if c in calls.columns]
    m = truth.merge(calls[CALL_COLS + extra], on="sample", suffixes=("_t", ""))
    ev = m["status"] != "not_evaluable"
    out = pd.DataFrame({"sample": m["sample"], "blast": m["blast"].astype(float), "depth": m["depth"].astype(int),
                        "evaluable": ev, "truth_deleted": m["status_t"] == "deleted",
                        "called_deleted": m["status"] == "deleted"})
    tcf = pd.to_numeric(m["ikzf1_cell_fraction_t"], errors="coerce")
    out["cell_fraction"] = tcf
    out["type_exact"] = m["ikzf1_deletion"] == m["ikzf1_deletion_t"]
    out["exons_exact"] = m["ikzf1_exons_deleted"] == m["ikzf1_exons_deleted_t"]
    out["truth_biallelic"] = m["ikzf1_exons_biallelic_t"] != ""
    out["biallelic_exact"] = m["ikzf1_exons_biallelic"] == m["ikzf1_exons_biallelic_t"]
    out["deletion_t"] = m["ikzf1_deletion_t"]
    out["deletion"] = m["ikzf1_deletion"]
    for g in GENES:
        out[f"{g}_t"] = m[f"{g}_t"]
        out[g] = m[g]
        out[f"{g}_ok"] = m[g] == m[f"{g}_t"]
    for c in TRUTH_EXTRA + CALL_EXTRA:
        out[c] = m[c].astype(str) if c in m.columns else "-"
    out["ikzf1plus_t"] = m["ikzf1plus_t"]
    out["ikzf1plus"] = m["ikzf1plus"]
    out["ikzf1plus_ok"] = m["ikzf1plus"] == m["ikzf1plus_t"]
    return out


def summarise(ps: pd.DataFrame) -> dict:
    """The scores of one tool over a set of samples."""
    e = ps[ps["evaluable"]]
    d = e[e["truth_deleted"]]
    w = e[~e["truth_deleted"]]
    s = {"n": len(ps), "not_evaluable": _rate(~ps["evaluable"]), "n_deleted": len(d),
         "sensitivity": _rate(d["called_deleted"]), "specificity": _rate(~w["called_deleted"]),
         "type_exact": _rate(d["type_exact"]), "exons_exact": _rate(e["exons_exact"]),
         "biallelic_exact": _rate(e[e["truth_biallelic"] | (e["biallelic_exact"] == False)]["biallelic_exact"]),  # noqa: E712
         "ikzf1plus_ok": _rate(e["ikzf1plus_ok"]),
         "ikzf1plus_fp": int(((e["ikzf1plus"] == "yes") & (e["ikzf1plus_t"] != "yes")).sum()),
         "ikzf1plus_fn": int(((e["ikzf1plus"] != "yes") & (e["ikzf1plus_t"] == "yes")).sum())}
    for g in GENES:
        s[g] = _rate(e[f"{g}_ok"])
    return s


def band_of(x: float) -> str:
    for lo, hi in BLAST_BANDS:
        if lo <= x < hi:
            return f"{lo:.1f}-{min(hi, 1.0):.1f}"
    return "?"


def targets(ps: pd.DataFrame) -> dict:
    """The issue's targets, measured."""
    e = ps[ps["evaluable"]]
    cl = e[e["truth_deleted"] & (e["cell_fraction"] >= 0.2) & (e["depth"] >= 200)]
    low = e[e["truth_deleted"] & (e["cell_fraction"].between(0.05, 0.15)) & (e["depth"] >= 500)]
    cd = e[(e["blast"] >= 0.4) & e["CDKN2A_t"].isin(["het", "hom"])]
    wt = e[~e["truth_deleted"]]
    return {"false IKZF1 deletions in wild type": int(wt["called_deleted"].sum()),
            "false IKZF1plus in wild type": int((wt["ikzf1plus"] == "yes").sum()),
            "detected, >=20% cells, >=200x": _rate(cl["called_deleted"]),
            "exact type, >=20% cells, >=200x": _rate(cl["type_exact"]),
            "n (>=20% cells, >=200x)": len(cl),
            "detected, ~10% cells, >=500x": _rate(low["called_deleted"]), "n (~10% cells, >=500x)": len(low),
            "CDKN2A het/hom right, blast >=40%": _rate(cd["CDKN2A_ok"]), "n (CDKN2A, blast >=40%)": len(cd),
            "IKZF1plus right (evaluable)": _rate(e["ikzf1plus_ok"]),
            "not_evaluable": _rate(~ps["evaluable"])}
