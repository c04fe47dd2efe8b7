"""The gene window: intronic, flanking and off-target bins, arm losses and limits of
detection, on synthetic bins with known truth (no CNVkit needed)."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import lod, params as cparams, sample
from ikzf1cnv.core import annotation, constants
from ikzf1cnv.caller.purity import expected_log2


@pytest.fixture(scope="module")
def ann(root, rules):
    u = annotation.load_units(root / "resources", "hg38")
    u = u[u["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]
    return cparams.Annotation(u, annotation.load_arms(root / "resources", "hg38"),
                              annotation.load_introns(root / "resources", "hg38"), rules)


def interval(ann, first, last):
    """The canonical deletion of IKZF1 exons first..last (middle of the flanking introns)."""
    return lod.type_interval(ann.units, ann.introns, "IKZF1", first, last)


def make_bins(ann, seed, sd=0.12, events=(), tiles=True, flank_step=50_000, backbone_step=2_000_000,
              offtarget=False, depth=300.0, offtarget_depth=0.01):
    """Target bins over every exon unit, 120 bp tiles every 3 kb in the IKZF1 introns (tiles),
    flanking target bins every `flank_step` in IKZF1's window (None: none), a backbone every
    `backbone_step` on every autosome, and a 150 kb off-target bin every Mb of every autosome (offtarget; 0.01x: ~15 reads, too few to use; 0.05x: ~75).
    events: (chrom, start0, end, log2 shift). Each bin's log2 ~ N(shift, sd)."""
    rng = np.random.default_rng(seed)
    rows = [(u.chrom, int(u.start) - 1, int(u.end), False) for u in ann.units.itertuples(index=False)]
    if tiles:
        for it in ann.introns.itertuples(index=False):
            for s in range(int(it.start) + 300, int(it.end) - 420, 3000):
                rows.append((it.chrom, s, s + 120, False))
    c, ws, we = annotation.window_of(ann.units, ["IKZF1"], ann.rules["windows"])
    gs, ge = int(ann.units.loc[ann.units["gene"] == "IKZF1", "start"].min()), 50_405_101
    for s in range(ws + 1000, we - 1000, flank_step) if flank_step else ():
        if not gs - 2000 < s < ge + 2000:
            rows.append((c, s, s + 120, False))
    for ch in constants.AUTOSOMES:
        for s in range(1_500_000, 130_000_000, backbone_step):
            rows.append((ch, s, s + 300, False))
    if offtarget:
        for ch in constants.AUTOSOMES:
            for s in range(0, 130_000_000, 1_000_000):
                rows.append((ch, s + 1000, s + 150_000, True))
    df = pd.DataFrame(rows, columns=["chromosome", "start", "end", "offtarget"]).drop_duplicates(["chromosome", "start"])
    df["log2"] = 0.0
    for ch, s, e, v in events:
        hit = (df["chromosome"] == ch) & (df["end"] > s) & (df["start"] < e)
        df.loc[hit, "log2"] += v
    df["log2"] += rng.normal(0, sd, len(df))
    df["depth"] = np.where(df["offtarget"], offtarget_depth, depth)
    df["spread"] = 0.05
    df["gene"] = np.where(df["offtarget"], "Antitarget", "x")
    df["weight"] = 1.0
    return df.sort_values(["chromosome", "start"]).reset_index(drop=True)


@pytest.fixture(scope="module", autouse=True)
def _params(params):
    global PARAMS
    PARAMS = params


def call(ann, bins, blast=90, params=None):
    return sample.call_sample("S", bins, ann, params or PARAMS, blast, 100.0)


def test_positions_are_classified_and_in_genomic_order(ann):
    res = call(ann, make_bins(ann, 1, offtarget=True))
    pos = res.positions[res.positions["group"] == "IKZF1"]
    assert (np.diff(pos["start"].to_numpy()) >= 0).all()
    kinds = pos["kind"].value_counts()
    assert kinds["exon"] == 8
    # intron tiles: every 3 kb through ~100 kb of introns, all inside the gene's span
    assert 25 <= kinds["intronic"] <= 40
    intr = pos[pos["kind"] == "intronic"]
    assert intr["start"].min() > 50_304_922 and intr["end"].max() < 50_399_918
    # flanking bins lie outside the gene, inside the window (300 kb left, 700 kb right)
    fl = pos[pos["kind"] == "flank"]
    assert ((fl["end"] < 50_304_716) | (fl["start"] > 50_405_101)).all()
    assert fl["start"].min() >= 50_304_715 - 300_000 and fl["end"].max() <= 50_405_101 + 700_000
    # 150 kb off-target bins at 0.01x hold ~15 reads (< min_offtarget_reads 20): not positions
    assert "offtarget" not in kinds


def test_intronic_bins_call_a_deletion_the_exons_alone_miss(ann):
    """del4-7 in 30% of cells (-0.18 log2) with a per-bin SD of 0.12: four exons give a z of
    ~2.8, below the calibrated threshold; with the ~15 intron tiles inside the deletion it is ~5."""
    s, e = interval(ann, 4, 7)
    ev = [("chr7", s, e, expected_log2(0.3, 1))]
    with_tiles = [call(ann, make_bins(ann, seed, events=ev)).ikzf1["deletion"] for seed in range(10)]
    exon_only = [call(ann, make_bins(ann, seed, events=ev, tiles=False)).ikzf1["deletion"] for seed in range(10)]
    assert sum(x == "del4-7" for x in with_tiles) >= 9, with_tiles
    assert sum(x != "none" for x in exon_only) <= 2, exon_only
    res = call(ann, make_bins(ann, 0, events=ev))
    assert res.ikzf1["mechanism"] == "focal"
    assert res.ikzf1["evidence"].startswith("deleted run: exon=4,intronic=1")  # 14-16 tiles
    assert 0.2 <= res.ikzf1["cell_fraction"] <= 0.4


def test_a_deletion_running_out_of_the_window_is_interstitial(ann):
    s, _ = interval(ann, 1, 8)
    ev = [("chr7", s - 500_000, 50_405_101 + 900_000, expected_log2(0.6, 1))]
    res = call(ann, make_bins(ann, 3, events=ev))
    assert res.ikzf1["deletion"] == "del1-8" and res.ikzf1["mechanism"] == "interstitial"
    assert res.arms.set_index("arm").loc["7p", "called"] == False  # noqa: E712  (1.4 Mb of a 58 Mb arm)
    # without anything measured beyond the gene, where the deletion ends is unknown: NA, not focal
    blind = call(ann, make_bins(ann, 3, events=ev, tiles=False, flank_step=None))
    assert blind.ikzf1["deletion"] == "del1-8" and blind.ikzf1["mechanism"] == "NA"
    # a del4-7 between measured exons is focal
    s, e = interval(ann, 4, 7)
    inner = call(ann, make_bins(ann, 3, events=[("chr7", s, e, expected_log2(0.6, 1))], tiles=False,
                                flank_step=None))
    assert inner.ikzf1["deletion"] == "del4-7" and inner.ikzf1["mechanism"] == "focal"


def test_null_samples_keep_the_calibrated_false_call_rate(ann, root, schema_defaults):
    """Wild-type samples with intron tiles (~60 positions in IKZF1's window) at the looser
    calibrated rate of 1% per window: IKZF1 false calls stay near 1% (binomial 95% upper
    bound for 120 samples at 1%: 4)."""
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    params = cparams.CallerParams.from_config({**schema_defaults["caller"], "false_positive_rate": 0.01},
                                              schema_defaults["qc"], calib)
    false = sum(call(ann, make_bins(ann, 1000 + seed), params=params).status == "deleted" for seed in range(120))
    assert false <= 4


def test_monosomy_7_in_16_percent_of_cells_is_found_with_its_cell_fraction(ann):
    """Every chr7 bin 0.12 lower (log2(1 - 0.16/2)): the arm test finds 7p and 7q, and IKZF1
    takes the loss: del1-8 by the chromosome route, cell fraction ~0.16."""
    lv = expected_log2(0.16, 1)
    res = call(ann, make_bins(ann, 5, events=[("chr7", 0, 159_345_973, lv)], offtarget=True, offtarget_depth=0.05))
    arms = res.arms.set_index("arm")
    assert arms.loc["7p", "called"] and arms.loc["7q", "called"]
    assert arms.loc["7q", "cf_low"] <= 0.16 <= arms.loc["7q", "cf_high"]
    assert res.ikzf1["deletion"] == "del1-8" and res.ikzf1["mechanism"] == "chromosome"
    assert res.ikzf1["cell_fraction"] == pytest.approx(0.16, abs=0.05)
    assert res.ikzf1["evidence"].startswith("arm 7p")


def test_no_false_arm_loss_in_wild_types(ann):
    for seed in range(40):
        res = call(ann, make_bins(ann, 2000 + seed, offtarget=True, offtarget_depth=0.05))
        assert not res.arms["called"].any(), (seed, res.arms)


def test_a_second_hit_inside_a_lost_arm_is_biallelic(ann):
    """7p lost in 80% of cells and del4-7 on the other copy in the same cells."""
    s, e = interval(ann, 4, 7)
    ev = [("chr7", 0, 58_100_000, expected_log2(0.8, 1)), ("chr7", s, e, np.log2(1 - 0.8 / (2 - 0.8)))]
    res = call(ann, make_bins(ann, 6, events=ev))
    assert res.ikzf1["deletion"] == "del1-8" and res.ikzf1["exons_biallelic"] == "4,5,6,7"
    assert res.ikzf1["mechanism"] == "arm"


def test_limit_of_detection_keeps_its_promise(ann):
    """A deletion just above the sample's stated LoD95 is found in >= ~95% of draws; one
    at half the limit mostly is not."""
    base = call(ann, make_bins(ann, 7))
    lim = dict(x.split(":") for x in base.ikzf1["lod"].split(";"))
    f = float(lim["del4-7"])
    assert 0.1 < f < 0.5
    s, e = interval(ann, 4, 7)
    hits = [call(ann, make_bins(ann, 100 + i, events=[("chr7", s, e, expected_log2(f + 0.02, 1))])).status
            for i in range(30)]
    assert sum(h == "deleted" for h in hits) >= 27
    half = [call(ann, make_bins(ann, 200 + i, events=[("chr7", s, e, expected_log2(f / 2, 1))])).status
            for i in range(30)]
    assert sum(h == "deleted" for h in half) <= 10
    # more probes, lower limit: without the intron tiles the same sample's limit is higher
    no_tiles = call(ann, make_bins(ann, 7, tiles=False))
    assert float(dict(x.split(":") for x in no_tiles.ikzf1["lod"].split(";"))["del4-7"]) > f + 0.1


def test_a_7p_loss_in_a_hyperdiploid_sample_is_found(ann):
    """+4 +6 +8 +10 +14 +16 +17 +18 +21 +22 in 90% of cells, and 7p lost in 25%: the gained arms are not
    noise (the systematic spread of arm levels comes from the arms at the baseline level)."""
    gain = float(np.log2(1 + 0.9 / 2))
    ev = [(c, 0, 250_000_000, gain) for c in ("chr4", "chr6", "chr8", "chr10", "chr14", "chr16", "chr17", "chr18",
                                             "chr21", "chr22")]
    ev.append(("chr7", 0, 58_100_000, expected_log2(0.25, 1)))
    res = call(ann, make_bins(ann, 9, events=ev))
    arms = res.arms.set_index("arm")
    assert arms.loc["7p", "called"] and not arms.loc["7q", "called"]
    assert res.ikzf1["deletion"] == "del1-8" and res.ikzf1["mechanism"] == "arm"
