"""The fast table writers (core.tables) write exactly what the slower definitions wrote:
write_tsv what pandas' to_csv writes, write_table what its row-at-a-time loop wrote."""
import math

import numpy as np
import pandas as pd
import pytest

from ikzf1cnv.core import tables


def awkward_floats(rng, n):
    """Floats that stress %.6g and fixed digits: NaN, infinities, signed zeros, halves at
    the rounding digit, tiny and huge magnitudes, plain log2-like values."""
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 0.0005, -0.0005, 0.0015, 2.5e-7, -1e-12, 1e21, 123456.5,
               1234567.0, 0.1 + 0.2, -20.0, 1.0 / 3.0, 0.9999995, -0.00049999]
    x = np.concatenate([special, rng.normal(0, 1, n), rng.lognormal(3, 4, n) * rng.choice([-1, 1], n),
                        np.round(rng.normal(0, 1, n), 4)])
    rng.shuffle(x)
    return x


def test_write_tsv_is_pandas_to_csv(tmp_path):
    rng = np.random.default_rng(7)
    n = 300
    x = awkward_floats(rng, n)
    df = pd.DataFrame({"chromosome": rng.choice(["chr1", "chrX", "GL000220.1"], len(x)),
                       "start": rng.integers(0, 10 ** 9, len(x)), "end": rng.integers(-5, 10 ** 9, len(x)),
                       "gene": rng.choice(["IKZF1", "Antitarget", "-", "a,b", "x y", ""], len(x)),
                       "log2": x, "depth": np.abs(x), "flag": rng.random(len(x)) < 0.5})
    for fmt in ("%.6g", "%.6f"):
        for header in (True, False):
            want, got = tmp_path / "want.tsv", tmp_path / "got.tsv"
            df.to_csv(want, sep="\t", index=False, float_format=fmt, header=header, lineterminator="\n")
            tables.write_tsv(df, str(got), fmt, header)
            assert got.read_bytes() == want.read_bytes()
    # object text columns (numpy strings) and an empty table: the same bytes
    for d in (df.astype({"chromosome": object, "gene": object}), df.iloc[:0]):
        d.to_csv(tmp_path / "want.tsv", sep="\t", index=False, float_format="%.6g", lineterminator="\n")
        tables.write_tsv(d, str(tmp_path / "got.tsv"), "%.6g")
        assert (tmp_path / "got.tsv").read_bytes() == (tmp_path / "want.tsv").read_bytes()


@pytest.mark.parametrize("gene", ['a"b', "a\tb", "a\nb", None])
def test_write_tsv_leaves_quoting_and_missing_text_to_pandas(tmp_path, gene):
    df = pd.DataFrame({"chromosome": ["chr1", "chr2"], "gene": ["IKZF1", gene], "log2": [0.5, np.nan]},
                      ).astype({"gene": object})
    df.to_csv(tmp_path / "want.tsv", sep="\t", index=False, float_format="%.6g", lineterminator="\n")
    tables.write_tsv(df, str(tmp_path / "got.tsv"), "%.6g")
    assert (tmp_path / "got.tsv").read_bytes() == (tmp_path / "want.tsv").read_bytes()


def _write_table_by_rows(df, layout, path):
    """The definition write_table replaced: a row at a time, every value through fmt."""
    cols, digits = layout
    with open(path, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in df[cols].to_dict("records"):
            fh.write("\t".join(tables.fmt(r[c], digits[c]) if c in digits else str(r[c]) for c in cols) + "\n")


def test_write_table_is_the_row_loop(tmp_path):
    rng = np.random.default_rng(3)
    x = awkward_floats(rng, 200)
    n = len(x)
    df = pd.DataFrame({"exon": rng.integers(1, 9, n).astype(str), "chrom": "chr7", "start": rng.integers(0, 10 ** 8, n),
                       "end": rng.integers(0, 10 ** 8, n), "n_bins": rng.integers(0, 5, n), "log2": x,
                       "copy_number": np.abs(x), "ci_low": x / 3, "ci_high": [None] * (n // 2) + list(x[n // 2:]),
                       "call": rng.choice(["normal", "loss", "no_data"], n), "se": x * 7, "ratio": 2.0 ** np.clip(x, -50, 50),
                       "depth": np.abs(x) * 1000})
    df["ci_high"] = df["ci_high"].astype(object)
    for layout in (tables.EXON_TABLE, (["exon", "n_bins", "call", "se"], {"se": 0})):
        tables.write_table(df, layout, str(tmp_path / "got.tsv"))
        _write_table_by_rows(df, layout, tmp_path / "want.tsv")
        assert (tmp_path / "got.tsv").read_bytes() == (tmp_path / "want.tsv").read_bytes()
    assert all(tables.fmt(v, 3) == t for v, t in zip(x, tables._fixed(list(x), 3)) if not math.isnan(v))


# ---------------------------------------------------------------- core.bins: merges and groupbys as array steps
def _bins(rng, n, chroms=("chr1", "chr2", "chrX", "7")):
    c = rng.choice(chroms, n)
    start = rng.integers(0, 10 ** 6, n) * 10
    return pd.DataFrame({"chromosome": c.astype(object), "start": start, "end": start + rng.integers(1, 500, n),
                         "log2": rng.normal(0, 1, n), "spread": rng.random(n)}).drop_duplicates(["chromosome", "start"])


def test_bin_lookups_are_the_left_merge():
    from ikzf1cnv.core import bins
    rng = np.random.default_rng(5)
    ref = _bins(rng, 3000).reset_index(drop=True)
    table = pd.concat([ref.sample(frac=0.7, random_state=1), _bins(rng, 200, ("chr1", "chr9"))])[
        ["chromosome", "start", "end"]].reset_index(drop=True)
    want = table.merge(ref, on=["chromosome", "start", "end"], how="left")
    got = bins.lookup(ref, table, ["log2", "spread"])
    for c in ("log2", "spread"):
        assert np.array_equal(got[c], want[c].to_numpy(), equal_nan=True)
    # every bin found: take_rows is the merge, row for row
    inside = table.merge(ref[["chromosome", "start", "end"]], how="inner")
    pd.testing.assert_frame_equal(bins.take_rows(ref, inside), inside.merge(ref, how="left", validate="one_to_one"))
    # two bins with the same start (other ends): still the merge, through the coordinates dict
    dup = pd.concat([ref, ref.iloc[:5].assign(end=ref["end"].iloc[:5] + 1)], ignore_index=True)
    got = bins.lookup(dup, table, ["log2"])["log2"]
    assert np.array_equal(got, table.merge(dup, how="left")["log2"].to_numpy(), equal_nan=True)


def test_group_medians_are_pandas_groupby_medians():
    from ikzf1cnv.core import bins
    rng = np.random.default_rng(11)
    for n in (1, 2, 7, 1000):
        v = rng.normal(0, 1, n)
        v[rng.random(n) < 0.1] = np.nan
        codes = rng.integers(0, 6, n)
        want = pd.Series(v).groupby(codes).median().reindex(range(6)).to_numpy()
        got = bins.group_medians(v, codes, 6)
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(bins.group_medians(v, np.sort(codes), 6),
                              pd.Series(v).groupby(np.sort(codes)).median().reindex(range(6)).to_numpy(), equal_nan=True)
    chrom = rng.choice(["chr1", "chrX", "chr22", "GL1"], 500).astype(object)
    assert np.array_equal(bins.isin_names(chrom, ("chr1", "chr22")), np.isin(chrom, ["chr1", "chr22"]))


@pytest.mark.parametrize("kind", ["sorted", "shuffled", "one", "empty", "missing"])
def test_factorize_names_is_pandas_factorize(kind):
    """The run-wise factorize gives pd.factorize's codes and names: sorted bins (a few runs),
    names that come back after other names (a run each time), one name, none, a missing value."""
    from ikzf1cnv.core import bins
    rng = np.random.default_rng(3)
    chrom = np.sort(rng.choice(["chr1", "chr10", "chr2", "chrX", "GL000194.1"], 400)).astype(object)
    chrom = {"sorted": chrom, "shuffled": rng.permutation(chrom), "one": np.array(["chr7"] * 9, dtype=object),
             "empty": np.array([], dtype=object),
             "missing": np.array(["chr1", None, "chr1", np.nan, "chr2"], dtype=object)}[kind]
    codes, names = bins.factorize_names(chrom)
    want_codes, want_names = pd.factorize(chrom)
    assert codes.tolist() == want_codes.tolist()
    assert list(names) == list(want_names)
    if kind == "shuffled":   # a name that returns keeps its first code
        assert len(names) == 5 and len(np.unique(codes)) == 5
