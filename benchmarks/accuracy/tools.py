"""Running the tools of the accuracy benchmark on a simulated cohort folder: ikzf1-cnv (this
checkout or an older revision in a git worktree) and plain `cnvkit.py batch`."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workflow"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from ikzf1cnv.cohort import table
from ikzf1cnv.core import annotation
from simlib import bench  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run_ikzf1cnv(d: Path, cores: int, root: Path = ROOT, sub: str = "ikzf1cnv"):
    """Snakemake from `root` on the cohort's config, into d/sub: (seconds, call table)."""
    out = d / sub
    shutil.rmtree(out, ignore_errors=True)  # a fresh run, whatever ran before
    cmd = [sys.executable, "-m", "snakemake", str(out / "cohort" / "ikzf1_calls.tsv"), "--cores", str(cores),
           "--quiet", "rules", "--configfile", str(d / "config.yaml"), "--config", f"outdir={out}"]
    t = time.time()
    with open(d / f"{sub}.log", "w") as fh:
        subprocess.run(cmd, cwd=root, check=True, stdout=fh, stderr=subprocess.STDOUT)
    return time.time() - t, pd.read_csv(out / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str,
                                        keep_default_na=False)


def baseline_worktree(root: Path, rev: str, where: Path) -> Path:
    """A detached git worktree of `rev` (removed by the caller with `git worktree remove`)."""
    subprocess.run(["git", "worktree", "add", "--detach", str(where), rev], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    return where


def run_cnvkit(d: Path, build: str, cores: int, method: str):
    res = ROOT / "resources"
    units = annotation.load_units(res, build)
    rules = annotation.load_rules(res / "rules.yaml")
    sheet = pd.read_csv(d / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    out = d / f"cnvkit_{method}"
    tum = [r.bam for r in sheet.itertuples() if r.type == "tumor"]
    nor = [r.bam for r in sheet.itertuples() if r.type == "normal"]
    cmd = ["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets", str(d / "panel.bed"),
           "--segment-method", method, "-p", str(cores), "--output-dir", str(out),
           "--diploid-parx-genome", rules["cnvkit_par_genome"][build]]
    t = time.time()
    with open(d / f"cnvkit_{method}.log", "w") as fh:
        subprocess.run(cmd, check=True, stdout=fh, stderr=subprocess.STDOUT)
    el = time.time() - t
    u = units[units["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]
    recs = []
    for r in sheet.itertuples():
        if r.type == "tumor":
            seg = pd.read_csv(out / f"{r.sample}.call.cns", sep="\t")
            st = bench.cnvkit_unit_states(seg, u)
            recs.append(bench.record_from_states(r.sample, r.subtype or "unknown", st, rules))
    return el, table.calls_table(recs, rules)


def cnvkit_calls(d: Path, build: str, method: str, cores: int, reuse: bool):
    """CNVkit's call table (run, or the earlier one with `reuse`): (seconds or NaN, table)."""
    f = d / f"cnvkit_{method}_calls.tsv"
    if reuse and f.is_file():
        return float("nan"), pd.read_csv(f, sep="\t", dtype=str, keep_default_na=False)
    el, calls = run_cnvkit(d, build, cores, method)
    calls.to_csv(f, sep="\t", index=False)
    return el, calls
