"""One tumour, from its bins' log2 ratios to every call: the gene windows and arms modelled
(caller.groups, caller.arms), its purity, QC, gene levels, IKZF1's summary, its junctions
reconciled with the depth calls, and IKZF1plus and UKALL-CNA: every decision about a sample
is made here, before anything is written.

  call_sample  the depth calls: bins -> windows, arms -> states -> genes and IKZF1
  call         call_sample, then the junctions and the risk classifications
  failed       the calls of a tumour whose BAM could not be read
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.annotation import gene_columns
from ..core.constants import AUTOSOMES
from ..core.tables import comparison
from . import arms as armlib
from . import classify, genes as genelib
from .groups import GroupFit, arm_for, fit_group, group_positions, in_windows, tested_arms
from .ikzf1 import NOT_EVALUABLE, evidence_text, ikzf1_summary
from .junctions import BREAKPOINT_COLS, JunctionRules, Placement, breakpoints, local_depth, reconcile, strong
from .params import Annotation, CallerParams
from .prepare import chromosome_gains, prepare_bins


def purity_of(blast_pct, positions: dict, arm_calls: pd.DataFrame, ann: Annotation, params: CallerParams):
    """The sheet's blast fraction, else the largest clonal fraction among the sample's
    events (gene windows and lost arms), reported as estimated; and the cell-fraction bound."""
    if blast_pct is not None and not (isinstance(blast_pct, float) and math.isnan(blast_pct)):
        p = blast_pct / 100.0
        return {"blast_fraction": p, "blast_low": None, "blast_high": None, "blast_source": "sheet"}, \
            min(1.0, p + params.blast_pct_tolerance)
    cands = []
    for key, pos in positions.items():
        f = fit_group(key.split("+"), pos, 1.0, params).fit
        if f.cell_fraction is not None:
            cands.append((f.cell_fraction, f.cf_low, f.cf_high))
    cands += [(r.cell_fraction, r.cf_low, r.cf_high) for r in arm_calls[arm_calls["called"]].itertuples()]
    if not cands:
        return {"blast_fraction": None, "blast_low": None, "blast_high": None,
                "blast_source": "unknown (no event to estimate from)"}, 1.0
    best = max(cands, key=lambda c: c[0])
    return {"blast_fraction": best[0], "blast_low": best[1], "blast_high": best[2], "blast_source": "estimated"}, \
        min(1.0, best[2])


# ---------------------------------------------------------------- the sample
@dataclass
class SampleCalls:
    sample: str
    qc: str
    status: str
    ikzf1_exons: pd.DataFrame
    units: pd.DataFrame
    genes: dict = field(default_factory=dict)
    ikzf1: dict = field(default_factory=dict)
    purity: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    positions: pd.DataFrame = None
    arms: pd.DataFrame = None
    junctions: pd.DataFrame = None   # the junctions reported (breakpoints.tsv)
    ikzf1plus: str = "NA"
    ukall_cna: str = "NA"
    bam_error: str | None = None     # the fault of a BAM that could not be read


def qc_verdict(metrics: dict, ik: pd.DataFrame, params: CallerParams) -> str:
    reasons = []
    if not (metrics["median_depth"] >= params.min_depth):
        reasons.append(f"median depth {comparison(metrics['median_depth'], '<', params.min_depth, 'x')}")
    if not (metrics["noise"] <= params.max_noise):
        reasons.append(f"noise {comparison(metrics['noise'], '>', params.max_noise)}")
    covered = int((ik["n_bins"] > 0).sum())
    if covered < params.min_ikzf1_exons_with_data:
        reasons.append(f"{covered}/8 IKZF1 exons covered")
    return "pass" if not reasons else "fail:" + "; ".join(reasons)


def units_of(fits: dict[str, GroupFit]) -> pd.DataFrame:
    """The exon units of every group with their states (1-based coordinates)."""
    parts = []
    for gf in fits.values():
        ex = gf.positions[gf.positions["kind"] == "exon"]
        parts.append(ex.assign(start=ex["start"] + 1)[["gene", "exon", "chrom", "start", "end", "n_bins", "log2",
                                                      "se", "depth", "state"]])
    return pd.concat(parts).sort_values(["chrom", "start", "gene"]).reset_index(drop=True)


def call_sample(sample: str, bins: pd.DataFrame, ann: Annotation, params: CallerParams, blast_pct: float | None,
                read_length: float) -> SampleCalls:
    """Everything for one sample, from bin log2 ratios to gene-level calls."""
    pb = prepare_bins(bins, params, read_length)
    gains = chromosome_gains(pb.bins, params)
    positions = group_positions(pb, ann, params, gains)
    tested = tested_arms(ann)
    # not the gene windows (focal events), nor off-target bins too sparse for a Gaussian log2
    skip = in_windows(pb.bins, ann) | (pb.bins["offtarget"].to_numpy() & (pb.expected_reads < params.min_offtarget_reads))
    arm_calls = armlib.call_arms(armlib.arm_levels(pb.bins, ann.arms, params.min_arm_bins, skip), tested,
                                 params.false_positive_rate, params.arm_sd_floor, AUTOSOMES, params.gain_level)
    purity, f_max = purity_of(blast_pct, positions, arm_calls, ann, params)
    sheet = purity["blast_fraction"] if purity["blast_source"] == "sheet" else None
    fits = {key: fit_group(key.split("+"), pos, f_max, params, arm_for(pos, arm_calls, ann), sheet)
            for key, pos in positions.items()}
    units = units_of(fits)
    ik = units[units["gene"] == "IKZF1"]
    metrics = {**pb.metrics, "ikzf1_depth": float(np.nanmedian(ik["depth"])) if ik["n_bins"].sum() else 0.0,
               "gained_chromosomes": ",".join(sorted(gains))}
    qc = qc_verdict(metrics, ik, params)
    genes = genelib.gene_levels(units, ann.rules)
    ikzf1 = ikzf1_summary(fits["IKZF1"], arm_calls, ann)
    status = "deleted" if ikzf1["exons_deleted"] else "wildtype"
    if qc != "pass":
        status = "not_evaluable"
        genes = {g: "NA" for g in genes}
        ikzf1 = {**ikzf1, **NOT_EVALUABLE, "evidence": evidence_text(fits["IKZF1"], [])}
    iku = units[units["gene"] == "IKZF1"].assign(exon_n=lambda d: d["exon"].astype(int)).sort_values("exon_n")
    exon_table = genelib.ikzf1_exon_table(iku, purity["blast_fraction"], evaluable=qc == "pass")
    allpos = pd.concat([gf.positions for gf in fits.values()], ignore_index=True)
    return SampleCalls(sample, qc, status, exon_table, units, genes, ikzf1, purity, metrics, allpos, arm_calls)


# ---------------------------------------------------------------- a tumour, every decision
@dataclass(frozen=True)
class Tumour:
    """One tumour as the caller sees it: its sheet row (subtype, age_group, blast_pct), its
    bias-corrected and denoised bins, its read length, the junctions its coverage pass
    found (coverage/{sample}.junctions.tsv) and the median fragment length of its pairs."""
    sample: str
    row: dict
    bins: pd.DataFrame
    read_length: float
    junctions: pd.DataFrame
    fragment: float | None = None


@dataclass(frozen=True)
class Caller:
    """What every tumour of a batch is called with: the annotation, the caller's settings,
    the junction rules (config `junctions`, min_clip), config `ikzf1plus_pax5`, and a FASTA
    (pysam.FastaFile, or None) for the RSS check at junction ends."""
    ann: Annotation
    params: CallerParams
    junction_rules: JunctionRules
    min_clip: int
    pax5_mode: str
    fasta: object = None


def sheet_blast_pct(row: dict) -> float | None:
    """The sheet's blast percentage, None where it is empty."""
    blast = row.get("blast_pct")
    return None if blast is None or pd.isna(blast) else float(blast)


def call(t: Tumour, c: Caller) -> SampleCalls:
    """Every call of a tumour: the depth calls (call_sample), its junctions placed and
    reconciled with them (IKZF1: confirmed, retyped, or called from a junction below the
    depth limit), then IKZF1plus and UKALL-CNA from the final calls."""
    res = call_sample(t.sample, t.bins, c.ann, c.params, sheet_blast_pct(t.row), t.read_length)
    bps = breakpoints(t.junctions, Placement(c.ann.units, c.ann.windows, local_depth(t.bins), t.read_length, c.min_clip,
                                             t.fragment, c.fasta))
    if res.qc == "pass":
        res.status, res.ikzf1, bps = reconcile(res.status, res.ikzf1, bps, c.junction_rules)
    elif len(bps):
        bps = bps[strong(bps, c.junction_rules.min_support, c.junction_rules.min_pairs_alone)]
    res.junctions = bps
    res.ikzf1plus, res.ukall_cna = classify.risk(t.row, res.status, res.genes, c.ann.rules, c.pax5_mode)
    return res


def failed(sample: str, row: dict, rules: dict, reason: str) -> SampleCalls:
    """The calls of a tumour whose BAM could not be read (stages.coverage writes why): not
    evaluable, every gene NA, the reason (fault, file, fix) in `qc`."""
    blast = sheet_blast_pct(row)
    purity = {"blast_fraction": None if blast is None else blast / 100.0, "blast_low": None, "blast_high": None,
              "blast_source": "sheet" if blast is not None else "NA"}
    return SampleCalls(sample, "fail: " + reason.replace("\t", " ").replace("\n", " "), "not_evaluable",
                       pd.DataFrame(), pd.DataFrame(), {g: "NA" for g in gene_columns(rules)}, dict(NOT_EVALUABLE),
                       purity, {"median_depth": None, "noise": None}, junctions=pd.DataFrame(columns=BREAKPOINT_COLS),
                       bam_error=reason)
