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
