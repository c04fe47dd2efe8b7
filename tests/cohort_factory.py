"""A synthetic cohort of any size, as the workflow's steps leave it for the report: sample
records (calls.json), the cohort step's call table and frequencies (made by cohort.run_cohort
from those records, so the contract's columns by construction), exon tables and the reference
info. For report tests at sizes the toy cannot reach (tests/test_report_browser.py)."""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

import yaml

from ikzf1cnv.caller import classify, labels
from ikzf1cnv.core import annotation, files, tables
from ikzf1cnv.stages import cohort as cohort_stage, report as report_stage

# IKZF1 exons on hg38 (chrom, start, end): the toy's exon table
IKZF1_EXONS = [("chr7", 50304716, 50304922), ("chr7", 50319048, 50319101), ("chr7", 50327638, 50327757),
               ("chr7", 50376533, 50376793), ("chr7", 50382540, 50382707), ("chr7", 50387345, 50387470),
               ("chr7", 50391729, 50391863), ("chr7", 50399918, 50405101)]
DELETIONS = [(4, 7), (1, 8), (2, 7), (4, 8), (2, 3), (2, 8), (1, 3)]
VOCAB = {"zygosity": ["none", "het", "hom"], "extent": ["none", "partial", "whole"], "any": ["none", "deleted"],
         "par1": ["none", "deleted"]}
SUBTYPES = ["Ph+", "Ph-like", "hyperdiploid", "ETV6-RUNX1", "B-other", "T-ALL", "unknown"]


def workflow_config(root: Path) -> dict:
    """The toy's config with the schema's defaults filled in, as the Snakefile sees it."""
    from snakemake.utils import validate
    schema = str(root / "workflow" / "schemas" / "config.schema.yaml")
    cfg = yaml.safe_load((root / "config" / "config.yaml").read_text())
    validate(cfg, schema)
    for key in ("caller", "qc"):
        cfg[key] = cfg.get(key) or {}
    validate(cfg, schema)
    return cfg


def sample_record(name: str, rng: random.Random, rules: dict) -> tuple[dict, list[dict]]:
    """One sample's calls.json and its exon table rows."""
    status = rng.choices(["deleted", "wildtype", "not_evaluable"], [0.3, 0.65, 0.05])[0]
    lost, bial = [], []
    cf = cf_low = cf_high = None
    if status == "deleted":
        a, b = rng.choice(DELETIONS)
        lost = list(range(a, b + 1))
        bial = lost if rng.random() < 0.1 else []
        cf = round(rng.uniform(0.2, 0.95), 2)
        cf_low, cf_high = round(max(0.0, cf - 0.15), 2), round(min(1.0, cf + 0.05), 2)
    blast = round(rng.uniform(0.3, 0.95), 2) if rng.random() < 0.9 else None
    ev = status != "not_evaluable"
    junctions = []
    if status == "deleted" and rng.random() < 0.2:
        s, e = IKZF1_EXONS[lost[0] - 1][1] - 900, IKZF1_EXONS[lost[-1] - 1][2] + 700
        junctions.append({"gene": "IKZF1", "chrom": "chr7", "start": s, "end": e, "split_reads": rng.randint(3, 40),
                          "discordant_pairs": rng.randint(0, 20), "cell_fraction": cf, "label":
                          labels.deletion_label(lost), "rss_left": "CACAGTG", "rss_right": "NA"})
    rec = {
        "sample": name, "subtype": rng.choice(SUBTYPES), "age_group": rng.choice(["pediatric", "adult", ""]),
        "status": status, "qc": "pass" if ev else "fail: noise 0.61 > 0.35",
        "ikzf1": {"deletion": labels.deletion_label(lost) if ev else "NA", "exons_deleted": labels.exon_list(lost),
                  "exons_biallelic": labels.exon_list(bial), "cell_fraction": cf, "cf_low": cf_low, "cf_high": cf_high,
                  "mechanism": rng.choice(["focal", "interstitial", "NA"]) if lost else "NA",
                  "lod": "del4-7:0.30;del2-3:0.34;del1-8:0.21" if ev else "NA",
                  "evidence": f"deleted run: exon={len(lost)},intronic={3 * len(lost)},flank=0,offtarget=0"
                  if lost else "window: exon=8,intronic=40,flank=6,offtarget=3",
                  "junction": "confirmed" if junctions else "not_applicable"},
        "genes": {g: (rng.choice(VOCAB[kind]) if ev and rng.random() < 0.2 else "none") if ev else "NA"
                  for g, kind in rules["genes"].items() if kind != "exons"},
        "purity": {"blast_fraction": blast if blast is not None else round(rng.uniform(0.2, 0.9), 2),
                   "blast_low": None if blast is not None else 0.1, "blast_high": None if blast is not None else 0.95,
                   "blast_source": "sheet" if blast is not None else "estimated"},
        "metrics": {"median_depth": round(rng.uniform(40, 300), 1), "noise": round(rng.uniform(0.08, 0.6), 3)},
        "arm_losses": rng.choice(["none", "none", "none", "9p:0.40"]),
        "junctions": junctions,
    }
    rec["ikzf1plus"], rec["ukall_cna"] = classify.risk(rec, status, rec["genes"], rules, "any")
    rows = []
    for e, (chrom, start, end) in enumerate(IKZF1_EXONS, 1):
        call = ("biallelic_loss" if e in bial else "loss" if e in lost else "normal") if ev else "no_data"
        cn = 2 * (1 - cf) if e in bial else 2 - cf if e in lost else 2.0
        cn += rng.gauss(0, 0.1)
        cn = max(cn, 0.05)
        log2 = math.log2(cn / 2)
        se = rng.uniform(0.08, 0.2)
        rows.append({"exon": e, "chrom": chrom, "start": start, "end": end, "n_bins": 1,
                     "log2": log2 if ev else None, "copy_number": cn if ev else None,
                     "ci_low": cn * 2 ** (-1.96 * se) if ev else None, "ci_high": cn * 2 ** (1.96 * se) if ev else None,
                     "call": call, "se": se if ev else None, "ratio": cn / 2 if ev else None,
                     "depth": 100 * cn / 2 if ev else None})
    return rec, rows


def window_rows(rec: dict, rng: random.Random) -> list[dict]:
    """The IKZF1 window as the model saw it (window_bins.tsv rows): each exon and a 120 bp
    intronic probe every 3 kb, with the states of the record's deletion and log2 ratios to match."""
    lost = [int(e) for e in rec["ikzf1"]["exons_deleted"].split(",") if e]
    bial = [int(e) for e in rec["ikzf1"]["exons_biallelic"].split(",") if e]
    cf = rec["ikzf1"]["cell_fraction"] or 0.0
    ev = rec["status"] != "not_evaluable"
    pos = []
    for e, (chrom, start, end) in enumerate(IKZF1_EXONS, 1):
        pos.append(("exon", str(e), start - 1, end, e, e))
        if e < 8:
            for p in range(end + 1000, IKZF1_EXONS[e][1] - 1000, 3000):
                pos.append(("intronic", "", p, p + 120, e, e + 1))
    rows = []
    for kind, exon, start, end, before, after in pos:
        k = 2 if before in bial and after in bial else 1 if (before in lost and after in lost) else 0
        se = rng.uniform(0.15, 0.3) * (2 if not ev else 1)
        mean = math.log2(max(1 - cf * k / 2, 0.05))
        rows.append({"group": "IKZF1", "chrom": "chr7", "start": start, "end": end, "kind": kind, "gene": "IKZF1",
                     "exon": exon, "n_bins": 1, "log2": mean + rng.gauss(0, se), "se": se, "depth": 100.0,
                     "state": k if ev else 0})
    return rows


def write_cohort(out: Path, n: int, root: Path, seed: int = 11) -> report_stage.ReportJob:
    """n tumours (S0001 ...) under out as the workflow lays them out; the report step's job."""
    import pandas as pd
    rng = random.Random(seed)
    rules = annotation.load_rules(root / "resources" / "rules.yaml")
    assert annotation.gene_columns(rules)  # the call table's gene columns come from here
    config = workflow_config(root)
    recs, exons = [], []
    for i in range(1, n + 1):
        name = f"S{i:04d}"
        rec, rows = sample_record(name, rng, rules)
        d = out / "samples" / name
        d.mkdir(parents=True, exist_ok=True)
        files.write_json(rec, d / "calls.json")
        tables.write_table(pd.DataFrame(rows), tables.EXON_TABLE, str(d / "ikzf1_exons.tsv"))
        tables.write_table(pd.DataFrame(window_rows(rec, rng)), tables.POSITIONS_TABLE, str(d / "window_bins.tsv"))
        recs.append(str(d / "calls.json"))
        exons.append(str(d / "ikzf1_exons.tsv"))
    (out / "cohort").mkdir(parents=True, exist_ok=True)
    (out / "reference").mkdir(parents=True, exist_ok=True)
    rules_path = str(root / "resources" / "rules.yaml")
    cohort_stage.run(cohort_stage.CohortJob.from_names({
        "records": recs, "rules": rules_path, "reference_table": str(root / config["reference_table"]),
        "frequency_min_samples": config["frequency_min_samples"], "frequency_alpha": config["frequency_alpha"],
        "calls": str(out / "cohort" / "ikzf1_calls.tsv"), "freq": str(out / "cohort" / "frequencies.tsv"),
        "mqc": str(out / "mqc")}))
    info = out / "reference" / "info.json"
    info.write_text(json.dumps({"mode": "pooled", "normals": [f"N{i:02d}" for i in range(1, 21)], "warning": ""}))
    return report_stage.ReportJob.from_names({
        "calls": str(out / "cohort" / "ikzf1_calls.tsv"), "freq": str(out / "cohort" / "frequencies.tsv"),
        "records": recs, "exons": exons, "positions": [p.replace("ikzf1_exons.tsv", "window_bins.tsv") for p in exons],
        "reference": str(info), "reference_table": str(root / config["reference_table"]),
        "types": str(root / "resources" / "deletion_types.tsv"), "rules": rules_path,
        "builds": str(root / "resources" / "builds.tsv"), "transcripts": str(root / "resources" / "transcripts.tsv"),
        "config": config, "bams": {}, "workflow_dir": str(root), "html": str(out / "cohort" / "report.html")})


def patient_job(report_job: report_stage.ReportJob, root: Path, bam: str):
    """The page step's job for every sample of a synthetic cohort (each page naming `bam`)."""
    from ikzf1cnv.stages import patient
    samples = [Path(p).parent.name for p in report_job.records]
    res = root / "resources" / "hg38"
    return patient.PatientBatch.from_names({
        "sample": samples, "record": report_job.records, "positions": report_job.positions,
        "bam": [bam] * len(samples), "html": [str(Path(p).parent / "report.html") for p in report_job.records],
        "reference": report_job.reference, "rules": report_job.rules, "arms": str(res / "arms.tsv"),
        "cytobands": str(res / "cytobands.tsv"), "accessions": str(res / "accessions.tsv"),
        "builds": report_job.builds, "transcripts": report_job.transcripts, "config": report_job.config,
        "workflow_dir": str(root)})
