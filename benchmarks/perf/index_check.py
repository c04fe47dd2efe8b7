#!/usr/bin/env python3
"""Whole-genome coverage reads the loci through the BAM index: the same loci in a BAM with
ten times more reads elsewhere must cost at most ~1.2x as long.

    python benchmarks/perf/index_check.py --outdir bench/index_check [--depth 30] [--reps 3]

Simulates one 30x genome BAM with reads only around the whole-genome bins (the gene
windows and the backbone, as the toy's genome arm), and a second one with the same reads
plus `--extra` (10) times as many elsewhere (between the backbone bins, at least 20 kb from
any bin), then times ikzf1cnv's coverage of the whole-genome bins on each (the best of
`--reps`) with a BAI and with a CSI index, and `samtools view -c` of each BAM (the cost of
reading it all). Prints a Markdown table; docs/performance.md quotes it. (A CSI index has
no linear index: a query also decodes the chunks of the coarser bins that reads crossing a
16 kb boundary fall into, scattered over the file; a BAI's linear index skips them.)
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pysam

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ikzf1cnv.reads.binning import PassSettings
from ikzf1cnv.core import annotation
from ikzf1cnv.reads import coverage as bam_coverage, wgs_bins
from simlib import genome, simulate  # noqa: E402


def best_of(reps: int, fn) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def elsewhere(bins: pd.DataFrame, contigs: dict, n: int, read_length: int, clearance: int, rng) -> dict:
    """n read starts per chromosome-length share, at least `clearance` bp from every bin."""
    total = sum(contigs.values())
    out = {}
    for c, L in contigs.items():
        k = int(n * L / total)
        pos = np.sort(rng.integers(0, L - read_length, k))
        b = bins[bins["chrom"] == c]
        if not len(b):
            out[c] = pos
            continue
        s, e = b["start"].to_numpy() - clearance, b["end"].to_numpy() + clearance
        i = np.searchsorted(e, pos, "right")            # first bin (padded) ending after the read
        near = (i < len(s)) & (pos + read_length > s[np.minimum(i, len(s) - 1)])
        out[c] = pos[~near]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--depth", type=float, default=30)
    ap.add_argument("--extra", type=float, default=10, help="reads elsewhere, as a multiple of the loci's reads")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--backbone-spacing", type=int, default=5_000_000)
    a = ap.parse_args()
    a.outdir.mkdir(parents=True, exist_ok=True)
    res = ROOT / "resources"
    rules = annotation.load_rules(res / "rules.yaml")
    units = annotation.read_tsv(res / "hg38" / "exons.tsv")
    units = units[units["gene"].isin(annotation.modelled_genes(rules))]
    contigs = annotation.contigs_of(res / "hg38" / "contigs.tsv")
    chroms = [c for c in contigs if c != "chrY"]
    bins = wgs_bins.wgs_bins(units, contigs, rules, {"bin_size": 1000, "backbone_spacing": a.backbone_spacing, "backbone_size": 5000}, chroms)
    regions = genome.genome_regions(units, contigs, rules, a.backbone_spacing, 5000, chroms)
    reg = annotation.load_regions(res, "hg38")
    par1 = tuple(reg[reg["region"] == "PAR1"][["chrom", "start", "end"]].iloc[0])
    reads = genome.simulate_genome_reads(regions, contigs, "female", par1, [], a.depth, 1, 100)
    n_loci = sum(len(v) for v in reads.values())
    extra = elsewhere(bins, contigs, int(a.extra * n_loci), 100, 20_000, np.random.default_rng(2))
    more = {c: np.sort(np.concatenate([reads[c], extra.get(c, np.zeros(0, np.int64))])) for c in contigs}
    paths = {"loci only": a.outdir / "loci.bam", f"+{a.extra:g}x reads elsewhere": a.outdir / "more.bam"}
    for (name, p), r in zip(paths.items(), (reads, more)):
        if not p.is_file():
            n = simulate.write_bam(str(p), "S", contigs, r, 100, 3)   # CSI-indexed
            print(f"{name}: {n} reads, {p.stat().st_size / 1e6:.1f} MB", flush=True)
        bai = p.with_name(p.stem + "_bai.bam")                    # the same BAM with a BAI index
        if not bai.is_file():
            bai.hardlink_to(p)
            pysam.index(str(bai))
    table = bins.rename(columns={"chrom": "chromosome", "name": "gene"})
    rows = []
    for name, p in paths.items():
        n = int(pysam.view("-c", str(p)).strip())
        view = best_of(a.reps, lambda: pysam.view("-c", str(p)))
        for index, q in (("BAI", p.with_name(p.stem + "_bai.bam")), ("CSI", p)):
            cov = best_of(a.reps, lambda: bam_coverage.bin_coverages([table], str(q), PassSettings(min_mapq=0)))
            rows.append((name, index, n, p.stat().st_size / 1e6, cov, view))
    print("| BAM | index | reads | MB | coverage of the whole-genome bins (s) | `samtools view -c` (s) |")
    print("|---|---|---|---|---|---|")
    for name, index, n, mb, cov, view in rows:
        print(f"| {name} | {index} | {n:,} | {mb:.0f} | {cov:.2f} | {view:.2f} |")
    for k, index in enumerate(("BAI", "CSI")):
        print(f"\ncost ratio with {index} (more / loci only): {rows[2 + k][4] / rows[k][4]:.2f}x "
              f"for {rows[2 + k][2] / rows[k][2]:.1f}x the reads")


if __name__ == "__main__":
    main()
