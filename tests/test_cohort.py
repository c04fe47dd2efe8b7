import math

import pandas as pd
import pytest

from ikzf1cnv.cohort import frequencies


def test_wilson_known_values():
    # Wilson 95% for 5/10: 0.2366-0.7634; 0/20: 0-0.1611; 14/100: 0.0852-0.2213 (textbook values)
    assert frequencies.wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert frequencies.wilson(0, 20) == pytest.approx((0.0, 0.1611), abs=1e-4)
    assert frequencies.wilson(14, 100) == pytest.approx((0.0852, 0.2213), abs=1e-4)
    assert all(math.isnan(x) for x in frequencies.wilson(0, 0))


def test_range_test():
    assert frequencies.range_test(15, 100, 0.14, 0.16) == 1.0           # inside the range
    # 40/100 against a 15% reference: far above (exact binomial, two-sided)
    assert frequencies.range_test(40, 100, 0.15, 0.15) < 1e-8
    # 2/10 against 15%: by hand, P(X=1) = 10 * 0.15 * 0.85^9 = 0.3474 is the only outcome more
    # likely than P(X=2) = 0.2759, so the two-sided p-value is 1 - 0.3474 = 0.6526
    assert frequencies.range_test(2, 10, 0.15, 0.15) == pytest.approx(0.6526, abs=1e-4)


@pytest.mark.parametrize("k,n,want", [
    (40, 100, "higher"), (1, 100, "lower"), (15, 100, "consistent"), (3, 5, "insufficient"),
])
def test_verdict(k, n, want):
    p = frequencies.range_test(k, n, 0.15, 0.15)
    assert frequencies.verdict(k, n, 0.15, p, 10, 0.05) == want


def test_frequencies_select_groups_and_skip_not_evaluable():
    calls = pd.DataFrame({
        "sample": list("abcdefg"),
        "subtype": ["Ph+", "Ph+", "Ph+", "B-other", "B-other", "T-ALL", "Ph+"],
        "age_group": ["adult", "pediatric", "adult", "pediatric", "pediatric", "pediatric", "adult"],
        "status": ["deleted", "wildtype", "deleted", "deleted", "wildtype", "wildtype", "not_evaluable"],
    })
    table = pd.DataFrame({
        "group": ["ph", "bcp_ped", "all"], "label": ["Ph+", "ped BCP", "all"],
        "subtypes": ["Ph+", "Ph+,B-other", "*"], "age_group": ["*", "pediatric", "*"],
        "reference_low": [0.66, 0.15, 0.0], "reference_high": [0.80, 0.15, 1.0], "source": ["x"] * 3})
    f = frequencies.frequencies(calls, table, min_n=3, alpha=0.05).set_index("group")
    assert (f.loc["ph", "n"], f.loc["ph", "n_altered"]) == (3, 2)        # g is not evaluable
    assert (f.loc["bcp_ped", "n"], f.loc["bcp_ped", "n_altered"]) == (3, 1)
    assert (f.loc["all", "n"], f.loc["all", "n_altered"]) == (6, 3)
    assert f.loc["ph", "observed"] == "0.667" and f.loc["ph", "verdict"] == "consistent"
    assert list(f.reset_index().columns) == frequencies.FREQ_COLS


def test_reference_table_is_the_seed_table(root):
    t = frequencies.read_reference_table(root / "resources" / "reference_frequencies.tsv").set_index("group")
    # the seed's figures (seeds/ikzf1-technical-guide.txt)
    assert tuple(t.loc["bcp_pediatric", ["reference_low", "reference_high"]]) == (0.15, 0.15)
    assert tuple(t.loc["bcp_adult", ["reference_low", "reference_high"]]) == (0.40, 0.50)
    assert tuple(t.loc["ph_pos", ["reference_low", "reference_high"]]) == (0.66, 0.80)
    assert t.loc["ph_like", "reference_high"] == 0.68
    assert tuple(t.loc["hyperdiploid", ["reference_low", "reference_high"]]) == (0.09, 0.15)
    assert t.loc["etv6_runx1", "reference_high"] == 0.03 and t.loc["t_all", "reference_high"] == 0.04
    assert t.loc["etp_all", "reference_high"] == 0.13
    assert tuple(t.loc["aml", ["reference_low", "reference_high"]]) == (0.028, 0.042)
    assert len(t) == 9
