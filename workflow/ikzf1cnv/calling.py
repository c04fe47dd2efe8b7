"""Per-sample calling: CNVkit bin log2 ratios -> exon units -> gene calls.

Pure functions over DataFrames. Inputs:
  bins   : one row per target bin (chromosome, start, end, log2, depth, spread), with the
           sample's log2 ratios against the reference (CNVkit `fix` output, targets only)
  units  : the annotation's exon units (gene, exon, chrom, start, end), 1-based inclusive
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import labels
from .model import Fit, ModelParams, fit
from .purity import tumour_copy_number

LN2 = math.log(2.0)
AUTOSOMES = tuple(f"chr{i}" for i in range(1, 23))


@dataclass(frozen=True)
class CallerParams:
    model: ModelParams = ModelParams()
    sd_floor: float = 0.05
    blast_pct_tolerance: float = 0.20
    recentre_bandwidth: float = 0.10
    gain_level: float = 0.15
    min_bins_per_chrom: int = 3
    min_depth: float = 30.0
    max_noise: float = 0.30
    min_ikzf1_exons_with_data: int = 8
    # ((n_units, switch_penalty), ...) ascending: the calibrated penalty for a gene of up
    # to n_units exon units at the configured false-positive rate; empty = model's penalty
    penalty_table: tuple = ()

    def model_for(self, n_units: int) -> ModelParams:
        """Model parameters for a gene of n_units exon units."""
        for n, pen in self.penalty_table:
            if n_units <= n:
                return replace(self.model, switch_penalty=pen)
        if self.penalty_table:
            return replace(self.model, switch_penalty=self.penalty_table[-1][1])
        return self.model

    @classmethod
    def from_config(cls, caller: dict, qc: dict, calibration: pd.DataFrame | None = None) -> "CallerParams":
        """From the validated config. Without an explicit caller.switch_penalty, the penalty
        comes from the calibration table at caller.false_positive_rate."""
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
                        f_min=caller["min_cell_fraction"])
        return cls(model=m, sd_floor=caller["sd_floor"], blast_pct_tolerance=caller["blast_pct_tolerance"],
                   recentre_bandwidth=caller["recentre_bandwidth"], gain_level=caller["gain_level"],
                   min_depth=qc["min_depth"],
                   max_noise=qc["max_noise"], min_ikzf1_exons_with_data=qc["min_ikzf1_exons_with_data"],
                   penalty_table=table)


# ---------------------------------------------------------------- bins
def chromosome_levels(bins: pd.DataFrame, min_bins: int) -> pd.DataFrame:
    """Median log2 and bin count per autosome (chromosomes with at least min_bins bins)."""
    a = bins[bins["chromosome"].isin(AUTOSOMES) & np.isfinite(bins["log2"])]
    g = a.groupby("chromosome", sort=True)["log2"].agg(["median", "size"])
    return g[g["size"] >= min_bins]


def recentre_shift(bins: pd.DataFrame, bandwidth: float, min_bins: int) -> float:
    """The log2 of the sample's most common copy-number state.

    CNVkit centres on the median bin, which whole-chromosome gains (hyperdiploidy) or a
    large loss can drag. Here each autosome votes with its median; the level shared by
    the most bins (within +-bandwidth) wins, and the shift is the bin-weighted mean of the
    chromosome medians in that window. Ties go to the level nearest 0.
    """
    lv = chromosome_levels(bins, min_bins)
    if lv.empty:
        return 0.0
    m = lv["median"].to_numpy()
    n = lv["size"].to_numpy()
    score = np.array([n[np.abs(m - x) <= bandwidth].sum() for x in m])
    best = np.flatnonzero(score == score.max())
    x = m[best[np.argmin(np.abs(m[best]))]]
    win = np.abs(m - x) <= bandwidth
    return float(np.sum(m[win] * n[win]) / np.sum(n[win]))


def bin_variance(bins: pd.DataFrame, read_length: float) -> np.ndarray:
    """Prior variance of each bin's log2: the reference's spread plus read-count noise."""
    nreads = np.maximum(bins["depth"].to_numpy() * (bins["end"] - bins["start"]).to_numpy() / read_length, 1.0)
    spread = np.nan_to_num(bins["spread"].to_numpy(dtype=float), nan=0.0)
    return spread ** 2 + 1.0 / (LN2 ** 2 * nreads)


def robust_sd(x) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 3:
        return float("nan")
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


def noise_scale(bins: pd.DataFrame, var: np.ndarray, min_bins: int) -> float:
    """Factor by which the prior variances understate this sample's real scatter:
    the squared robust SD of standardised residuals around each autosome's median."""
    a = bins["chromosome"].isin(AUTOSOMES).to_numpy() & np.isfinite(bins["log2"].to_numpy())
    if a.sum() < 10:
        return 1.0
    med = bins[a].groupby("chromosome")["log2"].transform("median").to_numpy()
    z = (bins["log2"].to_numpy()[a] - med) / np.sqrt(var[a])
    sd = robust_sd(z)
    return float(sd ** 2) if math.isfinite(sd) and sd > 0 else 1.0


def sample_noise(bins: pd.DataFrame) -> float:
    """Bin-to-bin noise: robust SD of differences of neighbouring autosomal bins / sqrt 2."""
    d = []
    for _, g in bins[bins["chromosome"].isin(AUTOSOMES)].groupby("chromosome", sort=True):
        d.append(np.diff(g.sort_values("start")["log2"].to_numpy()))
    if not d:
        return float("nan")
    return robust_sd(np.concatenate(d)) / math.sqrt(2.0)


# ---------------------------------------------------------------- units
def summarise_units(bins: pd.DataFrame, var: np.ndarray, scale: float, units: pd.DataFrame,
                    sd_floor: float) -> pd.DataFrame:
    """Inverse-variance mean log2 per exon unit over the target bins that overlap it."""
    out = []
    byc = {c: (g, var[g.index.to_numpy()]) for c, g in bins.reset_index(drop=True).groupby("chromosome", sort=False)}
    for u in units.itertuples(index=False):
        g, v = byc.get(u.chrom, (None, None))
        if g is None:
            sel = np.zeros(0, dtype=bool)
        else:
            sel = ((g["start"].to_numpy() < u.end) & (g["end"].to_numpy() > u.start - 1)
                   & np.isfinite(g["log2"].to_numpy()))
        n = int(sel.sum())
        if n:
            w = 1.0 / v[sel]
            l2 = float(np.sum(w * g["log2"].to_numpy()[sel]) / np.sum(w))
            se = math.sqrt(scale / np.sum(w) + sd_floor ** 2)
            depth = float(np.median(g["depth"].to_numpy()[sel]))
        else:
            l2, se, depth = float("nan"), float("nan"), float("nan")
        out.append({"gene": u.gene, "exon": str(u.exon), "chrom": u.chrom, "start": int(u.start),
                    "end": int(u.end), "n_bins": n, "log2": l2, "se": se, "depth": depth})
    return pd.DataFrame(out)


def relative_to_gained_chromosomes(units: pd.DataFrame, bins: pd.DataFrame, params: "CallerParams"):
    """On a gained chromosome (its median log2 above gain_level: +21 over ERG, +X over PAR1
    in hyperdiploid ALL) a deletion removes a copy from the gained level, not from two;
    measure those genes against their chromosome's own level. Losses of whole chromosomes
    are left alone: monosomy 7 is a deletion of IKZF1."""
    lv = bins[np.isfinite(bins["log2"])].groupby("chromosome")["log2"].agg(["median", "size"])
    lv = lv[lv["size"] >= params.min_bins_per_chrom]
    gained = sorted(c for c, m in lv["median"].items() if m > params.gain_level)
    if not gained:
        return units, []
    shift = units["chrom"].map(lambda c: lv.loc[c, "median"] if c in gained else 0.0)
    return units.assign(log2=units["log2"] - shift), gained


# ---------------------------------------------------------------- genes
@dataclass
class GroupFit:
    genes: list[str]
    units: pd.DataFrame  # with 'state'
    fit: Fit


def fit_group(units: pd.DataFrame, f_max: float, params: CallerParams) -> GroupFit:
    u = units.sort_values(["chrom", "start"]).reset_index(drop=True)
    p = params.model_for(len(u))
    f = fit(u["log2"].to_numpy(), u["se"].to_numpy(), f_max=f_max, params=p)
    u = u.assign(state=f.states)
    return GroupFit(sorted(u["gene"].unique()), u, f)


def gene_level(kind: str, states: list[int], has_data: list[bool]) -> str:
    """Summarise one gene's exon states in the contract's vocabulary."""
    st = [s for s, d in zip(states, has_data) if d]
    lost = [s > 0 for s in st]
    if kind == "zygosity":
        return "hom" if any(s == 2 for s in st) else ("het" if any(lost) else "none")
    if kind == "extent":
        if not any(lost):
            return "none"
        return "whole" if all(lost) else "partial"
    if kind == "any":
        return "deleted" if any(lost) else "none"
    raise ValueError(f"unknown gene kind {kind!r}")


def par1_level(units: pd.DataFrame, rule: dict) -> str:
    """P2RY8-CRLF2 pattern: every `lost` gene has >= min_fraction of its units lost and no
    `kept` gene has any unit lost."""
    d = units[units["n_bins"] > 0]
    frac = d.assign(lost=d["state"] > 0).groupby("gene")["lost"].mean()
    if any(g not in frac.index for g in rule["lost"]):
        return "none"
    if all(frac[g] >= rule["min_fraction"] for g in rule["lost"]) and \
            not any(frac.get(g, 0.0) > 0 for g in rule["kept"]):
        return "deleted"
    return "none"


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


def _groups(rules: dict) -> list[list[str]]:
    grouped = [list(g) for g in rules.get("groups", [])] + [list(rules["par1"]["context"])]
    seen = {g for grp in grouped for g in grp}
    return grouped + [[g] for g in rules["genes"] if g not in seen]


def call_sample(sample: str, bins: pd.DataFrame, units_ann: pd.DataFrame, rules: dict,
                params: CallerParams, blast_pct: float | None, read_length: float) -> SampleCalls:
    """Everything for one sample, from target-bin log2 ratios to gene-level calls."""
    bins = bins.reset_index(drop=True)
    shift = recentre_shift(bins, params.recentre_bandwidth, params.min_bins_per_chrom)
    bins = bins.assign(log2=bins["log2"] - shift)
    var = bin_variance(bins, read_length)
    scale = noise_scale(bins, var, params.min_bins_per_chrom)
    noise = sample_noise(bins)
    units = summarise_units(bins, var, scale, units_ann, params.sd_floor)
    units, gained = relative_to_gained_chromosomes(units, bins, params)
    ik = units[units["gene"] == "IKZF1"]
    # depth over the autosomal bins: not over IKZF1, whose depth a deletion lowers
    auto = bins["chromosome"].isin(AUTOSOMES)
    depth = float(np.nanmedian(bins.loc[auto, "depth"])) if auto.any() else 0.0
    ik_depth = float(np.nanmedian(ik["depth"])) if ik["n_bins"].sum() else 0.0
    metrics = {"median_depth": depth, "ikzf1_depth": ik_depth, "noise": noise,
               "noise_scale": scale, "recentre_shift": shift, "n_bins": int(len(bins)),
               "gained_chromosomes": ",".join(gained)}
    reasons = []
    if not (depth >= params.min_depth):
        reasons.append(f"median depth {depth:.0f}x < {params.min_depth:g}x")
    if not (noise <= params.max_noise):
        reasons.append(f"noise {noise:.2f} > {params.max_noise:g}")
    if int((ik["n_bins"] > 0).sum()) < params.min_ikzf1_exons_with_data:
        reasons.append(f"{int((ik['n_bins'] > 0).sum())}/8 IKZF1 exons covered")
    qc = "pass" if not reasons else "fail:" + "; ".join(reasons)

    groups = _groups(rules)
    # purity: the sheet's blast fraction, else the largest clonal fraction among events
    if blast_pct is not None and not (isinstance(blast_pct, float) and math.isnan(blast_pct)):
        p = blast_pct / 100.0
        purity = {"blast_fraction": p, "blast_low": None, "blast_high": None, "blast_source": "sheet"}
        f_max = min(1.0, p + params.blast_pct_tolerance)
    else:
        best = None
        for grp in groups:
            gf = fit_group(units[units["gene"].isin(grp)], 1.0, params)
            if gf.fit.cell_fraction is not None and (best is None or gf.fit.cell_fraction > best.cell_fraction):
                best = gf.fit
        if best is None:
            purity = {"blast_fraction": None, "blast_low": None, "blast_high": None,
                      "blast_source": "unknown (no event to estimate from)"}
            f_max = 1.0
        else:
            purity = {"blast_fraction": best.cell_fraction, "blast_low": best.cf_low,
                      "blast_high": best.cf_high, "blast_source": "estimated"}
            f_max = min(1.0, best.cf_high)

    fits = {}
    parts = []
    for grp in groups:
        gf = fit_group(units[units["gene"].isin(grp)], f_max, params)
        for g in grp:
            fits[g] = gf
        parts.append(gf.units)
    units = pd.concat(parts).sort_values(["chrom", "start", "gene"]).reset_index(drop=True)

    genes = {}
    for g, kind in rules["genes"].items():
        if g == "IKZF1":
            continue
        u = units[units["gene"] == g]
        genes[g] = gene_level(kind, u["state"].tolist(), (u["n_bins"] > 0).tolist())
    genes["PAR1"] = par1_level(units[units["gene"].isin(rules["par1"]["context"])], rules["par1"])

    iku = units[units["gene"] == "IKZF1"].copy()
    iku["exon_n"] = iku["exon"].astype(int)
    iku = iku.sort_values("exon_n")
    lost = [int(e) for e, s, n in zip(iku["exon_n"], iku["state"], iku["n_bins"]) if s > 0 and n > 0]
    bial = [int(e) for e, s, n in zip(iku["exon_n"], iku["state"], iku["n_bins"]) if s == 2 and n > 0]
    f = fits["IKZF1"].fit
    ikzf1 = {"deletion": labels.deletion_label(lost), "exons_deleted": labels.exon_list(lost),
             "exons_biallelic": labels.exon_list(bial),
             "cell_fraction": f.cell_fraction if lost else None,
             "cf_low": f.cf_low if lost else None, "cf_high": f.cf_high if lost else None,
             "llr": f.llr}
    status = "deleted" if lost else "wildtype"
    if qc != "pass":
        status = "not_evaluable"
        genes = {g: "NA" for g in genes}
        ikzf1 = {"deletion": "NA", "exons_deleted": "", "exons_biallelic": "", "cell_fraction": None,
                 "cf_low": None, "cf_high": None, "llr": f.llr}
    exon_table = ikzf1_exon_table(iku, purity["blast_fraction"], evaluable=qc == "pass")
    return SampleCalls(sample, qc, status, exon_table, units, genes, ikzf1, purity, metrics)


CALL_NAMES = {0: "normal", 1: "loss", 2: "biallelic_loss"}


def ikzf1_exon_table(iku: pd.DataFrame, purity: float | None, evaluable: bool) -> pd.DataFrame:
    """The contract's per-exon table. copy_number is the copy number in the tumour cells
    (purity-adjusted, assuming diploid normal cells); without a purity it is the mixture's
    average copy number. ci_low/ci_high bound copy_number (95%)."""
    rows = []
    for r in iku.itertuples(index=False):
        if r.n_bins == 0 or not math.isfinite(r.log2):
            cn = lo = hi = float("nan")
            call = "no_data"
        else:
            def cnf(x):
                return tumour_copy_number(x, purity) if purity else 2.0 * 2.0 ** x
            cn, lo, hi = cnf(r.log2), cnf(r.log2 - 1.96 * r.se), cnf(r.log2 + 1.96 * r.se)
            cn, lo, hi = (max(x, 0.0) for x in (cn, lo, hi))
            call = CALL_NAMES[int(r.state)] if evaluable else "NA"
        rows.append({"exon": int(r.exon), "chrom": r.chrom, "start": int(r.start), "end": int(r.end),
                     "n_bins": int(r.n_bins), "log2": r.log2, "copy_number": cn, "ci_low": lo,
                     "ci_high": hi, "call": call, "se": r.se, "ratio": 2.0 ** r.log2 if r.n_bins else float("nan"),
                     "depth": r.depth})
    return pd.DataFrame(rows)
