"""Whole-genome BAMs with known copy-number truth, reads only where the workflow looks.

A 30x genome is ~600 M reads; the caller reads only its gene windows and a backbone
(ikzf1cnv.wgs), so the simulation places reads only in `regions` (the windows, padded,
and a stretch around each backbone bin), as a real genome's reads would fall there:
uniform starts, depth x a GC-like bias per 1 kb chunk whose slope differs by sample x
gamma overdispersion x copy number / 2, no capture efficiency. Pairs or unpaired reads, as
simulate.write_bam writes them; reads that cross a deletion's junction (junction_reads) are
split reads as an aligner writes them: the longer part primary, the other supplementary
(flag 2048), each with an SA tag naming the other; fragments over it whose reads do not
cross it are discordant pairs. chimeras adds the scattered split reads and far pairs of
library noise that every sample has.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import simulate


def genome_regions(units: pd.DataFrame, contigs: dict[str, int], rules: dict, backbone_spacing: int,
                   backbone_size: int, chroms, pad: int = 20_000, backbone_pad: int = 1000) -> pd.DataFrame:
    """Where reads go (chrom, start0, end): every gene window padded by `pad`, and each
    backbone bin of ikzf1cnv.wgs.wgs_bins padded by `backbone_pad`."""
    from ikzf1cnv.reads import wgs_bins

    bins = wgs_bins.wgs_bins(units, contigs, rules, {"bin_size": 1000, "backbone_spacing": backbone_spacing, "backbone_size": backbone_size}, chroms)
    bb = bins[bins["name"] == "backbone"]
    rows = [(r.chrom, max(int(r.start) - pad, 0), min(int(r.end) + pad, contigs[r.chrom]))
            for r in wgs_bins.window_regions(units, rules).itertuples(index=False)]
    rows += [(r.chrom, max(int(r.start) - backbone_pad, 0), min(int(r.end) + backbone_pad, contigs[r.chrom]))
             for r in bb.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["chrom", "start", "end"])


def wave(n: int, sd: float, corr: float, rng) -> np.ndarray:
    """A stationary AR(1) field over n chunks: SD `sd`, correlation `corr` between neighbours."""
    w = np.empty(n)
    if n:
        w[0] = rng.normal(0.0, sd)
        eps = rng.normal(0.0, sd * np.sqrt(1.0 - corr ** 2), n)
        for i in range(1, n):
            w[i] = corr * w[i - 1] + eps[i]
    return w


def simulate_genome_reads(regions: pd.DataFrame, contigs: dict[str, int], sex: str, par1, events: list,
                          depth: float, seed: int, read_length: int, chunk: int = 1000,
                          gc_slope_sd: float = 0.05, overdispersion_cv: float = 0.03,
                          waves: tuple[float, float] = (0.0, 0.0)) -> dict[str, np.ndarray]:
    """Sorted read starts per chromosome over `regions`, cut into `chunk`-bp pieces. `waves`
    (SD, neighbour correlation): a log-scale bias field of the sample's own, correlated
    between neighbouring chunks (coverage waves; no normal shares it, so no reference or
    denoising removes it); (0, 0) none."""
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, gc_slope_sd)
    shape = 1.0 / overdispersion_cv ** 2
    gcr = np.random.default_rng(7)   # the GC-like covariate: a property of the genome, the same in every sample
    wr = np.random.default_rng(seed + 1) if waves[0] > 0 else None
    out: dict[str, list] = {c: [] for c in contigs}
    for r in regions.itertuples(index=False):
        s = np.arange(int(r.start), int(r.end), chunk)
        e = np.minimum(s + chunk, int(r.end))
        gcl = gcr.uniform(-1.0, 1.0, len(s))
        cn = simulate.copy_number(r.chrom, (s + e) // 2, sex, par1, events)
        bias = slope * gcl + (wave(len(s), waves[0], waves[1], wr) if wr is not None else 0.0)
        lam = depth * (e - s) / read_length * np.exp(bias) * rng.gamma(shape, 1.0 / shape, len(s)) * cn / 2.0
        n = rng.poisson(lam)
        starts = np.repeat(s, n) + (rng.random(int(n.sum())) * np.repeat(e - s, n)).astype(np.int64)
        out[r.chrom].append(starts)
    return {c: np.sort(np.concatenate(v)) if v else np.zeros(0, dtype=np.int64) for c, v in out.items()}


def junction_reads(events: list, contigs: dict[str, int], depth: float, read_length: int, rng,
                   min_part: int = 20, max_span: int = 5_000_000, probes: pd.DataFrame | None = None,
                   fragment: tuple[float, float] | None = None, log: list | None = None) -> dict[str, list]:
    """Split reads over each focal loss's junction (start | end): a read starting s bp
    before it, its first L - s bases left of the junction and the rest right of it. In a
    fraction f of cells with k copies lost, read starts per bp at the junction are
    depth / read_length / 2 x f x k; reads whose shorter part is under `min_part` bp are
    left whole (an aligner would not split them). Whole chromosomes and arms (spans over
    max_span) have no junction here. With `probes` (a capture panel: chrom, start, end), only
    junctions with a probe within a read length of an end are read (captured), at `depth`.
    With `fragment` (mean, sd of the fragment length; pairs as write_bam's), also the
    discordant pairs: fragments over the junction neither of whose reads crosses it, one
    read left of the junction (forward), its mate right of it (reverse), the template
    length spanning the deletion; fragment starts per bp depth / (2 read_length) / 2 x f x k.
    Returns per chromosome (start, cigar, flag, tags[, mate]) records; `log` gets one
    (chrom, start, end, split reads, discordant pairs) per junction written."""
    out: dict[str, list] = {}
    for ev in events:
        if ev.copies >= 0 or ev.end - ev.start > max_span or ev.start <= 0 or ev.end >= contigs[ev.chrom]:
            continue
        left, right = ev.start, ev.end
        if probes is not None:
            pc = probes[probes["chrom"] == ev.chrom]
            near = [((pc["start"] < x + read_length) & (pc["end"] > x - read_length)).any() for x in (left, right)]
            if not any(near):
                continue
        rate = depth / read_length / 2.0 * ev.fraction * -ev.copies
        n = rng.poisson(rate * (read_length - 2 * min_part + 1))
        for s in rng.integers(left - read_length + min_part, left - min_part + 1, n).tolist():
            a = left - s                      # bases left of the junction
            b = read_length - a
            strand = "-" if rng.random() < 0.5 else "+"
            rev = 16 if strand == "-" else 0
            lcig, rcig = [(0, a), (4, b)], [(4, a), (0, b)]
            lsa = f"{ev.chrom},{s + 1},{strand},{a}M{b}S,60,0;"
            rsa = f"{ev.chrom},{right + 1},{strand},{a}S{b}M,60,0;"
            first = a >= b                    # the longer part is the primary alignment
            out.setdefault(ev.chrom, []).append((s, lcig, rev | (0 if first else 2048), [("SA", rsa)]))
            out[ev.chrom].append((right, rcig, rev | (2048 if first else 0), [("SA", lsa)]))
        m = 0
        if fragment is not None:
            m = int(rng.poisson(rate / 2.0 * max(fragment[0] - 2 * read_length + 1, 0)))
            for i in range(m):
                flen = max(int(round(rng.normal(*fragment))), 2 * read_length)
                j = int(rng.integers(read_length, flen - read_length + 1))   # fragment bases left of the junction
                x, y = left - j, right + (flen - j) - read_length             # the two reads' starts
                tlen = y + read_length - x
                name = f"d{ev.chrom}.{left:x}.{i:x}"
                one = rng.random() < 0.5
                out.setdefault(ev.chrom, []).append((x, [(0, read_length)], 1 | 32 | (64 if one else 128), [],
                                                     (name, y, tlen)))
                out[ev.chrom].append((y, [(0, read_length)], 1 | 16 | (128 if one else 64), [], (name, x, -tlen)))
        if log is not None:
            log.append((ev.chrom, left, right, int(n), m))
    return out


def chimeras(regions: pd.DataFrame, contigs: dict[str, int], depth: float, read_length: int, rate: float, rng,
             fragment: tuple[float, float] | None = None, min_part: int = 20,
             distance: tuple[float, float] = (1e3, 1e7)) -> dict[str, list]:
    """Library and alignment noise that mimics junctions, for the null: in every sample, a
    share `rate` of the reads in `regions` are chimeric: split reads whose other part
    aligns a log-uniform `distance` downstream on the same chromosome (SA tags both ways)
    and, with `fragment`, as many pairs whose mate lies that far away. Scattered, as
    chimeras are: a junction caller must not call them."""
    out: dict[str, list] = {}
    for r in regions.itertuples(index=False):
        L = contigs[r.chrom]
        k = int(rng.poisson(rate * depth * (int(r.end) - int(r.start)) / read_length))
        for _ in range(k):
            s = int(rng.integers(int(r.start), max(int(r.end) - read_length, int(r.start) + 1)))
            d = int(10 ** rng.uniform(np.log10(distance[0]), np.log10(distance[1])))
            if s + d + read_length >= L:
                continue
            a = int(rng.integers(min_part, read_length - min_part + 1))
            b = read_length - a
            lsa = f"{r.chrom},{s + 1},+,{a}M{b}S,60,0;"
            rsa = f"{r.chrom},{s + a + d + 1},+,{a}S{b}M,60,0;"
            out.setdefault(r.chrom, []).append((s, [(0, a), (4, b)], 0 if a >= b else 2048, [("SA", rsa)]))
            out[r.chrom].append((s + a + d, [(4, a), (0, b)], 2048 if a >= b else 0, [("SA", lsa)]))
            if fragment is not None:   # another molecule: its own place and distance
                x = int(rng.integers(int(r.start), max(int(r.end) - read_length, int(r.start) + 1)))
                y = x + int(10 ** rng.uniform(np.log10(distance[0]), np.log10(distance[1])))
                if y + read_length < L:
                    name = f"c{r.chrom}.{x:x}.{d:x}"
                    out[r.chrom].append((x, [(0, read_length)], 1 | 32 | 64, [], (name, y, y + read_length - x)))
                    out[r.chrom].append((y, [(0, read_length)], 1 | 16 | 128, [], (name, x, x - y - read_length)))
    return out


def merge_records(*parts: dict[str, list]) -> dict[str, list]:
    """Per-chromosome record lists of several sources, as one (write_bam sorts them)."""
    out: dict[str, list] = {}
    for p in parts:
        for c, recs in (p or {}).items():
            out.setdefault(c, []).extend(recs)
    return out
