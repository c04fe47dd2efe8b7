"""The cohort report's figures as inline SVG: frequencies against the literature, deletion
types and the MLPA-style exon heatmap (each sample's window: window_plot.py)."""
from __future__ import annotations

import math

import pandas as pd

from .html import COLORS, E, svg


def ratio_colour(r: float) -> str:
    """MLPA-style colouring of a dosage ratio: red below 0.75, blue above 1.3, white at 1."""
    if r is None or not math.isfinite(r):
        return "#dddddd"
    if r < 1:
        t = max(0.0, min(1.0, (1 - r) / 0.75))
        g = int(255 - 200 * t)
        return f"#ff{g:02x}{g:02x}" if r >= 0.5 else f"#{int(255 - 100 * (0.5 - r) / 0.5):02x}{int(55 * r / 0.5):02x}{int(55 * r / 0.5):02x}"
    t = max(0.0, min(1.0, (r - 1) / 0.5))
    g = int(255 - 180 * t)
    return f"#{g:02x}{g:02x}ff"


def frequency_plot(freq: pd.DataFrame) -> str:
    rows = freq.reset_index(drop=True)
    w, lm, rh = 760, 230, 26
    h = 40 + rh * len(rows)
    x = lambda v: lm + (w - lm - 20) * v  # noqa: E731
    b = [f'<text x="{lm}" y="14" font-weight="bold">IKZF1 deletion frequency: observed (dot, Wilson 95% CI) '
         f'vs reference range (band)</text>']
    for t in range(0, 11, 2):
        b.append(f'<line x1="{x(t / 10)}" y1="22" x2="{x(t / 10)}" y2="{h - 10}" stroke="#eee"/>'
                 f'<text x="{x(t / 10)}" y="{h}" text-anchor="middle" fill="#666">{t * 10}%</text>')
    for i, r in rows.iterrows():
        y = 32 + i * rh
        lo, hi = float(r["reference_low"]), float(r["reference_high"])
        b.append(f'<text x="{lm - 6}" y="{y + 4}" text-anchor="end">{E(str(r["label"]))} (n={r["n"]})</text>')
        b.append(f'<rect x="{x(lo) - (2 if hi == lo else 0)}" y="{y - 8}" width="{max(x(hi) - x(lo), 4)}" height="16" '
                 f'fill="#aed6f1" opacity="0.8"/>')
        if r["n"]:
            o, cl, ch = float(r["observed"]), float(r["ci_low"]), float(r["ci_high"])
            col = {"higher": "#c0392b", "lower": "#2471a3", "consistent": "#2e7d32"}.get(r["verdict"], "#7f8c8d")
            b.append(f'<line x1="{x(cl)}" y1="{y}" x2="{x(ch)}" y2="{y}" stroke="{col}" stroke-width="2"/>'
                     f'<circle cx="{x(o)}" cy="{y}" r="5" fill="{col}"><title>{r["n_altered"]}/{r["n"]} '
                     f'= {o:.1%} ({r["verdict"]}, p={r["p_value"]})</title></circle>')
    return svg(w, h + 6, "".join(b))


def deletion_type_plot(calls: pd.DataFrame, types: pd.DataFrame) -> str:
    dele = calls[calls["status"] == "deleted"]
    known = list(types["label"])
    lab = dele["ikzf1_deletion"].where(dele["ikzf1_deletion"].isin(known), "other")
    n = len(dele)
    w, lm = 760, 90
    rows = list(types.itertuples(index=False))
    h = 40 + 24 * len(rows)
    x = lambda v: lm + (w - lm - 160) * v  # noqa: E731
    b = [f'<text x="{lm}" y="14" font-weight="bold">Deletion types among {n} deleted samples '
         f'(bar) vs literature share (tick, Boer 2016)</text>']
    for i, t in enumerate(rows):
        y = 34 + 24 * i
        k = int((lab == t.label).sum())
        share = k / n if n else 0.0
        b.append(f'<text x="{lm - 6}" y="{y + 4}" text-anchor="end">{E(t.label)}</text>'
                 f'<rect x="{lm}" y="{y - 8}" width="{x(share) - lm}" height="16" fill="#c0392b"/>'
                 f'<line x1="{x(t.share)}" y1="{y - 10}" x2="{x(t.share)}" y2="{y + 10}" stroke="#000" stroke-width="2"/>'
                 f'<text x="{x(max(share, t.share)) + 8}" y="{y + 4}">{k} ({share:.0%}) vs {t.share:.0%}</text>')
    return svg(w, h, "".join(b))


NOT_EVALUABLE_FILL = "#d0d0d0"   # a not-evaluable sample's cells: grey, never a loss colour


def heatmap(calls: pd.DataFrame, exons: dict[str, pd.DataFrame]) -> str:
    """One row per sample, one cell per IKZF1 exon, coloured by its dosage ratio; a
    not-evaluable sample's row grey (its ratios are not interpreted); every mark in the legend."""
    samples = list(calls["sample"])
    mech = calls["ikzf1_mechanism"] if "ikzf1_mechanism" in calls else pd.Series(["NA"] * len(calls))
    cw, rh, lm, tm = 52, 22, 110, 100
    w, h = lm + cw * 8 + 260, tm + rh * len(samples) + 10
    b = ['<text x="4" y="14" font-weight="bold">IKZF1 exon dosage ratio by sample (MLPA-style)</text>',
         *_heatmap_legend(lm)]
    for e in range(1, 9):
        b.append(f'<text x="{lm + cw * (e - 1) + cw / 2}" y="{tm - 6}" text-anchor="middle">exon {e}</text>')
    for i, (s, st, lab, how) in enumerate(zip(samples, calls["status"], calls["ikzf1_deletion"], mech)):
        y = tm + rh * i
        ne = st == "not_evaluable"
        b.append(f'<text x="{lm - 6}" y="{y + 15}" text-anchor="end">{E(s)}</text>')
        cells = exon_cells(exons.get(s))
        for e in range(1, 9):
            r, call = cells.get(e, (float("nan"), ""))
            mark = "" if ne or call not in ("loss", "biallelic_loss") else ("†" if how in ("arm", "chromosome") else "✱")
            txt = "n/e" if ne else "NA" if not math.isfinite(r) else f"{r:.2f}"
            fill = NOT_EVALUABLE_FILL if ne else ratio_colour(r)
            tip = (f"{s} exon {e}: not evaluable (QC failed), ratio not interpreted" if ne else
                   f"{s} exon {e}: ratio {txt}, {call}" + (" (with the arm)" if mark == "†" else ""))
            b.append(f'<rect class="cell" data-sample="{E(s)}" data-exon="{e}" x="{lm + cw * (e - 1)}" y="{y}" '
                     f'width="{cw - 2}" height="{rh - 2}" fill="{fill}"><title>{E(tip)}</title></rect>'
                     f'<text x="{lm + cw * (e - 1) + cw / 2 - 1}" y="{y + 15}" text-anchor="middle" '
                     f'fill="{"#666" if ne else "#fff" if math.isfinite(r) and r < 0.45 else "#000"}">{txt}{mark}</text>')
        b.append(f'<text x="{lm + cw * 8 + 8}" y="{y + 15}" fill="{COLORS.get(st, "#000")}">{E(st)} {E(lab)}</text>')
    return svg(w, h, "".join(b))


def _heatmap_legend(lm: int) -> list[str]:
    """Colour scale and marks of the heatmap."""
    b = ['<text x="4" y="34">ratio:</text>']
    for n, r in enumerate((0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)):
        x = lm - 60 + n * 40
        b.append(f'<rect x="{x}" y="22" width="38" height="16" fill="{ratio_colour(r)}" stroke="#ccc"/>'
                 f'<text x="{x + 19}" y="34" text-anchor="middle" fill="{"#fff" if r < 0.45 else "#000"}">{r:.2f}</text>')
    x = lm - 60 + 7 * 40 + 10
    b.append(f'<rect x="{x}" y="22" width="38" height="16" fill="{NOT_EVALUABLE_FILL}"/>'
             f'<text x="{x + 19}" y="34" text-anchor="middle" fill="#666">n/e</text>'
             f'<text x="{x + 46}" y="34">not evaluable (QC failed): no call, ratios not interpreted</text>')
    b.append('<text x="4" y="56">1.00 = two copies; 0.50 = one copy lost in every cell; near 0 = both lost. '
             '✱ exon called lost by the window model; † exon called lost with its chromosome arm</text>'
             '<text x="4" y="70">(an arm-level loss in a minority of cells moves each exon little: see the arm levels '
             'on the patient page). NA: no data for the exon.</text>')
    return b


def exon_cells(ex: pd.DataFrame | None) -> dict:
    """A sample's exon table as {exon: (ratio, call)}, the first row of each exon; a missing
    table or ratio (NA) gives NaN. One pass per sample (filtering per cell took 14 s at 1,000)."""
    if ex is None:
        return {}
    out = {}
    for e, r, call in zip(ex["exon"], ex["ratio"], ex["call"]):
        if e not in out:
            out[e] = (float(r) if str(r) != "NA" else float("nan"), call)
    return out
