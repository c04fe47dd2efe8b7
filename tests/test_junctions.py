"""Deletion junctions from split reads (junctions.py), checked by hand."""
import math

import pandas as pd
import pytest

from ikzf1cnv import junctions


def test_parse_sa_and_reference_length():
    sa = junctions.parse_sa("chr7,50395891,+,28S72M,60,0;chr1,100,-,50M50S,3,1;")
    assert sa[0] == ("chr7", 50395890, "+", [(28, "S"), (72, "M")])
    assert sa[1][:3] == ("chr1", 99, "-")
    assert junctions.ref_length([(10, "M"), (5, "D"), (3, "I"), (20, "M"), (7, "S")]) == 35


def test_split_read_records_either_part_primary():
    # left part primary: 28M72S ending at 1028; SA right part at 5000 (1-based 5001), 28S72M
    assert junctions.split_read_record("chr7", 1000, 1028, [(0, 28), (4, 72)], False, "chr7,5001,+,28S72M,60,0;",
                                       20) == ("chr7", 1028, 5000)
    # right part primary: 28S72M at 5000-5072, SA left part 28M72S from 1000 (1-based 1001)
    assert junctions.split_read_record("chr7", 5000, 5072, [(4, 28), (0, 72)], True, "chr7,1001,-,28M72S,60,0;",
                                       20) == ("chr7", 1028, 5000)
    # not a deletion junction: other strand, other chromosome, a part under min_clip, SA upstream of a right clip
    assert junctions.split_read_record("chr7", 1000, 1028, [(0, 28), (4, 72)], False, "chr7,5001,-,28S72M,60,0;", 20) is None
    assert junctions.split_read_record("chr7", 1000, 1028, [(0, 28), (4, 72)], False, "chr9,5001,+,28S72M,60,0;", 20) is None
    assert junctions.split_read_record("chr7", 1000, 1085, [(0, 85), (4, 15)], False, "chr7,5001,+,85S15M,60,0;", 20) is None
    assert junctions.split_read_record("chr7", 1000, 1028, [(0, 28), (4, 72)], False, "chr7,501,+,28S72M,60,0;", 20) is None
    # Ensembl-named BAM: the SA tag says '7', the record the build's 'chr7'
    assert junctions.split_read_record("chr7", 1000, 1028, [(0, 28), (4, 72)], False, "7,5001,+,28S72M,60,0;", 20,
                                       "7") == ("chr7", 1028, 5000)


def test_cluster_within_tolerance_at_the_most_common_ends():
    recs = [("chr7", 1028, 5000)] * 3 + [("chr7", 1030, 5002), ("chr7", 1028, 5100), ("chr9", 10, 20)]
    df = junctions.cluster(recs, 5)
    assert df.values.tolist() == [["chr7", 1028, 5000, 4, 0], ["chr7", 1028, 5100, 1, 0], ["chr9", 10, 20, 1, 0]]
    assert list(junctions.cluster([], 5).columns) == junctions.JUNCTION_COLS


def test_rss_heptamer_either_strand():
    assert junctions.rss("TTTCACAGTGTTT") == "CACAGTG"
    assert junctions.rss("TTTCACTGTGTTT") == "CACAGTG"       # the reverse complement
    assert junctions.rss("TTTCACAGTATTT") == "CACAGTG~1"
    assert junctions.rss("TTTTTTTTTTTTT") == "none"


def test_cell_fraction_from_split_reads_by_hand():
    # 30x, 100 bp reads, 20 bp minimum parts: one allele in every cell gives 30/100/2 = 0.15
    # split starts per bp over 61 positions = 9.15 reads; 3 reads -> 0.328
    assert junctions.cell_fraction(3, 30, 100, 20) == pytest.approx(3 / 9.15)
    assert junctions.cell_fraction(30, 30, 100, 20) == 1.0


def _bps(rows):
    cols = ["gene", "chrom", "start", "end", "split_reads", "discordant_pairs", "cell_fraction", "exons_removed",
            "label", "rss_left", "rss_right"]
    return pd.DataFrame(rows, columns=cols)


IK = {"deletion": "del4-7", "exons_deleted": "4,5,6,7", "exons_biallelic": "", "cell_fraction": 0.8,
      "cf_low": 0.7, "cf_high": 0.9, "mechanism": "focal", "evidence": "run"}
J47 = ["IKZF1", "chr7", 50352144, 50395890, 5, 0, 0.69, "IKZF1:4,IKZF1:5,IKZF1:6,IKZF1:7", "del4-7", "NA", "NA"]


def test_reconcile_depth_and_junctions():
    st, ik = junctions.reconcile("deleted", IK, _bps([J47]), True, 3)
    assert st == "deleted" and ik["junction"] == "confirmed" and ik["deletion"] == "del4-7"
    assert junctions.reconcile("deleted", IK, _bps([]), True, 3)[1]["junction"] == "none_found"      # genome: review
    assert junctions.reconcile("deleted", IK, _bps([]), False, 3)[1]["junction"] == "not_applicable"  # panel
    wt = {**IK, "deletion": "none", "exons_deleted": "", "cell_fraction": None, "mechanism": "NA"}
    # a junction with no depth signal: 5 split reads >= 3 make the call, from the junction
    st, ik = junctions.reconcile("wildtype", wt, _bps([J47]), True, 3)
    assert st == "deleted" and ik["deletion"] == "del4-7" and ik["cell_fraction"] == 0.69
    assert ik["junction"] == "confirmed" and "no depth signal" in ik["evidence"]
    # two split reads are not enough on their own
    weak = _bps([J47[:4] + [2] + J47[5:]])
    st, ik = junctions.reconcile("wildtype", wt, weak, True, 3)
    assert st == "wildtype" and ik["junction"] == "not_applicable"


def test_breakpoints_place_junctions_in_windows_and_name_the_exons():
    units = pd.DataFrame({"gene": ["IKZF1"] * 3, "exon": ["3", "4", "5"], "chrom": "chr7",
                          "start": [1001, 5001, 9001], "end": [1100, 5100, 9100]})
    jx = pd.DataFrame([["chr7", 2000, 9500, 6, 0], ["chr7", 900_000, 950_000, 9, 0]], columns=junctions.JUNCTION_COLS)
    bps = junctions.breakpoints(jx, units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: 30.0, 100, 20)
    assert len(bps) == 1     # the second junction is outside every window
    r = bps.iloc[0]
    assert (r["label"], r["exons_removed"], r["start"], r["end"]) == ("del4-5", "IKZF1:4,IKZF1:5", 2000, 9500)
    assert r["cell_fraction"] == pytest.approx(round(6 / 9.15, 3)) and r["rss_left"] == "NA"
    nodepth = junctions.breakpoints(jx, units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: math.nan, 100, 20)
    assert math.isnan(nodepth.iloc[0]["cell_fraction"])


def test_breakpoints_look_for_the_rss_beside_each_end_in_the_fasta(tmp_path):
    import pysam
    seq = ["A"] * 20_000
    seq[1995:2002] = list("CACAGTG")          # beside the left end (2000)
    seq[9498:9505] = list("CACTGTA")          # the reverse complement with one mismatch, beside the right end
    fa = tmp_path / "r.fa"
    fa.write_text(">chr7\n" + "".join(seq) + "\n")
    pysam.faidx(str(fa))
    units = pd.DataFrame({"gene": ["IKZF1"], "exon": ["4"], "chrom": "chr7", "start": [5001], "end": [5100]})
    jx = pd.DataFrame([["chr7", 2000, 9500, 6, 0]], columns=junctions.JUNCTION_COLS)
    with pysam.FastaFile(str(fa)) as f:
        r = junctions.breakpoints(jx, units, {"IKZF1": ("chr7", 0, 20_000)}, lambda c, p: 30.0, 100, 20, f).iloc[0]
    assert (r["rss_left"], r["rss_right"]) == ("CACAGTG", "CACAGTG~1")
