"""A sample's bins made ready for the caller (caller.prepare): the correlation of touching
bins (a genome's window tiles) and what it does to their variances."""
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


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.6, 0.85])
def test_the_correlation_of_touching_bins_is_measured(rho):
    z = ar1(4000, rho, seed=int(rho * 100))
    assert abs(prepare.neighbour_correlation(tiles(z), np.ones(len(z))) - rho) < 0.06


def test_bins_that_do_not_touch_and_a_deletion_do_not_make_a_correlation():
    z = ar1(4000, 0.6, seed=1)
    assert prepare.neighbour_correlation(tiles(z, gap=2000), np.ones(len(z))) == 0.0   # panel probes apart
    w = np.random.default_rng(2).normal(size=4000)
    w[1000:1060] -= 3.0                                     # a deletion's run of 60 bins
    assert prepare.neighbour_correlation(tiles(w), np.ones(len(w))) < 0.05


def test_in_genome_mode_correlated_bins_weigh_a_run_by_its_true_variance(params):
    """Whole-genome mode (bin_correlation): each touching bin's variance times (1 + rho) /
    (1 - rho), the variance of a long run's mean under AR(1); off in panel mode."""
    from dataclasses import replace
    z = ar1(3000, 0.5, seed=3) * 0.1
    b = tiles(z).assign(depth=300.0, spread=0.0, offtarget=False)
    plain = prepare.prepare_bins(b, params, 100.0)
    corr = prepare.prepare_bins(b, replace(params, bin_correlation=True), 100.0)
    rho = corr.metrics["bin_correlation"]
    assert abs(rho - 0.5) < 0.06 and plain.metrics["bin_correlation"] == 0.0
    assert np.allclose(corr.var, plain.var * (1 + rho) / (1 - rho))
