"""Bin coverage: our one pass through the index equals CNVkit's coverage, and counts what it should."""
import numpy as np
import pysam
import pytest

from ikzf1cnv import cnv, inputs


def _bam(path, reads, contigs={"chr1": 10_000, "chr2": 10_000}):
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": n} for c, n in contigs.items()]}
    with pysam.AlignmentFile(str(path), "wb", header=header) as fh:
        for i, (ref, start, length, mapq, flag) in enumerate(sorted(reads)):
            a = pysam.AlignedSegment(fh.header)
            a.query_name, a.reference_id, a.reference_start = f"r{i}", ref, start
            a.mapping_quality, a.flag, a.cigartuples, a.query_sequence = mapq, flag, [(0, length)], "A" * length
            fh.write(a)
    pysam.index(str(path))
    return str(path)


def _bed(path, rows):
    path.write_text("".join("\t".join(map(str, r)) + "\n" for r in rows))
    return str(path)


def test_depth_counts_bases_and_skips_flagged_reads(tmp_path):
    reads = [
        (0, 100, 50, 60, 0),       # counted
        (0, 120, 50, 0, 0),        # counted unless min_mapq > 0
        (0, 100, 50, 60, 0x400),   # duplicate: never
        (0, 100, 50, 60, 0x100),   # secondary: never
        (0, 100, 50, 60, 0x200),   # QC fail: never
        (1, 500, 40, 60, 0),       # the antitarget bin, 40 of its 100 bases
    ]
    bam = _bam(tmp_path / "s.bam", reads)
    t = _bed(tmp_path / "t.bed", [("chr1", 100, 200, "A"), ("chr1", 1000, 1100, "B"), ("chrZ", 0, 100, "Z")])
    a = _bed(tmp_path / "a.bed", [("chr2", 450, 550, "Antitarget")])
    tc, ac = cnv.bin_coverages([t, a], bam, 0)
    assert list(tc["gene"]) == ["A", "B"]            # chrZ is not in the BAM: dropped
    assert tc["depth"].tolist() == [1.0, 0.0]         # (50 + 50) bases / 100 bp; none
    assert tc["log2"].tolist() == [0.0, cnv.NULL_LOG2]
    assert ac["depth"].tolist() == [0.4]
    tq, _ = cnv.bin_coverages([t, a], bam, 10)
    assert tq["depth"].tolist() == [0.5, 0.0] and tq["log2"].tolist()[0] == -1.0
    assert list(tmp_path.glob("tmp*")) == []          # its temporary BED is removed


@pytest.mark.parametrize("sample", ["N01", "T05"])
def test_equals_cnvkit_coverage_on_toy_bams(root, tmp_path, sample):
    """The same numbers (and, written, the same bytes) as cnvlib's coverage of the same bins."""
    from cnvlib import coverage
    from skgenome import tabio

    units = tmp_path / "bins.bed"
    # a slice of real bins: the toy panel's IKZF1 targets split as the workflow splits them
    tgt, anti = cnv.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 1_000_000)
    tabio.write(tgt, str(units), "bed4")
    anti_bed = tmp_path / "anti.bed"
    tabio.write(anti, str(anti_bed), "bed4")
    bam = str(root / "resources" / "toy" / "bams" / f"{sample}.bam")
    ours_t, ours_a = cnv.bin_coverages([str(units), str(anti_bed)], bam, 0)
    for ours, bed in ((ours_t, units), (ours_a, anti_bed)):
        theirs = coverage.interval_coverages(str(bed), bam, by_count=False, min_mapq=0, processes=1).data
        assert len(ours) == len(theirs) > 100
        assert np.array_equal(ours["start"].to_numpy(), theirs["start"].to_numpy())
        assert np.allclose(ours["depth"], theirs["depth"], rtol=0, atol=1e-12)
        assert np.allclose(ours["log2"], theirs["log2"], rtol=0, atol=1e-12)
        cnv.write_cnn(ours, tmp_path / "ours.cnn")
        tabio.write(coverage.interval_coverages(str(bed), bam, False, 0, 1), str(tmp_path / "theirs.cnn"))
        assert (tmp_path / "ours.cnn").read_bytes() == (tmp_path / "theirs.cnn").read_bytes()


@pytest.mark.parametrize("n,size", [(18, 10), (14, 10), (10, 10), (1, 10), (23, 5), (0, 10), (1000, 10)])
def test_batches_hold_every_sample_once_in_about_n_over_size_jobs(n, size):
    names = [f"S{i:02d}" for i in range(n)]
    b = inputs.batches(names, size, "coverage_")
    assert sorted(x for v in b.values() for x in v) == sorted(names)      # every sample once
    assert all(v == sorted(v) for v in b.values())
    buckets = 1 << max(0, (max(n, 1) - 1) // size).bit_length()   # the power of two >= n / size
    assert len(b) <= buckets and (n == 0 or len(b) >= buckets // 2)
    if n >= 1000:  # hashing spreads them: no batch more than twice its share
        assert max(len(v) for v in b.values()) <= 2 * n / buckets


def test_an_added_tumour_moves_no_other_sample_between_batches():
    names = [f"P{i:03d}" for i in range(37)]
    before = inputs.batches(names, 10, "call_")
    after = inputs.batches(names + ["P999"], 10, "call_")
    changed = [k for k in after if after[k] != before.get(k)]
    assert len(changed) == 1 and "P999" in after[changed[0]]
    assert set(after[changed[0]]) - {"P999"} == set(before.get(changed[0], []))


def test_batch_keys_widen_past_999():
    b = inputs.batches([str(i) for i in range(1500)], 1, "c")
    assert list(b)[0].startswith("c") and len(list(b)[0]) == 5 and len(b) > 900


def coverage_job(root, samples, bams, tbins, abins, o):
    from ikzf1cnv import coverage
    res = root / "resources"
    return coverage.CoverageJob(samples=samples, bams=bams, genome="hg38",
                                contigs={b: str(res / b / "contigs.tsv") for b in ("hg38", "hg19")},
                                target_bins=tbins, antitarget_bins=abins, min_mapq=0, fasta=None,
                                junctions={"min_clip": 20, "min_insert": 1000, "pair_window": 500, "tolerance": 5}, out_targets=o[0], out_antitargets=o[1],
                                out_bam_info=o[2], out_junctions=o[5], out_idxstats=o[3], out_stats=o[4])


def bins_job(root, tbins, abins):
    from ikzf1cnv import coverage
    res = root / "resources"
    return coverage.BinsJob(targets=str(res / "toy" / "panel_hg38.bed"), target_avg_size=267,
                            antitarget_avg_size=1_000_000, exons=None, contigs=None, rules=None, wgs={},
                            out_targets=tbins, out_antitargets=abins)


def test_coverage_batch_writes_idxstats_and_optional_samtools_stats(root, tmp_path):
    from ikzf1cnv import coverage

    tbins, abins = str(tmp_path / "t.bed"), str(tmp_path / "a.bed")
    _bed(tmp_path / "t.bed", [("chr7", 50304700, 50305000, "IKZF1")])
    _bed(tmp_path / "a.bed", [("chr1", 0, 1_000_000, "Antitarget")])
    bams = [str(root / "resources" / "toy" / "bams" / f"{s}.bam") for s in ("N01", "T01")]
    o = {k: [str(tmp_path / f"{s}.{k}") for s in ("N01", "T01")] for k in ("t", "a", "json", "idx", "stats", "jx")}
    coverage.run_coverage_batch(coverage_job(root, ["N01", "T01"], bams, tbins, abins,
                                             [o["t"], o["a"], o["json"], o["idx"], o["stats"], o["jx"]]))
    for bam, idx, st in zip(bams, o["idx"], o["stats"]):
        with pysam.AlignmentFile(bam) as fh:
            want = {s.contig: s.mapped for s in fh.get_index_statistics()}
        got = {line.split("\t")[0]: int(line.split("\t")[2]) for line in open(idx) if not line.startswith("*")}
        assert {c: n for c, n in got.items() if n} == {c: n for c, n in want.items() if n}
        assert "This file was produced by samtools stats" in open(st).read()
    before = sorted(tmp_path.rglob("*"))
    o2 = [str(tmp_path / f"x{i}") for i in range(5)]
    coverage.run_coverage_batch(coverage_job(root, ["N01"], bams[:1], tbins, abins,
                                             [[o2[0]], [o2[1]], [o2[2]], [o2[3]], [], [o2[4]]]))
    # without out_stats: the five outputs and nothing else (no samtools stats pass)
    assert sorted(set(tmp_path.rglob("*")) - set(before)) == sorted(tmp_path / f"x{i}" for i in range(5))


def test_par_table_is_cnvkits(root):
    from skgenome.genomebuild import get_genome_build

    from ikzf1cnv import annotation
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    for r in par.itertuples():
        assert tuple(get_genome_build(r.genome).par_regions[r.region]) == (r.start, r.end)


@pytest.mark.parametrize("sample", ["T05", "T07", "N02"])
def test_fix_fast_equals_cnvkit_fix_byte_for_byte(root, tmp_path, sample):
    """Our fix on plain tables gives CNVkit's .cnr: same rows, log2, depth and weight, same bytes."""
    from skgenome import tabio

    from ikzf1cnv import annotation, coverage
    tbins, abins = str(tmp_path / "t.bed"), str(tmp_path / "a.bed")
    coverage.run_bins(bins_job(root, tbins, abins))
    cnn = {}
    for n in ("N01", "N03", "N04", sample):
        t, a = cnv.bin_coverages([tbins, abins], str(root / "resources" / "toy" / "bams" / f"{n}.bam"), 0)
        cnn[n] = (str(tmp_path / f"{n}.t.cnn"), str(tmp_path / f"{n}.a.cnn"))
        cnv.write_cnn(t, cnn[n][0])
        cnv.write_cnn(a, cnn[n][1])
    ref = str(tmp_path / "ref.cnn")
    normals = ("N01", "N03", "N04")
    tabio.write(cnv.build_reference([cnn[n][0] for n in normals], [cnn[n][1] for n in normals], "grch38", False,
                                    None), ref)
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    ours = cnv.fix_fast(*cnn[sample], cnv.read_cnn(ref), par[par["genome"] == "grch38"])
    theirs = cnv.fix(*cnn[sample], ref, "grch38", False, False)
    cnv.write_cnn(ours, tmp_path / "ours.cnr")
    tabio.write(theirs, str(tmp_path / "theirs.cnr"))
    assert len(ours) > 1000 and (ours["chromosome"] == "chrX").any()
    assert (tmp_path / "ours.cnr").read_bytes() == (tmp_path / "theirs.cnr").read_bytes()
    # and where it does not apply (edge correction, chrY bins), fix_table falls back to cnvlib
    assert not cnv.fast_fix_applies(True, False, ours)
    assert not cnv.fast_fix_applies(False, False, ours.assign(chromosome="chrY"))


def test_whole_genome_mode_has_no_offtarget_bins_and_still_counts(root, tmp_path):
    """Whole-genome mode writes an empty antitarget BED; reading it must not turn the bins'
    coordinates into objects (the whole-genome run crashed in bin_coverages)."""
    _bed(tmp_path / "t.bed", [("chr7", 50304700, 50305000, "IKZF1")])
    (tmp_path / "a.bed").write_text("")
    bam = str(root / "resources" / "toy" / "bams" / "T01.bam")
    t, a = cnv.bin_coverages([str(tmp_path / "t.bed"), str(tmp_path / "a.bed")], bam, 0)
    assert len(a) == 0 and len(t) == 1 and t["depth"].iloc[0] > 10


def test_aligned_bases_by_hand_and_against_a_per_base_sum():
    # reads [0,10) and [5,25); bins [0,5) [5,10) [10,30) [40,50): 5, 5+5, 15, 0 bases
    assert cnv.aligned_bases([0, 5], [10, 25], [0, 5, 10, 40], [5, 10, 30, 50]).tolist() == [5, 10, 15, 0]
    rng = np.random.default_rng(1)
    st = rng.integers(0, 5000, 3000)
    en = st + rng.integers(1, 300, 3000)
    bs = np.sort(rng.integers(0, 5200, 200))
    be = bs + rng.integers(1, 400, 200)
    depth = np.zeros(6000, dtype=np.int64)
    for a, b in zip(st, en):
        depth[a:b] += 1
    assert cnv.aligned_bases(st, en, bs, be).tolist() == [int(depth[a:b].sum()) for a, b in zip(bs, be)]


def test_fetch_regions_join_near_bins_and_split_far_ones():
    r = cnv.fetch_regions([0, 100, 50_000, 50_100, 200_000], [100, 30_000, 50_100, 50_200, 200_500], gap=10_000)
    assert r == [(0, 30_000, 0, 2), (50_000, 50_200, 2, 4), (200_000, 200_500, 4, 5)]
    assert cnv.fetch_regions([], []) == []



# ------------------------------------------------------------------ contig naming, CRAM
def ensembl_copy(src, dst):
    """The same reads under Ensembl contig names (chr7 -> 7, chrM -> MT), as many clinical
    pipelines write them."""
    with pysam.AlignmentFile(str(src)) as fh:
        hdr = fh.header.to_dict()
        for sq in hdr["SQ"]:
            sq["SN"] = "MT" if sq["SN"] == "chrM" else sq["SN"].removeprefix("chr")
        with pysam.AlignmentFile(str(dst), "wb", header=hdr) as out:
            for r in fh.fetch(until_eof=True):
                out.write(r)
    pysam.index(str(dst))
    return str(dst)


def cram_copy(src, dst, fasta=None):
    """A CRAM of a BAM: against `fasta`, or reference-free (no_ref: decodes without one)."""
    args = ["-C", "-o", str(dst)] + (["-T", str(fasta)] if fasta else ["--output-fmt-option", "no_ref=1"])
    pysam.view(*args, str(src), catch_stdout=False)
    pysam.index(str(dst))
    return str(dst)


def test_contig_names_ucsc_and_ensembl():
    build = {"chr1": 100, "chr7": 200, "chrM": 16, "chrX": 50}
    assert inputs.contig_names(build, {"chr1": 100, "chr7": 200}) == {"chr1": "chr1", "chr7": "chr7"}
    assert inputs.contig_names(build, {"1": 100, "7": 200, "MT": 16, "X": 50}) == \
        {"chr1": "1", "chr7": "7", "chrM": "MT", "chrX": "X"}
    assert inputs.contig_names(build, {"scaffold_1": 5}) == {}


def test_ensembl_named_and_cram_copies_give_the_same_coverage(root, tmp_path):
    """Ensembl names are mapped once, where reads are read: the tables keep the build's
    names and numbers. A reference-free CRAM decodes without a FASTA."""
    from ikzf1cnv import annotation
    bam = root / "resources" / "toy" / "bams" / "T01.bam"
    tgt, anti = cnv.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 1_000_000)
    t = tgt.data.rename(columns={"chromosome": "chromosome"})[cnv.BIN_COLS]
    a = anti.data[cnv.BIN_COLS]
    ref_t, ref_a = cnv.bin_coverages([t, a], str(bam), 0)
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    ens = ensembl_copy(bam, tmp_path / "T01.ens.bam")
    facts = inputs.check_bam("T01", ens, hg38, "hg38", {"hg19": hg19})
    assert facts["contig_naming"] == "ensembl" and facts["contig_names"]["chr7"] == "7"
    assert facts["contigs_checked"] == len(hg38)
    cram = cram_copy(bam, tmp_path / "T01.cram")
    cf = inputs.check_bam("T01", cram, hg38, "hg38", {"hg19": hg19})
    assert cf["format"] == "CRAM" and cf["contig_naming"] == "ucsc"
    for path, names in ((ens, facts["contig_names"]), (cram, None)):
        got_t, got_a = cnv.bin_coverages([t, a], path, 0, contig_names=names)
        assert got_t.equals(ref_t) and got_a.equals(ref_a)


def test_cram_without_its_reference_is_a_clear_error(tmp_path):
    from pathlib import Path
    """A CRAM written against a FASTA needs it to decode: without `fasta` the check says so
    (and never downloads the reference from the EBI); with it, the reads are there."""
    fa = tmp_path / "ref.fa"
    rng = np.random.default_rng(0)
    seq = "".join(rng.choice(list("ACGT"), 10_000))
    fa.write_text(">chr1\n" + "\n".join(seq[i:i + 60] for i in range(0, 10_000, 60)) + "\n")
    pysam.faidx(str(fa))
    bam = tmp_path / "s.bam"
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr1", "LN": 10_000}]}
    with pysam.AlignmentFile(str(bam), "wb", header=header) as fh:
        for i in range(50):
            r = pysam.AlignedSegment(fh.header)
            r.query_name, r.reference_id, r.reference_start, r.mapping_quality = f"r{i}", 0, 100 * i, 60
            r.cigartuples, r.query_sequence = [(0, 100)], seq[100 * i:100 * i + 100]
            fh.write(r)
    pysam.index(str(bam))
    cram = cram_copy(bam, tmp_path / "s.cram", fasta=fa)
    # the header's UR names the FASTA's path: move it, as when a CRAM comes from elsewhere
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for f in (fa, Path(str(fa) + ".fai")):
        f.rename(moved / f.name)
    fa = moved / "ref.fa"
    with pytest.raises(inputs.InputError, match="CRAM whose reference is not available.*Fix: set `fasta`"):
        inputs.check_bam("S1", cram, {"chr1": 10_000}, "hg38", {})
    facts = inputs.check_bam("S1", cram, {"chr1": 10_000}, "hg38", {}, fasta=str(fa))
    assert facts["format"] == "CRAM" and facts["read_length"] == 100
    t, = cnv.bin_coverages([_bin_table([("chr1", 0, 1000, "A")])], cram, 0, reference=str(fa))
    assert t["depth"].tolist() == [1.0]


def _bin_table(rows):
    import pandas as pd
    return pd.DataFrame(rows, columns=cnv.BIN_COLS)
