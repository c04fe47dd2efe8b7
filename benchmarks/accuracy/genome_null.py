"""Null genome arm (issue 19): 30x genomes without any deletion, and coverage waves.

24 tumours and 6 normals, simulated as the toy's genome arm (simlib/genome.py: reads where
the workflow looks, a GC-like covariate shared by the genome whose slope differs by sample)
plus a bias field of each sample's own that is correlated between neighbouring 1 kb bins
(`--waves SD,CORR`: coverage waves; no normal shares it, so neither the reference nor the
denoising removes it). Nothing is deleted: every gene call is false. Run in whole-genome
mode; the false gene calls per gene window are set against the rate the evidence threshold
is calibrated to (caller.false_positive_rate, 0.001 per window):

    python benchmarks/accuracy/genome_null.py --outdir bench/genome_null
    python benchmarks/accuracy/genome_null.py --outdir bench/genome_null --root /path/to/older/checkout --sub before

(`--root`: run another checkout of the workflow on the same BAMs, into `--sub`). Writes
results.md and results.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "toy"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "workflow"))
import make_toy_cohort  # noqa: E402
from ikzf1cnv.core import annotation  # noqa: E402

GENES = annotation.gene_columns(annotation.load_rules(ROOT / "resources" / "rules.yaml"))
WILD = {"status": "wildtype", "ikzf1_deletion": "none", "ikzf1_exons_deleted": "", "ikzf1plus": "no",
        "ukall_cna": "good"}


def spec(n_tumours: int, n_normals: int, waves: tuple[float, float], gc_slope_sd: float) -> dict:
    """The toy genome arm's settings with null samples: no events, 28-32x."""
    base = yaml.safe_load((ROOT / "resources" / "toy" / "genome.yaml").read_text())
    samples = [{"sample": f"GN{i + 1}", "type": "normal", "sex": "female" if i % 2 == 0 else "male",
                "depth": 28 + i % 5} for i in range(n_normals)]
    samples += [{"sample": f"GT{i + 1:02d}", "subtype": "B-other", "age_group": "pediatric",
                 "sex": "female" if i % 2 == 0 else "male", "blast_pct": 80, "depth": 28 + i % 5, "events": [],
                 "truth": dict(WILD)} for i in range(n_tumours)]
    return {**base, "samples": samples, "waves": list(waves), "gc_slope_sd": gc_slope_sd}


def run(root: Path, cfg: Path, out: Path, cores: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "rules", "--configfile", str(cfg),
           "--config", f"outdir={out}"]
    t = time.time()
    with open(out.parent / f"{out.name}.log", "w") as fh:
        subprocess.run(cmd, cwd=root, check=True, stdout=fh, stderr=subprocess.STDOUT)
    return time.time() - t


def false_calls(calls: pd.DataFrame) -> dict:
    """Every gene call of a null cohort is false: per gene, and IKZF1's."""
    ev = calls[calls["status"] != "not_evaluable"]
    per_gene = {g: int((~ev[g].isin(["none", "NA"])).sum()) for g in GENES}
    per_gene["IKZF1"] = int((ev["status"] == "deleted").sum())
    windows = len(ev) * (len(GENES) + 1)
    total = sum(per_gene.values())
    return {"tumours": len(calls), "evaluable": len(ev), "gene_windows": windows, "false_calls": total,
            "rate": total / windows if windows else float("nan"), "per_gene": per_gene,
            "samples": ",".join(ev["sample"][ev[GENES].apply(lambda r: (~r.isin(["none", "NA"])).any(), axis=1)
                                            | (ev["status"] == "deleted")])}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--tumours", type=int, default=24)
    ap.add_argument("--normals", type=int, default=6)
    ap.add_argument("--waves", default="0.08,0.9", help="SD and neighbour correlation of each sample's own bias field")
    ap.add_argument("--gc-slope-sd", type=float, default=0.1)
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout of the workflow to run")
    ap.add_argument("--sub", default="ikzf1cnv", help="its output folder's name")
    ap.add_argument("--cores", type=int, default=2)
    a = ap.parse_args()
    d = a.outdir / "cohort"
    waves = tuple(float(x) for x in a.waves.split(","))
    if not (d / "truth.tsv").is_file():
        sp = spec(a.tumours, a.normals, waves, a.gc_slope_sd)
        d.mkdir(parents=True, exist_ok=True)
        (a.outdir / "spec.yaml").write_text(yaml.safe_dump(sp))
        make_toy_cohort.make_cohort(sp, d, d / "samples.tsv", a.outdir / "spec.yaml", processes=a.cores)
    cfg = a.outdir / "config.yaml"
    wgs = yaml.safe_load((ROOT / "config" / "genome.yaml").read_text())["wgs"]
    cfg.write_text(yaml.safe_dump({"samples": str(d / "samples.tsv"), "genome": "hg38", "targets": None,
                                   "outdir": str(a.outdir / a.sub), "wgs": wgs}))
    el = run(a.root, cfg, a.outdir / a.sub, a.cores)
    calls = pd.read_csv(a.outdir / a.sub / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str, keep_default_na=False)
    res = {"run": a.sub, "root": str(a.root), "wall_s": round(el, 1), "waves": waves, **false_calls(calls)}
    (a.outdir / f"results_{a.sub}.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
