"""Independent oracles for the property tests: each computes from its definition, by brute
force (every path, every pair), what a fast function of the package must return. Nothing
here imports the code it checks."""
from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter

import numpy as np


# ------------------------------------------------------------------ the exon-level model
def huber(z: float, k: float) -> float:
    a = abs(z)
    return 0.5 * a * a if a <= k else k * a - 0.5 * k * k


def mu(f: float, k: int, floor: float) -> float:
    """Expected log2 of a k-copy loss in a fraction f of cells: log2(1 - f k / 2), at least floor."""
    r = 1.0 - f * k / 2.0
    return max(math.log2(r), floor) if r > 0 else floor


def grid(f_min: float, f_max: float, f_step: float) -> list[float]:
    """Every f_min + j f_step up to f_max, and f_max itself (f_max is at least f_min, at most 1)."""
    f_max = min(max(f_max, f_min), 1.0)
    out, j = [], 0
    while f_min + j * f_step <= f_max + 1e-9:
        out.append(round(f_min + j * f_step, 6))
        j += 1
    if out[-1] < f_max - 1e-9:
        out.append(f_max)
    return out


def path_cost(l, s, path, f, p, blast=None, blast_sd=0.0) -> float:
    """The model's objective for one path of states at one cell fraction (model.py's docstring):
    Huber residuals of the positions with data, a switch penalty per state change (entering
    from and returning to state 0 counted), a biallelic penalty per entry into state 2, and
    the cost of a cell fraction above the blast fraction."""
    c, prev = 0.0, 0
    for x, se, k in zip(l, s, path):
        se = se if (math.isfinite(se) and se > 0) else 1.0
        if math.isfinite(x):
            c += huber((max(x, p.log2_floor) - mu(f, k, p.log2_floor)) / se, p.huber_k)
        c += p.switch_penalty * (k != prev) + p.biallelic_penalty * (k == 2 and prev != 2)
        prev = k
    c += p.switch_penalty * (prev != 0)
    if blast is not None and blast_sd > 0:
        c += 0.5 * (max(f - blast, 0.0) / blast_sd) ** 2
    return c


def fit_by_enumeration(l, s, p, f_max=1.0, blast=None, blast_sd=0.0) -> dict:
    """Every path of states (3^n) at every cell fraction of the grid: the cost table, its
    minimum per cell fraction (the profile), the best cost, and the null (all-0) cost."""
    fs = grid(p.f_min, f_max, p.f_step)
    paths = list(itertools.product((0, 1, 2), repeat=len(l)))
    table = np.array([[path_cost(l, s, q, f, p, blast, blast_sd) for f in fs] for q in paths])
    null = path_cost(l, s, (0,) * len(l), fs[0], p)   # the all-0 path costs its residuals alone
    return {"grid": np.array(fs), "paths": paths, "table": table, "profile": table.min(axis=0),
            "best": float(table.min()), "null": null}


def one_run(q) -> bool:
    """A path with one run of one state: 0...0 k...k 0...0."""
    ks = [k for k in q if k]
    first, last = q.index(ks[0]), len(q) - 1 - q[::-1].index(ks[0])
    return len(set(ks)) == 1 and all(q[first:last + 1])


def critical_penalty_by_enumeration(l, s, p, f_max=1.0, runs="any") -> float:
    """The largest switch penalty at which some path beats the null: over every path with an
    event (runs='one': only those of one run of one state) and every cell fraction,
    (null - residuals - biallelic entries) / number of switches."""
    fs = grid(p.f_min, f_max, p.f_step)
    p0 = dataclasses.replace(p, switch_penalty=0.0)
    null = path_cost(l, s, (0,) * len(l), fs[0], p0)
    best = 0.0
    for q in itertools.product((0, 1, 2), repeat=len(l)):
        if not any(q) or (runs == "one" and not one_run(q)):
            continue
        switches = sum(a != b for a, b in zip((0,) + q, q + (0,)))
        for f in fs:
            best = max(best, (null - path_cost(l, s, q, f, p0)) / switches)
    return best


# ------------------------------------------------------------------ labels
def label_by_definition(exons) -> str:
    """'none', or the maximal runs of consecutive exon numbers, ascending, as delA / delA-B, joined by '+'."""
    e = sorted(set(int(x) for x in exons))
    if not e:
        return "none"
    parts, start = [], e[0]
    for a, b in zip(e, e[1:] + [None]):
        if b != a + 1:
            parts.append(f"del{start}" if start == a else f"del{start}-{a}")
            start = b
    return "+".join(parts)


# ------------------------------------------------------------------ junction clustering
def cluster_by_definition(records, tol):
    """cluster's definition, every record against every later one (no bounded scan): in
    (chrom, left, right) order, a record not yet taken opens a junction of every record not
    yet taken within tol bp at both ends, placed at the most common (left, right), the
    smallest of ties."""
    rows = []
    for chrom in sorted({r[0] for r in records}):
        pts = sorted((l, r) for c, l, r in records if c == chrom)
        used = [False] * len(pts)
        for i, (l0, r0) in enumerate(pts):
            if used[i]:
                continue
            m = [j for j in range(i, len(pts)) if not used[j] and abs(pts[j][0] - l0) <= tol
                 and abs(pts[j][1] - r0) <= tol]
            for j in m:
                used[j] = True
            vals = Counter(pts[j] for j in m)
            top = min(k for k, v in vals.items() if v == max(vals.values()))
            rows.append((chrom, top[0], top[1], len(m), 0, 1))
    return rows


def cluster_pairs_by_definition(records, window):
    """cluster_pairs' definition, every pair against every later one: in sorted order, a pair
    not yet taken opens a cluster of every pair not yet taken on its chromosome whose left
    end and right start each lie within `window` bp of its own; (chrom, largest left,
    smallest right, count, smallest left, largest right)."""
    df = sorted(records)
    used = [False] * len(df)
    out = []
    for i, (c0, l0, r0) in enumerate(df):
        if used[i]:
            continue
        m = [j for j in range(len(df)) if not used[j] and df[j][0] == c0 and abs(df[j][1] - l0) <= window
             and abs(df[j][2] - r0) <= window]
        for j in m:
            used[j] = True
        ls, rs = [df[j][1] for j in m], [df[j][2] for j in m]
        out.append((c0, max(ls), min(rs), len(m), min(ls), max(rs)))
    return out


def merge_by_definition(split_rows, pairs, window, tol):
    """merge_pairs' definition: each pair cluster goes to the split-read junction it
    brackets (reads ending at most tol bp past its ends, within window bp of them) with the
    most split reads, then the leftmost, then the first; else it is a junction of its own."""
    out = [list(r) for r in split_rows]
    extra = []
    for c, il, ir, k, ol, orr in pairs:
        fits = [i for i, r in enumerate(out) if r[0] == c and r[1] >= il - tol and r[1] - ol <= window
                and r[2] <= ir + tol and orr - r[2] <= window]
        if fits:
            best = sorted(fits, key=lambda i: (-out[i][3], out[i][1], i))[0]
            out[best][4] += k
        else:
            extra.append([c, il, ir, 0, k, 0])
    return sorted(out + extra, key=lambda r: (r[0], r[1], r[2]))
