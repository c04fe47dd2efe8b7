#!/usr/bin/env python3
"""Accuracy benchmark: simulated cohorts with known truth, scored for ikzf1-cnv, its two
oracle references (oracles.py) and plain `cnvkit.py batch` (hmm segmentation, CNVkit's
default call thresholds); optionally an older revision of the workflow ("baseline").

    python benchmarks/accuracy/run.py --outdir bench/accuracy                 # panel, null, few_normals
    python benchmarks/accuracy/run.py --outdir bench/accuracy --quick         # fewer samples
    python benchmarks/accuracy/run.py --outdir bench/accuracy --cohorts main_hg38,hg19   # legacy cohorts

The panel cohorts (panel, null, few_normals) are simulated once per --designs entry
(intron_tiled, exon_only): the same tumours, events and seeds on each panel. The legacy
cohorts (main_hg38, no_normals, hg19, low_fraction) keep their old 8-probe backbone.
Writes, under --outdir: <cohort>/<design>/ (panel, BAMs, sheet, truth, the tools'
outputs), summary.md, scores.tsv, per_sample.tsv. Deterministic for a given --seed.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(HERE))

from ikzf1cnv.caller import params as cparams
from ikzf1cnv.core import annotation
from simlib import bench  # noqa: E402

import cohorts  # noqa: E402
import oracles  # noqa: E402
import scores  # noqa: E402
import simulation  # noqa: E402
import summary  # noqa: E402
import tools  # noqa: E402

# name: (build, tumours, normals, kind, share of tumours with an IKZF1 deletion, seed offset);
# the legacy cohorts keep the seeds they had (--seed + 100 x their old position)
COHORTS = {"panel": ("hg38", 48, 10, "panel", 35 / 48, 10), "null": ("hg38", 24, 6, "null", 0.0, 11),
           "few_normals": ("hg38", 24, 2, "panel", 0.6, 12),
           "main_hg38": ("hg38", 60, 8, "random", None, 0), "no_normals": ("hg38", 24, 0, "random", None, 2),
           "hg19": ("hg19", 24, 6, "random", None, 3), "low_fraction": ("hg38", 30, 6, "low", None, 4)}
QUICK = {"panel": (18, 4), "null": (8, 3), "few_normals": (10, 2)}
PANEL_COHORTS = ("panel", "null", "few_normals")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def caller_fpr() -> float:
    """The caller's default false-positive rate per gene (config schema)."""
    return caller_params().false_positive_rate


def caller_params() -> cparams.CallerParams:
    """The caller's parameters at the schema's defaults (calibrated penalties included)."""
    props = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())["properties"]
    dflt = {k: {kk: vv.get("default") for kk, vv in props[k]["properties"].items()} for k in ("caller", "qc")}
    return cparams.CallerParams.from_config(dflt["caller"], dflt["qc"],
                                            annotation.read_tsv(ROOT / "resources" / "penalty_calibration.tsv"))


def add_oracles(ps: pd.DataFrame, truth: pd.DataFrame, outdir: Path, fpr: float) -> pd.DataFrame:
    """The oracle columns of one tool's per-sample table (None where no window_bins.tsv):
    location and scan oracles (IKZF1), the type oracle (deleted tumours), and the scan
    oracle of each truly deleted co-deletion gene in tumours of >= 30% blasts (scan_<gene>)."""
    ev = dict(zip(truth["sample"], truth.get("ikzf1_events", pd.Series(["none"] * len(truth)))))
    cp, groups = caller_params(), codeletion_groups()
    rows = []
    for r in ps.itertuples(index=False):
        path = outdir / "samples" / r.sample / "window_bins.tsv"
        row = oracles.sample_oracles(path, ev.get(r.sample, "none"), fpr, seed=1)
        row["type_oracle"] = oracles.type_oracle(path, r.cell_fraction, cp.model_for) if r.truth_deleted else None
        row["bayes_type_oracle"] = oracles.bayes_type_oracle(path, r.cell_fraction, cp.model_for,
                                                             cohorts.ikzf1_type_probs()) if r.truth_deleted else None
        for g, grp in groups.items():
            hit = getattr(r, f"{g}_t") not in ("none", "NA") and r.blast >= scores.CODEL_MIN_BLAST
            row[f"scan_{g}"] = oracles.codeletion_scan(path, grp, fpr, seed=1) if hit else None
        rows.append(row)
    return pd.concat([ps.reset_index(drop=True), pd.DataFrame(rows, dtype=object)], axis=1)


def codeletion_groups() -> dict:
    """Each co-deletion gene of the call table (not IKZF1, not PAR1) -> its model group's key."""
    rules = annotation.load_rules(ROOT / "resources" / "rules.yaml")
    key = {g: "+".join(grp) for grp in annotation.model_groups(rules) for g in grp}
    return {g: key[g] for g, kind in rules["genes"].items() if kind not in ("exons", "par1")}


def honesty(ps: pd.DataFrame, dirs: dict) -> dict:
    """Per design: SD of log2/se over the wild-type IKZF1 windows of ikzf1-cnv."""
    out = {}
    for design in dict.fromkeys(ps["design"]):
        p = ps[(ps["design"] == design) & (ps["tool"] == "ikzf1-cnv") & ~ps["truth_deleted"]]
        paths = [dirs[(r.cohort, design)] / "ikzf1cnv" / "samples" / r.sample / "window_bins.tsv"
                 for r in p.itertuples()]
        sd, n = oracles.se_honesty(paths)
        if n:
            out[design] = (sd, n)
    return out


def score_cohort(d: Path, name: str, design: str, a, baseline, timing, fpr) -> list:
    truth = pd.read_csv(d / "truth.tsv", sep="\t", dtype=str, keep_default_na=False)
    build = yaml.safe_load((d / "config.yaml").read_text())["genome"]
    out = []
    runs = [("ikzf1-cnv", ROOT, "ikzf1cnv")] + ([("baseline", baseline, "baseline")] if baseline else [])
    for tool, root, sub in runs:
        log(f"{name}/{design}: {tool}")
        el, calls = tools.run_ikzf1cnv(d, a.cores, root, sub)
        ps = bench.per_sample(calls, truth).assign(tool=tool, cohort=name, design=design)
        out.append(add_oracles(ps, truth, d / sub, fpr))
        timing.append((f"{name}/{design}", tool, el))
    for m in [] if a.no_cnvkit else (["hmm", "cbs"] if a.cbs else ["hmm"]):
        log(f"{name}/{design}: cnvkit batch ({m})")
        el, calls = tools.cnvkit_calls(d, build, m, a.cores, a.reuse_cnvkit)
        out.append(bench.per_sample(calls, truth).assign(tool=f"cnvkit-{m}", cohort=name, design=design))
        timing.append((f"{name}/{design}", f"cnvkit-{m}", el))
    return out


def cohort_dirs(a, name: str, timing) -> dict:
    """Simulate (or reuse) a cohort: {design: folder}."""
    build, n_t, n_n, kind, share, i = COHORTS[name]
    if a.quick:
        n_t, n_n = QUICK.get(name, (max(6, n_t // 3), n_n))
    designs = a.designs.split(",") if kind in ("panel", "null") else ["legacy"]
    base = a.outdir / name
    todo = [x for x in designs if a.resimulate or not (base / x / "truth.tsv").is_file()]
    if todo:
        log(f"{name}: simulating {n_t} tumours + {n_n} normals ({build}) on {', '.join(todo)}")
        t = time.time()
        simulation.make_cohort(base, name, build, n_t, n_n, kind, share, todo, a.seed + 100 * i, a.cores)
        timing.append((name, "simulation (" + ",".join(todo) + ")", time.time() - t))
    else:
        log(f"{name}: reusing the simulated cohort in {base}")
    return {x: base / x for x in designs}


def rescore(outdir: Path):
    """The Bayes type oracle added to an earlier run's per_sample.tsv (its cohorts' window
    files read again; nothing simulated or called), and its summary written again."""
    ps = pd.read_csv(outdir / "per_sample.tsv", sep="\t", keep_default_na=False, na_values=[""])
    sub = {"ikzf1-cnv": "ikzf1cnv", "baseline": "baseline"}
    cp, probs = caller_params(), cohorts.ikzf1_type_probs()
    ps["bayes_type_oracle"] = [
        oracles.bayes_type_oracle(outdir / r.cohort / r.design / sub[r.tool] / "samples" / r.sample / "window_bins.tsv",
                                  r.cell_fraction, cp.model_for, probs)
        if r.tool in sub and r.truth_deleted else None for r in ps.itertuples()]
    ps.to_csv(outdir / "per_sample.tsv", sep="\t", index=False)
    dirs = {(c, d): outdir / c / d for c, d in dict.fromkeys(zip(ps["cohort"], ps["design"]))}
    summary.write_summary(ps, json.loads((outdir / "timing.json").read_text()), outdir, honesty(ps, dirs))
    log(f"rescored: {outdir / 'summary.md'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="fewer samples per cohort")
    ap.add_argument("--cohorts", default=",".join(PANEL_COHORTS), help=f"any of {', '.join(COHORTS)}")
    ap.add_argument("--designs", default="intron_tiled,exon_only", help="panel designs of the panel cohorts")
    ap.add_argument("--no-cnvkit", action="store_true")
    ap.add_argument("--cbs", action="store_true", help="also CNVkit with cbs (needs R's DNAcopy)")
    ap.add_argument("--baseline-rev", help="also run this git revision of the workflow (tool 'baseline')")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--reuse-cnvkit", action="store_true",
                    help="score CNVkit's earlier calls (cnvkit_<method>_calls.tsv) instead of running it again")
    ap.add_argument("--rescore", action="store_true",
                    help="only add the Bayes type oracle to OUTDIR's earlier run and write its summary again")
    ap.add_argument("--resimulate", action="store_true", help="simulate again even if the cohort exists")
    a = ap.parse_args()
    if a.rescore:
        return rescore(a.outdir)
    a.outdir.mkdir(parents=True, exist_ok=True)
    allps, timing, dirs, fpr = [], [], {}, caller_fpr()
    with tempfile.TemporaryDirectory(prefix="ikzf1cnv-baseline-") as tmp:
        baseline = tools.baseline_worktree(ROOT, a.baseline_rev, Path(tmp) / "wt") if a.baseline_rev else None
        try:
            for name in COHORTS:
                if name in a.cohorts.split(","):
                    for design, d in cohort_dirs(a, name, timing).items():
                        dirs[(name, design)] = d
                        allps += score_cohort(d, name, design, a, baseline, timing, fpr)
        finally:
            if baseline:
                subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    ps = pd.concat(allps, ignore_index=True)
    ps.to_csv(a.outdir / "per_sample.tsv", sep="\t", index=False)
    (a.outdir / "timing.json").write_text(json.dumps(timing, indent=1))
    summary.write_summary(ps, timing, a.outdir, honesty(ps, dirs))
    log(f"done: {a.outdir / 'summary.md'}")


if __name__ == "__main__":
    main()
