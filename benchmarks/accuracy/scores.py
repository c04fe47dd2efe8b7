"""Scores of the panel cohorts: per design x cell-fraction band (caller, location oracle,
scan oracle), per depth, the global figures and the issue's targets, measured. Rates are
over all tumours of a cell (a not-evaluable tumour counts as not detected); "-" where the
tool wrote nothing to score (an older caller: no window_bins.tsv or no new columns)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cohorts import CF_BANDS
from simlib import bench

GENES = bench.GENES
LOD_TYPES = ["del4-7", "del2-3", "del1-8"]
CODEL_MIN_BLAST = 0.3   # co-deletion sensitivity is scored in tumours of at least this blast fraction
MISSING = ("-", "", "nan", "None")


def cf_band(cf: float) -> str | None:
    """The band of a true IKZF1 cell fraction, by its lower edge ("5%", ..., "80%")."""
    for lo, hi in CF_BANDS:
        if lo <= cf < hi or (hi == 1.0 and cf == 1.0):
            return f"{round(100 * lo)}%"
    return None


def rate(x) -> float | str:
    """Mean of the known values; "-" when every value is unknown (None), NaN when none."""
    x = list(x)
    if not x:
        return math.nan
    known = [bool(v) for v in x if v is not None and v == v]
    return float(np.mean(known)) if known else "-"


def _type_oracle(sub: pd.DataFrame, column: str = "type_oracle") -> list:
    if column not in sub:
        return [None] * len(sub)
    return [None if t is None or t != t else t == d for t, d in zip(sub[column], sub["deletion_t"])]


def _row(sub: pd.DataFrame) -> dict:
    return {"n": len(sub), "caller detected": rate(sub["called_deleted"]), "exact type": rate(sub["type_exact"]),
            "location oracle": rate(sub["location_detected"]), "scan oracle": rate(sub["scan_detected"]),
            "type oracle": rate(_type_oracle(sub)), "Bayes type oracle": rate(_type_oracle(sub, "bayes_type_oracle"))}


def band_rows(ps: pd.DataFrame) -> list[dict]:
    """design x band x tool over the truly deleted tumours."""
    d = ps[ps["truth_deleted"]].assign(band=lambda x: x["cell_fraction"].map(cf_band))
    rows = []
    for (design, tool), g in d.groupby(["design", "tool"], sort=False):
        for lo, _ in CF_BANDS:
            b = f"{round(100 * lo)}%"
            rows.append({"design": design, "band": b, "tool": tool, **_row(g[g["band"] == b])})
    return rows


def depth_rows(ps: pd.DataFrame) -> list[dict]:
    d = ps[ps["truth_deleted"] & (ps["cell_fraction"] >= CF_BANDS[0][0])]
    return [{"design": k[0], "depth": k[2], "tool": k[1], **_row(g)}
            for k, g in sorted(d.groupby(["design", "tool", "depth"], sort=False), key=lambda kv: kv[0][2])]


def _arms(text: str) -> dict:
    if str(text) in MISSING + ("none", "NA"):
        return {}
    return {a.split(":")[0]: float(a.split(":")[1]) if a.split(":")[1] not in ("NA", "") else math.nan
            for a in str(text).split(",") if ":" in a}


def lod_of(text: str, kind: str) -> float:
    for part in str(text).split(";"):
        if part.startswith(kind + ":"):
            v = pd.to_numeric(part.split(":")[1], errors="coerce")
            return float(v)
    return math.nan


def arm_scores(ps: pd.DataFrame) -> dict:
    if (ps["arm_losses"].isin(MISSING)).all() or (ps["arm_truth"].isin(MISSING)).all():
        return {"arm losses found (>=15% cells)": "-", "n arm losses": "-", "arm cf error": "-",
                "false arm losses": "-"}
    t = ps["arm_truth"].map(_arms)
    c = ps["arm_losses"].map(_arms)
    has = t.map(lambda d: bool(d) and min(d.values()) >= 0.15)
    found = [set(a) <= set(b) for a, b in zip(t[has], c[has])]
    err = [abs(b[k] - v) for a, b in zip(t[has], c[has]) for k, v in a.items() if k in b and b[k] == b[k]]
    return {"arm losses found (>=15% cells)": rate(found), "n arm losses": int(has.sum()),
            "arm cf error": float(np.mean(err)) if err else math.nan,
            "false arm losses": int(sum(bool(b) for a, b in zip(t, c) if not a))}


def global_scores(ps: pd.DataFrame) -> dict:
    """One tool on one design: the figures that are not per band."""
    wt = ps[~ps["truth_deleted"]]
    plus = ps[~ps["truth_deleted"] | (ps["cell_fraction"] >= 0.2)]
    s = {"n": len(ps), "false IKZF1 in wild type": int(wt["called_deleted"].sum()),
         "false IKZF1plus in wild type": int((wt["ikzf1plus"] == "yes").sum()),
         "IKZF1plus right (wt or >=20% cells)": rate(plus["ikzf1plus_ok"]), **arm_scores(ps)}
    for g in GENES:
        sub = ps[~ps[f"{g}_t"].isin(["none", "NA"]) & (ps["blast"] >= CODEL_MIN_BLAST)]
        s[f"{g} found (>=30%)"] = rate(~sub[g].isin(["none", "NA"]))
        s[f"{g} scan oracle (>=30%)"] = rate(sub[f"scan_{g}"]) if f"scan_{g}" in sub else "-"
        s[f"n {g}"] = len(sub)
    dl = ps[ps["truth_deleted"] & ps["called_deleted"]]
    stated = dl[~dl["ikzf1_mechanism"].isin(MISSING + ("NA",))]
    s["mechanism stated"] = "-" if dl["ikzf1_mechanism"].isin(MISSING).all() else rate(dl.index.isin(stated.index))
    s["mechanism agrees (where stated)"] = "-" if stated.empty else \
        rate(stated["ikzf1_mechanism"] == stated["mechanism_truth"])
    s.update(lod_check(ps))
    return s


def lod_check(ps: pd.DataFrame) -> dict:
    """Among true del4-7/del2-3/del1-8 whose cell fraction exceeds the sample's stated LoD
    for that type, the fraction found."""
    if ps["ikzf1_lod"].isin(MISSING).all():
        return {"LoD check": "-", "n LoD check": "-"}
    d = ps[ps["truth_deleted"] & ps["deletion_t"].isin(LOD_TYPES)]
    lod = np.array([lod_of(t, k) for t, k in zip(d["ikzf1_lod"], d["deletion_t"])])
    above = d[np.isfinite(lod) & (d["cell_fraction"].to_numpy() > lod)]
    return {"LoD check": rate(above["called_deleted"]), "n LoD check": len(above)}


def _num(x):
    return x if isinstance(x, (int, float)) and x == x else None


def targets(bands: list[dict], g: dict) -> list[dict]:
    """The issue's targets for one tool on one design, measured: target, measured, met."""
    rows = []
    gaps = [(_num(b["scan oracle"]) - _num(b["caller detected"]), b["band"]) for b in bands
            if b["n"] and _num(b["scan oracle"]) is not None]
    worst = max(gaps) if gaps else None
    rows.append({"target": "caller within 10 points of the scan oracle in every band",
                 "measured": f"worst gap {100 * worst[0]:.1f} points ({worst[1]})" if worst else "-",
                 "met": "-" if not worst else ("yes" if worst[0] <= 0.10 else "no")})
    easy = [b for b in bands if b["n"] and (_num(b["scan oracle"]) or 0) >= 0.995]
    det = min((b["caller detected"] for b in easy), default=None)
    ex = min((b["exact type"] for b in easy), default=None)
    tor = [_num(b["type oracle"]) for b in easy if _num(b["type oracle"]) is not None]
    rows.append({"target": "detected >= 99% and exact type >= 97% where the scan oracle >= 99.5%",
                 "measured": f"bands {', '.join(b['band'] for b in easy)}: detected >= {100 * det:.1f}%, exact "
                             f">= {100 * ex:.1f}%" + (f" (type oracle >= {100 * min(tor):.1f}%)" if tor else "")
                 if easy else "no such band",
                 "met": "-" if not easy else ("yes" if det >= 0.99 and ex >= 0.97 else "no")})
    fp = (g["false IKZF1 in wild type"], g["false IKZF1plus in wild type"])
    rows.append({"target": "no false IKZF1 / IKZF1plus call in wild types", "measured": f"{fp[0]} / {fp[1]}",
                 "met": "yes" if fp == (0, 0) else "no"})
    rows.append(_at_least("IKZF1plus right >= 98% (wild type or >= 20% cells)",
                          g["IKZF1plus right (wt or >=20% cells)"], 0.98))
    genes = {k.split()[0]: g[k] for k in g if k.endswith("found (>=30%)") and g[f"n {k.split()[0]}"]}
    low = min(genes.items(), key=lambda kv: kv[1] if _num(kv[1]) is not None else 2, default=None)
    scan = g.get(f"{low[0]} scan oracle (>=30%)") if low else None
    rows.append(_at_least("co-deletions found >= 95% at >= 30% cells (lowest gene)",
                          low[1] if low else math.nan, 0.95,
                          (f" ({low[0]}" + (f"; its scan oracle {100 * scan:.1f}%" if _num(scan) is not None else "")
                           + ")") if low else ""))
    arm = g["arm losses found (>=15% cells)"]
    r = _at_least("arm losses found >= 95% at >= 15% cells, no false arm loss", arm, 0.95,
                  f", {g['false arm losses']} false (n = {g['n arm losses']})")
    if g["false arm losses"] not in ("-", 0):
        r["met"] = "no"
    rows.append(r)
    rows.append(_at_least("LoD check >= 95%", g["LoD check"], 0.95, f" (n = {g['n LoD check']})"))
    return rows


def _at_least(name: str, v, floor: float, note: str = "") -> dict:
    if _num(v) is None:
        return {"target": name, "measured": "-" + note, "met": "-"}
    return {"target": name, "measured": f"{100 * v:.1f}%{note}", "met": "yes" if v >= floor else "no"}
