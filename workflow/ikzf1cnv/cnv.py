"""CNVkit (cnvlib) as a library: bins, coverage, pooled reference, bias correction."""
from __future__ import annotations

import logging

import pandas as pd

log = logging.getLogger("ikzf1cnv")


def make_bins(targets_bed: str, target_avg_size: float, antitarget_avg_size: int):
    """Target bins (panel targets split to ~target_avg_size bp) and antitarget bins."""
    from cnvlib import antitarget, target
    from skgenome import tabio

    baits = tabio.read_auto(targets_bed)
    tgt = target.do_target(baits, do_split=True, avg_size=target_avg_size)
    anti = antitarget.do_antitarget(tgt, avg_bin_size=antitarget_avg_size)
    return tgt, anti


# Reads CNVkit's coverage (samtools bedcov) skips: unmapped, secondary, QC-fail, duplicate
# (0x4 | 0x100 | 0x200 | 0x400). Part of CNVkit's coverage definition, not a threshold.
EXCLUDE_FLAGS = 0x704
NULL_LOG2 = -20.0  # CNVkit's log2 for a bin without reads
FETCH_GAP = 10_000  # bins closer than this are read in one fetch through the index


BIN_COLS = ["chromosome", "start", "end", "gene"]


def read_bins(bin_beds: list[str]) -> list[pd.DataFrame]:
    """The bins of each BED4 file (an empty file: no bins)."""
    import os
    empty = pd.DataFrame({"chromosome": pd.Series(dtype=str), "start": pd.Series(dtype="int64"),
                          "end": pd.Series(dtype="int64"), "gene": pd.Series(dtype=str)})
    return [pd.read_csv(p, sep="\t", header=None, names=BIN_COLS, dtype={"chromosome": str, "gene": str})
            if os.path.getsize(p) else empty.copy() for p in bin_beds]


def fetch_regions(starts, ends, gap: int = FETCH_GAP) -> list[tuple[int, int, int, int]]:
    """Bins (sorted by start) grouped into regions read by one fetch each: (lo, hi, first
    bin, last bin + 1); a new region where the next bin starts more than `gap` past the
    furthest end so far."""
    import numpy as np

    s, e = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if not len(s):
        return []
    reach = np.maximum.accumulate(e)
    brk = np.flatnonzero(s[1:] > reach[:-1] + gap) + 1
    first, last = np.r_[0, brk], np.r_[brk, len(s)]
    return [(int(s[a:b].min()), int(reach[b - 1]), int(a), int(b)) for a, b in zip(first, last)]


def aligned_bases(read_starts, read_ends, bin_starts, bin_ends):
    """Sum over reads of the bases each read's aligned span [start, end) shares with each
    bin: C(e) - C(s) with C(x) = sum_reads clip(x - start, 0, end - start), evaluated from
    sorted starts and ends and their cumulative sums (no per-base array)."""
    import numpy as np

    # stable (timsort): the starts come sorted from the index and the ends nearly so
    a = np.sort(np.asarray(read_starts, dtype=np.int64), kind="stable")
    b = np.sort(np.asarray(read_ends, dtype=np.int64), kind="stable")
    ca, cb = np.r_[0, np.cumsum(a)], np.r_[0, np.cumsum(b)]

    def cum(x):
        na, nb = np.searchsorted(a, x, "left"), np.searchsorted(b, x, "left")
        return (x * na - ca[na]) - (x * nb - cb[nb])
    bs, be = np.asarray(bin_starts, dtype=np.int64), np.asarray(bin_ends, dtype=np.int64)
    return cum(be) - cum(bs)


def bin_coverages(bins: list, bam: str, min_mapq: int, threads: int = 1,
                  reference: str | None = None, contig_names: dict | None = None, split_reads: list | None = None,
                  min_clip: int = 20) -> list[pd.DataFrame]:
    """Mean read depth and log2 depth of every bin of each bin set (a BED path or the table
    read_bins gives), as CNVkit's `coverage` computes them (samtools bedcov: the sum of
    per-base depths of reads that are not unmapped, secondary, QC-fail or duplicate, with
    MAPQ >= min_mapq, over the bin / its length), in one pass over the reads through the
    BAM index: bins within FETCH_GAP of each other are read by one fetch, so the work
    grows with the bins' reads, not with the BAM. `threads`: htslib decompression threads.
    Bins on contigs the BAM lacks are dropped, as CNVkit does. Returns one table per bin
    set, in its order. A CRAM is decoded with `reference` (a FASTA) or the reference it
    embeds. `contig_names`: the BAM's name of a bin's contig where they differ (Ensembl
    `7` for `chr7`, from inputs.check_bam); the tables keep the bins' names.
    With a `split_reads` list, every primary read of the pass that is split across a
    deletion junction (junctions.split_read_record: an SA tag, soft clips >= min_clip) is
    appended to it as (chrom, left, right), once per read."""
    import numpy as np

    from .inputs import open_alignments
    from .junctions import split_read_record

    names = contig_names or {}
    tables = [read_bins([b])[0] if isinstance(b, str) else b for b in bins]
    with open_alignments("-", bam, reference, threads) as fh:
        refs = set(fh.references)
        contigs = refs | {c for c, b in names.items() if b in refs}
        parts = []
        for i, b in enumerate(tables):
            dropped = ~b["chromosome"].isin(contigs)
            if dropped.any():
                log.warning("%s: %d bin(s) on contigs missing from the BAM are skipped (%s)", bam,
                            int(dropped.sum()), ", ".join(sorted(set(b.loc[dropped, "chromosome"]))))
            parts.append(b[~dropped].assign(part=i))
        allbins = pd.concat(parts, ignore_index=True)
        allbins["start"] = allbins["start"].astype("int64")
        allbins["end"] = allbins["end"].astype("int64")
        basecount = np.zeros(len(allbins))
        seen = set()
        collect = split_reads is not None
        for chrom, g in allbins.groupby("chromosome", sort=False):
            g = g.sort_values("start", kind="stable")
            idx, gs, ge = g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()
            for lo, hi, a, b in fetch_regions(gs, ge):
                # The hot loop (every read of the loci): each attribute read once, list
                # appends bound, the MAPQ test only when a threshold is set (MAPQ >= 0 always).
                st, en = [], []
                add_start, add_end = st.append, en.append
                for r in fh.fetch(names.get(chrom, chrom), lo, hi):
                    flag = r.flag
                    if flag & EXCLUDE_FLAGS or (min_mapq and r.mapping_quality < min_mapq):
                        continue
                    add_start(r.reference_start)
                    add_end(r.reference_end)
                    if collect and not flag & 0x800 and r.has_tag("SA"):
                        key = (r.query_name, r.reference_start)
                        rec = None if key in seen else split_read_record(
                            chrom, r.reference_start, r.reference_end, r.cigartuples, r.is_reverse,
                            r.get_tag("SA"), min_clip, names.get(chrom))
                        if rec:
                            seen.add(key)
                            split_reads.append(rec)
                basecount[idx[a:b]] = aligned_bases(st, en, gs[a:b], ge[a:b])
    span = (allbins["end"] - allbins["start"]).to_numpy()
    depth = np.where(span > 0, basecount / np.maximum(span, 1), 0.0)
    with np.errstate(divide="ignore"):
        l2 = np.where(depth > 0, np.log2(np.where(depth > 0, depth, 1.0)), NULL_LOG2)
    allbins = allbins.assign(gene=allbins["gene"].fillna("-"), depth=depth, log2=l2)
    return [allbins[allbins["part"] == i][BIN_COLS + ["depth", "log2"]].reset_index(drop=True)
            for i in range(len(tables))]


def write_cnn(table: pd.DataFrame, path: str):
    """A coverage table in CNVkit's .cnn layout and number format."""
    table.to_csv(path, sep="\t", index=False, float_format="%.6g", lineterminator="\n")


def build_reference(target_cnns: list[str], antitarget_cnns: list[str], par_genome: str | None,
                    do_edge: bool, fasta: str | None):
    """Pooled reference from normal samples' coverages (median, spread per bin)."""
    from cnvlib import reference

    return reference.do_reference(target_cnns, antitarget_cnns, fa_fname=fasta,
                                  diploid_parx_genome=par_genome, do_gc=fasta is not None,
                                  do_edge=do_edge, do_rmask=fasta is not None)


def flat_reference(targets_bed: str, antitargets_bed: str, par_genome: str | None, fasta: str | None):
    from cnvlib import reference

    return reference.do_reference_flat(targets_bed, antitargets_bed, fasta, diploid_parx_genome=par_genome)


def fix(target_cnn: str, antitarget_cnn: str, reference_cnn: str, par_genome: str | None, do_edge: bool,
        has_fasta: bool):
    """Per-bin log2 ratios of a sample against the reference, bias-corrected."""
    from cnvlib import fix as cfix
    from cnvlib import read

    ref = read(reference_cnn)
    return cfix.do_fix(read(target_cnn), read(antitarget_cnn), ref, diploid_parx_genome=par_genome,
                       do_gc=has_fasta, do_edge=do_edge, do_rmask=has_fasta)


def bins_with_spread(cnr, reference, offtarget: bool = True) -> pd.DataFrame:
    """Bins of a .cnr with the reference's spread attached (for the caller), `offtarget`
    True for CNVkit's antitarget bins; without `offtarget`, target bins only.
    `reference`: a .cnn path or its table."""
    ref = read_cnn(reference) if isinstance(reference, str) else reference
    d = cnr.data if hasattr(cnr, "data") else cnr
    if not offtarget:
        d = d[~d["gene"].isin(ANTITARGET_ALIASES)]
    keys = ["chromosome", "start", "end"]
    spread = ref[keys + ["spread"]] if "spread" in ref.columns else ref[keys].assign(spread=0.0)
    out = d[keys + ["gene", "log2", "depth", "weight"]].merge(spread, on=keys, how="left")
    return out.assign(offtarget=out["gene"].isin(ANTITARGET_ALIASES)).reset_index(drop=True)


def target_bins_with_spread(cnr, reference) -> pd.DataFrame:
    """Target bins of a .cnr with the reference's spread attached."""
    return bins_with_spread(cnr, reference, offtarget=False).drop(columns="offtarget")


# ---------------------------------------------------------------- fix without cnvlib objects
# CNVkit's `fix` (cnvlib.fix.do_fix, 0.9.x) for the case this workflow runs by default:
# no GC, repeat or edge correction and no chrY bins. Same arithmetic, on plain DataFrames
# (cnvlib builds a GenomicArray per chromosome per step, ~0.6 s a sample); the equality
# with cnvlib's output is tested on real coverage files (tests/test_coverage.py). These
# are CNVkit's constants (cnvlib.params), part of the method being reproduced.
MIN_REF_COVERAGE = -5.0
MAX_REF_SPREAD = 1.0
ANTITARGET_ALIASES = ("Antitarget", "Background")
WEIGHT_EPSILON = 1e-4


def fast_fix_applies(do_edge: bool, has_fasta: bool, bins: pd.DataFrame) -> bool:
    return not do_edge and not has_fasta and not bins["chromosome"].isin(["chrY", "Y"]).any()


def fix_table(target_cnn: str, antitarget_cnn: str, reference: pd.DataFrame, reference_cnn: str,
              par_genome: str | None, par: pd.DataFrame, do_edge: bool, has_fasta: bool) -> pd.DataFrame:
    """CNVkit's fix as a table: fix_fast where it reproduces cnvlib exactly, else cnvlib."""
    if fast_fix_applies(do_edge, has_fasta, reference):
        return fix_fast(target_cnn, antitarget_cnn, reference, par[par["genome"] == par_genome])
    return fix(target_cnn, antitarget_cnn, reference_cnn, par_genome, do_edge, has_fasta).data.reset_index(drop=True)


def read_cnn(path: str) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={"chromosome": str, "gene": str}, keep_default_na=False,
                       na_values={"log2": ["", "NaN", "nan"], "depth": ["", "NaN", "nan"],
                                  "spread": ["", "NaN", "nan"]})


def _chrom_key(label: str):
    import itertools
    c = label[3:] if label.lower().startswith("chr") else label
    if c in ("X", "Y"):
        return (1000, c)
    nums = "".join(itertools.takewhile(str.isdigit, c))
    chars = c[len(nums):]
    n = int(nums) if nums else 0
    return (n, "") if not chars else ((2000 + n, chars) if len(chars) == 1 else (3000 + n, chars))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    key = df["chromosome"].map(_chrom_key)
    return (df.assign(_k=key).sort_values(["_k", "start", "end"], kind="mergesort").drop(columns="_k")
            .reset_index(drop=True))


def _is_autosome(chrom: pd.Series) -> pd.Series:
    return chrom.str.fullmatch(r"(chr)?\d+", case=False).fillna(False).astype(bool)


def _low(df: pd.DataFrame) -> pd.Series:
    """cnvlib drop_low_coverage: log2 below NULL - MIN_REF, or no log2, or no depth."""
    return (df["log2"] < NULL_LOG2 - MIN_REF_COVERAGE) | df["log2"].isna() | (df["depth"] == 0) | df["depth"].isna()


def _in_par(df: pd.DataFrame, par: pd.DataFrame) -> pd.Series:
    out = pd.Series(False, index=df.index)
    for r in par.itertuples():
        out |= (df["chromosome"] == r.chrom) & (df["start"] >= r.start) & (df["end"] <= r.end)
    return out


def _centre_shift(df: pd.DataFrame, skip_low: bool, par: pd.DataFrame) -> float:
    """cnvlib center_all: minus the median of the per-chromosome medians of the autosomal
    bins (and chrX bins in the pseudo-autosomal regions, counted as their own group)."""
    d = df[~_low(df)] if skip_low else df
    d = d[(_is_autosome(d["chromosome"]) | _in_par(d, par)).to_numpy()]
    if not len(d):
        return 0.0
    meds = d.groupby("chromosome", sort=False)["log2"].median()
    return -float(pd.Series(meds.to_numpy()).median())


def _biweight_location(a, c=6.0, epsilon=1e-3, max_iter=5):
    import numpy as np
    initial = np.median(a)
    result = initial
    for _ in range(max_iter):
        d = a - initial
        mad = np.median(np.abs(d))
        if mad == 0:
            return initial
        scale = c * mad
        with np.errstate(over="ignore"):
            w = (1 - (d / scale) ** 2) ** 2
        mask = w < 1
        ws = w[mask].sum()
        result = initial if ws == 0 else initial + (d[mask] * w[mask]).sum() / ws
        if abs(result - initial) <= epsilon * scale:
            break
        initial = result
    return result


def _biweight_midvariance(a, c=9.0, epsilon=1e-3):
    import numpy as np
    a = np.asarray(a, dtype=float)
    a = a[~np.isnan(a)]
    if not len(a):
        return np.nan
    if len(a) == 1:
        return a[0]
    d = a - _biweight_location(a)
    mad = np.median(np.abs(d))
    w = d / max(c * mad, epsilon)
    mask = np.abs(w) < 1
    if w[mask].sum() == 0:
        return mad * 1.4826
    n = mask.sum()
    d_, w_ = d[mask], (w ** 2)[mask]
    return np.sqrt((n * (d_ ** 2 * (1 - w_) ** 4).sum()) / (((1 - w_) * (1 - 5 * w_)).sum() ** 2))


def _residuals(df: pd.DataFrame) -> pd.Series:
    return df["log2"] - df.groupby("chromosome", sort=False)["log2"].transform("median")


def _adjust(cov: pd.DataFrame, ref: pd.DataFrame, skip_low: bool, par: pd.DataFrame):
    keys = ["chromosome", "start", "end"]
    if not len(cov):
        return cov, ref.iloc[:0]
    matched = cov[keys].merge(ref, on=keys, how="left", validate="one_to_one")
    if matched["gene"].isna().any():
        raise ValueError(f"the reference is missing {int(matched['gene'].isna().sum())} of {len(cov)} bins of the "
                         "sample: it was built for a different target panel")
    bad = ((matched["log2"] < MIN_REF_COVERAGE) | (matched["log2"] > -MIN_REF_COVERAGE)
           | (matched["spread"] > MAX_REF_SPREAD) | matched["log2"].isna() | matched["spread"].isna())
    if "depth" in matched:
        bad |= (matched["depth"] == 0) | matched["depth"].isna()
    ok = (~(bad | cov["log2"].isna())).to_numpy()
    cov, matched = cov[ok].copy(), matched[ok].copy()
    cov["log2"] = cov["log2"] + _centre_shift(cov, skip_low, par)
    return cov, matched


def fix_fast(target_cnn: str, antitarget_cnn: str, reference_cnn: str | pd.DataFrame,
             par: pd.DataFrame) -> pd.DataFrame:
    """Bias-corrected log2 ratios of a sample against a pooled reference, as cnvlib's
    do_fix(do_gc=False, do_edge=False, do_rmask=False, diploid_parx_genome=...) computes
    them (see above); `par`: the build's rows of resources/cnvkit_par_regions.tsv."""
    import numpy as np
    ref = read_cnn(reference_cnn) if isinstance(reference_cnn, str) else reference_cnn
    t, rt = _adjust(read_cnn(target_cnn), ref, True, par)
    a, ra = _adjust(read_cnn(antitarget_cnn), ref, False, par)
    cnr = _sorted(pd.concat([t, a], ignore_index=True)) if len(a) else t.reset_index(drop=True)
    rm = _sorted(pd.concat([rt, ra], ignore_index=True)) if len(a) else rt.reset_index(drop=True)
    cnr["log2"] = cnr["log2"].to_numpy() - rm["log2"].to_numpy()
    # weights (cnvlib.fix.apply_weights)
    simple = np.zeros(len(cnr))
    anti = cnr["gene"].isin(ANTITARGET_ALIASES).to_numpy()
    for part in (~anti, anti):
        if not part.any():
            continue
        sub = cnr[part]
        var = _biweight_midvariance(_residuals(sub[~_low(sub)]).to_numpy()) ** 2
        sz = np.sqrt((sub["end"] - sub["start"]).to_numpy())
        simple[part] = 1 - var / (sz / sz.mean())
    spread, rlog2 = rm["spread"].to_numpy(), rm["log2"].to_numpy()
    if (spread > WEIGHT_EPSILON).any() and (np.abs(np.mod(rlog2, 1)) > WEIGHT_EPSILON).any():
        w = 0.9 * (1.0 - spread ** 2) + 0.1 * simple
    else:
        w = simple
    w = np.where(np.isnan(w), WEIGHT_EPSILON, w)
    cnr["weight"] = np.clip(w, WEIGHT_EPSILON, 1.0)
    cnr["log2"] = cnr["log2"] + _centre_shift(cnr, True, par)
    return cnr[["chromosome", "start", "end", "gene", "log2", "depth", "weight"]]
