import pytest

from ikzf1cnv.caller.labels import deletion_label, exon_list, parse_label, runs


@pytest.mark.parametrize("exons,label", [
    ([4, 5, 6, 7], "del4-7"),                 # IK6
    (range(1, 9), "del1-8"),                  # whole gene
    ([2, 3, 4, 5, 6, 7], "del2-7"),
    ([4, 5, 6, 7, 8], "del4-8"),
    ([2, 3], "del2-3"),
    ([5], "del5"),                            # a single exon
    ([2, 3, 6, 7, 8], "del2-3+del6-8"),       # two runs, in exon order
    ([8, 1], "del1+del8"),
    ([7, 6, 3, 2, 8], "del2-3+del6-8"),       # order of input does not matter
    ([], "none"),
])
def test_labels(exons, label):
    assert deletion_label(exons) == label
    assert parse_label(label) == sorted(set(exons))


def test_runs_and_lists():
    assert runs([1, 2, 3, 5, 7, 8]) == [(1, 3), (5, 5), (7, 8)]
    assert exon_list([7, 4, 5, 6]) == "4,5,6,7"
    assert exon_list([]) == ""
    assert parse_label("NA") == []


def test_an_empty_label_is_no_exon():
    assert parse_label("") == [] and parse_label("none") == []
