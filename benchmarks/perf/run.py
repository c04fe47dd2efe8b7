#!/usr/bin/env python3
"""Performance benchmark (first part): where the time goes, against two yardsticks.

    python benchmarks/perf/run.py --outdir bench/perf

Measures, on the bundled toy cohort (18 BAMs, 2 cores):
  * the floor: reading the same bins with `samtools bedcov` (pysam.bedcov, in-process,
    one call per BAM for target and antitarget bins);
  * ikzf1-cnv: the whole workflow's wall time, and each rule's wall time and peak memory
    from Snakemake's benchmark files;
  * `cnvkit.py batch` on the same BAMs and panel, same cores (hmm segmentation);
  * DAG building time for cohorts of 10, 100 and 1,000 samples (`snakemake -n` on sheets
    whose rows point at copies-by-link of the toy BAMs).
Writes results.md beside the outputs.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def run(cmd, **kw):
    t = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.time() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cores", type=int, default=2)
    a = ap.parse_args()
    out = a.outdir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sheet = pd.read_csv(ROOT / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    md = ["# Performance (toy cohort, 18 BAMs)", ""]

    # ikzf1-cnv, whole workflow
    wf = out / "ikzf1cnv"
    t_wf = run([sys.executable, "-m", "snakemake", "--cores", str(a.cores), "--config", f"outdir={wf}"], cwd=ROOT)
    rows = []
    for f in sorted((wf / "benchmarks").rglob("*.tsv")):
        b = pd.read_csv(f, sep="\t")
        rule = f.parent.name if f.parent.name != "benchmarks" else f.stem
        rows.append({"rule": rule, "s": float(b["s"].iloc[0]), "max_rss_mb": float(b["max_rss"].iloc[0])})
    per_rule = pd.DataFrame(rows).groupby("rule").agg(jobs=("s", "size"), mean_s=("s", "mean"),
                                                      total_s=("s", "sum"), peak_mb=("max_rss_mb", "max"))

    # the floor: samtools bedcov over the same bins
    import pysam
    t = time.time()
    for bam in sheet["bam"]:
        for bed in ("targets.bed", "antitargets.bed"):
            pysam.bedcov(str(wf / "bins" / bed), str(ROOT / bam))
    t_floor = time.time() - t

    # cnvkit batch on the same BAMs
    tum = [str(ROOT / b) for b, t_ in zip(sheet["bam"], sheet["type"]) if t_ == "tumor"]
    nor = [str(ROOT / b) for b, t_ in zip(sheet["bam"], sheet["type"]) if t_ == "normal"]
    t_cnvkit = run(["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets",
                    str(ROOT / "resources/toy/panel_hg38.bed"), "--segment-method", "hmm", "-p", str(a.cores),
                    "--output-dir", str(out / "cnvkit"), "--diploid-parx-genome", "grch38"])

    # DAG build time as the cohort grows
    dag = []
    for n in (10, 100, 1000):
        d = out / f"dag{n}"
        d.mkdir(exist_ok=True)
        rows = []
        for i in range(n):
            src = ROOT / sheet["bam"].iloc[4 + i % 14]
            dst = d / f"S{i:04d}.bam"
            if not dst.exists():
                os.symlink(src, dst)
                os.symlink(str(src) + ".csi", str(dst) + ".csi")
            rows.append({"sample": f"S{i:04d}", "bam": str(dst), "type": "normal" if i % 10 == 0 else "tumor"})
        pd.DataFrame(rows).to_csv(d / "samples.tsv", sep="\t", index=False)
        t_dag = run([sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--config", f"samples={d / 'samples.tsv'}",
                     f"outdir={d / 'out'}"], cwd=ROOT)
        dag.append((n, t_dag))

    md += ["| what | wall time (s) |", "|---|---|",
           f"| ikzf1-cnv, whole workflow, {a.cores} cores | {t_wf:.1f} |",
           f"| `cnvkit.py batch` (hmm), same BAMs, {a.cores} cores | {t_cnvkit:.1f} |",
           f"| floor: `samtools bedcov` over the same bins, all 18 BAMs, 1 core | {t_floor:.1f} |", ""]
    md += ["Per rule (Snakemake benchmark files):", "", "| rule | jobs | mean s | total s | peak MB |", "|---|---|---|---|---|"]
    for r, v in per_rule.iterrows():
        md.append(f"| {r} | {int(v.jobs)} | {v.mean_s:.2f} | {v.total_s:.1f} | {v.peak_mb:.0f} |")
    md += ["", "DAG build (`snakemake -n`) as the cohort grows:", "", "| samples | s |", "|---|---|"]
    md += [f"| {n} | {t:.1f} |" for n, t in dag]
    (out / "results.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
