"""Risk classifications as small pure functions over gene-level calls.

Gene calls use the contract's vocabularies: CDKN2A/CDKN2B none|het|hom, PAX5
none|partial|whole, PAR1/ERG/EBF1/ETV6/BTG1/RB1 none|deleted, IKZF1 via its label.
The rule parameters (which genes, which levels) come from resources/rules.yaml.
"""
from __future__ import annotations

from collections.abc import Mapping

NOT_DELETED = ("none", "NA", "")


def is_deleted(level: str) -> bool:
    return level not in NOT_DELETED


def ikzf1plus(calls: Mapping[str, str], rule: Mapping, pax5_mode: str = "any") -> str:
    """IKZF1plus (Stanulla et al., JCO 2018): an IKZF1 deletion with a co-deletion of
    CDKN2A or CDKN2B (homozygous), PAX5 or PAR1 (P2RY8-CRLF2), and no ERG deletion.

    `calls` maps 'IKZF1' ('deleted'/'wildtype'/'not_evaluable') and the gene names to
    their levels. `rule` is the ikzf1plus entry of rules.yaml:
    {'partners': {gene: [levels]}, 'exclude': {gene: [levels]}, 'pax5_partial_levels': [...]}.
    `pax5_mode`: 'any' (partial or whole PAX5 deletion) or 'partial' (intragenic only).
    """
    if calls.get("IKZF1") == "not_evaluable":
        return "NA"
    if calls.get("IKZF1") != "deleted":
        return "no"
    for gene, levels in rule["exclude"].items():
        if calls.get(gene) in levels:
            return "no"
    for gene, levels in rule["partners"].items():
        if gene == "PAX5" and pax5_mode == "partial":
            levels = rule["pax5_partial_levels"]
        if calls.get(gene) in levels:
            return "yes"
    return "no"


def ukall_cna(calls: Mapping[str, str], rule: Mapping) -> str:
    """UKALL copy-number profile (Moorman et al., Blood 2014).

    Good risk: no deletion in any of the eight genes; an isolated deletion of ETV6, PAX5
    or BTG1; or ETV6 deleted with exactly one more deletion among BTG1, PAX5, CDKN2A/B.
    Poor risk: every other profile. CDKN2A and CDKN2B count as one unit (deleted when
    either has any deletion). `rule`: {'units': {unit: [genes]}, 'good_isolated': [...],
    'etv6_partner': 'ETV6', 'etv6_plus_one': [...]}.
    """
    if calls.get("IKZF1") == "not_evaluable":
        return "NA"
    deleted = set()
    for unit, genes in rule["units"].items():
        for g in genes:
            v = calls.get(g)
            if g == "IKZF1":
                if v == "deleted":
                    deleted.add(unit)
            elif v is not None and is_deleted(v):
                deleted.add(unit)
    if not deleted:
        return "good"
    if len(deleted) == 1 and deleted <= set(rule["good_isolated"]):
        return "good"
    anchor = rule["etv6_partner"]
    if anchor in deleted and len(deleted) == 2 and (deleted - {anchor}) <= set(rule["etv6_plus_one"]):
        return "good"
    return "poor"


# The levels each kind of gene can take (rules.yaml `genes`), for a gene that is NA.
LEVELS = {"zygosity": ("none", "het", "hom"), "extent": ("none", "partial", "whole"), "any": ("none", "deleted"),
          "par1": ("none", "deleted")}
MAX_UNKNOWN = 6  # NA genes beyond this many: every rule reads NA (3^6 combinations at most are tried)


def robust(rule, calls: Mapping[str, str], kinds: Mapping[str, str], options: Mapping[str, tuple] | None = None) -> str:
    """A rule's verdict when some genes are NA (their baseline could not be set) or read one
    of a few levels (`options`: gene -> the levels the data leave open, caller.zygosity): the
    verdict if every level those genes could take gives the same one, else NA. IKZF1 NA
    (not evaluable) is the rule's own NA."""
    import itertools
    open_ = {g: LEVELS[kinds[g]] for g, v in calls.items() if g != "IKZF1" and v == "NA" and g in kinds}
    open_.update({g: tuple(v) for g, v in (options or {}).items() if g in calls and calls[g] != "NA"})
    if not open_:
        return rule(calls)
    if len(open_) > MAX_UNKNOWN:
        return "NA"
    verdicts = {rule({**calls, **dict(zip(open_, combo))}) for combo in itertools.product(*open_.values())}
    return verdicts.pop() if len(verdicts) == 1 else "NA"


def risk(row: Mapping, status: str, genes: Mapping[str, str], rules: Mapping, pax5_mode: str,
         options: Mapping[str, tuple] | None = None) -> tuple[str, str]:
    """(IKZF1plus, UKALL-CNA) of a sample from its IKZF1 status and gene levels: both rules
    are defined for B-cell precursor ALL (rules.yaml `bcp_subtypes`), NA for other subtypes;
    a gene without a level (NA), or with levels the data leave open (`options`), makes a
    rule NA only where its level could change it."""
    if (row.get("subtype") or "unknown") not in rules["bcp_subtypes"]:
        return "NA", "NA"
    calls = {"IKZF1": status, **genes}
    kinds = {g: k for g, k in rules["genes"].items() if k != "exons"}
    # UKALL-CNA counts any CDKN2A/B loss: an open zygosity (het or hom) cannot change it
    return (robust(lambda c: ikzf1plus(c, rules["ikzf1plus"], pax5_mode), calls, kinds, options),
            robust(lambda c: ukall_cna(c, rules["ukall_cna"]), calls, kinds))
