"""CNVkit's target and antitarget bins made on arrays (cnvkit.fast_bins) are cnvlib's, byte
for byte: BEDs with overlapping, touching and nested targets, targets to split (half-way
spans included), unnamed ones, several chromosomes in odd orders and names, and the toy
panel; and bins.make_bins gives them (its cnvlib path kept for the comparison)."""
import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.cnvkit import bins as cnvkit_bins, fast_bins
from ikzf1cnv.core.tables import write_tsv
from ikzf1cnv.inputs.bed import read_targets


def _cnvlib_bins(table: pd.DataFrame, avg: float, anti_avg: int):
    from cnvlib import antitarget, target
    from skgenome import GenomicArray
    baits = GenomicArray(table[["chromosome", "start", "end", "gene"]].assign(strand=".").reset_index(drop=True))
    baits.sort_columns()
    baits.sort()
    tgt = target.do_target(baits, do_split=True, avg_size=avg)
    return tgt, antitarget.do_antitarget(tgt, avg_bin_size=anti_avg)


def _same_beds(tmp_path, table, avg=267, anti_avg=150_000):
    from skgenome import tabio
    tgt, anti = _cnvlib_bins(table, avg, anti_avg)
    ft = fast_bins.target_bins(table, avg)
    fa = fast_bins.antitarget_bins(ft, anti_avg)
    for name, theirs, ours in (("t", tgt, ft), ("a", anti, fa)):
        tabio.write(theirs, str(tmp_path / f"{name}.cnvlib.bed"), "bed4")
        write_tsv(ours, str(tmp_path / f"{name}.fast.bed"), header=False)
        assert (tmp_path / f"{name}.fast.bed").read_bytes() == (tmp_path / f"{name}.cnvlib.bed").read_bytes(), name
    return ft, fa


def _random_bed(rng, n, chroms):
    rows = []
    for i in range(n):
        c = str(rng.choice(chroms))
        s = int(rng.integers(0, 3_000_000))
        kind = rng.random()
        length = int(rng.integers(20, 300)) if kind < 0.7 else int(rng.integers(300, 5000))
        rows.append((c, s, s + length, "-" if rng.random() < 0.2 else f"G{int(rng.integers(0, 40))}"))
    for i in range(n // 10):                       # touching and nested ones
        c, s, e, g = rows[int(rng.integers(0, len(rows)))]
        rows.append((c, e, e + int(rng.integers(1, 400)), g + "b"))
        rows.append((c, s + 1, max(s + 2, e - 1), "-"))
    return pd.DataFrame(rows, columns=["chromosome", "start", "end", "gene"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bins_equal_cnvlibs_on_messy_beds(tmp_path, seed):
    rng = np.random.default_rng(seed)
    bed = _random_bed(rng, 800, ["chr1", "chr2", "chr10", "chrX", "chr1_KI270706v1_random", "chr9"])
    _same_beds(tmp_path, bed)
    _same_beds(tmp_path, bed, avg=100.0, anti_avg=20_000)
    # spans at half a bin (round half to even) and a single chromosome (cnvlib's fast path)
    half = pd.DataFrame({"chromosome": "chr3", "start": np.arange(40) * 10_000,
                         "end": np.arange(40) * 10_000 + np.array([50, 150, 250, 350, 450] * 8), "gene": "H"})
    _same_beds(tmp_path, half, avg=100)


def test_bins_equal_cnvlibs_on_the_toy_panel(root, tmp_path):
    table = read_targets(root / "resources" / "toy" / "panel_hg38.bed")[0]
    ft, fa = _same_beds(tmp_path, table)
    tgt, anti = cnvkit_bins.make_bins(table, 267, 150_000)
    assert tgt.data.equals(ft) and anti.data.equals(fa)
