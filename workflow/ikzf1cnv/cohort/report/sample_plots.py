"""A patient page's small figures: the chromosome arms' levels and the QC measures against
their thresholds (inline SVG)."""
from __future__ import annotations

import math
import re

from ...core.tables import comparison
from .html import E, svg
from .window_plot import EXPECTED, GREY, STATE_COLOURS, expected_log2


NEGATION = {">=": "<", "<=": ">"}


def _arm_key(arm: str):
    m = re.match(r"(\d+|X|Y)([pq])", arm)
    if not m:
        return (99, arm)
    c = m.group(1)
    return (int(c) if c.isdigit() else 23 if c == "X" else 24, m.group(2))


def arms_plot(arms: dict, blast: float | None, evaluable: bool, width: int = 230, height: int = 130) -> str:
    """Each tested arm's level (trimmed mean of its bins outside the gene windows) with its
    95% interval; orange where the arm was called lost; the level of a one-copy loss of the
    arm in all blasts (dashed)."""
    names = sorted(arms, key=_arm_key)
    lm, tm, bm, rm = 34, 26, 22, 8
    lo, hi = -1.0, 0.5
    if blast:
        lo = min(lo, math.floor(expected_log2(blast, 1) * 2) / 2 - 0.5)
    y = lambda v: round(tm + (height - tm - bm) * (hi - min(max(v, lo), hi)) / (hi - lo), 1)  # noqa: E731
    x = lambda i: round(lm + (i + 0.5) * (width - lm - rm) / max(len(names), 1), 1)  # noqa: E731
    b = [f'<text x="{lm}" y="12" font-weight="bold">Chromosome arms</text>']
    for t in (-1, 0):
        b.append(f'<line x1="{lm}" y1="{y(t)}" x2="{width - rm}" y2="{y(t)}" stroke="{"#999" if t == 0 else "#e6e6e6"}"/>'
                 f'<text x="{lm - 4}" y="{y(t) + 4}" text-anchor="end" fill="#555">{t}</text>')
    if blast and evaluable:
        b.append(f'<line x1="{lm}" y1="{y(expected_log2(blast, 1))}" x2="{width - rm}" y2="{y(expected_log2(blast, 1))}" '
                 f'stroke="{EXPECTED}" stroke-dasharray="6,3"><title>one-copy loss of the arm in all blasts</title></line>')
    for i, a in enumerate(names):
        r = arms[a]
        col = GREY if not evaluable else STATE_COLOURS[1] if r.get("lost") else STATE_COLOURS[0]
        lv, se = float(r["level"]), float(r["se"])
        tip = (f"{a}: level {lv:.3f} ± {1.96 * se:.3f} ({r['n_bins']} bins), "
               + ("not evaluable" if not evaluable else
                  f"lost in {100 * r['cell_fraction']:.0f}% of cells" if r.get("lost") else "not lost"))
        b.append(f'<line x1="{x(i)}" y1="{y(lv - 1.96 * se)}" x2="{x(i)}" y2="{y(lv + 1.96 * se)}" stroke="{col}"/>'
                 f'<circle cx="{x(i)}" cy="{y(lv)}" r="3.5" fill="{col if evaluable else "#fff"}" stroke="{col}">'
                 f'<title>{E(tip)}</title></circle>'
                 f'<text x="{x(i)}" y="{height - 6}" text-anchor="middle" fill="#555">{E(a)}</text>')
    if not names:
        b.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#777">no arm tested</text>')
    return svg(width, height, "".join(b))


def qc_plot(measures: list[tuple[str, float | None, float, str, str, int]], width: int = 230, height: int = 130) -> str:
    """Each QC measure as a bar against its threshold: (name, value, threshold, '>=' or '<=',
    unit, decimals at least). Green where it passes, red where it fails; the threshold a black tick."""
    lm, row = 8, 34
    b = ['<text x="8" y="12" font-weight="bold">Quality control</text>']
    for i, (name, value, thr, op, unit, nd) in enumerate(measures):
        y0 = 24 + i * row
        top = max(thr * 2, (value or 0) * 1.1, 1e-9)
        sc = lambda v: lm + (width - lm - 10) * min(v, top) / top  # noqa: E731
        ok = value is not None and (value >= thr if op == ">=" else value <= thr)
        col = "#2e7d32" if ok else "#c0392b"
        shown = f"NA (needs {op} {thr:g}{unit})" if value is None else \
            comparison(value, op if ok else NEGATION[op], thr, unit, nd) + (": pass" if ok else ": fail")
        b.append(f'<text x="{lm}" y="{y0 + 8}">{E(name)} {E(shown)}</text>'
                 f'<rect x="{lm}" y="{y0 + 12}" width="{width - lm - 10}" height="10" fill="#eee"/>')
        if value is not None:
            b.append(f'<rect x="{lm}" y="{y0 + 12}" width="{round(sc(value) - lm, 1)}" height="10" fill="{col}"/>')
        b.append(f'<line x1="{round(sc(thr), 1)}" y1="{y0 + 9}" x2="{round(sc(thr), 1)}" y2="{y0 + 25}" '
                 f'stroke="#000" stroke-width="2"><title>threshold {thr:g}{E(unit)}</title></line>')
    return svg(width, max(height, 30 + row * len(measures)), "".join(b))
