"""The realistic panel benchmark's logic (benchmarks/perf/realistic.py), nothing timed: the
coverage jobs it runs directly are the workflow's own (same numbers as cnv.bin_coverages),
each engine it compares computes the same coverage, and its table's ratios are the
arithmetic of its measurements."""
import sys

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.cnvkit import bins as cnvkit_bins
from ikzf1cnv.reads import binning, coverage as bam_coverage


@pytest.fixture(scope="module")
def perf(root):
    sys.path.insert(0, str(root / "benchmarks" / "perf"))
    import realistic
    return realistic


@pytest.fixture
def toy_bins(root, tmp_path):
    from skgenome import tabio
    tgt, anti = cnvkit_bins.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 1_000_000)
    t, a = tmp_path / "t.bed", tmp_path / "a.bed"
    tabio.write(tgt, str(t), "bed4")
    tabio.write(anti, str(a), "bed4")
    return str(t), str(a)


def test_direct_coverage_jobs_write_the_workflows_numbers(perf, root, tmp_path, toy_bins):
    """What the benchmark times as 'coverage jobs run directly' writes, for each BAM, the
    coverage cnv.bin_coverages gives (so the ratio to the floor is about the real job)."""
    samples = ["N01", "T05", "T09"]
    sheet = tmp_path / "s.tsv"
    pd.DataFrame({"sample": samples, "bam": [str(root / "resources/toy/bams" / f"{s}.bam") for s in samples],
                  "type": ["normal", "tumor", "tumor"]}).to_csv(sheet, sep="\t", index=False)
    out = tmp_path / "jobs"
    r = perf.coverage_jobs(sheet, toy_bins, out, cores=2, batch_size=2)
    assert r["jobs"] == 2 and r["sum_s"] > 0 and r["cpu_s"] > 0
    for s in samples:
        want_t, want_a = bam_coverage.bin_coverages(list(toy_bins), str(root / "resources/toy/bams" / f"{s}.bam"), PassSettings(min_mapq=0))
        got_t = pd.read_csv(out / f"{s}.t", sep="\t")
        got_a = pd.read_csv(out / f"{s}.a", sep="\t")
        assert np.allclose(got_t["depth"], want_t["depth"], atol=1e-5, rtol=1e-5) and len(got_t) == len(want_t)
        assert np.allclose(got_a["depth"], want_a["depth"], atol=1e-5, rtol=1e-5) and len(got_a) == len(want_a)
        assert got_t["depth"].sum() > 0


def test_every_python_engine_reads_the_same_coverage(perf, root, toy_bins):
    """The engines table compares ways of reading one BAM: the sequential pass (zlib), the
    index pass and the plain pysam loop must count the same reads (the loop's starts/ends
    binned as the workflow bins them). Each engine prints what it counted (bins, aligned
    bases, a checksum of where they lie), so one that reads nothing or reads wrong fails."""
    import subprocess
    import zlib

    import pysam
    bam = str(root / "resources/toy/bams/T05.bam")
    code = perf.ENGINE.format(wf=str(root / "workflow"))
    seq_t, seq_a = bam_coverage.bin_coverages(list(toy_bins), bam, PassSettings(sequential=True))
    idx_t, _ = bam_coverage.bin_coverages(list(toy_bins), bam, PassSettings(min_mapq=0, sequential=False))
    assert np.array_equal(seq_t["depth"].to_numpy(), idx_t["depth"].to_numpy())
    # each engine prints, per bin set, its bins, their aligned bases and where they lie: the
    # workflow's own pass here (the pysam loop is checked against it read by read below)
    want = []
    for df in (seq_t, seq_a):
        n = [int(round(d * (e - s))) for d, s, e in zip(df["depth"], df["start"], df["end"])]
        want += [len(df), sum(n), sum(zlib.crc32(f"{c}:{s}-{e}".encode()) * k for c, s, e, k in
                                      zip(df["chromosome"], df["start"], df["end"], n)) % (2 ** 61 - 1)]
    assert want[1] > 1_000_000 and want[4] > 0
    for kind in ("zlib", "index", "index_scan", "pysam_loop"):
        p = subprocess.run([sys.executable, "-c", code, kind, bam, *toy_bins], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        counted, times = p.stdout.strip().splitlines()[-2:]
        assert counted.split()[0] == "bases" and list(map(int, counted.split()[1:])) == want, kind
        wall, cpu = map(float, times.split())
        assert wall >= 0 and cpu >= 0
    # the pysam loop's reads (flags 0x704 out, as the workflow) binned: the same depths
    with pysam.AlignmentFile(bam) as fh:
        reads = [(r.reference_name, r.reference_start, r.reference_end) for r in fh.fetch(until_eof=True)
                 if not r.flag & 0x704]
    rd = pd.DataFrame(reads, columns=["c", "s", "e"])
    for chrom, g in pd.concat([seq_t, seq_a]).groupby("chromosome"):
        rr = rd[rd["c"] == chrom]
        got = binning.aligned_bases(rr["s"].tolist(), rr["e"].tolist(), g["start"].to_numpy(), g["end"].to_numpy())
        assert np.allclose(got / (g["end"] - g["start"]).to_numpy(), g["depth"].to_numpy())


def _res():
    la = ["[1.0, 1.0, 1.0]", "[1.1, 1.0, 1.0]"]
    stages = [{"stage": "coverage", "jobs": 5, "total_s": 300.0, "cpu_s": 150.0, "peak_mb": 200.0},
              {"stage": "call", "jobs": 4, "total_s": 20.0, "cpu_s": 16.0, "peak_mb": 210.0}]
    return {"cores": 2, "bams": 50, "reads_mean": 1_860_000, "mb_mean": 210.0, "depths": [300, 1000],
            "large_mb": 1247, "large_reads": 11_000_000, "inflate": "zlib", "started": "a", "finished": "b",
            "floor": {"wall_s": 60.0, "sum_s": 120.0, "cpu_s": 50.0, "loadavg": la},
            "bedcov": {"wall_s": 400.0, "sum_s": 800.0, "cpu_s": 390.0, "loadavg": la},
            "cnvkit": {"wall_s": 900.0, "cpu_s": 880.0, "loadavg": la},
            "ikzf1cnv": {"wall_s": 225.0, "cpu_s": 220.0, "loadavg": la, "stages": stages},
            "coverage_jobs": {"wall_s": 150.0, "sum_s": 290.0, "cpu_s": 140.0, "jobs": 5, "threads": 1,
                              "loadavg": la},
            "floor_again": {"wall_s": 50.0, "sum_s": 100.0, "cpu_s": 56.0, "loadavg": la}}


def test_report_ratios_are_the_measurements_arithmetic(perf):
    md = "\n".join(perf.report(_res()))
    # by hand: 290 / 100 = 2.90, 150 / 50 = 3.00, 140 / 56 = 2.50
    assert "run directly / the floor right after: 2.90x (wall, summed over the BAMs), 3.00x (wall), 2.50x (CPU)" in md
    # 300 / 120 = 2.50, 150 / 50 = 3.00; CNVkit 900 / 225 = 4.00, 880 / 220 = 4.00
    assert "coverage jobs / floor: 2.50x (wall, summed over the BAMs), 3.00x (CPU)" in md
    assert "cnvkit.py batch / whole workflow: 4.00x (wall), 4.00x (CPU)" in md
    assert "| call | 4 | 20.0 | 16.0 | 210.0 |" in md
