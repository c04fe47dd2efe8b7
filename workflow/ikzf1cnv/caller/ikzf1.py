"""IKZF1's summary from its window's fit: the deletion label, the cell fraction, how it was
lost (focal, interstitial, arm, chromosome), the evidence the call rests on, and the limits
of detection of the common deletion types."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import labels, lod, window
from .groups import GroupFit
from .params import Annotation
from .types import TypePrior, choose

# The IKZF1 fields of a sample that cannot be called (QC failed, or its BAM unreadable).
NOT_EVALUABLE = {"deletion": "NA", "exons_deleted": "", "exons_biallelic": "", "cell_fraction": None,
                 "cf_low": None, "cf_high": None, "mechanism": "NA", "lod": "NA", "evidence": "NA", "junction": "NA",
                 "deletion_alt": "NA", "deletion_alt_lr": None}


def exon_numbers(pos: pd.DataFrame) -> np.ndarray:
    """Each position's IKZF1 exon number (0: not an IKZF1 exon, or one without data)."""
    ik = ((pos["kind"] == "exon") & (pos["gene"] == "IKZF1")).to_numpy() & np.isfinite(pos["log2"].to_numpy(dtype=float))
    return np.where(ik, pd.to_numeric(pos["exon"], errors="coerce").fillna(0).to_numpy(), 0).astype(int)


def retype(gf: GroupFit, prior: TypePrior | None) -> tuple[GroupFit, str, float | None]:
    """IKZF1's fit with its type chosen among those near the call (caller.types), the
    runner-up ('NA' when none is close) and the odds of the call over it. An arm's loss,
    a wild type or no prior: the fit as it is."""
    exon_of = exon_numbers(gf.positions)
    lost = sorted({int(e) for e, s in zip(exon_of, gf.positions["state"]) if e and s > 0})
    if prior is None or gf.arm or not lost or gf.refit is None:
        return gf, "NA", None
    t = choose(exon_of, lost, gf.refit, prior)
    return gf.with_fit(t.fit), t.alt or "NA", t.odds


def ikzf1_summary(gf: GroupFit, arm_calls: pd.DataFrame, ann: Annotation) -> dict:
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
    limits = {name: lod.limit(pos, interval, gf.penalty) for name, interval in ann.lod_intervals.items()}
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
    for a, b in labels.runs(np.flatnonzero(st)):
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
        for a, b in labels.runs(np.flatnonzero(st)):
            if ik[a:b + 1].any():
                keep[a:b + 1] = True
        return "deleted run: " + window.evidence(pos[keep])
    text = "window: " + window.evidence(pos)
    return f"arm {gf.arm['arm']} ({int(gf.arm['n_bins'])} bins); {text}" if gf.arm else text
