#!/usr/bin/env python3
"""Build the bundled toy cohort from resources/toy/cohort.yaml (deterministic).

    python benchmarks/toy/make_toy_cohort.py            # writes resources/toy/{panel_hg38.bed,bams/,truth.tsv}
                                                 # and config/samples.tsv
    python benchmarks/toy/make_toy_cohort.py --genome   # the genome arm: resources/toy/genome/{bams/,truth.tsv}
                                                 # and config/samples_genome.tsv (not bundled: ~1 min)

A spec with `mode: genome` simulates 30x genome BAMs with reads only in the workflow's
gene windows and around its backbone bins (simlib/genome.py); the others, panel BAMs.
The truth written to truth.tsv is the hand-written `truth` block of each sample, completed
with defaults (genes 'none', qc 'pass'); before writing, the script checks it against the
event geometry (every IKZF1 exon's copies lost must agree with the declared exon sets).
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ikzf1cnv import annotation, genes  # noqa: E402
from ikzf1cnv.cohort import call_columns  # noqa: E402
from simlib import genome, simulate  # noqa: E402

RULES = annotation.load_rules(ROOT / "resources" / "rules.yaml")
CALL_COLS = call_columns(RULES)
GENES = genes.gene_columns(RULES)


def check_truth(name, truth, units, events):
    """The hand-written truth must agree with what the event geometry deletes."""
    if truth["status"] == "not_evaluable":
        return
    geo = simulate.gene_truth(units, events, RULES)
    for gene in GENES:
        assert truth.get(gene, "none") == geo[gene], f"{name}: events give {gene} {geo[gene]}, truth {truth.get(gene)}"
    lost = ",".join(str(e) for e in geo["ikzf1_lost"])
    bial = ",".join(str(e) for e in geo["ikzf1_biallelic"])
    assert lost == truth.get("ikzf1_exons_deleted", ""), f"{name}: events delete IKZF1 exons {lost}"
    assert bial == truth.get("ikzf1_exons_biallelic", ""), f"{name}: biallelic {bial}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", default=ROOT / "resources/toy/cohort.yaml", type=Path)
    ap.add_argument("--outdir", default=ROOT / "resources/toy", type=Path)
    ap.add_argument("--sheet", default=ROOT / "config/samples.tsv", type=Path)
    ap.add_argument("--genome", action="store_true", help="the genome arm (resources/toy/genome.yaml, its folder and sheet)")
    ap.add_argument("--hotspot", action="store_true",
                    help="the deep hotspot panel arm (resources/toy/hotspot.yaml, its folder and sheet)")
    a = ap.parse_args()
    for arm in ("genome", "hotspot"):
        if getattr(a, arm):
            a.spec, a.outdir, a.sheet = ROOT / f"resources/toy/{arm}.yaml", ROOT / f"resources/toy/{arm}", \
                ROOT / f"config/samples_{arm}.tsv"
    spec = yaml.safe_load(a.spec.read_text())
    build = spec["build"]
    res = ROOT / "resources"
    units = annotation.load_units(res, build)
    contigs = annotation.load_contigs(res, build)
    reg = annotation.load_regions(res, build)
    par1 = tuple(reg[reg["region"] == "PAR1"][["chrom", "start", "end"]].iloc[0])
    panel_units = units[units["gene"].isin(spec["panel_genes"])]
    is_genome = spec.get("mode") == "genome"
    if is_genome:  # reads where the workflow's whole-genome bins are (its windows, its backbone)
        panel = genome.genome_regions(panel_units, contigs, RULES, spec["backbone_spacing"], spec["backbone_size"],
                                      spec["chroms"], spec["pad"])
    elif "design" in spec:  # a panel design of the simulator: exons, IKZF1 intron tiles, a backbone every N bp
        panel = simulate.design_panel(panel_units, annotation.load_introns(res, build), contigs, spec["design"],
                                      spec["chroms"], spec["backbone_spacing"], spec["backbone_size"],
                                      spec["max_target"], spec["tile_spacing"], spec["tile_size"])
    else:
        panel = annotation.loci_panel(panel_units, contigs, spec["backbone_per_chrom"], spec["backbone_size"],
                                      spec["max_target"], spec["chroms"])
    a.outdir.mkdir(parents=True, exist_ok=True)
    panel_path = a.outdir / (f"regions_{build}.bed" if is_genome else f"panel_{build}.bed")
    panel.to_csv(panel_path, sep="\t", header=False, index=False)
    bamdir = a.outdir / "bams"
    bamdir.mkdir(exist_ok=True)
    sheet, truth_rows = [], []
    for s in spec["samples"]:
        name = s["sample"]
        blast = (s.get("blast_pct", s.get("blast_truth", 100)) or 100) / 100.0 if s.get("type") != "normal" else 0.0
        events = simulate.events_from_spec(s, units, contigs, blast)
        if is_genome:
            reads = genome.simulate_genome_reads(panel, contigs, s["sex"], par1, events, s["depth"],
                                                 simulate.seed_of(name, 11), spec["read_length"],
                                                 gc_slope_sd=spec["gc_slope_sd"],
                                                 overdispersion_cv=spec["overdispersion_cv"])
        else:
            reads = simulate.simulate_reads(panel, contigs, s["sex"], par1, events, s["depth"],
                                            simulate.seed_of(name, 11), spec["read_length"], spec["capture_seed"],
                                            offtarget_per_mb=spec["offtarget_per_mb"],
                                            gc_slope_sd=spec["gc_slope_sd"], overdispersion_cv=spec["overdispersion_cv"])
        bam = bamdir / f"{name}.bam"
        frag = tuple(spec["fragment"]) if spec.get("fragment") else None
        extra = genome.junction_reads(events, contigs, s["depth"], spec["read_length"],
                                      np.random.default_rng(simulate.seed_of(name, 17)),
                                      probes=None if is_genome else panel, fragment=frag) \
            if is_genome or spec.get("junction_reads") else None
        if spec.get("chimera_rate"):   # library noise in every sample, normals too (the junction caller's null)
            extra = genome.merge_records(extra, genome.chimeras(
                panel, contigs, s["depth"], spec["read_length"], spec["chimera_rate"],
                np.random.default_rng(simulate.seed_of(name, 19)), frag))
        n = simulate.write_bam(str(bam), name, contigs, reads, spec["read_length"], simulate.seed_of(name, 13),
                               extra=extra, fragment=frag if is_genome else None)
        print(f"{name}: {n} reads, {bam.stat().st_size / 1e6:.2f} MB", flush=True)
        sheet.append([name, str(bam.relative_to(ROOT)) if bam.is_relative_to(ROOT) else str(bam), s.get("type", "tumor"), s.get("subtype", ""),
                      s.get("age_group", ""), "" if s.get("blast_pct") is None else str(s["blast_pct"]), s["sex"]])
        if s.get("type") == "normal":
            continue
        t = dict(s["truth"])
        check_truth(name, t, units, events)
        ne = t["status"] == "not_evaluable"
        row = {"sample": name, "subtype": s.get("subtype") or "unknown", "status": t["status"],
               "ikzf1_deletion": t["ikzf1_deletion"], "ikzf1_exons_deleted": t.get("ikzf1_exons_deleted", ""),
               "ikzf1_exons_biallelic": t.get("ikzf1_exons_biallelic", ""),
               "ikzf1_cell_fraction": f"{t['ikzf1_cell_fraction']:.2f}" if "ikzf1_cell_fraction" in t else "NA",
               "ikzf1plus": t["ikzf1plus"], "ukall_cna": t["ukall_cna"], "qc": t.get("qc", "pass")}
        for g in GENES:
            row[g] = "NA" if ne else t.get(g, "none")
        truth_rows.append(row)
    with open(a.sheet, "w") as fh:
        fh.write("sample\tbam\ttype\tsubtype\tage_group\tblast_pct\tsex\n")
        for r in sheet:
            fh.write("\t".join(r) + "\n")
    with open(a.outdir / "truth.tsv", "w") as fh:
        fh.write(f"# truth of the toy cohort, from {a.spec.relative_to(ROOT) if a.spec.is_relative_to(ROOT) else a.spec}"
                 " (hand-written, geometry-checked)\n")
        fh.write("\t".join(CALL_COLS) + "\n")
        for r in truth_rows:
            fh.write("\t".join(str(r[c]) for c in CALL_COLS) + "\n")
    total = sum(p.stat().st_size for p in bamdir.glob("*.bam*"))
    print(f"{len(sheet)} samples, BAMs {total / 1e6:.1f} MB, {len(panel)} {'regions' if is_genome else 'targets'}"
          f" -> {panel_path}")


if __name__ == "__main__":
    main()
