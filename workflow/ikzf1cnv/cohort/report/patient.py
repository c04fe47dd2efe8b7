"""A patient's page (samples/{sample}/report.html), printable on A4 or Letter in two pages:
the verdict first (IKZF1 with its cell fraction and interval, IKZF1plus and UKALL-CNA with
the rule that gave them, what a negative rules out), the deletions named (ISCN, HGVS), then
the evidence (the IKZF1 window as the model saw it, each co-deletion gene, the arms, QC), and
the provenance footer."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..nomenclature import Build, arm_iscn, name_deletions
from . import verdict as words
from .footer import Provenance, footer_html
from .html import COLORS, E
from .sample_plots import arms_plot, qc_plot
from .style import PATIENT
from .window_plot import WindowView, legend, window_plot


@dataclass(frozen=True)
class PatientPage:
    record: dict                   # samples/{sample}/calls.json
    positions: pd.DataFrame        # samples/{sample}/window_bins.tsv
    build: Build                   # bands and accessions, for the names
    arms: pd.DataFrame             # resources/<build>/arms.tsv (1-based)
    rules: dict                    # resources/rules.yaml
    thresholds: dict               # the QC thresholds applied: min_depth, max_noise, min_ikzf1_exons_with_data
    pax5_mode: str                 # config ikzf1plus_pax5
    transcript: str                # NM_006060.6
    provenance: Provenance
    cohort_href: str = "../../cohort/report.html"


def _cls(value: str) -> str:
    return {"yes": "pos", "poor": "pos", "deleted": "pos", "no": "neg", "good": "neg", "wildtype": "neg"}.get(value, "na")


def _meta(p: PatientPage) -> str:
    r, pur = p.record, p.record.get("purity", {})
    blast = pur.get("blast_fraction")
    if blast is None and pur.get("clone_fraction") is not None:   # no blast count: the largest clone's share
        est = (f" not given; largest clone {words.pct(pur['clone_fraction'])} of cells (95% interval "
               f"{words.pct(pur.get('clone_low'))}-{words.pct(pur.get('clone_high'))}; a lower bound of the blasts)")
    elif pur.get("blast_source") == "estimated":
        est = (f" (estimated from its clonal events, 95% interval {words.pct(pur.get('blast_low'))}-"
               f"{words.pct(pur.get('blast_high'))})")
    else:
        est = " (sample sheet)" if blast is not None else " not given"
    sex = (f" · sex {E(str(r['sex_inferred']))} (check: {E(str(r.get('sex_check', 'NA')))})"
           if r.get("sex_inferred") is not None else "")
    return (f'<p class="meta">Subtype <b>{E(str(r.get("subtype")))}</b> · age group {E(str(r.get("age_group") or "NA"))}'
            f' · blast fraction {words.pct(blast) if blast is not None else ""}{E(est)}{sex} · {E(p.provenance.mode)} · run {E(p.provenance.run_date)}'
            f' <a class="screen" href="{E(p.cohort_href)}">cohort report</a></p>')


def _alt(ik: dict) -> str:
    """The second-best IKZF1 type, where the record has one (issue 19)."""
    alt = ik.get("deletion_alt")
    if not alt or alt == "NA":
        return ""
    lr = ik.get("deletion_alt_lr")
    return f"<p>Next most likely type: {E(str(alt))}" + (f" (likelihood ratio {E(str(lr))} against the call)" if lr else "") \
        + "</p>"


def _verdict(p: PatientPage) -> str:
    r, ik = p.record, p.record.get("ikzf1", {})
    status = r.get("status")
    lines = [f'<p class="big {_cls(status)}">IKZF1 {E(words.ikzf1_headline(r, p.transcript))}</p>']
    if status == "deleted":
        lines.append(f"<p>Evidence: log-likelihood ratio {E(str(ik.get('llr')))} for the deletion against none "
                     f"(natural log); mechanism {E(str(ik.get('mechanism')))}; {E(str(ik.get('evidence')))}.</p>")
    lines.append(_alt(ik))
    for name, text in (("IKZF1plus", words.ikzf1plus_reason(r, p.rules, p.pax5_mode)),
                       ("UKALL-CNA", words.ukall_reason(r, p.rules))):
        v, _, why = text.partition(": ")
        lines.append(f'<p><b>{name}: <span class="{_cls(v)}">{E(v)}</span></b> ({E(why)})</p>')
    lod = words.lod_words(ik.get("lod", ""))
    if lod:
        head = "What a negative rules out" if status != "deleted" else "Limits of detection in this sample"
        lines.append(f"<p><b>{head}:</b> {E(lod[0].upper() + lod[1:])} Smaller clones, point mutations and "
                     f"copy-neutral events are not ruled out.</p>")
    if r.get("arm_losses") not in (None, "none", "NA"):
        lines.append(f"<p>Chromosome arms lost (cell fraction): {E(str(r['arm_losses']))}</p>")
    return f'<div class="verdict keep">{"".join(lines)}</div>'


def _genes(p: PatientPage) -> str:
    called = p.record.get("genes", {})
    genes = {g: called[g] for g in p.rules["genes"] if g in called} | called   # the call table's order
    head = "".join(f"<th>{E(g)}</th>" for g in genes)
    cells = "".join(f'<td style="color:{COLORS.get(v, "#222")};font-weight:bold">{E(str(v))}</td>'
                    for v in genes.values())
    return (f'<h2>Co-deletions</h2><table class="genes"><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr>'
            f'</tbody></table>')


def _names(p: PatientPage) -> str:
    r = p.record
    if r.get("status") == "not_evaluable":
        return ""
    rows = []
    for group, pos in p.positions.groupby("group", sort=False):
        for d in name_deletions(p.build, pos, r.get("junctions", [])):
            what = "; ".join(f"{g} exons {words.exon_runs(','.join(e)) if g == 'IKZF1' else ','.join(e)}"
                             for g, e in d["genes"].items())
            rows.append((what, d["iscn"], d["hgvs"], d["ends"]))
    mech, arm = r.get("ikzf1", {}).get("mechanism"), r.get("arm_losses", "")
    if mech in ("arm", "chromosome") and arm not in ("", "none", "NA"):
        lost = [a.split(":")[0] for a in arm.split(",") if a.startswith(("7p", "7q"))]
        iscn = arm_iscn(p.build, lost[0], "chr7", p.arms, mech == "chromosome") if lost else ""
        rows.append((f"IKZF1 with {'chromosome 7' if mech == 'chromosome' else 'arm ' + ', '.join(lost)}", iscn,
                     "(arm-level loss: no HGVS description)", "the arm's bins"))
    if not rows:
        return '<h2>Deletions named</h2><p class="note">No deletion of an exon in any gene window.</p>'
    body = "".join("<tr>" + "".join(f"<td>{E(x)}</td>" for x in row) + "</tr>" for row in rows)
    return (f'<h2>Deletions named</h2><table class="names"><thead><tr><th>deletion</th><th>ISCN 2020</th>'
            f'<th>HGVS</th><th>ends</th></tr></thead><tbody>{body}</tbody></table><p class="note">1-based '
            f'{E(p.build.assembly)} coordinates. ISCN: first and last base of the positions measured deleted, with '
            f'the copies left (x1, x0) in the cells that carry it. HGVS: each end bracketed between the last base '
            f'kept and the first base lost that the measured positions allow (? where nothing is measured beyond).</p>')


def _gene_title(group: str, rules: dict, genes: dict) -> str:
    members = group.split("+")
    if set(members) == set(rules.get("par1", {}).get("context", [])):
        return f"PAR1 region: {genes.get('PAR1', 'NA')}"
    called = [g for g in members if g in genes]
    return " / ".join(f"{g} {genes[g]}" for g in called) or group


def _junctions_of(rec: dict, genes: list[str]) -> list[dict]:
    return [j for j in rec.get("junctions", []) if j.get("gene") in genes]


def _figures(p: PatientPage) -> str:
    r = p.record
    ev = r.get("status") != "not_evaluable"
    pur = r.get("purity", {})
    blast = pur.get("blast_fraction") or pur.get("clone_fraction")   # the expected-loss lines' fraction
    groups = list(dict.fromkeys(p.positions["group"])) if len(p.positions) else []
    ik = p.positions[p.positions["group"] == "IKZF1"]
    chrom = ik["chrom"].iloc[0] if len(ik) else "chr7"
    span = (f"{chrom}:{(ik['start'].min() + 1) / 1e6:.3f}-{ik['end'].max() / 1e6:.3f} Mb, " if len(ik) else "")
    main = window_plot(WindowView(f"IKZF1 window ({span}{len(ik)} positions in genomic order)", ik,
                                  r.get("ikzf1", {}).get("cell_fraction"), blast, _junctions_of(r, ["IKZF1"]), ev,
                                  700, 240))
    small = [window_plot(WindowView(_gene_title(g, p.rules, r.get("genes", {})), p.positions[p.positions["group"] == g],
                                    None, blast, _junctions_of(r, g.split("+")), ev, 230, 125))
             for g in groups if g != "IKZF1"]
    small.append(arms_plot(r.get("arms", {}), blast, ev))
    small.append(qc_plot(_qc_measures(p)))
    return (f'<h2>IKZF1: every position the model saw</h2><div class="keep">{main}{legend(700)}</div>'
            f'<h2>Co-deletion genes, chromosome arms and QC</h2><div class="small-grid keep">{"".join(small)}</div>')


def _qc_measures(p: PatientPage) -> list:
    m, t = p.record.get("metrics", {}), p.thresholds
    ik = p.positions[(p.positions["group"] == "IKZF1") & (p.positions["kind"] == "exon")]
    covered = int((pd.to_numeric(ik["n_bins"], errors="coerce").fillna(0) > 0).sum()) if len(ik) else None
    return [("median depth", m.get("median_depth"), float(t["min_depth"]), ">=", "x", 0),
            ("noise", m.get("noise"), float(t["max_noise"]), "<=", "", 2),
            ("IKZF1 exons with data", covered, float(t["min_ikzf1_exons_with_data"]), ">=", "", 0)]


def render_patient(p: PatientPage) -> str:
    s = p.record.get("sample", "?")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>IKZF1 report {E(s)}</title>
<style>{PATIENT}</style></head><body>
<h1>IKZF1 copy-number report: {E(s)}</h1>
{_meta(p)}
{_verdict(p)}
{_genes(p)}
{_names(p)}
{_figures(p)}
{footer_html(p.provenance)}
</body></html>
"""
