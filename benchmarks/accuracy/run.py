#!/usr/bin/env python3
"""Accuracy benchmark: simulated cohorts with known truth, scored for ikzf1-cnv and for
plain `cnvkit.py batch` (hmm segmentation, CNVkit's default call thresholds).

    python benchmarks/accuracy/run.py --outdir bench/accuracy            # full (~1 h on 2 cores)
    python benchmarks/accuracy/run.py --outdir bench/accuracy --quick    # a third of the samples

Writes, under --outdir: one folder per cohort (panel, BAMs, sheet, truth, both tools'
outputs) and summary.md / scores.tsv / per_sample.tsv with the scores side by side.
Deterministic for a given --seed.
"""
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
sys.path.insert(0, str(ROOT / "workflow"))

from ikzf1cnv import annotation, bench, cohort, simulate  # noqa: E402

PANEL_GENES = ["IKZF1", "CDKN2A", "CDKN2B", "PAX5", "ERG", "EBF1", "ETV6", "BTG1", "RB1", "CRLF2", "CSF2RA",
               "IL3RA", "P2RY8"]
RATES = {"ikzf1": 0.45, "subclonal": 0.2, "biallelic": 0.08, "large_del18": 0.5, "monosomy7": 0.15,
         "cdkn2a": 0.3, "cdkn2a_hom": 0.6, "cdkn2b_with_a": 0.7, "pax5": 0.25, "pax5_whole": 0.4, "par1": 0.1,
         "erg": 0.06, "ebf1": 0.05, "etv6": 0.15, "btg1": 0.08, "rb1": 0.08, "hyperdiploid": 0.15}
SIM = {"read_length": 100, "gc_slope_sd": 0.15, "overdispersion_cv": 0.05, "offtarget_per_mb": 5,
       "lowmapq_rate": 0.02, "dup_rate": 0.1, "backbone_per_chrom": 8, "backbone_size": 300, "max_target": 600}
COHORTS = [  # name, build, tumours, normals, kind
    ("main_hg38", "hg38", 60, 8, "random"),
    ("few_normals", "hg38", 24, 2, "random"),
    ("no_normals", "hg38", 24, 0, "random"),
    ("hg19", "hg19", 24, 6, "random"),
    ("low_fraction", "hg38", 30, 6, "low"),
]


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# Settings for the simulated BAMs, as for the toy cohort (config/config.yaml): they carry
# few off-target reads, so off-target bins are 1 Mb.
SIM_CONFIG = {"antitarget_avg_size": 1_000_000}


def make_cohort(d: Path, name, build, n_t, n_n, kind, seed):
    rng = np.random.default_rng(seed)
    res = ROOT / "resources"
    units = annotation.load_units(res, build)
    contigs = annotation.load_contigs(res, build)
    reg = annotation.load_regions(res, build)
    par1 = tuple(reg[reg["region"] == "PAR1"][["chrom", "start", "end"]].iloc[0])
    chroms = [c for c in contigs if c != "chrY"]
    panel = annotation.loci_panel(units[units["gene"].isin(PANEL_GENES)], contigs, SIM["backbone_per_chrom"],
                                  SIM["backbone_size"], SIM["max_target"], chroms)
    d.mkdir(parents=True, exist_ok=True)
    (d / "bams").mkdir(exist_ok=True)
    panel.to_csv(d / "panel.bed", sep="\t", header=False, index=False)
    rules = annotation.load_rules(res / "rules.yaml")
    specs = [{"sample": f"N{i + 1:02d}", "type": "normal", "sex": "female" if i % 2 == 0 else "male",
              "blast": 0.0, "depth": 300, "events": [], "subtype": "unknown", "age_group": ""} for i in range(n_n)]
    for i in range(n_t):
        s = simulate.random_tumour(f"T{i + 1:03d}", rng, RATES)
        if kind == "low":
            s["depth"] = int(rng.choice([500, 1000]))
            if i < (2 * n_t) // 3:  # deleted at 10% of cells, clonal
                s["blast"] = 0.10
                s["events"] = [e for e in s["events"] if not (e.get("gene") == "IKZF1" or e.get("monosomy"))]
                a, b = simulate._pick(rng, [t for t in simulate.IKZF1_TYPES if t[0]])
                s["events"].append({"gene": "IKZF1", "exons": [a, b], "copies": -1})
            else:
                s["events"] = [e for e in s["events"] if not (e.get("gene") == "IKZF1" or e.get("monosomy"))]
        specs.append(s)
    sheet, truth = [], []
    for s in specs:
        ev = simulate.events_from_spec(s, units, contigs, s["blast"], rng)
        reads = simulate.simulate_reads(panel, contigs, s["sex"], par1, ev, s["depth"],
                                        simulate.seed_of(name + s["sample"], seed), SIM["read_length"], seed + 7,
                                        gc_slope_sd=SIM["gc_slope_sd"], overdispersion_cv=SIM["overdispersion_cv"],
                                        offtarget_per_mb=SIM["offtarget_per_mb"], lowmapq_rate=SIM["lowmapq_rate"])
        bam = d / "bams" / f"{s['sample']}.bam"
        simulate.write_bam(str(bam), s["sample"], contigs, reads, SIM["read_length"],
                           simulate.seed_of(name + s["sample"], seed + 1), dup_rate=SIM["dup_rate"])
        bp = simulate.sheet_blast(s["blast"], rng, 0.6, 0.25, 10.0) if s["type"] == "tumor" else None
        sheet.append({"sample": s["sample"], "bam": str(bam), "type": s["type"], "subtype": s["subtype"],
                      "age_group": s["age_group"], "blast_pct": "" if bp is None else str(bp), "sex": s["sex"]})
        if s["type"] == "tumor":
            truth.append(bench.truth_row(s, units, ev, rules))
    pd.DataFrame(sheet).to_csv(d / "samples.tsv", sep="\t", index=False)
    pd.DataFrame(truth).to_csv(d / "truth.tsv", sep="\t", index=False)
    (d / "specs.json").write_text(json.dumps(specs, indent=1))
    cfg = {"samples": str(d / "samples.tsv"), "genome": build, "targets": str(d / "panel.bed"),
           "outdir": str(d / "ikzf1cnv"), "reference_table": str(res / "reference_frequencies.tsv"),
           **SIM_CONFIG}
    (d / "config.yaml").write_text(yaml.safe_dump(cfg))
    return units, rules


def run_ikzf1cnv(d: Path, cores: int):
    shutil.rmtree(d / "ikzf1cnv", ignore_errors=True)  # a fresh run, whatever ran before
    cmd = [sys.executable, "-m", "snakemake", str(d / "ikzf1cnv" / "cohort" / "ikzf1_calls.tsv"), "--cores",
           str(cores), "--quiet", "rules", "--configfile", str(d / "config.yaml")]
    t = time.time()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=open(d / "ikzf1cnv.log", "w"), stderr=subprocess.STDOUT)
    return time.time() - t, pd.read_csv(d / "ikzf1cnv" / "cohort" / "ikzf1_calls.tsv", sep="\t", dtype=str,
                                        keep_default_na=False)


def run_cnvkit(d: Path, build: str, units, rules, cores: int, method: str):
    sheet = pd.read_csv(d / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    out = d / f"cnvkit_{method}"
    tum = [r.bam for r in sheet.itertuples() if r.type == "tumor"]
    nor = [r.bam for r in sheet.itertuples() if r.type == "normal"]
    cmd = ["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets", str(d / "panel.bed"),
           "--segment-method", method, "-p", str(cores), "--output-dir", str(out),
           "--diploid-parx-genome", rules["cnvkit_par_genome"][build]]
    t = time.time()
    subprocess.run(cmd, check=True, stdout=open(d / f"cnvkit_{method}.log", "w"), stderr=subprocess.STDOUT)
    el = time.time() - t
    u = units[units["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]
    recs = []
    for r in sheet.itertuples():
        if r.type != "tumor":
            continue
        seg = pd.read_csv(out / f"{r.sample}.call.cns", sep="\t")
        st = bench.cnvkit_unit_states(seg, u)
        recs.append(bench.record_from_states(r.sample, r.subtype or "unknown", st, rules))
    return el, cohort.calls_table(recs, rules, "any")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="a third of the samples per cohort")
    ap.add_argument("--cohorts", default=",".join(c[0] for c in COHORTS))
    ap.add_argument("--no-cnvkit", action="store_true")
    ap.add_argument("--cbs", action="store_true", help="also CNVkit with cbs (needs R's DNAcopy)")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--reuse-cnvkit", action="store_true",
                    help="score CNVkit's earlier calls (cnvkit_<method>_calls.tsv) instead of running it again")
    ap.add_argument("--resimulate", action="store_true", help="simulate again even if the cohort exists")
    a = ap.parse_args()
    want = a.cohorts.split(",")
    allps = []
    timing = []
    for i, (name, build, n_t, n_n, kind) in enumerate(COHORTS):
        if name not in want:
            continue
        if a.quick:
            n_t = max(6, n_t // 3)
        d = a.outdir / name
        if (d / "truth.tsv").is_file() and not a.resimulate:
            log(f"{name}: reusing the simulated cohort in {d}")
            cfg = yaml.safe_load((d / "config.yaml").read_text())
            if any(cfg.get(k) != v for k, v in SIM_CONFIG.items()):
                (d / "config.yaml").write_text(yaml.safe_dump({**cfg, **SIM_CONFIG}))
            units = annotation.load_units(ROOT / "resources", build)
            rules = annotation.load_rules(ROOT / "resources" / "rules.yaml")
        else:
            log(f"{name}: simulating {n_t} tumours + {n_n} normals ({build})")
            units, rules = make_cohort(d, name, build, n_t, n_n, kind, a.seed + 100 * i)
        truth = pd.read_csv(d / "truth.tsv", sep="\t", dtype=str, keep_default_na=False)
        log(f"{name}: ikzf1-cnv")
        el, calls = run_ikzf1cnv(d, a.cores)
        ps = bench.per_sample(calls, truth).assign(tool="ikzf1-cnv", cohort=name)
        allps.append(ps)
        timing.append((name, "ikzf1-cnv", el))
        methods = [] if a.no_cnvkit else (["hmm", "cbs"] if a.cbs else ["hmm"])
        for m in methods:
            if a.reuse_cnvkit and (d / f"cnvkit_{m}_calls.tsv").is_file():
                log(f"{name}: reusing cnvkit batch ({m}) calls")
                calls = pd.read_csv(d / f"cnvkit_{m}_calls.tsv", sep="\t", dtype=str, keep_default_na=False)
                el = float("nan")
            else:
                log(f"{name}: cnvkit batch ({m})")
                el, calls = run_cnvkit(d, build, units, rules, a.cores, m)
                calls.to_csv(d / f"cnvkit_{m}_calls.tsv", sep="\t", index=False)
            allps.append(bench.per_sample(calls, truth).assign(tool=f"cnvkit-{m}", cohort=name))
            timing.append((name, f"cnvkit-{m}", el))
    ps = pd.concat(allps, ignore_index=True)
    ps.to_csv(a.outdir / "per_sample.tsv", sep="\t", index=False)
    write_summary(ps, timing, a.outdir)
    log(f"done: {a.outdir / 'summary.md'}")


def fmt(v):
    if isinstance(v, float):
        return "-" if v != v else f"{100 * v:.1f}%"
    return str(v)


def table(rows: list[dict], cols: list[str]) -> str:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |")
    return "\n".join(out)


def write_summary(ps: pd.DataFrame, timing, outdir: Path):
    tools = list(dict.fromkeys(ps["tool"]))
    md = ["# Accuracy benchmark", ""]
    cols = ["tool", "n", "not_evaluable", "n_deleted", "sensitivity", "specificity", "type_exact", "exons_exact",
            "biallelic_exact", "ikzf1plus_ok", "ikzf1plus_fp", "ikzf1plus_fn"] + bench.GENES
    rows = [{"tool": t, **bench.summarise(ps[ps["tool"] == t])} for t in tools]
    md += ["## All cohorts", "", table(rows, cols), ""]
    md += ["## Targets", ""]
    trows = [{"tool": t, **bench.targets(ps[ps["tool"] == t])} for t in tools]
    tcols = list(trows[0].keys())
    md += [table([{c: r[c] for c in tcols} for r in trows], tcols), ""]
    for key, label in (("cohort", "By cohort"), ("band", "By blast fraction"), ("depth", "By depth")):
        md += [f"## {label}", ""]
        rows = []
        p2 = ps.assign(band=ps["blast"].map(bench.band_of))
        for val in sorted(p2[key].unique(), key=lambda x: (str(type(x)), x)):
            for t in tools:
                sub = p2[(p2[key] == val) & (p2["tool"] == t)]
                rows.append({key: val, "tool": t, **bench.summarise(sub)})
        md += [table(rows, [key] + cols[:10] + ["CDKN2A", "PAX5"]), ""]
    fp = ps[(ps["ikzf1plus"] == "yes") & (ps["ikzf1plus_t"] != "yes") & ps["evaluable"]]
    md += ["## IKZF1plus false positives", ""]
    md += [f"- {r.tool} {r.cohort}/{r.sample}" for r in fp.itertuples()] or ["- none"]
    md += ["", "## Wall time", ""] + [f"- {c} {t}: {s:.0f} s" if s == s else f"- {c} {t}: calls reused from an earlier run"
                                          for c, t, s in timing]
    (outdir / "summary.md").write_text("\n".join(md) + "\n")
    pd.DataFrame(rows).to_csv(outdir / "scores.tsv", sep="\t", index=False)


if __name__ == "__main__":
    main()
