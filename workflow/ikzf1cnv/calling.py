"""Per-sample calling: CNVkit bin log2 ratios -> gene windows and chromosome arms -> calls.

Pure functions over DataFrames. Inputs:
  bins : one row per bin (chromosome, start, end, log2, depth, spread, offtarget), the
         sample's log2 ratios against the reference (CNVkit `fix` output), target and
         off-target bins (`offtarget` True for CNVkit's antitarget bins)
  Annotation : the exon units (gene, exon, chrom, start, end; 1-based inclusive), the
         chromosome arms, the IKZF1 introns and the rules (rules.yaml)

Each group of genes is modelled over every position of its window (window.py): exon
units, intronic and flanking target bins, off-target bins. Each arm's level is tested
for a loss (arms.py); a group inside a lost arm takes the arm's loss, and is then
modelled relative to the arm for further (e.g. biallelic) losses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import arms as armlib
from . import genes as genelib
from . import labels, lod, window
from .bins import AUTOSOMES, PreparedBins, chromosome_gains, prepare_bins
from .model import Fit, ModelParams, fit


@dataclass(frozen=True)
class CallerParams:
    """The caller's settings: built from the validated config (from_config), whose schema
    holds every default; no defaults here but the two constants below."""
    model: ModelParams
    sd_floor: float
    offtarget_sd_floor: float
    min_offtarget_reads: float
    arm_sd_floor: float
    min_arm_bins: int
    false_positive_rate: float
    blast_pct_tolerance: float
    blast_pct_sd: float
    recentre_bandwidth: float
    gain_level: float
    min_depth: float
    max_noise: float
    min_ikzf1_exons_with_data: int
    min_bins_per_chrom: int = 3  # a chromosome's median (recentring, gains) needs this many bins
    # ((n_positions, switch_penalty), ...) ascending: the calibrated penalty for a window of
    # up to n positions at the configured false-positive rate; empty = model's penalty
    penalty_table: tuple = ()

    def model_for(self, n_units: int) -> ModelParams:
        """Model parameters for a window of n_units positions."""
        for n, pen in self.penalty_table:
            if n_units <= n:
                return replace(self.model, switch_penalty=pen)
        if self.penalty_table:
            return replace(self.model, switch_penalty=self.penalty_table[-1][1])
        return self.model

    @classmethod
    def from_config(cls, caller: dict, qc: dict, calibration: pd.DataFrame | None = None,
                    whole_genome: bool = False) -> "CallerParams":
        """From the validated config. Without an explicit caller.switch_penalty, the penalty
        comes from the calibration table at caller.false_positive_rate. In whole-genome mode
        the depth threshold is qc.min_depth_genome."""
        table = ()
        pen = caller.get("switch_penalty")
        if pen is None:
            if calibration is None:
                raise ValueError("caller.switch_penalty is not set and no calibration table was given")
            c = calibration[np.isclose(calibration["fp_rate"], caller["false_positive_rate"])]
            if c.empty:
                raise ValueError(f"caller.false_positive_rate {caller['false_positive_rate']} is not in the "
                                 f"calibration table (rates: {sorted(set(calibration['fp_rate']))})")
            table = tuple((int(n), float(p)) for n, p in sorted(zip(c["n_units"], c["switch_penalty"])))
            pen = table[-1][1]
        m = ModelParams(switch_penalty=float(pen), biallelic_penalty=caller["biallelic_penalty"],
                        f_min=caller["min_cell_fraction"], huber_k=caller["huber_k"])
        return cls(model=m, sd_floor=caller["sd_floor"], offtarget_sd_floor=caller["offtarget_sd_floor"],
                   min_offtarget_reads=caller["min_offtarget_reads"], arm_sd_floor=caller["arm_sd_floor"],
                   min_arm_bins=caller["min_arm_bins"],
                   false_positive_rate=caller["false_positive_rate"],
                   blast_pct_tolerance=caller["blast_pct_tolerance"], blast_pct_sd=caller["blast_pct_sd"],
                   recentre_bandwidth=caller["recentre_bandwidth"], gain_level=caller["gain_level"],
                   min_depth=qc["min_depth_genome"] if whole_genome else qc["min_depth"], max_noise=qc["max_noise"],
                   min_ikzf1_exons_with_data=qc["min_ikzf1_exons_with_data"], penalty_table=table)


@dataclass(frozen=True)
class Annotation:
    """What the caller needs to know about the genome: exon units of the called genes,
    chromosome arms, IKZF1 introns, and the rules (rules.yaml)."""
    units: pd.DataFrame
    arms: pd.DataFrame
    introns: pd.DataFrame
    rules: dict


# ---------------------------------------------------------------- gene windows
@dataclass
class GroupFit:
    genes: list[str]
    positions: pd.DataFrame  # window positions with 'state'
    fit: Fit
    penalty: float
    arm: dict | None = None  # the lost arm the group lies in (its row of the arm calls)


def fit_group(genes: list[str], pos: pd.DataFrame, f_max: float, params: CallerParams,
              arm: dict | None = None, blast: float | None = None) -> GroupFit:
    """Fit the model over a group's window (cell fractions above the sheet's blast
    fraction `blast` at a cost: model.purity_cost). Inside a lost arm, the positions are
    modelled relative to the arm's level and every position carries the arm's loss (state + 1)."""
    p = params.model_for(len(pos))
    l2 = pos["log2"].to_numpy(dtype=float) - (arm["level"] if arm else 0.0)
    f = fit(l2, pos["se"].to_numpy(dtype=float), f_max=f_max, params=p, blast=blast, blast_sd=params.blast_pct_sd)
    states = np.asarray(f.states)
    if arm:
        states = np.minimum(states + 1, 2)
    return GroupFit(genes, pos.assign(state=states), f, p.switch_penalty, arm)


def tested_arms(ann: Annotation) -> list[str]:
    """Both arms of every autosome that holds a called gene (rules.yaml `genes`)."""
    chroms = set(ann.units.loc[ann.units["gene"].isin(ann.rules["genes"]), "chrom"]) & set(AUTOSOMES)
    return sorted(ann.arms.loc[ann.arms["chrom"].isin(chroms), "arm"])


def group_positions(pb: PreparedBins, ann: Annotation, params: CallerParams,
                    gains: dict[str, float]) -> dict[str, pd.DataFrame]:
    """Every group's window positions, measured against a gained chromosome's own level."""
    exons, in_exon = window.exon_positions(pb.bins, pb.var, ann.units)
    arrays = window.bin_arrays(pb.bins)
    out = {}
    for grp in genelib.model_groups(ann.rules):
        pos = window.window_positions(grp, exons, pb.bins, pb.var, in_exon, ann.units, ann.rules["windows"],
                                      params.min_offtarget_reads, pb.expected_reads, arrays)
        out[window.group_key(grp)] = pos.assign(log2=pos["log2"] - pos["chrom"].map(gains).fillna(0.0))
    return out


def in_windows(bins: pd.DataFrame, ann: Annotation) -> np.ndarray:
    """Bins inside any group's window."""
    out = np.zeros(len(bins), dtype=bool)
    chrom = bins["chromosome"].to_numpy(dtype=object)
    bs, be = bins["start"].to_numpy(), bins["end"].to_numpy()
    wins = window.group_windows(ann.units, ann.rules).values()
    for c in {w[0] for w in wins}:
        on = chrom == c
        for _, s, e in (w for w in wins if w[0] == c):
            out |= on & (be > s) & (bs < e)
    return out


def arm_for(pos: pd.DataFrame, arm_calls: pd.DataFrame, ann: Annotation) -> dict | None:
    """The called-lost arm a window lies in, if any."""
    lost = arm_calls[arm_calls["called"].to_numpy(dtype=bool)]
    if lost.empty:
        return None
    ex = pos[pos["kind"] == "exon"]
    mid = int((ex["start"].min() + ex["end"].max()) // 2)
    name = armlib.arm_of(ann.arms, str(ex["chrom"].iloc[0]), mid)
    hit = lost[lost["arm"] == name]
    return hit.iloc[0].to_dict() if len(hit) else None


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


def qc_verdict(metrics: dict, ik: pd.DataFrame, params: CallerParams) -> str:
    reasons = []
    if not (metrics["median_depth"] >= params.min_depth):
        reasons.append(f"median depth {metrics['median_depth']:.0f}x < {params.min_depth:g}x")
    if not (metrics["noise"] <= params.max_noise):
        reasons.append(f"noise {metrics['noise']:.2f} > {params.max_noise:g}")
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
    ikzf1 = ikzf1_summary(fits["IKZF1"], arm_calls, ann, tested)
    status = "deleted" if ikzf1["exons_deleted"] else "wildtype"
    if qc != "pass":
        status = "not_evaluable"
        genes = {g: "NA" for g in genes}
        ikzf1 = {**ikzf1, "deletion": "NA", "exons_deleted": "", "exons_biallelic": "", "cell_fraction": None,
                 "cf_low": None, "cf_high": None, "mechanism": "NA", "lod": "NA",
                 "evidence": evidence_text(fits["IKZF1"], [])}
    iku = units[units["gene"] == "IKZF1"].assign(exon_n=lambda d: d["exon"].astype(int)).sort_values("exon_n")
    exon_table = genelib.ikzf1_exon_table(iku, purity["blast_fraction"], evaluable=qc == "pass")
    allpos = pd.concat([gf.positions for gf in fits.values()], ignore_index=True)
    return SampleCalls(sample, qc, status, exon_table, units, genes, ikzf1, purity, metrics, allpos, arm_calls)


def ikzf1_summary(gf: GroupFit, arm_calls: pd.DataFrame, ann: Annotation, tested: list[str]) -> dict:
    """IKZF1's label, cell fraction, how it was lost, the evidence and the limits of detection."""
    pos = gf.positions
    ex = pos[(pos["kind"] == "exon") & (pos["gene"] == "IKZF1") & (pos["n_bins"] > 0)]
    order = ex["exon"].astype(int)
    lost = sorted(int(e) for e, s in zip(order, ex["state"]) if s > 0)
    bial = sorted(int(e) for e, s in zip(order, ex["state"]) if s == 2)
    f, arm = gf.fit, gf.arm
    if arm:
        cf = (arm["cell_fraction"], arm["cf_low"], arm["cf_high"])
    else:
        cf = (f.cell_fraction, f.cf_low, f.cf_high) if lost else (None, None, None)
    limits = {name: lod.limit(pos, lod.type_interval(ann.units, ann.introns, "IKZF1", a, b), gf.penalty)
              for name, (a, b) in ann.rules["lod_types"]["IKZF1"].items()}
    return {"deletion": labels.deletion_label(lost), "exons_deleted": labels.exon_list(lost),
            "exons_biallelic": labels.exon_list(bial), "cell_fraction": cf[0], "cf_low": cf[1], "cf_high": cf[2],
            "llr": f.llr, "mechanism": mechanism(gf, lost, arm_calls), "lod": lod.label(limits),
            "evidence": evidence_text(gf, lost)}


def mechanism(gf: GroupFit, lost: list[int], arm_calls: pd.DataFrame) -> str:
    """How IKZF1 was lost: arm (its arm called lost), chromosome (both arms), focal (a
    position with data and no loss on both sides of the deleted run, inside the window),
    interstitial (the run reaches the window's edge through positions beyond the gene:
    it goes on past the window). NA when there is no deletion, or when a side of the run
    is not bounded by anything measured (e.g. a del1-8 on a panel without flanking probes)."""
    if not lost:
        return "NA"
    if gf.arm:
        same = arm_calls[(arm_calls["chrom"] == gf.arm["chrom"])]
        return "chromosome" if len(same) >= 2 and same["called"].all() else "arm"
    pos = gf.positions
    data = np.isfinite(pos["log2"].to_numpy(dtype=float))
    st = pos["state"].to_numpy()
    ik = ((pos["kind"] == "exon") & (pos["gene"] == "IKZF1")).to_numpy()
    beyond = pos["kind"].isin(["flank", "offtarget"]).to_numpy() & data
    verdicts = set()
    for a, b in window.runs(st):
        if not ik[a:b + 1].any():
            continue
        left, right = data[:a].any(), data[b + 1:].any()
        if left and right:
            verdicts.add("focal")
        elif (not left and beyond[a]) or (not right and beyond[b]):
            verdicts.add("interstitial")
        else:
            verdicts.add("NA")
    for v in ("interstitial", "NA", "focal"):
        if v in verdicts:
            return v
    return "NA"


def evidence_text(gf: GroupFit, lost: list[int]) -> str:
    """Which positions a call rests on: the deleted runs' (or, wild type, the window's)
    exon, intronic, flanking and off-target bins; and the arm when its loss was taken."""
    pos = gf.positions
    if lost and not gf.arm:
        st = pos["state"].to_numpy()
        keep = np.zeros(len(pos), dtype=bool)
        ik = ((pos["kind"] == "exon") & (pos["gene"] == "IKZF1")).to_numpy()
        for a, b in window.runs(st):
            if ik[a:b + 1].any():
                keep[a:b + 1] = True
        return "deleted run: " + window.evidence(pos[keep])
    text = "window: " + window.evidence(pos)
    return f"arm {gf.arm['arm']} ({int(gf.arm['n_bins'])} bins); {text}" if gf.arm else text
