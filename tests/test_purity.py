import math

import pytest

from ikzf1cnv.caller.purity import cell_fraction, expected_log2, tumour_copy_number
from ikzf1cnv.core.tables import fmt


@pytest.mark.parametrize("f,k,want", [
    (0.6, 1, math.log2(1 - 0.3)),     # facts file: one copy in 60% blasts = -0.515
    (0.6, 2, math.log2(1 - 0.6)),     # both copies: -1.32
    (0.2, 1, math.log2(0.9)),         # MLPA's floor: -0.152
    (1.0, 1, -1.0),
    (0.0, 1, 0.0),
    (0.5, -1, math.log2(1.25)),       # a one-copy gain in half the cells
])
def test_expected_log2_is_log2_of_one_minus_fck_over_2(f, k, want):
    assert expected_log2(f, k) == pytest.approx(want, abs=1e-12)


def test_published_values():
    assert expected_log2(0.6, 1) == pytest.approx(-0.515, abs=5e-4)
    assert expected_log2(0.6, 2) == pytest.approx(-1.32, abs=5e-3)
    # CNVkit's -0.25 loss threshold needs about 32% of cells with a one-copy loss
    assert cell_fraction(-0.25, 1) == pytest.approx(0.318, abs=1e-3)


def test_total_loss_is_clamped_not_infinite():
    assert expected_log2(1.0, 2, floor=-4.0) == -4.0
    assert math.isinf(expected_log2(1.0, 2))


def test_cell_fraction_inverts_expected_log2():
    for f in (0.1, 0.35, 0.8):
        for k in (1, 2):
            assert cell_fraction(expected_log2(f, k), k) == pytest.approx(f)


def test_tumour_copy_number():
    # one copy lost in every blast at 60% blasts: the mixture is at -0.515, the blasts at 1 copy
    assert tumour_copy_number(expected_log2(0.6, 1), 0.6) == pytest.approx(1.0)
    assert tumour_copy_number(expected_log2(0.6, 2), 0.6) == pytest.approx(0.0)
    assert tumour_copy_number(0.0, 0.3) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        tumour_copy_number(-0.5, 0)


def test_fmt_is_fixed_and_has_no_negative_zero():
    assert fmt(-0.0001, 3) == "0.000"
    assert fmt(0.12345, 2) == "0.12"
    assert fmt(None) == "NA" and fmt(float("nan")) == "NA"


def test_scalars_in_floats_out_without_warnings():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # log2(0) of a total loss: no divide-by-zero warning
        assert expected_log2(1.0, 2) == -math.inf
        assert type(expected_log2(0.5, 1)) is float and type(expected_log2(1, 2, floor=-4.0)) is float
    assert expected_log2([0.5, 1.0], 2, floor=-4.0).tolist() == [-1.0, -4.0]
    assert cell_fraction(math.log2(0.75)) == pytest.approx(0.5)      # one copy unless told otherwise


def test_tumour_copy_number_needs_a_positive_purity():
    for bad in (0, 0.0, -0.5, None):
        with pytest.raises(ValueError, match=r"^purity must be > 0$"):
            tumour_copy_number(-0.5, bad)
