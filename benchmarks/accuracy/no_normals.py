"""No-normals benchmark arm (issue 19): cohorts pooled without normals, most of them deleted.

Cohorts of 10 and 30 tumours in which 30%, 50%, 70% or 90% carry an IKZF1 deletion (in
20-100% of cells, types at the literature's rates) and, independently, the same share a
CDKN2A/B deletion (homozygous or heterozygous, CDKN2B with it or not), as Ph+ and high-risk
cohorts are; the rest of each tumour as the accuracy benchmark's panel cohorts (co-deletions,
hyperdiploidy, noise, 15-35% of reads off target), on the intron-tiled panel. Each cohort is
run twice on the same BAMs: with 6 normals (a pooled reference) and without (the tumours
pooled), and scored against the truth and against each other:

    python benchmarks/accuracy/no_normals.py --outdir bench/no_normals

It writes results.md (the table in docs/accuracy.md), results.tsv and per_sample.tsv. The
claim measured: without normals, no false IKZF1 call and no false IKZF1plus at any deleted
share; every call the same as with normals or not_evaluable.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import cohorts  # noqa: E402
import simulation  # noqa: E402
from simlib import bench, simulate  # noqa: E402

SIZES, SHARES = (10, 30), (0.3, 0.5, 0.7, 0.9)
N_NORMALS = 6
BANDS = cohorts.CF_BANDS[3:]       # IKZF1 deletions in 20-100% of cells: what a pool must not hide
COLUMNS = ["status", "ikzf1_deletion", "CDKN2A", "CDKN2B", "ikzf1plus"]


def specs(n_t: int, share: float, seed: int) -> list[dict]:
    """6 normals, then n_t tumours: round(share n_t) with an IKZF1 deletion, an independent
    round(share n_t) with a CDKN2A/B deletion (half homozygous; CDKN2B with it in 70%)."""
    rng = np.random.default_rng(seed)
    rates = {**simulation.RATES, "cdkn2a": 0.0}
    out = [cohorts.normal_spec(f"N{i + 1:02d}", rng, i) for i in range(N_NORMALS)]
    k = int(round(share * n_t))
    ik, cd = set(rng.permutation(n_t)[:k].tolist()), set(rng.permutation(n_t)[:k].tolist())
    for i in range(n_t):
        band = BANDS[i % len(BANDS)] if i in ik else None
        s = cohorts.panel_tumour(f"T{i + 1:03d}", rng, rates, band)
        if i in cd:
            both = rng.random() < 0.7
            s["events"].append({"gene": "CDKN2A", "exons": [1, 4], "copies": -2 if rng.random() < 0.5 else -1,
                                "extend": 20000 if both else 3000})
        out.append(s)
    return out


def make(d: Path, n_t: int, share: float, seed: int, cores: int):
    """Simulate the cohort into d (BAMs, truth, the sheet with normals) and write the
    no-normals sheet and both configs."""
    r = simulation.resources("hg38")
    sp = specs(n_t, share, seed)
    events, sheet_bp, truth = [], [], []
    for s in sp:
        own = np.random.default_rng(simulate.seed_of(d.name + s["sample"], seed + 2))
        ev = simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"], own, r["arms"])
        events.append(ev)
        sheet_bp.append(cohorts.sheet_blast(s["blast"], own, 0.6, 0.25, 10.0) if s["type"] == "tumor" else None)
        if s["type"] == "tumor":
            truth.append(bench.truth_row(s, r["units"], ev, r["rules"], arms=r["arms"], contigs=r["contigs"]))
    units = r["units"][r["units"]["gene"].isin(simulation.PANEL_GENES)]
    sim = simulation.PANEL_SIM
    chroms = [c for c in r["contigs"] if c != "chrY"]
    panel = simulate.design_panel(units, r["introns"], r["contigs"], "intron_tiled", chroms, sim["backbone_spacing"],
                                  sim["backbone_size"], sim["max_target"], sim["tile_spacing"], sim["tile_size"])
    simulation.write_folder(d, d.name, "hg38", r, panel, sp, events, sheet_bp, truth, seed, sim, cores)
    sheet = pd.read_csv(d / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    sheet[sheet["type"] == "tumor"].to_csv(d / "samples_nonormals.tsv", sep="\t", index=False)
    cfg = yaml.safe_load((d / "config.yaml").read_text())
    (d / "config_nonormals.yaml").write_text(yaml.safe_dump({**cfg, "samples": str(d / "samples_nonormals.tsv")}))


def run(d: Path, config: str, sub: str, cores: int) -> tuple[float, pd.DataFrame]:
    out = d / sub
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "snakemake", str(out / "cohort" / "ikzf1_calls.tsv"), "--cores", str(cores),
           "--quiet", "rules", "--configfile", str(d / config), "--config", f"outdir={out}"]
    t = time.time()
    with open(d / f"{sub}.log", "w") as fh:
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=fh, stderr=subprocess.STDOUT)
    return time.time() - t, pd.read_csv(out / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str,
                                        keep_default_na=False)


def score(calls: pd.DataFrame, truth: pd.DataFrame, other: pd.DataFrame | None) -> dict:
    """One run against the truth (and, without normals, against the run with them): IKZF1
    deletions found and typed exactly, false IKZF1 calls and IKZF1plus, genes not evaluable,
    calls that differ from the normals' run where both are evaluable."""
    m = truth.set_index("sample").join(calls.set_index("sample"), rsuffix="_c")
    ev = m["status_c"] != "not_evaluable"
    deleted = m["status"] == "deleted"
    out = {"tumours": len(m), "deleted": int(deleted.sum()),
           "found": int((deleted & (m["status_c"] == "deleted")).sum()),
           "exact_type": int((deleted & (m["ikzf1_deletion_c"] == m["ikzf1_deletion"])).sum()),
           "false_ikzf1": int((~deleted & (m["status_c"] == "deleted")).sum()),
           "false_ikzf1plus": int(((m["ikzf1plus_c"] == "yes") & (m["ikzf1plus"] != "yes")).sum()),
           "ikzf1_not_evaluable": int((~ev).sum()),
           "cdkn2a_right": int((m["CDKN2A_c"] == m["CDKN2A"]).sum()),
           "cdkn2a_na": int((m["CDKN2A_c"] == "NA").sum()),
           "ikzf1plus_na": int(((m["ikzf1plus_c"] == "NA") & (m["ikzf1plus"] != "NA")).sum())}
    if other is not None:
        o = other.set_index("sample").loc[m.index]
        c = calls.set_index("sample").loc[m.index]
        differ = pd.Series(False, index=m.index)
        for col in COLUMNS:
            differ |= (c[col] != o[col]) & (c[col] != "NA") & (o[col] != "NA")
        out["differ_from_normals"] = int(differ.sum())
        out["differing"] = ",".join(m.index[differ])
    return out


def md(rows: list[dict]) -> str:
    head = ["tumours", "deleted share", "reference", "IKZF1 found", "exact type", "false IKZF1 calls",
            "false IKZF1plus", "IKZF1 not evaluable", "CDKN2A right", "CDKN2A NA", "IKZF1plus NA",
            "calls differing from the normals' run"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(x) for x in (
            r["tumours"], f"{r['share']:.0%}", r["mode"], f"{r['found']}/{r['deleted']}",
            f"{r['exact_type']}/{r['deleted']}", r["false_ikzf1"], r["false_ikzf1plus"], r["ikzf1_not_evaluable"],
            f"{r['cdkn2a_right']}/{r['tumours']}", r["cdkn2a_na"], r["ikzf1plus_na"],
            r.get("differ_from_normals", ""))) + " |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--shares", default=",".join(map(str, SHARES)))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    a.outdir.mkdir(parents=True, exist_ok=True)
    rows, per = [], []
    for n in map(int, a.sizes.split(",")):
        for share in map(float, a.shares.split(",")):
            d = a.outdir / f"n{n}_share{int(share * 100)}"
            if not (d / "truth.tsv").is_file():
                print(f"simulating {d.name}", flush=True)
                make(d, n, share, a.seed + n * 100 + int(share * 100), a.cores)
            truth = pd.read_csv(d / "truth.tsv", sep="\t", dtype=str, keep_default_na=False)
            t1, with_n = run(d, "config.yaml", "with_normals", a.cores)
            t2, without = run(d, "config_nonormals.yaml", "no_normals", a.cores)
            for mode, calls, other, t in (("normals", with_n, None, t1), ("tumours pooled", without, with_n, t2)):
                rows.append({"tumours": n, "share": share, "mode": mode, "wall_s": round(t, 1),
                             **score(calls, truth, other)})
                per.append(calls.assign(cohort=d.name, mode=mode))
            print(md(rows[-2:]), flush=True)
    pd.DataFrame(rows).to_csv(a.outdir / "results.tsv", sep="\t", index=False)
    pd.concat(per).to_csv(a.outdir / "per_sample.tsv", sep="\t", index=False)
    (a.outdir / "results.md").write_text(md(rows))
    (a.outdir / "results.json").write_text(json.dumps(rows, indent=1))
    print(f"done: {a.outdir / 'results.md'}")


if __name__ == "__main__":
    main()
