"""A tumour's depth calls, from its bins' log2 ratios: the gene windows and arms modelled
(caller.groups, caller.arms), its purity, QC, gene levels and IKZF1's summary
(call_sample). caller.tumour adds the junctions, sex and risk classifications."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.constants import AUTOSOMES
from ..core.tables import comparison
from . import arms as armlib
from . import genes as genelib
from .groups import GroupFit, arm_for, fit_group, group_positions, in_windows, tested_arms
from .ikzf1 import NOT_EVALUABLE, evidence_text, ikzf1_summary, retype
from .params import Annotation, CallerParams
from .prepare import chromosome_gains, prepare_bins
from . import zygosity


def purity_of(blast_pct, positions: dict, arm_calls: pd.DataFrame, ann: Annotation, params: CallerParams):
    """The sheet's blast fraction; without it, the largest clonal fraction among the sample's
    events (gene windows and lost arms) with its interval, named for what it is: the
    fraction of cells of the largest clone, a lower bound of the blast fraction (not a blast
    count). And the bound on cell fractions: the blast fraction (plus its tolerance), else
    the largest clone's upper limit."""
    none = {"clone_fraction": None, "clone_low": None, "clone_high": None}
    if blast_pct is not None and not (isinstance(blast_pct, float) and math.isnan(blast_pct)):
        p = blast_pct / 100.0
        return {"blast_fraction": p, "blast_source": "sheet", **none}, min(1.0, p + params.blast_pct_tolerance)
    cands = []
    for key, pos in positions.items():
        f = fit_group(key.split("+"), pos, 1.0, params).fit
        if f.cell_fraction is not None:
            cands.append((f.cell_fraction, f.cf_low, f.cf_high))
    cands += [(r.cell_fraction, r.cf_low, r.cf_high) for r in arm_calls[arm_calls["called"]].itertuples()]
    if not cands:
        return {"blast_fraction": None, "blast_source": "not given", **none}, 1.0
    best = max(cands, key=lambda c: c[0])
    return {"blast_fraction": None, "blast_source": "not given", "clone_fraction": best[0], "clone_low": best[1],
            "clone_high": best[2]}, min(1.0, best[2])


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
    sex: dict = field(default_factory=dict)   # caller.tumour.sample_sex
    zygosity: list = field(default_factory=list)   # caller.zygosity.unresolved: hom calls that could be het


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


UNIT_COLS = ["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth", "state"]


def _rank(values: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values sorted (as pandas sorts a text column)."""
    return np.unique(values, return_inverse=True)[1].reshape(-1)


def units_of(fits: dict[str, GroupFit]) -> pd.DataFrame:
    """The exon units of every group with their states (1-based coordinates), sorted by
    chromosome, start and gene (stable, as pandas' sort_values on the three)."""
    cols = {c: [] for c in UNIT_COLS}
    for gf in fits.values():
        pos = gf.positions
        ex = pos["kind"].to_numpy(dtype=object) == "exon"
        for c in UNIT_COLS:
            v = pos[c].to_numpy()[ex]
            cols[c].append(v + 1 if c == "start" else v)
    arr = {c: np.concatenate(v) if v else np.zeros(0) for c, v in cols.items()}
    order = np.lexsort((_rank(arr["gene"]), arr["start"], _rank(arr["chrom"]))) if len(arr["gene"]) else []
    return pd.DataFrame({c: arr[c][order] for c in UNIT_COLS}, columns=UNIT_COLS)


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
    fits["IKZF1"], alt, odds = retype(fits["IKZF1"], params.type_prior)
    ikzf1 = {**ikzf1_summary(fits["IKZF1"], arm_calls, ann), "deletion_alt": alt, "deletion_alt_lr": odds}
    status = "deleted" if ikzf1["exons_deleted"] else "wildtype"
    if qc != "pass":
        status = "not_evaluable"
        genes = {g: "NA" for g in genes}
        ikzf1 = {**ikzf1, **NOT_EVALUABLE, "evidence": evidence_text(fits["IKZF1"], [])}
    iku = units[units["gene"] == "IKZF1"].assign(exon_n=lambda d: d["exon"].astype(int)).sort_values("exon_n")
    # copy number in the tumour cells: the blast fraction's, else the largest clone's cells'
    exon_table = genelib.ikzf1_exon_table(iku, purity["blast_fraction"] or purity["clone_fraction"],
                                          evaluable=qc == "pass")
    allpos = pd.concat([gf.positions for gf in fits.values()], ignore_index=True)
    zyg = zygosity.unresolved(fits, genes, ann.rules["genes"], params.model.ci_drop) if qc == "pass" else []
    return SampleCalls(sample, qc, status, exon_table, units, genes, ikzf1, purity, metrics, allpos, arm_calls,
                       zygosity=zyg)
