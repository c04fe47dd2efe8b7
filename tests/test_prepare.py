"""A sample's bins made ready for the caller (caller.prepare): how much more runs of
touching bins (a genome's window tiles) vary than their bins say, and what it does to
their variances."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import prepare


def tiles(z: np.ndarray, gap: int = 0) -> pd.DataFrame:
    """1 kb bins on chr1 holding log2 z (variance 1), `gap` bp apart (0: touching)."""
    start = np.arange(len(z)) * (1000 + gap)
    return pd.DataFrame({"chromosome": "chr1", "start": start, "end": start + 1000, "log2": z})


def ar1(n: int, rho: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    z = np.empty(n)
    z[0] = rng.normal()
    e = rng.normal(0, np.sqrt(1 - rho ** 2), n)
    for i in range(1, n):
        z[i] = rho * z[i - 1] + e[i]
    return z


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6])
def test_runs_of_ar1_bins_vary_as_their_correlation_says(rho):
    """AR(1) residuals: the variance of a mean of k bins times k tends to (1 + rho) /
    (1 - rho) of a single bin's (at k = 32 within a few per cent); independent bins: 1."""
    z = ar1(20000, rho, seed=int(rho * 100))
    k = 32
    want = (1 + rho) / (1 - rho) - 2 * rho * (1 - rho ** k) / (k * (1 - rho) ** 2)   # the exact AR(1) value at k
    assert abs(prepare.run_inflation(tiles(z), np.ones(len(z))) - want) < 0.15 * want + 0.08


def test_a_shared_wave_makes_runs_worth_less_than_their_bins_say():
    """A slow wave (correlation 0.95 between neighbours, SD 1) under independent noise (SD 1):
    a run of 32 bins averages the noise away but not the wave: its mean varies ~9x more than
    32 independent bins'."""
    w = ar1(20000, 0.95, seed=5) + np.random.default_rng(6).normal(size=20000)
    got = prepare.run_inflation(tiles(w / np.sqrt(2)), np.ones(20000))
    assert 6.0 < got < 12.0


def test_bins_that_do_not_touch_and_a_deletion_do_not_make_an_inflation():
    z = ar1(4000, 0.6, seed=1)
    assert prepare.run_inflation(tiles(z, gap=2000), np.ones(len(z))) == 1.0   # panel probes apart
    w = np.random.default_rng(2).normal(size=4000)
    w[1000:1060] -= 3.0                                     # a deletion's run of 60 bins
    assert prepare.run_inflation(tiles(w), np.ones(len(w))) < 1.3


def test_in_genome_mode_correlated_bins_weigh_a_run_by_its_true_variance(params):
    """Whole-genome mode (bin_correlation): each touching bin's variance times the run
    inflation; panel mode leaves them."""
    from dataclasses import replace
    z = ar1(3000, 0.5, seed=3) * 0.1
    b = tiles(z).assign(depth=300.0, spread=0.0, offtarget=False)
    plain = prepare.prepare_bins(b, params, 100.0)
    corr = prepare.prepare_bins(b, replace(params, bin_correlation=True), 100.0)
    f = corr.metrics["run_inflation"]
    assert 2.0 < f < 4.0 and plain.metrics["run_inflation"] == 1.0
    assert np.allclose(corr.var, plain.var * f)
