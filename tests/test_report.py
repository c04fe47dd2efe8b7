"""The cohort report's pieces (report.py), without a browser: tests/test_report_browser.py
opens whole reports in headless Chromium."""
import math

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


def test_heatmap_marks_called_losses_and_greys_missing_tables():
    calls = pd.DataFrame({"sample": ["A", "B"], "status": ["deleted", "not_evaluable"], "ikzf1_deletion": ["del2", "NA"]})
    ex = pd.DataFrame({"exon": range(1, 9), "ratio": [1.0, 0.5] + [1.0] * 6, "call": ["normal", "loss"] + ["normal"] * 6})
    svg = plots.heatmap(calls, {"A": ex})                   # B has no exon table
    assert svg.count("✱") == 1 + 1                           # the legend's and A's exon 2
    assert "A exon 2: ratio 0.50, loss" in svg and "B exon 2: ratio NA, </title>" in svg


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


def test_report_has_its_script_once_and_is_deterministic(root, tmp_path):
    import cohort_factory
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
