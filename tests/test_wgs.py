"""Whole-genome mode's bins (wgs.py): the gene windows tiled in full, exons as bins of their
own, a backbone outside the windows."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.core import annotation
from ikzf1cnv.reads import wgs_bins


@pytest.fixture(scope="module")
def design(root, rules):
    units = annotation.read_tsv(root / "resources" / "hg38" / "exons.tsv")
    units = units[units["gene"].isin(annotation.modelled_genes(rules))]
    contigs = annotation.contigs_of(root / "resources" / "hg38" / "contigs.tsv")
    bins = wgs_bins.wgs_bins(units, contigs, rules, {"bin_size": 1000, "backbone_spacing": 1_000_000, "backbone_size": 5000}, [c for c in contigs if c != "chrY"])
    return units, contigs, bins


def test_every_exon_unit_is_a_bin_of_its_own(design):
    units, _, bins = design
    ex = bins[~bins["name"].isin(["window", "backbone"])]
    want = {(r.chrom, int(r.start) - 1, int(r.end)) for r in units.itertuples()}
    assert set(zip(ex["chrom"], ex["start"], ex["end"])) == want


def test_windows_are_tiled_in_full_between_the_exons(design, rules):
    units, _, bins = design
    tiles = bins[bins["name"] == "window"]
    assert (tiles["end"] - tiles["start"]).max() <= 1000 and (tiles["end"] - tiles["start"]).min() >= 250
    ex = bins[~bins["name"].isin(["window", "backbone"])]
    for c, g in tiles.groupby("chrom"):
        e = ex[ex["chrom"] == c]
        for r in g.itertuples():   # no tile overlaps an exon unit
            assert not ((e["start"] < r.end) & (e["end"] > r.start)).any()
    # IKZF1's window (300 kb before exon 1 to 700 kb after exon 8): tiles and exons cover
    # all of it but the slivers (< 250 bp) between a tile edge and an exon
    c, s, e = annotation.window_of(units, ["IKZF1"], rules["windows"])
    inside = bins[(bins["chrom"] == c) & (bins["start"] >= s) & (bins["end"] <= e)]
    assert inside["end"].sub(inside["start"]).sum() / (e - s) > 0.99
    assert len(inside) > 1000   # about one per kb: what a genome gives, against ~50 positions on a panel


def test_backbone_outside_the_windows_on_every_chromosome_but_y(design, rules):
    units, contigs, bins = design
    bb = bins[bins["name"] == "backbone"]
    assert set(bb["chrom"]) == set(contigs) - {"chrY"}
    assert ((bb["end"] - bb["start"]) == 5000).all()
    wins = wgs_bins.window_regions(units, rules)
    for w in wins.itertuples():
        assert not ((bb["chrom"] == w.chrom) & (bb["start"] < w.end) & (bb["end"] > w.start)).any()
    # one per Mb: chr7 (159 Mb) has ~158 outside IKZF1's 1.1 Mb window
    assert 150 <= (bb["chrom"] == "chr7").sum() <= 159
    order = {c: i for i, c in enumerate(contigs)}
    key = list(zip(bins["chrom"].map(order), bins["start"]))
    assert key == sorted(key)


def test_overlapping_windows_are_merged():
    units = pd.DataFrame({"gene": ["A", "B"], "exon": ["1", "1"], "chrom": ["chr1", "chr1"],
                          "start": [100_001, 150_001], "end": [100_100, 150_100], "strand": ["+", "+"]})
    rules = {"genes": {"A": "any", "B": "any"}, "groups": [], "par1": {"context": []},
             "windows": {"default": {"left": 30_000, "right": 30_000}}}
    w = wgs_bins.window_regions(units, rules)
    assert w[["chrom", "start", "end"]].values.tolist() == [["chr1", 70_000, 180_100]]
    bins = wgs_bins.wgs_bins(units, {"chr1": 1_000_000}, rules, {"bin_size": 1000, "backbone_spacing": 500_000, "backbone_size": 5000}, ["chr1"])
    tiles = bins[bins["name"] == "window"]
    assert not tiles.duplicated(["start", "end"]).any()
    assert tiles["start"].is_monotonic_increasing
    assert np.all(tiles["start"].to_numpy()[1:] >= tiles["end"].to_numpy()[:-1])   # no overlaps
