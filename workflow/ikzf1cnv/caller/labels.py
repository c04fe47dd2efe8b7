"""Exon sets to the contract's deletion labels (del4-7, del1-8, del2-3+del6-8, ...)."""
from __future__ import annotations

from collections.abc import Iterable


def runs(exons: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous runs of exon numbers, sorted: {2,3,6,7,8} -> [(2,3),(6,8)]."""
    out: list[list[int]] = []
    for e in sorted(set(int(x) for x in exons)):
        if out and e == out[-1][1] + 1:
            out[-1][1] = e
        else:
            out.append([e, e])
    return [(a, b) for a, b in out]


def deletion_label(exons: Iterable[int]) -> str:
    """'none' for no exon, 'delA' for one exon, 'delA-B' for a run, runs joined by '+'."""
    rs = runs(exons)
    if not rs:
        return "none"
    return "+".join(f"del{a}" if a == b else f"del{a}-{b}" for a, b in rs)


def exon_list(exons: Iterable[int]) -> str:
    """Comma-separated sorted exon numbers ('' when none)."""
    return ",".join(str(e) for e in sorted(set(int(x) for x in exons)))


def parse_label(label: str) -> list[int]:
    """Inverse of deletion_label: 'del2-3+del6' -> [2, 3, 6]; 'none'/'NA' -> []."""
    if label in ("none", "NA", ""):
        return []
    out: list[int] = []
    for part in label.split("+"):
        body = part.removeprefix("del")
        a, _, b = body.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out
