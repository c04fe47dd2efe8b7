"""The self-contained cohort report (report.html): inline SVG, no network needed; prints
landscape with every column of the call table on the page."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ...core.annotation import gene_columns
from ...core.tables import p_value_text
from . import verdict as words
from .footer import Provenance, footer_html, reference_text
from .html import SCRIPT, E, table_html
from .plots import deletion_type_plot, frequency_plot, heatmap
from .style import COHORT
from .window_plot import WindowView, legend, window_plot


@dataclass(frozen=True)
class CohortReport:
    """What the cohort report shows: the call table and frequencies (as written), the
    reference table (sources), the deletion types of the literature, each sample's exon
    table, window positions and record, the reference used, the config, the rules, the
    methods and the provenance."""
    calls: pd.DataFrame
    freq: pd.DataFrame
    reference_table: pd.DataFrame
    types: pd.DataFrame
    exons: dict
    positions: dict
    records: dict
    ref_info: dict
    config: dict
    rules: dict
    methods: list
    provenance: Provenance


def page_href(sample: str) -> str:
    """A patient's page, from cohort/report.html."""
    return f"../samples/{sample}/report.html"


def _warnings(d: CohortReport) -> str:
    warn = ""
    if d.ref_info.get("warning"):
        warn = f'<p class="warn"><b>Reference:</b> {E(d.ref_info["warning"])}{_baseline(d.ref_info)}</p>'
    ne = d.calls[d.calls["status"] == "not_evaluable"]
    if len(ne):
        warn += (f'<p class="warn"><b>{len(ne)} sample(s) not evaluable</b> (grey in every figure, no call): '
                 + "; ".join(f"{E(s)} ({E(q)})" for s, q in zip(ne["sample"], ne["qc"])) + "</p>")
    return warn


def _baseline(ref_info: dict) -> str:
    """A tumour-pooled reference's genes: the tumours each baseline rests on."""
    b = ref_info.get("baseline") or {}
    if not b:
        return ""
    return (" Tumours each gene's baseline rests on: " + ", ".join(
        f"{E(g)} {v['tumours']}" + ("" if v["evaluable"] else " (not evaluable)") for g, v in sorted(b.items())) + ".")


def _header(d: CohortReport) -> str:
    calls, p = d.calls, d.provenance
    ev = calls[calls["status"] != "not_evaluable"]
    nd, nplus = int((calls["status"] == "deleted").sum()), int((calls["ikzf1plus"] == "yes").sum())
    return (f'<p class="meta">{len(calls)} tumour samples ({len(ev)} evaluable) · mode <b>{E(p.mode)}</b> · genome '
            f'<b>{E(p.build)} ({E(p.assembly)})</b>, exons of {E(p.transcript)} · reference: {E(reference_text(d.ref_info))}'
            f' · ikzf1-cnv {E(p.versions.get("ikzf1cnv", "?"))}, commit {E(p.commit[:12])} · CNVkit '
            f'{E(p.versions.get("cnvkit", "?"))} · run {E(p.run_date)} (full provenance at the end)</p>'
            f"<p>IKZF1 deleted in <b>{nd}</b>; IKZF1plus in <b>{nplus}</b>.</p>{_warnings(d)}")


def cf_interval(low: str, high: str) -> str:
    return "NA" if "NA" in (low, high) or "" in (low, high) else f"{low}-{high}"


def _calls(d: CohortReport) -> str:
    genes = gene_columns(d.rules)
    c = d.calls.assign(ikzf1_cf_95ci=[cf_interval(a, b) for a, b in zip(d.calls["ikzf1_cf_low"], d.calls["ikzf1_cf_high"])],
                       ikzf1_lod=[words.lod_compact(x) or "NA" for x in d.calls["ikzf1_lod"]])
    cols = ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_biallelic", "ikzf1_cell_fraction",
            "ikzf1_cf_95ci", *genes, "ikzf1plus", "ukall_cna", "ikzf1_lod", "blast_fraction", "clone_fraction"]
    pages = set(d.records)
    return f"""<h2>Calls</h2>{table_html(c[cols], colour_cols=("status", "ikzf1plus", "ukall_cna", *genes),
                             table_id="calls", noun="samples", links={"sample": lambda s: page_href(s) if s in pages else None},
                             nosearch=("ikzf1_lod",))}
<p class="note">sample: links to the patient's printable page. ikzf1_cell_fraction: fraction of all cells with the IKZF1
deletion, ikzf1_cf_95ci its 95% interval. ikzf1_lod: the limit of detection of a wild type (or of another deletion type):
a one-copy deletion of that type in at least that fraction of cells would have been called with 95% probability.
blast_fraction: the sheet's blast percentage; without one, clone_fraction is the fraction of cells of the sample's
largest clonal event (a lower bound of the blast fraction, not a blast count).</p>"""


def _evidence(d: CohortReport) -> str:
    llr = [d.records.get(s, {}).get("ikzf1", {}).get("llr") for s in d.calls["sample"]]
    c = d.calls.assign(ikzf1_cf_95ci=[cf_interval(a, b) for a, b in zip(d.calls["ikzf1_cf_low"], d.calls["ikzf1_cf_high"])],
                       ikzf1_lod=[words.lod_compact(x) or "NA" for x in d.calls["ikzf1_lod"]],
                       ikzf1_llr=["NA" if v is None else f"{float(v):.1f}" for v in llr])
    cols = ["sample", "status", "ikzf1_deletion", "ikzf1_cell_fraction", "ikzf1_cf_95ci", "ikzf1_llr",
            "ikzf1_mechanism", "arm_losses", "ikzf1_evidence", "ikzf1_junction", "ikzf1_lod"]
    return f"""<h2>Evidence and limits of detection</h2>
<p class="note">ikzf1_llr: the log-likelihood ratio (natural log) of the window's best fit against no deletion.
Which bins each IKZF1 call rests on: for a deletion, the positions inside the deleted run (exon units,
intronic probes, flanking target bins, off-target bins); for a wild type, those of the gene's window; and the arm when an
arm or chromosome loss was called (ikzf1_mechanism: focal = both ends inside the window, interstitial = running out of
it, arm, chromosome). ikzf1_lod: the smallest fraction of cells in which a one-copy del4-7, del2-3 or del1-8 would be
called in this sample with 95% probability at the configured false-positive rate (NA: not even in every cell). A wild
type rules out deletions above these limits only. ikzf1_junction: confirmed = a junction (split reads) removes the
exons the call has lost, none_found = a genome's depth call without one (check by eye).</p>{
table_html(c[cols], colour_cols=("status",), table_id="evidence", noun="samples", nosearch=("ikzf1_lod",))}
<h3>Junctions (split reads)</h3><p class="note">Each deletion junction in a gene window: the first and last deleted base
(1-based, as in HGVS; breakpoints.tsv keeps BED's 0-based half-open start), its split reads, the cell fraction they imply
(one allele), the exons it removes, and the RSS heptamer beside each end when a FASTA was given.</p>{junction_table(d.records)}"""


def _literature(d: CohortReport) -> str:
    ref = d.reference_table.set_index("group") if "group" in d.reference_table else pd.DataFrame()
    rows = []
    for r in d.freq.itertuples(index=False):
        src = ref.loc[r.group] if r.group in ref.index else {}
        lo, hi = float(r.reference_low), float(r.reference_high)
        rows.append({"group": r.label, "n": r.n, "n_altered": r.n_altered, "observed": r.observed,
                     "95% CI": cf_interval(str(r.ci_low), str(r.ci_high)),
                     "reference": f"{lo:.0%}" if lo == hi else f"{lo:.0%}-{hi:.0%}", "p_value": p_value_text(r.p_value),
                     "verdict": r.verdict, "source": src.get("source", ""),
                     "primary citation": str(src.get("note", "") or "") or "none given in the reference table"})
    return table_html(pd.DataFrame(rows), table_id="literature", noun="groups")


def _figures(d: CohortReport) -> str:
    plots = []
    for s, st, lab, cf in zip(d.calls["sample"], d.calls["status"], d.calls["ikzf1_deletion"], d.calls["ikzf1_cell_fraction"]):
        pos = d.positions.get(s)
        if pos is None:
            continue
        rec = d.records.get(s, {})
        ik = pos[pos["group"] == "IKZF1"] if len(pos) else pos
        title = f"{s}: {st}" + (f" {lab} in {words.pct(_num(cf))} of cells" if st == "deleted" else "")
        v = WindowView(title, ik, rec.get("ikzf1", {}).get("cell_fraction"), _purity(rec) if rec else None,
                       [j for j in rec.get("junctions", []) if j.get("gene") == "IKZF1"], st != "not_evaluable", 360, 160)
        plots.append(f'<div class="keep">{window_plot(v)}{junction_caption(rec.get("junctions", []))}</div>')
    return f"""<h2>Frequencies against the literature</h2>{frequency_plot(d.freq)}{_literature(d)}
<p class="note">Reference ranges from the seed table (resources/reference_frequencies.tsv, its `source`); the primary
citation is the independent figure the table gives beside it. They count point mutations, which read depth cannot see: a
depth-based rate at or slightly below the range is expected. 'insufficient': fewer than
{d.config.get('frequency_min_samples')} evaluable samples in the group.</p>
<h2>Deletion types</h2>{deletion_type_plot(d.calls, d.types)}
<h2>Exon copy number (MLPA-style summary)</h2>{heatmap(d.calls, d.exons)}
<h2>Per-sample IKZF1 windows</h2><p class="note">Every position the model saw in each sample's IKZF1 window, in genomic
order (x: chr7 Mb), with its 95% interval and the fitted path; exon boxes numbered. A not-evaluable sample is grey, with no
path: no call.</p>{legend(760)}<div class="grid">{"".join(plots)}</div>"""


def _methods(d: CohortReport) -> str:
    config = d.config
    qc_cols = ["sample", "qc", "median_depth", "noise", "blast_fraction", "blast_source", "clone_fraction", "clone_low",
               "clone_high", "sex", "sex_inferred", "sex_check"]
    cfg_rows = pd.DataFrame([(k, str(v)) for k, v in sorted(config.items()) if k not in ("caller", "qc")]
                            + [(f"caller.{k}", str(v)) for k, v in sorted(config.get("caller", {}).items())]
                            + [(f"qc.{k}", str(v)) for k, v in sorted(config.get("qc", {}).items())],
                            columns=["setting", "value"])
    ver = pd.DataFrame(sorted(d.provenance.versions.items()), columns=["software", "version"])
    notes = "".join(f"<li>{E(x)}</li>" for x in d.methods)
    return f"""<h2>Quality control</h2>{table_html(d.calls[qc_cols], table_id="qc", noun="samples")}
<h2>Methods</h2><ul>{notes}</ul><h3>Settings</h3>{table_html(cfg_rows)}<h3>Versions</h3>{table_html(ver)}"""


def render(d: CohortReport) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>IKZF1 cohort report</title>
<style>{COHORT}</style></head><body>
<h1>IKZF1 copy-number cohort report</h1>
{_header(d)}
{_calls(d)}
{_evidence(d)}
{_figures(d)}
{_methods(d)}
{footer_html(d.provenance, "Each BAM's header digest is the sha256 of its header text; each patient's page names its own.")}
<script>{SCRIPT}</script>
</body></html>
"""


def one_based(j: dict) -> str:
    """A junction's deleted bases, 1-based inclusive: chr7:50352145-50395890."""
    return f"{j['chrom']}:{int(j['start']) + 1}-{int(j['end'])}"


def junction_table(records: dict[str, dict]) -> str:
    rows = [{"sample": s, "gene": j["gene"], "deleted_bases": one_based(j),
             "split_reads": j["split_reads"], "discordant_pairs": j.get("discordant_pairs", 0),
             "precision": j.get("precision", "exact"), "cell_fraction": "NA" if j["cell_fraction"] is None else
             f"{j['cell_fraction']:.2f}", "label": j["label"], "rss_left": j["rss_left"], "rss_right": j["rss_right"]}
            for s, r in records.items() for j in r.get("junctions", [])]
    if not rows:
        return '<p class="note">No junction in any sample (panels without probes at the breakpoints see few).</p>'
    return table_html(pd.DataFrame(rows), table_id="junctions", noun="junctions")


def junction_caption(js: list[dict]) -> str:
    """One line under a sample's window plot naming its IKZF1 junctions (1-based)."""
    ik = [j for j in js if j["gene"] == "IKZF1"]
    if not ik:
        return ""
    return '<p class="note">' + "; ".join(
        f"junction {E(j['label'])} {E(one_based(j))}"
        f"{'' if j.get('precision', 'exact') == 'exact' else ' (imprecise)'}, {j['split_reads']} split reads, "
        f"{j.get('discordant_pairs', 0)} discordant pairs" for j in ik) \
        + "</p>"


def _num(v):
    try:
        f = float(v)
        return f if math.isfinite(f) else None
    except (TypeError, ValueError):
        return None


def _purity(rec: dict) -> float | None:
    """The fraction the expected-loss lines are drawn at: the blast fraction, else the
    largest clone's."""
    p = rec["purity"]
    return _num(p.get("blast_fraction")) or _num(p.get("clone_fraction"))
