"""Whole-genome mode's bins: every gene window tiled in full, and a sparse genome backbone.

A genome BAM covers every intron and flank, so the caller's windows (rules.yaml
`windows`, the same windows the model runs over) are tiled completely: each exon unit is
a bin of its own (the labels are made of these), and the rest of the window is cut into
bins of about `bin_size` bp, split at exon boundaries. Outside the windows a backbone bin
of `backbone_size` bp every `backbone_spacing` bp of each chromosome gives the arm and
chromosome levels and the sample's recentring. Every bin is read through the BAM index
(reads.coverage.bin_coverages), so the work grows with the loci, not with the BAM.

All sizes come from the config (`wgs`); coordinates from resources/<build>/exons.tsv.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.annotation import group_windows

BIN_COLS = ["chrom", "start", "end", "name"]


def window_regions(units: pd.DataFrame, rules: dict) -> pd.DataFrame:
    """Each model group's window (chrom, start0, end, group), overlapping windows merged."""
    rows = [(c, s, e, key) for key, (c, s, e) in group_windows(units, rules).items()]
    df = pd.DataFrame(rows, columns=["chrom", "start", "end", "group"]).sort_values(["chrom", "start"])
    merged: list[list] = []
    for r in df.itertuples(index=False):
        if merged and merged[-1][0] == r.chrom and r.start <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], r.end)
            merged[-1][3] += "," + r.group
        else:
            merged.append([r.chrom, r.start, r.end, r.group])
    return pd.DataFrame(merged, columns=["chrom", "start", "end", "group"])


def tile_window(chrom: str, start: int, end: int, exons: pd.DataFrame, bin_size: int, min_bin: int) -> list[tuple]:
    """Bins of about bin_size over [start, end) between the exon units (0-based half-open
    intervals in `exons`, which become bins of their own): cut at every tile boundary and
    every exon edge; pieces shorter than min_bin are left out."""
    ex = exons[(exons["chrom"] == chrom) & (exons["end"] > start) & (exons["start"] < end)]
    cuts = set(range(start, end, bin_size)) | {end}
    cuts |= {int(x) for x in ex["start"] if start < x < end} | {int(x) for x in ex["end"] if start < x < end}
    cuts = sorted(cuts)
    es, ee = ex["start"].to_numpy(), ex["end"].to_numpy()
    out = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        if b - a < min_bin or ((es < b) & (ee > a)).any():
            continue
        out.append((chrom, a, b, "window"))
    return out


def wgs_bins(units: pd.DataFrame, contigs: dict[str, int], rules: dict, layout: dict, chroms: list[str]) -> pd.DataFrame:
    """The bins of whole-genome mode as BED rows (chrom, start0, end, name), in contig
    order: exon units (`<gene>_<exon>`), window tiles (`window`), backbone (`backbone`);
    `layout`: config `wgs` (bin_size, backbone_spacing, backbone_size)."""
    bin_size, backbone_spacing, backbone_size = layout["bin_size"], layout["backbone_spacing"], layout["backbone_size"]
    ex = units.assign(start=units["start"].astype(int) - 1, end=units["end"].astype(int),
                      name=units["gene"] + "_" + units["exon"].astype(str))[BIN_COLS]
    ex = ex.drop_duplicates(["chrom", "start", "end"])
    wins = window_regions(units, rules)
    rows = [tuple(r) for r in ex.itertuples(index=False)]
    for w in wins.itertuples(index=False):
        rows += tile_window(w.chrom, int(w.start), int(w.end), ex, bin_size, max(bin_size // 4, 1))
    for c in chroms:
        wc = wins[wins["chrom"] == c]
        for mid in np.arange(backbone_spacing // 2, contigs[c] - backbone_size, backbone_spacing):
            a, b = int(mid) - backbone_size // 2, int(mid) + backbone_size // 2
            if a < 0 or ((wc["start"].to_numpy() < b) & (wc["end"].to_numpy() > a)).any():
                continue
            rows.append((c, a, b, "backbone"))
    df = pd.DataFrame(rows, columns=BIN_COLS)
    order = {c: i for i, c in enumerate(contigs)}
    df = df[df["chrom"].isin(order)]
    return df.assign(o=df["chrom"].map(order)).sort_values(["o", "start", "end"]).drop(columns="o") \
        .reset_index(drop=True)
