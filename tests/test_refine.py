"""Reference refinement: spread shrinkage with few normals, a cohort reference robust to its own deletions."""
import numpy as np
import pytest

from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.reference import baseline, refine


def test_prior_recovers_constant_plus_read_count_term():
    rng = np.random.default_rng(1)
    depth = rng.uniform(50, 500, 2000)
    length = rng.uniform(50, 300, 2000)
    true = 0.01 + 40.0 / (depth * length)
    # spread of 5 samples: s^2 ~ true x chi2(4) / 4
    s = np.sqrt(true * rng.chisquare(4, 2000) / 4)
    prior = refine.spread_prior(s, depth, length)
    assert np.allclose(prior, true, rtol=0.15)


def test_two_normals_shrink_towards_the_prior_many_keep_their_own():
    depth = np.full(6, 200.0)
    length = np.full(6, 200.0)
    s = np.array([0.01, 0.1, 0.1, 0.1, 0.1, 0.5])   # prior ~ mean of s^2 (no depth trend)
    prior = np.mean(s ** 2)
    two = refine.shrink_spread(s, depth, length, 2, 4.0)
    # df 1 against 4: (1 s^2 + 4 prior) / 5
    assert np.allclose(two ** 2, (s ** 2 + 4 * prior) / 5)
    assert two[0] > 0.1 and two[-1] < 0.3                # the extremes are tamed
    many = refine.shrink_spread(s, depth, length, 201, 4.0)
    assert np.allclose(many ** 2, (200 * s ** 2 + 4 * prior) / 204)
    assert np.array_equal(refine.shrink_spread(s, depth, length, 2, 0.0), s)


S = baseline.ClusterSettings(trim=3.0, window=5, min_tumours=3, above_z=4.0, above_min=0.25, min_arm_bins=10)


def pool(n_tumours, deleted_share, seed, n_bins=60, frac=(0.5, 0.95)):
    """Bins x tumours around 0 (noise 0.1): a run of 20 bins (20-39) deleted (one copy, in
    `frac` of cells) in round(n * share) tumours."""
    rng = np.random.default_rng(seed)
    m = rng.normal(0.0, 0.1, (n_bins, n_tumours))
    k = round(n_tumours * deleted_share)
    m[20:40, :k] += np.log2(1 - rng.uniform(*frac, k) / 2)
    return m, k


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7])
def test_the_upper_cluster_is_the_neutral_level_when_most_of_the_pool_is_deleted(share):
    """The median would sit at the deleted level from half the pool on; the upper cluster
    stays at 0 over the deleted run while at least min_tumours tumours are undeleted, and
    rests on them (not on the deleted ones)."""
    m, k = pool(10, share, seed=int(share * 10))
    groups = np.zeros(len(m))
    loc, sd, n = baseline.upper_cluster(m, baseline.tumour_noise(m, groups), groups, S)
    run = slice(20, 40)
    plain = np.median(m[run], axis=1).mean()
    if share >= 0.5:
        assert plain < -0.2                                           # the plain median: deleted
    # from 3 undeleted tumours (70%) the cluster's median is a noisier estimate (SE ~0.07)
    assert abs(loc[run].mean()) < (0.05 if share < 0.7 else 0.1) and abs(loc[run].mean()) < abs(plain) / 3
    assert abs(loc[:20].mean()) < 0.05
    assert np.median(n[run]) <= 10 - k + 1 and np.median(n[:20]) >= 9
    assert abs(np.median(sd[:20]) - 0.1) < 0.04


def test_too_few_undeleted_tumours_make_the_gene_unsafe_never_a_baseline_at_the_deleted_level():
    """Nine of ten deleted (in 50-95% of cells, as a high-risk cohort's clones vary): the
    gene is not safe, by the tumours the baseline rests on or by the undeleted one clearly
    above it; with seven undeleted it is safe."""
    for seed in range(6):
        m, k = pool(10, 0.9, seed)
        groups = np.zeros(len(m))
        noise = baseline.tumour_noise(m, groups)
        loc, _, n = baseline.upper_cluster(m, noise, groups, S)
        gene, exon = np.zeros(len(m), dtype=bool), np.zeros(len(m), dtype=bool)
        gene[15:45], exon[20:40:4] = True, True
        out = ~gene
        chance = baseline.block_sd((m - loc[:, None])[out], groups[out], int(gene.sum()))
        verdict = baseline.gene_safety(m - loc[:, None], chance, n, gene, exon, S)
        assert not verdict["evaluable"], (seed, verdict)
    m, _ = pool(10, 0.3, 11)
    loc, _, n = baseline.upper_cluster(m, baseline.tumour_noise(m, groups), groups, S)
    chance = baseline.block_sd((m - loc[:, None])[out], groups[out], int(gene.sum()))
    assert baseline.gene_safety(m - loc[:, None], chance, n, gene, exon, S) == \
        {"tumours": int(n[exon].min()), "above": [], "evaluable": True}


def test_a_gained_arm_is_levelled_before_the_cluster_and_chrx_pars_follow_sex():
    """Tumour 0 gains the arm (+0.58 on every bin), tumour 1 is male (chrX outside the PARs
    at -1, its PAR at 0), tumour 2 female with +X (chrX +0.58, PAR +0.58): relative to
    their own levels all read 0 where nothing focal happened."""
    region = np.array([0] * 20 + [baseline.X_NONPAR] * 20 + [baseline.X_PAR] * 5)
    chrom = np.array(["chr1"] * 20 + ["chrX"] * 25)
    m = np.zeros((45, 3))
    m[:20, 0] += 0.585
    m[20:40, 1], m[40:, 1] = -1.0, 0.0
    m[20:40, 2] = m[40:, 2] = 0.585
    level = np.ones(45, dtype=bool)
    level[40:] = False                                   # the PAR bins sit in a gene window
    y = baseline.arm_relative(m, region, chrom, level, np.ones(45, dtype=bool), 10)
    assert np.allclose(y, 0.0, atol=1e-9)


def test_cohort_reference_is_not_pulled_down_by_its_deleted_tumours(root, tmp_path):
    """Toy tumours pooled without normals, three of eight with IKZF1 del4-7 (and T10 a
    subclonal del1-8): the plain pool is dragged down at exons 4-7, the upper cluster much
    less."""
    import pandas as pd

    from ikzf1cnv.cnvkit import io as cnn_io
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import coverage as bam_coverage
    from ikzf1cnv.stages import bins as bins_stage, reference as reference_stage

    tbins, abins = str(tmp_path / "t.bed"), str(tmp_path / "a.bed")
    bins_stage.run(bins_stage.BinsJob.from_names({
        "targets": str(root / "resources" / "toy" / "panel_hg38.bed"), "exons": [], "contigs": [], "rules": [],
        "target_avg_size": 267, "antitarget_avg_size": 1_000_000, "wgs": {}, "target_bins": tbins,
        "antitarget_bins": abins}))

    def cov(names):
        out = []
        for n in names:
            (tmp_path / f"{n}.bam.json").write_text('{"read_length": 100}')
            t, a = bam_coverage.bin_coverages([tbins, abins], str(root / "resources" / "toy" / "bams" / f"{n}.bam"), PassSettings(min_mapq=0))
            out.append((str(tmp_path / f"{n}.targetcoverage.cnn"), str(tmp_path / f"{n}.antitargetcoverage.cnn")))
            cnn_io.write_cnn(t, out[-1][0])
            cnn_io.write_cnn(a, out[-1][1])
        return names, [x[0] for x in out], [x[1] for x in out], [str(tmp_path / f"{n}.bam.json") for n in names]

    tum = cov(["T01", "T07", "T13", "T08", "T09", "T10", "T11", "T14"])   # T01, T07, T13: del4-7
    nor = cov(["N01", "N02", "N03", "N04"])
    refs = {}
    for name, mode, files, trim in (("normals", "pooled", nor, 3.0), ("plain", "cohort", tum, 1e9),
                                    ("robust", "cohort", tum, 3.0)):
        d = tmp_path / name
        d.mkdir()
        reference_stage.run(reference_stage.ReferenceJob.from_names({
            "sample": files[0], "target_coverage": files[1], "antitarget_coverage": files[2], "bam_info": files[3],
            "target_bins": tbins, "antitarget_bins": abins, "prebuilt": [], "fasta": [],
            "rules": str(root / "resources" / "rules.yaml"),
            "par_regions": str(root / "resources" / "cnvkit_par_regions.tsv"), "mode": mode, "genome": "hg38",
            "edge": False, "n_components": 0, "spread_prior_df": 0.0, "cohort_trim": trim, "cohort_window": 5,
            "exons": str(root / "resources" / "hg38" / "exons.tsv"), "arms": str(root / "resources" / "hg38" / "arms.tsv"),
            "cohort_min_tumours": 3, "cohort_above_z": 4.0, "cohort_above_min": 0.25, "min_arm_bins": 10,
            "cnn": str(d / "ref.cnn"), "info": str(d / "ref.json"), "denoise": str(d / "dn.tsv")}))
        refs[name] = pd.read_csv(d / "ref.cnn", sep="\t")
    units = annotation.load_units(root / "resources", "hg38")
    ex = units[(units["gene"] == "IKZF1") & units["exon"].astype(str).isin(["4", "5", "6", "7"])]
    r = refs["normals"]
    inside = (r["chromosome"] == "chr7") & r["start"].between(ex["start"].min() - 300, ex["end"].max())
    assert inside.sum() >= 4
    plain = (refs["plain"]["log2"] - r["log2"])[inside].mean()
    robust = (refs["robust"]["log2"] - r["log2"])[inside].mean()
    # autosome-wide offsets between the pools cancel in the comparison with a flanking gene
    off = lambda x: (x["log2"] - r["log2"])[(r["chromosome"] == "chr9")].median()  # noqa: E731
    assert plain - off(refs["plain"]) < -0.1          # the deleted third drags the plain pool down
    # the upper cluster is nearer the normals (a subclonal del1-8 in T10 and the tumours'
    # own per-bin scatter keep it ~0.1 below them here: the calls it gives are compared with
    # the normals' in tests/test_scenarios.py)
    assert abs(robust - off(refs["robust"])) < abs(plain - off(refs["plain"])) - 0.05
