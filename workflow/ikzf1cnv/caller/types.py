"""IKZF1's deletion type where the data leave it open: the literature's shares as a prior.

The model's best path sets the type from the exons it reads lost. At a deletion's edge an
exon can sit within noise of both levels, most of all the first or last exon of the
window with data (nothing beyond it to lean on): a del1-8 whose exon 1 reads -0.09
against -0.33 expected is typed del2-8. Among deleted cases del1-8 is about 30%, del2-8
about 4% (resources/deletion_types.tsv: Boer et al., Leukemia 2016).

So once the model has called a deletion (the prior never decides whether IKZF1 is
deleted), the types near its call (single runs whose ends lie within `reach` exons of the
call's) are each fitted with their exons held to it (lost exons at least one copy down,
kept exons at none; every other position free: the run's ends may reach into the introns
and flanks), and scored by the fit's cost (a negative log-likelihood) less the log of the
type's share. The best becomes the call; the runner-up and its odds are reported when they
are within `alt_ratio`. With `use_prior` off the shares are flat: the data alone choose.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .labels import deletion_label


@dataclass(frozen=True)
class TypePrior:
    """The shares of deletion types among deleted cases (label -> share; 'other' split
    evenly over every other single run of exons), and how the types are searched."""
    shares: dict
    n_exons: int = 8
    reach: int = 2
    alt_ratio: float = 10.0
    use_prior: bool = True

    @classmethod
    def from_table(cls, table: pd.DataFrame, **kw) -> "TypePrior":
        """From a table of label and share (resources/deletion_types.tsv); every share > 0
        and an 'other' row for every type it does not name."""
        shares = dict(zip(table["label"], table["share"].astype(float)))
        bad = sorted(k for k, v in shares.items() if not v > 0)
        if "other" not in shares or bad:
            raise ValueError("deletion-type shares need an 'other' row and every share > 0"
                             + (f" (not so: {', '.join(bad)})" if bad else " (no 'other' row)"))
        return cls(shares, **kw)

    def log_share(self, label: str) -> float:
        """ln of the type's share (0 for every type when the prior is off)."""
        if not self.use_prior:
            return 0.0
        if label in self.shares:
            return math.log(self.shares[label])
        named = [k for k in self.shares if k != "other"]
        n_runs = self.n_exons * (self.n_exons + 1) // 2
        return math.log(self.shares["other"] / max(n_runs - len(named), 1))


def candidates(lost: list[int], n_exons: int, reach: int) -> list[tuple[int, int]]:
    """Single runs (a, b) of exons whose ends lie within `reach` of the call's outer ends."""
    lo, hi = min(lost), max(lost)
    return [(a, b) for a in range(max(1, lo - reach), min(n_exons, lo + reach) + 1)
            for b in range(max(a, hi - reach), min(n_exons, hi + reach) + 1)]


def allowed_states(exon_of: np.ndarray, run: tuple[int, int]) -> np.ndarray:
    """positions x states (0, 1, 2 copies lost): the exons with data of the run held lost,
    the others held at none; positions that are no exon (exon_of 0) free."""
    a = np.ones((len(exon_of), 3), dtype=bool)
    inside = (exon_of >= run[0]) & (exon_of <= run[1])
    a[inside, 0] = False
    a[(exon_of > 0) & ~inside, 1:] = False
    return a


@dataclass(frozen=True)
class Typed:
    """The chosen type's fit, its label, the runner-up and the odds of the chosen over it."""
    fit: object
    label: str
    alt: str | None
    odds: float | None


def choose(exon_of: np.ndarray, lost: list[int], refit, prior: TypePrior) -> Typed:
    """The type of a called deletion: each candidate near the call fitted with its exons held
    (refit(allowed) -> model.Fit with `cost`), scored cost - ln share; the unconstrained call
    competes as it is. `exon_of`: each position's IKZF1 exon number (0: none or no data)."""
    scored = {}
    masks = [allowed_states(exon_of, run) for run in candidates(lost, prior.n_exons, prior.reach)]
    # refit.many (caller.groups.fit_group): every candidate in one pass over the window, the same fits
    fits = refit.many(masks) if hasattr(refit, "many") else [refit(m) for m in masks]
    for f in fits:
        if f.cell_fraction is None or not np.isfinite(f.cost):
            continue
        label = deletion_label(sorted({int(e) for e, s in zip(exon_of, f.states) if e and s > 0}))
        score = f.cost - prior.log_share(label)
        if label not in scored or score < scored[label][0]:
            scored[label] = (score, f)
    free = refit(None)
    label = deletion_label(lost)
    score = free.cost - prior.log_share(label)
    if label not in scored or score < scored[label][0]:
        scored[label] = (score, free)
    ranked = sorted(scored.items(), key=lambda kv: (kv[1][0], kv[0]))
    (best, (s1, f1)) = ranked[0]
    if len(ranked) < 2:
        return Typed(f1, best, None, None)
    alt, (s2, _) = ranked[1]
    odds = math.exp(min(s2 - s1, 700.0))
    return Typed(f1, best, alt, odds) if odds < prior.alt_ratio else Typed(f1, best, None, None)
