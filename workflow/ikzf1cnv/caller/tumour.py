"""One tumour end to end, every decision made before anything is written: its depth calls
(caller.sample.call_sample), its junctions placed and reconciled with them (IKZF1:
confirmed, retyped, or called from a junction below the depth limit), its sex from the data
against the sheet's, then IKZF1plus and UKALL-CNA from the final calls.

  call    a tumour whose coverage was read
  failed  a tumour whose BAM could not be read
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.annotation import gene_columns
from ..core.bins import isin_names
from ..core.constants import AUTOSOMES
from . import classify, sex, veto, zygosity
from .ikzf1 import NOT_EVALUABLE
from .junctions import BREAKPOINT_COLS, JunctionRules, Placement, breakpoints, local_depth, reconcile, strong
from .params import Annotation, CallerParams
from .sample import SampleCalls, call_sample


@dataclass(frozen=True)
class Tumour:
    """One tumour as the caller sees it: its sheet row (subtype, age_group, blast_pct, sex),
    its bias-corrected and denoised bins, its read length, the junctions its coverage pass
    found (coverage/{sample}.junctions.tsv), the median fragment length of its pairs and
    its reads on chrY (idxstats; None where not counted)."""
    sample: str
    row: dict
    bins: pd.DataFrame
    read_length: float
    junctions: pd.DataFrame
    fragment: float | None = None
    chry_reads: int | None = None


@dataclass(frozen=True)
class Caller:
    """What every tumour of a batch is called with: the annotation, the caller's settings,
    the junction rules (config `junctions`, min_clip), config `ikzf1plus_pax5`, the sex
    rules (config `sex`) with the build's PARs (resources/cnvkit_par_regions.tsv, its rows)
    and chrY's length, and a FASTA (pysam.FastaFile, or None) for the RSS check."""
    ann: Annotation
    params: CallerParams
    junction_rules: JunctionRules
    min_clip: int
    pax5_mode: str
    sex_rules: sex.SexRules
    par: pd.DataFrame
    chry_length: int
    fasta: object = None
    baseline: dict = field(default_factory=dict)   # a tumour-pooled reference's genes (reference.json)


def sheet_blast_pct(row: dict) -> float | None:
    """The sheet's blast percentage, None where it is empty."""
    blast = row.get("blast_pct")
    return None if blast is None or pd.isna(blast) else float(blast)


def sample_sex(t: Tumour, c: Caller) -> dict:
    """The sheet's sex (the inferred one where the sheet leaves it empty), the inferred one,
    their check and its evidence (caller.sex)."""
    b = t.bins
    auto = isin_names(b["chromosome"].to_numpy(), AUTOSOMES) & np.isfinite(b["depth"].to_numpy(dtype=float))
    off = b["offtarget"].to_numpy(dtype=bool)
    pool = auto & off if (auto & off).any() else auto
    depth = float(np.median(b["depth"].to_numpy(dtype=float)[pool])) if pool.any() else float("nan")
    x, y = sex.x_level(b, c.par), sex.y_level(t.chry_reads, t.read_length, c.chry_length, depth)
    inferred = sex.infer(x, y, c.sex_rules)
    given = t.row.get("sex") or None
    return {"sex": given or (inferred if inferred != "NA" else "NA"), "sex_inferred": inferred,
            "sex_check": sex.check(given, inferred), "sex_evidence": sex.evidence(x, y)}


def call(t: Tumour, c: Caller) -> SampleCalls:
    """Every call of a tumour: the depth calls (call_sample), its junctions placed and
    reconciled with them, its sex checked, then IKZF1plus and UKALL-CNA from the final calls."""
    res = call_sample(t.sample, t.bins, c.ann, c.params, sheet_blast_pct(t.row), t.read_length)
    bps = breakpoints(t.junctions, Placement(c.ann.units, c.ann.windows, local_depth(t.bins), t.read_length, c.min_clip,
                                             t.fragment, c.fasta))
    if res.qc == "pass":
        res.status, res.ikzf1, bps = reconcile(res.status, res.ikzf1, bps, c.junction_rules)
    elif len(bps):
        bps = bps[strong(bps, c.junction_rules.min_support, c.junction_rules.min_pairs_alone)]
    res.junctions = bps
    unsafe_baseline(res, c)
    res.sex = sample_sex(t, c)
    if res.sex["sex_check"] == "mismatch":
        warning = (f"sex mismatch: sheet {t.row.get('sex')}, data {res.sex['sex_inferred']} "
                   f"({res.sex['sex_evidence']}): possible sample swap")
        res.qc = f"warn: {warning}" if res.qc == "pass" else f"{res.qc}; {warning}"
    # an exclusion gene (ERG) the data could not have seen at IKZF1's cell fraction is NA to the rules
    rule = c.ann.rules["ikzf1plus"]
    unknown = veto.unruled(res, c.ann.units, list(rule["exclude"]), c.params, rule.get("exclude_extent"))
    # a hom call the data cannot tell from het in twice the cells: both levels to the rules
    open_ = {u.gene: ("het", "hom") for u in res.zygosity}
    res.ikzf1plus, res.ukall_cna = classify.risk(t.row, res.status, {**res.genes, **{g: "NA" for g in unknown}},
                                                 c.ann.rules, c.pax5_mode, open_)
    read = classify.risk(t.row, res.status, res.genes, c.ann.rules, c.pax5_mode)[0]
    if res.ikzf1plus == "NA" and read != "NA":   # NA because of the genes left open, not the subtype
        why = [veto.note(unknown, float(res.ikzf1["cell_fraction"]))] if unknown else []
        warning = "; ".join(why + ([zygosity.note(res.zygosity)] if open_ else [])) + ": IKZF1plus NA"
        res.qc = f"warn: {warning}" if res.qc == "pass" else f"{res.qc}; {warning}"
    return res


def unsafe_baseline(res: SampleCalls, c: Caller):
    """Genes whose baseline a tumour-pooled reference could not set (reference.json
    `baseline`: too few tumours at an exon, or tumours clearly above it): NA, never called;
    IKZF1 among them makes the sample not_evaluable. PAR1 is NA when a gene of its pattern is."""
    bad = {g: b for g, b in c.baseline.items() if not b["evaluable"]}
    if not bad:
        return

    def why(g):
        b = bad[g]
        above = f"; clearly above it (most of the pool deleted there?): {', '.join(b['above'])}" if b["above"] else ""
        return f"{g}: the no-normals baseline rests on {b['tumours']} tumour(s){above}"
    genes = [g for g in res.genes if g in bad or (g == "PAR1" and set(c.ann.rules["par1"]["context"]) & set(bad))]
    for g in genes:
        res.genes[g] = "NA"
    if "IKZF1" in bad and res.status != "not_evaluable":
        res.status, res.ikzf1 = "not_evaluable", {**res.ikzf1, **NOT_EVALUABLE}
        reason = why("IKZF1") + ". Fix: add normals (or a reference_cnn)"
        res.qc = f"fail: {reason}" if res.qc == "pass" else f"{res.qc}; {reason}"
    elif genes:
        note = "not evaluable: " + "; ".join(why(g) for g in bad if g != "IKZF1")
        res.qc = f"warn: {note}" if res.qc == "pass" else f"{res.qc}; {note}"


def failed(sample: str, row: dict, rules: dict, reason: str) -> SampleCalls:
    """The calls of a tumour whose BAM could not be read (stages.coverage writes why): not
    evaluable, every gene NA, the reason (fault, file, fix) in `qc`."""
    blast = sheet_blast_pct(row)
    purity = {"blast_fraction": None if blast is None else blast / 100.0,
              "blast_source": "sheet" if blast is not None else "not given",
              "clone_fraction": None, "clone_low": None, "clone_high": None}
    res = SampleCalls(sample, "fail: " + reason.replace("\t", " ").replace("\n", " "), "not_evaluable",
                      pd.DataFrame(), pd.DataFrame(), {g: "NA" for g in gene_columns(rules)}, dict(NOT_EVALUABLE),
                      purity, {"median_depth": None, "noise": None}, junctions=pd.DataFrame(columns=BREAKPOINT_COLS),
                      bam_error=reason)
    res.sex = {"sex": row.get("sex") or "NA", "sex_inferred": "NA", "sex_check": "NA", "sex_evidence": "NA"}
    return res
