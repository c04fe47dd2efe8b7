"""Deterministic simulation of panel BAMs with known copy-number truth.

Used to build the bundled toy cohort (benchmarks/toy/make_toy_cohort.py) and the accuracy
benchmark's cohorts (benchmarks/accuracy). The model:
  * a capture panel: every annotated exon unit (clipped to `max_target` bp, as panels
    often capture only part of long UTR exons) plus backbone targets on every chromosome
    (design_panel: one every N bp; with "intron_tiled", probes through the IKZF1 introns);
  * reads start uniformly over each target padded by one read length; the expected count
    is depth x capture efficiency (per target, shared by all samples) x a GC-like bias
    whose slope differs by sample x gamma overdispersion x copy number / 2;
  * off-target reads uniform over the genome, scaled by copy number: a fixed rate per Mb
    (toy) or a fraction of all reads (benchmark: they grow with depth, as in capture);
  * copy number = germline (2; chrX 1 in males outside PAR1) + sum over events of
    copies x cell fraction (blast fraction x fraction of blasts carrying the event).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

READ_SEQ_UNIT = "ACGT"


@dataclass(frozen=True)
class Event:
    chrom: str
    start: int  # 0-based half-open
    end: int
    copies: int  # -1 loss of one copy, -2 both, +1 gain
    fraction: float  # of all cells


def seed_of(name: str, base: int) -> int:
    return (zlib.crc32(name.encode()) + base) % (2 ** 32)


def germline_cn(chrom: str, pos: np.ndarray, sex: str, par1: tuple[str, int, int]) -> np.ndarray:
    cn = np.full(len(pos), 2.0)
    if chrom == "chrX" and sex == "male":
        inpar = (pos >= par1[1] - 1) & (pos < par1[2])
        cn[~inpar] = 1.0
    if chrom == "chrY":
        cn[:] = 1.0 if sex == "male" else 0.0
    return cn


def copy_number(chrom: str, pos: np.ndarray, sex: str, par1, events: list[Event]) -> np.ndarray:
    cn = germline_cn(chrom, pos, sex, par1)
    for ev in events:
        if ev.chrom == chrom:
            hit = (pos >= ev.start) & (pos < ev.end)
            cn[hit] += ev.copies * ev.fraction
    return np.maximum(cn, 0.0)


def simulate_reads(panel: pd.DataFrame, contigs: dict[str, int], sex: str, par1, events: list[Event],
                   depth: float, seed: int, read_length: int, capture_seed: int,
                   gc_slope_sd: float = 0.3, overdispersion_cv: float = 0.05,
                   offtarget_per_mb: float = 4.0, lowmapq_rate: float = 0.0,
                   offtarget_fraction: float | None = None) -> dict[str, np.ndarray]:
    """Sorted read start positions (0-based) per chromosome. With lowmapq_rate > 0, that
    fraction of extra reads is spread over the targets regardless of copy number (reads
    mis-placed from paralogues); write_bam gives them MAPQ 0-5 (they are returned as
    negative positions, -1 - pos, so that one array carries both kinds). Off-target reads:
    `offtarget_fraction` of all reads when given (so they scale with depth, as in hybrid
    capture), else a fixed `offtarget_per_mb` whatever the depth (the toy cohort's)."""
    cap = np.random.default_rng(capture_seed)
    eff = np.exp(cap.normal(0.0, 0.3, len(panel)))          # capture efficiency per target
    gcl = cap.uniform(-1.0, 1.0, len(panel))                  # GC-like covariate per target
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, gc_slope_sd)
    shape = 1.0 / overdispersion_cv ** 2
    od = rng.gamma(shape, 1.0 / shape, len(panel))
    out: dict[str, list[np.ndarray]] = {c: [] for c in contigs}
    s = panel["start"].to_numpy()
    e = panel["end"].to_numpy()
    mids = (s + e) // 2
    for c in panel["chrom"].unique():
        idx = np.flatnonzero(panel["chrom"].to_numpy() == c)
        cn = copy_number(c, mids[idx], sex, par1, events)
        lam = depth * (e[idx] - s[idx] + read_length) / read_length * eff[idx] * np.exp(slope * gcl[idx]) \
            * od[idx] * cn / 2.0
        n = rng.poisson(lam)
        for j, k in zip(idx, n):
            if k:
                out[c].append(rng.integers(max(s[j] - read_length + 1, 0), e[j], k))
    on_target = sum(len(x) for v in out.values() for x in v)
    if lowmapq_rate > 0:
        k = rng.poisson(lowmapq_rate * on_target)
        tj = rng.integers(0, len(panel), k)
        for c in panel["chrom"].unique():
            sel = tj[panel["chrom"].to_numpy()[tj] == c]
            if len(sel):
                out[c].append(-1 - rng.integers(s[sel], e[sel]))
    if offtarget_fraction is not None:
        n_off = on_target * offtarget_fraction / (1.0 - offtarget_fraction)
        for c, pos in offtarget_reads(contigs, sex, par1, events, n_off, read_length, rng).items():
            out[c].append(pos)
    else:
        for c, L in contigs.items():
            k = rng.poisson(offtarget_per_mb * L / 1e6)
            if k:
                pos = rng.integers(0, L - read_length, k)
                keep = rng.random(k) < copy_number(c, pos, sex, par1, events) / 2.0
                out[c].append(pos[keep])
    return {c: np.concatenate(v)[np.argsort(np.abs(np.concatenate(v) + 0.5), kind="stable")] if v
            else np.zeros(0, dtype=np.int64) for c, v in out.items()}


def offtarget_reads(contigs: dict[str, int], sex: str, par1, events: list[Event], n_expected: float,
                    read_length: int, rng: np.random.Generator, cn_max: float = 4.0) -> dict[str, np.ndarray]:
    """About `n_expected` read starts spread uniformly over the genome (per base, at copy
    number 2), thinned by copy number / cn_max so that losses and gains show off target too."""
    genome = float(sum(contigs.values()))
    out = {}
    for c, L in contigs.items():
        k = rng.poisson(n_expected * L / genome * cn_max / 2.0)
        pos = rng.integers(0, L - read_length, k)
        keep = rng.random(k) < copy_number(c, pos, sex, par1, events) / cn_max
        out[c] = pos[keep]
    return out


def _header(contigs: dict[str, int], sample: str) -> dict:
    return {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": c, "LN": L} for c, L in contigs.items()],
            "RG": [{"ID": sample, "SM": sample, "PL": "ILLUMINA"}],
            "PG": [{"ID": "ikzf1cnv-simulate", "PN": "ikzf1cnv.simulate"}]}


def write_bam(path: str, sample: str, contigs: dict[str, int], reads: dict[str, np.ndarray],
              read_length: int, seed: int, dup_rate: float = 0.0, extra: dict | None = None,
              fragment: tuple[float, float] | None = None, realistic: bool = False, compress: bool = True) -> int:
    """Write a coordinate-sorted, CSI-indexed BAM of unpaired reads; returns the read count.
    `extra`: per chromosome, records (start, cigartuples, flag, tags[, (name, mate start,
    template length)]) written in order among the others (split reads, their supplementary
    parts, discordant pairs: simlib/genome.py). With `fragment` (mean, sd of the fragment
    length) the reads are pairs instead, at the same depth: every other read start begins a
    fragment, its mate (reverse strand) ends the fragment; proper pairs (flag 0x2) with
    their mate's position and the template length, as an aligner writes them. `realistic`
    (pairs only): reads of a sequencer's size on disk (random bases and base qualities, the
    NM, MD, AS, XS and MC tags an aligner writes; ~60-80 bytes a read compressed, where the
    repeated sequence without qualities takes ~6), and with `dup_rate` that fraction of
    fragments written twice, the copy marked duplicate (both mates); for benchmarks that
    read BAMs of a real panel's size. compress=False (pairs only): an uncompressed BAM, not
    indexed (to be compressed by a faster tool: `samtools view -1`)."""
    if fragment is not None:
        return _write_pairs(path, sample, contigs, reads, read_length, seed, extra, fragment,
                            dup_rate if realistic else 0.0, realistic, compress)
    import pysam

    header = _header(contigs, sample)
    seq = (READ_SEQ_UNIT * (read_length // len(READ_SEQ_UNIT) + 1))[:read_length]
    rng = np.random.default_rng(seed)
    n = 0
    with pysam.AlignmentFile(path, "wb", header=header) as bam:
        a = pysam.AlignedSegment(bam.header)  # one record, rewritten per read: 2x faster than a new one each
        a.query_name = "0"
        a.cigartuples = [(0, read_length)]
        a.query_sequence = seq
        a.set_tag("RG", sample)
        write = bam.write
        for tid, c in enumerate(contigs):
            pos = reads.get(c)
            ex = sorted((extra or {}).get(c, []), key=lambda t: t[0])
            if (pos is None or not len(pos)) and not ex:
                continue
            pos = np.zeros(0, dtype=np.int64) if pos is None else pos
            rev = rng.random(len(pos)) < 0.5
            dup = rng.random(len(pos)) < dup_rate if dup_rate > 0 else np.zeros(len(pos), bool)
            mq = np.where(pos < 0, rng.integers(0, 6, len(pos)), 60) if (pos < 0).any() else np.full(len(pos), 60)
            start = np.where(pos < 0, -1 - pos, pos)
            a.reference_id = tid
            j = 0
            for p, r, d, q in zip(start.tolist(), rev.tolist(), dup.tolist(), mq.tolist()):
                while j < len(ex) and ex[j][0] <= p:
                    n = _write_record(bam, tid, ex[j], seq, sample, n)
                    j += 1
                a.reference_start = p
                a.mapping_quality = q
                for copy in range(2 if d else 1):
                    a.query_name = f"{n:x}"
                    a.flag = (16 if r else 0) | (1024 if copy else 0)  # the copy: a marked duplicate
                    write(a)
                    n += 1
            for rec in ex[j:]:
                n = _write_record(bam, tid, rec, seq, sample, n)
    pysam.index("-c", path)  # CSI: a few kB, where a BAI of a sparse hg38 BAM is 1.7 MB
    return n


def _write_record(bam, tid: int, rec: tuple, seq: str, sample: str, n: int) -> int:
    import pysam

    start, cigar, flag, tags = rec[:4]
    r = pysam.AlignedSegment(bam.header)
    r.query_name, r.reference_id, r.reference_start, r.mapping_quality = f"j{n:x}", tid, start, 60
    if len(rec) > 4:  # one read of a pair: its name (shared with its mate), the mate's start, TLEN
        r.query_name, r.next_reference_id, r.next_reference_start, r.template_length = rec[4][0], tid, rec[4][1], rec[4][2]
    r.flag, r.cigartuples, r.query_sequence = flag, cigar, seq[:sum(x for op, x in cigar if op in (0, 1, 4))]
    for k, v in [("RG", sample)] + list(tags):
        r.set_tag(k, v)
    bam.write(r)
    return n + 1


def _read_pool(read_length: int, rng: np.random.Generator, size: int = 4096) -> list[tuple]:
    """(sequence, qualities, tags) of `size` reads: random bases, qualities as a four-level
    binned sequencer writes them, and alignment tags (a pool larger than deflate's 32 kB
    window, so that the BAM compresses as real reads do)."""
    import array
    bases = np.array(list("ACGT"))
    levels = np.array([2, 12, 23, 37])
    out = []
    for _ in range(size):
        seq = "".join(bases[rng.integers(0, 4, read_length)])
        q = array.array("B", levels[3 - np.minimum(rng.geometric(0.5, read_length) - 1, 3)].tolist())
        nm = int(rng.integers(0, 4))
        out.append((seq, q, [("NM", nm), ("MD", str(read_length)), ("AS", read_length - 5 * nm),
                             ("XS", int(rng.integers(0, read_length // 2))), ("MC", f"{read_length}M")]))
    return out


def _write_pairs(path: str, sample: str, contigs: dict[str, int], reads: dict[str, np.ndarray], read_length: int,
                 seed: int, extra: dict | None, fragment: tuple[float, float], dup_rate: float = 0.0,
                 realistic: bool = False, compress: bool = True) -> int:
    """write_bam's paired form (see there): read starts < 0 (mis-placed reads) give both
    mates MAPQ 0-5."""
    import pysam

    header = _header(contigs, sample)
    seq = (READ_SEQ_UNIT * (read_length // len(READ_SEQ_UNIT) + 1))[:read_length]
    rng = np.random.default_rng(seed)
    pool = _read_pool(read_length, np.random.default_rng(seed + 1)) if realistic else None
    n = 0
    with pysam.AlignmentFile(path, "wb" if compress else "wb0", header=header) as bam:
        a = pysam.AlignedSegment(bam.header)
        a.cigartuples = [(0, read_length)]
        a.query_sequence = seq
        a.set_tag("RG", sample)
        write = bam.write
        recs = []                     # realistic: one record of each pooled read, reused
        for ps, pq, ptags in pool or []:
            b = pysam.AlignedSegment(bam.header)
            b.cigartuples, b.query_sequence, b.query_qualities = [(0, read_length)], ps, pq
            b.set_tags([("RG", sample)] + ptags)
            recs.append(b)
        for tid, c in enumerate(contigs):
            pos = reads.get(c)
            pos = np.zeros(0, dtype=np.int64) if pos is None else np.asarray(pos)[::2]
            ex = sorted((extra or {}).get(c, []), key=lambda t: t[0])
            if not len(pos) and not ex:
                continue
            mq = np.where(pos < 0, rng.integers(0, 6, len(pos)), 60)
            s1 = np.where(pos < 0, -1 - pos, pos)
            flen = np.clip(np.rint(rng.normal(fragment[0], fragment[1], len(pos))), read_length, None).astype(np.int64)
            s2 = np.minimum(s1 + flen - read_length, contigs[c] - read_length)
            first = rng.random(len(pos)) < 0.5          # the forward read is read 1
            k = len(pos)
            starts = np.r_[s1, s2]
            order = np.argsort(starts, kind="stable")
            frag = np.r_[np.arange(k), np.arange(k)][order]
            mate = np.r_[s2, s1][order]
            rev = np.r_[np.zeros(k, bool), np.ones(k, bool)][order]
            r1 = np.r_[first, ~first][order]
            tl = np.r_[s2 + read_length - s1, -(s2 + read_length - s1)][order]
            q = np.r_[mq, mq][order]
            dup = np.zeros(2 * k, bool)
            if dup_rate > 0:                            # both mates of a duplicated fragment
                d = rng.random(k) < dup_rate
                dup = np.r_[d, d][order]
            pick = np.r_[rng.integers(0, len(pool), k), rng.integers(0, len(pool), k)][order] if pool \
                else np.zeros(2 * k, np.int64)
            a.reference_id = a.next_reference_id = tid
            j = 0
            for p, f, m, rv, one, t, mqv, dp, pk in zip(starts[order].tolist(), frag.tolist(), mate.tolist(),
                                                        rev.tolist(), r1.tolist(), tl.tolist(), q.tolist(),
                                                        dup.tolist(), pick.tolist()):
                while j < len(ex) and ex[j][0] <= p:
                    n = _write_record(bam, tid, ex[j], seq, sample, n)
                    j += 1
                if recs:
                    a = recs[pk]
                    a.reference_id = a.next_reference_id = tid
                a.reference_start, a.next_reference_start, a.template_length, a.mapping_quality = p, m, t, mqv
                flag = 1 | 2 | (16 if rv else 32) | (64 if one else 128)
                for copy in range(2 if dp else 1):
                    a.query_name = f"{c}.{f:x}" + ("d" if copy else "")
                    a.flag = flag | (1024 if copy else 0)  # the copy: a marked duplicate
                    write(a)
                    n += 1
            for rec in ex[j:]:
                n = _write_record(bam, tid, rec, seq, sample, n)
    if compress:
        pysam.index("-c", path)
    return n


# ------------------------------------------------------------------ event geometry
def _ordered(units: pd.DataFrame, gene: str) -> pd.DataFrame:
    u = units[units["gene"] == gene].copy()
    u["_n"] = range(len(u))
    return u  # exons.tsv lists units in transcription order


def exon_event(units: pd.DataFrame, gene: str, first: int, last: int, copies: int, fraction: float,
               extend: int = 0, rng: np.random.Generator | None = None) -> Event:
    """A deletion of exon units first..last (transcription order) with breakpoints inside
    the flanking introns: in their middle, or with `rng` drawn uniformly over 10-90% of
    their length. At the gene's ends it reaches `extend` bp (at least 2 kb) beyond the gene."""
    u = _ordered(units, gene).reset_index(drop=True)
    sel = u.iloc[first - 1:last]
    lo, hi = int(sel["start"].min()) - 1, int(sel["end"].max())
    gs, ge = int(u["start"].min()) - 1, int(u["end"].max())
    margin = max(extend, 2000)
    # genomic neighbours of the selected block
    left = u[u["end"] < lo + 1]["end"].max()
    right = u[u["start"] > hi]["start"].min()
    t1, t2 = (0.5, 0.5) if rng is None else (rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9))
    start = int(left) + int((lo - int(left)) * t1) if pd.notna(left) else gs - margin
    end = hi + int((int(right) - 1 - hi) * t2) if pd.notna(right) else ge + margin
    return Event(str(sel["chrom"].iloc[0]), start, end, copies, fraction)


def par1_event(units: pd.DataFrame, copies: int, fraction: float) -> Event:
    """P2RY8-CRLF2: from P2RY8's first intron to between CRLF2 and CSF2RA (CRLF2 kept)."""
    p = _ordered(units, "P2RY8").reset_index(drop=True)
    crlf2_end = int(units[units["gene"] == "CRLF2"]["end"].max())
    csf2ra_start = int(units[units["gene"] == "CSF2RA"]["start"].min())
    start = (crlf2_end + csf2ra_start) // 2
    end = (int(p.iloc[1]["end"]) + int(p.iloc[0]["start"])) // 2
    return Event("chrX", start, end, copies, fraction)


def chromosome_event(contigs: dict[str, int], chrom: str, copies: int, fraction: float) -> Event:
    return Event(chrom, 0, contigs[chrom], copies, fraction)


def monosomy_event(contigs: dict[str, int], chrom: str, fraction: float) -> Event:
    return Event(chrom, 0, contigs[chrom], -1, fraction)


def arm_event(arms: pd.DataFrame, contigs: dict[str, int], chrom: str | None, arm: str, fraction: float,
              copies: int = -1) -> Event:
    """One copy of a whole chromosome arm lost (e.g. 7p), in `fraction` of all cells; `arms`
    as resources/<build>/arms.tsv (chrom, arm, start, end; 1-based inclusive)."""
    r = arms[(arms["arm"] == arm) & ((arms["chrom"] == chrom) if chrom else True)]
    if len(r) != 1:
        raise ValueError(f"arm {arm!r} (chromosome {chrom}) is not in the arms table")
    r = r.iloc[0]
    return Event(str(r["chrom"]), int(r["start"]) - 1, min(int(r["end"]), contigs[str(r["chrom"])]), copies, fraction)


def events_from_spec(spec: dict, units: pd.DataFrame, contigs: dict[str, int], blast: float,
                     rng: np.random.Generator | None = None, arms: pd.DataFrame | None = None) -> list[Event]:
    """Events of a sample spec (the toy cohort's YAML form). Gene events take exon units
    first..last in transcription order; `fraction` is of the blasts; {"arm": "7p"} loses
    one copy of an arm (needs `arms`)."""
    out = []
    for ev in spec.get("events") or []:
        f = blast * ev.get("fraction", 1.0)
        if "gene" in ev:
            a, b = ev["exons"]
            out.append(exon_event(units, ev["gene"], a, b, ev["copies"], f, ev.get("extend", 0), rng))
        elif ev.get("par1"):
            out.append(par1_event(units, ev["copies"], f))
        elif ev.get("monosomy"):
            out.append(monosomy_event(contigs, ev["monosomy"], f))
        elif ev.get("arm"):
            out.append(arm_event(arms, contigs, ev.get("chrom"), ev["arm"], f))
        else:
            out.append(chromosome_event(contigs, ev["chrom"], ev["copies"], f))
    return out


def copies_lost(units: pd.DataFrame, gene: str, events: list[Event]) -> list[int]:
    """Copies lost (in the affected cells) at each exon unit of a gene, from the geometry."""
    out = []
    for u in units[units["gene"] == gene].itertuples(index=False):
        mid = (int(u.start) + int(u.end)) // 2
        out.append(-sum(ev.copies for ev in events if ev.chrom == u.chrom and ev.start <= mid < ev.end
                        and ev.copies < 0))
    return out


def gene_truth(units: pd.DataFrame, events: list[Event], rules: dict) -> dict:
    """Each gene's level (rules.yaml `genes`, by kind) and the IKZF1 exon sets as the event
    geometry dictates (independent of the caller)."""
    lv = {}
    p = rules["par1"]
    for g, kind in rules["genes"].items():
        if kind == "par1":
            par = all(sum(x >= 1 for x in copies_lost(units, h, events)) * 2 >= len(copies_lost(units, h, events))
                      for h in p["lost"]) and all(max(copies_lost(units, h, events)) == 0 for h in p["kept"])
            lv[g] = "deleted" if par else "none"
            continue
        if kind == "exons":
            continue
        k = copies_lost(units, g, events)
        if kind == "zygosity":
            lv[g] = "hom" if max(k) >= 2 else ("het" if max(k) >= 1 else "none")
        elif kind == "extent":
            lv[g] = "whole" if min(k) >= 1 else ("partial" if max(k) >= 1 else "none")
        else:
            lv[g] = "deleted" if max(k) >= 1 else "none"
    ik = units[units["gene"] == "IKZF1"]["exon"].astype(int).tolist()
    k = copies_lost(units, "IKZF1", events)
    lv["ikzf1_lost"] = [e for e, x in zip(ik, k) if x >= 1]
    lv["ikzf1_biallelic"] = [e for e, x in zip(ik, k) if x >= 2]
    return lv


# ------------------------------------------------------------------ panel designs
def intron_tiles(introns: pd.DataFrame, genes, tile_spacing: int, tile_size: int,
                 clearance: int) -> list[tuple]:
    """Probes of `tile_size` bp every `tile_spacing` bp through each intron of `genes`,
    centred in the intron, none closer than `clearance` bp to the flanking exons."""
    rows = []
    for r in introns[introns["gene"].isin(list(genes))].itertuples(index=False):
        lo, hi = int(r.start) - 1 + clearance, int(r.end) - clearance  # 0-based half-open room
        room = hi - lo - tile_size
        if room < 0:
            continue
        n = room // tile_spacing + 1
        first = lo + (room - (n - 1) * tile_spacing) // 2
        for i in range(n):
            p = first + i * tile_spacing
            rows.append((r.chrom, p, p + tile_size, f"{r.gene}_intron{r.intron}_t{i + 1}"))
    return rows


def backbone(contigs: dict[str, int], chroms, spacing: int, size: int, avoid: pd.DataFrame,
             clearance: int) -> list[tuple]:
    """One `size` bp probe every `spacing` bp along each chromosome, none within
    `clearance` bp of a row of `avoid` (the gene targets)."""
    rows = []
    for c in chroms:
        mids = ((np.arange(contigs[c] // spacing) + 0.5) * spacing).astype(np.int64)
        bs, be = mids - size // 2, mids - size // 2 + size
        a = avoid[avoid["chrom"] == c]
        near = ((a["end"].to_numpy()[None, :] > bs[:, None] - clearance)
                & (a["start"].to_numpy()[None, :] < be[:, None] + clearance)).any(axis=1)
        rows += [(c, int(s0), int(e0), f"backbone_{c}_{i + 1}") for i, (s0, e0, x) in enumerate(zip(bs, be, near))
                 if not x]
    return rows


def design_panel(units: pd.DataFrame, introns: pd.DataFrame, contigs: dict[str, int], design: str, chroms,
                 backbone_spacing: int = 2_500_000, backbone_size: int = 300, max_target: int = 600,
                 tile_spacing: int = 3000, tile_size: int = 120, tile_genes=("IKZF1",),
                 exon_clearance: int = 300, backbone_clearance: int = 10_000) -> pd.DataFrame:
    """BED rows (chrom, start0, end, name) of a capture panel. "exon_only": every exon unit
    of `units` (clipped to max_target, as panels.loci_panel) plus a genome backbone of
    one probe every `backbone_spacing` bp; "intron_tiled": the same plus probes every
    `tile_spacing` bp through the introns of `tile_genes` (IKZF1_intron3_t5, ...);
    "hotspot": intron_tiled plus a 240 bp probe centred on the middle of each intron of
    `tile_genes`, where the simulator puts a deletion's ends (exon_event without rng): a
    probe on each breakpoint region, as deep panels built to read junctions have (tiles
    that overlap one are left out)."""
    from .panels import loci_panel

    if design not in ("exon_only", "intron_tiled", "hotspot"):
        raise ValueError(f"unknown panel design {design!r}")
    genes = loci_panel(units, contigs, 0, backbone_size, max_target, [])
    rows = list(genes.itertuples(index=False, name=None))
    if design in ("intron_tiled", "hotspot"):
        tiles = intron_tiles(introns, tile_genes, tile_spacing, tile_size, exon_clearance)
        if design == "hotspot":
            hot = [(r.chrom, (int(r.start) - 1 + int(r.end)) // 2 - 120, (int(r.start) - 1 + int(r.end)) // 2 + 120,
                    f"{r.gene}_intron{r.intron}_hotspot")
                   for r in introns[introns["gene"].isin(list(tile_genes))].itertuples(index=False)]
            tiles = [t for t in tiles if not any(t[0] == h[0] and t[1] < h[2] and t[2] > h[1] for h in hot)] + hot
        rows += tiles
    avoid = pd.DataFrame(rows, columns=["chrom", "start", "end", "name"])
    rows += backbone(contigs, chroms, backbone_spacing, backbone_size, avoid, backbone_clearance)
    df = pd.DataFrame(rows, columns=["chrom", "start", "end", "name"])
    df["o"] = df["chrom"].map({c: i for i, c in enumerate(contigs)})
    return df.sort_values(["o", "start", "end"]).drop(columns="o").reset_index(drop=True)
