"""What a wild-type call rules out: the limit of detection of each deletion type.

For a deletion covering positions S of the gene's window (its breakpoints in the middle
of the flanking introns; del1-8 from the gene's first to its last base), a one-copy loss
in a fraction f of cells shifts each position by m(f) = log2(1 - f/2). The evidence the
model weighs is, at the best f, about z^2 / 2 with z the inverse-variance mean of the
positions in SE units, expected value |m(f)| sqrt(W), W = sum over S of 1 / se^2. The
model calls a run when that gain beats two breakpoint penalties (2P, P calibrated for the
window's size at the configured false-positive rate): z > 2 sqrt(P). The deletion is
called with 95% probability when its expected z is 1.645 SD above that:

    LoD95 = 2 (1 - 2^(-(2 sqrt(P) + 1.645) / sqrt(W)))

from the sample's own per-position SEs (its depth, noise, reference and probes). The
accuracy benchmark checks the promise: >= 95% of deletions above the stated limit found.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.6448536269514722  # one-sided 95% normal quantile: "detected with 95% probability"


def type_interval(units: pd.DataFrame, introns: pd.DataFrame, gene: str, first: int, last: int) -> tuple[int, int]:
    """0-based half-open interval of a canonical deletion of exons first..last (numbered
    as in the annotation): from the middle of the intron before `first` (or the gene's start)
    to the middle of the intron after `last` (or the gene's end)."""
    u = units[units["gene"] == gene]
    ex = {int(e): (int(s), int(t)) for e, s, t in zip(u["exon"], u["start"], u["end"])}
    it = introns[introns["gene"] == gene]
    mid = {int(i): (int(s) - 1 + int(t)) // 2 for i, s, t in zip(it["intron"], it["start"], it["end"])}
    left = mid[first - 1] if first - 1 in mid else min(s for s, _ in ex.values()) - 1
    right = mid[last] if last in mid else max(t for _, t in ex.values())
    return left, right


def limit(pos: pd.DataFrame, interval: tuple[int, int], penalty: float) -> float | None:
    """The cell fraction at which a one-copy loss over `interval` is called with 95%
    probability, or None when not even a loss in every cell would be."""
    mid = (pos["start"].to_numpy() + pos["end"].to_numpy()) / 2.0
    se = pos["se"].to_numpy(dtype=float)
    ok = (mid >= interval[0]) & (mid < interval[1]) & np.isfinite(pos["log2"].to_numpy(dtype=float)) & (se > 0)
    w = float(np.sum(1.0 / se[ok] ** 2))
    if w <= 0:
        return None
    shift = (2.0 * math.sqrt(penalty) + Z95) / math.sqrt(w)
    f = 2.0 * (1.0 - 2.0 ** (-shift))
    return f if f < 1.0 else None


def label(limits: dict[str, float | None]) -> str:
    """'del4-7:0.14;del2-3:0.22;del1-8:0.09' (NA where out of reach)."""
    return ";".join(f"{k}:{'NA' if v is None else f'{v:.2f}'}" for k, v in limits.items())
