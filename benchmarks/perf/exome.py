#!/usr/bin/env python3
"""Exome-sized designs: ikzf1-cnv against `cnvkit.py batch` on a cohort whose BED has an
exome's number of targets, every one of them with reads.

    python benchmarks/perf/exome.py --outdir bench/exome                 # simulate (once), then time
    python benchmarks/perf/exome.py --outdir bench/exome --skip cnvkit   # re-time ikzf1-cnv only

The design (made once, deterministic): every exon unit of the modelled genes (IKZF1, PAX5,
CDKN2A/B, ...) and synthetic genes over chr1-22 and chrX, ~10 exons each (lengths and
introns drawn from exome-like distributions), ~--targets targets in all, none within 50 kb
of a modelled gene. The cohort: --n-tumours tumours and --n-normals normals of the accuracy
benchmark's panel cohort (benchmarks/accuracy/cohorts.py: IKZF1 and other deletions, arm
losses, noise), reads on every target at --depth (a fifth of them off target), unpaired
100 bp reads repeating one sequence (small BAMs: reading costs what the panel benchmarks
measure; here the costs that grow with the targets are timed).

Measured on the same BAMs and cores, one after the other, page cache warm, with
`cat /proc/loadavg` before and after each: ikzf1-cnv (the whole workflow, the BED as
`targets`, defaults otherwise; per stage from Snakemake's benchmark files, the bins step's
peak memory), `cnvkit.py batch` (the same BED, CNVkit's default bin sizes, the normals
pooled, hmm segmentation, -p cores), and the floor (`samtools view -c` of every BAM).
Writes results.md and results.json in --outdir.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
for p in ("workflow", "benchmarks", "benchmarks/accuracy", "benchmarks/perf"):
    sys.path.insert(0, str(ROOT / p))

from genome import floor, timed, warm_up  # noqa: E402  (the genome benchmark's timing)
from run import md_table, rule_table  # noqa: E402

SMK = [sys.executable, "-m", "snakemake"]
READ_LENGTH = 100
AVOID = 50_000          # no synthetic exon this close to a modelled gene


def exome_design(units: pd.DataFrame, contigs: dict[str, int], n_targets: int, seed: int) -> pd.DataFrame:
    """An exome-like BED (chrom, start, end, gene; 0-based): the modelled genes' exon units
    and synthetic genes (exons ~lognormal around 130 bp, introns around 2 kb, ~10 exons a
    gene) spread over chr1-22 and chrX in proportion to their length."""
    rng = np.random.default_rng(seed)
    real = pd.DataFrame({"chrom": units["chrom"], "start": units["start"] - 1, "end": units["end"],
                         "gene": units["gene"]})
    chroms = [c for c in contigs if c.removeprefix("chr").isdigit() or c == "chrX"]
    total = sum(contigs[c] for c in chroms)
    want = n_targets - len(real)
    rows = []
    for c in chroms:
        quota = int(round(want * contigs[c] / total))
        k = rng.geometric(0.1, max(quota // 10, 1) * 2)
        k = k[np.cumsum(k) <= quota] if (np.cumsum(k) > quota).any() else k
        ex = np.clip(rng.lognormal(np.log(130), 0.6, int(k.sum())), 50, 1500).astype(int)
        intr = np.clip(rng.lognormal(np.log(2000), 1.0, int(k.sum())), 100, 50_000).astype(int)
        span = ex.sum() + intr.sum()
        gaps = rng.dirichlet(np.ones(len(k) + 1)) * max(contigs[c] - 2_000_000 - span, 0)
        pos, i = 1_000_000, 0
        for g, n in enumerate(k):
            pos += int(gaps[g])
            for _ in range(n):
                rows.append((c, pos, pos + int(ex[i]), f"X{c.removeprefix('chr')}_{g}"))
                pos += int(ex[i]) + int(intr[i])
                i += 1
    syn = pd.DataFrame(rows, columns=["chrom", "start", "end", "gene"])
    near = np.zeros(len(syn), dtype=bool)
    for gene, u in real.groupby("gene"):
        c, lo, hi = u["chrom"].iloc[0], u["start"].min() - AVOID, u["end"].max() + AVOID
        near |= (syn["chrom"] == c).to_numpy() & (syn["end"] > lo).to_numpy() & (syn["start"] < hi).to_numpy()
    bed = pd.concat([real, syn[~near]], ignore_index=True)
    order = {c: i for i, c in enumerate(contigs)}
    return bed.assign(_o=bed["chrom"].map(order)).sort_values(["_o", "start", "end"]).drop(columns="_o")


def _one_bam(d: Path, r: dict, panel: pd.DataFrame, s: dict, ev: list, depth: float, seed: int) -> str:
    from simlib import simulate
    reads = simulate.simulate_reads(panel, r["contigs"], s["sex"], r["par1"], ev, depth,
                                    simulate.seed_of(s["sample"], seed), READ_LENGTH, seed + 7,
                                    gc_slope_sd=s["noise"]["gc_slope_sd"],
                                    overdispersion_cv=s["noise"]["overdispersion_cv"], lowmapq_rate=0.02,
                                    offtarget_fraction=0.2)
    bam = d / "bams" / f"{s['sample']}.bam"
    simulate.write_bam(str(bam), s["sample"], r["contigs"], reads, READ_LENGTH,
                       simulate.seed_of(s["sample"], seed + 1), dup_rate=0.05)
    return str(bam)


def make_cohort(d: Path, n_t: int, n_n: int, n_targets: int, depth: float, cores: int, seed: int = 2026):
    """The design, BAMs and sheet under d (made once: kept when samples.tsv exists)."""
    import cohorts
    import simulation

    from simlib import simulate
    if (d / "samples.tsv").exists():
        return
    (d / "bams").mkdir(parents=True, exist_ok=True)
    r = simulation.resources("hg38")
    units = r["units"][r["units"]["gene"].isin(simulation.PANEL_GENES)]
    panel = exome_design(units, r["contigs"], n_targets, seed)
    panel.to_csv(d / "panel.bed", sep="\t", header=False, index=False)
    rng = np.random.default_rng(seed)
    specs = cohorts.panel_specs(n_t, n_n, rng, simulation.RATES, 0.6)
    events = [simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"],
                                        np.random.default_rng(simulate.seed_of(s["sample"], seed + 2)), r["arms"])
              for s in specs]
    with ProcessPoolExecutor(cores) as ex:
        bams = list(ex.map(_one_bam, *zip(*[(d, r, panel, s, ev, depth, seed) for s, ev in zip(specs, events)])))
    pd.DataFrame([{"sample": s["sample"], "bam": b, "type": s["type"], "subtype": s["subtype"],
                   "age_group": s["age_group"], "blast_pct": "", "sex": s["sex"]}
                  for s, b in zip(specs, bams)]).to_csv(d / "samples.tsv", sep="\t", index=False)


def run_ikzf1cnv(out: Path, cdir: Path, cores: int, bams: list[str]) -> dict:
    wf_out = out / "ikzf1cnv"
    shutil.rmtree(wf_out, ignore_errors=True)
    cfg = {"samples": str(cdir / "samples.tsv"), "genome": "hg38", "targets": str(cdir / "panel.bed"),
           "outdir": str(wf_out)}
    (out / "ikzf1cnv_config.yaml").write_text(yaml.safe_dump(cfg))
    warm_up(bams)
    wf = timed([*SMK, "--cores", str(cores), "--configfile", str(out / "ikzf1cnv_config.yaml")],
               out / "ikzf1cnv.log", cwd=ROOT)
    wf.pop("t0")
    rt = rule_table(wf_out)
    wf["stages"] = rt.round(2).reset_index().to_dict("records")
    wf["bins"] = {"targets": sum(1 for _ in open(wf_out / "bins" / "targets.bed")),
                  "antitargets": sum(1 for _ in open(wf_out / "bins" / "antitargets.bed"))}
    return wf


def run_cnvkit(out: Path, sheet: pd.DataFrame, bed: Path, cores: int, bams: list[str]) -> dict:
    d = out / "cnvkit"
    shutil.rmtree(d, ignore_errors=True)
    tum = sheet.loc[sheet["type"] != "normal", "bam"].tolist()
    nor = sheet.loc[sheet["type"] == "normal", "bam"].tolist()
    cmd = ["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets", str(bed), "--segment-method", "hmm",
           "-p", str(cores), "--diploid-parx-genome", "grch38", "--output-dir", str(d)]
    warm_up(bams)
    ck = timed(cmd, out / "cnvkit.log")
    ck.pop("t0")
    ck["command"] = " ".join(Path(x).name if x.endswith(".bam") else x for x in cmd)
    return ck


def render(r: dict) -> str:
    c, wf = r["cohort"], r["ikzf1cnv"]
    rows = [{"run": "ikzf1-cnv, whole workflow", "wall_s": wf["wall_s"], "cpu_s": wf["cpu_s"], "peak_mb": wf["peak_mb"],
             "loadavg": f"{wf['loadavg_before']} -> {wf['loadavg_after']}"}]
    if r.get("cnvkit"):
        k = r["cnvkit"]
        rows.append({"run": "`cnvkit.py batch` (hmm, -p)", "wall_s": k["wall_s"], "cpu_s": k["cpu_s"],
                     "peak_mb": k["peak_mb"], "loadavg": f"{k['loadavg_before']} -> {k['loadavg_after']}"})
    fl = r["floor"]
    rows.append({"run": "floor: `samtools view -c`", "wall_s": fl["wall_s"], "cpu_s": "", "peak_mb": "",
                 "loadavg": f"{fl['loadavg_before']} -> {fl['loadavg_after']}"})
    md = [f"# Exome-sized design ({r['cores']} cores, {r['date']}, commit {r['commit']})", "",
          f"{c['bams']} BAMs ({c['tumours']} tumours, {c['normals']} normals), {c['targets']:,} targets "
          f"({c['targets_with_reads']:,} with reads in the first normal), {c['mean_reads']:,} reads and "
          f"{c['mean_bam_mb']} MB a BAM; ikzf1-cnv's bins: {wf['bins']['targets']:,} target, "
          f"{wf['bins']['antitargets']:,} off-target.", "",
          *md_table(rows, ["run", "wall_s", "cpu_s", "peak_mb", "loadavg"]), ""]
    if r.get("cnvkit"):
        md += [f"ikzf1-cnv faster by {r['cnvkit']['wall_s'] / wf['wall_s']:.2f}x.", ""]
    md += ["ikzf1-cnv per stage (Snakemake's benchmark files):", "",
           *md_table(wf["stages"], ["stage", "jobs", "mean_s", "total_s", "peak_mb"]), "",
           f"Call step per tumour: {r['call_per_tumour_s']} s; the reference for {c['normals']} normals: "
           f"{r['reference_s']} s."]
    if r.get("cnvkit"):
        md += ["", "    " + r["cnvkit"]["command"]]
    return "\n".join(md) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cohort", type=Path, help="the cohort directory (default OUTDIR/cohort; simulated if new)")
    ap.add_argument("--n-tumours", type=int, default=16)
    ap.add_argument("--n-normals", type=int, default=6)
    ap.add_argument("--targets", type=int, default=190_000)
    ap.add_argument("--depth", type=float, default=10.0, help="on-target depth of the simulated reads")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--skip", default="", help="comma-separated: cnvkit")
    a = ap.parse_args()
    out = a.outdir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    cdir = (a.cohort or out / "cohort").resolve()
    t = time.time()
    make_cohort(cdir, a.n_tumours, a.n_normals, a.targets, a.depth, a.cores)
    print(f"cohort ready ({time.time() - t:.0f} s): {cdir}", flush=True)
    sheet = pd.read_csv(cdir / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    bams = sheet["bam"].tolist()
    res = {"cores": a.cores, "date": time.strftime("%Y-%m-%d %H:%M"), "commit": _commit()}
    res["ikzf1cnv"] = run_ikzf1cnv(out, cdir, a.cores, bams)
    print(f"ikzf1-cnv: {res['ikzf1cnv']['wall_s']} s", flush=True)
    warm_up(bams)
    res["floor"] = floor(bams, a.cores)
    if "cnvkit" not in a.skip:
        res["cnvkit"] = run_cnvkit(out, sheet, cdir / "panel.bed", a.cores, bams)
        print(f"cnvkit: {res['cnvkit']['wall_s']} s", flush=True)
    st = {s["stage"]: s for s in res["ikzf1cnv"]["stages"]}
    n_t = int((sheet["type"] != "normal").sum())
    res["call_per_tumour_s"] = round(st["call"]["total_s"] / n_t, 2)
    res["reference_s"] = st["reference"]["total_s"]
    cov = pd.read_csv(out / "ikzf1cnv" / "coverage" / f"{sheet.loc[sheet['type'] == 'normal', 'sample'].iloc[0]}"
                      ".targetcoverage.cnn", sep="\t")
    res["cohort"] = {"dir": str(cdir), "bams": len(sheet), "tumours": n_t, "normals": len(sheet) - n_t,
                     "targets": sum(1 for _ in open(cdir / "panel.bed")), "targets_with_reads": int((cov["depth"] > 0).sum()),
                     "mean_reads": int(sum(res["floor"].pop("reads")) / len(bams)),
                     "mean_bam_mb": round(sum(Path(b).stat().st_size for b in bams) / len(bams) / 1e6, 1)}
    (out / "results.json").write_text(json.dumps(res, indent=1, default=str) + "\n")
    (out / "results.md").write_text(render(res))
    print(render(res))


def _commit() -> str:
    import subprocess
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
