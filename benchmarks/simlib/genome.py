"""Whole-genome BAMs with known copy-number truth, reads only where the workflow looks.

A 30x genome is ~600 M reads; the caller reads only its gene windows and a backbone
(ikzf1cnv.wgs), so the simulation places reads only in `regions` (the windows, padded,
and a stretch around each backbone bin), as a real genome's reads would fall there:
uniform starts, depth x a GC-like bias per 1 kb chunk whose slope differs by sample x
gamma overdispersion x copy number / 2, no capture efficiency. Unpaired reads, as
simulate.write_bam writes them; reads that cross a deletion's junction (junction_reads) are
split reads as an aligner writes them: the longer part primary, the other supplementary
(flag 2048), each with an SA tag naming the other.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import simulate


def genome_regions(units: pd.DataFrame, contigs: dict[str, int], rules: dict, backbone_spacing: int,
                   backbone_size: int, chroms, pad: int = 20_000, backbone_pad: int = 1000) -> pd.DataFrame:
    """Where reads go (chrom, start0, end): every gene window padded by `pad`, and each
    backbone bin of ikzf1cnv.wgs.wgs_bins padded by `backbone_pad`."""
    from ikzf1cnv import wgs

    bins = wgs.wgs_bins(units, contigs, rules, 1000, backbone_spacing, backbone_size, chroms)
    bb = bins[bins["name"] == "backbone"]
    rows = [(r.chrom, max(int(r.start) - pad, 0), min(int(r.end) + pad, contigs[r.chrom]))
            for r in wgs.window_regions(units, rules).itertuples(index=False)]
    rows += [(r.chrom, max(int(r.start) - backbone_pad, 0), min(int(r.end) + backbone_pad, contigs[r.chrom]))
             for r in bb.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["chrom", "start", "end"])


def simulate_genome_reads(regions: pd.DataFrame, contigs: dict[str, int], sex: str, par1, events: list,
                          depth: float, seed: int, read_length: int, chunk: int = 1000,
                          gc_slope_sd: float = 0.05, overdispersion_cv: float = 0.03) -> dict[str, np.ndarray]:
    """Sorted read starts per chromosome over `regions`, cut into `chunk`-bp pieces."""
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, gc_slope_sd)
    shape = 1.0 / overdispersion_cv ** 2
    gcr = np.random.default_rng(7)   # the GC-like covariate: a property of the genome, the same in every sample
    out: dict[str, list] = {c: [] for c in contigs}
    for r in regions.itertuples(index=False):
        s = np.arange(int(r.start), int(r.end), chunk)
        e = np.minimum(s + chunk, int(r.end))
        gcl = gcr.uniform(-1.0, 1.0, len(s))
        cn = simulate.copy_number(r.chrom, (s + e) // 2, sex, par1, events)
        lam = depth * (e - s) / read_length * np.exp(slope * gcl) * rng.gamma(shape, 1.0 / shape, len(s)) * cn / 2.0
        n = rng.poisson(lam)
        starts = np.repeat(s, n) + (rng.random(int(n.sum())) * np.repeat(e - s, n)).astype(np.int64)
        out[r.chrom].append(starts)
    return {c: np.sort(np.concatenate(v)) if v else np.zeros(0, dtype=np.int64) for c, v in out.items()}


def junction_reads(events: list, contigs: dict[str, int], depth: float, read_length: int, rng,
                   min_part: int = 20, max_span: int = 5_000_000, probes: pd.DataFrame | None = None) -> dict[str, list]:
    """Split reads over each focal loss's junction (start | end): a read starting s bp
    before it, its first L - s bases left of the junction and the rest right of it. In a
    fraction f of cells with k copies lost, read starts per bp at the junction are
    depth / read_length / 2 x f x k; reads whose shorter part is under `min_part` bp are
    left whole (an aligner would not split them). Whole chromosomes and arms (spans over
    max_span) have no junction here. With `probes` (a capture panel: chrom, start, end), only
    junctions with a probe within a read length of an end are read (captured), at `depth`.
    Returns per chromosome (start, cigar, flag, tags)."""
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
    return out
