"""A sample's calls in words: the IKZF1 call with its interval, what a negative rules out
(the limit of detection), and the rule that gave IKZF1plus and UKALL-CNA. Nothing is decided
here: the words follow the record's values (caller.classify made them)."""
from __future__ import annotations

from ...caller.classify import is_deleted


def exon_runs(exons: str) -> str:
    """'4,5,6,7' as '4-7', '1,2,4' as '1-2, 4'."""
    nums = [int(e) for e in str(exons or "").split(",") if e.strip().isdigit()]
    runs, out = [], []
    for n in nums:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    for a, z in runs:
        out.append(str(a) if a == z else f"{a}-{z}")
    return ", ".join(out)


def pct(x) -> str:
    return "NA" if x is None else f"{100 * float(x):.0f}%"


def lod_items(lod: str) -> list[tuple[str, float | None]]:
    """'del4-7:0.30;del2-3:0.34' as [('del4-7', 0.30), ('del2-3', 0.34)] (None: out of reach)."""
    out = []
    for part in (lod or "").split(";"):
        if ":" in part:
            name, v = part.split(":", 1)
            out.append((name, None if v in ("NA", "") else float(v)))
    return out


def lod_words(lod: str) -> str:
    """The limits of detection as a sentence; '' when there are none (not evaluable)."""
    items = lod_items(lod)
    if not items:
        return ""
    seen = [f"a {n} in {pct(v)} of cells or more" for n, v in items if v is not None]
    out = [f"a {n} would not be seen even in every cell" for n, v in items if v is None]
    text = ""
    if seen:
        text = (", ".join(seen[:-1]) + " or " + seen[-1] if len(seen) > 1 else seen[0]) \
            + " would have been seen with 95% probability"
    return "; ".join([t for t in [text, *out] if t]) + "."


def lod_compact(lod: str, sep: str = ", ") -> str:
    """'del4-7 ≥30%, del2-3 ≥34%, del1-8 ≥21%' for a table cell (breaks only between types)."""
    return sep.join(f"{n}\u00a0≥{pct(v)}" if v is not None else f"{n}\u00a0NA" for n, v in lod_items(lod))


def cell_fraction_text(ik: dict) -> str:
    """'87% of cells (95% interval 41-92%)'."""
    cf, lo, hi = ik.get("cell_fraction"), ik.get("cf_low"), ik.get("cf_high")
    if cf is None:
        return ""
    text = f"{pct(cf)} of cells"
    if lo is not None and hi is not None:
        text += f" (95% interval {100 * float(lo):.0f}-{100 * float(hi):.0f}%)"
    return text


def _levels_text(rule_levels: dict, genes: dict) -> list[str]:
    return [f"{g} {genes[g]}" for g, levels in rule_levels.items() if genes.get(g) in levels]


def _na_reason(rec: dict) -> str:
    """Why a rule reads NA: the sample not evaluable, or (an evaluable sample) the warnings
    in its qc: genes a tumour-pooled baseline could not set, an ERG deletion not ruled out."""
    qc = rec.get("qc") or ""
    if rec.get("status") != "not_evaluable" and qc.startswith("warn: "):
        return f"NA: could go either way ({qc[len('warn: '):]})"
    return "NA: not evaluable"


def ikzf1plus_reason(rec: dict, rules: dict, pax5_mode: str = "any") -> str:
    """The record's IKZF1plus with the rule that gave it, e.g. 'yes: IKZF1 deleted + CDKN2A
    hom + CDKN2B hom, no ERG deletion'."""
    value, genes = rec.get("ikzf1plus", "NA"), rec.get("genes", {})
    rule = rules["ikzf1plus"]
    if (rec.get("subtype") or "unknown") not in rules["bcp_subtypes"]:
        return f"NA: defined for B-cell precursor ALL only (subtype {rec.get('subtype')})"
    if rec.get("status") == "not_evaluable" or value == "NA":
        return _na_reason(rec)
    if rec.get("status") != "deleted":
        return "no: no IKZF1 deletion"
    excluded = _levels_text(rule["exclude"], genes)
    partners = dict(rule["partners"])
    if pax5_mode == "partial":
        partners["PAX5"] = rule["pax5_partial_levels"]
    found = _levels_text(partners, genes)
    needs = ", ".join(f"{g} {'/'.join(levels)}" for g, levels in partners.items())
    if excluded:
        return f"{value}: IKZF1 deleted, but {', '.join(excluded)} (an ERG deletion excludes IKZF1plus)"
    if found:
        return f"{value}: IKZF1 deleted + {' + '.join(found)}, no " + "/".join(rule["exclude"]) + " deletion"
    other = [f"{g} {genes[g]}" for g in partners if is_deleted(genes.get(g, "none"))]
    return f"{value}: IKZF1 deleted, but " + (", ".join(other) + " only" if other else "no co-deletion") \
        + f" (the rule needs one of: {needs})"


def ukall_reason(rec: dict, rules: dict) -> str:
    """The record's UKALL-CNA with the profile that gave it."""
    value, genes = rec.get("ukall_cna", "NA"), rec.get("genes", {})
    if (rec.get("subtype") or "unknown") not in rules["bcp_subtypes"]:
        return f"NA: defined for B-cell precursor ALL only (subtype {rec.get('subtype')})"
    if value == "NA":
        return _na_reason(rec)
    rule = rules["ukall_cna"]
    deleted = [u for u, gs in rule["units"].items()
               if any((rec.get("status") == "deleted") if g == "IKZF1" else is_deleted(genes.get(g, "none"))
                      for g in gs)]
    if not deleted:
        return f"{value}: none of the {len(rule['units'])} genes deleted"
    if value == "good" and len(deleted) == 1:
        return f"{value}: isolated {deleted[0]} deletion"
    if value == "good":
        return f"{value}: {rule['etv6_partner']} deleted with one of {'/'.join(rule['etv6_plus_one'])} " \
               f"({', '.join(d for d in deleted if d != rule['etv6_partner'])})"
    return f"{value}: {', '.join(deleted)} deleted (not a good-risk profile: none, an isolated " \
           f"{'/'.join(rule['good_isolated'])} deletion, or {rule['etv6_partner']} with one of " \
           f"{'/'.join(rule['etv6_plus_one'])})"


def ikzf1_headline(rec: dict, transcript: str) -> str:
    """'deleted: del4-7 (exons 4-7 of NM_006060.6), one copy, in 87% of cells (95% interval 41-92%)'."""
    ik = rec.get("ikzf1", {})
    if rec.get("status") == "not_evaluable":
        return f"not evaluable: {rec.get('qc')}. No call is made."
    if rec.get("status") != "deleted":
        return "no IKZF1 deletion found"
    bial = exon_runs(ik.get("exons_biallelic") or "")
    copies = f"both copies of exons {bial}, one copy of the rest" if bial else "one copy"
    return (f"deleted: {ik.get('deletion')} (exons {exon_runs(ik.get('exons_deleted'))} of {transcript}), {copies}, "
            f"in {cell_fraction_text(ik)}")
