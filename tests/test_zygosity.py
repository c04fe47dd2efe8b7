"""A homozygous CDKN2A loss in p of the cells reads exactly as a heterozygous one in 2p:
log2(1 - p). Only the cell fractions the model allows tell them apart (the blast count's
cost, the bound); where they do not, IKZF1plus (which counts only a homozygous CDKN2A/B
loss) must be NA, not a 'yes' resting on a coin flip (caller.zygosity)."""
import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.caller import classify, zygosity
from ikzf1cnv.caller.groups import fit_group

KINDS = {"CDKN2A": "zygosity", "CDKN2B": "zygosity", "PAX5": "extent"}


def window(mu: float, se: float = 0.08) -> pd.DataFrame:
    """The CDKN2A+CDKN2B group: 8 flank positions, CDKN2A's 6 at `mu`, CDKN2B's 4 and 8
    more flank positions at 0."""
    gene = [""] * 8 + ["CDKN2A"] * 6 + ["CDKN2B"] * 4 + [""] * 8
    kind = ["flank" if not g else "exon" for g in gene]
    l2 = [0.0] * 8 + [mu] * 6 + [0.0] * 12
    return pd.DataFrame({"group": "CDKN2A+CDKN2B", "chrom": "chr9", "start": np.arange(26) * 1000,
                         "end": np.arange(26) * 1000 + 100, "kind": kind, "gene": gene, "exon": "",
                         "log2": l2, "se": se})


def called(blast: float, params):
    """The group fitted as the caller does with a sheet blast fraction: bound at blast +
    tolerance, fractions above the blast count at a cost; CDKN2A's level from its states."""
    pos = window(math.log2(1 - 0.38))
    gf = fit_group(["CDKN2A", "CDKN2B"], pos, min(1.0, blast + params.blast_pct_tolerance), params, blast=blast)
    st = gf.positions.loc[gf.positions["gene"] == "CDKN2A", "state"]
    level = "hom" if (st == 2).any() else ("het" if (st > 0).any() else "none")
    return {"CDKN2A+CDKN2B": gf}, {"CDKN2A": level, "CDKN2B": "none"}


def test_hom_in_p_or_het_in_2p_is_left_open_only_where_the_blast_count_does_not_decide(params):
    drop = params.model.ci_drop
    # blast count 62%: het in 76% costs 0.5 (0.14 / 0.1)^2 = 0.98 over the count, hom a second
    # hit (0.5): hom by 0.48, well inside the 1.92 that would decide -> left open
    fits, genes = called(0.62, params)
    assert genes["CDKN2A"] == "hom"
    got = zygosity.unresolved(fits, genes, KINDS, drop)
    assert [u.gene for u in got] == ["CDKN2A"]
    assert got[0].hom_fraction == pytest.approx(0.38, abs=0.015) and got[0].het_fraction == pytest.approx(0.76, abs=0.03)
    assert got[0].gap == pytest.approx(0.98 - 0.5, abs=0.25)
    assert zygosity.note(got) == (f"CDKN2A homozygous in {got[0].hom_fraction:.0%} of cells or heterozygous in "
                                  f"{got[0].het_fraction:.0%}: the data do not tell (odds {math.exp(got[0].gap):.1f})")
    assert zygosity.unresolved(fits, genes, KINDS, got[0].gap) == []      # a gap at the drop itself decides
    # blast count 50%: the bound (70%) shuts het in 76% out, the nearest het fits far worse -> hom stands
    fits, genes = called(0.50, params)
    assert genes["CDKN2A"] == "hom" and zygosity.unresolved(fits, genes, KINDS, drop) == []
    # blast count 95%: het in 76% is free and spares the second hit -> het, nothing to resolve
    fits, genes = called(0.95, params)
    assert genes["CDKN2A"] == "het" and zygosity.unresolved(fits, genes, KINDS, drop) == []


def test_ikzf1plus_is_na_where_only_a_zygosity_left_open_makes_it_yes(rules):
    genes = {"CDKN2A": "hom", "CDKN2B": "none", "PAX5": "none", "PAR1": "none", "ERG": "none", "EBF1": "none",
             "ETV6": "none", "BTG1": "none", "RB1": "none"}
    bcp, open_ = {"subtype": "B-other"}, {"CDKN2A": ("het", "hom")}
    assert classify.risk(bcp, "deleted", genes, rules, "any") == ("yes", "poor")
    assert classify.risk(bcp, "deleted", genes, rules, "any", open_) == ("NA", "poor")   # het or hom: CNA poor either way
    # a PAX5 deletion makes it 'yes' whatever CDKN2A is; no IKZF1 deletion, 'no' whatever it is
    assert classify.risk(bcp, "deleted", {**genes, "PAX5": "whole"}, rules, "any", open_)[0] == "yes"
    assert classify.risk(bcp, "wildtype", genes, rules, "any", open_)[0] == "no"


def test_every_open_group_is_listed_and_a_group_in_a_lost_arm_is_left_alone(params):
    """Groups are taken in key order: one without a homozygous call before it does not stop
    the search; two open groups both count; a group fitted against a lost arm's level
    (its zygosity rests on the arm call) is not re-weighed."""
    fits, genes = called(0.62, params)
    gf = fits["CDKN2A+CDKN2B"]
    kinds = {**KINDS, "P16": "zygosity"}
    many = {"A": gf, "CDKN2A+CDKN2B": gf, "P16": gf}
    got = zygosity.unresolved(many, {**genes, "P16": "hom"}, kinds, params.model.ci_drop)
    assert [u.gene for u in got] == ["CDKN2A", "P16"]
    assert zygosity.unresolved({"CDKN2A+CDKN2B": dataclasses.replace(gf, arm={"level": -0.3})}, genes, KINDS,
                               params.model.ci_drop) == []
    u = [zygosity.Unresolved("CDKN2A", 0.38, 0.76, math.log(1.6)), zygosity.Unresolved("CDKN2B", 0.4, 0.8, 0.0)]
    assert zygosity.note(u) == ("CDKN2A homozygous in 38% of cells or heterozygous in 76%: the data do not tell "
                                "(odds 1.6); CDKN2B homozygous in 40% of cells or heterozygous in 80%: the data do "
                                "not tell (odds 1.0)")


def test_options_narrow_a_read_gene_never_an_na_one(rules):
    """`options` say which levels a gene *read* by the caller may really have; a gene that is
    NA (its baseline unknown) stays open to every level whatever they say, and options for
    a gene the calls do not hold are ignored."""
    genes = {"CDKN2A": "NA", "CDKN2B": "none", "PAX5": "none", "PAR1": "none", "ERG": "none", "EBF1": "none",
             "ETV6": "none", "BTG1": "none", "RB1": "none"}
    bcp = {"subtype": "B-other"}
    # NA could be none ('no') or hom ('yes'): NA, even with options claiming hom only
    assert classify.risk(bcp, "deleted", genes, rules, "any", {"CDKN2A": ("hom",)})[0] == "NA"
    read = {**genes, "CDKN2A": "het"}
    assert classify.risk(bcp, "deleted", read, rules, "any", {"CDKN2A": ("hom",)})[0] == "yes"   # narrowed
    assert classify.risk(bcp, "deleted", read, rules, "any", {"FOO": ("hom",)})[0] == "no"
