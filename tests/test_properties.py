"""Properties that must hold for any input (hypothesis), each checked against an independent
oracle (tests/brute_force.py: every path, every pair) or a relation between two runs of the
code. Deterministic in CI: the `ci` profile in conftest.py derandomizes and bounds them."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, event, example, given, settings, strategies as st

import brute_force
from ikzf1cnv.caller import arms as armlib, classify, labels, params as cparams, purity
from ikzf1cnv.caller.model import ModelParams, fit
from ikzf1cnv.core import annotation
from ikzf1cnv.reads import junction_reads

NAN = float("nan")
TIE = 1e-7   # costs closer than this are a tie the oracle and the code may break differently


# ------------------------------------------------------------------ strategies
log2s = st.floats(-5.0, 1.0, allow_nan=False)
ses = st.one_of(st.floats(0.03, 1.0), st.sampled_from([0.0, NAN, -1.0]))   # invalid SEs are taken as 1


@st.composite
def windows(draw, min_n=1, max_n=5, missing=True):
    n = draw(st.integers(min_n, max_n))
    x = st.one_of(log2s, st.just(NAN)) if missing else log2s
    return draw(st.lists(x, min_size=n, max_size=n)), draw(st.lists(ses, min_size=n, max_size=n))


@st.composite
def losses(draw, min_n=1, max_n=5, missing=True):
    """A window of positions at a loss's expected level in some fraction of cells, and noise."""
    n = draw(st.integers(min_n, max_n))
    f = draw(st.floats(0.1, 1.0))
    out, se = [], []
    for _ in range(n):
        k = draw(st.sampled_from([0, 1, 1, 2]))
        s_ = draw(st.floats(0.03, 0.3))
        x = max(math.log2(max(1 - f * k / 2, 1e-3)), -5.0) + draw(st.floats(-2.0, 2.0)) * s_
        out.append(NAN if missing and draw(st.integers(0, 9)) == 0 else x)
        se.append(s_)
    return out, se


def any_window(min_n=1, max_n=5, missing=True):
    return st.one_of(windows(min_n, max_n, missing), losses(min_n, max_n, missing))


model_params = st.builds(
    ModelParams, switch_penalty=st.floats(0.0, 8.0), biallelic_penalty=st.floats(0.0, 3.0),
    log2_floor=st.sampled_from([-4.0, -3.0, -6.0]), f_step=st.sampled_from([0.01, 0.05, 0.1, 0.25]),
    f_min=st.floats(0.01, 0.5), ci_drop=st.floats(0.5, 4.0), huber_k=st.floats(0.5, 5.0))
blasts = st.one_of(st.none(), st.floats(0.05, 1.0))


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# ------------------------------------------------------------------ the model
@given(w=any_window(), p=model_params, f_max=st.floats(0.01, 1.2), blast=blasts, blast_sd=st.one_of(st.just(0.0), st.floats(0.01, 0.3)))
@example(w=([-1.0, -1.0, NAN, -1.0], [0.1] * 4), p=ModelParams(), f_max=1.0, blast=None, blast_sd=0.0)  # a gap in a loss
def test_fit_is_the_best_of_every_path_at_every_cell_fraction(w, p, f_max, blast, blast_sd):
    """The Viterbi fit against all 3^n paths at every cell fraction of the grid: the same
    grid, the same profile (best cost per cell fraction), an event exactly when the best
    path beats the null, its cost the best, its cell fraction the first best on the grid,
    its path the best one (when no other ties it), and the interval every cell fraction
    within ci_drop of the best."""
    l, s = w
    r = fit(l, s, f_max=f_max, params=p, purity=(blast, blast_sd))
    o = brute_force.fit_by_enumeration(l, s, p, f_max, blast, blast_sd)
    g, prof, best = o["grid"], o["profile"], o["best"]
    assert len(r.grid) == len(g) and np.allclose(r.grid, g, rtol=0, atol=1e-9)
    assert np.allclose(r.profile, prof, rtol=1e-9, atol=1e-9)
    llr = o["null"] - best          # >= 0: the null is one of the paths
    if llr <= 1e-12:
        event("no event")
        assert not any(r.states) and r.cell_fraction is None and r.cf_low is None and r.cf_high is None
        assert r.llr <= 1e-9 and _close(r.cost, o["null"])     # no event: the cost is the null's
        return
    assume(llr > TIE)
    event("event")
    assert _close(r.llr, llr) and _close(r.cost, best)          # caller.types compares these costs
    j = int(np.argmax(prof <= best + TIE))
    assume(np.sum(prof <= best + TIE) == 1)                     # one best cell fraction
    assert r.cell_fraction == pytest.approx(g[j], abs=1e-9)
    assert _close(brute_force.path_cost(l, s, r.states, g[j], p, blast, blast_sd), best)
    col = np.sort(o["table"][:, j])
    if col[1] > col[0] + TIE:                                     # one best path
        assert tuple(r.states) == o["paths"][int(np.argmin(o["table"][:, j]))]
    assume(not np.any(np.abs(prof - (best + p.ci_drop)) < TIE))
    ok = prof <= best + p.ci_drop
    assert r.cf_low == pytest.approx(g[ok].min(), abs=1e-9) and r.cf_high == pytest.approx(g[ok].max(), abs=1e-9)


@given(w=any_window(min_n=2, max_n=5, missing=False), i=st.integers(0, 4), p=model_params,
       f_max=st.floats(0.05, 1.0), blast=blasts)
@example(w=([0.0, -1.0, 0.0, -2.0], [1.0] * 4), i=2, p=ModelParams(switch_penalty=2.3e-49, biallelic_penalty=0.0,
         log2_floor=-4.0, f_step=0.01, f_min=0.5, ci_drop=1.0, huber_k=1.0), f_max=1.0, blast=None)  # a penalty lost in rounding
@example(w=([-1.0] * 5, [0.1] * 5), i=2, p=ModelParams(), f_max=1.0, blast=None)   # a gap in a whole-window loss
def test_a_missing_position_changes_nothing_but_its_own_evidence(w, i, p, f_max, blast):
    """A position without data (NaN) fits exactly as if it were not there: the same profile,
    evidence (llr) and cell fraction, and every other position a best path of the window
    without it; it takes the state of a neighbour (a run is not broken by a gap in the data)
    whenever a change of state costs anything."""
    l, s = w
    i = i % len(l)
    gap = list(l)
    gap[i] = NAN
    without_l, without_s = l[:i] + l[i + 1:], s[:i] + s[i + 1:]
    a = fit(gap, s, f_max=f_max, params=p, purity=(blast, 0.1))
    b = fit(without_l, without_s, f_max=f_max, params=p, purity=(blast, 0.1))
    assert np.allclose(a.profile, b.profile, rtol=1e-9, atol=1e-9)
    assert _close(a.llr, b.llr)
    o = brute_force.fit_by_enumeration(without_l, without_s, p, f_max, blast, 0.1)
    llr = o["null"] - o["best"]
    if llr <= 1e-12:
        event("no event")
        assert not any(a.states) and not any(b.states) and a.cell_fraction is None and b.cell_fraction is None
        return
    assume(llr > TIE and np.sum(o["profile"] <= o["best"] + TIE) == 1)
    event("event")
    assert (a.cell_fraction, a.cf_low, a.cf_high) == (b.cell_fraction, b.cf_low, b.cf_high)
    rest = a.states[:i] + a.states[i + 1:]
    assert _close(brute_force.path_cost(without_l, without_s, rest, b.cell_fraction, p, blast, 0.1), o["best"])
    if p.switch_penalty > 1e-6:   # any other state costs a breakpoint more (with none, or one lost in
        # the rounding of costs near 1, e.g. 2e-49 as hypothesis found, every state ties)
        neighbours = {a.states[i - 1] if i > 0 else 0, a.states[i + 1] if i + 1 < len(l) else 0}
        assert a.states[i] in neighbours


@given(w=any_window(max_n=8), p=model_params, f_max=st.floats(0.05, 1.0), blast=blasts)
def test_a_position_at_the_wild_type_level_never_creates_a_deletion(w, p, f_max, blast):
    """Data all at or above log2 0 is never a loss; and a position at log2 0 put anywhere in a
    window can only lower the evidence for an event (every path's cost grows or stays, the
    null's does not), so it never turns a wild type into a deletion."""
    l, s = w
    up = [abs(x) if math.isfinite(x) else x for x in l]
    assert not any(fit(up, s, f_max=f_max, params=p, purity=(blast, 0.1)).states)
    before = fit(l, s, f_max=f_max, params=p, purity=(blast, 0.1))
    for j in range(len(l) + 1):
        after = fit(l[:j] + [0.0] + l[j:], s[:j] + [0.1] + s[j:], f_max=f_max, params=p, purity=(blast, 0.1))
        assert after.llr <= before.llr + 1e-9
        if not any(before.states):
            assert not any(after.states)


@given(base=st.lists(st.floats(-3.0, 0.5), min_size=1, max_size=8), data=st.data(), p=model_params,
       f_max=st.floats(0.05, 1.0))
def test_a_deeper_loss_never_gets_a_smaller_cell_fraction(base, data, p, f_max):
    """Two windows, one deeper than the other at every position: when the model calls the
    same states in both, the deeper one's cell fraction is at least as large (each residual
    rewards a larger fraction the deeper the data)."""
    n = len(base)
    deeper = [x - d for x, d in zip(base, data.draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)))]
    s = data.draw(st.lists(st.floats(0.05, 0.5), min_size=n, max_size=n))
    a, b = fit(base, s, f_max=f_max, params=p), fit(deeper, s, f_max=f_max, params=p)
    assume(a.cell_fraction is not None and a.states == b.states)
    assert b.cell_fraction >= a.cell_fraction


@given(x=st.floats(-6.0, 0.0), y=st.floats(-6.0, 0.0), k=st.sampled_from([1, 2]))
def test_a_deeper_level_is_a_larger_fraction_of_cells(x, y, k):
    """purity.cell_fraction, and an arm's cell fraction with its interval (arms.call_arms),
    never fall as the level falls."""
    lo, hi = min(x, y), max(x, y)
    assert purity.cell_fraction(lo, k) >= purity.cell_fraction(hi, k)
    levels = pd.DataFrame({"arm": ["7p", "7q"], "chrom": ["chr7", "chr7"], "n_bins": [50, 50], "level": [lo, hi],
                           "se_stat": [0.02, 0.02]})
    t = armlib.call_arms(levels, ["7p", "7q"], 0.001, 0.03, ("chr1",), 0.25).set_index("arm")
    for c in ("cell_fraction", "cf_low", "cf_high"):
        assert t.loc["7p", c] >= t.loc["7q", c]


# ------------------------------------------------------------------ the labels
@given(st.sets(st.integers(1, 8)))
def test_the_label_is_the_runs_of_lost_exons(exons):
    assert labels.deletion_label(exons) == brute_force.label_by_definition(exons)
    assert labels.parse_label(labels.deletion_label(exons)) == sorted(exons)
    assert labels.exon_list(exons) == ",".join(str(e) for e in sorted(exons))
    assert labels.runs(exons) == [(int(p.split("-")[0].removeprefix("del")), int(p.split("-")[-1].removeprefix("del")))
                                  for p in brute_force.label_by_definition(exons).split("+") if p != "none"]


@pytest.fixture(scope="module")
def ann(root, rules):
    u = annotation.load_units(root / "resources", "hg38")
    return cparams.Annotation(u[u["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))],
                              annotation.load_arms(root / "resources", "hg38"),
                              annotation.load_introns(root / "resources", "hg38"), rules)


@given(states=st.lists(st.sampled_from([0, 1, 2]), min_size=8, max_size=8),
       covered=st.lists(st.booleans(), min_size=8, max_size=8), tiles=st.lists(st.sampled_from([0, 1, 2]), max_size=7))
def test_the_ikzf1_type_is_the_run_of_lost_exons_with_data(ann, states, covered, tiles):
    """ikzf1_summary's deletion, exons and biallelic exons from a fit's states: the lost IKZF1
    exons that have data (an exon without a bin is not evidence of anything), whatever the
    intronic positions between them say."""
    from ikzf1cnv.caller.groups import GroupFit
    from ikzf1cnv.caller.ikzf1 import ikzf1_summary
    from ikzf1cnv.caller.model import Fit
    u = ann.units[ann.units["gene"] == "IKZF1"]
    rows = []
    for (e, st_, cov), r in zip(zip(range(1, 9), states, covered), u.itertuples()):
        rows.append({"kind": "exon", "gene": "IKZF1", "exon": str(e), "chrom": "chr7", "start": r.start - 1,
                     "end": r.end, "n_bins": int(cov), "log2": -0.5 if cov else NAN, "se": 0.1, "state": st_})
        if e <= len(tiles):   # an intronic bin after exon e, in any state
            rows.append({"kind": "intronic", "gene": "IKZF1", "exon": "", "chrom": "chr7", "start": r.end + 100,
                         "end": r.end + 220, "n_bins": 1, "log2": -0.5, "se": 0.1, "state": tiles[e - 1]})
    pos = pd.DataFrame(rows)
    f = Fit([int(x) for x in pos["state"]], 0.5, 0.4, 0.6, 10.0)
    s = ikzf1_summary(GroupFit(["IKZF1"], pos, f, 5.0), pd.DataFrame(columns=armlib.ARM_COLS), ann)
    lost = [e for e, st_, cov in zip(range(1, 9), states, covered) if st_ and cov]
    assert s["deletion"] == brute_force.label_by_definition(lost)
    assert s["exons_deleted"] == ",".join(map(str, lost))
    assert s["exons_biallelic"] == ",".join(str(e) for e, st_, cov in zip(range(1, 9), states, covered) if st_ == 2 and cov)
    assert (s["cell_fraction"], s["cf_low"], s["cf_high"]) == ((0.5, 0.4, 0.6) if lost else (None, None, None))


# ------------------------------------------------------------------ the calibrated penalty
@pytest.fixture(scope="module")
def calibration(root):
    return annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")


@given(n=st.integers(1, 5000), rate=st.sampled_from([0.001, 0.01]))
def test_a_window_takes_the_penalty_of_the_smallest_tabulated_size_that_holds_it(calibration, schema_defaults, n, rate):
    """CallerParams.model_for(n): the table's penalty for the smallest n_units >= n at the
    configured rate (a window of n positions calibrated as one at least as long: its rate is
    then at most the configured one), the largest row's beyond the table; looked up here
    straight from resources/penalty_calibration.tsv."""
    p = cparams.CallerParams.from_config({**schema_defaults["caller"], "false_positive_rate": rate},
                                         schema_defaults["qc"], calibration)
    rows = calibration[calibration["fp_rate"] == rate].sort_values("n_units")
    fit_rows = rows[rows["n_units"] >= n]
    want = float((fit_rows if len(fit_rows) else rows.tail(1))["switch_penalty"].iloc[0])
    assert p.model_for(n).switch_penalty == want
    assert p.model_for(n).biallelic_penalty == schema_defaults["caller"]["biallelic_penalty"]


def _false_call_rate(n, penalty, draws, seed):
    from ikzf1cnv.caller.calibrate import critical_penalties
    x = np.random.default_rng(seed).normal(0, 0.1, (draws, n))
    return int(np.sum(critical_penalties(x, 0.1) > penalty))


SMALL_SIZES = [2, 4, 8, 12, 20, 30, 40, 60, 80, 120]


def test_the_table_holds_its_false_call_rate_at_every_tabulated_size(calibration):
    """Null windows (every position N(0, 0.1), 1,000 draws a size, seeds other than the
    calibration's) at each tabulated size up to 120 positions: the table's 1% penalty is
    beaten in about 1% of them (binomial 99.9% bounds per size: 2..22 of 1,000; over the ten
    sizes 70..132 of 10,000) and its 0.1% penalty in about 0.1% (at most 7 a size)."""
    assert sorted(set(calibration["n_units"]) & set(SMALL_SIZES)) == SMALL_SIZES
    total = 0
    for n in SMALL_SIZES:
        pen = calibration.set_index(["n_units", "fp_rate"])["switch_penalty"]
        from ikzf1cnv.caller.calibrate import critical_penalties
        crit = critical_penalties(np.random.default_rng(7000 + n).normal(0, 0.1, (1000, n)), 0.1)
        k1, k01 = int(np.sum(crit > pen[(n, 0.01)])), int(np.sum(crit > pen[(n, 0.001)]))
        assert 2 <= k1 <= 22, (n, k1)
        assert k01 <= 7, (n, k01)
        total += k1
    assert 70 <= total <= 132, total


@settings(max_examples=8)
@given(n=st.integers(2, 120))
def test_a_window_between_tabulated_sizes_keeps_at_most_the_rate(calibration, schema_defaults, n):
    """Any window size (not only the tabulated ones): its penalty (model_for) keeps the null
    false-call rate at most 1% (1,000 draws: at most 22)."""
    p = cparams.CallerParams.from_config({**schema_defaults["caller"], "false_positive_rate": 0.01},
                                         schema_defaults["qc"], calibration)
    assert _false_call_rate(n, p.model_for(n).switch_penalty, 1000, 9000 + n) <= 22


@st.composite
def grid_params(draw):
    """Model parameters whose cell-fraction grid ends at 1 (f_min + j f_step = 1), as the
    defaults' does: calibrate.critical_penalties's grid stops at the last step below 1 and,
    unlike model.fit's, does not add 1 itself (docs/testing.md)."""
    p = draw(model_params)
    step = p.f_step
    j = draw(st.integers(max(1, math.ceil(0.5 / step)), int(0.99 / step)))
    f_max = round(1.0 - draw(st.integers(0, j)) * step, 6)        # on the grid too
    return ModelParams(**{**p.__dict__, "f_min": round(1.0 - j * step, 6)}), f_max


@given(w=any_window(min_n=1, max_n=4, missing=False), pf=grid_params())
def test_critical_penalty_is_the_best_single_run_gain_per_breakpoint(w, pf):
    """calibrate.critical_penalties (Kadane's maximum subarray) against every path of one run of
    one state: the largest switch penalty at which such a path beats the null. Paths of
    several runs or of a run that changes level can do better per breakpoint (the model then
    calls at a higher penalty: docs/testing.md), never worse, so the shortcut is a lower bound."""
    from ikzf1cnv.caller.calibrate import critical_penalties
    l, se = w
    p, f_max = pf
    se = [x if math.isfinite(x) and x > 0 else 0.1 for x in se]
    # f_max defaults to 1 (every cell)
    got = float(critical_penalties(np.array([l]), np.array(se), p, f_max)[0] if f_max < 1 else
                critical_penalties(np.array([l]), np.array(se), p)[0])
    assert got == pytest.approx(brute_force.critical_penalty_by_enumeration(l, se, p, f_max, runs="one"), rel=1e-9, abs=1e-9)
    assert got <= brute_force.critical_penalty_by_enumeration(l, se, p, f_max) * (1 + 1e-9) + 1e-9


@given(z=st.lists(st.floats(-4.0, 4.0), min_size=1, max_size=5), se=st.floats(0.05, 0.3))
def test_critical_penalty_of_a_null_window_is_that_of_every_path(z, se):
    """In null windows (every position within 4 SE of 0, the model's defaults) no path of several
    runs, or of a run that changes level, beats the best single run per breakpoint: the
    shortcut the calibration table is made with is exact there."""
    from ikzf1cnv.caller.calibrate import critical_penalties
    l = [x * se for x in z]
    got = float(critical_penalties(np.array([l]), se)[0])
    assert got == pytest.approx(brute_force.critical_penalty_by_enumeration(l, [se] * len(l), ModelParams()), rel=1e-9,
                                abs=1e-9)


def test_a_run_that_changes_level_beats_the_shortcut():
    """The counterexample hypothesis found: positions 3 and 4 at a one-copy and a two-copy
    level with small SEs, Huber k 1, no biallelic penalty. The model calls 0,0,1,2 up to a
    penalty of 15.01 (three breakpoints); the shortcut's best single run stops at 14.76."""
    from ikzf1cnv.caller.calibrate import critical_penalties
    l, se = [0.0, 0.0, -0.75, -3.0], [1.0, 1.0, 0.03125, 0.125]
    p = ModelParams(switch_penalty=0.0, biallelic_penalty=0.0, f_min=0.5, huber_k=1.0)
    assert float(critical_penalties(np.array([l]), np.array(se), p)[0]) == pytest.approx(14.7627, abs=1e-4)
    assert brute_force.critical_penalty_by_enumeration(l, se, p) == pytest.approx(15.0133, abs=1e-4)
    assert fit(l, se, params=ModelParams(switch_penalty=15.0, biallelic_penalty=0.0, f_min=0.5, huber_k=1.0)).states \
        == [0, 0, 1, 2]


# ------------------------------------------------------------------ junction clustering
def _records(chroms=("chr7", "chr9"), span=3000, width=3000):
    return st.lists(st.tuples(st.sampled_from(chroms), st.integers(0, span), st.integers(0, width)).map(
        lambda t: (t[0], t[1], t[1] + t[2])), max_size=60)


@given(records=_records(span=200, width=200), tol=st.integers(0, 20))
def test_split_read_clusters_equal_the_all_pairs_definition(records, tol):
    got = junction_reads.cluster(records, tol)
    assert [tuple(r) for r in got.itertuples(index=False)] == brute_force.cluster_by_definition(records, tol)


@given(records=_records(span=2000, width=2000), window=st.integers(0, 600))
@example(records=[("chr7", 0, 5000), ("chr7", 500, 5000)], window=500)       # the window's far edge: one cluster
@example(records=[("chr7", 0, 5000), ("chr7", 501, 5000)], window=500)       # one bp beyond: two
@example(records=[("chr7", 100, 5000), ("chr9", 100, 5000), ("chr7", 600, 5500)], window=500)
def test_pair_clusters_equal_the_all_pairs_definition(records, window):
    assert junction_reads.cluster_pairs(records, window) == brute_force.cluster_pairs_by_definition(records, window)


@given(split=_records(span=2000, width=2000), pairs=_records(span=2000, width=2000), window=st.integers(0, 600),
       tol=st.integers(0, 20))
def test_merged_junctions_equal_the_all_pairs_definition(split, pairs, window, tol):
    sc = junction_reads.cluster(split, tol)
    pc = junction_reads.cluster_pairs(pairs, window)
    merged = junction_reads.merge_pairs(sc, pc, window, tol)
    want = brute_force.merge_by_definition(brute_force.cluster_by_definition(split, tol), pc, window, tol)
    assert [list(r) for r in merged.itertuples(index=False)] == want


# ------------------------------------------------------------------ IKZF1plus and UKALL-CNA
LEVELS = {"CDKN2A": ["none", "het", "hom"], "CDKN2B": ["none", "het", "hom"], "PAX5": ["none", "partial", "whole"],
          "PAR1": ["none", "deleted"], "ERG": ["none", "deleted"], "EBF1": ["none", "deleted"],
          "ETV6": ["none", "deleted"], "BTG1": ["none", "deleted"], "RB1": ["none", "deleted"]}
profiles = st.fixed_dictionaries({"IKZF1": st.sampled_from(["deleted", "wildtype"]),
                                  **{g: st.sampled_from(v) for g, v in LEVELS.items()}})


@given(c=profiles, pax5_mode=st.sampled_from(["any", "partial"]))
def test_ikzf1plus_is_stanullas_definition(rules, c, pax5_mode):
    """Stanulla 2018: an IKZF1 deletion, and CDKN2A or CDKN2B homozygous, or PAX5 deleted
    (intragenic only when pax5_mode is 'partial'), or the PAR1 deletion; and no ERG deletion."""
    pax5 = c["PAX5"] == "partial" if pax5_mode == "partial" else c["PAX5"] != "none"
    partner = "hom" in (c["CDKN2A"], c["CDKN2B"]) or pax5 or c["PAR1"] == "deleted"
    want = c["IKZF1"] == "deleted" and partner and c["ERG"] == "none"
    assert classify.ikzf1plus(c, rules["ikzf1plus"], pax5_mode) == ("yes" if want else "no")
    assert classify.ikzf1plus({**c, "IKZF1": "not_evaluable"}, rules["ikzf1plus"], pax5_mode) == "NA"


@given(c=profiles)
def test_ukall_cna_is_moormans_definition(rules, c):
    """Moorman 2014: of IKZF1, CDKN2A/B (one unit), PAX5, EBF1, ETV6, BTG1, RB1 and PAR1, good
    risk is none deleted, ETV6, PAX5 or BTG1 alone, or ETV6 with exactly one of BTG1, PAX5,
    CDKN2A/B; poor risk any other profile. ERG is not one of the eight."""
    d = {g for g in ("PAX5", "EBF1", "ETV6", "BTG1", "RB1", "PAR1") if c[g] != "none"}
    if c["IKZF1"] == "deleted":
        d.add("IKZF1")
    if c["CDKN2A"] != "none" or c["CDKN2B"] != "none":
        d.add("CDKN2A/B")
    good = (not d or d in ({"ETV6"}, {"PAX5"}, {"BTG1"})
            or ("ETV6" in d and len(d) == 2 and (d - {"ETV6"}) <= {"BTG1", "PAX5", "CDKN2A/B"}))
    assert classify.ukall_cna(c, rules["ukall_cna"]) == ("good" if good else "poor")
    assert classify.ukall_cna({**c, "IKZF1": "not_evaluable"}, rules["ukall_cna"]) == "NA"


@given(g=st.lists(st.lists(st.floats(-5, 5), min_size=3, max_size=3), min_size=1, max_size=4), shape=st.sampled_from(
    [(1, -1), (-1, 1), (2, -1)]))
def test_max_run_sum_is_the_best_contiguous_run_for_any_leading_shape(g, shape):
    """calibrate._max_run_sum (Kadane, vectorised) against every non-empty run, along the last
    axis of arrays of one, two and three dimensions."""
    from ikzf1cnv.caller.calibrate import _max_run_sum
    rows = np.array(g, dtype=float)
    want = np.array([max(sum(r[a:b]) for a in range(len(r)) for b in range(a + 1, len(r) + 1)) for r in rows])
    np.testing.assert_allclose(_max_run_sum(rows), want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_max_run_sum(rows[0]), want[0], rtol=1e-12, atol=1e-12)
    if len(rows) % 2 == 0:
        np.testing.assert_allclose(_max_run_sum(rows.reshape(2, -1, 3)), want.reshape(2, -1), rtol=1e-12, atol=1e-12)
