"""CNVkit (cnvlib) as a library: bins, coverage, pooled reference, bias correction."""
from __future__ import annotations

import logging

import pandas as pd

log = logging.getLogger("ikzf1cnv")


def make_bins(targets_bed, target_avg_size: float, antitarget_avg_size: int):
    """Target bins (panel targets split to ~target_avg_size bp) and antitarget bins, from a
    BED path or inputs.read_targets' table: header lines skipped wherever they are,
    intervals sorted (as tabio does) and overlaps merged (by CNVkit's target splitting)."""
    from cnvlib import antitarget, target
    from skgenome import GenomicArray

    from .inputs import read_targets
    table = targets_bed if isinstance(targets_bed, pd.DataFrame) else read_targets(targets_bed)[0]
    baits = GenomicArray(table[["chromosome", "start", "end", "gene"]].assign(strand=".").reset_index(drop=True))
    baits.sort_columns()
    baits.sort()
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


class _ContigBins:
    """The bins of one contig (sorted by start) and their aligned-base counts, filled a
    batch of reads at a time (aligned_bases adds up over batches), and the fetch regions
    the index path would read (junction reads are taken from these only, as there)."""

    def __init__(self, idx, starts, ends):
        import numpy as np
        self.idx, self.s, self.e = idx, starts, ends
        self.reach = np.maximum.accumulate(ends)
        regions = fetch_regions(starts, ends)
        self.rlo = np.array([r[0] for r in regions], dtype=np.int64)
        self.rhi = np.array([r[1] for r in regions], dtype=np.int64)
        self.count = np.zeros(len(starts), dtype=np.int64)

    def add(self, st, en):
        """Reads [st, en) of a batch (st sorted, as in a coordinate-sorted BAM)."""
        import numpy as np
        if not len(st):
            return
        lo = int(np.searchsorted(self.reach, st[0], "right"))   # bins ending at or before the first start: none
        hi = int(np.searchsorted(self.s, en.max(), "left"))     # bins starting at or after the last end: none
        if hi > lo:
            self.count[lo:hi] += aligned_bases(st, en, self.s[lo:hi], self.e[lo:hi])

    def in_regions(self, st, en):
        """Reads overlapping a fetch region, as htslib's fetch decides (a read without
        aligned bases spans its first base)."""
        import numpy as np
        k = np.searchsorted(self.rhi, st, "right")
        ok = k < len(self.rhi)
        ok[ok] = self.rlo[k[ok]] < np.maximum(en[ok], st[ok] + 1)
        return ok


def _offer(junction_reads, recs, sel, clips, chrom, bam_chrom):
    """Hand the junction collector, of the reads `sel` (through the depth filters, on
    `chrom`), only those whose fields could make it act: a soft clip of >= its min_clip at
    an end (`clips`: a split read's part), and pairs that are not proper; the fragment lengths of
    proper pairs' first reads go in as one array (JunctionReads.add_fragments)."""
    import numpy as np
    f = recs.flag[sel]
    primary = (f & 0x800) == 0
    same = (f & 0x9) == 0x1
    same &= recs.next_refid[sel] == recs.refid[sel]
    clip = clips[sel] & primary
    pair = primary & same & ((f & 0x2) == 0)
    frag = primary & same & ((f & 0x42) == 0x42) & ~clip
    rows = np.flatnonzero(sel)
    for i in rows[clip | pair]:
        junction_reads.add(recs.read(int(i)), chrom, bam_chrom)
    if frag.any() and not junction_reads.fragments_full():
        junction_reads.add_fragments(np.abs(recs.tlen[sel][frag]))


def _sequential_pass(bam: str, is_cram: bool, fh, per_contig: dict, min_mapq: int, threads: int,
                     junction_reads):
    """Every read of the BAM, once, in file order: each batch of reads binned with
    aligned_bases into the bins of its contig (per_contig: the BAM's contig name ->
    (_ContigBins, the bins' name of the contig)); reads on contigs without bins are only
    decoded. A BAM is parsed by bamscan (numpy columns a chunk at a time), a CRAM by pysam."""
    import numpy as np

    from . import bamscan
    min_clip = junction_reads.min_clip if junction_reads is not None else 0
    batches = _pysam_batches(fh, min_clip) if is_cram else bamscan.scan(bam, threads)
    for recs in batches:
        rid = recs.refid
        if not len(rid):
            continue
        cuts = np.flatnonzero(rid[1:] != rid[:-1]) + 1
        keep = ((recs.flag & EXCLUDE_FLAGS) == 0) & (recs.mapq >= min_mapq)
        clips = recs.end_clips(min_clip) if junction_reads is not None else None
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(rid)]):
            tid = int(rid[a])
            target = per_contig.get(recs.names[tid]) if tid >= 0 else None
            if target is None:
                continue
            cb, chrom = target
            sel = np.zeros(len(rid), dtype=bool)
            sel[a:b] = keep[a:b]
            st, en = recs.pos[sel], recs.end[sel]
            cb.add(st, en)
            if junction_reads is not None:
                sel[sel] = cb.in_regions(st, en)
                bam_chrom = recs.names[tid]
                _offer(junction_reads, recs, sel, clips, chrom, None if bam_chrom == chrom else bam_chrom)


class _PysamRecords:
    """A batch of pysam reads with bamscan.Records' columns (a CRAM)."""

    def __init__(self, reads: list, names: list[str], min_clip: int):
        import numpy as np
        self.reads, self.names = reads, names
        cols = [(r.reference_id, r.reference_start, r.reference_end or r.reference_start, r.mapping_quality, r.flag,
                 r.next_reference_id, r.template_length) for r in reads]
        a = np.array(cols, dtype=np.int64).reshape(-1, 7).T
        self.refid, self.pos, self.end, self.mapq, self.flag, self.next_refid, self.tlen = a
        self._clip = np.zeros(len(reads), dtype=bool)
        if min_clip:
            for i, r in enumerate(reads):
                ct = r.cigartuples
                if ct and ((ct[0][0] == 4 and ct[0][1] >= min_clip) or (ct[-1][0] == 4 and ct[-1][1] >= min_clip)):
                    self._clip[i] = True

    def end_clips(self, min_clip: int):
        return self._clip

    def read(self, i: int):
        return self.reads[i]


def _pysam_batches(fh, min_clip: int, size: int = 100_000):
    names = list(fh.references)
    batch = []
    for r in fh.fetch(until_eof=True):
        if r.reference_id < 0:
            break  # the unplaced unmapped reads sort last
        batch.append(r)
        if len(batch) == size:
            yield _PysamRecords(batch, names, min_clip)
            batch = []
    if batch:
        yield _PysamRecords(batch, names, min_clip)


def bin_coverages(bins: list, bam: str, min_mapq: int, threads: int = 1,
                  reference: str | None = None, contig_names: dict | None = None,
                  junction_reads=None, sequential: bool = False) -> list[pd.DataFrame]:
    """Mean read depth and log2 depth of every bin of each bin set (a BED path or the table
    read_bins gives), as CNVkit's `coverage` computes them (samtools bedcov: the sum of
    per-base depths of reads that are not unmapped, secondary, QC-fail or duplicate, with
    MAPQ >= min_mapq, over the bin / its length), in one pass over the reads.
    `sequential` (panels, exomes: bins all over the genome): every read of the file once,
    in order (_sequential_pass); else (whole-genome mode) through the BAM index, bins within
    FETCH_GAP of each other read by one fetch, so the work grows with the bins' reads, not
    with the BAM. Both give the same numbers. `threads`: decompression threads.
    Bins on contigs the BAM lacks are dropped, as CNVkit does. Returns one table per bin
    set, in its order. A CRAM is decoded with `reference` (a FASTA) or the reference it
    embeds. `contig_names`: the BAM's name of a bin's contig where they differ (Ensembl
    `7` for `chr7`, from inputs.check_bam); the tables keep the bins' names.
    With a `junction_reads` collector (junctions.JunctionReads), the reads of the pass that
    pass the filters and lie in the bins' fetch regions are offered to it (split reads,
    discordant pairs, fragment lengths), in the same pass: those that could change what it
    collects (see _offer; the index path: pairs that are not proper, proper pairs' first
    reads until its fragment sample is full, reads with an SA tag)."""
    import numpy as np

    from .inputs import open_alignments

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
        if sequential:
            per_contig = {}
            for chrom, g in allbins.groupby("chromosome", sort=False):
                g = g.sort_values("start", kind="stable")
                per_contig[names.get(chrom, chrom)] = (
                    _ContigBins(g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()), chrom)
            _sequential_pass(bam, fh.is_cram, fh, per_contig, min_mapq, threads, junction_reads)
            for cb, _ in per_contig.values():
                basecount[cb.idx] = cb.count
        elif fh.is_cram:
            _index_pass(fh, allbins, names, min_mapq, junction_reads, basecount)
        else:
            _index_scan(bam, fh, allbins, names, min_mapq, junction_reads, basecount)
    span = (allbins["end"] - allbins["start"]).to_numpy()
    depth = np.where(span > 0, basecount / np.maximum(span, 1), 0.0)
    with np.errstate(divide="ignore"):
        l2 = np.where(depth > 0, np.log2(np.where(depth > 0, depth, 1.0)), NULL_LOG2)
    allbins = allbins.assign(gene=allbins["gene"].fillna("-"), depth=depth, log2=l2)
    return [allbins[allbins["part"] == i][BIN_COLS + ["depth", "log2"]].reset_index(drop=True)
            for i in range(len(tables))]


def _index_scan(bam: str, fh, allbins: pd.DataFrame, names: dict, min_mapq: int, junction_reads, basecount):
    """bin_coverages through the index for a BAM: each fetch region located by the index
    (pysam gives its first read and the file offset after it), its reads then parsed by
    bamscan as numpy columns up to the region's end: the same reads as _index_pass (tested),
    without a Python object each (whole-genome mode reads every read of its loci)."""
    import numpy as np

    from . import bamscan
    min_clip = junction_reads.min_clip if junction_reads is not None else 0
    refs = list(fh.references)
    reader = bamscan.RegionReader(bam, refs)
    try:
        for chrom, g in allbins.groupby("chromosome", sort=False):
            g = g.sort_values("start", kind="stable")
            idx, gs, ge = g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()
            bam_chrom = names.get(chrom)
            tid = refs.index(bam_chrom or chrom)
            for lo, hi, a, b in fetch_regions(gs, ge):
                it = fh.fetch(bam_chrom or chrom, lo, hi)
                first = next(it, None)
                if first is None:
                    continue
                batches = [_PysamRecords([first], refs, min_clip)]
                st, en = [], []
                for recs in _chain(batches, reader.records(fh.tell(), tid, hi)):
                    # the region's reads as htslib's fetch gives them: this contig, starting
                    # before hi, overlapping lo (a read without aligned bases spans its first base)
                    sel = (recs.refid == tid) & (recs.pos < hi) & (np.maximum(recs.end, recs.pos + 1) > lo)
                    sel &= ((recs.flag & EXCLUDE_FLAGS) == 0) & (recs.mapq >= min_mapq)
                    st.append(recs.pos[sel])
                    en.append(recs.end[sel])
                    if junction_reads is not None and sel.any():
                        clips = recs.end_clips(min_clip)
                        _offer(junction_reads, recs, sel, clips, chrom, bam_chrom)
                basecount[idx[a:b]] = aligned_bases(np.concatenate(st), np.concatenate(en), gs[a:b], ge[a:b])
    finally:
        reader.close()


def _chain(*its):
    for it in its:
        yield from it


def _index_pass(fh, allbins: pd.DataFrame, names: dict, min_mapq: int, junction_reads, basecount):
    """bin_coverages through the index: one fetch per group of bins (fetch_regions)."""
    for chrom, g in allbins.groupby("chromosome", sort=False):
        g = g.sort_values("start", kind="stable")
        idx, gs, ge = g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()
        bam_chrom = names.get(chrom)
        for lo, hi, a, b in fetch_regions(gs, ge):
            # The hot loop of a whole-genome run (every read of the loci): appends bound,
            # the MAPQ test only when a threshold is set (MAPQ >= 0 always passes).
            st, en = [], []
            add_start, add_end = st.append, en.append
            for r in fh.fetch(bam_chrom or chrom, lo, hi):
                f = r.flag
                if f & EXCLUDE_FLAGS or (min_mapq and r.mapping_quality < min_mapq):
                    continue
                add_start(r.reference_start)
                add_end(r.reference_end)
                # only reads that could make the collector act (JunctionReads.add)
                if junction_reads is not None and ((f & 0x3) == 0x1 or ((f & 0x43) == 0x43
                                                   and not junction_reads.fragments_full()) or r.has_tag("SA")):
                    junction_reads.add(r, chrom, bam_chrom)
            basecount[idx[a:b]] = aligned_bases(st, en, gs[a:b], ge[a:b])


def empty_coverage() -> pd.DataFrame:
    """A coverage table with no bins (a BAM that could not be read)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(BIN_COLS + ["depth", "log2"],
                                                                 (str, "int64", "int64", str, float, float))})


def write_cnn(table: pd.DataFrame, path: str):
    """A coverage table in CNVkit's .cnn layout and number format."""
    from .files import atomic
    with atomic(path) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.6g", lineterminator="\n")


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
    """Sorted as cnvlib sorts (chromosome by _chrom_key, then start, end; stable): the key
    of each distinct chromosome once, its rank per row."""
    import numpy as np
    chrom = df["chromosome"].to_numpy(dtype=object)
    names, inv = np.unique(chrom, return_inverse=True)
    keys = [_chrom_key(c) for c in names]
    levels = {k: i for i, k in enumerate(sorted(set(keys)))}   # equal keys, equal rank (as sort_values)
    rank = np.array([levels[k] for k in keys], dtype=np.int64)
    order = np.lexsort((df["end"].to_numpy(), df["start"].to_numpy(), rank[inv.reshape(-1)]))
    return df.iloc[order].reset_index(drop=True)


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
