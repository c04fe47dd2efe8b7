"""Two oracle references beside the caller, per tumour, from the caller's own per-position
log2 ratios and standard errors over the IKZF1 window (OUTDIR/samples/{sample}/window_bins.tsv:
group, chrom, start, end (0-based half-open), kind, gene, exon, log2, se, state):

  * location oracle: knows where the true deletion is and the noise; z = -sum(log2/se^2) /
    sqrt(sum(1/se^2)) over the positions whose midpoint lies in a true IKZF1 loss event;
    detected when z >= 3.09 (one-sided 0.1%). The information limit of the data.
  * scan oracle: knows the noise but not the location; takes the most negative
    inverse-variance z over every contiguous run of positions of the window, against a
    threshold calibrated by Monte Carlo on N(0, se) draws of the same positions so that it
    calls a wild-type gene at the caller's false-positive rate (0.1% per gene). The same
    scan over each co-deletion gene's window (codeletion_scan): what a co-deletion's
    sensitivity can reach at that rate.
  * type oracle: the caller's own model over the IKZF1 window with the cell fraction fixed
    at the truth (type_oracle): the exact type a caller gets when it knows the cell
    fraction, so an exact-type shortfall can be told apart from the limits of the data.
  * Bayes type oracle: the same, and it also knows how the benchmark draws its types
    (cohorts.ikzf1_type_probs): every run of exons fitted with its exons held lost, scored
    by the fit's cost less the log of the run's probability; the best is the type a caller
    with the true cell fraction and the true type distribution would give (the most often
    right one there can be on average; on one cohort a rarer type read as a commoner one
    is the price of the types it saves).
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ikzf1cnv.caller import labels
from ikzf1cnv.caller.model import fit
from ikzf1cnv.caller.types import allowed_states

LOCATION_Z = 3.090232  # the one-sided 0.1% point of N(0, 1)


def read_window(path: Path | str, group: str = "IKZF1") -> pd.DataFrame | None:
    """The window's rows in genomic order (usable log2 and se only); None if no file."""
    path = Path(path)
    if not path.is_file():
        return None
    w = pd.read_csv(path, sep="\t", dtype={"exon": str}, keep_default_na=False, na_values=["NA", "nan", ""])
    w = w[(w["group"] == group)].copy()
    w["log2"] = pd.to_numeric(w["log2"], errors="coerce")
    w["se"] = pd.to_numeric(w["se"], errors="coerce")
    w = w[np.isfinite(w["log2"]) & np.isfinite(w["se"]) & (w["se"] > 0)]
    return w.sort_values(["chrom", "start"]).reset_index(drop=True)


def parse_events(text: str) -> list[tuple[str, int, int]]:
    """"chr7:START-END:FRACTION;..." (bench.truth_row's ikzf1_events) -> [(chrom, start, end)]."""
    out = []
    for part in str(text or "").split(";"):
        if part and part not in ("none", "NA", "-"):
            chrom, span, _ = part.split(":")
            a, b = span.split("-")
            out.append((chrom, int(a), int(b)))
    return out


def inv_var_z(log2: np.ndarray, se: np.ndarray) -> float:
    """-sum(log2/se^2) / sqrt(sum(1/se^2)): positive for a loss."""
    w = 1.0 / np.asarray(se, float) ** 2
    return float(-(np.asarray(log2, float) * w).sum() / math.sqrt(w.sum())) if len(w) else math.nan


def location_z(win: pd.DataFrame, events: list[tuple[str, int, int]]) -> float:
    """The oracle z over the positions inside the true events (NaN when none is)."""
    mid = (win["start"].to_numpy() + win["end"].to_numpy()) / 2.0
    inside = np.zeros(len(win), bool)
    for chrom, a, b in events:
        inside |= (win["chrom"].to_numpy() == chrom) & (mid >= a) & (mid < b)
    return inv_var_z(win["log2"].to_numpy()[inside], win["se"].to_numpy()[inside]) if inside.any() else math.nan


def scan_max_z(x: np.ndarray, se: np.ndarray) -> np.ndarray:
    """The most negative inverse-variance z over every contiguous run of positions, per row
    of x (shape (..., n)); cumulative sums, one pass per run start."""
    x = np.asarray(x, float)
    w = 1.0 / np.asarray(se, float) ** 2
    S = np.concatenate([np.zeros(x.shape[:-1] + (1,)), np.cumsum(x * w, axis=-1)], axis=-1)
    W = np.concatenate([[0.0], np.cumsum(w)])
    best = np.full(x.shape[:-1], -np.inf)
    for i in range(x.shape[-1]):
        z = -(S[..., i + 1:] - S[..., i:i + 1]) / np.sqrt(W[i + 1:] - W[i])
        best = np.maximum(best, z.max(axis=-1))
    return best


def scan_threshold(se: np.ndarray, fpr: float = 0.001, draws: int = 20000, seed: int = 1,
                   chunk: int = 5000) -> float:
    """The (1 - fpr) quantile of scan_max_z under N(0, se) at the same positions (Monte Carlo,
    fixed seed): the scan oracle then calls a wild-type window with probability fpr."""
    se = np.asarray(se, float)
    rng = np.random.default_rng(seed)
    m = np.concatenate([scan_max_z(rng.standard_normal((min(chunk, draws - k), len(se))) * se, se)
                        for k in range(0, draws, chunk)])
    return float(np.quantile(m, 1.0 - fpr))


def sample_oracles(path: Path | str, events_text: str, fpr: float = 0.001, draws: int = 20000,
                   seed: int = 1) -> dict:
    """Both oracles for one tumour; every value None when the caller wrote no window."""
    win = read_window(path)
    if win is None or not len(win):
        return {"location_z": None, "location_detected": None, "scan_z": None, "scan_threshold": None,
                "scan_detected": None, "n_positions": None}
    lz = location_z(win, parse_events(events_text))
    se = win["se"].to_numpy()
    sz = float(scan_max_z(win["log2"].to_numpy(), se))
    thr = scan_threshold(se, fpr, draws, seed)
    return {"location_z": lz, "location_detected": bool(lz >= LOCATION_Z) if lz == lz else None,
            "scan_z": sz, "scan_threshold": thr, "scan_detected": bool(sz > thr), "n_positions": len(win)}


def se_honesty(paths: list) -> tuple[float, int]:
    """SD of log2/se over the positions of wild-type IKZF1 windows (1 if se is honest), n."""
    z = [w["log2"].to_numpy() / w["se"].to_numpy() for w in map(read_window, paths) if w is not None]
    z = np.concatenate(z) if z else np.zeros(0)
    return (float(np.std(z, ddof=1)) if len(z) > 1 else math.nan), len(z)


def codeletion_scan(path: Path | str, group: str, fpr: float = 0.001, draws: int = 20000, seed: int = 1):
    """The scan oracle over a co-deletion group's window (True/False; None without data)."""
    win = read_window(path, group)
    if win is None or not len(win):
        return None
    se = win["se"].to_numpy()
    return bool(float(scan_max_z(win["log2"].to_numpy(), se)) > scan_threshold(se, fpr, draws, seed))


def type_oracle(path: Path | str, cell_fraction: float, params_for) -> str | None:
    """IKZF1's label from the model with the cell fraction fixed at the truth; params_for(n):
    the caller's model parameters for a window of n positions (calling.CallerParams.model_for,
    the calibrated switch penalty); None without data."""
    win = read_window(path)
    if win is None or not len(win) or not cell_fraction == cell_fraction:
        return None
    p = replace(params_for(len(win)), f_min=float(cell_fraction))
    r = fit(win["log2"].to_numpy(), win["se"].to_numpy(), f_max=float(cell_fraction), params=p)
    ex = win.assign(state=r.states)
    ex = ex[(ex["kind"] == "exon") & (ex["state"] > 0)]
    return labels.deletion_label(int(e) for e in ex["exon"])


def bayes_type_oracle(path: Path | str, cell_fraction: float, params_for, probs: dict) -> str | None:
    """IKZF1's label from the model with the cell fraction fixed at the truth and the types'
    true probabilities as prior: each run (a, b) of `probs` (cohorts.ikzf1_type_probs) fitted
    with its exons held lost (caller.types.allowed_states; its label: the run's exons with
    data), the lowest cost - ln p wins, the cost that of the held path even where no
    deletion would fit better (the oracle knows there is one); None without data."""
    win = read_window(path)
    if win is None or not len(win) or not cell_fraction == cell_fraction:
        return None
    exon_of = np.array([int(e) if k == "exon" and str(e).isdigit() else 0
                        for k, e in zip(win["kind"], win["exon"])], dtype=np.int64)
    p = replace(params_for(len(win)), f_min=float(cell_fraction))
    scores: dict = {}
    for (a, b), prob in sorted(probs.items()):
        lost = sorted({int(e) for e in exon_of if a <= e <= b})
        if not lost:
            continue
        r = fit(win["log2"].to_numpy(), win["se"].to_numpy(), f_max=float(cell_fraction), params=p,
                allowed=allowed_states(exon_of, (a, b)))
        label = labels.deletion_label(lost)
        # runs that differ only at exons without data read the same: their probabilities add
        cost, mass = scores.get(label, (float(np.min(r.profile)), 0.0))
        scores[label] = (cost, mass + prob)
    ranked = sorted((c - math.log(m), lab) for lab, (c, m) in scores.items())
    return ranked[0][1] if ranked else None
