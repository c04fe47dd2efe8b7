"""A gene window as the model saw it (window_bins.tsv), as inline SVG: every position in
genomic order (exon units, intronic probes, flanking and off-target bins) with its 95%
interval, coloured by the copies the fit lost there; the fitted path; the levels a one- and
a two-copy loss would reach at the sample's blast fraction; exon boxes numbered; junctions
marked. A sample that is not evaluable is drawn grey, without a path: no call is shown.

The x axis is the positions' order (equally spaced, as the model takes them), labelled with
genomic coordinates; the y axis is log2 ratio, wide enough for every point and interval
(down to FLOOR; a point below it is drawn as a triangle on the axis, its value in its tooltip).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .html import E, svg

FLOOR = -5.0
STATE_COLOURS = {0: "#2c6e9b", 1: "#e67e22", 2: "#8e44ad"}
STATE_NAMES = {0: "no loss", 1: "one copy lost", 2: "two copies lost"}
GREY = "#a0a0a0"
EXPECTED = "#c0392b"
JUNCTION = "#1565c0"


@dataclass(frozen=True)
class WindowView:
    """One window to draw: its positions (one group's rows of window_bins.tsv), the fitted
    cell fraction (None: levels from the positions' weighted means per state), the blast
    fraction, the junctions, whether the sample is evaluable, and the figure's size."""
    title: str
    positions: pd.DataFrame
    cell_fraction: float | None = None
    blast: float | None = None
    junctions: list = field(default_factory=list)
    evaluable: bool = True
    width: int = 700
    height: int = 250


def expected_log2(f: float, k: int) -> float:
    return math.log2(max(1 - f * k / 2, 2 ** FLOOR))


def _levels(p: pd.DataFrame, f: float | None) -> dict[int, float]:
    """The fitted level of each state: the model's log2(1 - f k / 2) with the fitted cell
    fraction, else the inverse-variance mean of the state's positions."""
    out = {0: 0.0}
    for k in (1, 2):
        sel = p[p["state"] == k]
        if not len(sel):
            continue
        if f:
            out[k] = expected_log2(f, k)
        else:
            w = 1 / np.square(sel["se"].to_numpy(dtype=float))
            out[k] = float(np.sum(w * sel["log2"].to_numpy(dtype=float)) / np.sum(w))
    return out


@dataclass(frozen=True)
class _Frame:
    lm: int
    rm: int
    tm: int
    bm: int
    w: int
    h: int
    n: int
    lo: float
    hi: float

    def x(self, i: float) -> float:
        return round(self.lm + (i + 0.5) * (self.w - self.lm - self.rm) / max(self.n, 1), 1)

    def y(self, v: float) -> float:
        v = min(max(v, self.lo), self.hi)
        return round(self.tm + (self.h - self.tm - self.bm) * (self.hi - v) / (self.hi - self.lo), 1)


def _frame(v: WindowView, p: pd.DataFrame) -> _Frame:
    l2, se = p["log2"].to_numpy(dtype=float), p["se"].to_numpy(dtype=float)
    ok = np.isfinite(l2) & np.isfinite(se)
    low = float(np.min(l2[ok] - 1.96 * se[ok])) if ok.any() else -2.0
    high = float(np.max(l2[ok] + 1.96 * se[ok])) if ok.any() else 1.0
    if v.blast:
        low = min(low, expected_log2(v.blast, 2))
    lo = max(FLOOR, math.floor(min(low, -2.0) * 2) / 2)
    hi = min(2.0, math.ceil(max(high, 1.0) * 2) / 2)
    small = v.width < 400
    return _Frame(34 if small else 44, 8, 30 if small else 34, 22 if small else 30, v.width, v.height, len(p), lo, hi)


def _marker(kind: str, x: float, y: float, colour: str, filled: bool, tip: str) -> str:
    fill = colour if filled else "#fff"
    style = f'fill="{fill}" stroke="{colour}"'
    title = f"<title>{E(tip)}</title>" if tip else ""
    if kind == "exon":
        return f'<rect x="{x - 3.5}" y="{y - 3.5}" width="7" height="7" {style}>{title}</rect>'
    if kind == "flank":
        return f'<polygon points="{x},{y - 4.5} {x + 4.5},{y} {x},{y + 4.5} {x - 4.5},{y}" {style}>{title}</polygon>'
    if kind == "offtarget":
        return f'<polygon points="{x},{y - 4.5} {x + 4.5},{y + 3.5} {x - 4.5},{y + 3.5}" {style}>{title}</polygon>'
    return f'<circle cx="{x}" cy="{y}" r="3" {style}>{title}</circle>'


def _axes(fr: _Frame, p: pd.DataFrame, small: bool) -> list[str]:
    b = []
    for t in np.arange(math.ceil(fr.lo), math.floor(fr.hi) + 1):
        b.append(f'<line x1="{fr.lm}" y1="{fr.y(t)}" x2="{fr.w - fr.rm}" y2="{fr.y(t)}" '
                 f'stroke="{"#999" if t == 0 else "#e6e6e6"}"/>'
                 f'<text x="{fr.lm - 4}" y="{fr.y(t) + 4}" text-anchor="end" fill="#555">{int(t)}</text>')
    if not fr.n:
        return b
    n_ticks = 3 if small else 6
    idx = sorted({int(round(i)) for i in np.linspace(0, max(fr.n - 1, 0), min(n_ticks, max(fr.n, 1)))})
    min_gap = (fr.w - fr.lm - fr.rm) / (n_ticks + 0.5)
    idx = [i for k, i in enumerate(idx) if k == 0 or fr.x(i) - fr.x(idx[k - 1]) >= min_gap]
    for i in idx:
        mb = (int(p["start"].iloc[i]) + 1) / 1e6
        anchor = "start" if i == idx[0] and len(idx) > 1 else "end" if i == idx[-1] and len(idx) > 1 else "middle"
        b.append(f'<text x="{fr.x(i)}" y="{fr.h - 6}" text-anchor="{anchor}" fill="#555">{mb:.3f}</text>')
    if not small:
        b.append(f'<text x="12" y="{(fr.tm + fr.h - fr.bm) / 2}" transform="rotate(-90 12 {(fr.tm + fr.h - fr.bm) / 2})" '
                 f'text-anchor="middle" fill="#555">log2 ratio</text>')
    return b


def _exon_boxes(fr: _Frame, p: pd.DataFrame, small: bool) -> list[str]:
    step = (fr.w - fr.lm - fr.rm) / max(fr.n, 1)
    b, last_label = [], -1e9
    for i, (kind, exon) in enumerate(zip(p["kind"], p["exon"])):
        if kind != "exon":
            continue
        b.append(f'<rect x="{fr.x(i) - max(step * 0.35, 1.5):.1f}" y="{fr.tm}" width="{max(step * 0.7, 3):.1f}" '
                 f'height="{fr.h - fr.tm - fr.bm}" fill="#f1ecd9"/>')
        if fr.x(i) - last_label >= (12 if small else 14):
            b.append(f'<text x="{fr.x(i)}" y="{fr.tm - 3}" text-anchor="middle" font-size="{9 if small else 10}" '
                     f'fill="#6d5c1f">{E(str(exon))}</text>')
            last_label = fr.x(i)
    return b


def _junction_x(fr: _Frame, p: pd.DataFrame, pos0: int) -> float | None:
    """x of a genomic position between the positions around it (None outside the window)."""
    s = p["start"].to_numpy(dtype=float)
    if not len(s) or pos0 < s[0] or pos0 > p["end"].iloc[-1]:
        return None
    i = float(np.interp(pos0, s, np.arange(len(s))))
    return fr.x(i)


def _points(v: WindowView, fr: _Frame, p: pd.DataFrame) -> list[str]:
    """Each position's 95% interval and mark; small plots (a cohort's hundreds) draw the
    intervals as one path per colour and leave out the tooltips, to keep the report small."""
    b, small, bars = [], v.width < 400, {}
    for i, r in enumerate(p.itertuples(index=False)):
        l2, se = float(r.log2), float(r.se)
        if not math.isfinite(l2):
            continue
        st = int(r.state) if v.evaluable and r.state == r.state else 0
        col = STATE_COLOURS[st] if v.evaluable else GREY
        name = f"exon {r.exon}" if r.kind == "exon" else r.kind
        tip = "" if small else (f"{r.gene} {name} {r.chrom}:{int(r.start) + 1}-{int(r.end)}: log2 {l2:.2f} ± "
                                f"{1.96 * se:.2f}, " + (STATE_NAMES[st] if v.evaluable else "not evaluable"))
        bars.setdefault(col, []).append(f"M{fr.x(i)} {fr.y(l2 - 1.96 * se)}V{fr.y(l2 + 1.96 * se)}")
        if l2 < fr.lo:
            y = fr.y(fr.lo)
            b.append(f'<polygon points="{fr.x(i) - 4},{y - 7} {fr.x(i) + 4},{y - 7} {fr.x(i)},{y}" fill="{col}">'
                     f'<title>{E(tip or name)} (below the axis: {l2:.2f})</title></polygon>')
        else:
            b.append(_marker(r.kind, fr.x(i), fr.y(l2), col, v.evaluable, tip))
    return [f'<path d="{"".join(d)}" stroke="{c}" opacity=".6"/>' for c, d in bars.items()] + b


def _path(v: WindowView, fr: _Frame, p: pd.DataFrame) -> list[str]:
    if not v.evaluable or not len(p):
        return []
    lv = _levels(p, v.cell_fraction)
    states = list(p["state"].fillna(0).astype(int))
    pts = []
    for i, st in enumerate(states):        # a vertex where the state changes, and at the ends
        y = fr.y(lv.get(st, 0.0))
        if i == 0 or st != states[i - 1]:
            pts.append(f"{fr.x(i - 0.5)},{y}")
        if i == len(states) - 1 or st != states[i + 1]:
            pts.append(f"{fr.x(i + 0.5)},{y}")
    return [f'<polyline points="{" ".join(pts)}" fill="none" stroke="#111" stroke-width="1.6"/>']


def window_plot(v: WindowView) -> str:
    p = v.positions.sort_values("start").reset_index(drop=True)
    small = v.width < 400
    fr = _frame(v, p)
    b = [f'<text x="{fr.lm}" y="12" font-weight="bold">{E(v.title)}</text>']
    b += _exon_boxes(fr, p, small) + _axes(fr, p, small)
    if v.blast and v.evaluable:
        for k, dash in ((1, "6,3"), (2, "2,3")):
            y = fr.y(expected_log2(v.blast, k))
            b.append(f'<line x1="{fr.lm}" y1="{y}" x2="{fr.w - fr.rm}" y2="{y}" stroke="{EXPECTED}" '
                     f'stroke-dasharray="{dash}"><title>expected {k}-copy loss in all blasts '
                     f'(blast fraction {v.blast:.2f})</title></line>')
    for j in v.junctions:
        for pos0 in (int(j["start"]), int(j["end"])):
            x = _junction_x(fr, p, pos0)
            if x is not None:
                b.append(f'<line x1="{x}" y1="{fr.tm}" x2="{x}" y2="{fr.h - fr.bm}" stroke="{JUNCTION}" '
                         f'stroke-dasharray="3,2"><title>junction {E(j["label"])} at {E(j["chrom"])}:{pos0 + 1:,}'
                         f'</title></line>')
    b += _path(v, fr, p) + _points(v, fr, p)
    if not v.evaluable:
        b.append(f'<text x="{(fr.lm + fr.w) / 2}" y="{(fr.tm + fr.h - fr.bm) / 2}" text-anchor="middle" '
                 f'font-size="{14 if small else 20}" fill="#777" font-weight="bold">not evaluable: no call</text>')
    if not len(p):
        b.append(f'<text x="{(fr.lm + fr.w) / 2}" y="{fr.h / 2}" text-anchor="middle" fill="#777">no positions</text>')
    return svg(v.width, v.height, "".join(b))


def legend(width: int = 700) -> str:
    """What every mark of the window plots means (one legend for all of them)."""
    items = [(_marker("exon", 0, 0, STATE_COLOURS[0], True, "exon"), "exon unit (numbered box)"),
             (_marker("intronic", 0, 0, STATE_COLOURS[0], True, "intronic"), "intronic probe"),
             (_marker("flank", 0, 0, STATE_COLOURS[0], True, "flank"), "flanking bin"),
             (_marker("offtarget", 0, 0, STATE_COLOURS[0], True, "off-target"), "off-target bin"),
             *[(f'<rect x="-5" y="-5" width="10" height="10" fill="{c}"/>', STATE_NAMES[k])
               for k, c in STATE_COLOURS.items()],
             (f'<rect x="-5" y="-5" width="10" height="10" fill="#fff" stroke="{GREY}"/>', "not evaluable (grey)"),
             ('<line x1="0" y1="-6" x2="0" y2="6" stroke="#555"/>', "95% interval (±1.96 SE)"),
             ('<line x1="-8" y1="0" x2="8" y2="0" stroke="#111" stroke-width="1.6"/>', "fitted path"),
             (f'<line x1="-8" y1="0" x2="8" y2="0" stroke="{EXPECTED}" stroke-dasharray="6,3"/>',
              "one-copy loss in all blasts"),
             (f'<line x1="-8" y1="0" x2="8" y2="0" stroke="{EXPECTED}" stroke-dasharray="2,3"/>',
              "two-copy loss in all blasts"),
             (f'<line x1="0" y1="-6" x2="0" y2="6" stroke="{JUNCTION}" stroke-dasharray="3,2"/>', "junction"),
             ('<polygon points="-4,-5 4,-5 0,2" fill="#555"/>', "below the axis")]
    col_w, per_row = 172, max(1, width // 172)
    rows = math.ceil(len(items) / per_row)
    b = []
    for n, (mark, text) in enumerate(items):
        x, y = 12 + (n % per_row) * col_w, 12 + (n // per_row) * 18
        b.append(f'<g transform="translate({x},{y})">{mark}</g><text x="{x + 14}" y="{y + 4}">{E(text)}</text>')
    return svg(width, rows * 18 + 6, "".join(b)).replace("<svg ", '<svg class="legend" ', 1)
