"""The self-contained cohort report (report.html): inline SVG, no network needed."""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import pandas as pd

COLORS = {"deleted": "#c0392b", "wildtype": "#2e7d32", "not_evaluable": "#7f8c8d",
          "yes": "#c0392b", "no": "#2e7d32", "poor": "#c0392b", "good": "#2e7d32",
          "hom": "#8e44ad", "het": "#e67e22", "partial": "#e67e22", "whole": "#8e44ad"}
E = html.escape


def _svg(w, h, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="sans-serif" font-size="11">{body}</svg>')


def ratio_colour(r: float) -> str:
    """MLPA-style colouring of a dosage ratio: red below 0.75, blue above 1.3, white at 1."""
    if r is None or not math.isfinite(r):
        return "#dddddd"
    if r < 1:
        t = max(0.0, min(1.0, (1 - r) / 0.75))
        g = int(255 - 200 * t)
        return f"#ff{g:02x}{g:02x}" if r >= 0.5 else f"#{int(255 - 100 * (0.5 - r) / 0.5):02x}{int(55 * r / 0.5):02x}{int(55 * r / 0.5):02x}"
    t = max(0.0, min(1.0, (r - 1) / 0.5))
    g = int(255 - 180 * t)
    return f"#{g:02x}{g:02x}ff"


def frequency_plot(freq: pd.DataFrame) -> str:
    rows = freq.reset_index(drop=True)
    w, lm, rh = 760, 230, 26
    h = 40 + rh * len(rows)
    x = lambda v: lm + (w - lm - 20) * v  # noqa: E731
    b = [f'<text x="{lm}" y="14" font-weight="bold">IKZF1 deletion frequency: observed (dot, Wilson 95% CI) '
         f'vs reference range (band)</text>']
    for t in range(0, 11, 2):
        b.append(f'<line x1="{x(t / 10)}" y1="22" x2="{x(t / 10)}" y2="{h - 10}" stroke="#eee"/>'
                 f'<text x="{x(t / 10)}" y="{h}" text-anchor="middle" fill="#666">{t * 10}%</text>')
    for i, r in rows.iterrows():
        y = 32 + i * rh
        lo, hi = float(r["reference_low"]), float(r["reference_high"])
        b.append(f'<text x="{lm - 6}" y="{y + 4}" text-anchor="end">{E(str(r["label"]))} (n={r["n"]})</text>')
        b.append(f'<rect x="{x(lo) - (2 if hi == lo else 0)}" y="{y - 8}" width="{max(x(hi) - x(lo), 4)}" height="16" '
                 f'fill="#aed6f1" opacity="0.8"/>')
        if r["n"]:
            o, cl, ch = float(r["observed"]), float(r["ci_low"]), float(r["ci_high"])
            col = {"higher": "#c0392b", "lower": "#2471a3", "consistent": "#2e7d32"}.get(r["verdict"], "#7f8c8d")
            b.append(f'<line x1="{x(cl)}" y1="{y}" x2="{x(ch)}" y2="{y}" stroke="{col}" stroke-width="2"/>'
                     f'<circle cx="{x(o)}" cy="{y}" r="5" fill="{col}"><title>{r["n_altered"]}/{r["n"]} '
                     f'= {o:.1%} ({r["verdict"]}, p={r["p_value"]})</title></circle>')
    return _svg(w, h + 6, "".join(b))


def deletion_type_plot(calls: pd.DataFrame, types: pd.DataFrame) -> str:
    dele = calls[calls["status"] == "deleted"]
    known = list(types["label"])
    lab = dele["ikzf1_deletion"].where(dele["ikzf1_deletion"].isin(known), "other")
    n = len(dele)
    w, lm = 760, 90
    rows = list(types.itertuples(index=False))
    h = 40 + 24 * len(rows)
    x = lambda v: lm + (w - lm - 160) * v  # noqa: E731
    b = [f'<text x="{lm}" y="14" font-weight="bold">Deletion types among {n} deleted samples '
         f'(bar) vs literature share (tick, Boer 2016)</text>']
    for i, t in enumerate(rows):
        y = 34 + 24 * i
        k = int((lab == t.label).sum())
        share = k / n if n else 0.0
        b.append(f'<text x="{lm - 6}" y="{y + 4}" text-anchor="end">{E(t.label)}</text>'
                 f'<rect x="{lm}" y="{y - 8}" width="{x(share) - lm}" height="16" fill="#c0392b"/>'
                 f'<line x1="{x(t.share)}" y1="{y - 10}" x2="{x(t.share)}" y2="{y + 10}" stroke="#000" stroke-width="2"/>'
                 f'<text x="{x(max(share, t.share)) + 8}" y="{y + 4}">{k} ({share:.0%}) vs {t.share:.0%}</text>')
    return _svg(w, h, "".join(b))


def heatmap(calls: pd.DataFrame, exons: dict[str, pd.DataFrame]) -> str:
    samples = list(calls["sample"])
    cw, rh, lm, tm = 52, 22, 110, 40
    w, h = lm + cw * 8 + 260, tm + rh * len(samples) + 10
    b = ['<text x="4" y="14" font-weight="bold">IKZF1 exon dosage ratio by sample (MLPA-style; '
         'red = loss, dark = both copies, blue = gain; ✱ = called loss)</text>']
    for e in range(1, 9):
        b.append(f'<text x="{lm + cw * (e - 1) + cw / 2}" y="{tm - 6}" text-anchor="middle">exon {e}</text>')
    for i, (s, st, lab) in enumerate(zip(samples, calls["status"], calls["ikzf1_deletion"])):
        y = tm + rh * i
        b.append(f'<text x="{lm - 6}" y="{y + 15}" text-anchor="end">{E(s)}</text>')
        cells = exon_cells(exons.get(s))
        for e in range(1, 9):
            r, call = cells.get(e, (float("nan"), ""))
            mark = "✱" if call in ("loss", "biallelic_loss") else ""
            txt = "NA" if not math.isfinite(r) else f"{r:.2f}"
            b.append(f'<rect x="{lm + cw * (e - 1)}" y="{y}" width="{cw - 2}" height="{rh - 2}" fill="{ratio_colour(r)}">'
                     f'<title>{E(s)} exon {e}: ratio {txt}, {call}</title></rect>'
                     f'<text x="{lm + cw * (e - 1) + cw / 2 - 1}" y="{y + 15}" text-anchor="middle" '
                     f'fill="{"#fff" if math.isfinite(r) and r < 0.45 else "#000"}">{txt}{mark}</text>')
        b.append(f'<text x="{lm + cw * 8 + 8}" y="{y + 15}" fill="{COLORS.get(st, "#000")}">{E(st)} {E(lab)}</text>')
    return _svg(w, h, "".join(b))


def exon_cells(ex: pd.DataFrame | None) -> dict:
    """A sample's exon table as {exon: (ratio, call)}, the first row of each exon; a missing
    table or ratio (NA) gives NaN. One pass per sample (filtering per cell took 14 s at 1,000)."""
    if ex is None:
        return {}
    out = {}
    for e, r, call in zip(ex["exon"], ex["ratio"], ex["call"]):
        if e not in out:
            out[e] = (float(r) if str(r) != "NA" else float("nan"), call)
    return out


def exon_plot(sample: str, ex: pd.DataFrame, purity: float | None) -> str:
    """Per-sample plot: log2 per exon with 95% CI, expected one- and two-copy loss levels."""
    w, h, lm, tm = 380, 180, 40, 20
    lo, hi = -2.5, 1.0
    y = lambda v: tm + (h - tm - 25) * (hi - max(min(v, hi), lo)) / (hi - lo)  # noqa: E731
    x = lambda e: lm + (w - lm - 10) * (e - 0.5) / 8  # noqa: E731
    b = [f'<text x="{lm}" y="12" font-weight="bold">{E(sample)}</text>']
    for v in (-2, -1, 0, 1):
        b.append(f'<line x1="{lm}" y1="{y(v)}" x2="{w - 10}" y2="{y(v)}" stroke="#eee"/>'
                 f'<text x="{lm - 4}" y="{y(v) + 4}" text-anchor="end" fill="#666">{v}</text>')
    if purity:
        for k, dash in ((1, "4,3"), (2, "1,3")):
            v = math.log2(max(1 - purity * k / 2, 2 ** lo))
            b.append(f'<line x1="{lm}" y1="{y(v)}" x2="{w - 10}" y2="{y(v)}" stroke="#c0392b" stroke-dasharray="{dash}">'
                     f'<title>expected {k}-copy loss at blast fraction {purity:.2f}</title></line>')
    for r in ex.itertuples(index=False):
        e = int(r.exon)
        b.append(f'<text x="{x(e)}" y="{h - 8}" text-anchor="middle" fill="#666">{e}</text>')
        try:
            l2, se = float(r.log2), float(r.se)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(l2):
            continue
        col = {"loss": "#e67e22", "biallelic_loss": "#8e44ad"}.get(r.call, "#2e7d32")
        b.append(f'<line x1="{x(e)}" y1="{y(l2 - 1.96 * se)}" x2="{x(e)}" y2="{y(l2 + 1.96 * se)}" stroke="{col}"/>'
                 f'<circle cx="{x(e)}" cy="{y(l2)}" r="4" fill="{col}"><title>exon {e}: log2 {l2:.2f}, {r.call}</title></circle>')
    return _svg(w, h, "".join(b))


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


def table_html(df: pd.DataFrame, colour_cols=(), table_id: str | None = None, noun: str = "rows") -> str:
    """A plain HTML table. With table_id, also searchable and sortable in the browser: a hidden
    search box (SCRIPT shows it) and data-type="num" on the headers of numeric columns; the
    table itself stays plain HTML, complete without JavaScript."""
    num = ' data-type="num"'
    head = "".join(f"<th{num if table_id and numeric_column(df[c]) else ''}>{E(str(c))}</th>" for c in df.columns)
    body = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r):
            style = f' style="color:{COLORS[v]};font-weight:bold"' if c in colour_cols and v in COLORS else ""
            cells.append(f"<td{style}>{E(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table = f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    if not table_id:
        return table
    tid = E(table_id)
    return (f'<p class="tools" id="{tid}-tools" data-noun="{E(noun)}" hidden><label>Search '
            f'<input type="search" aria-controls="{tid}" placeholder="any text in a row"></label> '
            f'<span class="count" aria-live="polite"></span> <span class="note">(click a column header to sort)</span>'
            f'</p>' + table.replace("<table>", f'<table id="{tid}" class="sortable">', 1))


CSS = """body{font-family:sans-serif;margin:24px;max-width:1200px;color:#222}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f4f4f4;position:sticky;top:0}.warn{background:#fff3cd;border:1px solid #e0c36c;padding:8px}
.grid{display:flex;flex-wrap:wrap;gap:8px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
.note{color:#555;font-size:13px}table.sortable th{cursor:pointer}th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}.tools input{width:24em}.count{font-size:13px}"""

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
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; }).join("\\t").toLowerCase();
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


def render(calls: pd.DataFrame, freq: pd.DataFrame, types: pd.DataFrame, exons: dict[str, pd.DataFrame],
           records: dict[str, dict], ref_info: dict, config: dict, versions: dict, methods_notes: list[str]) -> str:
    n = len(calls)
    ev = calls[calls["status"] != "not_evaluable"]
    nd = int((calls["status"] == "deleted").sum())
    nplus = int((calls["ikzf1plus"] == "yes").sum())
    warn = ""
    if ref_info.get("warning"):
        warn = f'<p class="warn"><b>Reference:</b> {E(ref_info["warning"])}</p>'
    ne = calls[calls["status"] == "not_evaluable"]
    if len(ne):
        warn += (f'<p class="warn"><b>{len(ne)} sample(s) not evaluable</b>: '
                 + "; ".join(f"{E(s)} ({E(q)})" for s, q in zip(ne["sample"], ne["qc"])) + "</p>")
    main_cols = ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_biallelic", "ikzf1_cell_fraction",
                 *gene_columns(calls), "ikzf1plus", "ukall_cna", "blast_fraction", "blast_source"]
    plots = "".join(f'<div>{exon_plot(s, exons[s], _num(records[s]["purity"]["blast_fraction"]))}'
                    f'{junction_caption(records.get(s, {}).get("junctions", []))}</div>'
                    for s in calls["sample"] if s in exons)
    jx = junction_table(records)
    qc_cols = ["sample", "qc", "median_depth", "noise", "blast_fraction", "blast_low", "blast_high", "blast_source"]
    ev_cols = ["sample", "status", "ikzf1_deletion", "ikzf1_cell_fraction", "ikzf1_mechanism", "arm_losses",
               "ikzf1_evidence", "ikzf1_junction", "ikzf1_lod"]
    cfg_rows = pd.DataFrame([(k, str(v)) for k, v in sorted(config.items()) if k not in ("caller", "qc")]
                            + [(f"caller.{k}", str(v)) for k, v in sorted(config.get("caller", {}).items())]
                            + [(f"qc.{k}", str(v)) for k, v in sorted(config.get("qc", {}).items())],
                            columns=["setting", "value"])
    ver = pd.DataFrame(sorted(versions.items()), columns=["software", "version"])
    notes = "".join(f"<li>{E(x)}</li>" for x in methods_notes)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>IKZF1 cohort report</title>
<style>{CSS}</style></head><body>
<h1>IKZF1 copy-number cohort report</h1>
<p>{n} tumour samples ({len(ev)} evaluable), genome {E(str(config.get('genome')))}, reference: {E(ref_info.get('mode', '?'))}
{('(' + ', '.join(E(x) for x in ref_info.get('normals', [])) + ')') if ref_info.get('normals') else ''}.
IKZF1 deleted in <b>{nd}</b>; IKZF1plus in <b>{nplus}</b>.</p>{warn}
<h2>Calls</h2>{table_html(calls[main_cols], colour_cols=("status", "ikzf1plus", "ukall_cna", *gene_columns(calls)),
                             table_id="calls", noun="samples")}
<p class="note">ikzf1_cell_fraction: fraction of all cells with the IKZF1 deletion (95% interval in ikzf1_calls.tsv).
blast_source 'estimated' means no blast percentage was given and the largest clonal event set it.</p>
<h2>Evidence and limits of detection</h2>
<p class="note">Which bins each IKZF1 call rests on: for a deletion, the positions inside the deleted run (exon units,
intronic probes, flanking target bins, off-target bins); for a wild type, those of the gene's window; and the arm when an
arm or chromosome loss was called (ikzf1_mechanism: focal = both ends inside the window, interstitial = running out of
it, arm, chromosome). ikzf1_lod: the smallest fraction of cells in which a one-copy del4-7, del2-3 or del1-8 would be
called in this sample with 95% probability at the configured false-positive rate (NA: not even in every cell). A wild
type rules out deletions above these limits only. ikzf1_junction: confirmed = a junction (split reads) removes the
exons the call has lost, none_found = a genome's depth call without one (check by eye).</p>{
table_html(calls[ev_cols], colour_cols=("status",), table_id="evidence", noun="samples")}
<h3>Junctions (split reads)</h3><p class="note">Each deletion junction in a gene window, to the base (0-based, half-open):
its split reads, the cell fraction they imply (one allele), the exons it removes, and the RSS heptamer beside each end
when a FASTA was given.</p>{jx}
<h2>Frequencies against the literature</h2>{frequency_plot(freq)}{table_html(freq, colour_cols=())}
<p class="note">Reference ranges from the seed table (resources/reference_frequencies.tsv). They count point mutations,
which read depth cannot see: a depth-based rate at or slightly below the range is expected. 'insufficient': fewer than
{config.get('frequency_min_samples')} evaluable samples in the group.</p>
<h2>Deletion types</h2>{deletion_type_plot(calls, types)}
<h2>Exon copy number (MLPA-style summary)</h2>{heatmap(calls, exons)}
<h2>Per-sample exon plots</h2><p class="note">log2 ratio per IKZF1 exon with 95% interval; dashed red lines:
expected one-copy (long dashes) and two-copy (dots) loss at the sample's blast fraction.</p><div class="grid">{plots}</div>
<h2>Quality control</h2>{table_html(calls[qc_cols], table_id="qc", noun="samples")}
<h2>Methods</h2><ul>{notes}</ul><h3>Settings</h3>{table_html(cfg_rows)}<h3>Versions</h3>{table_html(ver)}
<script>{SCRIPT}</script>
</body></html>
"""


def junction_table(records: dict[str, dict]) -> str:
    rows = [{"sample": s, "gene": j["gene"], "junction": f"{j['chrom']}:{j['start']}-{j['end']}",
             "split_reads": j["split_reads"], "discordant_pairs": j.get("discordant_pairs", 0),
             "precision": j.get("precision", "exact"), "cell_fraction": "NA" if j["cell_fraction"] is None else
             f"{j['cell_fraction']:.2f}", "label": j["label"], "rss_left": j["rss_left"], "rss_right": j["rss_right"]}
            for s, r in records.items() for j in r.get("junctions", [])]
    if not rows:
        return '<p class="note">No junction in any sample (panels without probes at the breakpoints see few).</p>'
    return table_html(pd.DataFrame(rows), table_id="junctions", noun="junctions")


def junction_caption(js: list[dict]) -> str:
    """One line under a sample's exon plot naming its IKZF1 junctions."""
    ik = [j for j in js if j["gene"] == "IKZF1"]
    if not ik:
        return ""
    return '<p class="note">' + "; ".join(
        f"junction {E(j['label'])} {E(j['chrom'])}:{j['start']}-{j['end']}"
        f"{'' if j.get('precision', 'exact') == 'exact' else ' (imprecise)'}, {j['split_reads']} split reads, "
        f"{j.get('discordant_pairs', 0)} discordant pairs" for j in ik) \
        + "</p>"


def gene_columns(calls: pd.DataFrame) -> list[str]:
    """The call table's gene columns: between ikzf1_cell_fraction and ikzf1plus (contract order)."""
    cols = list(calls.columns)
    return cols[cols.index("ikzf1_cell_fraction") + 1:cols.index("ikzf1plus")]


def _num(v):
    try:
        f = float(v)
        return f if math.isfinite(f) else None
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ the report step
@dataclass(frozen=True)
class ReportJob:
    calls: str
    freq: str
    records: list[str]
    exons: list[str]
    reference_info: str
    deletion_types: str
    config: dict                 # shown in the report's settings table
    out_html: str


def run_report(job: ReportJob):
    from pathlib import Path

    from . import annotation
    from .files import log, read_records, write_text
    from .methods import METHODS, versions
    calls = pd.read_csv(job.calls, sep="\t", dtype=str, keep_default_na=False)
    freq = pd.read_csv(job.freq, sep="\t", keep_default_na=False)
    recs = {r["sample"]: r for r in read_records(job.records)}
    exons = {Path(p).parent.name: pd.read_csv(p, sep="\t", keep_default_na=False, na_values=["NA"]) for p in job.exons}
    ref_info = json.loads(Path(job.reference_info).read_text())
    html = render(calls, freq, annotation.read_tsv(job.deletion_types), exons, recs, ref_info, job.config, versions(),
                  METHODS)
    write_text(job.out_html, html)
    log.info("report: %s (%d bytes)", job.out_html, len(html))
