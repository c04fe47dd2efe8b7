"""The simulator: panel designs, arm events, off-target reads, BAM writing."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.core import annotation
from simlib import simulate


@pytest.fixture(scope="module")
def hg38(root, rules):
    res = root / "resources"
    units = annotation.load_units(res, "hg38")
    return {"units": units[units["gene"].isin(annotation.modelled_genes(rules))], "contigs": annotation.load_contigs(res, "hg38"),
            "introns": annotation.read_tsv(res / "hg38" / "introns.tsv"),
            "arms": annotation.read_tsv(res / "hg38" / "arms.tsv")}


@pytest.fixture(scope="module")
def panels(hg38):
    chroms = [c for c in hg38["contigs"] if c != "chrY"]
    return {d: simulate.design_panel(hg38["units"], hg38["introns"], hg38["contigs"], d, chroms,
                                     backbone_spacing=2_500_000) for d in ("exon_only", "intron_tiled")}


def test_intron_tiled_probes_every_3kb_and_clear_of_exons(panels, hg38):
    p = panels["intron_tiled"]
    i3 = p[p["name"].str.startswith("IKZF1_intron3_")]
    # intron 3 is chr7:50,327,758-50,376,532 (48.8 kb): room for 17 probes 3 kb apart
    assert len(i3) == 17 and set(np.diff(i3["start"].to_numpy())) == {3000}
    assert (i3["end"] - i3["start"] == 120).all()
    assert i3["name"].iloc[4] == "IKZF1_intron3_t5"
    assert i3["start"].min() >= 50_327_757 + 300 and i3["end"].max() <= 50_376_532 - 300
    tiles = p[p["name"].str.contains("_intron")]
    ex = hg38["units"][hg38["units"]["gene"] == "IKZF1"]
    for t in tiles.itertuples():  # no probe within 300 bp of any IKZF1 exon
        gap = np.maximum(ex["start"].to_numpy() - 1 - t.end, t.start - ex["end"].to_numpy())
        assert gap.min() >= 300, t.name
    assert set(tiles["name"].str.extract(r"intron(\d)")[0].astype(int)) == set(range(1, 8))


def test_designs_share_exons_and_backbone(panels):
    a, b = panels["exon_only"], panels["intron_tiled"]
    assert not a["name"].str.contains("_intron").any()
    both = b[~b["name"].str.contains("_intron")].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, both)
    bb = a[a["name"].str.startswith("backbone")]
    # one probe per 2.5 Mb: 7p (58.1 Mb) carries more than 20, the genome about 1,200
    p7 = bb[(bb["chrom"] == "chr7") & (bb["end"] <= 58_100_000)]
    assert len(p7) >= 20 and 1100 < len(bb) < 1300
    genes = a[~a["name"].str.startswith("backbone")]
    for r in bb[bb["chrom"].isin(genes["chrom"])].itertuples():
        g = genes[genes["chrom"] == r.chrom]
        assert ((g["end"] <= r.start - 10_000) | (g["start"] >= r.end + 10_000)).all()


def test_arm_event_covers_exactly_the_arm(hg38):
    c, arms = hg38["contigs"], hg38["arms"]
    assert simulate.arm_event(arms, c, None, "7p", 0.2) == simulate.Event("chr7", 0, 58_100_000, -1, 0.2)
    assert simulate.arm_event(arms, c, "chr7", "7q", 0.2) == simulate.Event("chr7", 62_100_000, 159_345_973, -1, 0.2)
    ev = simulate.events_from_spec({"events": [{"arm": "7p", "fraction": 0.5}]}, hg38["units"], c, 0.4,
                                   arms=arms)
    cn = simulate.copy_number("chr7", np.array([0, 50_400_000, 58_099_999, 58_100_000, 100_000_000]),
                              "female", ("chrX", 10001, 2781479), ev)
    assert cn.tolist() == pytest.approx([1.8, 1.8, 1.8, 2.0, 2.0])
    with pytest.raises(ValueError):
        simulate.arm_event(arms, c, None, "7r", 0.2)


def _offtarget(panel, reads, rl):
    n = 0
    for c, pos in reads.items():
        t = panel[panel["chrom"] == c]
        p = np.abs(pos)
        on = ((p[:, None] >= t["start"].to_numpy()[None, :] - rl) & (p[:, None] < t["end"].to_numpy()[None, :])).any(1)
        n += int((~on).sum())
    return n


def test_offtarget_reads_scale_with_depth():
    contigs = {"chrA": 20_000_000}
    panel = pd.DataFrame({"chrom": "chrA", "start": np.arange(20) * 1_000_000 + 500_000, "end": 0, "name": "t"})
    panel["end"] = panel["start"] + 300
    par1 = ("chrX", 1, 2)
    counts = {}
    for depth in (100, 400):
        r = simulate.simulate_reads(panel, contigs, "female", par1, [], depth, 1, 100, 2,
                                    offtarget_fraction=0.2)
        tot = sum(len(v) for v in r.values())
        counts[depth] = _offtarget(panel, r, 100)
        assert counts[depth] / tot == pytest.approx(0.2, abs=0.02)   # 20% of all reads off target
    assert counts[400] / counts[100] == pytest.approx(4.0, rel=0.1)
    # the old fixed rate does not move with depth
    old = [_offtarget(panel, simulate.simulate_reads(panel, contigs, "female", par1, [], d, 1, 100, 2,
                                                     offtarget_per_mb=50), 100) for d in (100, 400)]
    assert abs(old[0] - old[1]) < 0.2 * old[0]


def test_offtarget_reads_follow_copy_number():
    contigs = {"chrA": 10_000_000}
    ev = [simulate.Event("chrA", 0, 5_000_000, -1, 1.0)]  # one copy of the first half lost
    r = simulate.offtarget_reads(contigs, "female", ("chrX", 1, 2), ev, 40_000, 100, np.random.default_rng(3))
    lo, hi = (r["chrA"] < 5_000_000).sum(), (r["chrA"] >= 5_000_000).sum()
    assert hi == pytest.approx(20_000, rel=0.05) and lo / hi == pytest.approx(0.5, rel=0.05)


def test_write_bam_reads_back(tmp_path):
    import pysam
    reads = {"chr1": np.array([10, 20, -1 - 30, 40]), "chr2": np.array([], dtype=np.int64)}
    n = simulate.write_bam(str(tmp_path / "s.bam"), "S", {"chr1": 1000, "chr2": 1000}, reads, 50, 1, dup_rate=0.5)
    with pysam.AlignmentFile(str(tmp_path / "s.bam")) as bam:
        recs = list(bam)
    assert len(recs) == n and n >= 4
    assert [r.reference_start for r in recs if not r.is_duplicate] == [10, 20, 30, 40]
    assert [r.query_name for r in recs] == [f"{i:x}" for i in range(n)]
    assert all(r.cigarstring == "50M" and r.get_tag("RG") == "S" for r in recs)
    mq = {r.reference_start: r.mapping_quality for r in recs}
    assert mq[30] <= 5 and mq[10] == 60


def test_write_bam_pairs_keep_the_depth_and_mate_fields(tmp_path):
    import pysam
    rng = np.random.default_rng(5)
    starts = np.sort(rng.integers(0, 99_800, 20_000))                 # 20,000 x 100 bp over 100 kb: 20x
    n = simulate.write_bam(str(tmp_path / "p.bam"), "S", {"chr1": 100_000}, {"chr1": starts}, 100, 1,
                           fragment=(350, 30))
    with pysam.AlignmentFile(str(tmp_path / "p.bam")) as bam:
        recs = list(bam)
    assert n == len(recs) == 20_000                                   # every other start a fragment of two reads
    by = {}
    for r in recs:
        by.setdefault(r.query_name, []).append(r)
    assert all(len(v) == 2 for v in by.values())
    for a, b in (sorted(v, key=lambda r: r.reference_start) for v in by.values()):
        assert a.is_paired and a.is_proper_pair and not a.is_reverse and b.is_reverse and a.is_read1 != b.is_read1
        assert (a.next_reference_start, b.next_reference_start) == (b.reference_start, a.reference_start)
        assert a.template_length == b.reference_end - a.reference_start == -b.template_length
    tl = np.array([r.template_length for r in recs if r.template_length > 0])
    assert abs(np.median(tl) - 350) < 5
    assert [r.reference_start for r in recs] == sorted(r.reference_start for r in recs)


def test_junction_reads_pairs_and_split_reads_at_their_rates():
    from simlib import genome
    ev = [simulate.Event("chr7", 100_000, 130_000, -1, 0.5)]
    log = []
    out = genome.junction_reads(ev * 40, {"chr7": 1_000_000}, 100, 100, np.random.default_rng(2),
                                fragment=(350, 30), log=log)
    # per junction: 100/100/2 x 0.5 = 0.25 split starts per bp over 61 positions = 15.25 split reads,
    # 100/200/2 x 0.5 = 0.125 fragment starts per bp over 151 positions = 18.9 pairs
    assert np.mean([x[3] for x in log]) == pytest.approx(15.25, rel=0.1)
    assert np.mean([x[4] for x in log]) == pytest.approx(18.9, rel=0.1)
    pairs = [r for r in out["chr7"] if len(r) > 4]
    assert len(pairs) == 2 * sum(x[4] for x in log)
    for start, cigar, flag, tags, (name, mate, tlen) in pairs:
        if not flag & 16:                                              # the left read: ends before the junction
            assert start + 100 <= 100_000 and mate >= 130_000 and tlen == mate + 100 - start
            assert tlen - 30_000 == pytest.approx(350, abs=200)         # the fragment, plus the deletion
