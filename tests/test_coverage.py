"""Bin coverage: our one pass through the index equals CNVkit's coverage, and counts what it should."""
import numpy as np
import pysam
import pytest

from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.cnvkit import bins as cnvkit_bins, fast_fix, fix, io as cnn_io, reference as cnvkit_reference
from ikzf1cnv.core import constants, errors
from ikzf1cnv.inputs import bam as bam_check
from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
from ikzf1cnv.reads import binning, coverage as bam_coverage, passes
from ikzf1cnv.stages import plan


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
    tc, ac = bam_coverage.bin_coverages([t, a], bam, PassSettings(min_mapq=0))
    assert list(tc["gene"]) == ["A", "B"]            # chrZ is not in the BAM: dropped
    assert tc["depth"].tolist() == [1.0, 0.0]         # (50 + 50) bases / 100 bp; none
    assert tc["log2"].tolist() == [0.0, constants.NULL_LOG2]
    assert ac["depth"].tolist() == [0.4]
    tq, _ = bam_coverage.bin_coverages([t, a], bam, PassSettings(min_mapq=10))
    assert tq["depth"].tolist() == [0.5, 0.0] and tq["log2"].tolist()[0] == -1.0
    assert list(tmp_path.glob("tmp*")) == []          # its temporary BED is removed


@pytest.mark.parametrize("sequential", [True, False], ids=["sequential", "index"])
@pytest.mark.parametrize("sample", ["N01", "T05"])
def test_equals_cnvkit_coverage_on_toy_bams(root, tmp_path, sample, sequential):
    """The same numbers (and, written, the same bytes) as cnvlib's coverage of the same bins,
    from the sequential pass (panels) and through the index (whole-genome mode)."""
    from cnvlib import coverage
    from skgenome import tabio

    units = tmp_path / "bins.bed"
    # a slice of real bins: the toy panel's IKZF1 targets split as the workflow splits them
    tgt, anti = cnvkit_bins.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 1_000_000)
    tabio.write(tgt, str(units), "bed4")
    anti_bed = tmp_path / "anti.bed"
    tabio.write(anti, str(anti_bed), "bed4")
    bam = str(root / "resources" / "toy" / "bams" / f"{sample}.bam")
    ours_t, ours_a = bam_coverage.bin_coverages([str(units), str(anti_bed)], bam, PassSettings(min_mapq=0, sequential=sequential))
    for ours, bed in ((ours_t, units), (ours_a, anti_bed)):
        theirs = coverage.interval_coverages(str(bed), bam, by_count=False, min_mapq=0, processes=1).data
        assert len(ours) == len(theirs) > 100
        assert np.array_equal(ours["start"].to_numpy(), theirs["start"].to_numpy())
        assert np.allclose(ours["depth"], theirs["depth"], rtol=0, atol=1e-12)
        assert np.allclose(ours["log2"], theirs["log2"], rtol=0, atol=1e-12)
        cnn_io.write_cnn(ours, tmp_path / "ours.cnn")
        tabio.write(coverage.interval_coverages(str(bed), bam, False, 0, 1), str(tmp_path / "theirs.cnn"))
        assert (tmp_path / "ours.cnn").read_bytes() == (tmp_path / "theirs.cnn").read_bytes()


@pytest.mark.parametrize("n,size", [(18, 10), (14, 10), (10, 10), (1, 10), (23, 5), (0, 10), (1000, 10)])
def test_batches_hold_every_sample_once_in_about_n_over_size_jobs(n, size):
    names = [f"S{i:02d}" for i in range(n)]
    b = plan.batches(names, size, "coverage_")
    assert sorted(x for v in b.values() for x in v) == sorted(names)      # every sample once
    assert all(v == sorted(v) for v in b.values())
    buckets = 1 << max(0, (max(n, 1) - 1) // size).bit_length()   # the power of two >= n / size
    assert len(b) <= buckets and (n == 0 or len(b) >= buckets // 2)
    if n >= 1000:  # hashing spreads them: no batch more than twice its share
        assert max(len(v) for v in b.values()) <= 2 * n / buckets


def test_an_added_tumour_moves_no_other_sample_between_batches():
    names = [f"P{i:03d}" for i in range(37)]
    before = plan.batches(names, 10, "call_")
    after = plan.batches(names + ["P999"], 10, "call_")
    changed = [k for k in after if after[k] != before.get(k)]
    assert len(changed) == 1 and "P999" in after[changed[0]]
    assert set(after[changed[0]]) - {"P999"} == set(before.get(changed[0], []))


def test_batch_keys_widen_past_999():
    b = plan.batches([str(i) for i in range(1500)], 1, "c")
    assert list(b)[0].startswith("c") and len(list(b)[0]) == 5 and len(b) > 900


def coverage_job(root, samples, bams, tbins, abins, o):
    """The coverage stage's job as its rule would name it (outputs o: target, antitarget,
    bam.json, idxstats, stats (empty: none), junctions; one entry a sample)."""
    res = root / "resources"
    return coverage_stage.CoverageBatch.from_names({
        "sample": samples, "bam": bams, "bai": [b + ".bai" for b in bams], "target_bins": tbins,
        "antitarget_bins": abins, "hg38_contigs": str(res / "hg38" / "contigs.tsv"),
        "hg19_contigs": str(res / "hg19" / "contigs.tsv"), "fasta": [], "genome": "hg38", "min_mapq": 0,
        "junction_settings": {"min_clip": 20, "min_insert": 1000, "pair_window": 500, "tolerance": 5},
        "on_sample_error": "continue", "sequential": True, "target_coverage": o[0], "antitarget_coverage": o[1],
        "bam_info": o[2], "idxstats": o[3], "stats": o[4], "junctions": o[5]})


def bins_job(root, tbins, abins):
    """The bins stage's job of the toy panel as its rule would name it."""
    return bins_stage.BinsJob.from_names({
        "targets": str(root / "resources" / "toy" / "panel_hg38.bed"), "exons": [], "contigs": [], "rules": [],
        "target_avg_size": 267, "antitarget_avg_size": 1_000_000, "wgs": {}, "target_bins": tbins,
        "antitarget_bins": abins})


def test_coverage_batch_writes_idxstats_and_optional_samtools_stats(root, tmp_path):
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage

    tbins, abins = str(tmp_path / "t.bed"), str(tmp_path / "a.bed")
    _bed(tmp_path / "t.bed", [("chr7", 50304700, 50305000, "IKZF1")])
    _bed(tmp_path / "a.bed", [("chr1", 0, 1_000_000, "Antitarget")])
    bams = [str(root / "resources" / "toy" / "bams" / f"{s}.bam") for s in ("N01", "T01")]
    o = {k: [str(tmp_path / f"{s}.{k}") for s in ("N01", "T01")] for k in ("t", "a", "json", "idx", "stats", "jx")}
    coverage_stage.run(coverage_job(root, ["N01", "T01"], bams, tbins, abins,
                                             [o["t"], o["a"], o["json"], o["idx"], o["stats"], o["jx"]]))
    for bam, idx, st in zip(bams, o["idx"], o["stats"]):
        with pysam.AlignmentFile(bam) as fh:
            want = {s.contig: s.mapped for s in fh.get_index_statistics()}
        got = {line.split("\t")[0]: int(line.split("\t")[2]) for line in open(idx) if not line.startswith("*")}
        assert {c: n for c, n in got.items() if n} == {c: n for c, n in want.items() if n}
        assert "This file was produced by samtools stats" in open(st).read()
    before = sorted(tmp_path.rglob("*"))
    o2 = [str(tmp_path / f"x{i}") for i in range(5)]
    coverage_stage.run(coverage_job(root, ["N01"], bams[:1], tbins, abins,
                                             [[o2[0]], [o2[1]], [o2[2]], [o2[3]], [], [o2[4]]]))
    # without out_stats: the five outputs and nothing else (no samtools stats pass)
    assert sorted(set(tmp_path.rglob("*")) - set(before)) == sorted(tmp_path / f"x{i}" for i in range(5))


def test_par_table_is_cnvkits(root):
    from skgenome.genomebuild import get_genome_build

    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    for r in par.itertuples():
        assert tuple(get_genome_build(r.genome).par_regions[r.region]) == (r.start, r.end)


@pytest.mark.parametrize("sample", ["T05", "T07", "N02"])
def test_fix_fast_equals_cnvkit_fix_byte_for_byte(root, tmp_path, sample):
    """Our fix on plain tables gives CNVkit's .cnr: same rows, log2, depth and weight, same bytes."""
    from skgenome import tabio

    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    tbins, abins = str(tmp_path / "t.bed"), str(tmp_path / "a.bed")
    bins_stage.run(bins_job(root, tbins, abins))
    cnn = {}
    for n in ("N01", "N03", "N04", sample):
        t, a = bam_coverage.bin_coverages([tbins, abins], str(root / "resources" / "toy" / "bams" / f"{n}.bam"), PassSettings(min_mapq=0))
        cnn[n] = (str(tmp_path / f"{n}.t.cnn"), str(tmp_path / f"{n}.a.cnn"))
        cnn_io.write_cnn(t, cnn[n][0])
        cnn_io.write_cnn(a, cnn[n][1])
    ref = str(tmp_path / "ref.cnn")
    normals = ("N01", "N03", "N04")
    tabio.write(cnvkit_reference.build_reference([cnn[n][0] for n in normals], [cnn[n][1] for n in normals], "grch38", False,
                                    None), ref)
    par = annotation.read_tsv(root / "resources" / "cnvkit_par_regions.tsv")
    ours = fast_fix.fix_fast(*cnn[sample], cnn_io.read_cnn(ref), par[par["genome"] == "grch38"])
    theirs = fix.fix(*cnn[sample], ref, "grch38", False, False)
    cnn_io.write_cnn(ours, tmp_path / "ours.cnr")
    tabio.write(theirs, str(tmp_path / "theirs.cnr"))
    assert len(ours) > 1000 and (ours["chromosome"] == "chrX").any()
    assert (tmp_path / "ours.cnr").read_bytes() == (tmp_path / "theirs.cnr").read_bytes()
    # and where it does not apply (edge correction, chrY bins), fix_table falls back to cnvlib
    assert not fix.fast_fix_applies(True, False, ours)
    assert not fix.fast_fix_applies(False, False, ours.assign(chromosome="chrY"))


def test_whole_genome_mode_has_no_offtarget_bins_and_still_counts(root, tmp_path):
    """Whole-genome mode writes an empty antitarget BED; reading it must not turn the bins'
    coordinates into objects (the whole-genome run crashed in bin_coverages)."""
    _bed(tmp_path / "t.bed", [("chr7", 50304700, 50305000, "IKZF1")])
    (tmp_path / "a.bed").write_text("")
    bam = str(root / "resources" / "toy" / "bams" / "T01.bam")
    t, a = bam_coverage.bin_coverages([str(tmp_path / "t.bed"), str(tmp_path / "a.bed")], bam, PassSettings(min_mapq=0))
    assert len(a) == 0 and len(t) == 1 and t["start"].dtype.kind == "i"
    # its depth is the bin's per-base depth of the counted reads, by hand from pysam's reads
    depth = np.zeros(300, dtype=np.int64)
    with pysam.AlignmentFile(bam) as fh:
        for r in fh.fetch("chr7", 50304700, 50305000):
            if not r.flag & 0x704:
                depth[max(r.reference_start - 50304700, 0):max(r.reference_end - 50304700, 0)] += 1
    assert depth.sum() > 0 and t["depth"].iloc[0] == pytest.approx(depth.sum() / 300, abs=1e-9, rel=0)


def test_aligned_bases_by_hand_and_against_a_per_base_sum():
    # reads [0,10) and [5,25); bins [0,5) [5,10) [10,30) [40,50): 5, 5+5, 15, 0 bases
    assert binning.aligned_bases([0, 5], [10, 25], [0, 5, 10, 40], [5, 10, 30, 50]).tolist() == [5, 10, 15, 0]
    rng = np.random.default_rng(1)
    st = rng.integers(0, 5000, 3000)
    en = st + rng.integers(1, 300, 3000)
    bs = np.sort(rng.integers(0, 5200, 200))
    be = bs + rng.integers(1, 400, 200)
    depth = np.zeros(6000, dtype=np.int64)
    for a, b in zip(st, en):
        depth[a:b] += 1
    assert binning.aligned_bases(st, en, bs, be).tolist() == [int(depth[a:b].sum()) for a, b in zip(bs, be)]


def test_fetch_regions_join_near_bins_and_split_far_ones():
    r = binning.fetch_regions([0, 100, 50_000, 50_100, 200_000], [100, 30_000, 50_100, 50_200, 200_500], gap=10_000)
    assert r == [(0, 30_000, 0, 2), (50_000, 50_200, 2, 4), (200_000, 200_500, 4, 5)]
    assert binning.fetch_regions([], []) == []



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
    assert bam_check.contig_names(build, {"chr1": 100, "chr7": 200}) == {"chr1": "chr1", "chr7": "chr7"}
    assert bam_check.contig_names(build, {"1": 100, "7": 200, "MT": 16, "X": 50}) == \
        {"chr1": "1", "chr7": "7", "chrM": "MT", "chrX": "X"}
    assert bam_check.contig_names(build, {"scaffold_1": 5}) == {}


def test_ensembl_named_and_cram_copies_give_the_same_coverage(root, tmp_path):
    """Ensembl names are mapped once, where reads are read: the tables keep the build's
    names and numbers. A reference-free CRAM decodes without a FASTA."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    bam = root / "resources" / "toy" / "bams" / "T01.bam"
    tgt, anti = cnvkit_bins.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 1_000_000)
    t = tgt.data.rename(columns={"chromosome": "chromosome"})[binning.BIN_COLS]
    a = anti.data[binning.BIN_COLS]
    ref_t, ref_a = bam_coverage.bin_coverages([t, a], str(bam), PassSettings(min_mapq=0))
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    ens = ensembl_copy(bam, tmp_path / "T01.ens.bam")
    facts = bam_check.check_bam("T01", ens, hg38, "hg38", {"hg19": hg19})
    assert facts["contig_naming"] == "ensembl" and facts["contig_names"]["chr7"] == "7"
    assert facts["contigs_checked"] == len(hg38)
    cram = cram_copy(bam, tmp_path / "T01.cram")
    cf = bam_check.check_bam("T01", cram, hg38, "hg38", {"hg19": hg19})
    assert cf["format"] == "CRAM" and cf["contig_naming"] == "ucsc"
    for path, names in ((ens, facts["contig_names"]), (cram, None)):
        for sequential in (False, True):   # the CRAM's sequential pass is pysam's, the BAM's bamscan's
            got_t, got_a = bam_coverage.bin_coverages([t, a], path, PassSettings(min_mapq=0, contig_names=names, sequential=sequential))
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
    with pytest.raises(errors.InputError, match="CRAM whose reference is not available.*Fix: set `fasta`"):
        bam_check.check_bam("S1", cram, {"chr1": 10_000}, "hg38", {})
    facts = bam_check.check_bam("S1", cram, {"chr1": 10_000}, "hg38", {}, fasta=str(fa))
    assert facts["format"] == "CRAM" and facts["read_length"] == 100
    t, = bam_coverage.bin_coverages([_bin_table([("chr1", 0, 1000, "A")])], cram, PassSettings(min_mapq=0, fasta=str(fa)))
    assert t["depth"].tolist() == [1.0]


def _bin_table(rows):
    import pandas as pd
    return pd.DataFrame(rows, columns=binning.BIN_COLS)


# ------------------------------------------------------------------ the sequential pass
def _reads_bam(path, reads, contigs={"chr1": 100_000, "chr2": 100_000, "chr3": 100_000}, paired=False):
    """A sorted, indexed BAM of (contig index, start, cigartuples, mapq, flag[, tags]) reads
    (contig -1: unplaced and unmapped, written last; tag "mate": the mate's fields, "name":
    the read's name)."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": n} for c, n in contigs.items()]}
    placed = sorted((r for r in reads if r[0] >= 0), key=lambda r: (r[0], r[1]))
    with pysam.AlignmentFile(str(path), "wb", header=header) as fh:
        for i, r in enumerate(placed + [r for r in reads if r[0] < 0]):
            ref, start, cigar, mapq, flag = r[:5]
            a = pysam.AlignedSegment(fh.header)
            a.query_name, a.reference_id, a.reference_start, a.mapping_quality, a.flag = f"r{i}", ref, start, mapq, flag
            a.cigartuples = cigar
            a.query_sequence = "A" * sum(n for op, n in cigar if op in (0, 1, 4, 7, 8))
            for k, v in (r[5] if len(r) > 5 else {}).items():
                if k == "mate":   # (contig index, start, template length)
                    a.next_reference_id, a.next_reference_start, a.template_length = v
                elif k == "name":
                    a.query_name = v
                else:
                    a.set_tag(k, v)
            fh.write(a)
    pysam.index(str(path))
    return str(path)


def _per_base(reads, bins, min_mapq):
    """The bedcov definition by hand: per-base depth of the counted reads (the reference span
    of each, deletions and skips included, clips not), summed over each bin."""
    out = []
    for chrom, s, e in bins:
        depth = np.zeros(100_000, dtype=np.int64)
        for ref, start, cigar, mapq, flag in (r[:5] for r in reads):
            if f"chr{ref + 1}" != chrom or flag & 0x704 or mapq < min_mapq:
                continue
            depth[start:start + sum(n for op, n in cigar if op in (0, 2, 3, 7, 8))] += 1
        out.append(depth[s:e].sum() / (e - s))
    return out


EDGE_READS = [
    (0, 950, [(0, 100)], 60, 0),                      # across the edge of bins A and B: 50 bases each
    (0, 1000, [(0, 100)], 60, 0),                     # B's first base to its 100th
    (0, 1099, [(0, 10)], 60, 0),                      # B's last base, then 9 past it
    (0, 990, [(4, 30), (0, 40), (2, 500), (0, 30)], 60, 0),   # clipped, a deletion over B's end: 570 bases of span
    (0, 2000, [(0, 50), (3, 3000), (0, 50)], 60, 0),  # a skip (N) through bin C: counted like a deletion
    (0, 2000, [(0, 30), (1, 20), (0, 30)], 60, 0),    # an insertion: not in the span
    (0, 1000, [(0, 100)], 60, 0x400),                 # duplicate, secondary, QC fail: never
    (0, 1000, [(0, 100)], 60, 0x100),
    (0, 1000, [(0, 100)], 60, 0x200),
    (0, 1000, [(0, 100)], 60, 0x4),                   # unmapped (placed at its mate): never
    (0, 1020, [(0, 100)], 3, 0),                      # low MAPQ: only when min_mapq <= 3
    (0, 1050, [(0, 100)], 60, 0x800),                 # supplementary: counted (bedcov does)
    (1, 5000, [(0, 100)], 60, 0),                     # chr2 has no bins: read, not counted
    (2, 40_000, [(0, 100)], 60, 0),                   # the off-target bin on chr3
    (2, 59_950, [(0, 100)], 60, 0),                   # half in it
    (-1, 0, [(4, 50)], 0, 0x4),                       # unplaced unmapped reads at the end
]
EDGE_BINS = ([("chr1", 900, 1000, "A"), ("chr1", 1000, 1100, "B"), ("chr1", 2500, 2600, "C")],
             [("chr3", 30_000, 60_000, "Antitarget")])


@pytest.mark.parametrize("min_mapq", [0, 10])
def test_sequential_pass_counts_every_base_of_every_counted_read_once(tmp_path, min_mapq):
    """Reads across bin edges, in two bins, with clips, deletions, skips and insertions;
    duplicate, secondary, QC-fail, unmapped and low-MAPQ reads left out; reads on a contig
    without bins and unplaced reads read past: by hand, through the index and in one pass
    (a chunk of 500 compressed bytes too, so records straddle chunks; and in threads)."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    bam = _reads_bam(tmp_path / "e.bam", EDGE_READS)
    t, a = (_bin_table(rows) for rows in EDGE_BINS)
    want = _per_base(EDGE_READS, [r[:3] for r in EDGE_BINS[0] + EDGE_BINS[1]], min_mapq)
    idx_t, idx_a = bam_coverage.bin_coverages([t, a], bam, PassSettings(min_mapq=min_mapq))
    assert idx_t["depth"].tolist() + idx_a["depth"].tolist() == pytest.approx(want, abs=0, rel=0)
    assert want[:3] == [(50 + 10) / 100, (50 + 100 + 1 + 100 + (min_mapq <= 3) * 80 + 50) / 100, 100 / 100]
    for threads, chunk, inflated in ((1, bgzf.CHUNK, bgzf.INFLATED), (1, 500, 2000), (3, 500, 2000)):
        old = bgzf.CHUNK, bgzf.INFLATED
        bgzf.CHUNK, bgzf.INFLATED = chunk, inflated
        try:
            seq_t, seq_a = bam_coverage.bin_coverages([t, a], bam, PassSettings(min_mapq=min_mapq, threads=threads, sequential=True))
        finally:
            bgzf.CHUNK, bgzf.INFLATED = old
        assert seq_t.equals(idx_t) and seq_a.equals(idx_a)


def test_bamscan_columns_equal_pysams(tmp_path):
    """Every record's fields as pysam reads them, over many chunks; the tags of RawRead too."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    rng = np.random.default_rng(3)
    reads = []
    for i in range(3000):
        cig = [[(0, 100)], [(4, 25), (0, 75)], [(0, 40), (2, 7), (0, 60)], [(5, 10), (0, 50), (1, 3), (0, 20), (4, 9)]][i % 4]
        tags = {"NM": int(i % 5), "MC": "100M", "XA": "chr1,+100,100M,0;", "ZB": [1, 2, 3]} if i % 3 else {}
        if i % 7 == 0:
            tags["SA"] = "chr1,5001,+,30S70M,60,0;"
        reads.append((int(rng.integers(0, 3)), int(rng.integers(0, 90_000)), cig, int(rng.integers(0, 61)),
                      int(rng.choice([0, 16, 0x400, 1 | 2 | 32 | 64, 1 | 16 | 128])), tags))
    bam = _reads_bam(tmp_path / "m.bam", reads)
    old = bgzf.CHUNK, bgzf.INFLATED
    bgzf.CHUNK, bgzf.INFLATED = 2000, 20000   # many chunks: records cut at chunk ends
    try:
        batches = list(records.scan(bam))
    finally:
        bgzf.CHUNK, bgzf.INFLATED = old
    assert len(batches) > 10
    with pysam.AlignmentFile(bam) as fh:
        want = list(fh.fetch(until_eof=True))
    got = [(b, i) for b in batches for i in range(len(b.off))]
    assert len(got) == len(want) == 3000
    for (b, i), w in zip(got, want):
        assert (int(b.refid[i]), int(b.pos[i]), int(b.end[i]), int(b.mapq[i]), int(b.flag[i])) == \
            (w.reference_id, w.reference_start, w.reference_end, w.mapping_quality, w.flag)
        r = b.read(i)
        assert (r.query_name, r.cigartuples, r.query_length, r.is_reverse) == \
            (w.query_name, w.cigartuples, w.query_length, w.is_reverse)
        assert {k: r.get_tag(k) for k in ("NM", "MC", "XA", "ZB", "SA") if r.has_tag(k)} == \
            {k: (list(w.get_tag(k)) if k == "ZB" else w.get_tag(k)) for k in ("NM", "MC", "XA", "ZB", "SA")
             if w.has_tag(k)}
        assert b.end_clips(20)[i] == any(op == 4 and n >= 20 for op, n in (w.cigartuples[:1] + w.cigartuples[-1:]))


def test_bamscan_reads_a_cigar_kept_in_its_cg_tag(tmp_path):
    """A read of more than 65,535 CIGAR operations keeps them in a CG tag (htslib writes it
    so): its span and clips come from the tag."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    cig = [(4, 25)] + [(0, 1), (2, 1)] * 40_000 + [(0, 10)]
    bam = _reads_bam(tmp_path / "cg.bam", [(0, 1000, cig, 60, 0), (0, 2000, [(0, 100)], 60, 0)],
                     contigs={"chr1": 200_000})
    recs = next(records.scan(bam))
    with pysam.AlignmentFile(bam) as fh:
        want = [r.reference_end for r in fh.fetch(until_eof=True)]
    assert recs.end.tolist() == want == [1000 + 80_010, 2100]
    assert recs.end_clips(20).tolist() == [True, False] and recs.read(0).cigartuples == cig
    t, = bam_coverage.bin_coverages([_bin_table([("chr1", 0, 200_000, "A")])], bam, PassSettings(min_mapq=0, sequential=True))
    assert t["depth"].iloc[0] == (80_010 + 100) / 200_000


def test_bamscan_a_bam_cut_short_is_an_error_naming_it(tmp_path):
    """A copy cut short (inside a block, or at a block's end inside a record) is an OSError
    whose message says truncated (coverage.failure_reason words it for the user)."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    bam = _reads_bam(tmp_path / "c.bam", [(0, i * 10, [(0, 100)], 60, 0) for i in range(5000)])
    data = open(bam, "rb").read()
    for cut in (len(data) // 2, len(data) - 28 - 5):   # mid-file; the last data block's end cut
        bad = tmp_path / f"cut{cut}.bam"
        bad.write_bytes(data[:cut])
        with pytest.raises(OSError, match="truncated"):
            for _ in records.scan(str(bad)):
                pass
        assert "truncated or corrupt" in coverage_stage.failure_reason("S", str(bad), bgzf.BamError("x truncated"))
    (tmp_path / "junk.bam").write_bytes(b"\x1f\x8b\x08\x04" + b"\0" * 40)
    with pytest.raises(OSError):
        for _ in records.scan(str(tmp_path / "junk.bam")):
            pass


def _junction_bam(path):
    """Pairs on chr1: proper pairs, discordant pairs (a 5 kb deletion between mates), a pair
    whose mate is on chr2, split reads (primary with an SA tag, supplementary), duplicates."""
    reads = []
    for k in range(200):                                   # proper pairs, fragments 300 + k % 50
        s = 1000 + 37 * k
        f = 300 + k % 50
        reads.append((0, s, [(0, 100)], 60, 1 | 2 | 32 | 64, {"MC": "100M", "mate": (0, s + f - 100, f), "name": f"p{k}"}))
        reads.append((0, s + f - 100, [(0, 100)], 60, 1 | 2 | 16 | 128, {"MC": "100M", "mate": (0, s, -f),
                                                                           "name": f"p{k}"}))
    for k in range(4):                                     # discordant pairs over 20,000-25,000
        a, b = 19_700 + 10 * k, 25_100 + 10 * k
        reads.append((0, a, [(0, 100)], 60, 1 | 32 | 64, {"MC": "100M", "mate": (0, b, b + 100 - a), "name": f"d{k}"}))
        reads.append((0, b, [(0, 100)], 60, 1 | 16 | 128, {"MC": "100M", "mate": (0, a, a - b - 100), "name": f"d{k}"}))
    reads.append((0, 19_000, [(0, 100)], 60, 1 | 32 | 64, {"MC": "100M", "mate": (1, 500, 0)}))   # mate on chr2
    for k in range(3):                                     # split reads: 20,000 | 25,000
        reads.append((0, 19_930 + k, [(0, 70 - k), (4, 30 + k)], 60, 0,
                      {"SA": f"chr1,25001,+,{70 - k}S{30 + k}M,60,0;"}))
        reads.append((0, 25_000, [(5, 70 - k), (0, 30 + k)], 60, 0x800, {"SA": f"chr1,{19_931 + k},+,{70 - k}M{30 + k}S,60,0;"}))
    reads.append((0, 19_931, [(0, 70), (4, 30)], 60, 0x400, {"SA": "chr1,25001,+,70S30M,60,0;"}))   # duplicate
    reads.append((0, 19_932, [(0, 70), (4, 30)], 2, 0, {"SA": "chr1,25001,+,70S30M,60,0;"}))        # MAPQ 2
    return _reads_bam(path, reads)


@pytest.mark.parametrize("min_mapq", [0, 10])
def test_both_passes_collect_the_same_junction_reads_as_offering_every_read(tmp_path, min_mapq):
    """The sequential pass offers the collector only reads that could change it (end clips,
    pairs that are not proper, proper pairs' first reads as fragment lengths); the index
    pass a few more. Both collect what offering it every read through the filters does."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    bam = _junction_bam(tmp_path / "j.bam")
    bins = _bin_table([("chr1", 500, 40_000, "A")])
    every = junction_reads.JunctionReads(20, 1000)
    with pysam.AlignmentFile(bam) as fh:
        for r in fh.fetch("chr1", 500, 40_000):
            if not (r.flag & binning.EXCLUDE_FLAGS or r.mapping_quality < min_mapq):
                every.add(r, "chr1")
    assert len(every.split) == 3 + (min_mapq <= 2) and len(every.pairs) == 4 and len(every.fragments) == 200
    for seq in (True, False):
        jr = junction_reads.JunctionReads(20, 1000)
        t, = bam_coverage.bin_coverages([bins], bam, PassSettings(min_mapq=min_mapq, sequential=seq), junction_reads=jr)
        assert (sorted(jr.split), sorted(jr.pairs), sorted(jr.fragments)) == \
            (sorted(every.split), sorted(every.pairs), sorted(every.fragments))
        jx = junction_reads.junctions_of(jr, 5, 500)
        assert len(jx) == 1 and jx[["left", "right"]].iloc[0].tolist() == [20_000, 25_000]
    # the fragment sample stops at max_fragments in both
    for seq in (True, False):
        jr = junction_reads.JunctionReads(20, 1000, max_fragments=50)
        bam_coverage.bin_coverages([bins], bam, PassSettings(min_mapq=min_mapq, sequential=seq), junction_reads=jr)
        assert len(jr.fragments) == 50


def test_sequential_pass_reads_junctions_only_in_the_bins_regions(tmp_path):
    """As through the index: junction reads farther than FETCH_GAP from every bin are not
    collected (their contig has bins or not)."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    bam = _junction_bam(tmp_path / "j.bam")
    far = _bin_table([("chr1", 60_000, 61_000, "A"), ("chr2", 0, 1000, "B")])
    for seq in (True, False):
        jr = junction_reads.JunctionReads(20, 1000)
        bam_coverage.bin_coverages([far], bam, PassSettings(min_mapq=0, sequential=seq), junction_reads=jr)
        assert jr.split == [] and jr.pairs == [] and jr.fragments == []


@pytest.mark.parametrize("sample", ["N01", "T05"])
def test_sequential_pass_equals_the_index_pass_on_toy_bams_in_threads(root, sample):
    """The toy panel's bins (targets and off-target bins) and junction reads: the same from
    one pass in 2 threads as through the index."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    tgt, anti = cnvkit_bins.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 150_000)
    bins = [tgt.data[binning.BIN_COLS], anti.data[binning.BIN_COLS]]
    bam = str(root / "resources" / "toy" / "bams" / f"{sample}.bam")
    out = []
    for seq, threads in ((False, 1), (True, 2)):
        jr = junction_reads.JunctionReads(20, 1000)
        out.append((bam_coverage.bin_coverages(bins, bam, PassSettings(min_mapq=0, threads=threads, sequential=seq), junction_reads=jr), jr))
    (it, ia), ij = out[0]
    (st, sa), sj = out[1]
    assert it.equals(st) and ia.equals(sa) and len(sa) > 10_000
    assert sorted(ij.split) == sorted(sj.split) and sorted(ij.pairs) == sorted(sj.pairs)


@pytest.mark.parametrize("chunk", [1 << 22, 300])
def test_index_scan_reads_what_the_pysam_index_pass_reads(tmp_path, chunk):
    """Whole-genome mode parses each fetch region's reads with bamscan from the offset the
    index gives (_index_scan): the same coverage and junction reads as pysam's fetch of
    every region (_index_pass, kept for CRAM), on regions far apart (each its own fetch),
    the first and last bases of contigs, reads reaching into a region from before it (a
    long deletion), regions without reads, reads between regions, discordant pairs, and
    records straddling the reads of the file (`chunk`: compressed bytes a read grows to)."""
    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    rng = np.random.default_rng(7)
    reads = []
    for ref in range(3):
        for start in np.sort(rng.integers(0, 99_900, 3000)):
            flag = int(rng.choice([0, 0, 0, 16, 0x400, 0x100, 0x4]))
            reads.append((ref, int(start), [(0, 100)], int(rng.integers(0, 61)), flag))
    reads.append((0, 20_000, [(0, 50), (2, 5000), (0, 50)], 60, 0))       # a deletion into the region at 25 kb
    reads.append((1, 99_990, [(0, 10)], 60, 0))                            # the contig's last bases
    reads += [(0, 30_200 + i, [(0, 100)], 60, 1 | 32 | 64, {"mate": (0, 38_000, 7900), "name": f"p{i}"})
              for i in range(6)]
    reads += [(-1, 0, [(4, 50)], 0, 0x4)] * 3
    bam = _reads_bam(tmp_path / "w.bam", reads)
    rows = [("chr1", 0, 1000, "-"), ("chr1", 25_000, 26_000, "-"), ("chr1", 30_000, 31_000, "-"),
            ("chr1", 31_000, 32_000, "-"), ("chr1", 60_000, 61_000, "-"), ("chr2", 99_000, 100_000, "-"),
            ("chr3", 0, 50, "-"), ("chr3", 50_000, 50_100, "-")]
    bins = _bin_table(rows)
    out = {}
    for kind in ("scan", "pysam"):
        jr = junction_reads.JunctionReads(20, 1000)
        old, old_scan = records.READ_MOST, passes.index_scan
        records.READ_MOST = chunk
        if kind == "pysam":
            passes.index_scan = lambda fh, bam_, *rest: passes.index_pass(fh, *rest)
        try:
            for mapq in (0, 30):
                t, = bam_coverage.bin_coverages([bins], bam, PassSettings(min_mapq=mapq), junction_reads=jr if mapq == 0 else None)
                out[kind, mapq] = t
        finally:
            records.READ_MOST, passes.index_scan = old, old_scan
        out[kind, "j"] = (sorted(jr.split), sorted(jr.pairs), sorted(jr.fragments))
    for mapq in (0, 30):
        assert out["scan", mapq].equals(out["pysam", mapq])
    assert out["scan", "j"] == out["pysam", "j"] and len(out["scan", "j"][1]) == 6   # (split reads: the test above)
    # by hand (the deletion read from 20,000 spans 5,100 bases: 100 of them in the bin at 25 kb)
    want = _per_base([r for r in reads if r[0] >= 0], [r[:3] for r in rows], 0)
    assert out["scan", 0]["depth"].tolist() == pytest.approx(want, abs=0, rel=0)


@pytest.mark.parametrize("sample", ["N01", "T05"])
def test_both_inflate_engines_give_the_same_coverage(root, sample):
    """zlib (the pip default) and ISA-L (the `fast` extra, installed with the test extra):
    the same coverage of the toy panel's bins, and the same on the edge-case BAM."""
    import zlib

    from ikzf1cnv.core import annotation
    from ikzf1cnv.reads import bgzf, junction_reads, records
    from ikzf1cnv.stages import bins as bins_stage, coverage as coverage_stage
    isal = pytest.importorskip("isal.isal_zlib")
    tgt, anti = cnvkit_bins.make_bins(str(root / "resources" / "toy" / "panel_hg38.bed"), 267, 150_000)
    bins = [tgt.data[binning.BIN_COLS], anti.data[binning.BIN_COLS]]
    bam = str(root / "resources" / "toy" / "bams" / f"{sample}.bam")
    out = {}
    old = bgzf._z
    try:
        for name, engine in (("zlib", zlib), ("isal", isal)):
            bgzf._z = engine
            out[name] = bam_coverage.bin_coverages(bins, bam, PassSettings(min_mapq=0, sequential=True))
    finally:
        bgzf._z = old
    assert out["zlib"][0].equals(out["isal"][0]) and out["zlib"][1].equals(out["isal"][1])
    assert out["zlib"][0]["depth"].sum() > 0


# reads without aligned bases (htslib's test/xx#minimal.sam has such reads: 10H, 5H0M5H,
# 0H, 0I, 0D, 0M, 0P) and zero-length operations between aligned ones; htslib's fetch
# finds a read without aligned bases at its first base (bam_endpos: pos + 1), bedcov
# counts no base of it
NO_BASES = [[(5, 10)], [(5, 5), (0, 0), (5, 5)], [(5, 0)], [(1, 0)], [(2, 0)], [(0, 0)], [(6, 0)], [(4, 20)],
            [(1, 5)], []]
ZERO_OPS = [[(5, 5), (1, 0), (0, 10), (2, 0), (5, 5)], [(0, 20), (2, 0), (0, 30)], [(0, 0), (0, 20)],
            [(0, 20), (3, 0), (0, 10)], [(0, 10), (6, 0), (0, 10)], [(4, 0), (0, 15), (4, 0)]]
ZERO_READS = (
    [(0, 1000, c, 60, 16) for c in NO_BASES]                  # each its region's first reads (chr1 at 1 kb)
    + [(0, 1000, c, 60, 16) for c in ZERO_OPS]
    + [(0, 1005, [(0, 50)], 60, 0), (0, 1099, [(0, 0)], 60, 0), (0, 1100, [(0, 0)], 60, 0)]
    + [(0, 19_999, c, 60, 0) for c in NO_BASES[:3]]           # just before the next region (not fetched)
    + [(0, 20_000 + k, c, 60, 0) for k, c in enumerate(ZERO_OPS)]
    + [(1, 0, c, 60, 0) for c in NO_BASES] + [(1, 0, [(0, 30)], 60, 0)]   # the contig's first base
    + [(1, 99_999, c, 60, 0) for c in NO_BASES[:5]] + [(1, 99_990, [(0, 10)], 60, 0)]   # and its last
    + [(2, 5000 + k, c, 60, 0) for k, c in enumerate(NO_BASES)]           # a region of such reads only,
    + [(2, 40_000, [(0, 100)], 60, 0)]                                    # then one far from it
)
ZERO_BINS = [("chr1", 900, 1000, "A"), ("chr1", 1000, 1010, "B"), ("chr1", 1010, 1100, "C"), ("chr1", 1100, 1101, "D"),
             ("chr1", 20_000, 20_100, "E"), ("chr2", 0, 10, "F"), ("chr2", 10, 100, "G"),
             ("chr2", 99_900, 100_000, "H"), ("chr3", 4990, 5010, "I"), ("chr3", 5010, 5020, "J"),
             ("chr3", 40_000, 40_200, "K")]


def test_reads_without_aligned_bases_count_nothing_in_either_pass(tmp_path):
    """Reads whose CIGAR consumes no reference (only clips, insertions, pads, zero-length
    operations, or no CIGAR) and reads with zero-length operations between aligned ones,
    first in their fetch region, at a contig's first and last base, at bin edges: one pass,
    through the index (bamscan from the index's offsets), the pysam index pass and a CRAM's
    two passes count what the per-base definition counts (htslib's xx#minimal.sam: the index pass
    counted one base for a region's first such read, pysam's reference_end)."""
    bam = _reads_bam(tmp_path / "z.bam", ZERO_READS)
    with pysam.AlignmentFile(bam) as fh:   # pysam (bam_endpos) gives these reads one base
        ends = {(r.reference_start, r.cigarstring): r.reference_end for r in fh.fetch("chr3")}
    assert ends[(5000, "10H")] == 5001 and ends[(5005, "0M")] == 5006
    bins = _bin_table(ZERO_BINS)
    want = _per_base(ZERO_READS, [r[:3] for r in ZERO_BINS], 0)
    # by hand: the ZERO_OPS reads span 10, 50, 20, 30, 20 and 15 bases (a 0N or 0P in the middle: none)
    assert want[:5] == [0, (6 * 10 + 5) / 10, (40 + 10 + 20 + 10 + 5 + 45) / 90, 0, (10 + 50 + 20 + 30 + 20 + 15) / 100]
    got = {}
    for kind in ("sequential", "scan", "pysam"):
        old = passes.index_scan
        if kind == "pysam":
            passes.index_scan = lambda fh, bam_, *rest: passes.index_pass(fh, *rest)
        try:
            got[kind], = bam_coverage.bin_coverages([bins], bam, PassSettings(sequential=kind == "sequential"))
        finally:
            passes.index_scan = old
        assert got[kind]["depth"].tolist() == pytest.approx(want, abs=0, rel=0), kind
    # a CRAM (pysam in both passes; it drops zero-length operations, and cannot decode a
    # zero-length soft clip: those reads left out)
    reads = [r for r in ZERO_READS if (4, 0) not in r[2]]
    cram = cram_copy(_reads_bam(tmp_path / "c.bam", reads), tmp_path / "c.cram")
    want = _per_base(reads, [r[:3] for r in ZERO_BINS], 0)
    for seq in (True, False):
        t, = bam_coverage.bin_coverages([bins], cram, PassSettings(sequential=seq))
        assert t["depth"].tolist() == pytest.approx(want, abs=0, rel=0), seq


def test_record_chains_from_block_starts_are_the_loops_offsets(tmp_path):
    """The records of a chunk found from every block start side by side (htslib begins a
    block with a record that fits) are the one chain from the first record: also where
    block starts begin no record (other writers split records across blocks), the chunk
    ends inside a record, or the starts given are noise; a length no record has is an error."""
    from ikzf1cnv.reads import bgzf, chains, records
    reads = [(0, i * 4, [(0, 100)] if i % 3 else [(4, 20), (0, 80)], 60, 0, {"NM": i % 4} if i % 2 else {})
             for i in range(20_000)]
    bam = _reads_bam(tmp_path / "r.bam", reads)
    parts = next(bgzf.inflated_parts(bam, 1, target=1 << 30))
    raw = b"".join(parts)
    starts = np.array(chains.part_starts(parts))
    names, o = records._header(raw, bam)
    want = chains.offsets_loop(raw, o, len(raw))
    assert len(want[0]) == 20_000 and len(starts) > 20
    got = chains.offsets(raw, o, starts)
    assert list(got[0]) == want[0] and got[1] == want[1]
    rng = np.random.default_rng(2)
    for _ in range(20):
        end = int(rng.integers(len(raw) // 3, len(raw)))
        cut = raw[:end]
        noise = np.sort(rng.choice(end - 4, 200, replace=False))
        mixed = np.unique(np.r_[noise, starts[(rng.random(len(starts)) < 0.5) & (starts < end)]])
        w = chains.offsets_loop(cut, o, end)
        g = chains.offsets(cut, o, mixed)
        assert list(g[0]) == w[0] and g[1] == w[1]
    bad = bytearray(raw)
    bad[want[0][500]:want[0][500] + 4] = (-4).to_bytes(4, "little", signed=True)
    for s in (starts, None):
        with pytest.raises(bgzf.BamError, match="corrupt"):
            chains.offsets(bytes(bad), o, s)
