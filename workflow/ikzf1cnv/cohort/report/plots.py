"""The report's figures as inline SVG: frequencies against the literature, deletion types,
the MLPA-style exon heatmap and each sample's exon plot."""
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


def heatmap(calls: pd.DataFrame, exons: dict[str, pd.DataFrame]) -> str:
    samples = list(calls["sample"])
    cw, rh, lm, tm = 52, 22, 110, 40
    w, h = lm + cw * 8 + 260, tm + rh * len(samples) + 10
    b = ['<text x="4" y="14" font-weight="bold">IKZF1 exon dosage ratio by sample (MLPA-style; '
         'red = loss, dark = both copies, blue = gain; ✱ = called loss)</text>']
    for e in range(1, 9):
        b.append(f'<text x="{lm + cw * (e - 1) + cw / 2}" y="{tm - 6}" text-anchor="middle">exon {e}</text>')
    for i, (s, st, lab) in enumerate(zip(samples, calls["status"], calls["ikzf1_deletion"])):
        y = tm + rh * i
        b.append(f'<text x="{lm - 6}" y="{y + 15}" text-anchor="end">{E(s)}</text>')
        cells = exon_cells(exons.get(s))
        for e in range(1, 9):
            r, call = cells.get(e, (float("nan"), ""))
            mark = "✱" if call in ("loss", "biallelic_loss") else ""
            txt = "NA" if not math.isfinite(r) else f"{r:.2f}"
            b.append(f'<rect x="{lm + cw * (e - 1)}" y="{y}" width="{cw - 2}" height="{rh - 2}" fill="{ratio_colour(r)}">'
                     f'<title>{E(s)} exon {e}: ratio {txt}, {call}</title></rect>'
                     f'<text x="{lm + cw * (e - 1) + cw / 2 - 1}" y="{y + 15}" text-anchor="middle" '
                     f'fill="{"#fff" if math.isfinite(r) and r < 0.45 else "#000"}">{txt}{mark}</text>')
        b.append(f'<text x="{lm + cw * 8 + 8}" y="{y + 15}" fill="{COLORS.get(st, "#000")}">{E(st)} {E(lab)}</text>')
    return svg(w, h, "".join(b))


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


def exon_plot(sample: str, ex: pd.DataFrame, purity: float | None) -> str:
    """Per-sample plot: log2 per exon with 95% CI, expected one- and two-copy loss levels."""
    w, h, lm, tm = 380, 180, 40, 20
    lo, hi = -2.5, 1.0
    y = lambda v: tm + (h - tm - 25) * (hi - max(min(v, hi), lo)) / (hi - lo)  # noqa: E731
    x = lambda e: lm + (w - lm - 10) * (e - 0.5) / 8  # noqa: E731
    b = [f'<text x="{lm}" y="12" font-weight="bold">{E(sample)}</text>']
    for v in (-2, -1, 0, 1):
        b.append(f'<line x1="{lm}" y1="{y(v)}" x2="{w - 10}" y2="{y(v)}" stroke="#eee"/>'
                 f'<text x="{lm - 4}" y="{y(v) + 4}" text-anchor="end" fill="#666">{v}</text>')
    if purity:
        for k, dash in ((1, "4,3"), (2, "1,3")):
            v = math.log2(max(1 - purity * k / 2, 2 ** lo))
            b.append(f'<line x1="{lm}" y1="{y(v)}" x2="{w - 10}" y2="{y(v)}" stroke="#c0392b" stroke-dasharray="{dash}">'
                     f'<title>expected {k}-copy loss at blast fraction {purity:.2f}</title></line>')
    for r in ex.itertuples(index=False):
        e = int(r.exon)
        b.append(f'<text x="{x(e)}" y="{h - 8}" text-anchor="middle" fill="#666">{e}</text>')
        try:
            l2, se = float(r.log2), float(r.se)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(l2):
            continue
        col = {"loss": "#e67e22", "biallelic_loss": "#8e44ad"}.get(r.call, "#2e7d32")
        b.append(f'<line x1="{x(e)}" y1="{y(l2 - 1.96 * se)}" x2="{x(e)}" y2="{y(l2 + 1.96 * se)}" stroke="{col}"/>'
                 f'<circle cx="{x(e)}" cy="{y(l2)}" r="4" fill="{col}"><title>exon {e}: log2 {l2:.2f}, {r.call}</title></circle>')
    return svg(w, h, "".join(b))
