"""The penalty calibration: its shortcut agrees with the model, and its table holds its rate."""
import numpy as np
import pytest

from ikzf1cnv.core import annotation
from ikzf1cnv.caller.calibrate import critical_penalties
from ikzf1cnv.caller.model import ModelParams, fit


def test_critical_penalty_is_where_the_viterbi_stops_calling():
    """Just below each draw's critical penalty the model calls an event, just above it does not."""
    x = np.random.default_rng(5).normal(0, 0.1, (30, 12))
    x[:10, 3:7] -= 0.15  # some draws with a real run in them
    crit = critical_penalties(x, 0.1)
    for xi, c in zip(x, crit):
        if c > 0.05:
            assert any(fit(xi, [0.1] * 12, params=ModelParams(switch_penalty=c - 0.02)).states)
        assert not any(fit(xi, [0.1] * 12, params=ModelParams(switch_penalty=c + 0.02)).states)


def test_table_penalty_holds_its_rate_for_a_tiled_window(root):
    """A window of 60 positions (an intron-tiled IKZF1): at the table's penalty for 1% per
    window, null draws with unequal SEs (exon, intronic and off-target bins) are called
    about 1% of the time (2,000 draws: 20 expected; the calibration used equal SEs and
    another seed)."""
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    pen = float(calib[(calib["n_units"] == 60) & (calib["fp_rate"] == 0.01)]["switch_penalty"].iloc[0])
    rng = np.random.default_rng(42)
    se = np.concatenate([np.full(8, 0.12), np.full(40, 0.1), np.full(12, 0.3)])
    draws = rng.normal(0, se, (2000, 60))
    crit = critical_penalties(draws, se)
    rate = float(np.mean(crit > pen))
    assert 0.004 <= rate <= 0.02
    # and the model agrees on a subset
    sub = draws[:200]
    called = [any(fit(x, se, params=ModelParams(switch_penalty=pen)).states) for x in sub]
    assert called == list(critical_penalties(sub, se) > pen)


def test_penalty_grows_slowly_with_window_size(root):
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    p = calib[calib["fp_rate"] == 0.001].set_index("n_units")["switch_penalty"]
    assert p.is_monotonic_increasing
    # 125 times more positions cost less than twice the penalty (a scan statistic grows ~ log n)
    assert p[1000] < 2 * p[8]


def test_calibration_table_reproduces_the_published_rows(root):
    """scripts/calibrate_penalty.py's settings (20,000 draws, seed 1) give the table's rows back
    (to its two decimals) for the smallest windows."""
    from ikzf1cnv.caller.calibrate import calibration_table
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    want = {(int(n), float(r)): float(p) for n, r, p in zip(calib["n_units"], calib["fp_rate"], calib["switch_penalty"])}
    got = calibration_table([2, 4, 8], [0.01, 0.001], 20000, 1)
    assert [(n, r) for n, r, _ in got] == [(2, 0.01), (2, 0.001), (4, 0.01), (4, 0.001), (8, 0.01), (8, 0.001)]
    assert [round(p, 2) for _, _, p in got] == [want[(n, r)] for n, r, _ in got]


def _raw_quantile(n, rate, draws, seed, se=0.1):
    """The (1 - rate) quantile of the critical penalties of `draws` null windows of n positions
    drawn from seed + n: the definition, in one draw (no chunks)."""
    x = np.random.default_rng(seed + n).normal(0, se, (draws, n))
    return float(np.quantile(critical_penalties(x, se), 1 - rate))


def test_calibration_table_never_lets_the_penalty_fall_with_window_size():
    """300 draws (seed 5): Monte Carlo noise makes the raw 1% quantile dip from 5 positions
    (2.90) to 6 (2.48) and 7 (2.22); a longer window cannot have fewer false positives, so
    each takes the largest penalty of the windows up to its size. The draws are made 500 at
    a time: 1,200 draws give the quantile of one draw of 1,200."""
    from ikzf1cnv.caller.calibrate import calibration_table
    raw = {n: _raw_quantile(n, 0.01, 300, 5) for n in (5, 6, 7)}
    assert raw[5] > raw[6] > raw[7]
    got = calibration_table([5, 6, 7], [0.01, 0.1], 300, 5)
    assert [(n, r) for n, r, _ in got] == [(5, 0.01), (5, 0.1), (6, 0.01), (6, 0.1), (7, 0.01), (7, 0.1)]
    assert [p for n, r, p in got if r == 0.01] == pytest.approx([raw[5]] * 3, rel=1e-12)
    tenth = [_raw_quantile(n, 0.1, 300, 5) for n in (5, 6, 7)]
    assert [p for n, r, p in got if r == 0.1] == pytest.approx(np.maximum.accumulate(tenth), rel=1e-12)
    assert calibration_table([3], [0.05], 1200, 2)[0][2] == pytest.approx(_raw_quantile(3, 0.05, 1200, 2), rel=1e-12)


def test_calibration_table_with_its_own_model_and_three_rates():
    """Model parameters other than the defaults are the ones calibrated (Huber k 1, no biallelic
    penalty); with three rates each is made non-decreasing on its own; a penalty below 1 stays
    below 1 (50% of null windows of two positions beat a penalty of about 0.3)."""
    from ikzf1cnv.caller.calibrate import calibration_table
    p = ModelParams(huber_k=1.0, biallelic_penalty=0.0)
    got = calibration_table([2, 3], [0.5, 0.1, 0.01], 200, 3, params=p)
    raw = {}
    for n in (2, 3):
        crit = critical_penalties(np.random.default_rng(3 + n).normal(0, 0.1, (200, n)), 0.1, p)
        for r in (0.5, 0.1, 0.01):
            raw[(n, r)] = float(np.quantile(crit, 1 - r))
    want = [(n, r, max(raw[(m, r)] for m in (2, 3) if m <= n)) for n in (2, 3) for r in (0.5, 0.1, 0.01)]
    assert [(n, r) for n, r, _ in got] == [(n, r) for n, r, _ in want]
    assert [x for _, _, x in got] == pytest.approx([x for _, _, x in want], rel=1e-12)
    assert got[0][2] < 1.0
    default = critical_penalties(np.random.default_rng(5).normal(0, 0.1, (50, 2)), 0.1)
    assert not np.allclose(critical_penalties(np.random.default_rng(5).normal(0, 0.1, (50, 2)), 0.1, p), default)
