"""Reference refinement: spread shrinkage with few normals, a cohort reference robust to its own deletions."""
import numpy as np

from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.reference import refine


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


def test_lower_trimmed_location_ignores_the_deleted_third():
    rng = np.random.default_rng(7)
    n_bins, n = 200, 24
    m = rng.normal(0.0, 0.1, (n_bins, n))
    deleted = rng.random(n) < 0.35
    shift = np.log2(1 - rng.uniform(0.3, 0.9, n) / 2)     # one copy lost in 30-90% of cells
    m[:, deleted] += shift[deleted]
    plain = np.median(m, axis=1)
    assert np.mean(plain) < -0.05
    # bin by bin, shallow deletions (30% of cells: -0.23) hide in the noise (sd 0.1)
    loc1, _, _ = refine.lower_trimmed_location(m, 2.5)
    assert np.mean(plain) < np.mean(loc1) < 0
    # with neighbouring bins (the deletion spans them) they are found
    loc, sd, kept = refine.lower_trimmed_location(m, 2.5, groups=np.repeat([0, 1], 100), window=5)
    assert abs(np.mean(loc)) < 0.02
    assert abs(np.median(sd) - 0.1) < 0.02                  # the clean noise, not the mixture's
    assert np.median(kept) <= n - deleted.sum() + 1


def test_lower_trimmed_location_leaves_clean_bins_alone():
    rng = np.random.default_rng(3)
    m = rng.normal(0.0, 0.1, (500, 30))
    loc, sd, kept = refine.lower_trimmed_location(m, 2.5, groups=np.repeat([0, 1], 250), window=5)
    assert abs(np.mean(loc - np.median(m, axis=1))) < 0.015
    assert np.median(kept) >= 29
    # NaNs are ignored
    m[0, :10] = np.nan
    loc2, _, kept2 = refine.lower_trimmed_location(m, 2.5)
    assert kept2[0] <= 20 and np.isfinite(loc2[0])


def test_cohort_reference_is_not_pulled_down_by_its_deleted_tumours(root, tmp_path):
    """Toy tumours pooled without normals, three of eight with IKZF1 del4-7: the robust
    reference at exons 4-7 agrees with the normals' reference, the plain pool does not."""
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
    for name, mode, files, trim in (("normals", "pooled", nor, 2.5), ("plain", "cohort", tum, 1e9),
                                    ("robust", "cohort", tum, 2.5)):
        d = tmp_path / name
        d.mkdir()
        reference_stage.run(reference_stage.ReferenceJob.from_names({
            "sample": files[0], "target_coverage": files[1], "antitarget_coverage": files[2], "bam_info": files[3],
            "target_bins": tbins, "antitarget_bins": abins, "prebuilt": [], "fasta": [],
            "rules": str(root / "resources" / "rules.yaml"),
            "par_regions": str(root / "resources" / "cnvkit_par_regions.tsv"), "mode": mode, "genome": "hg38",
            "edge": False, "n_components": 0, "spread_prior_df": 0.0, "cohort_trim": trim, "cohort_window": 5,
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
    assert abs(robust - off(refs["robust"])) < 0.07   # the robust one stays with the normals
