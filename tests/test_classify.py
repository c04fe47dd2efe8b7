"""IKZF1plus (Stanulla et al. JCO 2018) and UKALL-CNA (Moorman et al. Blood 2014),
case by case from the published definitions."""
import pytest

from ikzf1cnv.caller.classify import ikzf1plus, ukall_cna

NONE = {"CDKN2A": "none", "CDKN2B": "none", "PAX5": "none", "PAR1": "none", "ERG": "none",
        "EBF1": "none", "ETV6": "none", "BTG1": "none", "RB1": "none"}


def calls(ikzf1="deleted", **genes):
    return {"IKZF1": ikzf1, **NONE, **genes}


@pytest.mark.parametrize("c,want", [
    (calls(), "no"),                                   # IKZF1 deletion alone
    (calls(CDKN2A="hom"), "yes"),
    (calls(CDKN2B="hom"), "yes"),
    (calls(CDKN2A="het"), "no"),                       # CDKN2A/B count only when homozygous
    (calls(CDKN2A="het", CDKN2B="het"), "no"),
    (calls(PAX5="partial"), "yes"),
    (calls(PAX5="whole"), "yes"),                      # default: any PAX5 deletion
    (calls(PAR1="deleted"), "yes"),
    (calls(CDKN2A="hom", ERG="deleted"), "no"),        # ERG deletion vetoes
    (calls(PAR1="deleted", PAX5="partial", ERG="deleted"), "no"),
    (calls("wildtype", CDKN2A="hom", PAX5="partial"), "no"),   # no IKZF1 deletion
    (calls("not_evaluable"), "NA"),
    (calls(EBF1="deleted", ETV6="deleted", RB1="deleted", BTG1="deleted"), "no"),  # not partners
])
def test_ikzf1plus(c, want, rules):
    assert ikzf1plus(c, rules["ikzf1plus"]) == want


def test_ikzf1plus_pax5_partial_option(rules):
    r = rules["ikzf1plus"]
    assert ikzf1plus(calls(PAX5="whole"), r, pax5_mode="partial") == "no"
    assert ikzf1plus(calls(PAX5="partial"), r, pax5_mode="partial") == "yes"
    assert ikzf1plus(calls(PAX5="whole", CDKN2A="hom"), r, pax5_mode="partial") == "yes"


@pytest.mark.parametrize("c,want", [
    (calls("wildtype"), "good"),                                        # no deletion
    (calls("wildtype", ETV6="deleted"), "good"),                        # isolated ETV6
    (calls("wildtype", PAX5="partial"), "good"),                        # isolated PAX5
    (calls("wildtype", BTG1="deleted"), "good"),                        # isolated BTG1
    (calls("wildtype", ETV6="deleted", BTG1="deleted"), "good"),        # ETV6 + one of BTG1/PAX5/CDKN2A/B
    (calls("wildtype", ETV6="deleted", PAX5="whole"), "good"),
    (calls("wildtype", ETV6="deleted", CDKN2A="het"), "good"),
    (calls("wildtype", ETV6="deleted", CDKN2A="hom", CDKN2B="hom"), "good"),  # CDKN2A/B is one unit
    (calls("wildtype", ETV6="deleted", BTG1="deleted", PAX5="partial"), "poor"),  # ETV6 + two
    (calls("wildtype", PAX5="partial", BTG1="deleted"), "poor"),        # two, without ETV6
    (calls(), "poor"),                                                  # IKZF1 alone
    (calls("wildtype", CDKN2A="het"), "poor"),                          # isolated CDKN2A/B
    (calls("wildtype", RB1="deleted"), "poor"),
    (calls("wildtype", EBF1="deleted"), "poor"),
    (calls("wildtype", PAR1="deleted"), "poor"),
    (calls("wildtype", ETV6="deleted", RB1="deleted"), "poor"),         # RB1 is not an ETV6 partner
    (calls("wildtype", ERG="deleted"), "good"),                         # ERG is not one of the eight
    (calls("not_evaluable"), "NA"),
])
def test_ukall_cna(c, want, rules):
    assert ukall_cna(c, rules["ukall_cna"]) == want


def test_risk_for_bcp_subtypes_only(rules):
    from ikzf1cnv.caller.classify import risk
    genes = {**NONE, "CDKN2A": "hom", "PAX5": "whole"}
    assert risk({"subtype": "T-ALL"}, "deleted", genes, rules, "any") == ("NA", "NA")
    assert risk({"subtype": "B-other"}, "deleted", genes, rules, "any") == ("yes", "poor")
    assert risk({}, "deleted", genes, rules, "any") == ("yes", "poor")             # no subtype: unknown, a BCP one
    assert risk({"subtype": ""}, "deleted", genes, rules, "any") == ("yes", "poor")
    assert risk({"subtype": None}, "wildtype", {**NONE, "ETV6": "deleted"}, rules, "any") == ("no", "good")
    # the IKZF1 status is the sample's, the PAX5 mode is passed on
    assert risk({"subtype": "B-other"}, "deleted", {**NONE, "PAX5": "whole"}, rules, "partial") == ("no", "poor")
    assert risk({"subtype": "B-other"}, "not_evaluable", genes, rules, "any") == ("NA", "NA")


def test_the_rules_gene_lists_are_used_as_given(rules):
    """UKALL-CNA from the rule it is given: a unit named in good_isolated is good alone (here
    IKZF1, to show the unit's own name is what is looked up); a one-gene good_isolated or
    etv6_plus_one list still holds its one gene."""
    r = {**rules["ukall_cna"], "good_isolated": ["IKZF1"]}
    assert ukall_cna(calls(), r) == "good"
    assert ukall_cna(calls("wildtype", ETV6="deleted"), r) == "poor"
    one = {**rules["ukall_cna"], "good_isolated": ["ETV6"], "etv6_plus_one": ["BTG1"]}
    assert ukall_cna(calls("wildtype", ETV6="deleted"), one) == "good"
    assert ukall_cna(calls("wildtype", ETV6="deleted", BTG1="deleted"), one) == "good"
    assert ukall_cna(calls("wildtype", ETV6="deleted", PAX5="whole"), one) == "poor"
    assert ukall_cna(calls("wildtype", PAX5="whole"), one) == "poor"


def test_a_gene_without_a_level_makes_a_rule_na_only_where_it_could_change_it(rules):
    """NA genes (a tumour-pooled baseline too thin to call them) are tried at every level
    their kind has; the verdict stands when all agree (by the papers' rules, by hand)."""
    from ikzf1cnv.caller.classify import risk
    bcp = {"subtype": "B-other"}
    # CDKN2A hom already makes IKZF1plus; ERG NA could veto it (ERG deleted): NA
    assert risk(bcp, "deleted", {**NONE, "CDKN2A": "hom", "ERG": "NA"}, rules, "any")[0] == "NA"
    # ERG known, PAX5 NA: hom CDKN2A is enough whatever PAX5 is; UKALL-CNA poor either way
    assert risk(bcp, "deleted", {**NONE, "CDKN2A": "hom", "PAX5": "NA"}, rules, "any") == ("yes", "poor")
    # ERG deleted vetoes IKZF1plus whatever the NA partners are
    assert risk(bcp, "deleted", {**NONE, "ERG": "deleted", "PAX5": "NA", "PAR1": "NA"}, rules, "any")[0] == "no"
    # nothing but IKZF1 known, partners NA: could be either
    assert risk(bcp, "deleted", {**NONE, "PAX5": "NA"}, rules, "any")[0] == "NA"
    # a wild-type IKZF1 is never IKZF1plus, whatever is NA; UKALL-CNA: ETV6 alone is good,
    # with BTG1 NA (ETV6 plus BTG1 is still good) too
    assert risk(bcp, "wildtype", {**NONE, "ETV6": "deleted", "BTG1": "NA", "CDKN2A": "NA"}, rules, "any")[0] == "no"
    assert risk(bcp, "wildtype", {**NONE, "ETV6": "deleted", "BTG1": "NA"}, rules, "any")[1] == "good"


def test_robust_tries_each_kinds_levels_and_gives_up_beyond_six_unknown_genes():
    from ikzf1cnv.caller.classify import MAX_UNKNOWN, robust
    seen = []

    def rule(c):
        seen.append((c["Z"], c["E"], c["A"], c["P"]))
        return "yes" if c["A"] == "deleted" else "no"
    kinds = {"Z": "zygosity", "E": "extent", "A": "any", "P": "par1"}
    assert robust(rule, {"IKZF1": "deleted", "Z": "NA", "E": "NA", "A": "deleted", "P": "none"}, kinds) == "yes"
    assert sorted(seen) == sorted((z, e, "deleted", "none") for z in ("none", "het", "hom")
                                  for e in ("none", "partial", "whole"))
    assert robust(rule, {"IKZF1": "deleted", "Z": "none", "E": "none", "A": "NA", "P": "NA"}, kinds) == "NA"
    # a gene the rules do not know is passed as it is; IKZF1's NA is the rule's own
    assert robust(lambda c: c["X"] + c["IKZF1"], {"IKZF1": "NA", "X": "NA"}, {"IKZF1": "any"}) == "NANA"
    # up to MAX_UNKNOWN NA genes are tried, one more is NA outright
    names = [f"G{i}" for i in range(MAX_UNKNOWN + 1)]
    six = {"IKZF1": "deleted", **{g: "NA" for g in names[:MAX_UNKNOWN]}, names[-1]: "none"}
    assert MAX_UNKNOWN == 6 and robust(lambda c: "no", six, {g: "any" for g in names}) == "no"
    assert robust(lambda c: "no", {**six, names[-1]: "NA"}, {g: "any" for g in names}) == "NA"
