"""Deletion junctions from split reads and discordant pairs (junctions.py), checked by hand."""
import math

import numpy as np
import pandas as pd
import pytest

import oracles
from ikzf1cnv.caller import junctions as cjunctions
from ikzf1cnv.reads import junction_reads


def test_parse_sa_and_reference_length():
    sa = junction_reads.parse_sa("chr7,50395891,+,28S72M,60,0;chr1,100,-,50M50S,3,1;")
    assert sa[0] == ("chr7", 50395890, "+", [(28, "S"), (72, "M")])
    assert sa[1][:3] == ("chr1", 99, "-")
    assert junction_reads.ref_length([(10, "M"), (5, "D"), (3, "I"), (20, "M"), (7, "S")]) == 35


def test_split_read_records_either_part_primary():
    # left part primary: 28M72S ending at 1028; SA right part at 5000 (1-based 5001), 28S72M
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1028, False, [(0, 28), (4, 72)]), "chr7,5001,+,28S72M,60,0;",
                                       20) == ("chr7", 1028, 5000)
    # right part primary: 28S72M at 5000-5072, SA left part 28M72S from 1000 (1-based 1001)
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(5000, 5072, True, [(4, 28), (0, 72)]), "chr7,1001,-,28M72S,60,0;",
                                       20) == ("chr7", 1028, 5000)
    # not a deletion junction: other strand, other chromosome, a part under min_clip, SA upstream of a right clip
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1028, False, [(0, 28), (4, 72)]), "chr7,5001,-,28S72M,60,0;", 20) is None
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1028, False, [(0, 28), (4, 72)]), "chr9,5001,+,28S72M,60,0;", 20) is None
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1085, False, [(0, 85), (4, 15)]), "chr7,5001,+,85S15M,60,0;", 20) is None
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1028, False, [(0, 28), (4, 72)]), "chr7,501,+,28S72M,60,0;", 20) is None
    # Ensembl-named BAM: the SA tag says '7', the record the build's 'chr7'
    assert junction_reads.split_read_record("chr7", junction_reads.Aligned(1000, 1028, False, [(0, 28), (4, 72)]), "7,5001,+,28S72M,60,0;", 20,
                                       "7") == ("chr7", 1028, 5000)


def test_cluster_within_tolerance_at_the_most_common_ends():
    recs = [("chr7", 1028, 5000)] * 3 + [("chr7", 1030, 5002), ("chr7", 1028, 5100), ("chr9", 10, 20)]
    df = junction_reads.cluster(recs, 5)
    assert df.values.tolist() == [["chr7", 1028, 5000, 4, 0, 1], ["chr7", 1028, 5100, 1, 0, 1], ["chr9", 10, 20, 1, 0, 1]]
    assert list(junction_reads.cluster([], 5).columns) == junction_reads.JUNCTION_COLS


def test_rss_heptamer_either_strand():
    assert cjunctions.rss("TTTCACAGTGTTT") == "CACAGTG"
    assert cjunctions.rss("TTTCACTGTGTTT") == "CACAGTG"       # the reverse complement
    assert cjunctions.rss("TTTCACAGTATTT") == "CACAGTG~1"
    assert cjunctions.rss("TTTTTTTTTTTTT") == "none"


def test_cell_fraction_from_split_reads_by_hand():
    # 30x, 100 bp reads, 20 bp minimum parts: one allele in every cell gives 30/100/2 = 0.15
    # split starts per bp over 61 positions = 9.15 reads; 3 reads -> 0.328
    assert cjunctions.cell_fraction(3, 30, 100, 20) == pytest.approx(3 / 9.15)
    assert cjunctions.cell_fraction(30, 30, 100, 20) == 1.0


def _bps(rows):
    cols = ["gene", "chrom", "start", "end", "split_reads", "discordant_pairs", "cell_fraction", "exons_removed",
            "label", "rss_left", "rss_right", "precision"]
    return pd.DataFrame(rows, columns=cols)


IK = {"deletion": "del4-7", "exons_deleted": "4,5,6,7", "exons_biallelic": "", "cell_fraction": 0.8,
      "cf_low": 0.7, "cf_high": 0.9, "mechanism": "focal", "evidence": "run"}
J47 = ["IKZF1", "chr7", 50352144, 50395890, 5, 0, 0.69, "IKZF1:4,IKZF1:5,IKZF1:6,IKZF1:7", "del4-7", "NA", "NA",
       "exact"]


def test_reconcile_depth_and_junctions():
    st, ik, rep = cjunctions.reconcile("deleted", IK, _bps([J47]), cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert st == "deleted" and ik["junction"] == "confirmed" and ik["deletion"] == "del4-7" and len(rep) == 1
    assert cjunctions.reconcile("deleted", IK, _bps([]), cjunctions.JunctionRules(3, 1, 5, 0, True))[1]["junction"] == "none_found"      # genome: review
    assert len(cjunctions.reconcile("deleted", IK, _bps([]), cjunctions.JunctionRules(3, 1, 5, 0, True))[2]) == 0
    assert cjunctions.reconcile("deleted", IK, _bps([]), cjunctions.JunctionRules(3, 1, 5, 0, False))[1]["junction"] == "not_applicable"  # panel
    wt = {**IK, "deletion": "none", "exons_deleted": "", "cell_fraction": None, "mechanism": "NA"}
    # a junction with no depth signal: 5 split reads >= 3 make the call, from the junction
    st, ik, _ = cjunctions.reconcile("wildtype", wt, _bps([J47]), cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert st == "deleted" and ik["deletion"] == "del4-7" and ik["cell_fraction"] == 0.69
    assert ik["junction"] == "confirmed" and "no depth signal" in ik["evidence"]
    # two split reads are not enough on their own
    weak = _bps([J47[:4] + [2] + J47[5:]])
    st, ik, rep = cjunctions.reconcile("wildtype", wt, weak, cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert st == "wildtype" and ik["junction"] == "not_applicable" and len(rep) == 0   # and not reported
    # two split reads and one discordant pair are (>= 3 reads, >= 1 split read)
    st, ik, _ = cjunctions.reconcile("wildtype", wt, _bps([J47[:4] + [2, 1] + J47[6:]]), cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert st == "deleted" and "2 split reads, 1 discordant pairs" in ik["evidence"]
    # pairs alone never make the call (they place the junction only to a fragment length)
    pairs_only = _bps([J47[:4] + [0, 6] + J47[6:-1] + ["imprecise"]])
    st, ik, rep = cjunctions.reconcile("wildtype", wt, pairs_only, cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert st == "wildtype" and len(rep) == 1       # reported, as a junction of 6 pairs
    # fewer pairs alone than min_pairs_alone: chimeric pairs do that; not reported
    four = _bps([J47[:4] + [0, 4] + J47[6:-1] + ["imprecise"]])
    assert len(cjunctions.reconcile("wildtype", wt, four, cjunctions.JunctionRules(3, 1, 5, 0, True))[2]) == 0
    # ... unless the user asks for no split read
    assert cjunctions.reconcile("wildtype", wt, pairs_only, cjunctions.JunctionRules(3, 0, 5, 0, True))[0] == "deleted"


def test_reconcile_reports_only_junctions_with_support():
    # one split read removing exactly the lost exons: a lone chimera can do that too (e.g. any
    # chimera over the whole gene "removes" exons 1-8); not reported, no confirmation
    one = J47[:4] + [1] + J47[5:]
    st, ik, rep = cjunctions.reconcile("deleted", IK, _bps([one]), cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert ik["junction"] == "none_found" and len(rep) == 0
    # a supported junction overlapping the lost exons confirms (the depth call's edge may be an exon off)
    other = ["IKZF1", "chr7", 50360000, 50380000, 2, 2, 0.3, "IKZF1:5,IKZF1:6", "del5-6", "NA", "NA", "exact"]
    st, ik, rep = cjunctions.reconcile("deleted", IK, _bps([other]), cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert ik["junction"] == "confirmed" and len(rep) == 1


def test_breakpoints_place_junctions_in_windows_and_name_the_exons():
    units = pd.DataFrame({"gene": ["IKZF1"] * 3, "exon": ["3", "4", "5"], "chrom": "chr7",
                          "start": [1001, 5001, 9001], "end": [1100, 5100, 9100]})
    jx = pd.DataFrame([["chr7", 2000, 9500, 6, 0, 1], ["chr7", 900_000, 950_000, 9, 0, 1]], columns=junction_reads.JUNCTION_COLS)
    bps = cjunctions.breakpoints(jx, cjunctions.Placement(units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: 30.0, 100, 20))
    assert len(bps) == 1     # the second junction is outside every window
    r = bps.iloc[0]
    assert (r["label"], r["exons_removed"], r["start"], r["end"]) == ("del4-5", "IKZF1:4,IKZF1:5", 2000, 9500)
    assert r["cell_fraction"] == pytest.approx(round(6 / 9.15, 3)) and r["rss_left"] == "NA"
    assert r["precision"] == "exact"
    nodepth = cjunctions.breakpoints(jx, cjunctions.Placement(units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: math.nan, 100, 20))
    assert math.isnan(nodepth.iloc[0]["cell_fraction"])


def test_breakpoints_name_exons_of_each_gene_of_a_shared_window():
    """A window of two genes (CDKN2A+CDKN2B): the label names each gene's removed exons, in
    the window's gene order; a junction removing none is 'none'; the same window and the
    same units for every junction of a sample."""
    units = pd.DataFrame({"gene": ["CDKN2A", "CDKN2A", "CDKN2B", "CDKN2B", "PAX5"],
                          "exon": ["1", "2", "1", "2", "1"], "chrom": ["chr9"] * 5,
                          "start": [1001, 3001, 8001, 9001, 2001], "end": [1100, 3100, 8100, 9100, 2100]})
    jx = pd.DataFrame([["chr9", 2000, 8500, 4, 0, 1], ["chr9", 500, 9500, 3, 0, 1], ["chr9", 1200, 1300, 3, 0, 1]],
                      columns=junction_reads.JUNCTION_COLS)
    bps = cjunctions.breakpoints(jx, cjunctions.Placement(units, {"CDKN2A+CDKN2B": ("chr9", 0, 20_000)}, lambda c, p: 30.0, 100, 20))
    assert bps["label"].tolist() == ["CDKN2A:2+CDKN2B:1", "CDKN2A:1,2+CDKN2B:1,2", "none"]
    assert bps["exons_removed"].tolist() == ["CDKN2A:2,CDKN2B:1", "CDKN2A:1,CDKN2A:2,CDKN2B:1,CDKN2B:2", ""]


def test_breakpoints_look_for_the_rss_beside_each_end_in_the_fasta(tmp_path):
    import pysam
    seq = ["A"] * 20_000
    seq[1995:2002] = list("CACAGTG")          # beside the left end (2000)
    seq[9498:9505] = list("CACTGTA")          # the reverse complement with one mismatch, beside the right end
    fa = tmp_path / "r.fa"
    fa.write_text(">chr7\n" + "".join(seq) + "\n")
    pysam.faidx(str(fa))
    units = pd.DataFrame({"gene": ["IKZF1"], "exon": ["4"], "chrom": "chr7", "start": [5001], "end": [5100]})
    jx = pd.DataFrame([["chr7", 2000, 9500, 6, 0, 1], ["chr7", 2000, 9500, 0, 6, 0]], columns=junction_reads.JUNCTION_COLS)
    with pysam.FastaFile(str(fa)) as f:
        b = cjunctions.breakpoints(jx, cjunctions.Placement(units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: 30.0, 100, 20, fasta=f))
    assert (b.iloc[0]["rss_left"], b.iloc[0]["rss_right"]) == ("CACAGTG", "CACAGTG~1")
    # pairs alone place the junction only to a fragment length: no RSS claim, marked imprecise
    assert (b.iloc[1]["rss_left"], b.iloc[1]["precision"]) == ("NA", "imprecise")


def test_pair_records_from_either_read():
    # forward read 1000-1100, mate reverse at 6000-6100: spans 5100 bp > 1000 -> junction between 1100 and 6000
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(1000, 1100, False), junction_reads.Aligned(6000, 6100, True), 1000) == ("chr7", 1100, 6000)
    # the same pair seen from its reverse read
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(6000, 6100, True), junction_reads.Aligned(1000, 1100, False), 1000) == ("chr7", 1100, 6000)
    # a concordant pair (350 bp fragment), outward-facing, same-strand or overlapping pairs are not deletions
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(1000, 1100, False), junction_reads.Aligned(1250, 1350, True), 1000) is None
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(6000, 6100, False), junction_reads.Aligned(1000, 1100, True), 1000) is None
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(1000, 1100, False), junction_reads.Aligned(6000, 6100, False), 1000) is None
    assert junction_reads.pair_record("chr7", junction_reads.Aligned(1000, 1100, False), junction_reads.Aligned(1050, 1150, True), 10) is None


def test_cluster_pairs_and_merge_with_split_reads():
    # three pairs of a junction at 1100|6000 (fragments ~350 bp), one far-off chimera
    pairs = [("chr7", 1050, 6120), ("chr7", 1090, 6010), ("chr7", 980, 6150), ("chr7", 300_000, 900_000)]
    cl = junction_reads.cluster_pairs(pairs, 500)
    assert cl == [("chr7", 1090, 6010, 3, 980, 6150), ("chr7", 300_000, 900_000, 1, 300_000, 900_000)]
    split = junction_reads.cluster([("chr7", 1100, 6000)] * 2, 5)
    m = junction_reads.merge_pairs(split, cl, 500, 5)
    # the three pairs bracket the split-read junction: added to it; the chimera stands alone, imprecise
    assert m.values.tolist() == [["chr7", 1100, 6000, 2, 3, 1], ["chr7", 300_000, 900_000, 0, 1, 0]]
    # pairs that cross the split junction (a read ending past its left end) belong to another junction
    m = junction_reads.merge_pairs(split, [("chr7", 1200, 6010, 3, 1150, 6100)], 500, 5)
    assert m["discordant_pairs"].tolist() == [0, 3] and m["precise"].tolist() == [1, 0]


def test_junctions_of_drops_lone_pairs():
    jr = junction_reads.JunctionReads(20, 1000, split=[("chr7", 1100, 6000)],
                                 pairs=[("chr7", 1090, 6010), ("chr7", 300_000, 900_000),
                                        ("chr9", 5000, 9000), ("chr9", 5100, 9100)])
    jx = junction_reads.junctions_of(jr, 5, 500)
    # the split-read junction (with its pair), the chr9 pair cluster; the lone far chr7 pair is dropped
    assert jx.values.tolist() == [["chr7", 1100, 6000, 1, 1, 1], ["chr9", 5100, 9000, 0, 2, 0]]


def test_cell_fraction_with_pairs_by_hand():
    # 30x, 100 bp reads, 20 bp parts, 350 bp fragments: per allele in every cell 9.15 split reads
    # and 30/200/2 = 0.075 fragment starts per bp over 151 positions = 11.325 pairs
    assert cjunctions.cell_fraction(2, 30, 100, 20, 3, 350.0) == pytest.approx(5 / (9.15 + 11.325))
    assert cjunctions.cell_fraction(2, 30, 100, 20, 3, None) == pytest.approx(2 / 9.15)   # unpaired: pairs unused


class _Read:
    """The pysam AlignedSegment attributes JunctionReads.add reads."""
    def __init__(self, name, flag, start, end, mate_start=0, tlen=0, tags=None, cigar=None, qlen=100):
        self.query_name, self.flag, self.reference_start, self.reference_end = name, flag, start, end
        self.next_reference_start, self.template_length, self._tags = mate_start, tlen, tags or {}
        self.reference_id = self.next_reference_id = 0
        self.cigartuples = cigar or [(0, end - start)]
        self.is_reverse, self.mate_is_reverse, self.query_length = bool(flag & 16), bool(flag & 32), qlen

    def has_tag(self, t):
        return t in self._tags

    def get_tag(self, t):
        return self._tags[t]


def test_junction_reads_collector():
    jr = junction_reads.JunctionReads(min_clip=20, min_insert=1000)
    for k in range(4):                                      # proper pairs: fragment lengths from read 1 only
        jr.add(_Read(f"p{k}", 1 | 2 | 32 | 64, 100, 200, 250 + k, 250 + k), "chr7")
        jr.add(_Read(f"p{k}", 1 | 2 | 16 | 128, 250 + k, 350 + k, 100, -(250 + k)), "chr7")
    d = _Read("d", 1 | 32 | 64, 1000, 1100, 6000, 5100, tags={"MC": "100M"})
    jr.add(d, "chr7")
    jr.add(_Read("d", 1 | 16 | 128, 6000, 6100, 1000, -5100, tags={"MC": "100M"}), "chr7")   # its mate: once
    jr.add(_Read("s", 0, 1000, 1030, tags={"SA": "chr7,5001,+,30S70M,60,0;"}, cigar=[(0, 30), (4, 70)]), "chr7")
    jr.add(_Read("s", 2048, 5000, 5070, tags={"SA": "chr7,1001,+,30M70S,60,0;"}, cigar=[(4, 30), (0, 70)]), "chr7")
    assert jr.pairs == [("chr7", 1100, 6000)] and jr.split == [("chr7", 1030, 5000)]
    assert jr.fragments == [250, 251, 252, 253] and jr.fragment_length() == 251.5
    assert junction_reads.JunctionReads(20, 1000).fragment_length() is None


def test_a_junction_to_the_base_sets_the_type_near_the_depth_call():
    # depth: del4-6 at a subclone's low contrast; the junction (40 split reads) removes exons 3-5
    dep = {**IK, "deletion": "del4-6", "exons_deleted": "4,5,6", "evidence": "deleted run"}
    j35 = ["IKZF1", "chr7", 50323435, 50385044, 40, 49, 0.13, "IKZF1:3,IKZF1:4,IKZF1:5", "del3-5", "NA", "NA", "exact"]
    st, ik, _ = cjunctions.reconcile("deleted", dep, _bps([j35]), cjunctions.JunctionRules(3, 1, 5, 2, False))
    assert (ik["deletion"], ik["exons_deleted"], ik["junction"]) == ("del3-5", "3,4,5", "confirmed")
    assert "type from junction(s) chr7:50323435-50385044 (depth: del4-6)" in ik["evidence"]
    # retype_max_exons 0 (or 1 here: the two differ by exons 3 and 6): the depth's type stays
    assert cjunctions.reconcile("deleted", dep, _bps([j35]), cjunctions.JunctionRules(3, 1, 5, 0, False))[1]["deletion"] == "del4-6"
    assert cjunctions.reconcile("deleted", dep, _bps([j35]), cjunctions.JunctionRules(3, 1, 5, 1, False))[1]["deletion"] == "del4-6"
    # an imprecise junction (pairs alone) or an arm/chromosome loss by depth: the depth's type stays
    imp = j35[:4] + [0, 9] + j35[6:-1] + ["imprecise"]
    assert cjunctions.reconcile("deleted", dep, _bps([imp]), cjunctions.JunctionRules(3, 1, 5, 2, False))[1]["deletion"] == "del4-6"
    arm = {**dep, "deletion": "del1-8", "exons_deleted": "1,2,3,4,5,6,7,8", "mechanism": "arm"}
    assert cjunctions.reconcile("deleted", arm, _bps([j35]), cjunctions.JunctionRules(3, 1, 5, 8, False))[1]["deletion"] == "del1-8"
    # far apart (a subclonal small deletion inside a larger one): the depth's type stays
    j5 = ["IKZF1", "chr7", 50379698, 50384927, 15, 12, 0.07, "IKZF1:5", "del5", "NA", "NA", "exact"]
    big = {**dep, "deletion": "del2-8", "exons_deleted": "2,3,4,5,6,7,8", "mechanism": "interstitial"}
    assert cjunctions.reconcile("deleted", big, _bps([j5]), cjunctions.JunctionRules(3, 1, 5, 2, False))[1]["deletion"] == "del2-8"


def test_clustering_thousands_of_chimeras_equals_the_all_pairs_definition():
    """A genome sample collects thousands of chimeric split reads and far pairs; cluster,
    cluster_pairs and merge_pairs look only at near records, which must give exactly what
    comparing every record with every other gives (clusters, modes, pair counts, ties)."""
    rng = np.random.default_rng(11)
    split, pairs = [], []
    for chrom in ("chr7", "chr9"):
        for _ in range(150):                      # real junctions: several reads within a few bp
            left = int(rng.integers(0, 200_000))
            right = left + int(rng.integers(1000, 50_000))
            for _ in range(int(rng.integers(1, 6))):
                split.append((chrom, left + int(rng.integers(-3, 4)), right + int(rng.integers(-3, 4))))
            for _ in range(int(rng.integers(0, 4))):
                a = left - int(rng.integers(0, 300))
                pairs.append((chrom, a, right + int(rng.integers(0, 300))))
        for _ in range(800):                      # chimeras: scattered
            left = int(rng.integers(0, 200_000))
            split.append((chrom, left, left + int(rng.integers(1000, 100_000))))
            pairs.append((chrom, left + 7, left + int(rng.integers(1000, 100_000))))
    got = junction_reads.cluster(split, 5)
    want = oracles.cluster_by_definition(split, 5)
    assert [tuple(r) for r in got.itertuples(index=False)] == want and len(want) > 1000
    pc = junction_reads.cluster_pairs(pairs, 500)
    want_pc = oracles.cluster_pairs_by_definition(pairs, 500)
    assert pc == want_pc and sum(p[3] for p in pc) == len(pairs)
    assert sum(p[3] > 1 for p in want_pc) > 100 and max(p[1] - p[4] for p in want_pc) > 450   # clusters reach the window's edge
    merged = junction_reads.merge_pairs(got, pc, 500, 5)
    assert [list(r) for r in merged.itertuples(index=False)] == oracles.merge_by_definition(want, want_pc, 500, 5)
    assert (merged["discordant_pairs"] > 0).sum() > 100
