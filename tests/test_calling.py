"""Per-sample calling on synthetic bins (no CNVkit needed)."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import genes, params as cparams, prepare, sample
from ikzf1cnv.core import annotation, constants
from ikzf1cnv.caller.purity import expected_log2


@pytest.fixture(scope="module")
def units(root, rules):
    u = annotation.load_units(root / "resources", "hg38")
    return u[u["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]


@pytest.fixture(scope="module")
def ann(root, rules, units):
    return cparams.Annotation(units, annotation.load_arms(root / "resources", "hg38"),
                              annotation.load_introns(root / "resources", "hg38"), rules)


def make_bins(units, seed, sd=0.08, events=(), chrom_shift=None, depth=300.0):
    """One 'bin' per exon unit plus 20 backbone bins per autosome. events: (gene, exon
    labels or None for all, log2)."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in units.itertuples(index=False):
        l2 = 0.0
        for gene, exons, v in events:
            if u.gene == gene and (exons is None or str(u.exon) in exons):
                l2 += v
        rows.append((u.chrom, int(u.start) - 1, int(u.end), l2))
    for c in constants.AUTOSOMES:
        for i in range(20):
            rows.append((c, 1_000_000 * (i + 1), 1_000_000 * (i + 1) + 300, 0.0))
    df = pd.DataFrame(rows, columns=["chromosome", "start", "end", "log2"])
    if chrom_shift:
        for c, v in chrom_shift.items():
            df.loc[df["chromosome"] == c, "log2"] += v
    df["log2"] += rng.normal(0, sd, len(df))
    df["depth"] = depth
    df["spread"] = 0.05
    df["gene"] = "x"
    df["weight"] = 1.0
    return df.sort_values(["chromosome", "start"]).reset_index(drop=True)


def test_recentring_ignores_hyperdiploid_gains():
    """+4 +6 +10 +14 +17 +18 +21 +21: 8 gained of 22 autosomes; the median bin is pulled up,
    the most common level is not."""
    gained = {c: np.log2(3 / 2) for c in ("chr4", "chr6", "chr10", "chr14", "chr17", "chr18")}
    gained["chr21"] = np.log2(4 / 2)
    rows = []
    for c in constants.AUTOSOMES:
        for i in range(30):
            rows.append((c, i * 1000, i * 1000 + 300, 0.2 + gained.get(c, 0.0)))
    bins = pd.DataFrame(rows, columns=["chromosome", "start", "end", "log2"])
    assert prepare.recentre_shift(bins, 0.1, 3) == pytest.approx(0.2)
    # a large chromosome loss does not move it either
    bins.loc[bins["chromosome"] == "chr7", "log2"] -= 1
    assert prepare.recentre_shift(bins, 0.1, 3) == pytest.approx(0.2)


@pytest.mark.parametrize("kind,states,data,want", [
    ("zygosity", [0, 1, 1, 0], [True] * 4, "het"),
    ("zygosity", [0, 2, 1, 0], [True] * 4, "hom"),
    ("zygosity", [0, 0, 0, 0], [True] * 4, "none"),
    ("extent", [1, 1, 1, 1], [True] * 4, "whole"),
    ("extent", [0, 1, 1, 0], [True] * 4, "partial"),
    ("extent", [1, 1, 1, 0], [True, True, True, False], "whole"),  # an exon without data
    ("any", [0, 0, 1, 0], [True] * 4, "deleted"),
    ("any", [0, 0, 0, 0], [True] * 4, "none"),
])
def test_gene_level(kind, states, data, want):
    assert genes.gene_level(kind, states, data) == want


def par1_units(lost_genes):
    rows = []
    for g, n in (("CRLF2", 4), ("CSF2RA", 6), ("IL3RA", 6), ("P2RY8", 3)):
        for i in range(n):
            rows.append({"gene": g, "n_bins": 1, "state": 1 if g in lost_genes else 0})
    return pd.DataFrame(rows)


def test_par1_pattern(rules):
    r = rules["par1"]
    assert genes.par1_level(par1_units({"CSF2RA", "IL3RA", "P2RY8"}), r) == "deleted"
    # CRLF2's unit beside the breakpoint drawn into the run by noise: still the pattern
    one = par1_units({"CSF2RA", "IL3RA", "P2RY8"})
    one.loc[one.index[0], "state"] = 1
    assert genes.par1_level(one, r) == "deleted"
    # a loss that takes CRLF2 as well is not the P2RY8-CRLF2 deletion
    assert genes.par1_level(par1_units({"CRLF2", "CSF2RA", "IL3RA", "P2RY8"}), r) == "none"
    # a loss of one gene near CRLF2 is not either
    assert genes.par1_level(par1_units({"CSF2RA"}), r) == "none"
    assert genes.par1_level(par1_units(set()), r) == "none"


@pytest.fixture(scope="module", autouse=True)
def _params(params):
    global PARAMS
    PARAMS = params


def call(ann, bins, blast):
    return sample.call_sample("S", bins, ann, PARAMS, blast, 100.0)


def test_call_sample_del4_7_with_hom_cdkn2a(units, rules, ann):
    f = 0.6
    ev = [("IKZF1", {"4", "5", "6", "7"}, expected_log2(f, 1)),
          ("CDKN2A", None, expected_log2(f, 2)), ("CDKN2B", None, expected_log2(f, 1))]
    res = call(ann, make_bins(units, 1, events=ev), 60)
    assert res.qc == "pass" and res.status == "deleted"
    assert res.ikzf1["deletion"] == "del4-7" and res.ikzf1["exons_biallelic"] == ""
    assert res.ikzf1["cf_low"] <= f <= res.ikzf1["cf_high"]
    assert res.genes["CDKN2A"] == "hom" and res.genes["CDKN2B"] == "het"
    assert res.genes["PAX5"] == "none" and res.genes["ERG"] == "none"
    ex = res.ikzf1_exons
    assert list(ex["exon"]) == list(range(1, 9))
    assert list(ex["call"]) == ["normal"] * 3 + ["loss"] * 4 + ["normal"]
    # copy number in the blasts: ~1 for the lost exons, ~2 elsewhere
    assert ex.loc[ex["exon"].between(4, 7), "copy_number"].between(0.5, 1.5).all()
    assert ex.loc[~ex["exon"].between(4, 7), "copy_number"].between(1.5, 2.5).all()


def test_hyperdiploid_sample_gets_no_deletion(units, rules, ann):
    gains = {c: np.log2(1 + 0.9 / 2) for c in ("chr4", "chr6", "chr10", "chr14", "chr17", "chr18", "chr21")}
    for seed in range(5):
        res = call(ann, make_bins(units, seed, chrom_shift=gains), 90)
        assert res.status == "wildtype", seed
        assert all(v == "none" for v in res.genes.values()), res.genes


def test_without_blast_pct_the_largest_clone_is_named_as_such_not_as_a_blast_count(units, rules, ann):
    """No blast_pct: no blast fraction is reported; the largest clone's cell fraction (0.8
    here, a one-copy del2-7 in 80% of cells) is, with an interval that holds the truth."""
    ev = [("IKZF1", {"2", "3", "4", "5", "6", "7"}, expected_log2(0.8, 1))]
    res = call(ann, make_bins(units, 2, events=ev), None)
    assert res.purity["blast_source"] == "not given" and res.purity["blast_fraction"] is None
    assert res.purity["clone_low"] <= 0.8 <= res.purity["clone_high"]
    assert abs(res.purity["clone_fraction"] - 0.8) <= 0.05
    assert res.ikzf1["deletion"] == "del2-7"
    given = call(ann, make_bins(units, 2, events=ev), 85.0)
    assert given.purity == {"blast_fraction": 0.85, "blast_source": "sheet", "clone_fraction": None,
                            "clone_low": None, "clone_high": None}
    wt = call(ann, make_bins(units, 3), None)
    assert wt.purity["blast_fraction"] is None and wt.purity["clone_fraction"] is None
    assert wt.purity["blast_source"] == "not given"


def test_shallow_or_noisy_sample_is_not_evaluable(units, rules, ann):
    ev = [("IKZF1", {"4", "5", "6", "7"}, -0.5)]
    shallow = call(ann, make_bins(units, 4, events=ev, depth=8.0), 80)
    assert shallow.status == "not_evaluable" and shallow.qc.startswith("fail:") and "depth" in shallow.qc
    assert shallow.ikzf1["deletion"] == "NA" and set(shallow.genes.values()) == {"NA"}
    noisy = call(ann, make_bins(units, 4, sd=0.6), 80)
    assert noisy.status == "not_evaluable" and "noise" in noisy.qc


def test_exon_uncovered_by_panel_is_no_data_and_fails_qc(units, rules, ann):
    bins = make_bins(units, 5)
    ex2 = units[(units["gene"] == "IKZF1") & (units["exon"] == "2")].iloc[0]
    bins = bins[~((bins["chromosome"] == "chr7") & (bins["start"] == int(ex2.start) - 1))]
    res = call(ann, bins, 80)
    assert res.ikzf1_exons.loc[res.ikzf1_exons["exon"] == 2, "call"].item() == "no_data"
    assert res.status == "not_evaluable" and "7/8 IKZF1 exons" in res.qc


def test_calibrated_penalty_grows_with_gene_size_and_stricter_rate(root, schema_defaults):
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    caller, qc = schema_defaults["caller"], schema_defaults["qc"]
    assert caller["switch_penalty"] is None and caller["false_positive_rate"] == 0.001
    strict = cparams.CallerParams.from_config(caller, qc, calib)
    loose = cparams.CallerParams.from_config({**caller, "false_positive_rate": 0.01}, qc, calib)
    assert strict.model_for(2).switch_penalty < strict.model_for(8).switch_penalty < strict.model_for(30).switch_penalty
    assert loose.model_for(8).switch_penalty < strict.model_for(8).switch_penalty
    fixed = cparams.CallerParams.from_config({**caller, "switch_penalty": 7.5}, qc, calib)
    assert fixed.model_for(8).switch_penalty == 7.5 and fixed.model_for(30).switch_penalty == 7.5


def test_a_window_takes_the_tabulated_penalty_of_its_size_or_the_next_larger(root, schema_defaults):
    """resources/penalty_calibration.tsv, read here line by line: at 0.1% per window 8
    positions take 3.68 (the row for 8), 9-12 take 4.08 (the row for 12: a window is
    calibrated as one at least as long), 1-2 take 2.73, beyond the table 2000's 6.89; at 1%
    8 takes its own row. Without a calibration table nothing is guessed."""
    rows = {}
    for line in (root / "resources" / "penalty_calibration.tsv").read_text().splitlines():
        if line and not line.startswith(("#", "n_units")):
            n, rate, pen = line.split("\t")
            rows[(int(n), float(rate))] = float(pen)
    assert (rows[(8, 0.001)], rows[(12, 0.001)], rows[(2, 0.001)], rows[(2000, 0.001)]) == (3.68, 4.08, 2.73, 6.89)
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    caller, qc = schema_defaults["caller"], schema_defaults["qc"]
    strict = cparams.CallerParams.from_config(caller, qc, calib)
    for n, want in ((1, 2.73), (2, 2.73), (3, 3.25), (7, 3.68), (8, 3.68), (9, 4.08), (12, 4.08), (13, 4.31),
                    (60, 5.03), (61, 5.14), (2000, 6.89), (2001, 6.89), (50_000, 6.89)):
        assert strict.model_for(n).switch_penalty == want, n
        assert strict.model_for(n).switch_penalty == rows[min([k for k, r in rows if r == 0.001 and k >= n] or [2000]),
                                                           0.001]
    loose = cparams.CallerParams.from_config({**caller, "false_positive_rate": 0.01}, qc, calib)
    assert loose.model_for(8).switch_penalty == rows[(8, 0.01)] and loose.model_for(9).switch_penalty == rows[(12, 0.01)]
    # the model's own penalty (no window size given) is the table's largest; the other settings are the config's
    assert strict.model.switch_penalty == 6.89 and strict.penalty_table[0] == (2, 2.73) and len(strict.penalty_table) == 18
    m = strict.model_for(8)
    assert (m.biallelic_penalty, m.f_min, m.huber_k) == (caller["biallelic_penalty"], caller["min_cell_fraction"],
                                                         caller["huber_k"])
    assert loose.model.switch_penalty == rows[(2000, 0.01)] == 5.78          # the last row's, not the one before
    with pytest.raises(ValueError, match=r"^caller.false_positive_rate 0.05 is not in the calibration table \(rates: \[0.001, 0.01\]\)$"):
        cparams.CallerParams.from_config({**caller, "false_positive_rate": 0.05}, qc, calib)
    with pytest.raises(ValueError, match="^caller.switch_penalty is not set and no calibration table was given$"):
        cparams.CallerParams.from_config(caller, qc, None)


def test_caller_params_take_every_setting_from_the_config(schema_defaults, root):
    """Each field from its own config key (distinct values, so a swapped or dropped key shows),
    the depth threshold from min_depth_genome in whole-genome mode."""
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    keys = ["sd_floor", "offtarget_sd_floor", "min_offtarget_reads", "arm_sd_floor", "min_arm_bins",
            "blast_pct_tolerance", "blast_pct_sd", "recentre_bandwidth", "gain_level", "biallelic_penalty",
            "min_cell_fraction", "huber_k"]
    caller = {**schema_defaults["caller"], **{k: 100 + i for i, k in enumerate(keys)}}
    qc = {**schema_defaults["qc"], "min_depth": 201, "min_depth_genome": 202, "max_noise": 203,
          "min_ikzf1_exons_with_data": 204}
    p = cparams.CallerParams.from_config(caller, qc, calib)
    assert {k: getattr(p, k) for k in keys[:9]} == {k: caller[k] for k in keys[:9]}
    assert (p.model.biallelic_penalty, p.model.f_min, p.model.huber_k) == (109, 110, 111)
    assert (p.false_positive_rate, p.min_depth, p.max_noise, p.min_ikzf1_exons_with_data) == (0.001, 201, 203, 204)
    wg = cparams.CallerParams.from_config(caller, qc, calib, whole_genome=True)
    assert (wg.min_depth, wg.bin_correlation, p.bin_correlation) == (202, True, False)
    # the deletion-type prior from the shares table and its own keys
    shares = annotation.read_tsv(root / "resources" / "deletion_types.tsv")
    typed = cparams.CallerParams.from_config({**caller, "type_reach": 3, "type_alt_ratio": 7.5, "type_prior": False},
                                             qc, calib, types=shares)
    tp = typed.type_prior
    assert (tp.reach, tp.alt_ratio, tp.use_prior) == (3, 7.5, False) and tp.shares["del4-7"] == pytest.approx(0.37)
    assert p.type_prior is None
    fixed = cparams.CallerParams.from_config({**caller, "switch_penalty": 7.5}, qc, None)
    assert fixed.penalty_table == () and fixed.model.switch_penalty == 7.5 and fixed.model_for(3).switch_penalty == 7.5
    # beyond the table, its largest row's penalty, whatever the model's own
    from dataclasses import replace
    from ikzf1cnv.caller.model import ModelParams
    own = replace(p, model=ModelParams(switch_penalty=1.0), penalty_table=((2, 2.0), (8, 3.0)))
    assert [own.model_for(n).switch_penalty for n in (1, 2, 3, 8, 9, 100)] == [2.0, 2.0, 3.0, 3.0, 3.0, 3.0]


def test_calibration_holds_its_false_positive_rate(root):
    """The penalty the table gives for 8 exons keeps null false positives near 1%."""
    from ikzf1cnv.caller.model import ModelParams, fit
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    pen = float(calib[(calib["n_units"] == 8) & (calib["fp_rate"] == 0.01)]["switch_penalty"].iloc[0])
    rng = np.random.default_rng(99)  # a seed other than the calibration's
    fp = np.mean([any(fit(x, np.full(8, 0.1), params=ModelParams(switch_penalty=pen)).states)
                  for x in rng.normal(0, 0.1, (2000, 8))])
    assert 0.002 <= fp <= 0.025


def test_erg_deletion_on_a_gained_chromosome_21(units, rules, ann):
    """+21 +21 in 90% blasts, and one of the four chr21 copies lost over ERG exons in all
    blasts: against the diploid baseline ERG still looks gained, against chr21's own level
    it is lost."""
    p = 0.9
    gain = np.log2(1 + p)                       # 2 extra copies of chr21 in 90% of cells
    erg = set(units[units["gene"] == "ERG"]["exon"].astype(str).iloc[5:12])
    ev = [("ERG", erg, np.log2((2 + 2 * p - p) / (2 + 2 * p)))]
    bins = make_bins(units, 7, events=ev, chrom_shift={"chr21": gain})
    res = call(ann, bins, 90)
    assert res.genes["ERG"] == "deleted"
    assert res.metrics["gained_chromosomes"] == "chr21"
    # monosomy 7 is not "a loss of chromosome level": IKZF1 stays deleted
    mono = make_bins(units, 8, chrom_shift={"chr7": np.log2(1 - p / 2)})
    assert call(ann, mono, 90).ikzf1["deletion"] == "del1-8"


def test_sheet_blast_count_makes_a_low_fraction_cdkn2a_loss_homozygous(units, rules, ann):
    """Blasts 15%, CDKN2A/B lost on both copies in all of them: log2(0.85), exactly a
    heterozygous loss in 30% of cells, which the sheet's tolerance (+0.2) still allows.
    The blast count (caller.blast_pct_sd) makes it homozygous, an IKZF1plus partner; a
    sheet with blasts at 40% leaves it heterozygous in 30%."""
    ev = [("CDKN2A", None, expected_log2(0.15, 2)), ("CDKN2B", None, expected_log2(0.15, 2))]
    bins = make_bins(units, 4, sd=0.05, events=ev)
    res = call(ann, bins, 15)
    assert res.genes["CDKN2A"] == "hom" and res.genes["CDKN2B"] == "hom"
    res = call(ann, bins, 40)
    assert res.genes["CDKN2A"] == "het" and res.genes["CDKN2B"] == "het"


def tumour_caller(ann, params, baseline):
    """A caller.tumour.Caller at the schema's settings with a tumour-pooled reference's
    gene baselines, and a Tumour of synthetic bins: del4-7 and a homozygous CDKN2A in 80%."""
    from ikzf1cnv.caller import junctions as cjunctions, sex, tumour
    rules = sex.SexRules(0.8, 0.65, 0.1)
    c = tumour.Caller(ann, params, cjunctions.JunctionRules(3, 1, 5, 2, False), 20, "any", rules,
                      pd.DataFrame(columns=["chrom", "start", "end"]), 57_227_415, None, baseline)
    ev = [("IKZF1", {"4", "5", "6", "7"}, expected_log2(0.8, 1)), ("CDKN2A", None, expected_log2(0.8, 2))]
    bins = make_bins(ann.units, 5, events=ev).assign(offtarget=False)
    jx = pd.DataFrame(columns=["chrom", "left", "right", "split_reads", "discordant_pairs", "precise"])
    t = tumour.Tumour("S", {"subtype": "B-other", "blast_pct": 80.0, "sex": ""}, bins, 100.0, jx)
    return tumour, c, t


def test_genes_whose_no_normals_baseline_is_unsafe_are_not_evaluable_never_called(ann, params):
    """A tumour-pooled reference that could not set a gene's baseline (reference.json):
    that gene is NA and the qc says why; IKZF1 among them makes the sample not evaluable;
    IKZF1plus is NA only where the NA gene could change it."""
    ok = {"tumours": 7, "above": [], "evaluable": True}
    tumour, c, t = tumour_caller(ann, params, {"IKZF1": ok, "CDKN2A": ok})
    res = tumour.call(t, c)
    assert res.status == "deleted" and res.ikzf1["deletion"] == "del4-7" and res.genes["CDKN2A"] == "hom"
    assert res.ikzf1plus == "yes" and res.qc == "pass"
    bad = {"tumours": 2, "above": ["T05"], "evaluable": False}
    tumour, c, t = tumour_caller(ann, params, {"IKZF1": ok, "CDKN2A": bad, "CDKN2B": bad})
    res = tumour.call(t, c)
    assert res.status == "deleted" and res.genes["CDKN2A"] == res.genes["CDKN2B"] == "NA"
    assert res.ikzf1plus == "NA"          # CDKN2A/B could be the partner: not told
    assert res.qc.startswith("warn: not evaluable: CDKN2A: the no-normals baseline rests on 2 tumour(s); "
                             "clearly above it (most of the pool deleted there?): T05")
    tumour, c, t = tumour_caller(ann, params, {"IKZF1": bad})
    res = tumour.call(t, c)
    assert res.status == "not_evaluable" and res.ikzf1["deletion"] == "NA" and res.ikzf1plus == "NA"
    assert res.qc.startswith("fail: IKZF1: the no-normals baseline rests on 2 tumour(s)")
    assert "Fix: add normals" in res.qc


def test_a_homozygous_cdkn2a_that_could_be_heterozygous_makes_ikzf1plus_na_with_its_reason(ann, params):
    """caller.tumour.call end to end on synthetic bins: IKZF1 del4-7 and CDKN2A/B one copy
    lost in 76% of the cells, blast count 62%. The depth reads as two copies lost in 38%;
    76% costs 0.5 (0.14 / 0.1)^2 = 0.98 over the blast count, a second hit 0.5: CDKN2A is
    read hom, but by odds of about 1.6, under the model's 95% drop. IKZF1plus, which counts
    only a homozygous CDKN2A/B, is NA with both readings in qc. Both copies lost in 40% with
    a blast count of 45% (bound 65%: heterozygous in 80% not allowed): the homozygous call
    stands and IKZF1plus is yes."""
    from ikzf1cnv.caller import junctions as cjunctions, sex, tumour
    c = tumour.Caller(ann, params, cjunctions.JunctionRules(3, 1, 5, 2, False), 20, "any", sex.SexRules(0.8, 0.65, 0.1),
                      pd.DataFrame(columns=["chrom", "start", "end"]), 57_227_415, None, {})
    jx = pd.DataFrame(columns=["chrom", "left", "right", "split_reads", "discordant_pairs", "precise"])

    def run(blast, cf, copies):
        ev = [("IKZF1", {"4", "5", "6", "7"}, expected_log2(blast / 100, 1)), ("CDKN2A", None, expected_log2(cf, copies)),
              ("CDKN2B", None, expected_log2(cf, copies))]
        bins = make_bins(ann.units, 5, sd=0.03, events=ev).assign(offtarget=False)
        return tumour.call(tumour.Tumour("S", {"subtype": "B-other", "blast_pct": blast, "sex": ""}, bins, 100.0, jx), c)
    res = run(62.0, 0.76, 1)
    assert res.status == "deleted" and res.genes["CDKN2A"] == "hom" and res.ukall_cna == "poor"
    assert res.ikzf1plus == "NA"
    assert res.qc.startswith("warn: CDKN2A homozygous in 3") and "or heterozygous in 7" in res.qc
    assert res.qc.endswith(": IKZF1plus NA")
    res = run(45.0, 0.40, 2)    # hom in 40%: het would need 80%, above the bound of 45% + 20%
    assert res.genes["CDKN2A"] == "hom" and res.zygosity == [] and res.ikzf1plus == "yes" and res.qc == "pass"


def test_erg_is_ruled_out_over_the_largest_intragenic_deletion_not_the_whole_gene(ann, params):
    """caller.tumour.call end to end: IKZF1 del4-7 and PAX5 in 30% of the cells, ERG's bins
    at depth 5 (the rest at 300). ERG's limit of detection is 0.29 over the whole gene and
    0.35 over exons 2-17 (rules.yaml: ERG deletions in BCP-ALL are intragenic); IKZF1's cell
    fraction 0.33 lies between: IKZF1plus NA, the qc naming the intragenic limit. With the
    rule told `whole`, the same data read yes."""
    import copy
    from ikzf1cnv.caller import junctions as cjunctions, sex, tumour
    from ikzf1cnv.caller.params import Annotation
    jx = pd.DataFrame(columns=["chrom", "left", "right", "split_reads", "discordant_pairs", "precise"])
    ev = [("IKZF1", {"4", "5", "6", "7"}, expected_log2(0.3, 1)), ("PAX5", None, expected_log2(0.3, 1))]
    bins = make_bins(ann.units, 5, sd=0.03, events=ev).assign(offtarget=False)
    erg = ann.units[ann.units["gene"] == "ERG"]
    bins.loc[(bins["chromosome"] == "chr21") & (bins["start"] >= erg["start"].min() - 1)
             & (bins["end"] <= erg["end"].max()), "depth"] = 5.0
    t = tumour.Tumour("S", {"subtype": "B-other", "blast_pct": 30.0, "sex": ""}, bins, 100.0, jx)

    def caller(extent):
        rules = copy.deepcopy(ann.rules)
        rules["ikzf1plus"]["exclude_extent"] = {"ERG": extent}
        a = Annotation(ann.units, ann.arms, ann.introns, rules)
        return tumour.Caller(a, params, cjunctions.JunctionRules(3, 1, 5, 2, False), 20, "any",
                             sex.SexRules(0.8, 0.65, 0.1), pd.DataFrame(columns=["chrom", "start", "end"]), 57_227_415,
                             None, {})
    assert ann.rules["ikzf1plus"]["exclude_extent"] == {"ERG": "intragenic"}
    res = tumour.call(t, caller("intragenic"))
    assert res.status == "deleted" and res.genes["ERG"] == "none" and res.genes["PAX5"] == "whole"
    assert res.ikzf1plus == "NA"
    assert res.qc == ("warn: ERG deletion not ruled out (limit of detection 0.35 > IKZF1 cell fraction 0.33): "
                      "IKZF1plus NA")
    assert tumour.call(t, caller("whole")).ikzf1plus == "yes"
