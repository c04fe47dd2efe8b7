"""File names and formats."""
from ikzf1cnv.core import files


def test_sample_names_keep_their_dots():
    """The reference record listed normals cut at the first dot ('N.01' -> 'N')."""
    assert files.sample_name("/x/coverage/N.01.targetcoverage.cnn") == "N.01"
    assert files.sample_name("R-2.b.antitargetcoverage.cnn") == "R-2.b"
    assert files.sample_name("N01.targetcoverage.cnn") == "N01"
