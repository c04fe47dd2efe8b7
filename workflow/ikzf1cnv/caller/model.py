"""Joint exon-level copy-number model for one gene (or a run of neighbouring genes).

Each exon unit i has an observed log2 ratio l_i with standard error s_i. In a sample
where a fraction F of all cells carries the gene's deletion(s), exon i has k_i copies
lost in those cells (k = 0, 1 or 2) and an expected log2 of log2(1 - F*k_i/2).

For every F on a grid, a Viterbi pass over the exons (in genomic order) finds the k
path that minimises  sum_i (l_i - mu(k_i, F))^2 / (2 s_i^2)  + switch_penalty * (number
of state changes, counting the entry from and return to the diploid flanks)  +
biallelic_penalty * (runs of k = 2: a second hit is one more event, whatever its length;
charged per position it would grow with the window's bins and read every long
homozygous loss as a deeper heterozygous one). The best F and its path are the fit.

This borrows strength across exons (they share F, and a run costs its two breakpoints
once rather than a penalty per exon) without merging distinct events: a return to k = 0
between two runs is kept whenever the exons in between say so.

The switch penalty is an evidence threshold in log-likelihood units: an isolated event
is called only if it improves the fit by more than 2 * switch_penalty over "no event".

Positions need not be exons: a gene's window (caller.window.window_positions) adds intronic
target bins, flanking bins and off-target bins, which carry evidence for the same run
of states and place its ends between probes. With dozens of positions a single bad bin
must not make a call: the per-position cost is Huber's (squared within huber_k SE,
linear beyond), so one outlier adds evidence linearly, not quadratically.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .purity import expected_log2

STATES = (0, 1, 2)


def huber(z, k: float):
    """Half the squared residual within +-k, linear beyond (Huber's loss, in SE units)."""
    a = np.abs(z)
    return np.where(a <= k, 0.5 * a * a, k * a - 0.5 * k * k)


@dataclass(frozen=True)
class ModelParams:
    switch_penalty: float = 6.0
    biallelic_penalty: float = 0.5
    log2_floor: float = -4.0
    f_step: float = 0.01
    f_min: float = 0.05
    ci_drop: float = 1.92  # half the 95% chi-square(1) quantile: profile-likelihood interval
    huber_k: float = 3.0   # residuals beyond this many SE cost linearly (robust to single bad bins)


@dataclass
class Fit:
    states: list[int]
    cell_fraction: float | None
    cf_low: float | None
    cf_high: float | None
    llr: float              # cost(no event) - cost(best); > 0 when an event is called
    cost: float = 0.0       # the best path's cost (a negative log-likelihood, purity cost included)
    grid: np.ndarray = field(repr=False, default=None)
    profile: np.ndarray = field(repr=False, default=None)


def _viterbi_costs(l, s, fgrid, p: ModelParams, allowed=None):
    """Return (total cost per F, backpointers) for all F at once; `allowed` (positions x
    states, bool): states a position may take (None: all)."""
    n = len(l)
    nf = len(fgrid)
    k = np.array(STATES, dtype=float)
    mu = expected_log2(fgrid[:, None], k[None, :], floor=p.log2_floor)  # (nF, 3)
    obs = np.maximum(l, p.log2_floor)
    # from x to y: a state change, and entering k = 2 (a second hit) costs biallelic_penalty once
    trans = p.switch_penalty * (k[:, None] != k[None, :]) + p.biallelic_penalty * ((k[None, :] == 2) & (k[:, None] != 2))
    cost = np.full((nf, 3), np.inf)
    back = np.zeros((n, nf, 3), dtype=np.int8)
    prev = np.tile(trans[0], (nf, 1))  # entering from the diploid flank (state 0)
    for i in range(n):
        if np.isfinite(obs[i]):
            em = huber((obs[i] - mu) / s[i], p.huber_k)
        else:
            em = np.zeros((nf, 3))  # no data: no evidence either way
        if allowed is not None:
            em = np.where(allowed[i][None, :], em, np.inf)
        if i == 0:
            cost = prev + em
        else:
            cand = cost[:, :, None] + trans[None, :, :]  # (nF, from, to)
            back[i] = np.argmin(cand, axis=1)
            cost = np.min(cand, axis=1) + em
    cost = cost + trans[:, 0][None, :]  # return to the diploid flank
    return cost, back


def purity_cost(fgrid: np.ndarray, blast: float | None, blast_sd: float) -> np.ndarray:
    """Cost of each cell fraction F given a stated blast fraction: 0 up to it, then
    0.5 ((F - blast) / blast_sd)^2 (no more cells can carry an event than are blasts; a
    blast count is itself uncertain by about blast_sd). This is what tells a homozygous
    loss in p of the cells from a heterozygous one in 2p when 2p exceeds the blast count."""
    if blast is None or not blast_sd > 0:
        return np.zeros(len(fgrid))
    return 0.5 * (np.maximum(fgrid - blast, 0.0) / blast_sd) ** 2


def fit(log2, se, f_max: float = 1.0, params: ModelParams = ModelParams(), purity: tuple = (None, 0.0),
        allowed=None) -> Fit:
    """Fit the model to one gene's positions (arrays in genomic order; NaN = no data);
    cell fractions up to f_max, those above a stated blast fraction at a cost (purity:
    (blast fraction or None, its SD): purity_cost). `allowed` (positions x states): the
    states each position may take (caller.types holds a type's exons; None: any)."""
    blast, blast_sd = purity
    l = np.asarray(log2, dtype=float)
    s = np.asarray(se, dtype=float)
    s = np.where(np.isfinite(s) & (s > 0), s, 1.0)
    n = len(l)
    f_max = float(min(max(f_max, params.f_min), 1.0))
    fgrid = np.round(np.arange(params.f_min, f_max + 1e-9, params.f_step), 6)
    if fgrid[-1] < f_max - 1e-9:
        fgrid = np.append(fgrid, f_max)
    finite = np.isfinite(l)
    null_cost = float(np.sum(huber(np.maximum(l[finite], params.log2_floor) / s[finite], params.huber_k)))
    cost, back = _viterbi_costs(l, s, fgrid, params, allowed)
    end_state = np.argmin(cost, axis=1)
    best_per_f = cost[np.arange(len(fgrid)), end_state] + purity_cost(fgrid, blast, blast_sd)
    j = int(np.argmin(best_per_f))  # first minimum: deterministic
    best = float(best_per_f[j])
    states = [0] * n
    st = int(end_state[j])
    for i in range(n - 1, -1, -1):
        states[i] = st
        if i > 0:
            st = int(back[i, j, st])
    llr = null_cost - best
    if llr <= 0 or not any(states):
        return Fit([0] * n, None, None, None, max(llr, 0.0), null_cost, fgrid, best_per_f)
    ok = best_per_f <= best + params.ci_drop
    return Fit(states, float(fgrid[j]), float(fgrid[ok].min()), float(fgrid[ok].max()),
               llr, best, fgrid, best_per_f)
