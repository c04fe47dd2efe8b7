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

from ikzf1cnv.core import annotation
from ikzf1cnv.cohort.table import call_columns
from simlib import genome, panels, simulate  # noqa: E402

RULES = annotation.load_rules(ROOT / "resources" / "rules.yaml")
CALL_COLS = call_columns(RULES)
GENES = annotation.gene_columns(RULES)


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


def load_build(build: str) -> dict:
    """The annotation a cohort of `build` is simulated on: exon units, contigs, PAR1."""
    res = ROOT / "resources"
    reg = annotation.load_regions(res, build)
    return {"build": build, "units": annotation.load_units(res, build), "contigs": annotation.load_contigs(res, build),
            "par1": tuple(reg[reg["region"] == "PAR1"][["chrom", "start", "end"]].iloc[0])}


def is_genome_spec(spec: dict) -> bool:
    return spec.get("mode") == "genome"


def regions_of(spec: dict, b: dict):
    """Where reads go: the genome arm's regions (its windows, its backbone), a simulator
    panel design, or the toy panel (exons and a backbone)."""
    panel_units = b["units"][b["units"]["gene"].isin(spec["panel_genes"])]
    if is_genome_spec(spec):  # reads where the workflow's whole-genome bins are (its windows, its backbone)
        return genome.genome_regions(panel_units, b["contigs"], RULES, spec["backbone_spacing"],
                                     spec["backbone_size"], spec["chroms"], spec["pad"])
    if "design" in spec:  # a panel design of the simulator: exons, IKZF1 intron tiles, a backbone every N bp
        return simulate.design_panel(panel_units, annotation.load_introns(ROOT / "resources", b["build"]), b["contigs"],
                                     spec["design"], spec["chroms"], spec["backbone_spacing"], spec["backbone_size"],
                                     spec["max_target"], spec["tile_spacing"], spec["tile_size"])
    return panels.loci_panel(panel_units, b["contigs"], spec["backbone_per_chrom"], spec["backbone_size"],
                                 spec["max_target"], spec["chroms"])


def sample_events(s: dict, b: dict) -> list:
    """A sample's events (fractions of all cells: blast fraction x fraction of the blasts)."""
    blast = (s.get("blast_pct", s.get("blast_truth", 100)) or 100) / 100.0 if s.get("type") != "normal" else 0.0
    return simulate.events_from_spec(s, b["units"], b["contigs"], blast)


def simulate_sample(s: dict, spec: dict, b: dict, panel, bamdir: Path) -> tuple[Path, int]:
    """Write one sample's BAM (and CSI index) into `bamdir`; returns its path and read count.
    Deterministic: every random draw is seeded from the sample's name."""
    name = s["sample"]
    events = sample_events(s, b)
    is_genome = is_genome_spec(spec)
    if is_genome:
        reads = genome.simulate_genome_reads(panel, b["contigs"], s["sex"], b["par1"], events, s["depth"],
                                             simulate.seed_of(name, 11), spec["read_length"],
                                             gc_slope_sd=spec["gc_slope_sd"],
                                             overdispersion_cv=spec["overdispersion_cv"],
                                             waves=tuple(spec.get("waves", (0.0, 0.0))))
    else:
        reads = simulate.simulate_reads(panel, b["contigs"], s["sex"], b["par1"], events, s["depth"],
                                        simulate.seed_of(name, 11), spec["read_length"], spec["capture_seed"],
                                        offtarget_per_mb=spec["offtarget_per_mb"],
                                        gc_slope_sd=spec["gc_slope_sd"], overdispersion_cv=spec["overdispersion_cv"])
    bam = bamdir / f"{name}.bam"
    frag = tuple(spec["fragment"]) if spec.get("fragment") else None
    extra = genome.junction_reads(events, b["contigs"], s["depth"], spec["read_length"],
                                  np.random.default_rng(simulate.seed_of(name, 17)),
                                  probes=None if is_genome else panel, fragment=frag) \
        if is_genome or spec.get("junction_reads") else None
    if spec.get("chimera_rate"):   # library noise in every sample, normals too (the junction caller's null)
        extra = genome.merge_records(extra, genome.chimeras(
            panel, b["contigs"], s["depth"], spec["read_length"], spec["chimera_rate"],
            np.random.default_rng(simulate.seed_of(name, 19)), frag))
    n = simulate.write_bam(str(bam), name, b["contigs"], reads, spec["read_length"], simulate.seed_of(name, 13),
                           extra=extra, fragment=frag if is_genome else None)
    print(f"{name}: {n} reads, {bam.stat().st_size / 1e6:.2f} MB", flush=True)
    return bam, n


def sheet_line(s: dict, bam: Path) -> list[str]:
    """The sample sheet's row (the BAM relative to the repository when it lies inside it)."""
    return [s["sample"], str(bam.relative_to(ROOT)) if bam.is_relative_to(ROOT) else str(bam), s.get("type", "tumor"),
            s.get("subtype", ""), s.get("age_group", ""), "" if s.get("blast_pct") is None else str(s["blast_pct"]),
            s["sex"]]


def truth_of(s: dict, b: dict) -> dict | None:
    """A tumour's truth row: its hand-written `truth` block, checked against the event
    geometry and completed with defaults; None for a normal."""
    if s.get("type") == "normal":
        return None
    name = s["sample"]
    t = dict(s["truth"])
    check_truth(name, t, b["units"], sample_events(s, b))
    ne = t["status"] == "not_evaluable"
    row = {"sample": name, "subtype": s.get("subtype") or "unknown", "status": t["status"],
           "ikzf1_deletion": t["ikzf1_deletion"], "ikzf1_exons_deleted": t.get("ikzf1_exons_deleted", ""),
           "ikzf1_exons_biallelic": t.get("ikzf1_exons_biallelic", ""),
           "ikzf1_cell_fraction": f"{t['ikzf1_cell_fraction']:.2f}" if "ikzf1_cell_fraction" in t else "NA",
           "ikzf1plus": t["ikzf1plus"], "ukall_cna": t["ukall_cna"], "qc": t.get("qc", "pass")}
    for g in GENES:
        row[g] = "NA" if ne else t.get(g, "none")
    return row


def write_sheet(lines: list[list[str]], path: Path):
    with open(path, "w") as fh:
        fh.write("sample\tbam\ttype\tsubtype\tage_group\tblast_pct\tsex\n")
        for r in lines:
            fh.write("\t".join(r) + "\n")


def write_truth(rows: list[dict], path: Path, spec_path: Path):
    label = spec_path.relative_to(ROOT) if spec_path.is_relative_to(ROOT) else spec_path
    with open(path, "w") as fh:
        fh.write(f"# truth of the toy cohort, from {label} (hand-written, geometry-checked)\n")
        fh.write("\t".join(CALL_COLS) + "\n")
        for r in rows:
            fh.write("\t".join(str(r[c]) for c in CALL_COLS) + "\n")


def _simulate_one(args):
    return simulate_sample(*args)


def make_cohort(spec: dict, outdir: Path, sheet: Path, spec_path: Path, processes: int = 1) -> dict:
    """Simulate every sample of `spec` (the YAML form of resources/toy/*.yaml): BAMs in
    outdir/bams, the regions (genome) or panel BED and truth.tsv in outdir, the sample
    sheet at `sheet`. `processes` BAMs are written at a time (each is seeded from its own
    name, so the files are the same whatever the number). Returns a summary."""
    b = load_build(spec["build"])
    is_genome = is_genome_spec(spec)
    panel = regions_of(spec, b)
    outdir.mkdir(parents=True, exist_ok=True)
    panel_path = outdir / (f"regions_{b['build']}.bed" if is_genome else f"panel_{b['build']}.bed")
    panel.to_csv(panel_path, sep="\t", header=False, index=False)
    bamdir = outdir / "bams"
    bamdir.mkdir(exist_ok=True)
    truth_rows = [r for r in (truth_of(s, b) for s in spec["samples"]) if r is not None]  # checked before simulating
    jobs = [(s, spec, b, panel, bamdir) for s in spec["samples"]]
    if processes > 1:
        from multiprocessing import Pool
        with Pool(processes) as pool:
            written = pool.map(_simulate_one, jobs, chunksize=1)
    else:
        written = [_simulate_one(j) for j in jobs]
    write_sheet([sheet_line(s, bam) for s, (bam, _) in zip(spec["samples"], written)], sheet)
    write_truth(truth_rows, outdir / "truth.tsv", spec_path)
    total = sum(p.stat().st_size for p in bamdir.glob("*.bam*"))
    print(f"{len(spec['samples'])} samples, BAMs {total / 1e6:.1f} MB, {len(panel)} "
          f"{'regions' if is_genome else 'targets'} -> {panel_path}")
    return {"samples": len(spec["samples"]), "bams": [str(p) for p, _ in written], "reads": [n for _, n in written],
            "bam_mb": round(total / 1e6, 1), "regions": str(panel_path), "sheet": str(sheet),
            "truth": str(outdir / "truth.tsv")}


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
    make_cohort(yaml.safe_load(a.spec.read_text()), a.outdir, a.sheet, a.spec)


if __name__ == "__main__":
    main()
