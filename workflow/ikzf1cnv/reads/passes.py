"""The passes over a BAM that fill the bins (reads.coverage.bin_coverages): every read in
file order (panels, exomes), or the bins' regions through the index (whole-genome mode);
each hands the junction collector the few reads that could make it act."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import records
from .alignments import PysamRecords, pysam_batches, reference_end
from .binning import EXCLUDE_FLAGS, PassSettings, aligned_bases, fetch_regions


def offer(junction_reads, recs, sel, clips, chrom, bam_chrom):
    """Hand the junction collector, of the reads `sel` (through the depth filters, on
    `chrom`), only those whose fields could make it act: a soft clip of >= its min_clip at
    an end (`clips`: a split read's part), and pairs that are not proper; the fragment lengths of
    proper pairs' first reads go in as one array (JunctionReads.add_fragments)."""
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


def sequential_pass(fh, bam: str, per_contig: dict, how: PassSettings, junction_reads):
    """Every read of the BAM, once, in file order: each batch of reads binned with
    aligned_bases into the bins of its contig (per_contig: the BAM's contig name ->
    (ContigBins, the bins' name of the contig)); reads on contigs without bins are only
    decoded. A BAM is parsed by reads.records (numpy columns a chunk at a time; `fh` may be
    None), a CRAM by pysam (`fh`)."""
    min_clip = junction_reads.min_clip if junction_reads is not None else 0
    batches = pysam_batches(fh, min_clip) if fh is not None and fh.is_cram else records.scan(bam, how.threads)
    for recs in batches:
        rid = recs.refid
        if not len(rid):
            continue
        cuts = np.flatnonzero(rid[1:] != rid[:-1]) + 1
        keep = ((recs.flag & EXCLUDE_FLAGS) == 0) & (recs.mapq >= how.min_mapq)
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
                offer(junction_reads, recs, sel, clips, chrom, None if bam_chrom == chrom else bam_chrom)


def _sorted_groups(allbins: pd.DataFrame):
    """(contig, bins' row numbers, starts, ends) per contig, each sorted by start."""
    for chrom, g in allbins.groupby("chromosome", sort=False):
        g = g.sort_values("start", kind="stable")
        yield chrom, g.index.to_numpy(), g["start"].to_numpy(), g["end"].to_numpy()


def index_scan(fh, bam: str, allbins: pd.DataFrame, how: PassSettings, junction_reads, basecount):
    """bin_coverages through the index for a BAM: each fetch region located by the index
    (pysam gives its first read and the file offset after it), its reads then parsed by
    reads.records as numpy columns up to the region's end: the same reads as index_pass
    (tested), without a Python object each (whole-genome mode reads every read of its loci)."""
    min_clip = junction_reads.min_clip if junction_reads is not None else 0
    refs = list(fh.references)
    reader = records.RegionReader(bam, refs)
    try:
        for chrom, idx, gs, ge in _sorted_groups(allbins):
            bam_chrom = how.contig_names.get(chrom)
            tid = refs.index(bam_chrom or chrom)
            for lo, hi, a, b in fetch_regions(gs, ge):
                it = fh.fetch(bam_chrom or chrom, lo, hi)
                first = next(it, None)
                if first is None:
                    continue
                st, en = [], []
                for recs in _chain([PysamRecords([first], refs, min_clip)], reader.records(fh.tell(), tid, hi)):
                    # the region's reads as htslib's fetch gives them: this contig, starting
                    # before hi, overlapping lo (a read without aligned bases spans its first base)
                    sel = (recs.refid == tid) & (recs.pos < hi) & (np.maximum(recs.end, recs.pos + 1) > lo)
                    sel &= ((recs.flag & EXCLUDE_FLAGS) == 0) & (recs.mapq >= how.min_mapq)
                    st.append(recs.pos[sel])
                    en.append(recs.end[sel])
                    if junction_reads is not None and sel.any():
                        offer(junction_reads, recs, sel, recs.end_clips(min_clip), chrom, bam_chrom)
                basecount[idx[a:b]] = aligned_bases(np.concatenate(st), np.concatenate(en), gs[a:b], ge[a:b])
    finally:
        reader.close()


def _chain(*its):
    for it in its:
        yield from it


def index_pass(fh, allbins: pd.DataFrame, how: PassSettings, junction_reads, basecount):
    """bin_coverages through the index with pysam's reads (a CRAM): one fetch per group of
    bins (fetch_regions)."""
    min_mapq = how.min_mapq
    for chrom, idx, gs, ge in _sorted_groups(allbins):
        bam_chrom = how.contig_names.get(chrom)
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
                add_end(reference_end(r))
                # only reads that could make the collector act (JunctionReads.add)
                if junction_reads is not None and ((f & 0x3) == 0x1 or ((f & 0x43) == 0x43
                                                   and not junction_reads.fragments_full()) or r.has_tag("SA")):
                    junction_reads.add(r, chrom, bam_chrom)
            basecount[idx[a:b]] = aligned_bases(st, en, gs[a:b], ge[a:b])
