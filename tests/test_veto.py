"""ERG read 'none' counts as absent only where the sample's data could have seen an ERG
deletion in as many cells as IKZF1's (caller.veto): else IKZF1plus is NA, never a 'yes'
resting on a deletion nobody could have found."""
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from ikzf1cnv.caller import classify, veto

UNITS = pd.DataFrame({"gene": ["ERG"] * 10, "exon": [str(e) for e in range(1, 11)], "chrom": "chr21",
                      "start": [1001 + 1000 * i for i in range(10)], "end": [1100 + 1000 * i for i in range(10)]})


def window(se: float) -> pd.DataFrame:
    """ERG's ten exon positions (0-based starts), each with SE `se`, and one flank position."""
    pos = pd.DataFrame({"group": "ERG", "chrom": "chr21", "start": UNITS["start"] - 1, "end": UNITS["end"],
                        "kind": "exon", "gene": "ERG", "exon": UNITS["exon"], "log2": 0.0, "se": se})
    flank = pd.DataFrame({"group": ["ERG"], "chrom": ["chr21"], "start": [20_000], "end": [20_100], "kind": ["flank"],
                          "gene": [""], "exon": [""], "log2": [0.0], "se": [se]})
    return pd.concat([pos, flank], ignore_index=True)


def res(se, cf=0.5, erg="none", status="deleted"):
    return SimpleNamespace(status=status, ikzf1={"cell_fraction": cf}, genes={"ERG": erg, "PAX5": "whole"},
                           positions=window(se))


def by_hand(se, params, n=10):
    """LoD95 over n of ERG's ten exons: W = n / se^2, P the penalty for the window's 11 positions."""
    p = params.model_for(11).switch_penalty
    return 2 * (1 - 2 ** (-(2 * math.sqrt(p) + 1.6448536269514722) / math.sqrt(n / se ** 2)))


def test_an_erg_deletion_the_data_could_not_see_is_not_ruled_out(params):
    assert by_hand(0.1, params) < 0.5 < by_hand(0.3, params)
    assert veto.unruled(res(0.1), UNITS, ["ERG"], params) == {}                 # seen at 0.5: ruled out
    got = veto.unruled(res(0.3), UNITS, ["ERG"], params)
    assert list(got) == ["ERG"] and got["ERG"] == pytest.approx(by_hand(0.3, params), rel=1e-12)
    assert veto.unruled(res(0.3, cf=0.9), UNITS, ["ERG"], params) == {}          # a clone of 0.9 would show
    assert veto.unruled(res(3.0), UNITS, ["ERG"], params) == {"ERG": None}      # out of reach at any fraction
    # a deleted ERG is a call, not a doubt; no IKZF1 deletion, no question
    assert veto.unruled(res(0.3, erg="deleted"), UNITS, ["ERG"], params) == {}
    assert veto.unruled(res(0.3, status="wildtype", cf=None), UNITS, ["ERG"], params) == {}
    assert veto.note({"ERG": 0.7012, "X": None}, 0.5) == ("ERG deletion not ruled out (limit of detection 0.70 > "
                                                         "IKZF1 cell fraction 0.50); X deletion not ruled out (limit "
                                                         "of detection out of reach > IKZF1 cell fraction 0.50)")


def test_ikzf1plus_is_na_where_erg_is_not_ruled_out(rules):
    genes = {"CDKN2A": "none", "CDKN2B": "none", "PAX5": "whole", "PAR1": "none", "ERG": "none", "EBF1": "none",
             "ETV6": "none", "BTG1": "none", "RB1": "none"}
    bcp = {"subtype": "B-other"}
    assert classify.risk(bcp, "deleted", genes, rules, "any") == ("yes", "poor")
    assert classify.risk(bcp, "deleted", {**genes, "ERG": "NA"}, rules, "any") == ("NA", "poor")
    # without a partner the verdict is 'no' whatever ERG is: it stands
    assert classify.risk(bcp, "deleted", {**genes, "PAX5": "none", "ERG": "NA"}, rules, "any")[0] == "no"


def test_only_the_genes_own_window_and_only_when_there_is_something_to_check(params):
    """The limit is read from the exclusion gene's own group window (not another gene's in
    the same table); a gene with no position at all is out of reach; a deleted first gene
    does not stop the check of the next; no call, no cell fraction or no positions: nothing."""
    ik = window(0.01).assign(group="IKZF1", gene="IKZF1", start=lambda d: d["start"] + 10**6,
                             end=lambda d: d["end"] + 10**6)
    both = pd.concat([ik, window(0.3)], ignore_index=True)
    r = SimpleNamespace(status="deleted", ikzf1={"cell_fraction": 0.5}, genes={"ERG": "none"}, positions=both)
    assert veto.unruled(r, UNITS, ["ERG"], params)["ERG"] == pytest.approx(by_hand(0.3, params), rel=1e-12)
    r.positions = ik                                        # ERG not measured at all
    assert veto.unruled(r, UNITS, ["ERG"], params) == {"ERG": None}
    two = pd.concat([UNITS, UNITS.assign(gene="ERG2")], ignore_index=True)
    r = SimpleNamespace(status="deleted", ikzf1={"cell_fraction": 0.5}, genes={"ERG2": "deleted", "ERG": "none"},
                        positions=window(0.3))
    assert list(veto.unruled(r, two, ["ERG2", "ERG"], params)) == ["ERG"]
    for status, cf, pos in (("deleted", None, window(0.3)), ("deleted", 0.5, None), ("deleted", 0.5, window(0.3).iloc[:0])):
        r = SimpleNamespace(status=status, ikzf1={"cell_fraction": cf}, genes={"ERG": "none"}, positions=pos)
        assert veto.unruled(r, UNITS, ["ERG"], params) == {}


def test_a_gene_of_one_position(params):
    """One exon measured: its limit from that one position (W = 1 / se^2), by hand."""
    one = window(0.05).iloc[[0]]
    r = SimpleNamespace(status="deleted", ikzf1={"cell_fraction": 0.2}, genes={"ERG": "none"}, positions=one)
    p = params.model_for(1).switch_penalty
    want = 2 * (1 - 2 ** (-(2 * math.sqrt(p) + 1.6448536269514722) * 0.05))
    assert veto.unruled(r, UNITS.iloc[[0]], ["ERG"], params) == {"ERG": pytest.approx(want, rel=1e-12)}


def test_an_intragenic_erg_deletion_is_checked_over_the_exons_between_the_first_and_last(params, rules):
    """rules.yaml: ERG deletions in BCP-ALL are intragenic (first and last exons kept), so the
    limit is over exons 2-9 of ten: 8 / se^2, higher than the whole gene's. At SE 0.2 it
    sits between them around a cell fraction of 0.5: the whole-gene limit would rule ERG out,
    the intragenic one does not."""
    assert rules["ikzf1plus"]["exclude_extent"] == {"ERG": "intragenic"}
    assert veto.extent(UNITS, "whole") == (1000, 10100)
    assert veto.extent(UNITS, "intragenic") == (2000, 9100)            # exons 2-9
    assert veto.extent(UNITS.iloc[:2], "intragenic") == (1000, 2100)   # nothing between: the whole gene
    with pytest.raises(ValueError, match="'exons' is not 'whole' or 'intragenic'"):
        veto.extent(UNITS, "exons")
    # exon labels with letters (CDKN2A's 1a/1b) count by their number
    u = pd.DataFrame({"gene": "X", "exon": ["1b", "1a", "2", "3"], "start": [50, 10, 100, 200], "end": [60, 20, 110, 210]})
    assert veto.extent(u, "intragenic") == (99, 110)
    se = 0.2
    cf = (by_hand(se, params, 8) + by_hand(se, params)) / 2
    assert by_hand(se, params) < cf < by_hand(se, params, 8)
    assert veto.unruled(res(se, cf=cf), UNITS, ["ERG"], params) == {}
    got = veto.unruled(res(se, cf=cf), UNITS, ["ERG"], params, {"ERG": "intragenic"})
    assert got["ERG"] == pytest.approx(by_hand(se, params, 8), rel=1e-12)
