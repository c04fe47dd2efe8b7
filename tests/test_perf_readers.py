"""The BAM readers benchmark's logic (benchmarks/perf/readers.py), nothing timed: every
engine it compares computes the same base count per bin as our pass (the checksums of
the counts are printed: `pytest -s`), those that collect junction reads collect ours, and
its table and decision are the arithmetic of its measurements. Engines that are not
installed (oxbow, ISA-L, mosdepth, samtools) are skipped."""
import subprocess
import sys

import numpy as np
import pysam
import pytest

CONTIGS = {"chr1": 60_000, "chr2": 30_000, "chr3": 20_000}


@pytest.fixture(scope="module")
def readers(root):
    sys.path.insert(0, str(root / "benchmarks" / "perf"))
    import readers
    return readers


def _write(path, reads):
    """A sorted, indexed BAM of (contig index, start, CIGAR, flag, name, mate (contig, start,
    tlen) or None, tags) reads; contig -1: unplaced, written last."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": n} for c, n in CONTIGS.items()]}
    placed = sorted((r for r in reads if r[0] >= 0), key=lambda r: (r[0], r[1]))
    with pysam.AlignmentFile(str(path), "wb", header=header) as fh:
        for ref, start, cigar, flag, name, mate, tags in placed + [r for r in reads if r[0] < 0]:
            a = pysam.AlignedSegment(fh.header)
            a.query_name, a.reference_id, a.reference_start, a.flag = name, ref, start, flag
            a.mapping_quality = 60
            a.cigarstring = cigar
            a.query_sequence = "A" * sum(n for op, n in a.cigartuples if op in (0, 1, 4, 7, 8)) if cigar else "A"
            if mate:
                a.next_reference_id, a.next_reference_start, a.template_length = mate
            for k, v in tags.items():
                a.set_tag(k, v)
            fh.write(a)
    pysam.index(str(path))
    return str(path)


def small_bam(path, seed=5):
    """Proper pairs with deletions, clips and insertions, discordant pairs over a 5 kb
    deletion, split reads (primary with an SA tag, and its supplementary part), duplicates,
    secondary, QC-fail and unmapped reads, reads on a contig without bins, unplaced reads."""
    rng = np.random.default_rng(seed)
    reads = []
    cigars = ["100M", "20S80M", "50M10D50M", "60M5I35M", "70M30S", "40M200N60M"]
    for k in range(2000):
        ref = int(rng.choice([0, 0, 0, 1, 2]))
        s = int(rng.integers(0, CONTIGS[list(CONTIGS)[ref]] - 1000))
        f = int(rng.integers(250, 450))
        flag = int(rng.choice([0, 0, 0, 0, 0x400, 0x100, 0x200]))
        c1, c2 = cigars[k % 6], cigars[(k * 7) % 6]
        reads.append((ref, s, c1, 1 | 2 | 32 | 64 | flag, f"p{k}", (ref, s + f - 100, f), {"MC": c2}))
        reads.append((ref, s + f - 100, c2, 1 | 2 | 16 | 128 | flag, f"p{k}", (ref, s, -f), {"MC": c1}))
    for k in range(6):                                     # discordant pairs over chr1:20,000-25,000
        a, b = 19_700 + 10 * k, 25_100 + 10 * k
        reads.append((0, a, "100M", 1 | 32 | 64, f"d{k}", (0, b, b + 100 - a), {"MC": "100M"}))
        reads.append((0, b, "100M", 1 | 16 | 128, f"d{k}", (0, a, a - b - 100), {"MC": "100M"}))
    for k in range(4):                                     # split reads: 20,000 | 25,000
        reads.append((0, 19_930 + k, f"{70 - k}M{30 + k}S", 0, f"s{k}", None,
                      {"SA": f"chr1,25001,+,{70 - k}S{30 + k}M,60,0;"}))
        reads.append((0, 25_000, f"{70 - k}H{30 + k}M", 0x800, f"s{k}", None,
                      {"SA": f"chr1,{19_931 + k},+,{70 - k}M{30 + k}S,60,0;"}))
    reads.append((0, 30_000, "100M", 1 | 64 | 32, "m", (1, 500, 0), {"MC": "100M"}))   # mate on chr2
    reads += [(0, 40_000, "50M", 4 | 1, "u", (0, 40_000, 0), {})]                      # unmapped, placed
    reads += [(-1, -1, None, 4, f"x{k}", None, {}) for k in range(5)]                  # unplaced
    return _write(path, reads)


@pytest.fixture(scope="module")
def case(readers, tmp_path_factory):
    d = tmp_path_factory.mktemp("readers")
    bam = small_bam(d / "s.bam")
    t, a = d / "t.bed", d / "a.bed"
    t.write_text("chr1\t1000\t1267\tA\nchr1\t19900\t20100\tIKZF1\nchr1\t24950\t25200\tIKZF1\nchr2\t100\t400\tB\n")
    a.write_text("".join(f"chr{c}\t{s}\t{s + 5000}\tAntitarget\n" for c in (1, 2) for s in range(0, 30_000, 5000)))
    return bam, (str(t), str(a)), d


def _installed(readers, kind):
    if not readers.available(kind):
        pytest.skip(f"{kind} is not installed")


@pytest.mark.parametrize("kind", ["isal", "pysam", "pysam_loop", "oxbow", "mosdepth"])
def test_every_engine_counts_what_our_pass_counts(readers, case, kind):
    bam, bins, d = case
    _installed(readers, kind)
    want, want_jx = readers.run_engine("zlib", bam, bins)
    got, jx = readers.run_engine(kind, bam, bins, d / f"work.{kind}")
    print(f"{kind}: checksum {readers.checksum(got)} (ours {readers.checksum(want)}), {int(got.sum())} bases")
    assert len(got) == len(want) == 16 and want.sum() > 0
    assert np.array_equal(got, want)
    if kind in ("pysam_loop", "mosdepth"):
        assert jx is None     # coverage only
    else:
        assert jx == want_jx


def test_our_pass_counts_the_bins_by_hand_and_finds_the_junction_reads(readers, case):
    """The reference engine itself: bins by hand from pysam's reads (no read here lacks
    aligned bases), and the split reads and discordant pairs that are there."""
    bam, bins, _ = case
    counts, (split, pairs, frags) = readers.run_engine("zlib", bam, bins)
    table = readers.bin_table(bins)
    with pysam.AlignmentFile(bam) as fh:
        reads = [(r.reference_name, r.reference_start, r.reference_end) for r in fh.fetch(until_eof=True)
                 if not r.flag & 0x704]
    want = [sum(max(0, min(e, be) - max(s, bs)) for c, s, e in reads if c == bc)
            for bc, bs, be in zip(table["chromosome"], table["start"], table["end"])]
    assert counts.tolist() == want
    assert split == [("chr1", 20_000, 25_000)] * 4
    assert len(pairs) == 6 and len(frags) > 100


def test_the_timed_run_in_its_own_interpreter_saves_what_run_engine_gives(readers, case, tmp_path):
    bam, bins, _ = case
    r = readers.timed_engine("zlib", bam, bins, tmp_path / "z")
    assert r["wall_s"] > 0 and r["cpu_s"] > 0
    assert np.array_equal(np.load(tmp_path / "z.npy"), readers.run_engine("zlib", bam, bins)[0])


def test_a_whole_measurement_on_small_bams(readers, case, tmp_path):
    """measure, summarise and report on two small BAMs with every installed engine: the
    counts compared (equal), the table's ratios its own arithmetic."""
    bam, bins, d = case
    bam2 = small_bam(d / "s2.bam", seed=6)
    kinds = [k for k in ("floor", "zlib", "pysam_loop", "oxbow", "mosdepth") if readers.available(k)]
    if "floor" not in kinds:
        pytest.skip("samtools is not installed")
    res = readers.measure([bam, bam2], bins, tmp_path, 1, kinds)
    assert all(e["coverage"] for e in res["equal"].values())
    rows = readers.summarise(res, kinds)
    for r in rows:   # the ratios: the summed medians of the runs over the floor's
        wall = {k: sum(np.median([x["wall_s"] for x in v]) for v in res["runs"][k].values()) for k in kinds}
        assert r["x_floor"] == round(wall[r["kind"]] / wall["floor"], 2) and r["coverage_equal"] in ("", "yes")
    meta = {"started": "a", "finished": "b", "commit": "c", "n_bams": 2, "mb": 1, "reads": 8000, "bins": 16,
            "repeat": 1, "rounds_loadavg": res["rounds_loadavg"], "checksums": {}}
    md = "\n".join(readers.report(meta, rows))
    assert "| ours: bamscan, zlib | coverage + junction reads |" in md and "least code of ours" in md


def test_decision_keeps_the_least_code_within_ten_percent_of_the_fastest(readers):
    def row(name, wall, lines, cov="yes", jx="yes"):
        return {"engine": name, "wall_s": wall, "lines": lines, "coverage_equal": cov, "junctions_equal": jx}
    rows = [row("floor", 5.0, 0, "", ""), row("ours", 10.0, 300), row("lib", 10.9, 50), row("slow", 11.1, 10),
            row("coverage only", 6.0, 5, "yes", "none")]
    assert readers.decide(rows) == ("lib", ["ours", "lib"])
    rows[2]["wall_s"] = 11.2   # 12% slower: ours stays
    assert readers.decide(rows) == ("ours", ["ours"])


def test_lines_of_code_leave_out_docstrings_comments_and_blank_lines(readers):
    src = 'def f(x):\n    """Doc\n    string."""\n    # a comment\n\n    y = (x +\n         1)\n    return y  # ok\n'
    assert readers.sloc(src) == 4
    lines = readers.code_lines()
    assert lines["zlib"][0] > 200 and 0 < lines["oxbow"][0] < lines["zlib"][0]


def test_htslib_corpus_check_skips_without_the_directory_and_runs_on_a_small_one(root, tmp_path):
    """The corpus script (benchmarks/perf/htslib_corpus.py) on a directory that is not
    there, and on a directory of one SAM of reads without aligned bases made here."""
    script = root / "benchmarks" / "perf" / "htslib_corpus.py"
    p = subprocess.run([sys.executable, str(script), str(tmp_path / "none")], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("skipped")
    import shutil
    if not shutil.which("samtools"):
        pytest.skip("samtools is not installed")
    d = tmp_path / "test"
    d.mkdir()
    rows = [("a", 16, "xx", 4, "10H"), ("b", 16, "xx", 4, "5H0M5H"), ("c", 16, "xx", 4, "5H0I10M0D5H"),
            ("d", 0, "yy", 4, "0M"), ("e", 0, "yy", 4, "0P"), ("f", 0, "yy", 6, "5M")]
    (d / "zero.sam").write_text("@SQ\tSN:xx\tLN:20\n@SQ\tSN:yy\tLN:20\n" + "".join(
        f"{n}\t{f}\t{c}\t{p}\t1\t{cig}\t*\t0\t0\t*\t*\n" for n, f, c, p, cig in rows))
    p = subprocess.run([sys.executable, str(script), str(d)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "| zero.sam | 6 | 6 | 15 | equal | equal | yes |" in p.stdout


def test_reads_without_aligned_bases_count_nothing_through_oxbow_and_pysam(readers, tmp_path):
    """oxbow's end (noodles), like pysam's reference_end (htslib's bam_endpos), gives a
    read without aligned bases one base; the adapters give it none, as bedcov and bamscan
    do; a real 1-base alignment keeps its base."""
    reads = [(0, 1000 + k, cig, 0, f"z{k}", None, {})
             for k, cig in enumerate(["10H", "5H0M5H", "0M", "1M", "0M1M", "5S", "3I", "100M"])]
    bam = _write(tmp_path / "z.bam", reads)
    (tmp_path / "t.bed").write_text("chr1\t1000\t1010\tA\nchr1\t1010\t1200\tB\n")
    (tmp_path / "a.bed").write_text("")
    bins = (str(tmp_path / "t.bed"), str(tmp_path / "a.bed"))
    want, _ = readers.run_engine("zlib", bam, bins)
    assert want.tolist() == [1 + 1 + 3, 97]    # 1M at 1003, 0M1M at 1004, 100M at 1007: 3 + 97
    for kind in ("pysam", "oxbow"):
        if readers.available(kind):
            assert readers.run_engine(kind, bam, bins)[0].tolist() == want.tolist(), kind
