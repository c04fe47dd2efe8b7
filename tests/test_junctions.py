"""Deletion junctions from split reads and discordant pairs (junctions.py), checked by hand."""
import math

import numpy as np
import pandas as pd
import pytest

import brute_force
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
    # junctions, but none in a window: no rows, and still every column (the report reads them)
    none = cjunctions.breakpoints(jx.iloc[1:], cjunctions.Placement(units, {"IKZF1": ("chr7", 0, 20_000)},
                                                                    lambda c, p: 30.0, 100, 20))
    assert none.empty and list(none.columns) == cjunctions.BREAKPOINT_COLS


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
    want = brute_force.cluster_by_definition(split, 5)
    assert [tuple(r) for r in got.itertuples(index=False)] == want and len(want) > 1000
    pc = junction_reads.cluster_pairs(pairs, 500)
    want_pc = brute_force.cluster_pairs_by_definition(pairs, 500)
    assert pc == want_pc and sum(p[3] for p in pc) == len(pairs)
    assert sum(p[3] > 1 for p in want_pc) > 100 and max(p[1] - p[4] for p in want_pc) > 450   # clusters reach the window's edge
    merged = junction_reads.merge_pairs(got, pc, 500, 5)
    assert [list(r) for r in merged.itertuples(index=False)] == brute_force.merge_by_definition(want, want_pc, 500, 5)
    assert (merged["discordant_pairs"] > 0).sum() > 100


# ------------------------------------------------------------------ every field, every boundary, by hand
def test_parse_sa_keeps_entries_of_four_fields_or_more():
    # Ensembl's chromosome X: the tag's own name, not a character to strip
    assert junction_reads.parse_sa("X,5001,+,28S72M,60,0;") == [("X", 5000, "+", [(28, "S"), (72, "M")])]
    assert junction_reads.parse_sa("chr7,101,-,50M") == [("chr7", 100, "-", [(50, "M")])]   # the four it needs
    assert junction_reads.parse_sa("chr7,101,-;chr9,11,+,5S45M,0,0;") == [("chr9", 10, "+", [(5, "S"), (45, "M")])]


A = junction_reads.Aligned


def test_split_read_record_at_each_boundary():
    srr = junction_reads.split_read_record
    # left part primary, clips of exactly min_clip on both parts, the SA part starting right at the junction
    assert srr("chr7", A(1000, 1080, False, [(0, 80), (4, 20)]), "chr7,1081,+,20S80M,60,0;", 20) == ("chr7", 1080, 1080)
    assert srr("chr7", A(1000, 1080, False, [(0, 80), (4, 20)]), "chr7,1081,+,20S80M,60,0;", 21) is None
    assert srr("chr7", A(1000, 1081, False, [(0, 81), (4, 19)]), "chr7,1082,+,19S81M,60,0;", 20) is None
    assert srr("chr7", A(1000, 1080, False, [(0, 80), (4, 20)]), "chr7,1081,+,19S81M,60,0;", 20) is None  # SA clip short
    # its last CIGAR operation is the clip (an insertion before it), its first is not
    assert srr("chr7", A(1000, 1078, False, [(0, 50), (1, 2), (0, 28), (4, 20)]), "chr7,5001,+,20S80M,60,0;", 20) \
        == ("chr7", 1078, 5000)
    assert srr("chr7", A(1000, 1080, False, [(4, 20), (0, 80)]), "chr7,5001,+,20S80M,60,0;", 20) is None
    # right part primary: the SA part ends right where this one starts; its clip and the SA's at min_clip
    assert srr("chr7", A(5000, 5080, False, [(4, 20), (0, 80)]), "chr7,4921,+,80M20S,60,0;", 20) == ("chr7", 5000, 5000)
    assert srr("chr7", A(5000, 5080, False, [(4, 20), (0, 80)]), "chr7,4922,+,80M20S,60,0;", 20) is None   # overlapping
    assert srr("chr7", A(5000, 5081, False, [(4, 19), (0, 81)]), "chr7,4920,+,80M20S,60,0;", 20) is None
    assert srr("chr7", A(5000, 5080, False, [(4, 20), (0, 80)]), "chr7,4919,+,81M19S,60,0;", 20) is None
    # the SA part's reference length counts its deletion (40M10D40M from 4911 ends at 5000), its clip is its last operation
    assert srr("chr7", A(5000, 5080, True, [(4, 20), (0, 78), (1, 1), (0, 1)]), "chr7,4911,-,40M10D40M1I19S,60,0;",
               19) == ("chr7", 5000, 5000)
    assert srr("chr7", A(5000, 5080, True, [(4, 20), (0, 60), (1, 1), (0, 19)]), "chr7,4901,-,40M10D40M20S,60,0;",
               20) == ("chr7", 4990, 5000)
    # an SA part without a right clip is no left part (here its clip is on the left), even at min_clip 1
    assert srr("chr7", A(5000, 5080, False, [(4, 20), (0, 80)]), "chr7,4001,+,20S80M,60,0;", 20) is None
    assert srr("chr7", A(5000, 5099, False, [(4, 1), (0, 99)]), "chr7,4902,+,99M,60,0;", 1) is None
    assert srr("chr7", A(5000, 5099, False, [(4, 1), (0, 99)]), "chr7,4901,+,99M1S,60,0;", 1) == ("chr7", 4999, 5000)
    # no clip at all is a clip of 0, even at min_clip 1; the first SA entry that fits is taken
    assert srr("chr7", A(1000, 1100, False, [(0, 100)]), "chr7,5001,+,1S99M,60,0;", 1) is None
    assert srr("chr7", A(5000, 5100, False, [(0, 100)]), "chr7,4001,+,99M1S,60,0;", 1) is None
    assert srr("chr7", A(1000, 1100, False, [(0, 99), (4, 1)]), "chr7,5001,+,1M,60,0;", 1) is None
    assert srr("chr7", A(1000, 1080, False, [(0, 80), (4, 20)]),
               "chr9,5001,+,20S80M,60,0;chr7,5001,-,20S80M,60,0;chr7,6001,+,20S80M,60,0;", 20) == ("chr7", 1080, 6000)


def test_pair_record_at_each_boundary():
    pr = junction_reads.pair_record
    assert pr("chr7", A(1000, 1100, False), A(1100, 2101, True), 1000) == ("chr7", 1100, 1100)   # abutting reads
    assert pr("chr7", A(1000, 1100, False), A(1099, 2101, True), 1000) is None                  # overlapping
    assert pr("chr7", A(1000, 1100, False), A(1900, 2000, True), 1000) is None                  # span 1000: not more
    assert pr("chr7", A(1100, 2101, True), A(1000, 1100, False), 1000) == ("chr7", 1100, 1100)   # from the reverse read
    assert pr("chr7", A(1099, 2101, True), A(1000, 1100, False), 1000) is None
    assert pr("chr7", A(1200, 1300, True), A(1000, 1100, False), 1000) is None                  # span 300
    assert pr("chr7", A(6000, 6100, True), A(1000, 1100, True), 1000) is None                   # both reverse


class _Flagged(_Read):
    def __init__(self, *a, ref=0, mate_ref=0, **k):
        super().__init__(*a, **k)
        self.reference_id, self.next_reference_id = ref, mate_ref


def test_junction_reads_collector_reads_each_field():
    jr = junction_reads.JunctionReads(min_clip=20, min_insert=1000, max_fragments=2)
    # the right part primary on the reverse strand, SA on the left, in an Ensembl-named BAM; seen twice (one record)
    for _ in range(2):
        jr.add(_Read("s1", 16, 5000, 5070, tags={"SA": "7,1001,-,30M70S,60,0;"}, cigar=[(4, 30), (0, 70)]), "chr7", "7")
    jr.add(_Read("s2", 0, 1000, 1030, tags={"SA": "chr7,5001,+,30S70M,60,0;"}, cigar=[(0, 30), (4, 70)]), "chr7")
    assert jr.split == [("chr7", 1030, 5000), ("chr7", 1030, 5000)]
    # a split read whose SA is no junction falls through to the pair checks (unpaired: nothing)
    jr.add(_Read("s3", 0, 1000, 1030, tags={"SA": "chr9,5001,+,30S70M,60,0;"}, cigar=[(0, 30), (4, 70)]), "chr7")
    # not pairs: unpaired, mate unmapped, mate on another chromosome
    jr.add(_Read("u", 32, 1000, 1100, 6000, tags={"MC": "100M"}), "chr7")
    jr.add(_Read("m", 1 | 8 | 32, 1000, 1100, 6000, tags={"MC": "100M"}), "chr7")
    jr.add(_Flagged("o", 1 | 32, 1000, 1100, 6000, tags={"MC": "100M"}, mate_ref=3), "chr7")
    assert jr.split == [("chr7", 1030, 5000)] * 2 and jr.pairs == []
    # the mate's end from its MC tag (a 200 bp mate: span 1,050 > 1,000), else from the read's length
    jr.add(_Read("p1", 1 | 32, 1000, 1100, 1850, tags={"MC": "200M"}), "chr7")
    jr.add(_Read("p2", 1 | 32, 1000, 1100, 1850, qlen=100), "chr7")             # span 950: not discordant
    jr.add(_Read("p3", 1 | 32, 1000, 1100, 1920, qlen=100), "chr7")             # 1,020
    jr.add(_Read("p4", 1 | 16, 3000, 3100, 1000, tags={"MC": "50M"}), "chr7")  # reverse read, forward mate: 2,100
    assert jr.pairs == [("chr7", 1100, 1850), ("chr7", 1100, 1920), ("chr7", 1050, 3000)]
    # fragments: first reads of proper pairs, up to max_fragments
    for k in range(3):
        jr.add(_Read(f"f{k}", 1 | 2 | 32 | 64, 100, 200, 300, 300 + k), "chr7")
    assert jr.fragments == [300, 301] and jr.fragments_full()
    assert not junction_reads.JunctionReads(20, 1000, max_fragments=3, fragments=[1, 2]).fragments_full()


def test_fragments_taken_in_bulk_stop_at_the_maximum():
    jr = junction_reads.JunctionReads(20, 1000, max_fragments=4)
    jr.add_fragments([300.0, 301.0, 302.0])
    assert jr.fragments == [300, 301, 302] and all(type(x) is int for x in jr.fragments) and not jr.fragments_full()
    jr.add_fragments([303, 304, 305])
    assert jr.fragments == [300, 301, 302, 303] and jr.fragments_full()
    jr.add_fragments([306])
    assert jr.fragments == [300, 301, 302, 303]
    one = junction_reads.JunctionReads(20, 1000, max_fragments=1)
    one.add_fragments([7, 8])
    assert one.fragments == [7]


def test_cluster_of_nothing_has_the_tables_columns_and_types():
    empty = junction_reads.cluster([], 5)
    assert list(empty.columns) == junction_reads.JUNCTION_COLS and len(empty) == 0
    assert [str(t) for t in empty.dtypes][1:] == ["int64"] * 5


def test_pairs_at_the_window_edge_and_two_clusters_on_one_junction():
    split = junction_reads.cluster([("chr7", 1000, 6000)] * 3 + [("chr7", 1002, 6001)], 5)
    # reads ending exactly `window` bp before the junction and starting exactly `window` after it: they bracket it
    edge = [("chr7", 1000, 6000, 2, 500, 6500)]
    assert junction_reads.merge_pairs(split, edge, 500, 5)["discordant_pairs"].tolist() == [2]
    assert junction_reads.merge_pairs(split, [("chr7", 1000, 6000, 2, 499, 6500)], 500, 5)["split_reads"].tolist() == [4, 0]
    assert junction_reads.merge_pairs(split, [("chr7", 1000, 6000, 2, 500, 6501)], 500, 5)["split_reads"].tolist() == [4, 0]
    # two pair clusters bracketing one junction both add to it
    two = [("chr7", 990, 6010, 2, 700, 6300), ("chr7", 800, 6200, 3, 600, 6400)]
    assert junction_reads.merge_pairs(split, two, 500, 5).values.tolist() == [["chr7", 1000, 6000, 4, 5, 1]]


class _Fasta:
    """A FASTA with CACAGTG everywhere, that records what is fetched."""
    def __init__(self):
        self.fetched = []

    def fetch(self, chrom, start, end):
        self.fetched.append((chrom, start, end))
        return "TTCACAGTGTT"


def test_breakpoints_every_column_and_every_window_edge():
    """Windows [100, 20000) on chr7 (IKZF1) and [0, 20000) on chr9 (PAX5): a junction is placed
    when either end lies in a window (end exclusive); the exons removed are the units wholly
    between its ends (a unit ending at its right end or starting at its left end included);
    the cell fraction from its reads at the depth beside its left end (with pairs: a
    fragment of 350); the RSS looked for 10 bp either side of each end of exact junctions."""
    units = pd.DataFrame({"gene": ["IKZF1"] * 3 + ["PAX5"], "exon": ["3", "4", "5", "2"],
                          "chrom": ["chr7"] * 3 + ["chr9"], "start": [1001, 5001, 9001, 3001],
                          "end": [1100, 5100, 9100, 3100]})
    depth = {("chr7", 1000): 30.0, ("chr7", 1001): 60.0, ("chr7", 100): 30.0, ("chr7", 5): 30.0, ("chr9", 3000): 30.0}
    jx = pd.DataFrame([["chr7", 1000, 9100, 6, 2, 1],       # removes exons 3-5, units at both ends
                       ["chr7", 1001, 9099, 3, 0, 1],       # one bp inside each: exon 4 only
                       ["chr7", 100, 50_000, 1, 0, 0],      # left end at the window's start, right end beyond
                       ["chr7", 5, 100, 0, 5, 0],           # right end at the window's start
                       ["chr7", 20_000, 30_000, 4, 0, 1],   # left end at the window's end: outside
                       ["chr7", 10, 20_000, 4, 0, 1],       # right end at the window's end: outside
                       ["chr9", 3000, 3100, 2, 1, 1]],      # in the second window only
                      columns=junction_reads.JUNCTION_COLS)
    fa = _Fasta()
    p = cjunctions.Placement(units, {"IKZF1": ("chr7", 100, 20_000), "PAX5": ("chr9", 0, 20_000)},
                             lambda c, pos: depth[(c, pos)], 100, 20, fragment=350.0, fasta=fa)
    bps = cjunctions.breakpoints(jx, p)
    got = bps.to_dict("records")
    # one allele in every cell: 30x gives 9.15 split reads and 11.325 pairs; 60x twice that
    cf = lambda n, d=30.0: round(min(n / (9.15 + 11.325) / (d / 30.0), 1.0), 3)   # noqa: E731
    row = dict(zip(cjunctions.BREAKPOINT_COLS, [None] * 12))
    want = [{**row, "gene": "IKZF1", "chrom": "chr7", "start": 1000, "end": 9100, "split_reads": 6, "discordant_pairs": 2,
             "cell_fraction": cf(8), "exons_removed": "IKZF1:3,IKZF1:4,IKZF1:5", "label": "del3-5",
             "rss_left": "CACAGTG", "rss_right": "CACAGTG", "precision": "exact"},
            {**row, "gene": "IKZF1", "chrom": "chr7", "start": 1001, "end": 9099, "split_reads": 3, "discordant_pairs": 0,
             "cell_fraction": cf(3, 60.0), "exons_removed": "IKZF1:4", "label": "del4",
             "rss_left": "CACAGTG", "rss_right": "CACAGTG", "precision": "exact"},
            {**row, "gene": "IKZF1", "chrom": "chr7", "start": 100, "end": 50_000, "split_reads": 1, "discordant_pairs": 0,
             "cell_fraction": cf(1), "exons_removed": "IKZF1:3,IKZF1:4,IKZF1:5", "label": "del3-5",
             "rss_left": "NA", "rss_right": "NA", "precision": "imprecise"},
            {**row, "gene": "IKZF1", "chrom": "chr7", "start": 5, "end": 100, "split_reads": 0, "discordant_pairs": 5,
             "cell_fraction": cf(5), "exons_removed": "", "label": "none",
             "rss_left": "NA", "rss_right": "NA", "precision": "imprecise"},
            {**row, "gene": "PAX5", "chrom": "chr9", "start": 3000, "end": 3100, "split_reads": 2, "discordant_pairs": 1,
             "cell_fraction": cf(3), "exons_removed": "PAX5:2", "label": "PAX5:2",
             "rss_left": "CACAGTG", "rss_right": "CACAGTG", "precision": "exact"}]
    assert got == want
    assert list(bps.columns) == cjunctions.BREAKPOINT_COLS
    assert fa.fetched == [("chr7", 990, 1010), ("chr7", 9090, 9110), ("chr7", 991, 1011), ("chr7", 9089, 9109),
                          ("chr9", 2990, 3010), ("chr9", 3090, 3110)]
    # an end within 10 bp of the contig's start: fetched from 0
    fa.fetched.clear()
    cjunctions.breakpoints(pd.DataFrame([["chr9", 4, 3100, 2, 0, 1]], columns=junction_reads.JUNCTION_COLS),
                           cjunctions.Placement(units, {"PAX5": ("chr9", 0, 20_000)}, lambda c, pos: 30.0, 100, 20,
                                                fasta=fa))
    assert fa.fetched == [("chr9", 0, 14), ("chr9", 3090, 3110)]
    fa.fetched.clear()
    cjunctions.breakpoints(pd.DataFrame([["chr9", 2, 5, 2, 0, 1]], columns=junction_reads.JUNCTION_COLS),
                           cjunctions.Placement(units, {"PAX5": ("chr9", 0, 20_000)}, lambda c, pos: 30.0, 100, 20,
                                                fasta=fa))
    assert fa.fetched == [("chr9", 0, 12), ("chr9", 0, 15)]
    none = cjunctions.breakpoints(jx.iloc[:0], p)
    assert list(none.columns) == cjunctions.BREAKPOINT_COLS and len(none) == 0


def test_breakpoints_of_a_shared_window_name_only_the_genes_they_remove():
    units = pd.DataFrame({"gene": ["CDKN2A", "CDKN2A", "CDKN2B", "CDKN2B"], "exon": ["1", "2", "1", "2"],
                          "chrom": ["chr9"] * 4, "start": [1001, 3001, 8001, 9001], "end": [1100, 3100, 8100, 9100]})
    jx = pd.DataFrame([["chr9", 7000, 9500, 4, 0, 1], ["chr9", 900, 3500, 4, 0, 1]], columns=junction_reads.JUNCTION_COLS)
    bps = cjunctions.breakpoints(jx, cjunctions.Placement(units, {"CDKN2A+CDKN2B": ("chr9", 0, 20_000)},
                                                          lambda c, p: 30.0, 100, 20))
    assert bps["label"].tolist() == ["CDKN2B:1,2", "CDKN2A:1,2"]


def test_cell_fraction_at_the_edges_of_its_arithmetic():
    cf = cjunctions.cell_fraction
    # reads shorter than a base count as one base; at least one split position, however long the clips
    assert cf(1, 30, 0.5, 0) == pytest.approx(1 / (30 / 1 / 2 * 1.5))
    assert cf(1, 3000, 100, 50) == pytest.approx(1 / (3000 / 100 / 2 * 1))
    assert cf(1, 3000, 100, 60) == pytest.approx(1 / (3000 / 100 / 2 * 1))
    # pairs default to none; fragments shorter than two reads leave no room for a discordant pair
    assert cf(2, 30, 100, 20, fragment=350.0) == pytest.approx(2 / (9.15 + 11.325))
    assert cf(2, 30, 100, 20, 3, 150.0) == pytest.approx(5 / 9.15)
    assert cf(1, 30, 0.6, 0, 1, 2.0) == pytest.approx(2 / (30 / 1 / 2 * 1.6 + 30 / 1.2 / 2 * 1.8))
    assert cf(2, 30, 100, 20, 3, float("nan")) == pytest.approx(2 / 9.15)
    # a tenth of a read per cell: 0.05 reads expected; no depth: no fraction
    assert cf(0, 10 / 61, 100, 20) == 0.0 and cf(1, 1 / 61, 100, 20) == 1.0
    assert cf(1, 0.5 / 61 * 200, 100, 20) == pytest.approx(1.0) and math.isnan(cf(1, 0.0, 100, 20))


def test_strong_junctions_at_their_thresholds():
    bps = _bps([J47[:4] + [1, 2] + J47[6:], J47[:4] + [1, 1] + J47[6:], J47[:4] + [0, 5] + J47[6:],
                J47[:4] + [0, 4] + J47[6:], J47[:4] + [3, 0] + J47[6:]])
    assert cjunctions.strong(bps, 3, 5).tolist() == [True, False, True, False, True]


def test_rss_at_the_ends_of_the_sequence_and_its_mismatches():
    assert cjunctions.rss("AAAACACAGTG") == "CACAGTG"          # the motif ending the sequence
    assert cjunctions.rss("CACAGTGAAAA") == "CACAGTG"
    assert cjunctions.rss("AAAAACACAGT") == "none"             # six of its seven bases at the end
    assert cjunctions.rss("AAAACAGAGTC") == "none"             # two mismatches
    assert cjunctions.rss("AAAACAGAGTC", max_mismatch=2) == "CACAGTG~2"
    assert cjunctions.rss("CACAGTACACAGTG") == "CACAGTG"       # the best of several
    assert cjunctions.rss("cacagtg") == "CACAGTG" and cjunctions.rss("") == "none"


def test_junction_rules_from_the_config():
    cfg = {"min_support": 4, "min_split_reads": 2, "min_pairs_alone": 7, "retype_max_exons": 3, "min_clip": 20}
    assert cjunctions.JunctionRules.from_config(cfg, True) == cjunctions.JunctionRules(4, 2, 7, 3, True)
    assert cjunctions.JunctionRules.from_config(cfg, False).whole_genome is False


def test_local_depth_is_the_median_of_target_bins_within_5_kb():
    """Target bins with midpoints ((start + end) // 2) 1000, 6000, 11000 and 20000 on chr7 (depths 10, 20,
    40, 80, given out of order) and one on chr9 (depth 5); an off-target bin (depth 1000) beside
    6000 counts nowhere. The span includes its ends; elsewhere, the median of every target bin."""
    bins = pd.DataFrame({"chromosome": ["chr7", "chr7", "chr9", "chr7", "chr7", "chr7"],
                         "start": [10_990, 990, 100, 5_990, 19_990, 5_000],
                         "end": [11_011, 1_011, 200, 6_011, 20_011, 7_000],
                         "depth": [40.0, 10.0, 5.0, 20.0, 80.0, 1000.0],
                         "offtarget": [False, False, False, False, False, True]})
    d = cjunctions.local_depth(bins)
    assert d("chr7", 6000) == 20.0                      # 1000, 6000, 11000
    assert d("chr7", 6001) == 30.0 and d("chr7", 5999) == 15.0
    assert d("chr7", 15_000) == 60.0 and d("chr7", 25_000) == 80.0
    assert d("chr7", 40_000) == 20.0 and d("chrX", 6000) == 20.0    # none near / no such contig: all five
    assert d("chr7", 6000, span=0) == 20.0 and d("chr7", 6000, span=4999) == 20.0 and d("chr7", 6000, 5001) == 20.0
    assert d("chr7", 3500, span=2500) == 15.0
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # no target bins: NaN, without a median of nothing
        assert math.isnan(cjunctions.local_depth(bins[bins["offtarget"]])("chr7", 6000))


def _j(exons, split, pairs, start=50_300_000, precision="exact", gene="IKZF1", label=None, cf=0.3):
    ex = [int(e) for e in exons]
    return [gene, "chr7", start, start + 50_000, split, pairs, cf,
            ",".join(f"{gene}:{e}" for e in ex), label or (labels_of(ex) if gene == "IKZF1" else f"{gene}:{exons}"),
            "NA", "NA", precision]


def labels_of(ex):
    from ikzf1cnv.caller.labels import deletion_label
    return deletion_label(ex)


def test_reconcile_retypes_from_exact_junctions_every_field():
    """Depth: del4-7 (exons 4 and 7 biallelic), focal. Two exact junctions with 3 split reads
    (min_split_reads 3) remove exons 3-7 together: one exon more, within retype_max_exons 1:
    the type is the junctions', the biallelic exons those still removed, the evidence names
    both junctions (no depth evidence given: the type's note alone)."""
    dep = {"deletion": "del4-7", "exons_deleted": "4,5,6,7", "exons_biallelic": "4,7", "cell_fraction": 0.8,
           "cf_low": 0.7, "cf_high": 0.9, "mechanism": "interstitial"}
    bps = _bps([_j([3, 4, 5], 3, 0, start=50_320_000), _j([6, 7], 3, 1, start=50_386_000),
                _j([], 9, 0, label="none"), _j([2], 9, 0, gene="PAX5")])
    st, ik, rep = cjunctions.reconcile("deleted", dep, bps, cjunctions.JunctionRules(3, 3, 5, 1, False))
    assert st == "deleted"
    assert ik == {**dep, "deletion": "del3-7", "exons_deleted": "3,4,5,6,7", "exons_biallelic": "4,7",
                  "junction": "confirmed", "deletion_alt": "NA", "deletion_alt_lr": None,   # the junctions' type has no runner-up
                  "evidence": "; type from junction(s) chr7:50320000-50370000, chr7:50386000-50436000 (depth: del4-7)"}
    assert rep.equals(bps)      # all strong, in their order, index 0..3
    # a biallelic exon the junctions do not remove is not biallelic any more
    st, ik, _ = cjunctions.reconcile("deleted", {**dep, "exons_biallelic": "3,4", "evidence": "run"},
                                     bps.iloc[:1], cjunctions.JunctionRules(3, 3, 5, 4, False))
    assert (ik["deletion"], ik["exons_biallelic"]) == ("del3-5", "3,4") and ik["evidence"].startswith("run; type")
    st, ik, _ = cjunctions.reconcile("deleted", {**dep, "exons_biallelic": "6,7"}, bps.iloc[:1],
                                     cjunctions.JunctionRules(3, 3, 5, 4, False))
    assert (ik["deletion"], ik["exons_biallelic"]) == ("del3-5", "")
    # no exons_biallelic in the depth call: none after
    nob = {k: v for k, v in dep.items() if k != "exons_biallelic"}
    assert cjunctions.reconcile("deleted", nob, bps.iloc[:1], cjunctions.JunctionRules(3, 3, 5, 4, False))[1][
        "exons_biallelic"] == ""
    # two split reads (< 3): confirmed, not retyped; pairs alone, even with min_split_reads 0: not retyped
    two = _bps([_j([3, 4, 5], 2, 1, start=50_320_000), _j([6, 7], 2, 1, start=50_386_000)])
    assert cjunctions.reconcile("deleted", dep, two, cjunctions.JunctionRules(3, 3, 5, 1, False))[1] == {
        **dep, "junction": "confirmed"}
    imp = _bps([_j([3, 4, 5, 6, 7], 0, 6, precision="imprecise")])
    assert cjunctions.reconcile("deleted", dep, imp, cjunctions.JunctionRules(3, 0, 5, 1, False))[1] == {
        **dep, "junction": "confirmed"}


def test_reconcile_drops_weak_junctions_and_keeps_the_table_index():
    bps = _bps([_j([5], 1, 0), _j([4, 5, 6, 7], 5, 0)])
    st, ik, rep = cjunctions.reconcile("deleted", IK, bps, cjunctions.JunctionRules(3, 1, 5, 0, False))
    assert list(rep.columns) == list(bps.columns) and rep.index.tolist() == [0] and rep["split_reads"].tolist() == [5]
    # a junction removing other IKZF1 exons than the depth call's does not confirm it
    apart = _bps([_j([2], 5, 0)])
    st, ik, rep = cjunctions.reconcile("deleted", IK, apart, cjunctions.JunctionRules(3, 1, 5, 2, False))
    assert ik == {**IK, "junction": "not_applicable"} and len(rep) == 1
    # an IKZF1 junction removing no exon, a PAX5 junction: neither confirms nor makes a call
    other = _bps([_j([], 9, 0, label="none"), _j([4], 9, 0, gene="PAX5")])
    assert cjunctions.reconcile("deleted", IK, other, cjunctions.JunctionRules(3, 1, 5, 0, False))[1]["junction"] \
        == "not_applicable"
    wt = {**IK, "deletion": "none", "exons_deleted": "", "cell_fraction": None, "mechanism": "NA"}
    st, ik, rep = cjunctions.reconcile("wildtype", wt, other, cjunctions.JunctionRules(3, 1, 5, 0, True))
    assert (st, ik) == ("wildtype", {**wt, "junction": "not_applicable"}) and len(rep) == 2


def test_reconcile_calls_from_the_best_supported_junction_every_field():
    """Four junctions with split reads, no depth signal: most reads (split + pairs: 9, 9, 9, 8),
    then most split reads (6, 6 of the three), then the leftmost."""
    wt = {"deletion": "none", "exons_deleted": "", "exons_biallelic": "", "cell_fraction": None, "cf_low": None,
          "cf_high": None, "mechanism": "NA", "evidence": "window: exon=8", "lod": "x"}
    bps = _bps([_j([2, 3], 3, 6, start=50_310_000, cf=0.11), _j([4, 5], 6, 3, start=50_380_000, cf=0.12),
                _j([4, 5, 6, 7], 6, 3, start=50_370_000, cf=0.13), _j([8], 8, 0, start=50_300_000, cf=0.14)])
    st, ik, rep = cjunctions.reconcile("wildtype", wt, bps, cjunctions.JunctionRules(3, 1, 5, 0, False))
    assert st == "deleted" and len(rep) == 4
    assert ik == {"deletion": "del4-7", "exons_deleted": "4,5,6,7", "exons_biallelic": "", "cell_fraction": 0.13,
                  "cf_low": None, "cf_high": None, "mechanism": "focal", "junction": "confirmed", "lod": "x",
                  "deletion_alt": "NA", "deletion_alt_lr": None,
                  "evidence": "junction chr7:50370000-50420000, 6 split reads, 3 discordant pairs, no depth signal "
                              "(below the depth limit)"}
    # exactly min_split_reads split reads are enough
    st, ik, _ = cjunctions.reconcile("wildtype", wt, bps.iloc[:1], cjunctions.JunctionRules(3, 3, 5, 0, False))
    assert (st, ik["deletion"]) == ("deleted", "del2-3")
