"""Sex from the data (caller.sex): the two levels, by hand, and the rules that combine them."""
import numpy as np
import pandas as pd

from ikzf1cnv.caller import sex

RULES = sex.SexRules(x_female=0.8, x_male=0.65, y_male=0.1)
PAR = pd.DataFrame({"chrom": ["chrX"], "start": [10000], "end": [2781479]})


def bins(x_log2: float, par_log2: float = 0.0, n: int = 20) -> pd.DataFrame:
    """n autosomal bins at log2 0, n chrX bins outside the PAR at x_log2, n inside it."""
    rows = [("chr1", i * 1000, i * 1000 + 500, 0.0) for i in range(n)]
    rows += [("chrX", 5_000_000 + i * 1000, 5_000_000 + i * 1000 + 500, x_log2) for i in range(n)]
    rows += [("chrX", 100_000 + i * 1000, 100_000 + i * 1000 + 500, par_log2) for i in range(n)]
    return pd.DataFrame(rows, columns=["chromosome", "start", "end", "log2"])


def test_x_level_is_chrx_outside_the_pars_against_the_autosomes():
    assert abs(sex.x_level(bins(-1.0), PAR) - 0.5) < 1e-12            # one X of two
    assert abs(sex.x_level(bins(0.0, par_log2=-1.0), PAR) - 1.0) < 1e-12  # PAR bins do not count
    b = bins(-1.0)
    b.loc[b["chromosome"] == "chr1", "log2"] = 0.3                      # measured against the autosomes
    assert abs(sex.x_level(b, PAR) - 2 ** -1.3) < 1e-12
    assert sex.x_level(bins(0.0, n=2), PAR) is None                    # too few chrX bins
    assert abs(sex.x_level(bins(-1.0, n=3), PAR) - 0.5) < 1e-12       # three are enough
    # bins exactly as long as the PAR (its first base to its last) are inside it: 25 of them at
    # log2 5 would otherwise outvote the 20 bins at -1
    edge = pd.concat([bins(-1.0), pd.DataFrame([("chrX", 10000, 2781479, 5.0)] * 25,
                                               columns=["chromosome", "start", "end", "log2"])])
    assert abs(sex.x_level(edge, PAR) - 0.5) < 1e-12


def test_y_level_is_reads_per_copy_against_the_autosomes():
    # 1,000 reads of 100 bp over a 1 Mb chrY = 0.1x; autosomes at 0.2x for two copies: 1.0 per copy
    assert abs(sex.y_level(1000, 100, 1_000_000, 0.2) - 1.0) < 1e-12
    assert sex.y_level(None, 100, 1_000_000, 0.2) is None and sex.y_level(5, 100, 1_000_000, 0.0) is None


def test_y_decides_male_whatever_x_says_else_x_decides():
    assert sex.infer(1.0, 0.5, RULES) == "male"        # a male tumour with +X
    assert sex.infer(1.0, 0.0, RULES) == "female"
    assert sex.infer(0.5, 0.0, RULES) == "male"        # no Y reads (a panel without off-target): X decides
    assert sex.infer(0.5, None, RULES) == "male"
    assert sex.infer(0.72, None, RULES) == "NA"        # an X gained or lost in part of the cells
    assert sex.infer(0.8, 0.099, RULES) == "female" and sex.infer(0.65, None, RULES) == "male"
    assert sex.infer(None, None, RULES) == "NA" and sex.infer(None, 0.3, RULES) == "male"
    assert sex.infer(0.72, 0.1, RULES) == "male"         # Y reads at y_male exactly: male


def test_check_and_evidence():
    assert sex.check("female", "female") == "ok" and sex.check("male", "female") == "mismatch"
    assert sex.check(None, "female") == "NA" and sex.check("male", "NA") == "NA"
    assert sex.evidence(0.512, None) == "X 0.51, Y NA" and sex.evidence(None, 0.456) == "X NA, Y 0.46"
    assert np.isclose(float(sex.evidence(0.5, 0.25).split("Y ")[1]), 0.25)


def test_rules_from_the_config_block():
    assert sex.SexRules.from_config({"x_female": 0.8, "x_male": 0.65, "y_male": 0.1}) == RULES
