"""A gene group's window as positions (caller/window.py), by hand on a dozen bins: which bins
are positions, of which kind and gene, the exon means, the window's edges, the order."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import window

NAN = float("nan")
# ALPHA: exons 1001-1100 and 2001-2100 (span 1001-2100); BETA: 1501-1550 and 1571-1600, inside ALPHA's span;
# GAMMA elsewhere (gene names of several letters: a fixed-width array of "" would cut them to one)
UNITS = pd.DataFrame({"gene": ["ALPHA", "BETA", "BETA", "ALPHA", "GAMMA"], "exon": ["1", "1", "2", "2", "1"],
                      "chrom": ["chr1", "chr1", "chr1", "chr1", "chr2"], "start": [1001, 1501, 1571, 2001, 501],
                      "end": [1100, 1550, 1600, 2100, 600]})
WINDOWS = {"default": {"left": 500, "right": 700}}      # ALPHA+BETA: [1000 - 500, 2100 + 700) = [500, 2800)
# name, chrom, start, end, log2, variance, depth, off-target, expected reads
BINS = [("b0", "chr1", 400, 500, 0.1, 0.01, 100, False, 0),        # before the window
        ("b1", "chr1", 500, 560, 0.2, 0.01, 101, False, 0),        # at its start: flank
        ("b12", "chr1", 600, 900, 0.3, 0.09, 1, True, 25),         # off-target with 25 reads expected
        ("b19", "chr1", 950, 1000, 0.25, 0.01, 115, False, 0),     # ends where ALPHA's span starts: flank
        ("b2", "chr1", 1000, 1050, -0.2, 0.01, 102, False, 0),     # exon A1
        ("b3", "chr1", 1050, 1100, -0.4, 0.04, 104, False, 0),     # exon A1
        ("b4", "chr1", 1200, 1250, -0.5, 0.01, 105, False, 0),     # intronic (A)
        ("b18", "chr1", 1260, 1290, -0.6, 0.16, 2, True, 30),      # off-target inside A's span
        ("b15", "chr1", 1300, 1350, NAN, 0.01, 0, False, 0),       # no ratio: not a position
        ("b5", "chr1", 1500, 1550, -0.7, 0.04, 107, False, 0),     # exon B1
        ("b7", "chr1", 1555, 1565, -0.8, 0.01, 108, False, 0),     # in A's and B's spans: A's (first by name)
        ("b6", "chr1", 1700, 1750, -0.9, 0.01, 109, False, 0),     # intronic (A)
        ("b17", "chr1", 1800, 1850, NAN, 0.01, 0, False, 0),
        ("b9", "chr1", 2050, 2110, -1.0, 0.01, 110, False, 0),     # exon A2 (overlaps it)
        ("b20", "chr1", 2100, 2105, 0.35, 0.01, 116, False, 0),    # starts where ALPHA's span ends: flank
        ("b8", "chr1", 2110, 2150, 0.4, 0.01, 111, False, 0),      # flank
        ("b13", "chr1", 2200, 2500, 0.5, 0.09, 1, True, 19),       # 19 reads expected: too few
        ("b14", "chr1", 2200, 2500, 0.6, 0.09, 1, True, 20),       # 20: enough
        ("b10", "chr1", 2750, 2800, 0.7, 0.01, 112, False, 0),     # at the window's end: flank
        ("b11", "chr1", 2760, 2810, 0.8, 0.01, 113, False, 0),     # beyond it
        ("b16", "chr2", 500, 550, 0.9, 0.01, 114, False, 0)]       # GAMMA's exon, another chromosome


def _sb():
    b = pd.DataFrame(BINS, columns=["name", "chromosome", "start", "end", "log2", "var", "depth", "offtarget", "reads"])
    bins = b[["chromosome", "start", "end", "log2", "depth", "offtarget"]]
    return window.sample_bins(bins, b["var"].to_numpy(), b["reads"].to_numpy(dtype=float), UNITS), b


def test_exon_positions_are_inverse_variance_means_of_their_bins():
    sb, b = _sb()
    ex = sb.exons
    assert list(ex.columns) == ["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth"]
    assert ex[["gene", "exon", "chrom", "start", "end", "n_bins"]].values.tolist() == [
        ["ALPHA", "1", "chr1", 1001, 1100, 2], ["BETA", "1", "chr1", 1501, 1550, 1], ["BETA", "2", "chr1", 1571, 1600, 0],
        ["ALPHA", "2", "chr1", 2001, 2100, 1], ["GAMMA", "1", "chr2", 501, 600, 1]]
    a1 = ex.iloc[0]   # -0.2 (var 0.01) and -0.4 (var 0.04): weights 100 and 25
    assert a1["log2"] == pytest.approx((100 * -0.2 + 25 * -0.4) / 125) and a1["se"] == pytest.approx(math.sqrt(1 / 125))
    assert a1["depth"] == 103.0
    assert ex.iloc[1][["log2", "se", "depth"]].tolist() == pytest.approx([-0.7, 0.2, 107.0])
    assert ex.iloc[2][["log2", "se", "depth"]].isna().all()
    # the bins over exon units are not positions of their own (nor is an off-target bin ever an exon's)
    assert b["name"][sb.in_exon].tolist() == ["b2", "b3", "b5", "b9", "b16"]


def test_window_positions_by_hand():
    sb, _ = _sb()
    pos = window.window_positions(["ALPHA", "BETA"], sb, UNITS, WINDOWS, 20)
    assert list(pos.columns) == window.POSITION_COLS and (pos["group"] == "ALPHA+BETA").all()
    assert (pos["chrom"] == "chr1").all()
    want = [  # start, end, kind, gene, exon, n_bins, log2, se, depth
        (500, 560, "flank", "", "", 1, 0.2, 0.1, 101), (600, 900, "offtarget", "", "", 1, 0.3, 0.3, 1),
        (950, 1000, "flank", "", "", 1, 0.25, 0.1, 115),
        (1000, 1100, "exon", "ALPHA", "1", 2, -0.24, math.sqrt(1 / 125), 103),
        (1200, 1250, "intronic", "ALPHA", "", 1, -0.5, 0.1, 105), (1260, 1290, "offtarget", "ALPHA", "", 1, -0.6, 0.4, 2),
        (1500, 1550, "exon", "BETA", "1", 1, -0.7, 0.2, 107), (1555, 1565, "intronic", "ALPHA", "", 1, -0.8, 0.1, 108),
        (1570, 1600, "exon", "BETA", "2", 0, NAN, NAN, NAN), (1700, 1750, "intronic", "ALPHA", "", 1, -0.9, 0.1, 109),
        (2000, 2100, "exon", "ALPHA", "2", 1, -1.0, 0.1, 110), (2100, 2105, "flank", "", "", 1, 0.35, 0.1, 116),
        (2110, 2150, "flank", "", "", 1, 0.4, 0.1, 111), (2200, 2500, "offtarget", "", "", 1, 0.6, 0.3, 1),
        (2750, 2800, "flank", "", "", 1, 0.7, 0.1, 112)]
    cols = ["start", "end", "kind", "gene", "exon", "n_bins"]
    assert [tuple(r) for r in pos[cols].itertuples(index=False)] == [w[:6] for w in want]
    for c, i in (("log2", 6), ("se", 7), ("depth", 8)):
        np.testing.assert_allclose(pos[c].to_numpy(dtype=float), [w[i] for w in want], rtol=1e-12, equal_nan=True)
    assert pos["start"].dtype == np.int64 and pos["end"].dtype == np.int64 and pos["n_bins"].dtype == np.int64
    assert window.evidence(pos) == "exon=3,intronic=3,flank=5,offtarget=3"   # BETA's exon 2 has no data
    # a single gene's window: BETA alone reaches [1000, 2300); its span is its own, and ALPHA's exon
    # bins (positions of ALPHA's exons) are none of its
    posb = window.window_positions(["BETA"], sb, UNITS, WINDOWS, 20)
    assert posb["group"].iloc[0] == "BETA" and posb["start"].min() == 1200 and posb["end"].max() == 2150
    assert posb.loc[posb["start"] == 1555, "kind"].item() == "intronic" and posb.loc[posb["start"] == 1200, "kind"].item() == "flank"


def test_window_positions_on_a_chromosome_without_bins():
    sb, _ = _sb()
    units = pd.concat([UNITS, pd.DataFrame({"gene": ["D"], "exon": ["1"], "chrom": ["chr5"], "start": [101], "end": [200]})])
    # the only bin is on chr1, at coordinates inside D's window [0, 900) on chr5: none of D's
    sb = window.sample_bins(pd.DataFrame({"chromosome": ["chr1"], "start": [300], "end": [350], "log2": [0.1],
                                          "depth": [10.0], "offtarget": [False]}), np.array([0.01]), np.array([0.0]),
                            units)
    pos = window.window_positions(["D"], sb, units, WINDOWS, 20)
    assert pos[["start", "end", "kind", "n_bins"]].values.tolist() == [[100, 200, "exon", 0]]
    assert window.evidence(pos) == "exon=0,intronic=0,flank=0,offtarget=0"


def test_bin_arrays_index_each_chromosome():
    bins = pd.DataFrame({"chromosome": ["chr2", "chr1", "chr2"], "start": [1, 2, 3], "end": [4, 5, 6],
                         "log2": [0.1, NAN, 0.3], "depth": [1, 2, 3], "offtarget": [True, False, False]})
    a = window.bin_arrays(bins)
    assert {c: v.tolist() for c, v in a["by_chrom"].items()} == {"chr1": [1], "chr2": [0, 2]}
    assert a["finite"].tolist() == [True, False, True] and a["offtarget"].dtype == bool
    assert a["depth"].dtype == float and a["start"].tolist() == [1, 2, 3] and a["end"].tolist() == [4, 5, 6]


def test_a_bin_right_after_a_one_base_first_exon_is_in_the_gene():
    """A gene's span begins with its first exon; a bin starting just after a first exon of one
    base (1-based 1001, 0-based [1000, 1001)) lies inside the span: intronic, not flank."""
    units = pd.DataFrame({"gene": ["EPS", "EPS"], "exon": ["1", "2"], "chrom": ["chr1", "chr1"], "start": [1001, 3001],
                          "end": [1001, 3100]})
    bins = pd.DataFrame({"chromosome": ["chr1"] * 3, "start": [1001, 999, 990], "end": [1002, 1000, 1001],
                         "log2": [0.1, 0.2, -0.3], "depth": [10.0, 11.0, 12.0], "offtarget": [False, False, False]})
    sb = window.sample_bins(bins, np.array([0.01, 0.01, 0.04]), np.array([0.0, 0.0, 0.0]), units)
    pos = window.window_positions(["EPS"], sb, units, WINDOWS, 20)
    assert pos[["start", "kind", "gene"]].values.tolist() == [[999, "flank", ""], [1000, "exon", "EPS"],
                                                              [1001, "intronic", "EPS"], [3000, "exon", "EPS"]]
    # the exon's one base is covered by the bin 990-1001 only
    assert pos[["n_bins", "log2", "se"]].iloc[1].tolist() == pytest.approx([1, -0.3, 0.2])


def test_exon_positions_of_no_unit_have_the_columns():
    sb, b = _sb()
    ex, used = window.exon_positions(b[["chromosome", "start", "end", "log2", "depth", "offtarget"]], b["var"].to_numpy(),
                                     UNITS.iloc[:0])
    assert list(ex.columns) == ["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth"] and ex.empty
    assert not used.any() and len(used) == len(b)


def test_bin_arrays_keep_each_chromosomes_bins_in_their_order():
    """Many bins of two chromosomes interleaved (numpy's default sort is not stable beyond a
    handful of equal keys): each chromosome's indices ascending, in the table's order."""
    chrom = ["chr1" if i % 3 else "chr2" for i in range(200)]
    bins = pd.DataFrame({"chromosome": chrom, "start": range(200), "end": range(1, 201), "log2": [0.0] * 200,
                         "depth": [1.0] * 200, "offtarget": [False] * 200})
    a = window.bin_arrays(bins)
    assert a["by_chrom"]["chr1"].tolist() == [i for i in range(200) if i % 3]
    assert a["by_chrom"]["chr2"].tolist() == list(range(0, 200, 3))


def test_overlapping_bins_share_no_base_with_a_touching_bin():
    """[lo, hi) against bins [0, 10), [10, 20), [20, 30): a bin ending at lo or starting at hi
    touches but does not overlap, by bisection (sorted bins) and by the scan alike."""
    bs, be, idx = np.array([0, 10, 20]), np.array([10, 20, 30]), np.arange(3)
    for ordered in (True, False):
        assert window._overlapping(bs, be, idx, 10, 20, ordered).tolist() == [1]
        assert window._overlapping(bs, be, idx, 9, 21, ordered).tolist() == [0, 1, 2]
        assert window._overlapping(bs, be, idx, 30, 40, ordered).tolist() == []


def test_an_exon_over_nested_bins_takes_every_bin_overlapping_it():
    """Bins sorted by start but not by end (one holds the next): the exon's bins are found by
    scanning, not by bisection, which assumes both orders."""
    units = pd.DataFrame({"gene": ["N"], "exon": ["1"], "chrom": ["chr1"], "start": [51], "end": [60]})
    bins = pd.DataFrame({"chromosome": ["chr1"] * 3, "start": [0, 10, 30], "end": [100, 20, 40],
                         "log2": [-0.5, 0.3, 0.2], "depth": [10.0, 11.0, 12.0], "offtarget": [False] * 3})
    ex, in_exon = window.exon_positions(bins, np.array([0.01, 0.01, 0.01]), units)
    assert ex[["n_bins", "log2"]].values.tolist() == [[1, -0.5]] and in_exon.tolist() == [True, False, False]


def test_an_exon_unit_on_a_chromosome_without_bins_has_none():
    """A unit whose chromosome has no bin at all (chr3 here, after chr1 and chr2 in the
    bins) gets no bins, not those of another chromosome at the same coordinates (b0 on chr1
    and b16 on chr2 both overlap 401-550)."""
    _, b = _sb()
    units = pd.concat([UNITS, pd.DataFrame({"gene": ["DELTA"], "exon": ["1"], "chrom": ["chr3"], "start": [401],
                                            "end": [550]})], ignore_index=True)
    ex, used = window.exon_positions(b[["chromosome", "start", "end", "log2", "depth", "offtarget"]],
                                     b["var"].to_numpy(), units)
    delta = ex[ex["gene"] == "DELTA"].iloc[0]
    assert delta["n_bins"] == 0 and np.isnan(delta["log2"]) and np.isnan(delta["se"])
    assert not used[b["name"].isin(["b0", "b16"]).to_numpy()][0]            # b0 is no exon's
    assert ex[ex["gene"] == "GAMMA"].iloc[0]["n_bins"] == 1      # chr2's own unit still has its bin
