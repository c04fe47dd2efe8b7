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


def _emissions(l, s, mu, p: ModelParams) -> np.ndarray:
    """Each position's cost of each state at each F (positions x nF x 3): Huber's loss of its
    residual in SE units; a position without data costs nothing in any state."""
    obs = np.maximum(l, p.log2_floor)
    fin = np.isfinite(obs)
    em = np.zeros((len(l), mu.shape[0], mu.shape[1]))
    if fin.any():
        em[fin] = huber((obs[fin][:, None, None] - mu[None, :, :]) / s[fin][:, None, None], p.huber_k)
    return em


def _viterbi_costs(l, s, fgrid, p: ModelParams, allowed=None):
    """Return (total cost per F, backpointers) for all F at once; `allowed` (positions x
    states, bool): states a position may take (None: all); or a stack of such masks
    (K x positions x states): K paths at once (cost K x nF x 3, backpointers positions x K x
    nF x 3), each the same arithmetic as its own run."""
    n = len(l)
    nf = len(fgrid)
    k = np.array(STATES, dtype=float)
    mu = expected_log2(fgrid[:, None], k[None, :], floor=p.log2_floor)  # (nF, 3)
    em = _emissions(np.asarray(l, dtype=float), s, mu, p)
    # from x to y: a state change, and entering k = 2 (a second hit) costs biallelic_penalty once
    trans = p.switch_penalty * (k[:, None] != k[None, :]) + p.biallelic_penalty * ((k[None, :] == 2) & (k[:, None] != 2))
    lead = () if allowed is None or np.ndim(allowed) == 2 else (len(allowed),)
    if allowed is not None:
        held = np.asarray(allowed, dtype=bool).reshape(lead + (n, 3))
    cost = np.full(lead + (nf, 3), np.inf)
    back = np.zeros((n,) + lead + (nf, 3), dtype=np.int8)
    prev = np.tile(trans[0], (nf, 1))  # entering from the diploid flank (state 0)
    for i in range(n):
        e = em[i] if allowed is None else np.where(held[..., i, None, :], em[i], np.inf)
        if i == 0:
            cost = prev + e
        else:
            cand = cost[..., :, :, None] + trans  # (..., nF, from, to)
            back[i] = np.argmin(cand, axis=-2)
            cost = np.min(cand, axis=-2) + e
    cost = cost + trans[:, 0]  # return to the diploid flank
    return cost, back


def purity_cost(fgrid: np.ndarray, blast: float | None, blast_sd: float) -> np.ndarray:
    """Cost of each cell fraction F given a stated blast fraction: 0 up to it, then
    0.5 ((F - blast) / blast_sd)^2 (no more cells can carry an event than are blasts; a
    blast count is itself uncertain by about blast_sd). This is what tells a homozygous
    loss in p of the cells from a heterozygous one in 2p when 2p exceeds the blast count."""
    if blast is None or not blast_sd > 0:
        return np.zeros(len(fgrid))
    return 0.5 * (np.maximum(fgrid - blast, 0.0) / blast_sd) ** 2


def _grid(f_max: float, params: ModelParams) -> np.ndarray:
    f_max = float(min(max(f_max, params.f_min), 1.0))
    fgrid = np.round(np.arange(params.f_min, f_max + 1e-9, params.f_step), 6)
    return np.append(fgrid, f_max) if fgrid[-1] < f_max - 1e-9 else fgrid


def _path(cost: np.ndarray, back: np.ndarray, fgrid: np.ndarray, extra: np.ndarray, null_cost: float,
          params: ModelParams) -> Fit:
    """The fit from one path's costs (nF x 3) and backpointers (positions x nF x 3)."""
    n = back.shape[0]
    end_state = np.argmin(cost, axis=1)
    best_per_f = cost[np.arange(len(fgrid)), end_state] + extra
    j = int(np.argmin(best_per_f))  # first minimum: deterministic
    best = float(best_per_f[j])
    states = [0] * n
    st = int(end_state[j])
    bj = back[:, j, :]
    for i in range(n - 1, -1, -1):
        states[i] = st
        if i > 0:
            st = int(bj[i, st])
    llr = null_cost - best
    if llr <= 0 or not any(states):
        return Fit([0] * n, None, None, None, max(llr, 0.0), null_cost, fgrid, best_per_f)
    ok = best_per_f <= best + params.ci_drop
    return Fit(states, float(fgrid[j]), float(fgrid[ok].min()), float(fgrid[ok].max()),
               llr, best, fgrid, best_per_f)


def _inputs(log2, se, params: ModelParams):
    l = np.asarray(log2, dtype=float)
    s = np.asarray(se, dtype=float)
    s = np.where(np.isfinite(s) & (s > 0), s, 1.0)
    finite = np.isfinite(l)
    null_cost = float(np.sum(huber(np.maximum(l[finite], params.log2_floor) / s[finite], params.huber_k)))
    return l, s, null_cost


def fit(log2, se, f_max: float = 1.0, params: ModelParams = ModelParams(), purity: tuple = (None, 0.0),
        allowed=None) -> Fit:
    """Fit the model to one gene's positions (arrays in genomic order; NaN = no data);
    cell fractions up to f_max, those above a stated blast fraction at a cost (purity:
    (blast fraction or None, its SD): purity_cost). `allowed` (positions x states): the
    states each position may take (caller.types holds a type's exons; None: any)."""
    l, s, null_cost = _inputs(log2, se, params)
    fgrid = _grid(f_max, params)
    cost, back = _viterbi_costs(l, s, fgrid, params, allowed)
    return _path(cost, back, fgrid, purity_cost(fgrid, *purity), null_cost, params)


def fit_many(log2, se, allowed: list, f_max: float = 1.0, params: ModelParams = ModelParams(),
             purity: tuple = (None, 0.0)) -> list[Fit]:
    """[fit(log2, se, f_max, params, purity, a) for a in allowed], the paths run side by side
    (one pass over the positions for every mask: caller.types holds ~25 types a sample)."""
    if not len(allowed):
        return []
    l, s, null_cost = _inputs(log2, se, params)
    fgrid = _grid(f_max, params)
    cost, back = _viterbi_costs(l, s, fgrid, params, np.stack([np.asarray(a, dtype=bool) for a in allowed]))
    extra = purity_cost(fgrid, *purity)
    return [_path(cost[i], back[:, i], fgrid, extra, null_cost, params) for i in range(len(allowed))]
