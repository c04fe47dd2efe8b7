"""Gene groups: each group's window positions (caller.window), the model fitted over them
(caller.model), and the arm a group lies in."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..core.bins import factorize_names
from ..core.annotation import group_key, model_groups
from ..core.constants import AUTOSOMES
from . import arms as armlib
from . import window
from .model import Fit, fit, fit_many
from .params import Annotation, CallerParams
from .prepare import PreparedBins



@dataclass
class GroupFit:
    genes: list[str]
    positions: pd.DataFrame  # window positions with 'state'
    fit: Fit
    penalty: float
    arm: dict | None = None  # the lost arm the group lies in (its row of the arm calls)
    refit: Callable | None = None   # refit(allowed): the same fit with states held (caller.types)

    def with_fit(self, f: Fit) -> "GroupFit":
        """The group with another fit of the same positions (a type held by caller.types)."""
        return replace(self, fit=f, positions=self.positions.assign(state=np.asarray(f.states)))


def fit_group(genes: list[str], pos: pd.DataFrame, f_max: float, params: CallerParams,
              arm: dict | None = None, blast: float | None = None) -> GroupFit:
    """Fit the model over a group's window (cell fractions above the sheet's blast
    fraction `blast` at a cost: model.purity_cost). Inside a lost arm, the positions are
    modelled relative to the arm's level and every position carries the arm's loss (state + 1)."""
    p = params.model_for(len(pos))
    l2 = pos["log2"].to_numpy(dtype=float) - (arm["level"] if arm else 0.0)
    se = pos["se"].to_numpy(dtype=float)

    def refit(allowed=None):
        return fit(l2, se, f_max=f_max, params=p, purity=(blast, params.blast_pct_sd), allowed=allowed)
    # several masks at once (caller.types: the candidate types side by side), the same fits
    refit.many = lambda masks: fit_many(l2, se, masks, f_max=f_max, params=p, purity=(blast, params.blast_pct_sd))
    f = refit()
    states = np.asarray(f.states)
    if arm:
        states = np.minimum(states + 1, 2)
    return GroupFit(genes, pos.assign(state=states), f, p.switch_penalty, arm, refit)


def tested_arms(ann: Annotation) -> list[str]:
    """Both arms of every autosome that holds a called gene (rules.yaml `genes`)."""
    chroms = set(ann.units.loc[ann.units["gene"].isin(ann.rules["genes"]), "chrom"]) & set(AUTOSOMES)
    return sorted(ann.arms.loc[ann.arms["chrom"].isin(chroms), "arm"])


def group_positions(pb: PreparedBins, ann: Annotation, params: CallerParams,
                    gains: dict[str, float]) -> dict[str, pd.DataFrame]:
    """Every group's window positions, measured against a gained chromosome's own level."""
    sb = window.sample_bins(pb.bins, pb.var, pb.expected_reads, ann.units)
    out = {}
    for grp in model_groups(ann.rules):
        key = group_key(grp)
        pos = window.window_positions(grp, sb, ann.units, ann.rules["windows"], params.min_offtarget_reads,
                                      ann.windows.get(key))
        if gains:   # less the gained chromosome's level (a group's window lies on one chromosome)
            pos = pos.assign(log2=pos["log2"] - pos["chrom"].map(gains).fillna(0.0))
        out[key] = pos
    return out


def in_windows(bins: pd.DataFrame, ann: Annotation) -> np.ndarray:
    """Bins inside any group's window."""
    out = np.zeros(len(bins), dtype=bool)
    codes, names = factorize_names(bins["chromosome"].to_numpy())
    code_of = {n: i for i, n in enumerate(names.tolist())}
    bs, be = bins["start"].to_numpy(), bins["end"].to_numpy()
    wins = ann.windows.values()
    for c in {w[0] for w in wins} & set(code_of):
        on = codes == code_of[c]
        for _, s, e in (w for w in wins if w[0] == c):
            out |= on & (be > s) & (bs < e)
    return out


def arm_for(pos: pd.DataFrame, arm_calls: pd.DataFrame, ann: Annotation) -> dict | None:
    """The called-lost arm a window lies in, if any."""
    called = arm_calls["called"].to_numpy(dtype=bool)
    if not called.any():
        return None
    ex = pos["kind"].to_numpy(dtype=object) == "exon"
    mid = int((pos["start"].to_numpy()[ex].min() + pos["end"].to_numpy()[ex].max()) // 2)
    name = armlib.arm_of(ann.arms, str(pos["chrom"].to_numpy(dtype=object)[ex][0]), mid)
    hit = np.flatnonzero(called & (arm_calls["arm"].to_numpy(dtype=object) == name))
    return arm_calls.iloc[hit[0]].to_dict() if len(hit) else None
