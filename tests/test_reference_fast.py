"""CNVkit's reference computed on arrays (cnvkit.fast_reference, cnvkit.biweight) is
cnvlib's, byte for byte: the biweight estimators column by column on awkward data, and the
pooled .cnn of toy normals (female and male, one normal, a tumour among them, without
off-target bins); where the case does not hold, cnvlib runs."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.cnvkit import biweight, fast_reference, io as cnn_io
from ikzf1cnv.cnvkit import reference as cnvkit_reference
from ikzf1cnv.core import annotation
from ikzf1cnv.reads import coverage as bam_coverage
from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.stages import bins as bins_stage


def test_biweight_columns_are_cnvlibs_one_by_one():
    from cnvlib import descriptives
    rng = np.random.default_rng(5)
    for trial in range(60):
        n, m = int(rng.integers(1, 60)), 300
        a = rng.normal(0, 1, (n, m)) * rng.choice([0.01, 1, 100], m)
        if trial % 3 == 0:
            a = np.round(a, 1)                      # ties
        if trial % 4 == 0:
            a[:, :50] = 0.5                         # no spread at all
        if trial % 5 == 0:
            a[: n // 2 + 1, 50:100] = 1.0           # a MAD of 0
        if trial % 6 == 0:
            a[rng.random((n, m)) < 0.1] += 50       # outliers
        if trial % 7 == 0:
            a[:, 100:120] = -0.0
        want = np.apply_along_axis(descriptives.biweight_location, 0, a)
        got = biweight.biweight_location(a)
        assert np.array_equal(want, got, equal_nan=True) and np.array_equal(np.signbit(want), np.signbit(got))
        want_sp = np.array([descriptives.biweight_midvariance(x, initial=i) for x, i in zip(a.T, want)])
        assert np.array_equal(want_sp, biweight.biweight_midvariance(a, got), equal_nan=True)
    # numpy's own summation order, for every length
    for n in list(range(0, 30)) + [127, 128, 129, 257, 1000]:
        v = rng.normal(0, 1, (n, 20)) * 10.0 ** rng.integers(-6, 6, (n, 20))
        mask = rng.random((n, 20)) < 0.7
        assert np.array_equal(biweight.col_sums(v, mask), [np.sum(v[mask[:, j], j]) for j in range(20)])


@pytest.fixture(scope="module")
def toy_cnns(root, tmp_path_factory):
    d = tmp_path_factory.mktemp("fastref")
    tbins, abins = str(d / "t.bed"), str(d / "a.bed")
    bins_stage.run(bins_stage.BinsJob.from_names({
        "targets": str(root / "resources" / "toy" / "panel_hg38.bed"), "exons": [], "contigs": [], "rules": [],
        "target_avg_size": 267, "antitarget_avg_size": 1_000_000, "wgs": {}, "target_bins": tbins,
        "antitarget_bins": abins}))
    out = {}
    for n in ("N01", "N02", "N03", "N04", "T01"):
        t, a = bam_coverage.bin_coverages([tbins, abins], str(root / "resources" / "toy" / "bams" / f"{n}.bam"),
                                          PassSettings(min_mapq=0, sequential=True))
        out[n] = (str(d / f"{n}.targetcoverage.cnn"), str(d / f"{n}.antitargetcoverage.cnn"))
        cnn_io.write_cnn(t, out[n][0])
        cnn_io.write_cnn(a, out[n][1])
    return out, d


@pytest.mark.parametrize("samples", [("N01", "N02", "N03", "N04"), ("N03",), ("N01", "T01", "N04"), ("N02", "N03")])
def test_fast_reference_is_cnvlibs_byte_for_byte(root, toy_cnns, samples):
    from skgenome import tabio
    cnns, d = toy_cnns
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    par = par[par["genome"] == "grch38"]
    tg, an = [cnns[s][0] for s in samples], [cnns[s][1] for s in samples]
    for anti in (an, []):
        fast = fast_reference.fast_reference(tg, anti, par)
        assert fast is not None
        cnn_io.write_cnn(fast.data, str(d / "fast.cnn"))
        tabio.write(cnvkit_reference.build_reference(tg, anti, "grch38", False, None), str(d / "cnvlib.cnn"))
        assert (d / "fast.cnn").read_bytes() == (d / "cnvlib.cnn").read_bytes()
    # not this case (edge correction): cnvlib's reference
    ref = cnvkit_reference.build_reference(tg, an, "grch38", True, None, par)
    assert not isinstance(ref, fast_reference.Reference)


def test_fast_reference_leaves_other_contigs_to_cnvlib(root, toy_cnns, tmp_path):
    cnns, d = toy_cnns
    t = pd.read_csv(cnns["N01"][0], sep="\t")
    t.loc[t.index[:3], "chromosome"] = "chrY"
    cnn_io.write_cnn(t, str(tmp_path / "Y.targetcoverage.cnn"))
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    assert fast_reference.fast_reference([str(tmp_path / "Y.targetcoverage.cnn")], [cnns["N01"][1]], par) is None
    assert fast_reference.fbase("/x/N01.antitargetcoverage.cnn") == "N01" and fast_reference.fbase("a.b.cnn") == "a.b"
