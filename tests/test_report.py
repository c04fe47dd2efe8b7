"""The cohort report's pieces (report.py), without a browser: tests/test_report_browser.py
opens whole reports in headless Chromium."""
import math
import re

import pandas as pd

from ikzf1cnv.cohort.report import html as report_html, plots
from ikzf1cnv.stages import report as report_stage


def test_exon_cells_first_row_per_exon_and_missing_ratios():
    ex = pd.DataFrame({"exon": [1, 2, 2, 3], "ratio": [0.98, 0.51, 0.2, float("nan")],
                       "call": ["normal", "loss", "biallelic_loss", "no_data"]})
    cells = plots.exon_cells(ex)
    assert cells[1] == (0.98, "normal") and cells[2] == (0.51, "loss")       # the first row of exon 2
    assert math.isnan(cells[3][0]) and cells[3][1] == "no_data"
    assert plots.exon_cells(None) == {}
    assert math.isnan(plots.exon_cells(ex.astype({"ratio": str}).replace({"nan": "NA"}))[3][0])


def test_heatmap_greys_not_evaluable_and_explains_every_mark():
    calls = pd.DataFrame({"sample": ["A", "B", "C", "D"], "status": ["deleted", "not_evaluable", "deleted", "wildtype"],
                          "ikzf1_deletion": ["del2", "NA", "del1-8", "none"],
                          "ikzf1_mechanism": ["focal", "NA", "chromosome", "NA"]})
    ex = pd.DataFrame({"exon": range(1, 9), "ratio": [1.0, 0.5] + [1.0] * 6, "call": ["normal", "loss"] + ["normal"] * 6})
    low = ex.assign(ratio=[0.37] * 8, call=["NA"] * 8)                   # a failed sample's ratios look like losses
    arm = ex.assign(ratio=[0.99] * 8, call=["loss"] * 8)                  # a subclonal monosomy 7: ratios near 1
    svg = plots.heatmap(calls, {"A": ex, "B": low, "C": arm})            # D has no exon table
    assert "A exon 2: ratio 0.50, loss" in svg and "D exon 2: ratio NA, </title>" in svg
    cells = re.findall(r'<rect class="cell" data-sample="(\w)" data-exon="(\d)"[^>]*fill="([^"]+)"', svg)
    assert len(cells) == 32
    assert {f for s, _, f in cells if s == "B"} == {plots.NOT_EVALUABLE_FILL}            # grey, never red
    assert plots.NOT_EVALUABLE_FILL not in {f for s, _, f in cells if s != "B"}
    assert "0.37" not in svg and "not evaluable (QC failed)" in svg
    assert svg.count("0.99†") == 8 and "† exon called lost with its chromosome arm" in svg
    assert svg.count("✱") == 1 + 1                                       # the legend's and A's exon 2


def test_numeric_column():
    assert report_html.numeric_column(["0.87", "NA", "", "12", "-1e-3"])
    assert not report_html.numeric_column(["NA", ""])                     # nothing to sort as a number
    assert not report_html.numeric_column(["4", "4,5"])                   # exon lists are text
    assert not report_html.numeric_column(["T01", "2"])
    assert not report_html.numeric_column(["1.5", "inf"])


def test_plain_table_unchanged_and_interactive_table_marked():
    df = pd.DataFrame({"sample": ["T2", "T10"], "depth": ["100.5", "NA"], "status": ["deleted", "wildtype"]})
    plain = report_html.table_html(df, colour_cols=("status",))
    assert plain.startswith("<table><thead><tr><th>sample</th><th>depth</th>") and "<script" not in plain
    live = report_html.table_html(df, colour_cols=("status",), table_id="calls", noun="samples")
    assert '<table id="calls" class="sortable">' in live
    assert live.endswith(plain[plain.index("<tbody>"):])                                     # the same cells
    assert '<th data-type="num">depth</th>' in live and "<th>sample</th>" in live
    # the search box is hidden until the script shows it (no dead box without JavaScript)
    assert live.startswith('<p class="tools" id="calls-tools" data-noun="samples" hidden>')
    assert 'aria-controls="calls"' in live


def test_report_has_its_script_once_and_is_deterministic(root, tmp_path, monkeypatch):
    import cohort_factory
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")       # the run date (the only thing a rerun changes)
    job = cohort_factory.write_cohort(tmp_path / "c", 12, root)
    report_stage.run(job)
    first = open(job.html, "rb").read()
    report_stage.run(job)
    assert open(job.html, "rb").read() == first
    html = first.decode()
    assert html.count("<script>") == 1 and html.count(report_html.SCRIPT) == 1 and "<script src" not in html
    for tid in ("calls", "evidence", "qc"):
        assert f'<table id="{tid}" class="sortable">' in html and f'id="{tid}-tools"' in html
    assert "http://" not in report_html.SCRIPT and "https://" not in report_html.SCRIPT and "import" not in report_html.SCRIPT
    assert "2026-01-01 00:00 UTC" in html


def test_comparisons_read_true_at_the_precision_printed():
    from ikzf1cnv.core.tables import comparison
    assert comparison(0.302, ">", 0.3) == "0.302 > 0.300"          # not "0.30 > 0.3"
    assert comparison(9.96, "<", 10, "x") == "9.96x < 10.00x"      # not "10x < 10x"
    assert comparison(7.55, "<", 30, "x") == "8x < 30x"
    assert comparison(0.61, ">", 0.35) == "0.61 > 0.35"
    for v, t in ((0.3004, 0.3), (0.35, 0.3), (1.0, 0.9999)):
        a, b = comparison(v, ">", t).split(" > ")
        assert float(a) > float(b)


def test_qc_verdict_numbers_read_true(params):
    import pandas as pd
    from ikzf1cnv.caller.sample import qc_verdict
    ik = pd.DataFrame({"n_bins": [1] * 8})
    v = qc_verdict({"median_depth": 7.55, "noise": 0.302}, ik, params)
    assert "noise 0.302 > 0.300" in v and f"< {params.min_depth:.0f}x" in v


# ------------------------------------------------------------------ nomenclature
def _build(root, build="hg38"):
    from ikzf1cnv.cohort import nomenclature
    from ikzf1cnv.core import annotation
    acc = annotation.read_tsv(root / "resources" / build / "accessions.tsv")
    assembly = annotation.read_tsv(root / "resources" / "builds.tsv").set_index("build").loc[build, "assembly"]
    return nomenclature.Build(assembly, dict(zip(acc["chrom"], acc["refseq"])),
                              annotation.read_tsv(root / "resources" / build / "cytobands.tsv"))


def _window(states):
    """IKZF1-like window: probes 120 bp long every 3 kb from 50,300,000 (0-based), every
    third an exon numbered 1, 2, ..."""
    rows = []
    for i, st in enumerate(states):
        s = 50_300_000 + 3000 * i
        exon = str(i // 3 + 1) if i % 3 == 0 else ""
        rows.append({"group": "IKZF1", "chrom": "chr7", "start": s, "end": s + 120, "kind": "exon" if exon else
                     "intronic", "gene": "IKZF1", "exon": exon, "n_bins": 1, "log2": -0.9 * st, "se": 0.2,
                     "state": st})
    return pd.DataFrame(rows)


def test_a_deletion_between_probes_is_named_with_brackets(root):
    from ikzf1cnv.cohort import nomenclature
    b = _build(root)
    (d,) = nomenclature.name_deletions(b, _window([0, 0, 0, 1, 1, 1, 1, 0, 0]), [])
    # deleted: probes 3-6 (0-based starts 50,309,000 ... 50,318,000); kept: probe 2 (ends 50,306,120), probe 7
    assert d["iscn"] == "seq[GRCh38] 7p12.2(50309001_50318120)x1"
    assert d["hgvs"] == "NC_000007.14:g.(50306121_50309001)_(50318120_50321000)del"
    assert d["genes"] == {"IKZF1": ["2", "3"]}


def test_an_exact_junction_gives_the_bases_and_a_biallelic_core_is_the_second_allele(root):
    from ikzf1cnv.cohort import nomenclature
    b = _build(root)
    pos = _window([1, 1, 1, 2, 2, 2, 1, 1, 1])
    (d,) = nomenclature.name_deletions(b, pos, [])
    assert d["iscn"] == ("seq[GRCh38] 7p12.2(50300001_50306120)x1,7p12.2(50309001_50315120)x0,"
                         "7p12.2(50318001_50324120)x1")
    assert d["hgvs"] == ("NC_000007.14:g.[(?_50300001)_(50324120_?)del];"
                         "[(50306121_50309001)_(50315120_50318000)del]")
    junction = {"gene": "IKZF1", "chrom": "chr7", "start": 50307500, "end": 50316200, "precision": "exact"}
    (d,) = nomenclature.name_deletions(b, pos, [junction])
    assert d["hgvs"] == "NC_000007.14:g.[(?_50300001)_(50324120_?)del];[50307501_50316200del]"
    assert "7p12.2(50300001_50307500)x1,7p12.2(50307501_50316200)x0,7p12.2(50316201_50324120)x1" in d["iscn"]
    far = dict(junction, start=50200000)                       # not this deletion's: ignored
    assert nomenclature.name_deletions(b, pos, [far])[0]["hgvs"] == d["hgvs"].replace(
        "[50307501_50316200del]", "[(50306121_50309001)_(50315120_50318000)del]")


def test_hg19_names_its_assembly_and_accession(root):
    from ikzf1cnv.cohort import nomenclature
    b = _build(root, "hg19")
    (d,) = nomenclature.name_deletions(b, _window([0, 1, 1, 1, 0]), [])
    assert d["iscn"].startswith("seq[GRCh37] 7p") and d["hgvs"].startswith("NC_000007.13:g.")
    assert nomenclature.arm_iscn(b, "7p", "chr7", None, whole=True) == "seq[GRCh37] (7)x1"


def test_config_digest_is_of_the_settings_only():
    from ikzf1cnv.cohort.report.footer import config_digest
    cfg = {"genome": "hg38", "caller": {"false_positive_rate": 0.001}, "outdir": "a", "samples": "x.tsv"}
    assert config_digest(cfg) == config_digest({**cfg, "outdir": "b", "samples": "more.tsv"})
    assert config_digest(cfg) != config_digest({**cfg, "caller": {"false_positive_rate": 0.01}})
    assert len(config_digest(cfg)) == 64


def test_a_sample_whose_bam_failed_gets_a_page(root, tmp_path):
    """Not evaluable, no window (its BAM could not be read): a page that says so, grey, never fails."""
    import dataclasses
    import json

    import cohort_factory
    from ikzf1cnv.caller import tumour as caller_tumour
    from ikzf1cnv.caller.record import sample_record
    from ikzf1cnv.core import annotation, tables
    from ikzf1cnv.stages import patient
    rules = annotation.load_rules(root / "resources" / "rules.yaml")
    rec = sample_record(caller_tumour.failed("X1", {"subtype": "B-other"}, rules, "sample 'X1': cut short"),
                        {"subtype": "B-other"}, "panel")
    (tmp_path / "calls.json").write_text(json.dumps(rec))
    tables.write_table(tables.empty_table(tables.POSITIONS_TABLE), tables.POSITIONS_TABLE, str(tmp_path / "w.tsv"))
    (tmp_path / "cut.bam").write_bytes((root / "resources" / "toy" / "bams" / "T01.bam").read_bytes()[:50_000])
    job = cohort_factory.patient_job(cohort_factory.write_cohort(tmp_path / "c", 2, root), root, str(tmp_path / "cut.bam"))
    m = dataclasses.replace(job.members[0], sample="X1", record=str(tmp_path / "calls.json"),
                            positions=str(tmp_path / "w.tsv"), bam=str(tmp_path / "cut.bam"),
                            html=str(tmp_path / "X1.html"))
    patient.run(dataclasses.replace(job, members=(m,)))
    html = (tmp_path / "X1.html").read_text()
    assert "not evaluable: fail: sample &#x27;X1&#x27;: cut short" in html and "IKZF1plus: <span" in html
    assert "cut.bam" in html and "50.0 kB" in html


def test_a_rule_read_na_on_an_evaluable_sample_says_why(rules):
    """IKZF1plus NA on an evaluable tumour (an ERG deletion not ruled out) names the warning
    on the page, not 'not evaluable'; a not-evaluable sample stays 'not evaluable'."""
    from ikzf1cnv.cohort.report import verdict
    warn = "warn: ERG deletion not ruled out (limit of detection 0.40 > IKZF1 cell fraction 0.28): IKZF1plus NA"
    rec = {"subtype": "B-other", "status": "deleted", "ikzf1plus": "NA", "ukall_cna": "NA", "qc": warn,
           "genes": {"PAX5": "whole", "ERG": "none"}}
    assert verdict.ikzf1plus_reason(rec, rules) == "NA: could go either way (" + warn[len("warn: "):] + ")"
    assert verdict.ukall_reason(rec, rules).startswith("NA: could go either way (ERG deletion not ruled out")
    failed = {**rec, "status": "not_evaluable", "qc": "fail: noise 0.40 > 0.30"}
    assert verdict.ikzf1plus_reason(failed, rules) == verdict.ukall_reason(failed, rules) == "NA: not evaluable"
