"""The limit of detection (caller/lod.py) by hand: canonical deletion intervals and the
LoD95 formula of its docstring on positions chosen so the arithmetic is short."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import lod

# gene G: exons 1-3 (1-based inclusive), introns between them; another gene's intron to ignore
UNITS = pd.DataFrame({"gene": ["G", "G", "G", "H"], "exon": ["1", "2", "3", "1"], "chrom": "chr1",
                      "start": [101, 301, 501, 5001], "end": [200, 400, 600, 5100]})
INTRONS = pd.DataFrame({"gene": ["G", "G", "H"], "intron": [1, 2, 1], "chrom": "chr1",
                        "start": [201, 401, 5101], "end": [300, 501, 6000]})


def test_type_interval_runs_from_intron_middle_to_intron_middle():
    # intron 1 is bases 201-300: 0-based [200, 300), middle (200 + 300) // 2 = 250; intron 2 [400, 501): 450
    assert lod.type_interval(UNITS, INTRONS, "G", 2, 2) == (250, 450)
    assert lod.type_interval(UNITS, INTRONS, "G", 1, 1) == (100, 250)    # from the gene's first base (0-based 100)
    assert lod.type_interval(UNITS, INTRONS, "G", 2, 3) == (250, 600)    # to its last
    assert lod.type_interval(UNITS, INTRONS, "G", 1, 3) == (100, 600)


def test_type_intervals_of_ikzf1_in_hg38(root):
    from ikzf1cnv.core import annotation
    u, i = annotation.load_units(root / "resources", "hg38"), annotation.load_introns(root / "resources", "hg38")
    # introns 3 (50,327,758-50,376,532) and 7 (50,391,864-50,399,917): middles 50,352,144 and 50,395,890
    assert lod.type_interval(u, i, "IKZF1", 4, 7) == (50_352_144, 50_395_890)
    assert lod.type_interval(u, i, "IKZF1", 1, 8) == (50_304_715, 50_405_101)


def _pos(mids, se, log2=0.0):
    mids = np.asarray(mids)
    return pd.DataFrame({"start": mids - 10, "end": mids + 10, "se": se,
                         "log2": log2 if np.ndim(log2) else np.full(len(mids), log2)})


def test_limit_is_the_fraction_called_with_95_percent_probability():
    """Four positions of SE 0.1 inside: W = 400, z of a loss m is |m| 20; called when z > 2 sqrt(P)
    = 4 at P = 4; 95% of the time when the expected z is 4 + 1.645: |m| = 0.2822, f = 2 (1 - 2^-0.2822)."""
    pos = _pos([100, 150, 200, 299, 300, 50, 99], 0.1)       # 300 is the interval's end, 50 and 99 before it
    pos.loc[5, "log2"] = np.nan
    f = lod.limit(pos.iloc[:5], (100, 300), 4.0)
    assert f == pytest.approx(2 * (1 - 2 ** -((4 + 1.6448536269514722) / 20)), rel=1e-12)
    assert f == pytest.approx(0.35537, abs=1e-5)
    assert lod.limit(pos, (100, 300), 4.0) == f                # outside the interval, or without data: not counted
    # unequal SEs add as inverse variances: SE 0.05 and 0.1 (W = 400 + 100)
    assert lod.limit(_pos([150, 160], [0.05, 0.1]), (100, 300), 1.0) == pytest.approx(
        2 * (1 - 2 ** -((2 + 1.6448536269514722) / math.sqrt(500))))
    # a position with SE 0 (no variance: no evidence) is left out, not infinite
    assert lod.limit(_pos([150, 160], [0.0, 0.1]), (100, 300), 1.0) == lod.limit(_pos([160], [0.1]), (100, 300), 1.0)


def test_limit_out_of_reach():
    assert lod.limit(_pos([150], 0.1), (200, 300), 4.0) is None             # nothing measured inside
    assert lod.limit(_pos([150], 1.0), (100, 300), 4.0) is None             # even a loss in every cell is not called
    # exactly at every cell: a z of 2 sqrt(P) + 1.645 needs a shift of 1 (log2 0.5): W such that it is 1
    w = (2 * 2 + 1.6448536269514722) ** 2
    assert lod.limit(_pos([150], 1 / math.sqrt(w)), (100, 300), 4.0) is None
    assert lod.limit(_pos([150], 0.999 / math.sqrt(w)), (100, 300), 4.0) == pytest.approx(1.0, abs=2e-3)


def test_label_of_the_limits():
    assert lod.label({"del4-7": 0.1449, "del2-3": None, "del1-8": 0.09}) == "del4-7:0.14;del2-3:NA;del1-8:0.09"
    assert lod.label({}) == ""
