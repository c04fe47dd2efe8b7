"""The cohort report's pieces (report.py), without a browser: tests/test_report_browser.py
opens whole reports in headless Chromium."""
import math

import pandas as pd

from ikzf1cnv import report


def test_exon_cells_first_row_per_exon_and_missing_ratios():
    ex = pd.DataFrame({"exon": [1, 2, 2, 3], "ratio": [0.98, 0.51, 0.2, float("nan")],
                       "call": ["normal", "loss", "biallelic_loss", "no_data"]})
    cells = report.exon_cells(ex)
    assert cells[1] == (0.98, "normal") and cells[2] == (0.51, "loss")       # the first row of exon 2
    assert math.isnan(cells[3][0]) and cells[3][1] == "no_data"
    assert report.exon_cells(None) == {}
    assert math.isnan(report.exon_cells(ex.astype({"ratio": str}).replace({"nan": "NA"}))[3][0])


def test_heatmap_marks_called_losses_and_greys_missing_tables():
    calls = pd.DataFrame({"sample": ["A", "B"], "status": ["deleted", "not_evaluable"], "ikzf1_deletion": ["del2", "NA"]})
    ex = pd.DataFrame({"exon": range(1, 9), "ratio": [1.0, 0.5] + [1.0] * 6, "call": ["normal", "loss"] + ["normal"] * 6})
    svg = report.heatmap(calls, {"A": ex})                   # B has no exon table
    assert svg.count("✱") == 1 + 1                           # the legend's and A's exon 2
    assert "A exon 2: ratio 0.50, loss" in svg and "B exon 2: ratio NA, </title>" in svg
