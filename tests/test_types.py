"""IKZF1's type at the edges of the data (caller.types): the literature's shares as a prior
among the types near the model's call, never deciding whether IKZF1 is deleted."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import types
from ikzf1cnv.caller.model import ModelParams, fit
from ikzf1cnv.caller.purity import expected_log2

SHARES = pd.DataFrame({"label": ["del4-7", "del1-8", "del2-7", "del4-8", "del2-3", "del2-8", "other"],
                       "share": [0.37, 0.30, 0.08, 0.066, 0.063, 0.036, 0.083]})
PRIOR = types.TypePrior.from_table(SHARES)
FLAT = types.TypePrior.from_table(SHARES, use_prior=False)
P = ModelParams(switch_penalty=8.0)


def edge_window(exon1: float, rng_seed: int = 3, n_intron: int = 4):
    """Exon 1 first (nothing measured before it), then n_intron intronic probes between each
    exon and the next, to the window's end: all lost (a del1-8 running past the window) in
    41% of cells, but exon 1 read at `exon1`; SE 0.15 everywhere."""
    rng = np.random.default_rng(rng_seed)
    exon_of, l2 = [1], [exon1]
    for e in range(2, 9):
        exon_of += [0] * n_intron + [e]
    exon_of = np.array(exon_of + [0] * n_intron)
    mu = expected_log2(0.41, 1)
    l2 = np.r_[l2, mu + rng.normal(0, 0.03, len(exon_of) - 1)]
    return exon_of, l2, np.full(len(l2), 0.15)


def test_the_types_tried_are_the_runs_near_the_call():
    assert types.candidates([2, 3, 4, 5, 6, 7, 8], 8, 1) == [(1, 7), (1, 8), (2, 7), (2, 8), (3, 7), (3, 8)]
    assert (2, 8) in types.candidates([4, 5, 6, 7], 8, 2) and (1, 8) not in types.candidates([4, 5, 6, 7], 8, 2)
    a = types.allowed_states(np.array([0, 1, 0, 2, 3]), (2, 3))
    assert a.tolist() == [[True] * 3, [True, False, False], [True] * 3, [False, True, True], [False, True, True]]


def test_log_shares_are_the_tables_and_other_is_split_evenly():
    assert math.isclose(PRIOR.log_share("del1-8"), math.log(0.30))
    assert math.isclose(PRIOR.log_share("del3-5"), math.log(0.083 / (36 - 6)))   # 36 single runs of 8 exons
    assert FLAT.log_share("del1-8") == FLAT.log_share("del3-5") == 0.0


def test_a_del1_8_whose_first_exon_reads_near_zero_follows_the_commoner_type():
    """The issue's case: exon 1 at -0.09 (SE 0.15) against -0.33 expected, everything after
    it lost. The data alone read del2-8 (exon 1 kept); with the shares (del1-8 30%, del2-8
    4%) it is del1-8, del2-8 the runner-up at odds below 10."""
    exon_of, l2, se = edge_window(-0.09)
    free = fit(l2, se, params=P)
    lost = sorted({int(e) for e, s in zip(exon_of, free.states) if e and s})
    assert lost == [2, 3, 4, 5, 6, 7, 8]                                  # the model alone: del2-8
    refit = lambda allowed: fit(l2, se, params=P, allowed=allowed)  # noqa: E731
    t = types.choose(exon_of, lost, refit, PRIOR)
    assert t.label == "del1-8" and t.alt == "del2-8" and 1.0 < t.odds < 10.0
    assert all(s > 0 for e, s in zip(exon_of, t.fit.states) if e)        # its exons all lost in the fit
    flat = types.choose(exon_of, lost, refit, FLAT)
    assert flat.label == "del2-8" and flat.alt == "del1-8"                # without the prior: the data's
    # the odds are the data's likelihood ratio times the ratio of the shares
    assert math.isclose(t.odds * flat.odds, 0.30 / 0.036, rel_tol=1e-6)


def test_clear_exons_are_not_overruled_and_a_clear_call_has_no_runner_up():
    """Exon 1 read at 0.0 with SE 0.05 (clearly kept): del2-8 stays; a clean del4-7 (exons 3
    and 8 at 0) has no runner-up within the odds."""
    exon_of, l2, se = edge_window(0.0)
    se[0] = 0.05
    free = fit(l2, se, params=P)
    lost = sorted({int(e) for e, s in zip(exon_of, free.states) if e and s})
    t = types.choose(exon_of, lost, lambda a: fit(l2, se, params=P, allowed=a), PRIOR)
    assert t.label == "del2-8"
    exon_of = np.repeat(np.arange(1, 9), 3)
    l2 = np.where((exon_of >= 4) & (exon_of <= 7), expected_log2(0.8, 1), 0.0)
    se = np.full(len(l2), 0.1)
    t = types.choose(exon_of, [4, 5, 6, 7], lambda a: fit(l2, se, params=P, allowed=a), PRIOR)
    assert t.label == "del4-7" and t.alt is None and t.odds is None


@pytest.mark.parametrize("seed", range(5))
def test_the_prior_never_makes_a_wild_type_deleted(seed, rules, params):
    """retype only acts on a called deletion: a wild-type window keeps its fit, no runner-up."""
    from ikzf1cnv.caller import groups, ikzf1
    rng = np.random.default_rng(seed)
    pos = pd.DataFrame({"kind": "exon", "gene": "IKZF1", "exon": [str(e) for e in range(1, 9)],
                        "log2": rng.normal(0, 0.1, 8), "se": 0.1, "start": np.arange(8) * 1000,
                        "end": np.arange(8) * 1000 + 200, "chrom": "chr7", "n_bins": 1})
    gf = groups.fit_group(["IKZF1"], pos, 1.0, params)
    assert not gf.positions["state"].any()
    same, alt, odds = ikzf1.retype(gf, PRIOR)
    assert same is gf and alt == "NA" and odds is None


def test_the_table_read_as_shares_and_settings():
    p = types.TypePrior.from_table(SHARES, reach=3, alt_ratio=5.0, use_prior=False)
    assert p.shares == dict(zip(SHARES["label"], SHARES["share"])) and (p.reach, p.alt_ratio, p.use_prior) == (3, 5.0, False)
    assert types.TypePrior.from_table(SHARES.astype({"share": str})).shares == p.shares   # shares read as text
    msg = "deletion-type shares need an 'other' row and every share > 0"
    with pytest.raises(ValueError) as e:
        types.TypePrior.from_table(SHARES[SHARES["label"] != "other"])
    assert str(e.value) == msg + " (no 'other' row)"
    with pytest.raises(ValueError) as e:
        types.TypePrior.from_table(SHARES.assign(share=np.where(SHARES["label"].isin(["del2-3", "del2-8"]), 0.0,
                                                                SHARES["share"])))
    assert str(e.value) == msg + " (not so: del2-3, del2-8)"
    # every run named: 'other' is not divided by zero runs (one exon, its one run named)
    one = types.TypePrior({"del1": 0.9, "other": 0.1}, n_exons=1)
    assert math.isclose(one.log_share("del2"), math.log(0.1))


class _Fit:
    def __init__(self, exons, cost, cf=0.5):
        self.states = [1 if e in exons else 0 for e in range(1, 9)]
        self.cost, self.cell_fraction = cost, cf


class _Refit:
    """A refit whose fits are set by hand (by each mask's held run), as caller.groups gives
    them: `many` for the candidates in one pass, the call for the free fit (mask None)."""

    def __init__(self, by_run, free):
        self.by_run, self.free, self.calls = by_run, free, []

    def _one(self, mask):
        lost = [e for e in range(1, 9) if not mask[e - 1, 0]]
        return self.by_run.get((lost[0], lost[-1]), _Fit([], float("inf"), None))

    def many(self, masks):
        self.calls.append("many")
        return [self._one(m) for m in masks]

    def __call__(self, mask):
        assert mask is None, "the candidates go through many()"
        return self.free


def test_choose_scores_each_label_by_its_best_fit_less_its_log_share():
    """Costs by hand, the shares as the table's. The free call del4-7 costs 10; the held
    del4-8 costs 9.5 (score 9.5 - ln 0.066 = 12.22 against 10 - ln 0.37 = 10.99); del3-7
    (an 'other': 0.083 / 30) costs 9.0 once and 8.0 once: its best, 8.0 + 5.89 = 13.89;
    a held fit without an event (no cell fraction) and an infeasible one are not types."""
    exon_of = np.arange(1, 9)
    free = _Fit([4, 5, 6, 7], 10.0)
    runs = {(4, 8): _Fit([4, 5, 6, 7, 8], 9.5), (3, 7): _Fit([3, 4, 5, 6, 7], 9.0),
            (2, 7): _Fit([3, 4, 5, 6, 7], 8.0), (2, 6): _Fit([], 1.0, None), (4, 6): _Fit([4, 5, 6], 1.0)}
    runs[(4, 6)].cost = float("inf")
    r = _Refit(runs, free)
    t = types.choose(exon_of, [4, 5, 6, 7], r, PRIOR)
    assert r.calls == ["many"] and t.fit is free and t.label == "del4-7"
    assert t.alt == "del4-8" and math.isclose(t.odds, math.exp((9.5 - math.log(0.066)) - (10.0 - math.log(0.37))))
    # the first candidate fit without an event must not end the search: del4-8 still competes
    first = types.candidates([4, 5, 6, 7], 8, 2)[0]
    t2 = types.choose(exon_of, [4, 5, 6, 7], _Refit({first: _Fit([], 0.5, None), **runs}, free), PRIOR)
    assert (t2.label, t2.alt) == ("del4-7", "del4-8")
    # a held fit of the free call's label that fits better replaces it
    better = _Fit([4, 5, 6, 7], 9.0)
    t3 = types.choose(exon_of, [4, 5, 6, 7], _Refit({**runs, (4, 7): better}, free), PRIOR)
    assert t3.fit is better and t3.label == "del4-7"
    # the runner-up beyond the odds: none; just two labels within them: the second is named
    far = types.choose(exon_of, [4, 5, 6, 7], _Refit({(4, 8): _Fit([4, 5, 6, 7, 8], 30.0)}, free), PRIOR)
    assert (far.fit, far.label, far.alt, far.odds) == (free, "del4-7", None, None)
    two = types.choose(exon_of, [4, 5, 6, 7], _Refit({(4, 8): _Fit([4, 5, 6, 7, 8], 9.9)}, free), PRIOR)
    assert (two.fit, two.label, two.alt) == (free, "del4-7", "del4-8")
    alone = types.choose(exon_of, [4, 5, 6, 7], _Refit({}, free), PRIOR)
    assert (alone.fit, alone.label, alone.alt, alone.odds) == (free, "del4-7", None, None)
    # the free call's own share counts: without the prior del4-8's lower cost wins
    flat = types.choose(exon_of, [4, 5, 6, 7], _Refit(runs, free), FLAT)
    assert flat.label == "del3-7" and flat.fit is runs[(2, 7)]
