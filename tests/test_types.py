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
