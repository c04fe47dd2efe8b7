#!/usr/bin/env python3
"""Performance benchmark: where the time goes, against two yardsticks, and how it grows.

    python benchmarks/perf/run.py --outdir bench/perf                      # toy + scaling
    python benchmarks/perf/run.py --outdir bench/perf --cohort DIR         # also a bigger cohort
    python benchmarks/perf/run.py --outdir bench/perf --slurm              # also per-job cost on SLURM

Side by side, on the same BAMs and cores (the bundled toy cohort, and with --cohort a
directory holding samples.tsv and panel.bed, e.g. a cohort of benchmarks/accuracy/run.py):
  * the floor: `samtools bedcov` (pysam.bedcov, in one process) over the same bins;
  * ikzf1-cnv: the whole workflow's wall time; each rule's wall time and peak memory from
    Snakemake's benchmark files; the per-sample cost (coverage + call jobs / samples);
  * `cnvkit.py batch` (pooled normals, hmm segmentation).
Scaling: cohorts of 10, 100 and 1,000 samples whose rows point at links to the toy BAMs
(one in ten a normal): DAG build time (`snakemake -n`), and whole runs (up to --max-n):
per-sample stages, cohort stages (reference, cohort, report, MultiQC) time and peak memory.
With --slurm (a running SLURM, e.g. .ci/slurm-up.sh): the toy cohort through the SLURM
profile with batch_size 10 and 1, giving the scheduler's cost per job.
Writes results.md (and results.json) in --outdir.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SMK = [sys.executable, "-m", "snakemake"]


def run(cmd, log: Path, **kw):
    """Wall time of a command and the peak RSS of its process tree's largest member (GNU time)."""
    t = time.time()
    with open(log, "w") as fh:
        subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB %M", *cmd], check=True, stdout=fh, stderr=fh, **kw)
    rss = re.findall(r"MAXRSS_KB (\d+)", log.read_text())
    return time.time() - t, (int(rss[-1]) / 1024 if rss else float("nan"))


def stage_of(rule: str) -> str:
    return re.sub(r"_\d+$", "", rule)


def rule_table(outdir: Path) -> pd.DataFrame:
    rows = []
    for f in sorted((outdir / "benchmarks").rglob("*.tsv")):
        b = pd.read_csv(f, sep="\t")
        rows.append({"stage": stage_of(f.stem), "s": float(b["s"].iloc[0]),
                     "max_rss_mb": float(b["max_rss"].iloc[0])})
    return pd.DataFrame(rows).groupby("stage").agg(jobs=("s", "size"), mean_s=("s", "mean"), total_s=("s", "sum"),
                                                   peak_mb=("max_rss_mb", "max"))


def _bedcov(args):
    import pysam
    bins_dir, bam = args
    for bed in ("targets.bed", "antitargets.bed"):
        if (bins_dir / bed).stat().st_size:
            pysam.bedcov(str(bins_dir / bed), bam)


def floor(bins_dir: Path, bams: list[str], cores: int) -> float:
    """Wall time of samtools bedcov over the same bins for every BAM, `cores` BAMs at a time
    (the same parallelism as the workflow's jobs)."""
    from multiprocessing import Pool
    t = time.time()
    with Pool(cores) as pool:
        pool.map(_bedcov, [(bins_dir, b) for b in bams], chunksize=1)
    return time.time() - t


# The same bins for both tools: CNVkit's default target size, and the toy config's
# off-target bin size (the simulated BAMs have few off-target reads).
BINS = (267, 1_000_000)


def warm_up(bams: list[str]):
    """Same start for both tools: the BAMs in the page cache, the imports compiled."""
    for b in bams:
        Path(b).read_bytes()
    subprocess.run([sys.executable, "-c", "import cnvlib, pysam, snakemake.api"], check=True, capture_output=True)


def side_by_side(name, sheet_path: Path, panel: Path, out: Path, cores: int, genome: str):
    """ikzf1-cnv, cnvkit batch and the bedcov floor on one cohort."""
    sheet = pd.read_csv(sheet_path, sep="\t", dtype=str, keep_default_na=False)
    bams = [str((Path.cwd() if Path(b).is_absolute() else ROOT) / b) for b in sheet["bam"]]
    wf = out / f"{name}_ikzf1cnv"
    warm_up(bams)
    t_wf, rss_wf = run([*SMK, "--cores", str(cores), "--config", f"samples={sheet_path}", f"targets={panel}",
                        f"genome={genome}", f"outdir={wf}", f"target_avg_size={BINS[0]}",
                        f"antitarget_avg_size={BINS[1]}"], out / f"{name}_ikzf1cnv.log", cwd=ROOT)
    per_rule = rule_table(wf)
    t_floor = floor(wf / "bins", bams, cores)
    tum = [b for b, t_ in zip(bams, sheet["type"]) if t_ != "normal"]
    nor = [b for b, t_ in zip(bams, sheet["type"]) if t_ == "normal"]
    t_cnvkit, rss_cnvkit = run(["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets", str(panel),
                                "--segment-method", "hmm", "-p", str(cores), "--target-avg-size", str(BINS[0]),
                                "--antitarget-avg-size", str(BINS[1]), "--output-dir", str(out / f"{name}_cnvkit"),
                                "--diploid-parx-genome", "grch38" if genome == "hg38" else "grch37"],
                               out / f"{name}_cnvkit.log")
    n = len(bams)
    cov = per_rule.loc["coverage", "total_s"] if "coverage" in per_rule.index else float("nan")
    call = per_rule.loc["call", "total_s"] if "call" in per_rule.index else float("nan")
    mb = sum(os.path.getsize(b) for b in bams) / n / 1e6
    return {"cohort": name, "bams": n, "tumours": len(tum), "normals": len(nor), "mean_bam_mb": round(mb, 1),
            "ikzf1cnv_s": round(t_wf, 1), "cnvkit_s": round(t_cnvkit, 1), "speedup": round(t_cnvkit / t_wf, 2),
            "floor_s": round(t_floor, 1), "floor_per_bam_s": round(t_floor * cores / n, 3),
            "coverage_per_bam_s": round(cov / n, 3), "call_per_tumour_s": round(call / max(len(tum), 1), 3),
            "per_sample_s": round((cov + call) / n, 3),
            "per_sample_over_floor": round((cov + call) / (t_floor * cores), 2),
            "ikzf1cnv_peak_mb": round(rss_wf), "cnvkit_peak_mb": round(rss_cnvkit),
            "rules": per_rule.round(2).reset_index().to_dict("records")}


def _link_or_copy(src: Path, dst: Path):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def linked_cohort(d: Path, n: int) -> Path:
    """n samples, each its own file (hard links to the toy's BAMs): the sample sheet check
    refuses two samples whose paths resolve to one file, as symbolic links do."""
    toy = pd.read_csv(ROOT / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    tumours = toy[toy["type"] == "tumor"].reset_index(drop=True)
    d.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        src_row = tumours.iloc[i % len(tumours)] if i % 10 else toy[toy["type"] == "normal"].iloc[(i // 10) % 4]
        src = ROOT / src_row["bam"]
        dst = d / f"S{i:04d}.bam"
        if dst.is_symlink():        # links of an earlier version: the sheet check sees one file
            dst.unlink()
            Path(str(dst) + ".csi").unlink()
        if not dst.exists():        # a hard link (a copy across file systems): a file of its own name
            _link_or_copy(src, dst)
            _link_or_copy(Path(str(src) + ".csi"), Path(str(dst) + ".csi"))
        rows.append({"sample": f"S{i:04d}", "bam": str(dst), "type": "normal" if i % 10 == 0 else "tumor",
                     "subtype": src_row["subtype"], "age_group": src_row["age_group"],
                     "blast_pct": src_row["blast_pct"], "sex": src_row["sex"]})
    pd.DataFrame(rows).to_csv(d / "samples.tsv", sep="\t", index=False)
    return d / "samples.tsv"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def children_cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def scaling(out: Path, cores: int, sizes: list[int], dag_sizes: list[int]) -> list[dict]:
    """Cohorts of links to the toy BAMs: the DAG (dry run) at every size, whole runs at
    `sizes`: wall and CPU time, Snakemake's peak memory, each stage's time and peak memory
    (the per-sample stages summed), with the load before and after each."""
    res = []
    for n in sorted(set(sizes) | set(dag_sizes)):
        d = out / f"scale{n}"
        sheet = linked_cohort(d / "bams", n)
        cfg = ["--config", f"samples={sheet}", f"outdir={d / 'out'}"]
        la = loadavg()
        t_dag, rss_dag = run([*SMK, "-n", "--cores", "1", *cfg], d / "dag.log", cwd=ROOT)
        row = {"n": n, "dag_s": round(t_dag, 1), "dag_peak_mb": round(rss_dag), "dag_loadavg": f"{la} -> {loadavg()}"}
        if n in sizes:
            if (d / "out").exists():
                shutil.rmtree(d / "out")
            la, c = loadavg(), children_cpu()
            t, rss = run([*SMK, "--cores", str(cores), *cfg], d / "run.log", cwd=ROOT)
            rt = rule_table(d / "out")
            row.update({"run_s": round(t, 1), "run_cpu_s": round(children_cpu() - c, 1),
                        "snakemake_peak_mb": round(rss), "loadavg": f"{la} -> {loadavg()}",
                        "per_sample_s": round((rt.loc["coverage", "total_s"] + rt.loc["call", "total_s"]) / n, 3),
                        "coverage_s": round(rt.loc["coverage", "total_s"], 1), "call_s": round(rt.loc["call", "total_s"], 1),
                        "jobs": int(rt["jobs"].sum()), "peak_job_mb": round(rt["peak_mb"].max())})
            for st in ("bins", "reference", "cohort", "report", "multiqc"):
                row[f"{st}_s"] = round(rt.loc[st, "total_s"], 1)
                row[f"{st}_mb"] = round(rt.loc[st, "peak_mb"])
            row["report_html_mb"] = round((d / "out" / "cohort" / "report.html").stat().st_size / 1e6, 1)
        res.append(row)
    return res


def slurm_overhead(out: Path) -> dict:
    res = {}
    for bs in (10, 1):
        d = out / f"slurm_bs{bs}"
        t, _ = run(["timeout", "1800", *SMK, "--workflow-profile", "workflow/profiles/slurm", "--slurm-no-account",
                    "--config", f"outdir={d}", f"batch_size={bs}"], out / f"slurm_bs{bs}.log", cwd=ROOT)
        jobs = len(re.findall(r"has been submitted", (out / f"slurm_bs{bs}.log").read_text()))
        res[bs] = {"wall_s": round(t, 1), "jobs": jobs}
    dj = res[1]["jobs"] - res[10]["jobs"]
    res["per_job_s"] = round((res[1]["wall_s"] - res[10]["wall_s"]) / dj, 2) if dj else None
    return res


def md_table(rows: list[dict], cols: list[str]) -> list[str]:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--cohort", type=Path, action="append", default=[],
                    help="directory with samples.tsv and panel.bed (and optionally config.yaml's genome)")
    ap.add_argument("--scale", default="10,100,1000", help="cohort sizes run end to end (links to the toy BAMs)")
    ap.add_argument("--dag", default="10000", help="cohort sizes only dry-run (the DAG's time)")
    ap.add_argument("--no-toy", action="store_true", help="leave out the toy side by side")
    ap.add_argument("--linked", type=int, action="append", default=[],
                    help="also side by side on a cohort of this many links to the toy BAMs (e.g. 100)")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--slurm", action="store_true", help="measure the per-job cost on a running SLURM")
    a = ap.parse_args()
    out = a.outdir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = {"cores": a.cores, "side_by_side": [], "scaling": [], "slurm": None}
    if not a.no_toy:
        results["side_by_side"].append(side_by_side("toy", ROOT / "config" / "samples.tsv",
                                                    ROOT / "resources" / "toy" / "panel_hg38.bed", out, a.cores, "hg38"))
    for c in a.cohort:
        c = c.resolve()
        genome = "hg19" if "hg19" in (c / "config.yaml").read_text() else "hg38"
        results["side_by_side"].append(side_by_side(c.name, c / "samples.tsv", c / "panel.bed", out, a.cores, genome))
    for n in a.linked:
        sheet = linked_cohort(out / f"linked{n}" / "bams", n)
        results["side_by_side"].append(side_by_side(f"linked{n}", sheet, ROOT / "resources" / "toy" / "panel_hg38.bed",
                                                    out, a.cores, "hg38"))
    if not a.no_scaling:
        results["scaling"] = scaling(out, a.cores, [int(x) for x in a.scale.split(",") if x],
                                     [int(x) for x in a.dag.split(",") if x])
    if a.slurm:
        results["slurm"] = slurm_overhead(out)
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")

    md = [f"# Performance ({a.cores} cores)", "", "## Side by side", ""]
    md += md_table(results["side_by_side"], ["cohort", "bams", "mean_bam_mb", "ikzf1cnv_s", "cnvkit_s", "speedup",
                                             "floor_per_bam_s", "coverage_per_bam_s", "call_per_tumour_s",
                                             "per_sample_s", "per_sample_over_floor", "ikzf1cnv_peak_mb",
                                             "cnvkit_peak_mb"])
    for r in results["side_by_side"]:
        md += ["", f"Per stage, {r['cohort']} (Snakemake benchmark files):", ""]
        md += md_table(r["rules"], ["stage", "jobs", "mean_s", "total_s", "peak_mb"])
    md += ["", "## Scaling", ""]
    md += [] if not results["scaling"] else md_table(results["scaling"], [
        "n", "dag_s", "dag_peak_mb", "dag_loadavg", "run_s", "run_cpu_s", "loadavg", "jobs", "snakemake_peak_mb",
        "peak_job_mb", "per_sample_s", "coverage_s", "call_s", "bins_s", "reference_s", "reference_mb", "cohort_s",
        "cohort_mb", "report_s", "report_mb", "report_html_mb", "multiqc_s", "multiqc_mb"])
    if results["slurm"]:
        s = results["slurm"]
        md += ["", "## SLURM", "", f"- batch_size 10: {s[10]['jobs']} jobs, {s[10]['wall_s']} s",
               f"- batch_size 1: {s[1]['jobs']} jobs, {s[1]['wall_s']} s",
               f"- cost per extra job: {s['per_job_s']} s"]
    (out / "results.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
