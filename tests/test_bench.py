"""Benchmark helpers: CNVkit segments onto exons, records, scores."""
import pandas as pd
import pytest

from ikzf1cnv.cohort import table
from ikzf1cnv.core import annotation
from simlib import bench


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
    row = table.calls_table([rec], rules).iloc[0]
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


# ------------------------------------------------------------------ truth columns, oracles, scores
import sys  # noqa: E402

import numpy as np  # noqa: E402

from simlib import simulate  # noqa: E402

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "benchmarks" / "accuracy"))
import oracles  # noqa: E402
import scores  # noqa: E402


@pytest.fixture(scope="module")
def hg38(root):
    res = root / "resources"
    return {"units": annotation.load_units(res, "hg38"), "contigs": annotation.load_contigs(res, "hg38"),
            "arms": annotation.read_tsv(res / "hg38" / "arms.tsv")}


def _truth(hg38, rules, events, subtype="B-other"):
    spec = {"sample": "S", "subtype": subtype, "blast": 0.5, "depth": 300}
    return bench.truth_row(spec, hg38["units"], events, rules, arms=hg38["arms"], contigs=hg38["contigs"])


def test_truth_says_how_ikzf1_is_lost(hg38, rules):
    u, c, arms = hg38["units"], hg38["contigs"], hg38["arms"]
    mono = _truth(hg38, rules, [simulate.monosomy_event(c, "chr7", 0.16)])
    assert mono["arm_truth"] == "7p:0.16,7q:0.16" and mono["mechanism_truth"] == "chromosome"
    assert mono["ikzf1_events"] == "chr7:0-159345973:0.16" and mono["ikzf1_deletion"] == "del1-8"
    p7 = _truth(hg38, rules, [simulate.arm_event(arms, c, None, "7p", 0.3)])
    assert (p7["arm_truth"], p7["mechanism_truth"], p7["ikzf1_events"]) == ("7p:0.3", "arm", "chr7:0-58100000:0.3")
    focal = simulate.exon_event(u, "IKZF1", 4, 7, -1, 0.4)
    t = _truth(hg38, rules, [focal, simulate.exon_event(u, "CDKN2A", 1, 4, -2, 0.5)])
    assert (t["mechanism_truth"], t["arm_truth"]) == ("focal", "none")
    assert t["ikzf1_events"] == f"chr7:{focal.start}-{focal.end}:0.4"   # the CDKN2A event is not listed
    # del1-8 reaching 300 kb past the gene: interstitial; 50 kb: focal
    assert _truth(hg38, rules, [simulate.exon_event(u, "IKZF1", 1, 8, -1, 0.4, 300_000)])["mechanism_truth"] \
        == "interstitial"
    assert _truth(hg38, rules, [simulate.exon_event(u, "IKZF1", 1, 8, -1, 0.4, 50_000)])["mechanism_truth"] == "focal"
    wt = _truth(hg38, rules, [])
    assert (wt["mechanism_truth"], wt["arm_truth"], wt["ikzf1_events"]) == ("NA", "none", "none")


def _window(log2, se, starts=None):
    n = len(log2)
    starts = np.arange(n) * 1000 if starts is None else np.asarray(starts)
    return pd.DataFrame({"group": "IKZF1", "chrom": "chr7", "start": starts, "end": starts + 100,
                         "kind": "exon", "gene": "IKZF1", "exon": "", "log2": log2, "se": se, "state": 0})


def test_location_oracle_z_by_hand(tmp_path):
    # positions 1 and 2 (midpoints 1050, 2050) lie in the event chr7:1000-2500
    w = _window([0.0, -0.2, -0.1, 0.3], [0.1, 0.1, 0.2, 0.1])
    # z = -(-0.2/0.01 - 0.1/0.04) / sqrt(1/0.01 + 1/0.04) = 22.5 / sqrt(125) = 2.0125
    assert oracles.location_z(w, [("chr7", 1000, 2500)]) == pytest.approx(22.5 / 125 ** 0.5)
    assert oracles.parse_events("chr7:1000-2500:0.3;chr7:0-10:0.1") == [("chr7", 1000, 2500), ("chr7", 0, 10)]
    w.to_csv(tmp_path / "window_bins.tsv", sep="\t", index=False)
    o = oracles.sample_oracles(tmp_path / "window_bins.tsv", "chr7:1000-2500:0.3", draws=2000)
    assert o["location_detected"] is False and o["location_z"] == pytest.approx(2.0125, abs=1e-3)
    assert oracles.sample_oracles(tmp_path / "missing.tsv", "none")["scan_detected"] is None


def test_scan_oracle_finds_the_best_run_and_its_threshold_grows():
    x = np.array([0.1, -0.3, -0.3, 0.0, 0.2])
    se = np.full(5, 0.1)
    # the best run is positions 1-2: z = 0.6/0.01 / sqrt(200) = 4.243 (adding position 3 gives 60/sqrt(300) = 3.46)
    assert float(oracles.scan_max_z(x, se)) == pytest.approx(60 / 200 ** 0.5)
    brute = max(-(x[i:j] / se[i:j] ** 2).sum() / np.sqrt((1 / se[i:j] ** 2).sum())
                for i in range(5) for j in range(i + 1, 6))
    assert float(oracles.scan_max_z(x, se)) == pytest.approx(brute)
    t1 = oracles.scan_threshold(np.array([0.1]), 0.001, draws=200_000)
    assert t1 == pytest.approx(3.09, abs=0.08)        # one position: the normal 0.1% point
    t10 = oracles.scan_threshold(np.full(10, 0.1), 0.001, draws=20_000)
    t40 = oracles.scan_threshold(np.full(40, 0.1), 0.001, draws=20_000)
    assert t1 + 0.5 < t10 < t40


def test_se_honesty(tmp_path):
    rng = np.random.default_rng(0)
    se = np.full(400, 0.2)
    _window(rng.normal(0, 0.2, 400), se).to_csv(tmp_path / "a.tsv", sep="\t", index=False)
    _window(rng.normal(0, 0.4, 400), se).to_csv(tmp_path / "b.tsv", sep="\t", index=False)
    assert oracles.se_honesty([tmp_path / "a.tsv"])[0] == pytest.approx(1.0, abs=0.1)
    assert oracles.se_honesty([tmp_path / "b.tsv"])[0] == pytest.approx(2.0, abs=0.2)


def test_bands_and_panel_scores():
    assert [scores.cf_band(x) for x in (0.04, 0.05, 0.149, 0.2, 0.5, 0.99, 1.0)] == \
        [None, "5%", "10%", "20%", "50%", "80%", "80%"]
    assert scores.lod_of("del4-7:0.14;del2-3:NA;del1-8:0.09", "del1-8") == 0.09
    assert np.isnan(scores.lod_of("del4-7:0.14;del2-3:NA", "del2-3"))
    ps = pd.DataFrame({
        "design": "x", "tool": "ikzf1-cnv", "truth_deleted": [True, True, True, False],
        "cell_fraction": [0.12, 0.12, 0.6, np.nan], "called_deleted": [False, True, True, True],
        "type_exact": [False, True, True, False], "location_detected": [True, True, True, None],
        "scan_detected": [False, True, True, None], "deletion_t": ["del4-7", "del2-3", "del1-8", "none"],
        "ikzf1_lod": ["del4-7:0.10", "del2-3:0.2", "del1-8:0.05", "del4-7:0.1"],
        "arm_truth": ["none", "none", "7p:0.6", "none"], "arm_losses": ["none", "none", "7p:0.55", "7q:0.2"]})
    b = {r["band"]: r for r in scores.band_rows(ps)}
    assert b["10%"]["n"] == 2 and b["10%"]["caller detected"] == 0.5 and b["10%"]["scan oracle"] == 0.5
    assert b["10%"]["location oracle"] == 1.0 and b["5%"]["n"] == 0
    # LoD: sample 1 (0.12 > 0.10) counts and is missed, sample 2 (0.12 < 0.2) does not count, sample 3 found
    assert scores.lod_check(ps) == {"LoD check": 0.5, "n LoD check": 2}
    a = scores.arm_scores(ps)
    assert a["arm losses found (>=15% cells)"] == 1.0 and a["false arm losses"] == 1
    assert a["arm cf error"] == pytest.approx(0.05)
    old = ps.assign(arm_losses="-", ikzf1_lod="-")
    assert scores.lod_check(old)["LoD check"] == "-" and scores.arm_scores(old)["false arm losses"] == "-"


def test_type_oracle_knows_the_cell_fraction(tmp_path):
    """A del4-7 in 30% of cells whose deleted positions read as if 25% (noise), the two
    intron-7 probes at -0.07 and exon 8 at -0.15 (SE 0.09). Fitted freely (F = 0.23) the
    run takes exon 8: the intron probes cost 0.18 more deleted, exon 8 saves 1.2. At the
    true F = 0.3 (expected -0.234) the intron probes cost 2.2 more deleted and exon 8
    saves only 0.95: del4-7, which is what the type oracle must say."""
    from ikzf1cnv.caller.model import ModelParams, fit
    mu = float(np.log2(1 - 0.25 / 2))
    log2 = [0.0] * 4 + [mu] * 12 + [-0.07, -0.07, -0.15] + [0.0] * 4
    se = [0.1] * 18 + [0.09] + [0.1] * 4
    assert fit(log2, se, params=ModelParams(switch_penalty=5.0)).states[18] == 1   # free fit: del4-8
    w = _window(log2, se)
    w["exon"] = [""] * 16 + ["", "", "8"] + [""] * 4
    w.loc[[5, 8, 11, 14], "exon"] = ["4", "5", "6", "7"]
    w["kind"] = np.where(w["exon"] == "", "intronic", "exon")
    w.to_csv(tmp_path / "w.tsv", sep="\t", index=False)
    label = oracles.type_oracle(tmp_path / "w.tsv", 0.3, lambda n: ModelParams(switch_penalty=5.0))
    assert label == "del4-7"
    assert oracles.type_oracle(tmp_path / "missing.tsv", 0.3, lambda n: ModelParams()) is None



def _edge_window(exon1_se: float):
    """T035 of the accuracy benchmark in miniature: a del1-3 in 33% of cells (expected log2
    -0.26), exon 1 the window's first exon at -0.26 with `exon1_se`, intron 1-3 probes,
    exons 2-3 lost, the rest kept; an off-target bin before exon 1 at 0."""
    mu = float(np.log2(1 - 0.33 / 2))
    log2 = [0.0, mu] + [mu] * 3 + [mu] + [mu] * 2 + [mu] + [0.0] * 2 + [0.0] * 5
    se = [0.25, exon1_se] + [0.15] * 14
    w = _window(log2, se)
    w["exon"] = ["", "1", "", "", "", "2", "", "", "3", "", "", "4", "5", "6", "7", "8"]
    w["kind"] = ["offtarget"] + ["exon" if e else "intronic" for e in w["exon"][1:]]
    return w


@pytest.mark.parametrize("exon1_se,prior,want", [(0.18, True, "del2-3"), (0.18, False, "del1-3"),
                                                 (0.08, True, "del1-3")])
def test_bayes_type_oracle_weighs_the_edge_exon_against_the_types_odds(tmp_path, exon1_se, prior, want):
    """Exon 1 at its expected -0.26 with SE 0.18 favours del1-3 over del2-3 by
    exp(0.26^2 / (2 x 0.18^2)) = 2.8, less than the odds of del2-3 over del1-3 in the
    benchmark's draws (0.0665 / 0.0035 = 19): the oracle that knows both says del2-3, one
    with flat odds del1-3. At SE 0.08 the data's odds (~200) outweigh the prior."""
    import cohorts
    from ikzf1cnv.caller.model import ModelParams
    probs = cohorts.ikzf1_type_probs()
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs[(1, 3)] == pytest.approx(0.085 / 24) and probs[(2, 3)] == pytest.approx(0.063 + 0.085 / 24)
    assert probs[(4, 7)] == pytest.approx(0.37) and probs[(8, 8)] == pytest.approx(0.085 / 8)   # a = 8: every end is 8
    _edge_window(exon1_se).to_csv(tmp_path / "w.tsv", sep="\t", index=False)
    use = probs if prior else {k: 1.0 for k in probs}
    got = oracles.bayes_type_oracle(tmp_path / "w.tsv", 0.33, lambda n: ModelParams(switch_penalty=5.0), use)
    assert got == want

def test_codeletion_scan(tmp_path):
    rng = np.random.default_rng(3)
    w = _window(np.r_[rng.normal(0, 0.1, 10), rng.normal(-0.3, 0.1, 5), rng.normal(0, 0.1, 10)], [0.1] * 25)
    w["group"] = "PAX5"
    w.to_csv(tmp_path / "w.tsv", sep="\t", index=False)
    assert oracles.codeletion_scan(tmp_path / "w.tsv", "PAX5", draws=2000) is True
    w.assign(log2=rng.normal(0, 0.1, 25)).to_csv(tmp_path / "n.tsv", sep="\t", index=False)
    assert oracles.codeletion_scan(tmp_path / "n.tsv", "PAX5", draws=2000) is False
    assert oracles.codeletion_scan(tmp_path / "n.tsv", "ERG", draws=2000) is None


def test_junction_arm_scoring_by_hand():
    import junction_arms as ja
    jt = pd.DataFrame([("T1", "chr7", 1000, 5000, 2, 3),     # split reads: must be exact, within 5 bp
                       ("T1", "chr9", 8000, 9000, 0, 4),     # pairs only: within 500 bp
                       ("T2", "chr7", 1000, 5000, 1, 1),     # 2 reads: not scored
                       ("T3", "chr7", 1000, 5000, 3, 0)],    # missed
                      columns=["sample", "chrom", "left", "right", "split_reads", "discordant_pairs"])
    rep = pd.DataFrame([("T1", "chr7", 1002, 5000, 2, 3, "exact"), ("T1", "chr9", 7800, 9100, 0, 4, "imprecise"),
                        ("T2", "chr7", 1000, 5000, 1, 2, "exact"), ("T3", "chr7", 1600, 5000, 3, 0, "exact"),
                        ("T1", "chr12", 50, 90_000, 0, 3, "imprecise")],
                       columns=["sample", "chrom", "start", "end", "split_reads", "discordant_pairs", "precision"])
    m = ja.match_junctions(jt, rep, 3)
    assert m["scored"].tolist() == [True, True, False, True]
    assert m["found"].tolist() == [True, True, True, False]       # T3's report is 600 bp off: not it
    assert m["error_bp"].tolist()[:3] == [2, 200, 0]
    s = ja.junction_scores(m)
    assert (s["junctions_scored"], s["found"], s["exact_within_5bp"], s["with_split_read"]) == (3, 2, 1, 2)
    assert (s["pairs_only"], s["pairs_only_within_500bp"], s["found_below_support"]) == (1, 1, 1)
    assert s["recall"] == pytest.approx(2 / 3)
    # false junctions: T3's off-by-600 report and T1's chr12 one
    f = ja.false_junctions(jt, rep)
    assert sorted(zip(f["sample"], f["chrom"])) == [("T1", "chr12"), ("T3", "chr7")]
