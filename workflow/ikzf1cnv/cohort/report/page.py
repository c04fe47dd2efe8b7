"""The self-contained cohort report (report.html): inline SVG, no network needed."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ...core.annotation import gene_columns
from .html import CSS, SCRIPT, E, table_html
from .plots import deletion_type_plot, exon_plot, frequency_plot, heatmap


@dataclass(frozen=True)
class CohortReport:
    """What the cohort report shows: the call table and frequencies (as written), the
    deletion types of the literature, each sample's exon table and record, the reference
    used, the config, the rules, the software versions and the methods."""
    calls: pd.DataFrame
    freq: pd.DataFrame
    types: pd.DataFrame
    exons: dict
    records: dict
    ref_info: dict
    config: dict
    rules: dict
    versions: dict
    methods: list


def _warnings(d: CohortReport) -> str:
    warn = ""
    if d.ref_info.get("warning"):
        warn = f'<p class="warn"><b>Reference:</b> {E(d.ref_info["warning"])}</p>'
    ne = d.calls[d.calls["status"] == "not_evaluable"]
    if len(ne):
        warn += (f'<p class="warn"><b>{len(ne)} sample(s) not evaluable</b>: '
                 + "; ".join(f"{E(s)} ({E(q)})" for s, q in zip(ne["sample"], ne["qc"])) + "</p>")
    return warn


def _header(d: CohortReport) -> str:
    calls, ref = d.calls, d.ref_info
    ev = calls[calls["status"] != "not_evaluable"]
    nd, nplus = int((calls["status"] == "deleted").sum()), int((calls["ikzf1plus"] == "yes").sum())
    normals = ('(' + ', '.join(E(x) for x in ref.get('normals', [])) + ')') if ref.get('normals') else ''
    return (f"<p>{len(calls)} tumour samples ({len(ev)} evaluable), genome {E(str(d.config.get('genome')))}, "
            f"reference: {E(ref.get('mode', '?'))}\n{normals}.\nIKZF1 deleted in <b>{nd}</b>; IKZF1plus in "
            f"<b>{nplus}</b>.</p>{_warnings(d)}")


def _calls(d: CohortReport) -> str:
    genes = gene_columns(d.rules)
    cols = ["sample", "subtype", "status", "ikzf1_deletion", "ikzf1_exons_biallelic", "ikzf1_cell_fraction",
            *genes, "ikzf1plus", "ukall_cna", "blast_fraction", "clone_fraction"]
    return f"""<h2>Calls</h2>{table_html(d.calls[cols], colour_cols=("status", "ikzf1plus", "ukall_cna", *genes),
                             table_id="calls", noun="samples")}
<p class="note">ikzf1_cell_fraction: fraction of all cells with the IKZF1 deletion (95% interval in ikzf1_calls.tsv).
blast_fraction: the sheet's blast percentage; without one, clone_fraction is the fraction of cells of the sample's
largest clonal event (a lower bound of the blast fraction, not a blast count).</p>"""


def _evidence(d: CohortReport) -> str:
    cols = ["sample", "status", "ikzf1_deletion", "ikzf1_cell_fraction", "ikzf1_mechanism", "arm_losses",
            "ikzf1_evidence", "ikzf1_junction", "ikzf1_lod"]
    return f"""<h2>Evidence and limits of detection</h2>
<p class="note">Which bins each IKZF1 call rests on: for a deletion, the positions inside the deleted run (exon units,
intronic probes, flanking target bins, off-target bins); for a wild type, those of the gene's window; and the arm when an
arm or chromosome loss was called (ikzf1_mechanism: focal = both ends inside the window, interstitial = running out of
it, arm, chromosome). ikzf1_lod: the smallest fraction of cells in which a one-copy del4-7, del2-3 or del1-8 would be
called in this sample with 95% probability at the configured false-positive rate (NA: not even in every cell). A wild
type rules out deletions above these limits only. ikzf1_junction: confirmed = a junction (split reads) removes the
exons the call has lost, none_found = a genome's depth call without one (check by eye).</p>{
table_html(d.calls[cols], colour_cols=("status",), table_id="evidence", noun="samples")}
<h3>Junctions (split reads)</h3><p class="note">Each deletion junction in a gene window, to the base (0-based, half-open):
its split reads, the cell fraction they imply (one allele), the exons it removes, and the RSS heptamer beside each end
when a FASTA was given.</p>{junction_table(d.records)}"""


def _figures(d: CohortReport) -> str:
    plots = "".join(f'<div>{exon_plot(s, d.exons[s], _purity(d.records[s]))}'
                    f'{junction_caption(d.records.get(s, {}).get("junctions", []))}</div>'
                    for s in d.calls["sample"] if s in d.exons)
    return f"""<h2>Frequencies against the literature</h2>{frequency_plot(d.freq)}{table_html(d.freq, colour_cols=())}
<p class="note">Reference ranges from the seed table (resources/reference_frequencies.tsv). They count point mutations,
which read depth cannot see: a depth-based rate at or slightly below the range is expected. 'insufficient': fewer than
{d.config.get('frequency_min_samples')} evaluable samples in the group.</p>
<h2>Deletion types</h2>{deletion_type_plot(d.calls, d.types)}
<h2>Exon copy number (MLPA-style summary)</h2>{heatmap(d.calls, d.exons)}
<h2>Per-sample exon plots</h2><p class="note">log2 ratio per IKZF1 exon with 95% interval; dashed red lines:
expected one-copy (long dashes) and two-copy (dots) loss at the sample's blast fraction.</p><div class="grid">{plots}</div>"""


def _methods(d: CohortReport) -> str:
    config = d.config
    qc_cols = ["sample", "qc", "median_depth", "noise", "blast_fraction", "blast_source", "clone_fraction", "clone_low",
               "clone_high", "sex", "sex_inferred", "sex_check"]
    cfg_rows = pd.DataFrame([(k, str(v)) for k, v in sorted(config.items()) if k not in ("caller", "qc")]
                            + [(f"caller.{k}", str(v)) for k, v in sorted(config.get("caller", {}).items())]
                            + [(f"qc.{k}", str(v)) for k, v in sorted(config.get("qc", {}).items())],
                            columns=["setting", "value"])
    ver = pd.DataFrame(sorted(d.versions.items()), columns=["software", "version"])
    notes = "".join(f"<li>{E(x)}</li>" for x in d.methods)
    return f"""<h2>Quality control</h2>{table_html(d.calls[qc_cols], table_id="qc", noun="samples")}
<h2>Methods</h2><ul>{notes}</ul><h3>Settings</h3>{table_html(cfg_rows)}<h3>Versions</h3>{table_html(ver)}"""


def render(d: CohortReport) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>IKZF1 cohort report</title>
<style>{CSS}</style></head><body>
<h1>IKZF1 copy-number cohort report</h1>
{_header(d)}
{_calls(d)}
{_evidence(d)}
{_figures(d)}
{_methods(d)}
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
