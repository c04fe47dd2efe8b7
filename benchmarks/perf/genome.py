#!/usr/bin/env python3
"""Whole-genome performance: ikzf1-cnv against `cnvkit.py batch --method wgs` on a cohort of genomes.

    python benchmarks/perf/genome.py --outdir bench/genome                      # simulate 16 + 6 genomes, then time
    python benchmarks/perf/genome.py --outdir bench/genome --cohort DIR         # time an existing (or new) cohort

The cohort (without --cohort: OUTDIR/cohort; a --cohort without samples.tsv is simulated
into): distinct 30x genome BAMs, --n-tumours tumours with IKZF1 deletions of each type
and co-deletions (CDKN2A/B, PAX5, PAR1, ERG, ETV6, BTG1, EBF1, RB1), clonal and
subclonal, hyperdiploidy and monosomy 7, and --n-normals normals, both sexes. Simulated
as the toy's genome arm is (benchmarks/toy/make_toy_cohort.py, simlib/genome.py): reads
only in the gene windows (padded) and around the whole-genome backbone bins, here at the
workflow's default spacing (wgs.backbone_spacing 1 Mb), so the default config reads them.

Every BAM gets a BAI index first, untimed (CNVkit needs one and would otherwise build it
inside its time; ikzf1-cnv reads through the same index). Then, one after the other on the
same BAMs and cores, page cache warm for each:
  (a) ikzf1-cnv: the whole workflow in whole-genome mode (`snakemake --cores N` with a
      generated config: targets null, defaults otherwise); per-rule times from its
      Snakemake benchmark files. Run first and again last (the slower run is compared);
  (b) `cnvkit.py batch --method wgs`, the normals as its pooled reference, `-p N`. No genome
      FASTA here, so `--access` a BED of the build's primary contigs (chr1-22, X, Y; whole,
      gaps included) and `--target-avg-size` the bin size CNVkit's autobin picks for a genome
      at the normals' depth (50,000 bp per bin / depth: 1,667 bp at 30x), which autobin
      cannot see in these BAMs (reads only around the loci look like a 0.3x genome to it:
      --cnvkit-autobin adds that run, 50 kb bins); more sizes with --cnvkit-bin-size.
      `--segment-method haar` (pure Python and CNVkit's fastest; the default, cbs, needs R
      and costs more; hmm fails in batch --method wgs in CNVkit 0.9.14, which passes the
      wgs segment threshold 1e-6 on as hmm's smoothing window, int(1e-6) = 0) and
      `--drop-low-coverage` (recommended for tumours). Phases from its files' mtimes;
  (c) the floor: `samtools view -c` over every BAM (samtools' code in pysam), N at a time.
Writes results.md and results.json in --outdir, with /proc/loadavg before and after each.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "toy"))
sys.path.insert(0, str(ROOT / "benchmarks" / "perf"))

import make_toy_cohort as toy  # noqa: E402
from run import md_table, rule_table  # noqa: E402  (the panel benchmark's tables)
from simlib import bench  # noqa: E402

SMK = [sys.executable, "-m", "snakemake"]
DEFAULT_BACKBONE = 1_000_000   # the config schema's wgs.backbone_spacing
CNVKIT_BP_PER_BIN = 50_000     # cnvlib.batch: autobin(bp_per_bin=50000) for --method wgs
STAGES = ["bins", "coverage", "reference", "call", "cohort", "report", "multiqc"]  # the workflow's order

# Tumour templates, cycled: (subtype, age group, blast %, events in the toy's YAML form).
# Gene events take exon units first..last in transcription order; `fraction` is of the blasts.
TUMOURS = [
    ("B-other", "pediatric", 80, [{"gene": "IKZF1", "exons": [4, 7], "copies": -1},
                                  {"gene": "CDKN2A", "exons": [1, 4], "copies": -2, "extend": 20000}]),
    ("Ph+", "adult", 90, [{"gene": "IKZF1", "exons": [1, 8], "copies": -1, "extend": 400000},
                          {"gene": "PAX5", "exons": [2, 6], "copies": -1}]),
    ("ETV6-RUNX1", "pediatric", 60, [{"gene": "IKZF1", "exons": [2, 3], "copies": -1},
                                     {"gene": "ETV6", "exons": [3, 8], "copies": -1}]),
    ("hyperdiploid", "pediatric", 85, [{"chrom": c, "copies": 1} for c in
                                       ("chr4", "chr6", "chr10", "chr14", "chr17", "chr18", "chr21", "chr21")]),
    ("B-other", "pediatric", 70, [{"gene": "IKZF1", "exons": [4, 7], "copies": -1, "fraction": 0.3}]),
    ("Ph-like", "adult", 90, [{"gene": "IKZF1", "exons": [2, 7], "copies": -1}, {"par1": True, "copies": -1}]),
    ("B-other", "pediatric", 75, [{"gene": "IKZF1", "exons": [4, 8], "copies": -1},
                                  {"gene": "ERG", "exons": [6, 12], "copies": -1},
                                  {"gene": "CDKN2A", "exons": [1, 4], "copies": -2, "extend": 3000}]),
    ("Ph+", "adult", 90, [{"gene": "IKZF1", "exons": [1, 8], "copies": -1, "extend": 150000},
                          {"gene": "IKZF1", "exons": [4, 7], "copies": -1}]),
    ("B-other", "pediatric", 70, [{"monosomy": "chr7", "fraction": 0.5}]),
    ("ETV6-RUNX1", "pediatric", 85, [{"gene": "ETV6", "exons": [2, 8], "copies": -1},
                                     {"gene": "BTG1", "exons": [1, 2], "copies": -1, "extend": 20000}]),
    ("B-other", "pediatric", 40, [{"gene": "IKZF1", "exons": [4, 7], "copies": -1},
                                  {"gene": "EBF1", "exons": [8, 16], "copies": -1}]),
    ("Ph+", "adult", 80, [{"gene": "IKZF1", "exons": [4, 7], "copies": -1},
                          {"gene": "RB1", "exons": [10, 20], "copies": -1}]),
    ("B-other", "adult", 65, [{"gene": "IKZF1", "exons": [2, 3], "copies": -1},
                              {"gene": "CDKN2A", "exons": [1, 4], "copies": -1, "extend": 3000}]),
    ("B-other", "pediatric", 80, [{"gene": "PAX5", "exons": [1, 10], "copies": -1, "extend": 50000}]),
    ("B-other", "pediatric", 35, [{"gene": "IKZF1", "exons": [1, 8], "copies": -1, "extend": 50000}]),
    ("hyperdiploid", "pediatric", 90, []),
]


def cohort_spec(n_tumours: int = 16, n_normals: int = 6, backbone_spacing: int = DEFAULT_BACKBONE) -> dict:
    """The benchmark cohort in the toy's YAML form (resources/toy/genome.yaml's settings,
    the backbone at `backbone_spacing`): normals WN01.. and tumours WT01.. (the templates
    above, cycled), sexes alternating, depths 28-32x, each tumour's truth from its events'
    geometry (simlib.bench.truth_row), so the toy generator's check holds by construction."""
    base = yaml.safe_load((ROOT / "resources" / "toy" / "genome.yaml").read_text())
    spec = {k: v for k, v in base.items() if k != "samples"}
    spec["backbone_spacing"] = backbone_spacing
    b = toy.load_build(spec["build"])
    depths = (30, 31, 29, 32, 28)
    samples = [{"sample": f"WN{i + 1:02d}", "type": "normal", "sex": ("female", "male")[i % 2],
                "depth": depths[i % len(depths)]} for i in range(n_normals)]
    for i in range(n_tumours):
        subtype, age, blast, events = TUMOURS[i % len(TUMOURS)]
        s = {"sample": f"WT{i + 1:02d}", "subtype": subtype, "age_group": age, "sex": ("male", "female")[i % 2],
             "blast_pct": blast, "depth": depths[(i + 2) % len(depths)], "events": [dict(e) for e in events]}
        s["truth"] = geometry_truth(s, b)
        samples.append(s)
    spec["samples"] = samples
    return spec


def geometry_truth(s: dict, b: dict) -> dict:
    """A tumour's `truth` block (the toy's form) from its events' geometry."""
    t = bench.truth_row({"sample": s["sample"], "subtype": s["subtype"], "blast": s["blast_pct"] / 100,
                         "depth": s["depth"]}, b["units"], toy.sample_events(s, b), toy.RULES)
    out = {k: t[k] for k in ("status", "ikzf1_deletion", "ikzf1_exons_deleted", "ikzf1_exons_biallelic",
                             "ikzf1plus", "ukall_cna")}
    out.update({g: t[g] for g in toy.GENES if t[g] != "none"})
    if t["ikzf1_cell_fraction"] != "NA":
        out["ikzf1_cell_fraction"] = float(t["ikzf1_cell_fraction"])
    return out


def simulate_cohort(d: Path, spec: dict, processes: int) -> Path:
    """BAMs, truth.tsv and samples.tsv of `spec` in `d` (spec.yaml beside them); the sheet."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    toy.make_cohort(spec, d, d / "samples.tsv", d / "spec.yaml", processes)
    return d / "samples.tsv"


def read_sheet(sheet: Path) -> pd.DataFrame:
    """The sample sheet with each BAM as an absolute path (relative ones: to the repository)."""
    df = pd.read_csv(sheet, sep="\t", dtype=str, keep_default_na=False)
    df["bam"] = [b if Path(b).is_absolute() else str(ROOT / b) for b in df["bam"]]
    return df


def ikzf1cnv_config(sheet: Path, outdir: Path, genome: str, backbone_spacing: int) -> dict:
    """The whole-genome config: the sheet, targets null, the schema's defaults otherwise
    (wgs.backbone_spacing only where the reads' backbone is not the default)."""
    cfg = {"samples": str(sheet), "genome": genome, "targets": None, "outdir": str(outdir)}
    if backbone_spacing != DEFAULT_BACKBONE:
        cfg["wgs"] = {"backbone_spacing": backbone_spacing}
    return cfg


def access_bed(contigs: dict[str, int], path: Path) -> Path:
    """CNVkit's --access without a FASTA: every primary contig, whole (assembly gaps included)."""
    path.write_text("".join(f"{c}\t0\t{n}\n" for c, n in contigs.items()))
    return path


def cnvkit_bin_size(depth: float) -> int:
    """The bin size CNVkit's autobin gives a genome of this depth (batch --method wgs)."""
    return int(round(CNVKIT_BP_PER_BIN / depth))


def cnvkit_command(sheet: pd.DataFrame, access: Path, bin_size: int | None, cores: int, outdir: Path,
                   par_genome: str) -> list[str]:
    """`cnvkit.py batch --method wgs`: tumours as samples, the normals as the pooled
    reference; `bin_size` None leaves the bin size to CNVkit's autobin."""
    tum = sheet.loc[sheet["type"] != "normal", "bam"].tolist()
    nor = sheet.loc[sheet["type"] == "normal", "bam"].tolist()
    size = [] if bin_size is None else ["--target-avg-size", str(bin_size)]
    return ["cnvkit.py", "batch", *tum, "--normal", *nor, "--method", "wgs", "--access", str(access), *size,
            "--segment-method", "haar", "--drop-low-coverage", "-p", str(cores), "--diploid-parx-genome", par_genome,
            "--output-dir", str(outdir)]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(cmd: list[str], log: Path, **kw) -> dict:
    """Wall time, CPU time (user + sys of the process tree) and peak RSS of a command (GNU time)."""
    la0 = loadavg()
    t = time.time()
    with open(log, "w") as fh:
        subprocess.run(["/usr/bin/time", "-f", "TIME_CPU %U %S MAXRSS_KB %M", *cmd], check=True, stdout=fh,
                       stderr=fh, **kw)
    wall = time.time() - t
    m = re.findall(r"TIME_CPU ([\d.]+) ([\d.]+) MAXRSS_KB (\d+)", log.read_text())
    u, s, rss = m[-1] if m else ("nan", "nan", "nan")
    return {"wall_s": round(wall, 1), "cpu_s": round(float(u) + float(s), 1), "peak_mb": round(float(rss) / 1024),
            "t0": t, "loadavg_before": la0, "loadavg_after": loadavg()}


def _count(bam: str) -> int:
    import pysam
    return int(pysam.view("-c", bam))


def floor(bams: list[str], cores: int) -> dict:
    """`samtools view -c` (samtools' own code, in pysam) over every BAM, `cores` BAMs at a
    time in worker processes: reading and decompressing each BAM once."""
    from multiprocessing import Pool
    la0 = loadavg()
    t = time.time()
    with Pool(cores) as pool:
        counts = pool.map(_count, bams, chunksize=1)
    return {"wall_s": round(time.time() - t, 1), "reads": counts, "loadavg_before": la0, "loadavg_after": loadavg()}


def _bai(bam: str) -> str:
    import pysam
    if not os.path.exists(bam + ".bai") or os.path.getmtime(bam + ".bai") < os.path.getmtime(bam):
        pysam.index(bam)                      # name.bam.bai
    return bam + ".bai"


def ensure_bai(bams: list[str], cores: int) -> list[str]:
    """A BAI index beside every BAM, built before any timing: CNVkit needs one (it would
    build it inside its own time otherwise; the simulator writes CSI), and ikzf1-cnv then
    reads through the same index (inputs.index_of takes a .bai first)."""
    from multiprocessing import Pool
    with Pool(cores) as pool:
        return pool.map(_bai, bams, chunksize=1)


def warm_up(bams: list[str]):
    """Same start for every tool: the BAMs and their indexes in the page cache, imports compiled."""
    for b in bams:
        for f in (b, b + ".csi", b + ".bai"):
            if os.path.exists(f):
                Path(f).read_bytes()
    subprocess.run([sys.executable, "-c", "import cnvlib, pysam, snakemake.api"], check=True, capture_output=True)


def cnvkit_phases(d: Path, sheet: pd.DataFrame, t0: float, t_end: float) -> list[dict]:
    """CNVkit's phases from its output files' modification times: bins, the normals'
    coverage, the reference, the tumours (coverage, fix, segment, call, N at a time)."""
    def mt(p: Path) -> float:
        return p.stat().st_mtime
    names = {t: [Path(b).name.removesuffix(".bam") for b in sheet.loc[sel, "bam"]]
             for t, sel in (("normal", sheet["type"] == "normal"), ("tumour", sheet["type"] != "normal"))}
    bins = max(mt(p) for p in d.glob("*.target.bed"))
    normals = max(mt(d / f"{n}.{k}coverage.cnn") for n in names["normal"] for k in ("target", "antitarget"))
    ref = mt(d / "reference.cnn")
    fix = [mt(d / f"{n}.cnr") - mt(d / f"{n}.antitargetcoverage.cnn") for n in names["tumour"]]
    seg = [mt(d / f"{n}.call.cns") - mt(d / f"{n}.cnr") for n in names["tumour"]]
    return [{"phase": "bins (the access BED split)", "s": round(bins - t0, 1), "note": ""},
            {"phase": f"normals' coverage ({len(names['normal'])} BAMs)", "s": round(normals - bins, 1), "note": ""},
            {"phase": "reference", "s": round(ref - normals, 1), "note": ""},
            {"phase": f"tumours ({len(names['tumour'])}: coverage, fix, segment, call)", "s": round(t_end - ref, 1),
             "note": f"per tumour (medians): fix {pd.Series(fix).median():.1f} s, segment + call "
                     f"{pd.Series(seg).median():.1f} s"}]


def cnvkit_bins(d: Path) -> int:
    """How many bins CNVkit made (its target BED)."""
    return sum(1 for _ in open(next(d.glob("*.target.bed"))))


def ikzf1cnv_stages(rt: pd.DataFrame, n_samples: int) -> list[dict]:
    """The rule table (run.rule_table) as rows, coverage and call also per sample."""
    order = {st: i for i, st in enumerate(STAGES)}
    rows = sorted(rt.round(2).reset_index().to_dict("records"), key=lambda r: (order.get(r["stage"], len(order)),
                                                                                r["stage"]))
    for r in rows:
        r["per_sample_s"] = round(r["total_s"] / n_samples, 2) if r["stage"] in ("coverage", "call") else ""
    return rows


def summarise(cohort: dict, wf_runs: list[dict], ck_runs: list[dict], fl: dict, cores: int, config: dict) -> dict:
    """The results record (no measuring here): ikzf1-cnv's runs (before and after CNVkit;
    the slower one is the one compared), each CNVkit run with its ratio to it, the floor."""
    wf = max(wf_runs, key=lambda r: r["wall_s"])
    out_ck = [dict(r, speedup=round(r["wall_s"] / wf["wall_s"], 2), over_floor=round(r["wall_s"] / fl["wall_s"], 2))
              for r in ck_runs]
    return {"cores": cores, "cohort": cohort, "config": config, "ikzf1cnv_runs": wf_runs, "ikzf1cnv": wf,
            "ikzf1cnv_over_floor": round(wf["wall_s"] / fl["wall_s"], 2), "cnvkit_runs": out_ck,
            "floor": {k: v for k, v in fl.items() if k != "reads"},
            "speedup": min((r["speedup"] for r in out_ck), default=None)}


def _load(r: dict) -> str:
    return f"{r['loadavg_before']} -> {r['loadavg_after']}"


def render(r: dict) -> str:
    """results.md from the results record."""
    c = r["cohort"]
    rows = [{"run": f"ikzf1-cnv, whole-genome mode ({i + 1} of {len(r['ikzf1cnv_runs'])})", "bins": c["ikzf1cnv_bins"],
             "wall_s": w["wall_s"], "cpu_s": w["cpu_s"], "peak_mb": w["peak_mb"], "ikzf1cnv_faster_by": "",
             "over_floor": round(w["wall_s"] / r["floor"]["wall_s"], 2), "loadavg": _load(w)}
            for i, w in enumerate(r["ikzf1cnv_runs"])]
    rows += [{"run": f"`cnvkit.py batch --method wgs`, {k['label']}", "bins": f"{k['n_bins']:,}", "wall_s": k["wall_s"],
              "cpu_s": k["cpu_s"], "peak_mb": k["peak_mb"], "ikzf1cnv_faster_by": f"{k['speedup']}x",
              "over_floor": k["over_floor"], "loadavg": _load(k)} for k in r["cnvkit_runs"]]
    rows.append({"run": "floor: `samtools view -c` over every BAM", "bins": "", "wall_s": r["floor"]["wall_s"],
                 "cpu_s": "", "peak_mb": "", "ikzf1cnv_faster_by": "", "over_floor": 1.0, "loadavg": _load(r["floor"])})
    md = [f"# Whole-genome cohort ({r['cores']} cores)", "",
          f"{c['bams']} genome BAMs ({c['tumours']} tumours, {c['normals']} normals; {c['female']} female, "
          f"{c['male']} male), {c['depth']}x, mean {c['mean_reads']:,} reads / {c['mean_bam_mb']} MB a BAM, reads "
          f"around the gene windows and a backbone bin every {c['backbone_spacing']:,} bp ({c['dir']}).", "",
          *md_table(rows, ["run", "bins", "wall_s", "cpu_s", "peak_mb", "ikzf1cnv_faster_by", "over_floor",
                           "loadavg"]), "",
          f"Ratios against the slower ikzf1-cnv run ({r['ikzf1cnv']['wall_s']} s).", "",
          "ikzf1-cnv per stage, that run (Snakemake benchmark files):", "",
          *md_table(r["ikzf1cnv"]["stages"], ["stage", "jobs", "mean_s", "total_s", "per_sample_s", "peak_mb"])]
    for k in r["cnvkit_runs"]:
        md += ["", f"CNVkit, {k['label']}: phases from its output files' modification times", "",
               *md_table(k["phases"], ["phase", "s", "note"]), "",
               "    " + " ".join(Path(x).name if x.endswith(".bam") else x for x in k["command"])]
    md += ["", "ikzf1-cnv config: `" + json.dumps(r["config"]) + "`"]
    return "\n".join(md) + "\n"


def run_ikzf1cnv(out: Path, cfg_path: Path, wf_out: Path, cores: int, bams: list[str], n: int, tag: str) -> dict:
    shutil.rmtree(wf_out, ignore_errors=True)
    warm_up(bams)
    wf = timed([*SMK, "--cores", str(cores), "--configfile", str(cfg_path)], out / f"ikzf1cnv_{tag}.log", cwd=ROOT)
    wf.pop("t0")
    wf["stages"] = ikzf1cnv_stages(rule_table(wf_out), n)
    print(f"ikzf1-cnv ({tag}): {wf['wall_s']} s (load {_load(wf)})", flush=True)
    return wf


def run_cnvkit(out: Path, sheet: pd.DataFrame, access: Path, bin_size: int | None, label: str, cores: int,
               par: str, bams: list[str]) -> dict:
    d = out / f"cnvkit_{bin_size or 'autobin'}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    cmd = cnvkit_command(sheet, access, bin_size, cores, d, par)
    warm_up(bams)
    ck = timed(cmd, out / f"{d.name}.log")
    t0 = ck.pop("t0")
    ck.update({"label": label, "bin_size": bin_size, "n_bins": cnvkit_bins(d), "command": cmd,
               "phases": cnvkit_phases(d, sheet, t0, t0 + ck["wall_s"])})
    print(f"cnvkit ({label}): {ck['wall_s']} s (load {_load(ck)})", flush=True)
    return ck


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cohort", type=Path, help="a cohort directory (samples.tsv, spec.yaml); simulated into if "
                                                "it has no samples.tsv (default: OUTDIR/cohort)")
    ap.add_argument("--n-tumours", type=int, default=16)
    ap.add_argument("--n-normals", type=int, default=6)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--backbone-spacing", type=int, default=DEFAULT_BACKBONE,
                    help="backbone spacing the simulated reads cover (and the workflow's wgs.backbone_spacing)")
    ap.add_argument("--cnvkit-bin-size", type=int, action="append", default=[],
                    help="also a CNVkit run with this --target-avg-size (repeatable), after the one at the size "
                         "its autobin picks for a genome at the normals' depth")
    ap.add_argument("--cnvkit-autobin", action="store_true",
                    help="also a CNVkit run without --target-avg-size (autobin on these BAMs, which sees the reads "
                         "only around the loci: a shallow genome, hence its largest bins)")
    ap.add_argument("--cnvkit-results", type=Path,
                    help="take the CNVkit runs from this earlier results.json of the same cohort (BAMs and cores) "
                         "instead of running CNVkit again at the typical bin size (said so in results.md; the runs "
                         "--cnvkit-bin-size and --cnvkit-autobin ask for are still run): to re-time ikzf1-cnv at a "
                         "new commit without CNVkit's tens of minutes")
    a = ap.parse_args()
    out = a.outdir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    cdir = (a.cohort or out / "cohort").resolve()
    if not (cdir / "samples.tsv").exists():
        t = time.time()
        simulate_cohort(cdir, cohort_spec(a.n_tumours, a.n_normals, a.backbone_spacing), a.cores)
        print(f"cohort simulated in {time.time() - t:.0f} s -> {cdir}", flush=True)
    spec = yaml.safe_load((cdir / "spec.yaml").read_text()) if (cdir / "spec.yaml").exists() else {}
    backbone = int(spec.get("backbone_spacing", a.backbone_spacing))
    genome = spec.get("build", "hg38")
    sheet = read_sheet(cdir / "samples.tsv")
    bams = sheet["bam"].tolist()
    normals = [s for s in spec.get("samples", []) if s.get("type") == "normal"]
    depth = float(pd.Series([s["depth"] for s in normals]).median()) if normals else 30.0
    auto = cnvkit_bin_size(depth)
    sizes = [(auto, f"{auto:,} bp bins (autobin at {depth:g}x)")] + \
        [(b, f"{b:,} bp bins") for b in dict.fromkeys(a.cnvkit_bin_size) if b != auto]
    if a.cnvkit_autobin:
        sizes.append((None, "its autobin on these BAMs"))

    ensure_bai(bams, a.cores)
    wf_out = out / "ikzf1cnv"
    cfg = ikzf1cnv_config(cdir / "samples.tsv", wf_out, genome, backbone)
    cfg_path = out / "ikzf1cnv_config.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    wf_runs = [run_ikzf1cnv(out, cfg_path, wf_out, a.cores, bams, len(sheet), "first")]
    warm_up(bams)
    fl = floor(bams, a.cores)
    print(f"floor: {fl['wall_s']} s (load {_load(fl)})", flush=True)
    access = access_bed(toy.load_build(genome)["contigs"], out / f"access_{genome}_contigs.bed")
    par = toy.RULES["cnvkit_par_genome"][genome]
    if a.cnvkit_results:   # the typical run from the earlier results; the extra ones asked for, run here
        ck_runs = reused_cnvkit(a.cnvkit_results, cdir) + [run_cnvkit(out, sheet, access, b, label, a.cores, par, bams)
                                                           for b, label in sizes[1:]]
    else:
        ck_runs = [run_cnvkit(out, sheet, access, b, label, a.cores, par, bams) for b, label in sizes]
    wf_runs.append(run_ikzf1cnv(out, cfg_path, wf_out, a.cores, bams, len(sheet), "last"))

    cohort = {"dir": str(cdir), "bams": len(sheet), "tumours": int((sheet["type"] != "normal").sum()),
              "normals": int((sheet["type"] == "normal").sum()), "female": int((sheet["sex"] == "female").sum()),
              "male": int((sheet["sex"] == "male").sum()),
              "depth": f"{min(s['depth'] for s in spec['samples'])}-{max(s['depth'] for s in spec['samples'])}"
              if spec else "?", "backbone_spacing": backbone, "mean_reads": int(sum(fl["reads"]) / len(bams)),
              "mean_bam_mb": round(sum(os.path.getsize(b) for b in bams) / len(bams) / 1e6, 1),
              "ikzf1cnv_bins": f"{sum(1 for _ in open(wf_out / 'bins' / 'targets.bed')):,}"}
    res = summarise(cohort, wf_runs, ck_runs, fl, a.cores, cfg)
    res["machine"] = {"nproc": os.cpu_count(), "cpu": _cpu_model(), "date": time.strftime("%Y-%m-%d %H:%M"),
                      "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                               text=True).stdout.strip()}
    (out / "results.json").write_text(json.dumps(res, indent=1, default=str) + "\n")
    (out / "results.md").write_text(render(res))
    print(render(res))


def reused_cnvkit(path: Path, cdir: Path) -> list[dict]:
    """The CNVkit runs of an earlier results.json, checked to be of the same cohort, each
    labelled as reused with that run's date and commit."""
    prev = json.loads(Path(path).read_text())
    if Path(prev["cohort"]["dir"]).resolve() != cdir:
        raise SystemExit(f"{path} is of the cohort {prev['cohort']['dir']}, not {cdir}")
    when = f"{prev['machine']['date']}, commit {prev['machine']['commit']}"
    return [{k: v for k, v in dict(r, label=r["label"] if "(reused" in r["label"] else
                                   f"{r['label']} (reused: measured {when})").items()
             if k not in ("speedup", "over_floor")} for r in prev["cnvkit_runs"]]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    main()
