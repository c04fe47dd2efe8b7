"""Panels of the simulator: the toy's loci panel (every exon unit and a backbone)."""
from __future__ import annotations

import pandas as pd

BACKBONE_CLEARANCE = 10_000  # bp between a backbone bin and a gene target (loci_panel)


def loci_panel(units: pd.DataFrame, contigs: dict[str, int], backbone_per_chrom: int,
               backbone_size: int, max_target: int, chroms: list[str]) -> pd.DataFrame:
    """BED rows (chrom, start0, end, name) over every exon unit (clipped to max_target bp,
    keeping the splice side) plus `backbone_per_chrom` evenly spaced backbone regions per
    chromosome (none within 10 kb of a gene region). Used to design simulated panels
    (whole-genome mode has its own bins: wgs.py)."""
    rows = []
    for u in units.itertuples(index=False):
        s0, e = int(u.start) - 1, int(u.end)
        if e - s0 > max_target:
            # keep the splice-side end of the exon (coding side for terminal exons)
            if u.strand == "+" and str(u.exon) != "1":
                e = s0 + max_target
            else:
                s0 = e - max_target
        rows.append((u.chrom, s0, e, f"{u.gene}_{u.exon}"))
    for c in chroms:
        L = contigs[c]
        for i in range(backbone_per_chrom):
            mid = int(L * (i + 0.5) / backbone_per_chrom)
            rows.append((c, mid - backbone_size // 2, mid + backbone_size // 2, f"backbone_{c}_{i + 1}"))
    df = pd.DataFrame(rows, columns=["chrom", "start", "end", "name"])
    order = {c: i for i, c in enumerate(contigs)}
    df["o"] = df["chrom"].map(order)
    df = df.sort_values(["o", "start", "end"]).drop(columns="o").reset_index(drop=True)
    # drop backbone targets that collide with gene targets (within 10 kb)
    keep = []
    for r in df.itertuples(index=False):
        if r.name.startswith("backbone"):
            near = df[(df["chrom"] == r.chrom) & ~df["name"].str.startswith("backbone")
                      & (df["end"] > r.start - BACKBONE_CLEARANCE) & (df["start"] < r.end + BACKBONE_CLEARANCE)]
            if len(near):
                continue
        keep.append(r)
    return pd.DataFrame(keep).reset_index(drop=True)
