"""The annotation in resources/ against the curated facts (values typed from
ikzf1-facts.md: NM_006060.6 exons, hg38 and hg19; PAX5 and CDKN2A hg38 exons)."""
import pytest

from ikzf1cnv.core import annotation

IKZF1 = {
    "hg38": [(50304716, 50304922), (50319048, 50319101), (50327638, 50327757), (50376533, 50376793),
             (50382540, 50382707), (50387345, 50387470), (50391729, 50391863), (50399918, 50405101)],
    "hg19": [(50344312, 50344518), (50358644, 50358697), (50367234, 50367353), (50444231, 50444491),
             (50450238, 50450405), (50455043, 50455168), (50459427, 50459561), (50467616, 50472799)],
}
SIZES = [207, 54, 120, 261, 168, 126, 135, 5184]


@pytest.mark.parametrize("build", ["hg38", "hg19"])
def test_ikzf1_exons(root, build):
    u = annotation.load_units(root / "resources", build)
    ik = u[u["gene"] == "IKZF1"]
    assert list(ik["exon"]) == [str(i) for i in range(1, 9)]
    assert list(zip(ik["start"], ik["end"])) == IKZF1[build]
    assert [e - s + 1 for s, e in IKZF1[build]] == SIZES
    assert set(ik["chrom"]) == {"chr7"}


def test_ikzf1_introns_hg38(root):
    i = annotation.read_tsv(root / "resources" / "hg38" / "introns.tsv")
    assert list(zip(i["start"], i["end"]))[2] == (50327758, 50376532)   # intron 3
    assert list(zip(i["start"], i["end"]))[0] == (50304923, 50319047)   # intron 1


def test_pax5_and_cdkn2a_hg38(root):
    u = annotation.load_units(root / "resources", "hg38")
    pax5 = u[u["gene"] == "PAX5"]
    assert list(pax5["exon"]) == [str(i) for i in range(1, 11)]
    assert (pax5["start"].iloc[0], pax5["end"].iloc[0]) == (37033986, 37034268)
    assert (pax5["start"].iloc[-1], pax5["end"].iloc[-1]) == (36833269, 36840636)
    cd = u[u["gene"] == "CDKN2A"].set_index("exon")
    assert (cd.loc["1a", "start"], cd.loc["1a", "end"]) == (21974678, 21974857)   # p16INK4a
    assert (cd.loc["1b", "start"], cd.loc["1b", "end"]) == (21994139, 21994392)   # p14ARF


@pytest.mark.parametrize("build", ["hg38", "hg19"])
def test_every_gene_of_the_issue_is_annotated(root, rules, build):
    u = annotation.load_units(root / "resources", build)
    need = set(annotation.modelled_genes(rules))
    assert need <= set(u["gene"])
    assert (u["end"] >= u["start"]).all()


def test_contigs_and_par1(root):
    assert annotation.load_contigs(root / "resources", "hg38")["chr7"] == 159345973
    assert annotation.load_contigs(root / "resources", "hg19")["chr7"] == 159138663
    r = annotation.load_regions(root / "resources", "hg38").set_index("region")
    assert (r.loc["PAR1", "start"], r.loc["PAR1", "end"]) == (10001, 2781479)
