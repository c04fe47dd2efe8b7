"""Gene levels and the per-exon IKZF1 table (caller/genes.py), by hand."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import genes

NAN = float("nan")
COLS = ["exon", "chrom", "start", "end", "n_bins", "log2", "copy_number", "ci_low", "ci_high", "call", "se", "ratio",
        "depth"]


def _iku(rows):
    return pd.DataFrame(rows, columns=["exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth", "state"])


IKU = _iku([["1", "chr7", 101, 200, 2, -1.0, 0.1, 100.0, 1],
            ["2", "chr7", 301, 400, 0, NAN, NAN, NAN, 0],       # no bin
            ["3", "chr7", 501, 600, 1, 0.0, 0.2, 90.0, 0],
            ["4", "chr7", 701, 800, 1, -3.0, 0.1, 80.0, 2],
            ["5", "chr7", 901, 1000, 3, NAN, 0.1, 70.0, 1]])     # bins, but no ratio


def _tumour_cn(x, p):
    """Copy number in the blasts: the mixture's 2 * 2^x copies less 2 (1 - p) from the normal
    cells, over p; never below 0."""
    return max((2 * 2 ** x - 2 * (1 - p)) / p, 0.0)


def test_exon_table_with_a_blast_fraction_by_hand():
    got = genes.ikzf1_exon_table(IKU, 0.5, evaluable=True)
    assert list(got.columns) == COLS
    z = 1.96
    want = pd.DataFrame([
        [1, "chr7", 101, 200, 2, -1.0, _tumour_cn(-1.0, 0.5), _tumour_cn(-1 - z * 0.1, 0.5),
         _tumour_cn(-1 + z * 0.1, 0.5), "loss", 0.1, 0.5, 100.0],
        [2, "chr7", 301, 400, 0, NAN, NAN, NAN, NAN, "no_data", NAN, NAN, NAN],
        [3, "chr7", 501, 600, 1, 0.0, 2.0, _tumour_cn(-z * 0.2, 0.5), _tumour_cn(z * 0.2, 0.5), "normal", 0.2, 1.0, 90.0],
        [4, "chr7", 701, 800, 1, -3.0, 0.0, 0.0, 0.0, "biallelic_loss", 0.1, 0.125, 80.0],
        [5, "chr7", 901, 1000, 3, NAN, NAN, NAN, NAN, "no_data", 0.1, NAN, 70.0]], columns=COLS)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)
    # by hand: exon 1 lost in every blast at 50% blasts is 0 copies at -1 (2 * 0.5 = 1 copy, all from the
    # normal cells), 0.29 at its upper bound (-0.804: 2 * 0.5728 - 1 = 0.1455, over 0.5)
    assert got["ci_high"].iloc[0] == pytest.approx(0.2910, abs=1e-4) and got["ci_low"].iloc[2] == pytest.approx(1.049, abs=1e-3)


def test_exon_table_without_a_blast_fraction_or_not_evaluable():
    got = genes.ikzf1_exon_table(IKU, None, evaluable=False)
    assert got["copy_number"].tolist()[:1] == [1.0] and got["copy_number"].iloc[3] == 0.25
    assert got["ci_low"].iloc[0] == pytest.approx(2 * 2 ** (-1.196)) and got["ci_high"].iloc[0] == pytest.approx(2 * 2 ** (-0.804))
    assert got["call"].tolist() == ["NA", "no_data", "NA", "NA", "no_data"]
    # no exon with data: the numbers are NaN floats, not missing objects
    none = genes.ikzf1_exon_table(IKU.iloc[[1]], 0.5, evaluable=True)
    assert none["copy_number"].dtype == float and none["ratio"].dtype == float and math.isnan(none["ci_low"].iloc[0])


def _par1(counts, lost=(), nodata=()):
    """PAR1 context units: (gene, n units); `lost` genes' units with data are lost; `nodata`:
    (gene, k) the last k units of a gene without a bin (state 0)."""
    rows = []
    nd = dict(nodata)
    for g, n in counts:
        for i in range(n):
            empty = i >= n - nd.get(g, 0)
            rows.append({"gene": g, "n_bins": 0 if empty else 1, "state": 0 if empty else int(g in lost)})
    return pd.DataFrame(rows)


CONTEXT = [("CRLF2", 4), ("CSF2RA", 6), ("IL3RA", 6), ("P2RY8", 3)]


def test_par1_pattern_counts_units_with_data_only(rules):
    r = rules["par1"]
    # CSF2RA: 2 of its units with data, both lost, 4 without: all its evidence is lost
    assert genes.par1_level(_par1(CONTEXT, {"CSF2RA", "IL3RA"}, [("CSF2RA", 4)]), r) == "deleted"
    # exactly half of a lost gene's units lost is enough
    half = _par1(CONTEXT, {"IL3RA"})
    half.loc[(half["gene"] == "CSF2RA").to_numpy().nonzero()[0][:3], "state"] = 1
    assert genes.par1_level(half, r) == "deleted"
    half.loc[(half["gene"] == "CSF2RA").to_numpy().nonzero()[0][2], "state"] = 0
    assert genes.par1_level(half, r) == "none"
    # a lost gene without any data: nothing to call it from; the kept gene without data: not against it
    assert genes.par1_level(_par1(CONTEXT, {"CSF2RA", "IL3RA"}, [("IL3RA", 6)]), r) == "none"
    assert genes.par1_level(_par1(CONTEXT, {"CSF2RA", "IL3RA"}, [("CRLF2", 4)]), r) == "deleted"
    # CRLF2 a quarter lost (its unit at the breakpoint): kept; more: not the pattern
    one = _par1(CONTEXT, {"CSF2RA", "IL3RA"})
    one.loc[0, "state"] = 1
    assert genes.par1_level(one, r) == "deleted"
    one.loc[1, "state"] = 1
    assert genes.par1_level(one, r) == "none"


def test_gene_levels_ignore_exons_without_data(rules):
    rows = []
    for g, kind in rules["genes"].items():
        if kind in ("exons", "par1"):
            continue
        rows += [{"gene": g, "n_bins": 1, "state": 0}] * 3
    for g, n in CONTEXT:
        rows += [{"gene": g, "n_bins": 1, "state": int(g in ("CSF2RA", "IL3RA"))}] * n
    units = pd.DataFrame(rows)
    pax5 = units.index[units["gene"] == "PAX5"]
    units.loc[pax5[:2], "state"] = 1
    units.loc[pax5[2], "n_bins"] = 0               # its third exon unmeasured: the loss is whole
    cdkn = units.index[units["gene"] == "CDKN2A"]
    units.loc[cdkn[0], "state"] = 2
    got = genes.gene_levels(units, rules)
    assert got == {"CDKN2A": "hom", "CDKN2B": "none", "PAX5": "whole", "PAR1": "deleted", "ERG": "none",
                   "EBF1": "none", "ETV6": "none", "BTG1": "none", "RB1": "none"}


def test_gene_level_names_an_unknown_kind():
    with pytest.raises(ValueError, match="^unknown gene kind 'bogus'$"):
        genes.gene_level("bogus", [0], [True])
    assert genes.gene_level("extent", [1, 0], [True, False]) == "whole"
    assert genes.gene_level("zygosity", [2, 0], [False, True]) == "none"
