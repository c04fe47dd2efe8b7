"""The penalty calibration: its shortcut agrees with the model, and its table holds its rate."""
import numpy as np

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
