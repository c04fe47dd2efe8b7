"""Bad input gets a clear error naming the sample, the column and the fix."""
import pysam
import pytest
import yaml

from ikzf1cnv import annotation, inputs


@pytest.fixture(scope="module")
def schema(root):
    return yaml.safe_load((root / "workflow" / "schemas" / "samples.schema.yaml").read_text())


def make_bam(path, contigs, index=True, sort_order="coordinate"):
    header = {"HD": {"VN": "1.6", "SO": sort_order}, "SQ": [{"SN": c, "LN": n} for c, n in contigs.items()]}
    with pysam.AlignmentFile(str(path), "wb", header=header) as fh:
        a = pysam.AlignedSegment(fh.header)
        a.query_name, a.reference_id, a.reference_start = "r1", 0, 100
        a.mapping_quality, a.cigartuples, a.query_sequence = 60, [(0, 50)], "A" * 50
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
    df = inputs.load_sample_sheet(p, schema)
    assert df.loc["A", "type"] == "tumor" and df.loc["A", "subtype"] == "unknown"
    assert df.loc["B", "blast_pct"] == 85.0


def test_unknown_subtype_names_sample_column_and_fix(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "tumor", "Ph-positive", "", "", ""]])
    with pytest.raises(inputs.InputError) as e:
        inputs.load_sample_sheet(p, schema)
    msg = str(e.value)
    assert "sample 'A'" in msg and "column 'subtype'" in msg and "'Ph-positive'" in msg and "Fix:" in msg


def test_duplicate_sample(sheet, schema):
    write, bams, _ = sheet
    p = write([["A", bams["A"], "tumor", "", "", "", ""], ["A", bams["B"], "tumor", "", "", "", ""]])
    with pytest.raises(inputs.InputError, match=r"sample 'A' appears on lines 2, 3.*unique"):
        inputs.load_sample_sheet(p, schema)


def test_missing_and_unindexed_bam(sheet, schema, root):
    write, bams, tmp = sheet
    contigs = annotation.load_contigs(root / "resources", "hg38")
    noidx = make_bam(tmp / "noidx.bam", contigs, index=False)
    p = write([["A", str(tmp / "nothere.bam"), "tumor", "", "", "", ""], ["B", noidx, "tumor", "", "", "", ""]])
    with pytest.raises(inputs.InputError) as e:
        inputs.load_sample_sheet(p, schema)
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
    with pytest.raises(inputs.InputError, match=rf"sample 'A' \(line 2\), column '{col}'"):
        inputs.load_sample_sheet(p, schema)


def test_bad_sample_name_and_missing_column(sheet, schema):
    write, bams, _ = sheet
    with pytest.raises(inputs.InputError, match="column 'sample'"):
        inputs.load_sample_sheet(write([["-bad name", bams["A"], "tumor", "", "", "", ""]]), schema)
    with pytest.raises(inputs.InputError, match="required column 'bam' is missing"):
        inputs.load_sample_sheet(write([["A"]], header="sample"), schema)


def test_bam_of_the_other_build(tmp_path, root):
    res = root / "resources"
    hg38, hg19 = annotation.load_contigs(res, "hg38"), annotation.load_contigs(res, "hg19")
    bam = make_bam(tmp_path / "x.bam", hg19)
    with pytest.raises(inputs.InputError) as e:
        inputs.check_bam("X", bam, hg38, "hg38", {"hg19": hg19})
    msg = str(e.value)
    assert "sample 'X'" in msg and "not aligned to hg38" in msg and "They match hg19" in msg
    assert "genome: hg19" in msg
    ok = inputs.check_bam("X", bam, hg19, "hg19", {"hg38": hg38})
    assert ok["read_length"] == 50


def test_bam_without_chr_prefix_and_unsorted(tmp_path, root):
    hg38 = annotation.load_contigs(root / "resources", "hg38")
    # Ensembl/NCBI names ('7'): read as the build's, the lengths still checked
    bam = make_bam(tmp_path / "n.bam", {c.removeprefix("chr"): n for c, n in hg38.items()})
    facts = inputs.check_bam("N", bam, hg38, "hg38", {})
    assert facts["contig_naming"] == "ensembl" and facts["contig_names"]["chr7"] == "7"
    hg19 = annotation.load_contigs(root / "resources", "hg19")
    b37 = make_bam(tmp_path / "b37.bam", {c.removeprefix("chr"): n for c, n in hg19.items()})
    with pytest.raises(inputs.InputError, match="not aligned to hg38.*They match hg19"):
        inputs.check_bam("G", b37, hg38, "hg38", {"hg19": hg19})
    other = make_bam(tmp_path / "o.bam", {"scaffold_1": 1000})
    with pytest.raises(inputs.InputError, match="shares no contig name with hg38"):
        inputs.check_bam("O", other, hg38, "hg38", {})
    uns = make_bam(tmp_path / "u.bam", hg38, sort_order="unsorted")
    with pytest.raises(inputs.InputError, match="not coordinate-sorted"):
        inputs.check_bam("U", uns, hg38, "hg38", {})
