"""The exon-level model on synthetic exon values with known truth."""
import numpy as np
import pytest

from ikzf1cnv.caller.model import ModelParams, fit, purity_cost
from ikzf1cnv.caller.purity import expected_log2


def draw(states, f, se, seed):
    rng = np.random.default_rng(seed)
    mu = np.array([expected_log2(f, k, floor=-4.0) for k in states])
    return mu + rng.normal(0, se, len(states))


@pytest.mark.parametrize("states", [
    [0, 0, 0, 1, 1, 1, 1, 0],   # del4-7
    [1] * 8,                    # del1-8
    [0, 1, 1, 1, 1, 1, 1, 0],   # del2-7
    [0, 0, 0, 1, 1, 1, 1, 1],   # del4-8
    [0, 1, 1, 0, 0, 0, 0, 0],   # del2-3
    [1, 1, 1, 2, 2, 2, 2, 1],   # del1-8 + del4-7 on the other allele
    [0, 1, 1, 0, 0, 1, 1, 1],   # two distinct events: not merged
])
def test_recovers_exon_states(states):
    """At 70% cells and exon SE 0.1 a one-copy loss is 5 SE from 0: an exon lands on the
    wrong side about 1 time in 200, so allow 1 miss in 20 draws; at SE 0.05, none."""
    exact = 0
    for seed in range(20):
        l = draw(states, 0.7, 0.1, seed)
        r = fit(l, [0.1] * 8, f_max=0.8)
        exact += r.states == states
        assert any(r.states)
    assert exact >= 19
    for seed in range(20):
        r = fit(draw(states, 0.7, 0.05, seed), [0.05] * 8, f_max=0.8)
        assert r.states == states
        assert r.cf_low - 0.02 <= 0.7 <= r.cf_high + 0.02


def test_cell_fraction_interval_covers_truth():
    hits = 0
    for seed in range(100):
        l = draw([0, 0, 0, 1, 1, 1, 1, 0], 0.5, 0.1, seed)
        r = fit(l, [0.1] * 8)
        hits += r.cf_low <= 0.5 <= r.cf_high
    assert hits >= 85  # a 95% profile interval, on a grid


def test_no_false_calls_in_noise():
    """Wild-type exons at an exon SE of 0.1: the switch penalty keeps false calls rare."""
    false = 0
    for seed in range(500):
        r = fit(np.random.default_rng(seed).normal(0, 0.1, 8), [0.1] * 8)
        false += any(r.states)
    assert false <= 5


def test_gains_are_not_losses():
    r = fit(np.full(8, 0.45), [0.1] * 8)
    assert r.states == [0] * 8 and r.cell_fraction is None


def test_purity_separates_het_from_hom():
    """-1.0 is a one-copy loss in all cells, or both copies lost in half of them: only the
    blast fraction can tell. At 50% blasts it must be homozygous."""
    l = np.full(4, -1.0)
    assert fit(l, [0.08] * 4, f_max=0.55).states == [2] * 4
    assert fit(l, [0.08] * 4, f_max=1.0).states == [1] * 4


def test_a_long_homozygous_run_is_not_read_as_a_deeper_heterozygous_one():
    """A homozygous loss in 30% of cells over 100 positions of a 9p21 window (exons, flanks,
    off-target bins), blasts 30% + the sheet's tolerance (f_max 0.55): a heterozygous loss
    in 55% of cells is 0.046 shallower, 3 SE over 100 positions. The biallelic penalty is
    a second hit's cost, charged once per run: charged per position (100 x 0.5) it
    outweighed the data and the homozygous loss (an IKZF1plus partner) read as
    heterozygous, as in the benchmark."""
    states = [0] * 10 + [2] * 100 + [0] * 10
    for seed in range(3):
        l = draw(states, 0.3, 0.15, seed)
        r = fit(l, [0.15] * 120, f_max=0.55, params=ModelParams(switch_penalty=8.0))
        assert r.states == states
        assert r.cf_low <= 0.3 <= r.cf_high


def test_purity_cost():
    f = np.array([0.1, 0.3, 0.4, 0.5])
    assert purity_cost(f, 0.3, 0.1).tolist() == pytest.approx([0, 0, 0.5, 2.0])
    assert purity_cost(f, None, 0.1).tolist() == [0, 0, 0, 0]
    assert purity_cost(f, 0.3, 0.0).tolist() == [0, 0, 0, 0]


def test_the_blast_count_tells_hom_in_p_from_het_in_2p():
    """Blasts 15%: a homozygous loss in all of them (log2(0.85)) looks exactly like a
    heterozygous loss in 30% of cells, within the hard bound of blasts + 0.2. Without the
    blast count the tie goes to one copy; with it (SD 0.1), 30% of cells is 1.5 SD more
    than there are blasts, and the loss is homozygous."""
    l = np.full(30, float(expected_log2(0.15, 2)))
    se = [0.1] * 30
    p = ModelParams(switch_penalty=8.0)
    assert set(fit(l, se, f_max=0.35, params=p).states) == {1}
    r = fit(l, se, f_max=0.35, params=p, purity=(0.15, 0.1))
    assert set(r.states) == {2} and r.cell_fraction == pytest.approx(0.15)
    # a heterozygous loss in all the blasts stays heterozygous
    l1 = np.full(30, float(expected_log2(0.15, 1)))
    assert set(fit(l1, se, f_max=0.35, params=p, purity=(0.15, 0.1)).states) == {1}


def test_missing_exons_carry_no_evidence():
    """del4-7 at 80% of cells (-0.74, 15 SE from 0), exon 6 without data: the run stays one
    run through it (0,0,0,1,1,1,1,0). Counted as normal (log2 0) it would be 15 SE from the
    loss and the run would split around it (0,0,0,1,1,0,1,0). The fit is the one of the
    seven exons with data: the same cell fraction and evidence (llr)."""
    l = draw([0, 0, 0, 1, 1, 1, 1, 0], 0.8, 0.05, 1)
    l[5] = np.nan
    r = fit(l, [0.05] * 8)
    assert r.states == [0, 0, 0, 1, 1, 1, 1, 0]
    seven = fit(np.delete(l, 5), [0.05] * 7)
    assert seven.states == [0, 0, 0, 1, 1, 1, 0]
    assert (r.cell_fraction, r.cf_low, r.cf_high) == (seven.cell_fraction, seven.cf_low, seven.cf_high)
    assert r.llr == pytest.approx(seven.llr, rel=1e-12)
    # a missing exon at the run's edge goes with either neighbour at no cost: still one run
    l[6] = np.nan
    assert fit(l, [0.05] * 8).states[3:5] == [1, 1] and fit(l, [0.05] * 8).states[7] == 0


def test_switch_penalty_is_the_evidence_threshold():
    """A single exon at z = 4 (LLR 8) is called at penalty 3 (cost 6), not at 6 (cost 12)."""
    l = np.zeros(8)
    l[4] = -0.4
    assert fit(l, [0.1] * 8, params=ModelParams(switch_penalty=3.0)).states[4] == 1
    assert fit(l, [0.1] * 8, params=ModelParams(switch_penalty=6.0)).states[4] == 0


def test_an_exact_tie_goes_to_the_first_cell_fraction_on_the_grid():
    """-1.0 at four exons is exactly a one-copy loss in every cell (log2(1 - 1/2)) and exactly
    a two-copy loss in half of them (log2(1 - 0.5)): without a biallelic penalty both cost
    the same two breakpoints and no residual. The tie goes to the first cell fraction on the
    grid (0.5, homozygous), every time; the biallelic penalty (a second hit) breaks it the
    other way. The evidence: the null's four residuals of 10 SE, Huber's 3 x 10 - 3^2 / 2
    each, less two breakpoints of 6. Nor does the fit change its input."""
    l = np.full(4, -1.0)
    keep = l.copy()
    tie = fit(l, [0.1] * 4, params=ModelParams(biallelic_penalty=0.0))
    assert tie.states == [2] * 4 and tie.cell_fraction == 0.5 and tie.llr == pytest.approx(4 * (30 - 4.5) - 2 * 6.0)
    assert fit(l, [0.1] * 4, params=ModelParams(biallelic_penalty=0.1)).states == [1] * 4
    assert np.array_equal(l, keep)


def test_an_empty_window_is_no_event():
    r = fit([], [])
    assert (r.states, r.cell_fraction, r.cf_low, r.cf_high, r.llr) == ([], None, None, None, 0.0)


def test_a_blast_fraction_without_its_sd_costs_nothing():
    """A stated blast fraction with SD 0 (purity=(0.3, 0.0)) puts no cost on larger cell fractions."""
    l = draw([0, 0, 1, 1, 1, 0], 0.6, 0.1, 4)
    a, b = fit(l, [0.1] * 6), fit(l, [0.1] * 6, purity=(0.3, 0.0))
    assert np.array_equal(a.profile, b.profile) and (a.states, a.cell_fraction) == (b.states, b.cell_fraction)
    assert not np.array_equal(fit(l, [0.1] * 6, purity=(0.3, 1.0)).profile, a.profile)


def test_a_long_wild_type_window_has_no_event_whatever_the_rounding():
    """300 positions at or above log2 0: nothing is lost. The evidence is the null's cost (one
    sum) less the best path's (another sum, in another order): here the two differ in the last
    bits (llr 3e-13 > 0) while the best path is all normal, which must still be no event."""
    rng = np.random.default_rng(0)
    r = fit(np.abs(rng.normal(0, 0.3, 300)), rng.uniform(0.05, 0.3, 300))
    assert 0 < r.llr < 1e-9
    assert not any(r.states) and (r.cell_fraction, r.cf_low, r.cf_high) == (None, None, None)


def test_paths_side_by_side_are_each_paths_own_fit():
    """fit_many (caller.types' candidates in one pass) gives each mask's fit exactly."""
    from ikzf1cnv.caller.model import fit_many
    rng = np.random.default_rng(4)
    for seed in range(5):
        n = int(rng.integers(3, 40))
        l = draw(list(rng.integers(0, 2, n)), 0.6, 0.1, seed)
        l[rng.random(n) < 0.1] = np.nan
        se = rng.uniform(0.05, 0.3, n)
        masks = [rng.random((n, 3)) < 0.8 for _ in range(6)]
        for blast in (None, 0.5):
            many = fit_many(l, se, masks, f_max=0.9, purity=(blast, 0.1))
            assert len(many) == len(masks)
            for m, got in zip(masks, many):
                want = fit(l, se, f_max=0.9, purity=(blast, 0.1), allowed=m)
                assert (got.states, got.cell_fraction, got.cf_low, got.cf_high, got.llr, got.cost) == \
                       (want.states, want.cell_fraction, want.cf_low, want.cf_high, want.llr, want.cost)
                assert np.array_equal(got.profile, want.profile)
    assert fit_many([-1.0, -1.0], [0.1, 0.1], []) == []        # no candidate types: no fits


def test_a_total_loss_reads_at_the_floor():
    """Reads at log2 -8 with a floor of -3: the data and the expectations are both floored,
    so two copies lost in any fraction from 0.88 up (log2(0.12) = -3.06, floored to -3) fit
    with no residual at all: the cost is the two breakpoints alone (2 x 5), and the cell
    fraction the first of those on the grid. Unfloored, log2(1 - f) never equals -3 on the
    grid and every fraction leaves a residual."""
    r = fit([-8.0] * 4, [0.1] * 4, params=ModelParams(switch_penalty=5.0, log2_floor=-3.0, biallelic_penalty=0.0))
    assert r.states == [2] * 4 and r.cell_fraction == 0.88 and r.cf_high == 1.0
    assert r.cost == pytest.approx(10.0, abs=1e-12)
