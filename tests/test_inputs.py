"""Bad input gets a clear error naming the sample, the column and the fix."""
from pathlib import Path

import pandas as pd
import pysam
import pytest
import yaml

from ikzf1cnv.core import annotation, errors
from ikzf1cnv.inputs import bam as bam_check, bed, config as config_check, sheet as sheet_check


@pytest.fixture(scope="module")
def schema(root):
    return yaml.safe_load((root / "workflow" / "schemas" / "samples.schema.yaml").read_text())


def make_bam(path, contigs, index=True, sort_order="coordinate", starts=(100,), unmapped=0):
    """A BAM of 50 bp reads at `starts` on the first contig (in that order), then
    `unmapped` unplaced reads."""
    header = {"HD": {"VN": "1.6", "SO": sort_order}, "SQ": [{"SN": c, "LN": n} for c, n in contigs.items()]}
    with pysam.AlignmentFile(str(path), "wb", header=header) as fh:
        for i, start in enumerate(starts):
            a = pysam.AlignedSegment(fh.header)
            a.query_name, a.reference_id, a.reference_start = f"r{i}", 0, start
            a.mapping_quality, a.cigartuples, a.query_sequence = 60, [(0, 50)], "A" * 50
            fh.write(a)
        for i in range(unmapped):
            a = pysam.AlignedSegment(fh.header)
            a.query_name, a.flag, a.reference_id, a.reference_start = f"u{i}", 4, -1, -1
            a.query_sequence = "A" * 50
            fh.write(a)
    if index:
        pysam.index(str(path))
    return str(path)


@pytest.fixture
def sheet(tmp_path, root):
    contigs = annotation.load_contigs(root / "resources", "hg38")
    bams = {n: make_bam(tmp_path / f"{n}.bam", contigs) for n in ("A", "B", "C")}

    def write(rows, header="sample\tbam\ttype\tsubtype\tage_group\tblast_pct\tsex"):
        p = tmp_path / "samples.tsv"
        p.write_text(header + "\n" + "\n".join("\t".join(r) for r in rows) + "\n")
        return p
    return write, bams, tmp_path


def test_good_sheet_gets_defaults(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "", "", "", "", ""], ["B", bams["B"], "normal", "Ph+", "adult", "85", "male"]])
    df = sheet_check.load_sample_sheet(p, schema)
    assert df.loc["A", "type"] == "tumor" and df.loc["A", "subtype"] == "unknown"
    assert df.loc["B", "blast_pct"] == 85.0


def test_unknown_subtype_names_sample_column_and_fix(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "tumor", "Ph-positive", "", "", ""]])
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert "sample 'A' (line 2), column 'subtype'" in msg and "'Ph-positive'" in msg and "'B-other'" in msg
    assert "Fix: use one of these subtypes, or 'unknown'" in msg


def test_duplicate_sample(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "tumor", "", "", "", ""], ["A", bams["B"], "tumor", "", "", "", ""]])
    with pytest.raises(errors.InputError, match=r"sample 'A' appears on lines 2, 3.*unique"):
        sheet_check.load_sample_sheet(p, schema)


def test_missing_and_unindexed_bam(sheet, schema, root):
    write, bams, tmp = sheet
    contigs = annotation.load_contigs(root / "resources", "hg38")
    noidx = make_bam(tmp / "noidx.bam", contigs, index=False)
    p = write([["A", str(tmp / "nothere.bam"), "tumor", "", "", "", ""], ["B", noidx, "tumor", "", "", "", ""]])
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert "sample 'A'" in msg and "nothere.bam not found" in msg
    assert "sample 'B'" in msg and "no index" in msg and f"samtools index {noidx}" in msg
    assert "2 problem(s)" in msg


@pytest.mark.parametrize("col,val", [("blast_pct", "120"), ("blast_pct", "high"), ("sex", "M"),
                                     ("type", "germline"), ("age_group", "child")])
def test_bad_values(sheet, schema, col, val):
    write, bams, _ = sheet
    cols = ["sample", "bam", "type", "subtype", "age_group", "blast_pct", "sex"]
    row = dict(zip(cols, ["A", bams["A"], "tumor", "", "", "", ""]))
    row[col] = val
    p = write([[row[c] for c in cols]])
    with pytest.raises(errors.InputError, match=rf"sample 'A' \(line 2\), column '{col}'"):
        sheet_check.load_sample_sheet(p, schema)


def test_bad_sample_name_and_missing_column(sheet, schema):
    write, bams, _ = sheet
    with pytest.raises(errors.InputError, match="column 'sample'"):
        sheet_check.load_sample_sheet(write([["-bad name", bams["A"], "tumor", "", "", "", ""]]), schema)
    with pytest.raises(errors.InputError, match="required column 'bam' is missing"):
        sheet_check.load_sample_sheet(write([["A"]], header="sample"), schema)


def test_bam_of_the_other_build(tmp_path, root):
    res = root / "resources"
    hg38, hg19 = annotation.load_contigs(res, "hg38"), annotation.load_contigs(res, "hg19")
    bam = make_bam(tmp_path / "x.bam", hg19)
    with pytest.raises(errors.InputError) as e:
        bam_check.check_bam("X", bam, hg38, "hg38", {"hg19": hg19})
    msg = str(e.value)
    assert "sample 'X'" in msg and "not aligned to hg38" in msg and "They match hg19" in msg
    assert "genome: hg19" in msg
    ok = bam_check.check_bam("X", bam, hg19, "hg19", {"hg38": hg38})
    assert ok["read_length"] == 50


def test_bam_without_chr_prefix_and_unsorted(tmp_path, root):
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    # Ensembl/NCBI names ('7'): read as the build's, the lengths still checked
    bam = make_bam(tmp_path / "n.bam", {c.removeprefix("chr"): n for c, n in hg38.items()})
    facts = bam_check.check_bam("N", bam, hg38, "hg38", {})
    assert facts["contig_naming"] == "ensembl" and facts["contig_names"]["chr7"] == "7"
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    b37 = make_bam(tmp_path / "b37.bam", {c.removeprefix("chr"): n for c, n in hg19.items()})
    with pytest.raises(errors.InputError, match="not aligned to hg38.*They match hg19"):
        bam_check.check_bam("G", b37, hg38, "hg38", {"hg19": hg19})
    other = make_bam(tmp_path / "o.bam", {"scaffold_1": 1000})
    with pytest.raises(errors.InputError, match="shares no contig name with hg38"):
        bam_check.check_bam("O", other, hg38, "hg38", {})


# ---------------------------------------------------------------- how a sheet is written
PLAIN = "sample\tbam\ttype\tsubtype\tage_group\tblast_pct\tsex\n{A}\n{B}\n"


def rows(bams):
    return {"A": f"A\t{bams['A']}\ttumor\tB-other\tpediatric\t80\tfemale",
            "B": f"B\t{bams['B']}\tnormal\t\t\t\tmale"}


@pytest.mark.parametrize("variant", ["bom", "crlf", "cr", "trailing_spaces", "trailing_tab", "empty_line",
                                     "blank_cells_line", "comment_line", "quoted", "commented_header"])
def test_sheets_as_editors_write_them_read_as_the_plain_sheet(sheet, schema, variant):
    """A byte-order mark, CRLF (Windows) or CR (old Mac) line ends, spaces after values, a
    trailing tab, an empty line, a line of empty cells (spreadsheet export), a comment line,
    quoted values and a `#`-commented header: the same table as the plain sheet."""
    _, bams, tmp = sheet
    r = rows(bams)
    plain = tmp / "plain.tsv"
    plain.write_text(PLAIN.format(**r))
    text = {
        "bom": "\ufeff" + PLAIN.format(**r),
        "crlf": PLAIN.format(**r).replace("\n", "\r\n"),
        "cr": PLAIN.format(**r).replace("\n", "\r"),
        "trailing_spaces": PLAIN.format(A=r["A"].replace("\t", "  \t") + "  ", B=r["B"] + " "),
        "trailing_tab": PLAIN.format(A=r["A"] + "\t", B=r["B"] + "\t"),
        "empty_line": PLAIN.format(A=r["A"] + "\n", B=r["B"]) + "\n",
        "blank_cells_line": PLAIN.format(A=r["A"] + "\n\t\t\t \t\t\t", B=r["B"]),
        "comment_line": "# cohort 2024\n" + PLAIN.format(A=r["A"] + "\n#C\tx.bam", B=r["B"]),
        "quoted": PLAIN.format(A="\t".join(f'"{f}"' for f in r["A"].split("\t")), B=r["B"]),
        "commented_header": "#" + PLAIN.format(**r),
    }[variant]
    p = tmp / f"{variant}.tsv"
    p.write_bytes(text.encode())
    got = sheet_check.load_sample_sheet(p, schema)
    pd.testing.assert_frame_equal(got, sheet_check.load_sample_sheet(plain, schema))
    assert list(got["sample"]) == ["A", "B"] and got.loc["A", "subtype"] == "B-other"
    assert got.loc["A", "bam"] == bams["A"] and got.loc["A", "blast_pct"] == 80.0


def test_lines_are_the_files_lines(sheet, schema):
    """Messages give the line of the file, counting the blank and comment lines skipped."""
    _, bams, tmp = sheet
    p = tmp / "s.tsv"
    p.write_text(f"# my cohort\nsample\tbam\tsubtype\n\nA\t{bams['A']}\tB-other\n#x\nB\t{bams['B']}\tPh-positive\n")
    with pytest.raises(errors.InputError, match=r"sample 'B' \(line 6\), column 'subtype'"):
        sheet_check.load_sample_sheet(p, schema)


def test_same_bam_twice_names_both_lines(sheet, schema, tmp_path):
    """The same BAM under two names (however its path is written): an error naming both lines."""
    write, bams, _ = sheet
    link = Path(bams["A"]).parent / "link"
    link.mkdir()
    (link / "a.bam").symlink_to(bams["A"])
    (link / "a.bam.bai").symlink_to(bams["A"] + ".bai")
    other = f"{link}/../link/a.bam"      # a symlink, through a detour
    p = write([["A", bams["A"], "tumor", "", "", "", ""], ["B", bams["B"], "normal", "", "", "", ""],
               ["C", other, "tumor", "", "", "", ""]])
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert f"samples 'A' (line 2) and 'C' (line 4) give the same BAM {bams['A']}" in msg
    assert "Fix: correct the `bam` of the wrong row, or remove it" in msg and "1 problem(s)" in msg


def test_stale_index_is_an_error_with_samtools_index(sheet, schema, root):
    import os
    write, bams, tmp = sheet
    idx = bam_check.index_of(bams["A"])
    p = write([["A", bams["A"], "tumor", "", "", "", ""]])
    t = os.stat(bams["A"]).st_mtime
    os.utime(idx, (t - 60, t - 60))      # the BAM rewritten a minute after it was indexed
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert f"sample 'A' (line 2), column 'bam': {bams['A']} is newer than its index {idx}" in msg
    assert f"Fix: run `samtools index {bams['A']}`" in msg and f"`touch {idx}`" in msg
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    with pytest.raises(errors.InputError, match=r"sample 'A': .* is newer than its index.*samtools index"):
        bam_check.check_bam("A", bams["A"], hg38, "hg38", {})
    os.utime(idx, (t, t))                # written in the same second: not stale (htslib's test)
    assert list(sheet_check.load_sample_sheet(p, schema)["sample"]) == ["A"]


def test_empty_sheet_header_only_and_only_normals(sheet, schema):
    write, bams, tmp = sheet
    empty = tmp / "empty.tsv"
    empty.write_text("\n\n")
    with pytest.raises(errors.InputError, match=r"empty.tsv is empty\. Fix: write a header line"):
        sheet_check.load_sample_sheet(empty, schema)
    with pytest.raises(errors.InputError, match=r"has a header but no samples\. Fix: add one row per BAM"):
        sheet_check.load_sample_sheet(write([]), schema)
    p = write([["A", bams["A"], "normal", "", "", "", ""], ["B", bams["B"], "normal", "", "", "", ""]])
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    assert ("no tumour: every sample (2, lines 2-3) has type 'normal'" in str(e.value)
            and "Fix: add the tumours (type 'tumor', or leave type empty)" in str(e.value))


def test_blast_pct_150_names_the_valid_range(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "tumor", "", "", "150", ""]])
    with pytest.raises(errors.InputError) as e:
        sheet_check.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert "sample 'A' (line 2), column 'blast_pct': '150' is not valid" in msg
    assert "Fix: give the blast percentage as a number from 0 to 100, or leave it empty" in msg


def test_malformed_rows_and_headers(sheet, schema):
    """An extra field, a row or header with spaces for tabs, a misspelt column, a
    duplicated column, a file that is not UTF-8: the line and the fix."""
    write, bams, tmp = sheet
    cases = {
        f"sample\tbam\nA\t{bams['A']}\tx\n": r"line 2 has 3 fields but the header \(line 1\) has 2\. Fix: remove",
        f"sample\tbam\nA {bams['A']}\n": r"line 2 has no tab: .* Fix: separate its columns with tabs",
        f"sample,bam\nA,{bams['A']}\n": r"line 1: the header 'sample,bam' has no tab.* Fix: save it as tab-separated",
        f"sample\tbam\tsubtyp\nA\t{bams['A']}\tPh+\n":
            r"column 'subtyp' \(header\) .* did you mean 'subtype'\? Fix: rename it 'subtype'",
        f"sample\tbam\tbam\nA\t{bams['A']}\tx\n": r"line 1: column\(s\) bam appear twice in the header\. Fix",
    }
    for text, pattern in cases.items():
        p = tmp / "m.tsv"
        p.write_text(text)
        with pytest.raises(errors.InputError, match=pattern):
            sheet_check.load_sample_sheet(p, schema)
    p.write_bytes(f"sample\tbam\nA\t{bams['A']}\nB\t/data/B\xe9.bam\n".encode("latin-1"))
    with pytest.raises(errors.InputError, match=r"m.tsv, line 3: byte 0xe9 is not UTF-8 text\. Fix: save"):
        sheet_check.load_sample_sheet(p, schema)


# ---------------------------------------------------------------- BAM faults (per sample)
def test_bam_with_no_reads_names_sample_file_and_fix(tmp_path, root):
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    empty = make_bam(tmp_path / "e.bam", hg38, starts=())
    with pytest.raises(errors.InputError) as e:
        bam_check.check_bam("E", empty, hg38, "hg38", {})
    assert f"sample 'E': {empty} holds no reads" in str(e.value)
    assert "Fix: check that the sheet's `bam` is the right file" in str(e.value)
    unaligned = make_bam(tmp_path / "u.bam", hg38, starts=(), unmapped=5)
    with pytest.raises(errors.InputError, match=rf"sample 'U': {unaligned} has no aligned reads \(its first 5 are "
                                                rf"all unmapped\)\. Fix: align the reads to hg38"):
        bam_check.check_bam("U", unaligned, hg38, "hg38", {})
    nosq = tmp_path / "nosq.bam"
    with pysam.AlignmentFile(str(nosq), "wb", header={"HD": {"VN": "1.6", "SO": "unsorted"}}) as fh:
        a = pysam.AlignedSegment(fh.header)
        a.query_name, a.flag, a.query_sequence = "u", 4, "A" * 50
        fh.write(a)
    pysam.index(str(nosq))
    with pytest.raises(errors.InputError, match=r"sample 'Q': .*nosq.bam has no reference sequences \(@SQ\).*"
                                                r"Fix: align them to hg38"):
        bam_check.check_bam("Q", str(nosq), hg38, "hg38", {})


def test_unsorted_bam_names_sample_file_and_fix(tmp_path, root):
    """The reads decide, as in CNVkit: a sorted, indexed BAM whose header lacks SO:coordinate
    is read; one whose reads are out of order (its index from before) is an error."""
    import os
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    nohd = make_bam(tmp_path / "n.bam", hg38, sort_order="unsorted", starts=(100, 200, 300))
    assert bam_check.check_bam("N", nohd, hg38, "hg38", {})["read_length"] == 50
    bam = make_bam(tmp_path / "u.bam", hg38, sort_order="unsorted", starts=(100, 200, 300))
    make_bam(tmp_path / "u.bam", hg38, index=False, sort_order="unsorted", starts=(300, 100, 200))
    os.utime(bam + ".bai")               # an index newer than the BAM, but not of it
    with pytest.raises(errors.InputError) as e:
        bam_check.check_bam("U", bam, hg38, "hg38", {})
    msg = str(e.value)
    assert f"sample 'U': {bam} is not coordinate-sorted (header SO:unsorted) (its read 2 is placed before read 1)" in msg
    assert f"Fix: `samtools sort -o sorted.bam {bam} && samtools index sorted.bam`, then give sorted.bam" in msg
    qn = make_bam(tmp_path / "q.bam", hg38, sort_order="queryname")
    with pytest.raises(errors.InputError, match=r"not coordinate-sorted \(header SO:queryname\)\. Fix: `samtools sort"):
        bam_check.check_bam("Q", qn, hg38, "hg38", {})


# ---------------------------------------------------------------- the config
@pytest.fixture(scope="module")
def config_schema(root):
    return yaml.safe_load((root / "workflow" / "schemas" / "config.schema.yaml").read_text())


def check(tmp_path, schema, text):
    f = tmp_path / "my.yaml"
    f.write_text(text)
    with pytest.raises(errors.InputError) as e:
        config_check.check_config(yaml.safe_load(text), schema, [str(f)])
    return str(e.value).replace(str(f), "my.yaml")


def test_misspelt_config_keys_name_the_line_and_the_closest_setting(tmp_path, config_schema):
    msg = check(tmp_path, config_schema, "samples: s.tsv\njunctons:\n  min_clip: 10\nqc:\n  min_depht: 20\n"
                                         "caller:\n  min_z: 3\n")
    assert "3 problem(s)" in msg
    assert ("config key `junctons` (my.yaml, line 2) is not a setting of this workflow. "
            "Did you mean `junctions`? Fix: rename it `junctions`") in msg
    assert "config key `qc.min_depht` (my.yaml, line 5) is not a setting of `qc`. Did you mean `qc.min_depth`?" in msg
    assert ("config key `caller.min_z` (my.yaml, line 7) is not a setting of `caller`. Fix: remove it, or use one "
            "of the settings of `caller`: false_positive_rate, ") in msg
    msg = check(tmp_path, config_schema, "junctions:\n  min_clp: 3\nwgs:\n  bin_sise: 500\n")
    assert "`junctions.min_clp` (my.yaml, line 2) is not a setting of `junctions`. Did you mean `junctions.min_clip`" in msg
    assert "`wgs.bin_sise` (my.yaml, line 4) is not a setting of `wgs`. Did you mean `wgs.bin_size`" in msg
    with pytest.raises(errors.InputError, match=r"`junctons` \(given with --config\)"):
        config_check.check_config({"junctons": 3}, config_schema, [])


def test_config_values_out_of_range_name_the_line_and_what_is_allowed(tmp_path, config_schema):
    msg = check(tmp_path, config_schema, "genome: hg37\ncaller:\n  min_cell_fraction: 2\nbatch_size: 0\n"
                                         "targets: 5\n")
    assert ("config `genome` (my.yaml, line 1): 'hg37' is not valid ('hg37' is not one of ['hg38', 'hg19']). "
            "Fix: give one of hg38, hg19") in msg
    assert "config `caller.min_cell_fraction` (my.yaml, line 3): 2 is not valid" in msg
    assert "Fix: give a number > 0 and <= 1" in msg
    assert "config `batch_size` (my.yaml, line 4): 0 is not valid" in msg and "Fix: give an integer >= 1" in msg
    assert "config `targets` (my.yaml, line 5)" in msg and "Fix: give a path or text, or null" in msg


def test_an_empty_block_reads_as_its_defaults(config_schema):
    """`caller:` with every setting commented out is YAML null: an empty block, no error."""
    cfg = yaml.safe_load("samples: s.tsv\ncaller:\n  # min_cell_fraction: 0.1\nqc:\n")
    assert cfg["caller"] is None
    config_check.empty_blocks_as_defaults(cfg, config_schema)
    assert cfg == {"samples": "s.tsv", "caller": {}, "qc": {}}
    config_check.check_config(cfg, config_schema, [])


def test_bundled_configs_pass_the_check(root, config_schema):
    files = [root / "config" / f for f in ("config.yaml", "genome.yaml", "hotspot.yaml")]
    files += sorted((root / "tests" / "scenarios").glob("*/config.yaml"))
    for f in files:
        config_check.check_config(yaml.safe_load(f.read_text()) or {}, config_schema, [str(f)])  # raises if not


# ---------------------------------------------------------------- the target BED
PANEL_ROWS = [("chr7", 50304000, 50305000, "IKZF1_1"), ("chr7", 50310000, 50310300, "IKZF1_2"),
              ("chr9", 21967000, 21968000, "CDKN2A_1"), ("chr12", 11650000, 11651000, "ETV6_1")]


def bed_text(rows):
    return "".join("\t".join(map(str, r)) + "\n" for r in rows)


def test_bed_header_lines_order_and_overlaps_are_handled_and_noted(tmp_path, root):
    """`track`, `browser` and `#` lines (also after the first interval, where CNVkit would stop
    reading), a column-name line, CRLF and spaces for tabs are read as meant; unsorted
    intervals are sorted and overlapping ones merged, as CNVkit's target bins do: the bins
    equal those of the clean BED (with the overlap's span), none overlapping, every case noted."""
    from ikzf1cnv.cnvkit import bins as cnvkit_bins
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    clean = tmp_path / "clean.bed"
    clean.write_text(bed_text(PANEL_ROWS))
    want, _ = cnvkit_bins.make_bins(str(clean), 267, 1_000_000)
    messy = tmp_path / "messy.bed"
    rows = [bed_text([r]).rstrip("\n") for r in PANEL_ROWS]
    messy.write_bytes(("\ufeffbrowser position chr7:1-100\r\ntrack name=panel\r\n# v2\r\nchrom\tstart\tend\tname\r\n"
                       + rows[3] + "\r\n" + rows[0].replace("\t", " ") + "\r\ntrack name=second\r\n\r\n"
                       + rows[2] + "\r\n" + rows[1] + "\r\n").encode())
    notes = bed.check_targets(str(messy), hg38, "hg38")
    assert notes == ["5 header line(s) skipped (track, browser, # or column names): line(s) 1, 2, 3, 4, 7",
                     "intervals not sorted (a chromosome's intervals are not together): sorted by position, "
                     "as CNVkit does"]
    got, _ = cnvkit_bins.make_bins(str(messy), 267, 1_000_000)
    assert got.data.equals(want.data)
    over = tmp_path / "over.bed"
    over.write_text(bed_text(PANEL_ROWS + [("chr7", 50304800, 50305400, "IKZF1_1b")]))
    notes = bed.check_targets(str(over), hg38, "hg38")
    assert ("1 interval(s) overlap an earlier one (first: line 5 overlaps line 1, chr7:50304800-50305400): merged "
            "into one target before binning") in notes[-1]
    got, _ = cnvkit_bins.make_bins(str(over), 267, 1_000_000)
    d = got.data[got.data["chromosome"] == "chr7"]
    assert (d["start"].to_numpy()[1:] >= d["end"].to_numpy()[:-1]).all()          # no base in two bins
    assert d["start"].min() == 50304000 and d[d["start"] < 50305400]["end"].max() == 50305400


def test_bed_errors_name_the_line_and_the_fix(tmp_path, root):
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    cases = {
        bed_text(PANEL_ROWS[:1]) + "chr7\t50310300\t50310000\tx\n":
            r"line 2: chr7 50310300 50310000 ends before it starts .* Fix: give start < end",
        bed_text(PANEL_ROWS[:1]) + "chr7\t5e7\t50310000\n": r"line 2: start '5e7' .* not whole numbers\. Fix",
        bed_text(PANEL_ROWS[:1]) + "chr7\t50310000\n": r"line 2 has 2 field\(s\): .* Fix: a BED line is chrom",
        bed_text(PANEL_ROWS[:1]) + "7\t50310000\t50310300\n":
            r"line 2: contig '7' is written Ensembl-style, .* Fix: name the BED's contigs as hg38 does \('chr7' for '7'\)",
        bed_text(PANEL_ROWS[:1]) + "chr7\t159345900\t159346100\n":
            r"line 2: chr7:159345900-159346100 ends past the end of chr7 \(159,345,973 bp in hg38; 1 interval\(s\) "
            r"do\)\. Fix: give the panel's BED for hg38",
        "NC_000007.14\t50304000\t50305000\n": r"no interval lies on a contig of hg38 .* Fix: give the panel's BED",
        "track name=x\n# nothing\n": r"holds no interval\. Fix: give the panel's BED",
    }
    for text, pattern in cases.items():
        p = tmp_path / "t.bed"
        p.write_text(text)
        with pytest.raises(errors.InputError, match=rf"(?s)^target BED {p} .*{pattern}"):
            bed.check_targets(str(p), hg38, "hg38")
    p.write_text(bed_text(PANEL_ROWS) + "chr7\t100\t100\tempty\n")
    assert bed.check_targets(str(p), hg38, "hg38") == ["1 zero-width interval(s) dropped, as CNVkit does: line(s) 5"]
    p.write_text(bed_text(PANEL_ROWS) + "chr7_KI270803v1_alt\t100\t200\n")
    assert bed.check_targets(str(p), hg38, "hg38") == [
        "1 interval(s) on contigs hg38 does not list (chr7_KI270803v1_alt) kept, as CNVkit keeps them (a BAM "
        "without them skips their bins)"]


# ------------------------------------------------------------------ config traps (issue 19)
def test_a_config_that_forgets_samples_is_refused_by_name():
    with pytest.raises(errors.InputError, match=r"config `samples` is not set \(my.yaml\)"):
        config_check.check_forgotten_keys({"genome", "targets"}, ["my.yaml"])
    config_check.check_forgotten_keys({"samples", "genome"}, ["config/config.yaml"])   # no error


def test_the_run_mode():
    assert config_check.run_mode(None, 0, 10_000) == "whole genome"
    assert config_check.run_mode("p.bed", 805, 10_000) == "panel"
    assert config_check.run_mode("e.bed", 190_706, 10_000) == "exome-sized"
    assert config_check.run_mode("e.bed", 10_000, 10_000) == "exome-sized"


def test_interval_lines_counts_intervals_not_headers(tmp_path):
    p = tmp_path / "t.bed"
    p.write_text("track name=x\n# comment\nchr1\t0\t10\n\nchr1\t20\t30\tA\nbrowser position chr1\n")
    assert bed.interval_lines(p) == 2


def test_capture_and_genome_bams_are_told_apart(root, tmp_path):
    """Over a 100 kb region in 1 kb tiles: a genome-like BAM (a read every 50 bp) leaves no
    tile sparse; the toy's panel BAM leaves most of the IKZF1 window's tiles nearly empty.
    Whole-genome mode on capture-like BAMs: an error naming `targets` when it was left out, a
    warning when `targets: null` was written; none for genome-like BAMs."""
    contigs = {"chr7": 159_345_973}
    genome = make_bam(tmp_path / "g.bam", contigs, starts=range(1_000_000, 1_100_000, 50))
    ev = bam_check.capture_evidence(genome, "chr7", 1_000_000, 1_100_000, 1000)
    assert ev == {"tiles": 100, "sparse": 0, "share": 0.0}
    ik = ("chr7", 50_004_716, 51_105_101)
    panel = str(root / "resources" / "toy" / "bams" / "T01.bam")
    ev = bam_check.capture_evidence(panel, *ik, 1000)
    assert ev["tiles"] == 1100 and ev["share"] > 0.8
    with pytest.raises(errors.InputError, match="config `targets` is not set.*sample 'T01'"):
        bam_check.check_genome_mode({"T01": panel}, ik, 1000, 0.5, targets_given=False)
    warn = bam_check.check_genome_mode({"T01": panel}, ik, 1000, 0.5, targets_given=True)
    assert warn.startswith("whole-genome mode (`targets: null`) on data that look like capture: sample 'T01'")
    assert bam_check.check_genome_mode({"G": genome}, ("chr7", 1_000_000, 1_100_000), 1000, 0.5, False) is None


def test_a_bam_read_directly_gives_what_pysam_gives(tmp_path, root, monkeypatch):
    """check_bam reads a BAM's header and first reads directly (pysam loads the index when
    it opens a BAM): the same contigs, sort order and reads as pysam, for BAMs of every kind
    the checks word (sorted, unsorted, queryname, no @HD, no @SQ, no reads, unmapped only,
    the toy's), and for a file the direct reader cannot read, pysam's own error."""
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    bams = [make_bam(tmp_path / "a.bam", hg38, starts=(100, 200, 300)),
            make_bam(tmp_path / "b.bam", hg38, sort_order="queryname"),
            make_bam(tmp_path / "c.bam", hg38, index=False, sort_order="unsorted", starts=(300, 100, 200)),
            make_bam(tmp_path / "d.bam", hg38, starts=()), make_bam(tmp_path / "e.bam", hg38, starts=(), unmapped=5),
            str(root / "resources" / "toy" / "bams" / "T01.bam")]
    nohd = tmp_path / "nohd.bam"
    with pysam.AlignmentFile(str(nohd), "wb", header={"SQ": [{"SN": "chr1", "LN": 1000}]}) as fh:
        a = pysam.AlignedSegment(fh.header)
        a.query_name, a.reference_id, a.reference_start, a.cigarstring, a.query_sequence = "r", 0, 5, "10M", "A" * 10
        fh.write(a)
    nosq = tmp_path / "nosq.bam"
    with pysam.AlignmentFile(str(nosq), "wb", header={"HD": {"VN": "1.6", "SO": "unsorted"}}) as fh:
        a = pysam.AlignedSegment(fh.header)
        a.query_name, a.flag, a.query_sequence = "u", 4, "A" * 50
        fh.write(a)
    for b in bams + [str(nohd), str(nosq)]:
        direct = bam_check._head("S", b, None)
        with monkeypatch.context() as m:
            m.setattr(bam_check.bamhead, "is_bam", lambda path: False)
            by_pysam = bam_check._head("S", b, None)
        assert direct == by_pysam and len(direct[3]) <= bam_check.HEAD
    junk = tmp_path / "junk.bam"
    junk.write_bytes(b"\x1f\x8b\x08\x04" + b"\0" * 40)
    with pytest.raises(errors.InputError, match="cannot be opened"):
        bam_check._head("J", str(junk), None)
