"""Gene-level summaries of the model's states in the contract's vocabularies, and the
per-exon IKZF1 table."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .purity import tumour_copy_number


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
    """P2RY8-CRLF2 pattern: every `lost` gene has >= min_fraction of its units lost and every
    `kept` gene at most kept_max_fraction (its unit next to the breakpoint may be drawn into
    the run by noise; a deletion that takes CRLF2 takes all of it)."""
    d = units[units["n_bins"] > 0]
    frac = d.assign(lost=d["state"] > 0).groupby("gene")["lost"].mean()
    if any(g not in frac.index for g in rule["lost"]):
        return "none"
    if all(frac[g] >= rule["min_fraction"] for g in rule["lost"]) and \
            not any(frac.get(g, 0.0) > rule["kept_max_fraction"] for g in rule["kept"]):
        return "deleted"
    return "none"


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


def gene_levels(units: pd.DataFrame, rules: dict) -> dict[str, str]:
    """Every called gene's level but IKZF1's (rules.yaml `genes`), PAR1's by its pattern."""
    out = {}
    gene, state, has = units["gene"].to_numpy(dtype=object), units["state"].to_numpy(), units["n_bins"].to_numpy() > 0
    for g, kind in rules["genes"].items():
        if kind == "par1":
            out[g] = par1_level(units[np.isin(gene, rules["par1"]["context"])], rules["par1"])
        elif kind != "exons":
            on = gene == g
            out[g] = gene_level(kind, state[on].tolist(), has[on].tolist())
    return out
