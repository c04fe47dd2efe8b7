#!/usr/bin/env python3
"""Accuracy of the junction evidence: a 30x whole-genome arm and a deep hotspot panel arm,
simulated with known junctions, run through the workflow and scored.

    python benchmarks/accuracy/junction_arms.py --outdir bench/junctions            # both arms
    python benchmarks/accuracy/junction_arms.py --outdir bench/junctions --quick    # fewer samples
    python benchmarks/accuracy/junction_arms.py --outdir bench/junctions --arms hotspot

genome: tumours of the panel cohorts' kind (IKZF1 deletions spread over cell-fraction
  bands, co-deletions at literature-like rates) and normals, as 30x genomes with reads
  only around the loci (simlib.genome), paired (350 +- 50 bp fragments), split reads and
  discordant pairs at every focal deletion's junction, chimeric split reads and far pairs
  in every sample (0.1% of reads: the null); whole-genome mode.
hotspot: the toy's hotspot design (a probe on each IKZF1 breakpoint region) at 700-900x,
  IKZF1 deletions mostly in 5-15% of cells, some clonal, some wild types, same noise.
Scores (junctions.md, junctions.json, junction_truth.tsv, per_sample.tsv in --outdir):
  IKZF1 status and exact type by cell-fraction band, IKZF1plus; junction recall over the
  simulated junctions with >= 3 reads in the BAM (found within 5 bp and `exact` where a
  split read crosses it; within 500 bp where only pairs do), position error; reported
  junctions matching no simulated one; normals with a reportable junction (>= the
  workflow's junctions.min_support reads in coverage/{sample}.junctions.tsv).
Deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(HERE))

from ikzf1cnv.caller import junctions as cjunctions
from simlib import bench, genome, simulate  # noqa: E402

import cohorts  # noqa: E402
import simulation  # noqa: E402
import tools  # noqa: E402

FRAGMENT = (350.0, 50.0)
CHIMERA_RATE = 0.001
READ_LENGTH = 100
# name: (tumours, normals, quick tumours, quick normals)
ARMS = {"genome": (24, 6, 10, 3), "hotspot": (16, 4, 8, 3)}
SEED_OFFSET = {"genome": 1000, "hotspot": 2000}
GENOME_SIM = {"backbone_spacing": 5_000_000, "backbone_size": 5000, "pad": 20_000}
HOTSPOT_SIM = {"tile_spacing": 3000, "tile_size": 120, "backbone_spacing": 5_000_000, "backbone_size": 300,
               "max_target": 600, "offtarget_per_mb": 20}
LOW_BAND = (0.05, 0.15)
CLONAL, CLONAL_MIN_BLAST = 0.99, 0.20   # in (nearly) every blast; and a blast count where 30x depth can see it
HOTSPOT_JITTER = 100   # bp around the middle of the intron (the hotspot probe: 240 bp)
POS_EXACT, POS_IMPRECISE = 5, 500


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def junction_defaults() -> dict:
    """The schema's defaults of config `junctions`."""
    props = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())["properties"]
    return {k: v["default"] for k, v in props["junctions"]["properties"].items()}


def arm_specs(arm: str, n_t: int, n_n: int, rng) -> list[dict]:
    """Normals and tumours. genome: the panel cohorts' tumours (every band), at 28-34x.
    hotspot: three in four tumours with an IKZF1 deletion in 5-15% of cells, the rest of
    those deleted clonally (50-95%), one in five wild type; 700-900x."""
    if arm == "genome":
        specs = cohorts.panel_specs(n_t, n_n, rng, simulation.RATES, 0.75)
        for s in specs:
            s["depth"] = int(rng.integers(28, 35))
        return specs
    specs = [cohorts.normal_spec(f"N{i + 1:02d}", rng, i) for i in range(n_n)]
    for i in range(n_t):
        u = i % 5
        band = None if u == 4 else (LOW_BAND if u < 3 else (0.5, 0.95))
        s = cohorts.panel_tumour(f"T{i + 1:03d}", rng, simulation.RATES, band, subclonal=0.5)
        specs.append(s)
    for s in specs:
        s["depth"] = int(rng.integers(700, 901))
    return specs


def hotspot_events(events: list, rng, gene: pd.DataFrame, jitter: int = HOTSPOT_JITTER) -> list:
    """Breakpoints inside IKZF1 (`gene`: its exon units; placed mid-intron, where the
    hotspot design centres a probe) moved by up to `jitter` bp: recurrent IKZF1 deletions
    join RAG sites clustered in a few intronic regions, which is why a hotspot panel can
    target them."""
    chrom, lo, hi = str(gene["chrom"].iloc[0]), int(gene["start"].min()), int(gene["end"].max())
    out = []
    for e in events:
        if e.chrom == chrom and lo <= e.start and e.end <= hi:
            e = dataclasses.replace(e, start=e.start + int(rng.integers(-jitter, jitter + 1)),
                                    end=e.end + int(rng.integers(-jitter, jitter + 1)))
        out.append(e)
    return out


def one_sample(d: Path, arm: str, r: dict, regions: pd.DataFrame, s: dict, ev: list, seed: int):
    """One BAM; returns the junctions written: (sample, chrom, left, right, split, pairs)."""
    name = s["sample"]
    nz = s.get("noise", {})
    rng = np.random.default_rng(simulate.seed_of(arm + name, seed + 3))
    jlog: list = []
    if arm == "genome":
        reads = genome.simulate_genome_reads(regions, r["contigs"], s["sex"], r["par1"], ev, s["depth"],
                                             simulate.seed_of(arm + name, seed), READ_LENGTH,
                                             gc_slope_sd=min(nz.get("gc_slope_sd", 0.05), 0.1),
                                             overdispersion_cv=nz.get("overdispersion_cv", 0.03))
        extra = genome.junction_reads(ev, r["contigs"], s["depth"], READ_LENGTH, rng, fragment=FRAGMENT, log=jlog)
    else:
        reads = simulate.simulate_reads(regions, r["contigs"], s["sex"], r["par1"], ev, s["depth"],
                                        simulate.seed_of(arm + name, seed), READ_LENGTH, seed + 7,
                                        offtarget_per_mb=HOTSPOT_SIM["offtarget_per_mb"],
                                        gc_slope_sd=nz.get("gc_slope_sd", 0.1),
                                        overdispersion_cv=nz.get("overdispersion_cv", 0.05))
        extra = genome.junction_reads(ev, r["contigs"], s["depth"], READ_LENGTH, rng, probes=regions,
                                      fragment=FRAGMENT, log=jlog)
    extra = genome.merge_records(extra, genome.chimeras(regions, r["contigs"], s["depth"], READ_LENGTH,
                                                        CHIMERA_RATE, rng, FRAGMENT))
    bam = d / "bams" / f"{name}.bam"
    simulate.write_bam(str(bam), name, r["contigs"], reads, READ_LENGTH, simulate.seed_of(arm + name, seed + 1),
                       extra=extra, fragment=FRAGMENT if arm == "genome" else None)
    return bam, [(name, c, a, b, k, m) for c, a, b, k, m in jlog]


def make_arm(d: Path, arm: str, n_t: int, n_n: int, seed: int, cores: int):
    """Simulate one arm into d: BAMs, samples.tsv, truth.tsv, junction_truth.tsv, config.yaml."""
    rng = np.random.default_rng(seed)
    r = simulation.resources("hg38")
    specs = arm_specs(arm, n_t, n_n, rng)
    units = r["units"][r["units"]["gene"].isin(simulation.PANEL_GENES)]
    chroms = [c for c in r["contigs"] if c != "chrY"]
    if arm == "genome":
        regions = genome.genome_regions(units, r["contigs"], r["rules"], GENOME_SIM["backbone_spacing"],
                                        GENOME_SIM["backbone_size"], chroms, GENOME_SIM["pad"])
    else:
        regions = simulate.design_panel(units, r["introns"], r["contigs"], "hotspot", chroms,
                                        HOTSPOT_SIM["backbone_spacing"], HOTSPOT_SIM["backbone_size"],
                                        HOTSPOT_SIM["max_target"], HOTSPOT_SIM["tile_spacing"],
                                        HOTSPOT_SIM["tile_size"])
    events, truth, sheet = [], [], []
    for s in specs:
        own = np.random.default_rng(simulate.seed_of(arm + s["sample"], seed + 2))
        if arm == "genome":     # breakpoints anywhere in the introns
            ev = simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"], own, r["arms"])
        else:                   # at the recurrent breakpoint regions the hotspot probes cover
            ev = hotspot_events(simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"], None, r["arms"]),
                                own, r["units"][r["units"]["gene"] == "IKZF1"])
        events.append(ev)
        if s["type"] == "tumor":
            truth.append(bench.truth_row(s, r["units"], ev, r["rules"], arms=r["arms"], contigs=r["contigs"]))
    (d / "bams").mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max(1, cores)) as ex:
        out = list(ex.map(one_sample, *zip(*[(d, arm, r, regions, s, ev, seed) for s, ev in zip(specs, events)])))
    for s, (bam, _) in zip(specs, out):
        sheet.append({"sample": s["sample"], "bam": str(bam), "type": s["type"], "subtype": s["subtype"],
                      "age_group": s["age_group"], "blast_pct": "" if s["type"] == "normal" else
                      str(round(100 * s["blast"])), "sex": s["sex"]})
    pd.DataFrame(sheet).to_csv(d / "samples.tsv", sep="\t", index=False)
    pd.DataFrame(truth).to_csv(d / "truth.tsv", sep="\t", index=False)
    jt = pd.DataFrame([j for _, js in out for j in js], columns=["sample", "chrom", "left", "right", "split_reads",
                                                               "discordant_pairs"])
    jt.to_csv(d / "junction_truth.tsv", sep="\t", index=False)
    (d / "specs.json").write_text(json.dumps(specs, indent=1))
    regions.to_csv(d / "regions.bed", sep="\t", header=False, index=False)
    cfg = {"samples": str(d / "samples.tsv"), "genome": "hg38", "outdir": str(d / "ikzf1cnv"),
           "reference_table": "resources/reference_frequencies.tsv"}
    if arm == "genome":
        cfg.update({"targets": None, "wgs": {"bin_size": 1000, "backbone_spacing": GENOME_SIM["backbone_spacing"],
                                             "backbone_size": GENOME_SIM["backbone_size"]}})
    else:
        cfg["targets"] = str(d / "regions.bed")
    (d / "config.yaml").write_text(yaml.safe_dump(cfg))


# ------------------------------------------------------------------ scoring
def match_junctions(jt: pd.DataFrame, reported: pd.DataFrame, support: int) -> pd.DataFrame:
    """Each simulated junction with its best reported match in the same sample (ends each
    within POS_IMPRECISE bp): found, position error (bp, the larger end's), precision.
    `scored`: it has >= `support` reads in the BAM."""
    rows = []
    for j in jt.itertuples(index=False):
        rep = reported[(reported["sample"] == j.sample) & (reported["chrom"] == j.chrom)]
        err = np.maximum((rep["start"] - j.left).abs(), (rep["end"] - j.right).abs()) if len(rep) else pd.Series()
        ok = err[err <= POS_IMPRECISE] if len(rep) else err
        best = rep.loc[ok.idxmin()] if len(ok) else None
        rows.append({**j._asdict(), "scored": j.split_reads + j.discordant_pairs >= support,
                     "found": best is not None, "error_bp": int(ok.min()) if len(ok) else None,
                     "precision": best["precision"] if best is not None else None,
                     "reported_reads": int(best["split_reads"] + best["discordant_pairs"]) if best is not None
                     else None})
    return pd.DataFrame(rows)


def false_junctions(jt: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """Reported junctions that match no simulated junction of their sample (within POS_IMPRECISE)."""
    keep = []
    for r in reported.itertuples(index=False):
        t = jt[(jt["sample"] == r.sample) & (jt["chrom"] == r.chrom)]
        keep.append(not ((abs(t["left"] - r.start) <= POS_IMPRECISE) & (abs(t["right"] - r.end) <= POS_IMPRECISE)).any())
    return reported[keep] if len(reported) else reported


def junction_scores(m: pd.DataFrame) -> dict:
    """Recall over scored junctions; position within 5 bp and `exact` where a split read
    crosses the junction, within 500 bp where only pairs do."""
    sc = m[m["scored"]]
    split = sc[sc["split_reads"] > 0]
    pairs = sc[sc["split_reads"] == 0]
    exact = split["found"] & (split["precision"] == "exact") & (split["error_bp"] <= POS_EXACT)
    return {"junctions_simulated": len(m), "junctions_scored": len(sc), "found": int(sc["found"].sum()),
            "recall": float(sc["found"].mean()) if len(sc) else None,
            "with_split_read": len(split), "exact_within_5bp": int(exact.sum()),
            "pairs_only": len(pairs), "pairs_only_within_500bp": int(pairs["found"].sum()),
            "median_error_bp_split": float(split.loc[split["found"], "error_bp"].median()) if split["found"].any()
            else None,
            "median_error_bp_pairs": float(pairs.loc[pairs["found"], "error_bp"].median()) if pairs["found"].any()
            else None,
            "found_below_support": int(m.loc[~m["scored"], "found"].sum()),
            "below_support": int((~m["scored"]).sum())}


def reported_junctions(out: Path, samples: list[str]) -> pd.DataFrame:
    parts = [pd.read_csv(out / "samples" / s / "breakpoints.tsv", sep="\t", dtype={"chrom": str}) for s in samples]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def normals_with_junction(out: Path, normals: list[str], jd: dict) -> tuple[int, int, int]:
    """(normals with a reportable junction (junctions.strong), the most reads of any
    normal's junction with a split read, the most pairs of any without)."""
    n, top_split, top_pairs = 0, 0, 0
    for s in normals:
        jx = pd.read_csv(out / "coverage" / f"{s}.junctions.tsv", sep="\t")
        if not len(jx):
            continue
        n += bool(cjunctions.strong(jx, jd["min_support"], jd["min_pairs_alone"]).any())
        sp = jx[jx["split_reads"] > 0]
        top_split = max(top_split, int((sp["split_reads"] + sp["discordant_pairs"]).max()) if len(sp) else 0)
        top_pairs = max(top_pairs, int(jx.loc[jx["split_reads"] == 0, "discordant_pairs"].max())
                        if (jx["split_reads"] == 0).any() else 0)
    return n, top_split, top_pairs


def call_scores(ps: pd.DataFrame, specs: list[dict]) -> dict:
    """IKZF1 status, exact type (overall, clonal: in every blast, and per band), IKZF1plus,
    false calls in wild types."""
    clonal = {s["sample"]: all(e.get("fraction", 1.0) >= CLONAL for e in s["events"] if e.get("gene") == "IKZF1")
              for s in specs if s["type"] == "tumor"}
    blasts = {s["sample"]: s["blast"] for s in specs if s["type"] == "tumor"}
    e = ps[ps["evaluable"]]
    d = e[e["truth_deleted"]]
    dc = d[d["sample"].map(clonal)]
    dcb = dc[dc["sample"].map(blasts) >= CLONAL_MIN_BLAST]
    wt = e[~e["truth_deleted"]]
    bands = {}
    for lo, hi in cohorts.CF_BANDS:
        b = d[(d["cell_fraction"] >= lo) & (d["cell_fraction"] < hi)]
        if len(b):
            bands[f"{lo:.2f}-{hi:.2f}"] = {"n": len(b), "called": int(b["called_deleted"].sum()),
                                           "type_exact": int((b["called_deleted"] & b["type_exact"]).sum())}
    return {"tumours": len(ps), "evaluable": len(e), "deleted": len(d),
            "deleted_called": int(d["called_deleted"].sum()),
            "type_exact": int((d["called_deleted"] & d["type_exact"]).sum()),
            "clonal": len(dc), "clonal_type_exact": int((dc["called_deleted"] & dc["type_exact"]).sum()),
            "clonal_blast20": len(dcb), "clonal_blast20_type_exact": int((dcb["called_deleted"] & dcb["type_exact"]).sum()),
            "wildtype": len(wt), "false_calls": int(wt["called_deleted"].sum()),
            "ikzf1plus_right": int(e["ikzf1plus_ok"].sum()), "bands": bands}


def low_fraction(ps: pd.DataFrame, m: pd.DataFrame, calls: pd.DataFrame, ikzf1_chroms) -> dict:
    """Deletions in LOW_BAND of cells whose IKZF1 junction has >= min_support reads in the BAM:
    called, exact type, cell-fraction error of the junction's estimate."""
    ik = m[m["chrom"].isin(ikzf1_chroms) & m["scored"]]
    low = ps[ps["truth_deleted"] & ps["cell_fraction"].between(*LOW_BAND) & ps["sample"].isin(ik["sample"])]
    cf = pd.to_numeric(calls.set_index("sample").loc[low["sample"], "ikzf1_cell_fraction"], errors="coerce")
    err = (cf.to_numpy() - low["cell_fraction"].to_numpy())
    return {"n": len(low), "called": int(low["called_deleted"].sum()),
            "type_exact": int((low["called_deleted"] & low["type_exact"]).sum()),
            "cf_abs_error_median": float(np.nanmedian(np.abs(err))) if len(low) else None}


def score_arm(d: Path, arm: str, cores: int, jd: dict) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    el, calls = tools.run_ikzf1cnv(d, cores)
    truth = pd.read_csv(d / "truth.tsv", sep="\t", dtype=str, keep_default_na=False)
    specs = json.loads((d / "specs.json").read_text())
    ps = bench.per_sample(calls, truth).assign(arm=arm)
    out = d / "ikzf1cnv"
    tumours = [s["sample"] for s in specs if s["type"] == "tumor"]
    normals = [s["sample"] for s in specs if s["type"] == "normal"]
    rep = reported_junctions(out, tumours)
    units = simulation.resources("hg38")["units"]
    jt = pd.read_csv(d / "junction_truth.tsv", sep="\t", dtype={"chrom": str})
    m = match_junctions(jt, rep, jd["min_support"]).assign(arm=arm)
    nj, top_split, top_pairs = normals_with_junction(out, normals, jd)
    res = {"arm": arm, "seconds": round(el, 1), "calls": call_scores(ps, specs), "junctions": junction_scores(m),
           "false_junctions": len(false_junctions(jt, rep)), "reported_junctions": len(rep),
           "normals": len(normals), "normals_with_junction": nj, "normals_max_split_junction_reads": top_split,
           "normals_max_pairs_alone": top_pairs,
           "low_fraction": low_fraction(ps, m, calls, set(units.loc[units["gene"] == "IKZF1", "chrom"]))}
    return res, ps, m


def pct(a, b):
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"


def write_md(results: list[dict], outdir: Path, cmd: str):
    lines = ["# Junction arms", "", f"`{cmd}`", ""]
    for r in results:
        c, j, lf = r["calls"], r["junctions"], r["low_fraction"]
        lines += [f"## {r['arm']}", "",
                  "| score | value |", "|---|---|",
                  f"| IKZF1 deletions called | {pct(c['deleted_called'], c['deleted'])} |",
                  f"| exact type, all deleted | {pct(c['type_exact'], c['deleted'])} |",
                  f"| exact type, clonal (in every blast) | {pct(c['clonal_type_exact'], c['clonal'])} |",
                  f"| exact type, clonal, blasts >= {CLONAL_MIN_BLAST:.0%} | "
                  f"{pct(c['clonal_blast20_type_exact'], c['clonal_blast20'])} |",
                  f"| IKZF1plus right | {pct(c['ikzf1plus_right'], c['evaluable'])} |",
                  f"| false IKZF1 calls in wild types | {c['false_calls']}/{c['wildtype']} |",
                  f"| junctions with >= 3 reads found | {pct(j['found'], j['junctions_scored'])} |",
                  f"| ... with a split read: exact, within 5 bp | {pct(j['exact_within_5bp'], j['with_split_read'])} |",
                  f"| ... pairs only: within 500 bp (imprecise) | {pct(j['pairs_only_within_500bp'], j['pairs_only'])} |",
                  f"| median position error, split / pairs only (bp) | {j['median_error_bp_split']} / "
                  f"{j['median_error_bp_pairs']} |",
                  f"| junctions with < 3 reads found anyway | {j['found_below_support']}/{j['below_support']} |",
                  f"| reported junctions matching no simulated one | {r['false_junctions']}/{r['reported_junctions']} |",
                  f"| normals with a reportable junction | {r['normals_with_junction']}/{r['normals']} "
                  f"(their chimeras: at most {r['normals_max_split_junction_reads']} reads at a split-read junction, "
                  f"{r['normals_max_pairs_alone']} pairs alone) |",
                  f"| IKZF1 in {LOW_BAND[0]:.0%}-{LOW_BAND[1]:.0%} of cells, junction >= 3 reads: called, exact "
                  f"type | {pct(lf['called'], lf['n'])}, {pct(lf['type_exact'], lf['n'])} |",
                  f"| ... median cell-fraction error | {lf['cf_abs_error_median']} |",
                  f"| workflow wall time (s) | {r['seconds']} |", ""]
        bands = c["bands"]
        if bands:
            lines += ["| cells with the IKZF1 deletion | n | called | exact type |", "|---|---|---|---|"]
            lines += [f"| {k} | {v['n']} | {v['called']} | {v['type_exact']} |" for k, v in bands.items()]
            lines.append("")
    (outdir / "junctions.md").write_text("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--arms", default="genome,hotspot")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--resimulate", action="store_true")
    a = ap.parse_args()
    a.outdir.mkdir(parents=True, exist_ok=True)
    jd = junction_defaults()
    results, pss, ms = [], [], []
    for arm in a.arms.split(","):
        n_t, n_n, q_t, q_n = ARMS[arm]
        d = a.outdir / arm
        if a.resimulate or not (d / "junction_truth.tsv").is_file():
            log(f"{arm}: simulating {q_t if a.quick else n_t} tumours + {q_n if a.quick else n_n} normals")
            make_arm(d, arm, q_t if a.quick else n_t, q_n if a.quick else n_n, a.seed + SEED_OFFSET[arm], a.cores)
        log(f"{arm}: running the workflow")
        res, ps, m = score_arm(d, arm, a.cores, jd)
        results.append(res)
        pss.append(ps)
        ms.append(m)
    pd.concat(pss).to_csv(a.outdir / "per_sample.tsv", sep="\t", index=False)
    pd.concat(ms).to_csv(a.outdir / "junction_truth.tsv", sep="\t", index=False)
    (a.outdir / "junctions.json").write_text(json.dumps(results, indent=1))
    write_md(results, a.outdir, "python benchmarks/accuracy/junction_arms.py " + " ".join(sys.argv[1:]))
    log(f"done: {a.outdir / 'junctions.md'}")


if __name__ == "__main__":
    main()
