"""Simulating the accuracy benchmark's cohorts: specs (cohorts.py), events, truth, and per
panel design the panel BED, BAMs, sample sheet and workflow config (simlib.simulate)."""
from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from ikzf1cnv.core import annotation
from simlib import bench, panels, simulate  # noqa: E402

import cohorts  # noqa: E402

# every modelled gene's exons (rules.yaml: the called genes and PAR1's context)
PANEL_GENES = annotation.modelled_genes(annotation.load_rules(ROOT / "resources" / "rules.yaml"))
RATES = {"ikzf1": 0.45, "subclonal": 0.2, "biallelic": 0.08, "large_del18": 0.5, "monosomy7": 0.15,
         "cdkn2a": 0.3, "cdkn2a_hom": 0.6, "cdkn2b_with_a": 0.7, "pax5": 0.25, "pax5_whole": 0.4, "par1": 0.1,
         "erg": 0.06, "ebf1": 0.05, "etv6": 0.15, "btg1": 0.08, "rb1": 0.08, "hyperdiploid": 0.15}
# The legacy cohorts' simulation (8 backbone probes per chromosome, a fixed off-target rate).
SIM = {"read_length": 100, "gc_slope_sd": 0.15, "overdispersion_cv": 0.05, "offtarget_per_mb": 5,
       "lowmapq_rate": 0.02, "dup_rate": 0.1, "backbone_per_chrom": 8, "backbone_size": 300, "max_target": 600}
# The panel cohorts': a probe every 2.5 Mb (about 1,200; 23 on 7p) and 15-35% of the reads
# off target; 1 Mb backbone spacing is more like real panels but triples the BAM writing.
PANEL_SIM = {**SIM, "read_length": 150, "backbone_spacing": 2_500_000, "tile_spacing": 3000, "tile_size": 120}
# Off-target bins of 1 Mb for the legacy cohorts (few off-target reads), as for the toy
# cohort (config/config.yaml); the panel cohorts run with the default (150 kb), as a user would.
SIM_CONFIG = {"antitarget_avg_size": 1_000_000}


def resources(build: str) -> dict:
    res = ROOT / "resources"
    reg = annotation.load_regions(res, build)
    return {"units": annotation.load_units(res, build), "contigs": annotation.load_contigs(res, build),
            "par1": tuple(reg[reg["region"] == "PAR1"][["chrom", "start", "end"]].iloc[0]),
            "arms": annotation.read_tsv(res / build / "arms.tsv"),
            "introns": annotation.read_tsv(res / build / "introns.tsv"),
            "rules": annotation.load_rules(res / "rules.yaml")}


def legacy_specs(n_t: int, n_n: int, kind: str, rng) -> list[dict]:
    specs = [{"sample": f"N{i + 1:02d}", "type": "normal", "sex": "female" if i % 2 == 0 else "male",
              "blast": 0.0, "depth": 300, "events": [], "subtype": "unknown", "age_group": ""} for i in range(n_n)]
    for i in range(n_t):
        s = cohorts.random_tumour(f"T{i + 1:03d}", rng, RATES)
        if kind == "low":
            s["depth"] = int(rng.choice([500, 1000]))
            s["events"] = [e for e in s["events"] if not (e.get("gene") == "IKZF1" or e.get("monosomy"))]
            if i < (2 * n_t) // 3:  # deleted at 10% of cells, clonal
                s["blast"] = 0.10
                a, b = cohorts.pick(rng, [t for t in cohorts.IKZF1_TYPES if t[0]])
                s["events"].append({"gene": "IKZF1", "exons": [a, b], "copies": -1})
        specs.append(s)
    return specs


def one_bam(d: Path, name: str, r: dict, panel: pd.DataFrame, s: dict, ev: list, seed: int, sim: dict) -> Path:
    """Simulate one sample's reads on the panel and write its BAM (own seeds: order-free)."""
    nz = s.get("noise", {})
    kw = {"gc_slope_sd": nz.get("gc_slope_sd", sim["gc_slope_sd"]),
          "overdispersion_cv": nz.get("overdispersion_cv", sim["overdispersion_cv"]),
          "lowmapq_rate": sim["lowmapq_rate"]}
    kw.update({"offtarget_fraction": nz["offtarget_fraction"]} if "offtarget_fraction" in nz
              else {"offtarget_per_mb": sim["offtarget_per_mb"]})
    reads = simulate.simulate_reads(panel, r["contigs"], s["sex"], r["par1"], ev, s["depth"],
                                    simulate.seed_of(name + s["sample"], seed), sim["read_length"], seed + 7, **kw)
    bam = d / "bams" / f"{s['sample']}.bam"
    simulate.write_bam(str(bam), s["sample"], r["contigs"], reads, sim["read_length"],
                       simulate.seed_of(name + s["sample"], seed + 1), dup_rate=sim["dup_rate"])
    return bam


def write_folder(d: Path, name: str, build: str, r: dict, panel: pd.DataFrame, specs, events, sheet_bp,
                 truth, seed: int, sim: dict, cores: int = 1):
    """One cohort on one panel: panel.bed, BAMs (`cores` at a time), samples.tsv, truth.tsv,
    specs.json, config.yaml."""
    (d / "bams").mkdir(parents=True, exist_ok=True)
    panel.to_csv(d / "panel.bed", sep="\t", header=False, index=False)
    with ProcessPoolExecutor(max(1, cores)) as ex:
        bams = list(ex.map(one_bam, *zip(*[(d, name, r, panel, s, ev, seed, sim) for s, ev in zip(specs, events)])))
    sheet = []
    for s, bam, bp in zip(specs, bams, sheet_bp):
        sheet.append({"sample": s["sample"], "bam": str(bam), "type": s["type"], "subtype": s["subtype"],
                      "age_group": s["age_group"], "blast_pct": "" if bp is None else str(bp), "sex": s["sex"]})
    pd.DataFrame(sheet).to_csv(d / "samples.tsv", sep="\t", index=False)
    pd.DataFrame(truth).to_csv(d / "truth.tsv", sep="\t", index=False)
    (d / "specs.json").write_text(json.dumps(specs, indent=1))
    cfg = {"samples": str(d / "samples.tsv"), "genome": build, "targets": str(d / "panel.bed"),
           "outdir": str(d / "ikzf1cnv"), "reference_table": "resources/reference_frequencies.tsv",  # the workflow runs from its root
           **(SIM_CONFIG if sim is SIM else {})}
    (d / "config.yaml").write_text(yaml.safe_dump(cfg))


def make_cohort(base: Path, name: str, build: str, n_t: int, n_n: int, kind: str, share, designs, seed: int,
                cores: int = 1):
    """Simulate a cohort into base/<design>/ for each design ("legacy": the old panel)."""
    rng = np.random.default_rng(seed)
    r = resources(build)
    if kind in ("random", "low"):
        specs = legacy_specs(n_t, n_n, kind, rng)
        sim = SIM
    else:
        rates = {**RATES, "hyperdiploid": 0.35 if kind == "null" else RATES["hyperdiploid"]}
        specs = cohorts.panel_specs(n_t, n_n, rng, rates, share)
        sim = PANEL_SIM
    # events and sheet blasts drawn once (legacy: from the cohort stream, as before), the same on every panel
    events, sheet_bp, truth = [], [], []
    for s in specs:
        own = np.random.default_rng(simulate.seed_of(name + s["sample"], seed + 2)) if kind not in ("random", "low") \
            else rng
        ev = simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"], own, r["arms"])
        events.append(ev)
        sheet_bp.append(cohorts.sheet_blast(s["blast"], own, 0.6, 0.25, 10.0) if s["type"] == "tumor" else None)
        if s["type"] == "tumor":
            truth.append(bench.truth_row(s, r["units"], ev, r["rules"], arms=r["arms"], contigs=r["contigs"]))
    units = r["units"][r["units"]["gene"].isin(PANEL_GENES)]
    chroms = [c for c in r["contigs"] if c != "chrY"]
    for design in designs:
        if design == "legacy":
            panel = panels.loci_panel(units, r["contigs"], sim["backbone_per_chrom"], sim["backbone_size"],
                                          sim["max_target"], chroms)
        else:
            panel = simulate.design_panel(units, r["introns"], r["contigs"], design, chroms,
                                          sim["backbone_spacing"], sim["backbone_size"], sim["max_target"],
                                          sim["tile_spacing"], sim["tile_size"])
        write_folder(base / design, name, build, r, panel, specs, events, sheet_bp, truth, seed, sim, cores)
