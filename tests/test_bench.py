"""Benchmark helpers: CNVkit segments onto exons, records, scores."""
import pandas as pd
import pytest

from ikzf1cnv import annotation, bench, cohort


@pytest.fixture(scope="module")
def units(root, rules):
    u = annotation.load_units(root / "resources", "hg38")
    return u[u["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]


def test_cnvkit_segments_onto_exons(units, rules):
    # CNVkit called one copy lost over IKZF1 exons 4-7 (chr7:50,376,000-50,395,000) and
    # cn 0 over CDKN2A: read at CNVkit's own calls
    seg = pd.DataFrame({"chromosome": ["chr7", "chr7", "chr7", "chr9", "chr9"],
                        "start": [0, 50_376_000, 50_395_000, 0, 21_960_000],
                        "end": [50_376_000, 50_395_000, 159_000_000, 21_960_000, 21_999_000],
                        "cn": [2, 1, 2, 2, 0]})
    st = bench.cnvkit_unit_states(seg, units)
    ik = st[st["gene"] == "IKZF1"]
    assert ik["state"].tolist() == [0, 0, 0, 1, 1, 1, 1, 0]
    rec = bench.record_from_states("S", "B-other", st, rules)
    assert rec["ikzf1"]["deletion"] == "del4-7" and rec["genes"]["CDKN2A"] == "hom"
    assert rec["genes"]["CDKN2B"] == "none"  # no segment over CDKN2B: no call
    row = cohort.calls_table([rec], rules, "any").iloc[0]
    assert row["ikzf1plus"] == "yes" and row["ukall_cna"] == "poor"


def test_scores_count_what_they_say():
    truth = pd.DataFrame([
        {"sample": "a", "subtype": "B-other", "status": "deleted", "ikzf1_deletion": "del4-7",
         "ikzf1_exons_deleted": "4,5,6,7", "ikzf1_exons_biallelic": "", "ikzf1_cell_fraction": "0.50",
         **{g: "none" for g in bench.GENES}, "ikzf1plus": "no", "ukall_cna": "poor", "qc": "pass",
         "blast": 0.5, "depth": 200},
        {"sample": "b", "subtype": "B-other", "status": "wildtype", "ikzf1_deletion": "none",
         "ikzf1_exons_deleted": "", "ikzf1_exons_biallelic": "", "ikzf1_cell_fraction": "NA",
         **{g: "none" for g in bench.GENES}, "ikzf1plus": "no", "ukall_cna": "good", "qc": "pass",
         "blast": 0.5, "depth": 200},
    ])
    calls = truth.drop(columns=["blast", "depth"]).copy()
    calls.loc[0, ["ikzf1_deletion", "ikzf1_exons_deleted"]] = ["del4-8", "4,5,6,7,8"]   # right status, wrong type
    calls.loc[1, ["status", "ikzf1_deletion", "ikzf1_exons_deleted", "ikzf1plus"]] = \
        ["deleted", "del2", "2", "yes"]                                                  # a false positive
    s = bench.summarise(bench.per_sample(calls, truth))
    assert s["sensitivity"] == 1.0 and s["specificity"] == 0.0 and s["type_exact"] == 0.0
    assert s["ikzf1plus_fp"] == 1 and s["ikzf1plus_ok"] == 0.5
    t = bench.targets(bench.per_sample(calls, truth))
    assert t["false IKZF1 deletions in wild type"] == 1 and t["detected, >=20% cells, >=200x"] == 1.0
