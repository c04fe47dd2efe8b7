"""HTML building blocks of the reports: escaping, colours, sortable tables, the stylesheet
and the small script that searches and sorts tables (no library, nothing loaded)."""
from __future__ import annotations

import html
import json
import math

import pandas as pd

E = html.escape


COLORS = {"deleted": "#c0392b", "wildtype": "#2e7d32", "not_evaluable": "#7f8c8d",
          "yes": "#c0392b", "no": "#2e7d32", "poor": "#c0392b", "good": "#2e7d32",
          "hom": "#8e44ad", "het": "#e67e22", "partial": "#e67e22", "whole": "#8e44ad"}


def svg(w, h, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="sans-serif" font-size="11">{body}</svg>')


MISSING = ("", "NA")   # cells the call tables leave empty or write as NA; sorted last by SCRIPT


def numeric_column(values) -> bool:
    """Whether a column sorts as numbers: every value a finite number or missing (MISSING),
    at least one a number ('4,5' and 'T01' are text)."""
    seen = False
    for v in values:
        t = str(v).strip()
        if t in MISSING:
            continue
        try:
            if not math.isfinite(float(t)):
                return False
        except ValueError:
            return False
        seen = True
    return seen


def breakable(name) -> str:
    """A column name that may wrap after each underscore (a narrow printed column)."""
    return E(str(name)).replace("_", "_<wbr>")


def table_html(df: pd.DataFrame, colour_cols=(), table_id: str | None = None, noun: str = "rows",
               links: dict | None = None, nosearch: tuple = ()) -> str:
    """A plain HTML table. With table_id, also searchable and sortable in the browser: a hidden
    search box (SCRIPT shows it) and data-type="num" on the headers of numeric columns; the
    table itself stays plain HTML, complete without JavaScript. links: column -> a cell's
    href (or None); nosearch: columns the search box does not read (a limit of detection
    names every deletion type: a search for one would find every sample)."""
    num = ' data-type="num"'
    head = "".join(f"<th{num if table_id and numeric_column(df[c]) else ''}>{breakable(c)}</th>" for c in df.columns)
    body = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r):
            style = f' style="color:{COLORS[v]};font-weight:bold"' if c in colour_cols and v in COLORS else ""
            text = E(str(v))
            if links and c in links and links[c](v):
                text = f'<a href="{E(links[c](v))}">{text}</a>'
            cls = ' class="nosearch"' if c in nosearch else ""
            cells.append(f"<td{cls}{style}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table = f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    if not table_id:
        return table
    tid = E(table_id)
    return (f'<p class="tools" id="{tid}-tools" data-noun="{E(noun)}" hidden><label>Search '
            f'<input type="search" aria-controls="{tid}" placeholder="any text in a row"></label> '
            f'<span class="count" aria-live="polite"></span> <span class="note">(click a column header to sort)</span>'
            f'</p>' + table.replace("<table>", f'<table id="{tid}" class="sortable">', 1))


# Search and sort for the tables made with table_id (no library, nothing loaded). A search
# keeps the rows holding every word typed (case-insensitive); a header click sorts by that
# column, again to reverse: numbers as numbers (data-type="num"), text with digits in order
# (T2 before T10), missing values (MISSING) last either way, ties in the table's order.
SCRIPT = """(function () {
  "use strict";
  var missing = __MISSING__;
  var collator = new Intl.Collator("en", {numeric: true, sensitivity: "base"});
  function setup(table) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var text = rows.map(function (r) {  // cells apart: a word does not run on into the next cell
      return Array.prototype.map.call(r.cells, function (c) {
        return c.classList.contains("nosearch") ? "" : c.textContent;
      }).join("\\t").toLowerCase();
    });
    var tools = document.getElementById(table.id + "-tools");
    var input = tools.querySelector("input"), count = tools.querySelector(".count");
    var noun = tools.getAttribute("data-noun");
    function filter() {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
      rows.forEach(function (r, i) {
        var keep = words.every(function (w) { return text[i].indexOf(w) >= 0; });
        r.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " " + noun;
    }
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, c) {
      var num = th.getAttribute("data-type") === "num";
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var keyed = rows.map(function (r, i) {
          var t = r.cells[c].textContent.trim();
          return {k: missing[t] ? null : (num ? parseFloat(t) : t), i: i, r: r};
        });
        keyed.sort(function (a, b) {
          if (a.k === null || b.k === null) { return (a.k === null) - (b.k === null) || a.i - b.i; }
          var d = num ? a.k - b.k : collator.compare(a.k, b.k);
          return (asc ? d : -d) || a.i - b.i;
        });
        keyed.forEach(function (x) { body.appendChild(x.r); });
      }
      th.tabIndex = 0;
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    input.addEventListener("input", filter);
    filter();
    tools.hidden = false;
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setup);
})();""".replace("__MISSING__", json.dumps({m: True for m in MISSING}))
