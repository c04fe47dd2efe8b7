"""Chromosome arm levels and losses (caller/arms.py) by hand, on bins chosen so every step
(which bins belong to an arm, the trimmed mean, the per-kind noise, the inverse-variance
combination, the systematic spread, the Bonferroni threshold, the cell fractions) can be
followed with a calculator."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import arms as armlib

ARMS = pd.DataFrame({"chrom": ["chr1", "chr1", "chr2", "chr2"], "arm": ["1p", "1q", "2p", "2q"],
                     "start": [1, 1001, 1, 1001], "end": [1000, 3000, 1000, 3000]})
P_T = [-0.6, -0.3, -0.25, -0.2, -0.2, -0.2, -0.15, -0.1, -0.1, 0.4]     # 1p target bins
Q_T = [-0.2, -0.1, -0.05, 0.0, 0.0, 0.0, 0.0, 0.05, 0.1, 0.2]          # 1q target bins
P_O = [-0.5, -0.4, -0.3, -0.3, -0.3, -0.2, -0.2, -0.1, 0.0, 0.3, 0.1]   # 1p off-target bins


def _bins():
    rows = [("chr1", 0 if i == 0 else i * 95, 1000 if i == 9 else i * 95 + 40, v, False) for i, v in enumerate(P_T)]
    rows += [("chr1", 1000 + i * 100, 1000 + i * 100 + 50, v, False) for i, v in enumerate(Q_T)]
    rows += [("chr1", 5 + i * 90, 5 + i * 90 + 30, v, True) for i, v in enumerate(P_O)]
    rows += [("chr1", 1100 + i * 300, 1150 + i * 300, 9.0, True) for i in range(3)]   # 1q off-target: too few
    rows += [("chr1", 990, 1010, 5.0, False),                                       # across 1p/1q: neither
             ("chr1", 999, 1050, 7.0, False),                                       # from 1p's last base: neither
             ("chr1", 500, 520, float("nan"), False),                               # no ratio
             ("chr1", 600, 620, -3.0, False),                                       # skipped (a gene window)
             ("chr2", 10, 20, 0.0, False), ("chr2", 30, 40, 0.0, False)]            # 2p: two bins only
    return pd.DataFrame(rows, columns=["chromosome", "start", "end", "log2", "offtarget"])


def _mad_sd(x):
    x = np.asarray(x)
    return 1.4826 * np.median(np.abs(x - np.median(x)))


def test_arm_levels_by_hand():
    bins = _bins()
    skip = (bins["log2"] == -3.0).to_numpy()
    got = armlib.arm_levels(bins, ARMS, 5, skip)
    assert list(got.columns) == ["arm", "chrom", "n_bins", "level", "se_stat"] and got["arm"].tolist() == ["1p", "1q"]
    # the per-kind noise: residuals from each arm's median, over every arm (target: 1p and 1q; off-target: 1p alone)
    sd_t = _mad_sd(np.r_[np.array(P_T) - np.median(P_T), np.array(Q_T) - np.median(Q_T)])
    sd_o = _mad_sd(np.array(P_O) - np.median(P_O))
    # 1p: the 10% trimmed means (one bin off each end of 10 and 11), SEs 1.06 sd / sqrt(n), by inverse variance
    mt, st = np.mean(sorted(P_T)[1:9]), 1.06 * sd_t / math.sqrt(10)
    mo, so = np.mean(sorted(P_O)[1:10]), 1.06 * sd_o / math.sqrt(11)
    w = np.array([1 / st ** 2, 1 / so ** 2])
    p = got.iloc[0]
    # 1p holds its 10 target bins, its 11 off-target bins and the bin without a ratio
    assert (p["chrom"], p["n_bins"]) == ("chr1", 22)
    assert p["level"] == pytest.approx((w[0] * mt + w[1] * mo) / w.sum(), rel=1e-12)
    assert p["se_stat"] == pytest.approx(math.sqrt(1 / w.sum()), rel=1e-12)
    q = got.iloc[1]                                   # 1q: its 3 off-target bins are fewer than min_bins
    assert (q["n_bins"], q["level"]) == (13, pytest.approx(np.mean(sorted(Q_T)[1:9]), abs=1e-15))
    assert q["se_stat"] == pytest.approx(1.06 * sd_t / math.sqrt(10), rel=1e-12)
    # without the skip, the skipped bin is one of 1p's (and moves its level)
    assert armlib.arm_levels(bins, ARMS, 5).iloc[0]["n_bins"] == 23
    # fewer than 10 bins of a kind in all: that kind's noise is unknown and it is not used
    few = bins[~bins["offtarget"] | (bins["log2"] > -0.3)]
    assert armlib.arm_levels(few, ARMS, 5, skip[few.index])["se_stat"].iloc[0] == pytest.approx(st, rel=1e-12)
    # min_bins is inclusive: 2p's two bins make an arm at min_bins 2
    assert armlib.arm_levels(bins, ARMS, 2, skip)["arm"].tolist() == ["1p", "1q", "2p"]


def test_trimmed_mean_drops_a_tenth_from_each_end():
    assert armlib._trimmed_mean(np.array([9.0, 1, 2, 3, 4, 5, 6, 7, 8, -100])) == pytest.approx(4.5)
    assert armlib._trimmed_mean(np.array([1.0, 2, 3, np.nan])) == pytest.approx(2.0)     # under 10: none dropped
    assert armlib._trimmed_mean(np.arange(20.0)) == pytest.approx(np.mean(np.arange(2, 18)))


def _levels(rows):
    return pd.DataFrame(rows, columns=["arm", "chrom", "n_bins", "level", "se_stat"])


BASE = [(f"{c}{a}", f"chr{c}", 100, lv, 0.01) for (c, a), lv in
        zip([(1, "p"), (1, "q"), (2, "p"), (2, "q"), (3, "p"), (3, "q")], [0.01, -0.02, 0.03, 0.0, -0.01, 0.02])]


def test_call_arms_by_hand():
    """Six baseline arms (levels 0.01, -0.02, 0.03, 0, -0.01, 0.02: MAD SD 1.4826 x 0.015), a
    gained arm (0.5, beyond the band), 7p at -0.1 and 7q at -0.02 tested: Bonferroni over the
    two, z below -isf(0.0005) = -3.2905 is a loss."""
    lv = _levels(BASE + [("4p", "chr4", 100, 0.5, 0.01), ("7p", "chr7", 80, -0.1, 0.01),
                         ("7q", "chr7", 90, -0.02, 0.02)])
    auto = tuple(f"chr{i}" for i in range(1, 23))
    got = armlib.call_arms(lv, ["7p", "7q"], 0.001, 0.005, auto, 0.25)
    assert list(got.columns) == armlib.ARM_COLS and got.index.tolist() == [0, 1]
    # the baseline: 0.01 -0.02 0.03 0 -0.01 0.02 and the two tested arms (within the band), the gain left out
    base = [0.01, -0.02, 0.03, 0.0, -0.01, 0.02, -0.1, -0.02]
    sys_sd = math.sqrt(_mad_sd(base) ** 2 - 0.01 ** 2)
    se = [math.sqrt(0.01 ** 2 + sys_sd ** 2), math.sqrt(0.02 ** 2 + sys_sd ** 2)]
    assert got["arm"].tolist() == ["7p", "7q"] and got["chrom"].tolist() == ["chr7", "chr7"]
    assert got["n_bins"].tolist() == [80, 90]
    assert got["se"].tolist() == pytest.approx(se, rel=1e-12)
    assert got["z"].tolist() == pytest.approx([-0.1 / se[0], -0.02 / se[1]], rel=1e-12)
    assert -0.1 / se[0] < -3.2905 < -0.02 / se[1] and got["called"].tolist() == [True, False]
    cf = lambda x: min(max(2 * (1 - 2 ** x), 0.0), 1.0)   # noqa: E731
    assert got["cell_fraction"].tolist() == pytest.approx([cf(-0.1), cf(-0.02)])
    assert got["cf_low"].tolist() == pytest.approx([cf(-0.1 + 1.96 * se[0]), cf(-0.02 + 1.96 * se[1])])
    assert got["cf_high"].tolist() == pytest.approx([cf(-0.1 - 1.96 * se[0]), cf(-0.02 - 1.96 * se[1])])
    assert got["cf_low"].iloc[1] == 0.0          # clipped at 0 (the upper level is above 0)


def test_call_arms_spread_floor_and_band_edges():
    auto = tuple(f"chr{i}" for i in range(1, 23))
    # fewer than five arms at the baseline (the band is strict: 0.25 itself is not inside): the floor
    lv = _levels(BASE[:3] + [("4p", "chr4", 100, 0.25, 0.01), ("5p", "chr5", 100, -0.25, 0.01),
                             ("7p", "chr7", 80, -0.1, 0.01)])
    got = armlib.call_arms(lv, ["7p"], 0.001, 0.05, auto, 0.25)
    assert got["se"].iloc[0] == pytest.approx(math.sqrt(0.01 ** 2 + 0.05 ** 2))
    # five exactly: their spread; a spread the SEs explain: the floor
    lv5 = _levels(BASE[:4] + [("7p", "chr7", 80, -0.1, 0.01)])
    sd5 = _mad_sd([0.01, -0.02, 0.03, 0.0, -0.1])
    assert armlib.call_arms(lv5, ["7p"], 0.001, 0.001, auto, 0.25)["se"].iloc[0] == pytest.approx(
        math.sqrt(0.01 ** 2 + sd5 ** 2 - 0.01 ** 2))
    assert armlib.call_arms(lv5, ["7p"], 0.001, 0.5, auto, 0.25)["se"].iloc[0] == pytest.approx(
        math.sqrt(0.01 ** 2 + 0.5 ** 2))
    # arms not on an autosome are not the baseline; a lone tested arm takes the whole rate: isf(0.001) = 3.0902
    lvx = _levels(BASE[:4] + [("Xp", "chrX", 100, 0.4, 0.01), ("7p", "chr7", 80, -0.1, 0.01)])
    assert armlib.call_arms(lvx, ["7p"], 0.001, 0.001, auto[:21], 0.25)["se"].iloc[0] == pytest.approx(
        math.sqrt(0.01 ** 2 + sd5 ** 2 - 0.01 ** 2))
    # Bonferroni: 7p at -0.16 with SE sqrt(0.01^2 + 0.05^2) (the floor) is z = -3.138: a loss when
    # it is the only arm tested (isf(0.001) = 3.0902), not when 7q is tested too (isf(0.0005) = 3.2905)
    lv7 = _levels(BASE + [("7p", "chr7", 80, -0.16, 0.01), ("7q", "chr7", 80, 0.0, 0.01)])
    alone = armlib.call_arms(lv7, ["7p"], 0.001, 0.05, auto, 0.25)
    assert alone["z"].iloc[0] == pytest.approx(-0.16 / math.sqrt(0.01 ** 2 + 0.05 ** 2)) and alone["called"].iloc[0]
    assert not armlib.call_arms(lv7, ["7p", "7q"], 0.001, 0.05, auto, 0.25)["called"].iloc[0]
    assert armlib.call_arms(_levels(BASE), [], 0.001, 0.01, auto, 0.25).empty


def test_arm_of_and_the_losses_label():
    assert armlib.arm_of(ARMS, "chr1", 1) == "1p" and armlib.arm_of(ARMS, "chr1", 1000) == "1p"
    assert armlib.arm_of(ARMS, "chr1", 1001) == "1q" and armlib.arm_of(ARMS, "chr1", 3001) is None
    assert armlib.arm_of(ARMS, "chr9", 5) is None
    called = pd.DataFrame({"arm": ["7p", "7q", "9p"], "called": [True, False, True], "cell_fraction": [0.164, 0.5, 0.155]})
    assert armlib.losses_label(called) == "7p:0.16,9p:0.15"
    assert armlib.losses_label(called.assign(called=False)) == "none"


def test_kind_sd_needs_ten_bins_in_arms():
    l2 = np.array([0.0, 0.1, -0.1, 0.2, -0.2, 0.05, -0.05, 0.3, -0.3, 0.15, 9.0])
    idx = np.array([0] * 5 + [1] * 5 + [-1])                   # ten bins in two arms, one in none
    r = np.r_[l2[:5] - np.median(l2[:5]), l2[5:10] - np.median(l2[5:10])]
    assert armlib._kind_sd(l2, idx, 2) == pytest.approx(_mad_sd(r), rel=1e-12)
    assert math.isnan(armlib._kind_sd(l2[1:], idx[1:], 2))        # nine
    assert math.isnan(armlib._kind_sd(np.where(np.arange(11) == 3, np.nan, l2), idx, 2))


def test_arm_levels_of_no_arm_has_the_columns():
    got = armlib.arm_levels(_bins(), ARMS, 1000)
    assert list(got.columns) == ["arm", "chrom", "n_bins", "level", "se_stat"] and got.empty


def test_an_arm_lost_in_every_cell_and_more_is_a_fraction_of_1():
    """Below log2 -1 (a one-copy loss in every cell) the arithmetic gives fractions above 1:
    clipped to 1 (a deeper level is a second copy, not more cells)."""
    auto = tuple(f"chr{i}" for i in range(1, 23))
    t = armlib.call_arms(_levels(BASE + [("7p", "chr7", 80, -1.5, 0.01)]), ["7p"], 0.001, 0.01, auto, 0.25)
    assert t["cell_fraction"].iloc[0] == 1.0 and t["cf_high"].iloc[0] == 1.0 and t["cf_low"].iloc[0] == 1.0


def test_an_arm_with_bins_of_one_kind_takes_no_other_kinds_bins():
    """min_bins 1: 2p has two target bins (log2 0) and no off-target bin, so its level is
    theirs alone (0), with the target noise's SE for two bins, however many off-target bins
    other arms hold."""
    bins = _bins()
    got = armlib.arm_levels(bins, ARMS, 1).set_index("arm")
    assert got.loc["2p", "level"] == 0.0 and got.loc["2p", "n_bins"] == 2
    p_t = P_T + [-3.0]                     # no skip: the gene window's bin is 1p's too
    sd_t = _mad_sd(np.r_[np.array(p_t) - np.median(p_t), np.array(Q_T) - np.median(Q_T), [0.0, 0.0]])
    assert got.loc["2p", "se_stat"] == pytest.approx(1.06 * sd_t / math.sqrt(2), rel=1e-12)


def test_a_chromosome_or_arm_with_a_single_bin():
    """One bin on chr1 (in 1p), one target and one off-target bin on chr2 (2p): each bin
    finds its arm; a bin on a chromosome without arms finds none (-1)."""
    bins = pd.DataFrame({"chromosome": ["chr1", "chr2", "chr2", "chr9"], "start": [10, 10, 30, 10],
                         "end": [20, 20, 40, 20], "log2": [0.1, 0.2, 0.3, 0.0], "offtarget": [False, False, True, False]})
    assert armlib._arm_index(bins, ARMS).tolist() == [0, 2, 2, -1]
    assert armlib.arm_levels(bins, ARMS, 1).empty       # fewer than ten bins of a kind: no noise, no level
