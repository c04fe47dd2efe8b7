"""A homozygous loss the data cannot tell from a heterozygous one in twice the cells.

Both copies lost in a fraction p of the cells and one copy lost in 2p read the same log2
ratio, log2(1 - p). The model tells them apart only through the cell fractions it allows:
2p above the sheet's blast count costs 0.5((2p - blast)/blast_pct_sd)^2 (model.purity_cost),
above the bound it is not allowed at all, and a second hit costs biallelic_penalty. When
the heterozygous reading (the group fitted with no position at two copies lost) costs less
than the model's ci_drop more than the homozygous one (ci_drop: half the chi-square(1)
95% point, the drop that bounds the cell fraction's interval), the data do not decide.
IKZF1plus counts only a *homozygous* CDKN2A/B loss (rules.yaml `ikzf1plus.partners`), so
such a gene goes to the rules as 'het or hom', and classify.robust makes IKZF1plus NA
where the two readings give different verdicts (a blast count 10 points low turned a
heterozygous CDKN2A in 76% of cells into a homozygous one in 38%, and a false 'yes').

A group inside a lost arm is fitted against the arm's level; its zygosity rests on the
arm call and is not re-weighed here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Unresolved:
    """A gene read hom in `hom_fraction` of the cells whose het reading (best in
    `het_fraction`) costs only `gap` more (the model's cost units: ln of the odds)."""
    gene: str
    hom_fraction: float
    het_fraction: float
    gap: float


NO_SECOND_HIT = np.array([True, True, False])   # states 0, 1 allowed; 2 (both copies lost) not


def unresolved(fits: dict, genes: dict, kinds: dict, ci_drop: float) -> list[Unresolved]:
    """The genes of kind 'zygosity' read 'hom' whose heterozygous reading (the group
    refitted with no position at two copies lost) fits within ci_drop of the call.
    `fits`: group key -> groups.GroupFit; `genes`: gene -> level; `kinds`: rules.yaml
    `genes` (gene -> kind). Each fit's cost is its best over the cell fractions (the
    profile: a held path's own cost even where no deletion would fit better)."""
    out = []
    for key, gf in sorted(fits.items()):
        hom = [g for g in key.split("+") if kinds.get(g) == "zygosity" and genes.get(g) == "hom"]
        if not hom or gf.arm:
            continue
        alt = gf.refit(np.tile(NO_SECOND_HIT, (len(gf.positions), 1)))
        gap = float(np.min(alt.profile)) - float(np.min(gf.fit.profile))
        if gap < ci_drop:
            het_f = float(alt.grid[int(np.argmin(alt.profile))])
            out += [Unresolved(g, float(gf.fit.cell_fraction), het_f, gap) for g in hom]
    return out


def note(items: list[Unresolved]) -> str:
    """'CDKN2A homozygous in 38% of cells or heterozygous in 76%: the data do not tell
    (odds 1.6)'; several joined by '; '."""
    return "; ".join(f"{u.gene} homozygous in {u.hom_fraction:.0%} of cells or heterozygous in "
                     f"{u.het_fraction:.0%}: the data do not tell (odds {math.exp(u.gap):.1f})" for u in items)
