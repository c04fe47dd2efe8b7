#!/usr/bin/env python3
"""Performance on BAMs of a real panel's size: a cohort of >= 50 panel BAMs and one large
BAM, against the floor of reading them (`samtools view -c`), `samtools bedcov` over the
same bins and `cnvkit.py batch`, side by side in one run.

    python benchmarks/perf/realistic.py --outdir bench/realistic            # make (once) and measure
    python benchmarks/perf/realistic.py --outdir bench/realistic --only-make

The cohort (made once, then reused): 40 tumours and 10 normals of the accuracy
benchmark's panel cohort (benchmarks/accuracy/cohorts.py: IKZF1 and other deletions, arm
losses, noise), on the exon_only design with a backbone probe every 5 Mb (~750 targets),
at 300-1000x, a third of the reads off target, paired 150 bp reads with random bases and
binned qualities, 10% duplicate fragments (simlib.simulate.write_bam realistic=True;
written at compression level 1, which decompresses like level 6 and is ~5% larger). The
large BAM: one normal at --large-depth (3000x: ~1.1 GB). Bins: CNVkit's defaults (267 bp
targets, 150 kb off-target bins) for both tools.

Measured, each with `cat /proc/loadavg` before and after, on --cores cores:
  * floor: `samtools view -c` of every BAM, --cores at a time (xargs -P), wall and the
    sum of each BAM's time;
  * `samtools bedcov` over the workflow's bins (targets and off-target bins), the same way;
  * `cnvkit.py batch` (hmm segmentation, pooled normals, -p cores);
  * ikzf1-cnv, the whole workflow (--cores), and per stage from Snakemake's benchmark
    files; the coverage jobs (header check, bins, idxstats, junction reads) summed;
  * the large BAM: the floor, bedcov, and the coverage of its bins by each engine
    (this pass with zlib, and with ISA-L where installed or ISAL_PATH names a
    `pip install --target` of isal; the pysam index pass it
    replaces, a plain pysam loop collecting starts and ends), each --repeat times,
    alternating; then the workflow's coverage job on it.
Writes results.md and results.json in --outdir.
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
SMK = [sys.executable, "-m", "snakemake"]
sys.path.insert(0, str(ROOT / "benchmarks" / "perf"))
from run import md_table  # noqa: E402  (the panel benchmark's tables)
BINS = (267, 150_000)
DEPTHS_T = (300, 400, 600, 1000)
DEPTHS_N = (300, 400, 600)
SIM = {"read_length": 150, "fragment": (350, 60), "dup_rate": 0.1, "lowmapq_rate": 0.02, "offtarget_fraction": 0.33,
       "backbone_spacing": 5_000_000}


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__().replace("'", "")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ------------------------------------------------------------------ the cohort
def _one_bam(d: Path, r: dict, panel: pd.DataFrame, s: dict, ev: list, seed: int) -> tuple[str, int]:
    import pysam

    from simlib import simulate
    reads = simulate.simulate_reads(panel, r["contigs"], s["sex"], r["par1"], ev, s["depth"],
                                    simulate.seed_of(s["sample"], seed), SIM["read_length"], seed + 7,
                                    gc_slope_sd=s["noise"]["gc_slope_sd"],
                                    overdispersion_cv=s["noise"]["overdispersion_cv"],
                                    lowmapq_rate=SIM["lowmapq_rate"], offtarget_fraction=SIM["offtarget_fraction"])
    bam = d / "bams" / f"{s['sample']}.bam"
    tmp = d / "bams" / f"{s['sample']}.u.bam"
    n = simulate.write_bam(str(tmp), s["sample"], r["contigs"], reads, SIM["read_length"],
                           simulate.seed_of(s["sample"], seed + 1), dup_rate=SIM["dup_rate"],
                           fragment=SIM["fragment"], realistic=True, compress=False)
    if shutil.which("samtools"):   # libdeflate's level 1: ~3x faster than pysam's zlib
        subprocess.run(["samtools", "view", "-b", "-1", "-o", str(bam), str(tmp)], check=True)
    else:
        pysam.view("-b", "-1", "-o", str(bam), str(tmp), catch_stdout=False)
    pysam.index(str(bam))
    tmp.unlink()
    return str(bam), n


def make_cohort(d: Path, n_t: int, n_n: int, large_depth: int, cores: int, seed: int = 2026):
    """The cohort's BAMs, sheet and panel under d (kept: made once)."""
    import cohorts
    import simulation

    from simlib import simulate
    if (d / "samples.tsv").exists() and (d / "large.tsv").exists():
        return
    (d / "bams").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    r = simulation.resources("hg38")
    units = r["units"][r["units"]["gene"].isin(simulation.PANEL_GENES)]
    chroms = [c for c in r["contigs"] if c != "chrY"]
    ps = simulation.PANEL_SIM
    panel = simulate.design_panel(units, r["introns"], r["contigs"], "exon_only", chroms, SIM["backbone_spacing"],
                                  ps["backbone_size"], ps["max_target"], ps["tile_spacing"], ps["tile_size"])
    panel.to_csv(d / "panel.bed", sep="\t", header=False, index=False)
    specs = cohorts.panel_specs(n_t, n_n, rng, simulation.RATES, 0.6)
    for s in specs:
        s["depth"] = int(rng.choice(DEPTHS_T if s["type"] == "tumor" else DEPTHS_N))
    large = dict(specs[0], sample="LARGE", depth=large_depth)
    events = [simulate.events_from_spec(s, r["units"], r["contigs"], s["blast"],
                                        np.random.default_rng(simulate.seed_of(s["sample"], seed + 2)), r["arms"])
              for s in specs]
    todo = [(s, ev) for s, ev in zip(specs, events)] + [(large, [])]
    t = time.time()
    with ProcessPoolExecutor(cores) as ex:
        out = list(ex.map(_one_bam, *zip(*[(d, r, panel, s, ev, seed) for s, ev in todo])))
    log(f"{len(todo)} BAMs written in {time.time() - t:.0f} s")
    rows = [{"sample": s["sample"], "bam": bam, "type": s["type"], "subtype": s["subtype"],
             "age_group": s["age_group"], "blast_pct": "" if s["type"] == "normal" else round(100 * s["blast"]),
             "sex": s["sex"], "depth": s["depth"], "reads": n} for (s, _), (bam, n) in zip(todo, out)]
    sheet = pd.DataFrame(rows)
    sheet.iloc[-1:].drop(columns=["depth", "reads"]).assign(type="tumor").to_csv(d / "large.tsv", sep="\t",
                                                                                   index=False)
    sheet.iloc[:-1].to_csv(d / "cohort_reads.tsv", sep="\t", index=False)
    sheet.iloc[:-1].drop(columns=["depth", "reads"]).to_csv(d / "samples.tsv", sep="\t", index=False)
    (d / "specs.json").write_text(json.dumps(specs, indent=1, default=str))


# ------------------------------------------------------------------ measurements
def children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far, their own
    children included (the machine is shared: wall time alone says little)."""
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, log_path: Path, **kw) -> tuple[float, float]:
    """Wall and CPU seconds of a command."""
    c, t = children_cpu(), time.time()
    with open(log_path, "w") as fh:
        subprocess.run(cmd, check=True, stdout=fh, stderr=fh, **kw)
    return time.time() - t, children_cpu() - c


def each_bam(cmd_of, bams: list[str], cores: int, out: Path, name: str) -> dict:
    """A shell command per BAM, `cores` at a time: wall, and the sum of the commands' own
    wall times."""
    from concurrent.futures import ThreadPoolExecutor

    def one(b):
        t = time.time()
        subprocess.run(cmd_of(b), shell=True, check=True, stdout=subprocess.DEVNULL)
        return time.time() - t
    la0 = loadavg()
    c, t = children_cpu(), time.time()
    with ThreadPoolExecutor(cores) as ex:
        per = list(ex.map(one, bams))
    wall = time.time() - t
    return {"wall_s": round(wall, 2), "sum_s": round(sum(per), 2), "cpu_s": round(children_cpu() - c, 2),
            "loadavg": [la0, loadavg()]}


def rule_table(outdir: Path) -> pd.DataFrame:
    rows = []
    for f in sorted((outdir / "benchmarks").rglob("*.tsv")):
        b = pd.read_csv(f, sep="\t")
        rows.append({"stage": re.sub(r"_\d+$", "", f.stem), "s": float(b["s"].iloc[0]),
                     "cpu_s": float(b["cpu_time"].iloc[0]), "max_rss_mb": float(b["max_rss"].iloc[0])})
    return pd.DataFrame(rows).groupby("stage").agg(jobs=("s", "size"), total_s=("s", "sum"), cpu_s=("cpu_s", "sum"),
                                                   peak_mb=("max_rss_mb", "max"))


def workflow(sheet: Path, panel: Path, outdir: Path, cores: int, logp: Path) -> dict:
    if outdir.exists():
        shutil.rmtree(outdir)
    la0 = loadavg()
    wall, cpu = timed([*SMK, "--cores", str(cores), "--config", f"samples={sheet}", f"targets={panel}", "genome=hg38",
                       f"outdir={outdir}", f"target_avg_size={BINS[0]}", f"antitarget_avg_size={BINS[1]}"], logp,
                      cwd=ROOT)
    rt = rule_table(outdir)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "loadavg": [la0, loadavg()],
            "stages": rt.round(2).reset_index().to_dict("records")}


def cnvkit(sheet: Path, panel: Path, outdir: Path, cores: int, logp: Path) -> dict:
    s = pd.read_csv(sheet, sep="\t", dtype=str)
    tum, nor = s.loc[s["type"] == "tumor", "bam"].tolist(), s.loc[s["type"] == "normal", "bam"].tolist()
    if outdir.exists():
        shutil.rmtree(outdir)
    la0 = loadavg()
    wall, cpu = timed(["cnvkit.py", "batch", *tum, "--normal", *nor, "--targets", str(panel), "--segment-method",
                       "hmm", "-p", str(cores), "--target-avg-size", str(BINS[0]), "--antitarget-avg-size",
                       str(BINS[1]), "--output-dir", str(outdir), "--diploid-parx-genome", "grch38"], logp)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "loadavg": [la0, loadavg()]}


COVERAGE_BATCH = r"""
import json, sys, time
sys.path.insert(0, {wf!r})
from ikzf1cnv.stages import coverage
coverage.run(coverage.CoverageBatch.from_names(json.loads(sys.argv[1]), {{"threads": int(sys.argv[2])}}))
"""


def coverage_jobs(sheet: Path, bins: tuple[str, str], out: Path, cores: int, batch_size: int = 10) -> dict:
    """The workflow's coverage jobs run directly (what each does: header check, bins,
    idxstats, junction reads; not Snakemake's start of a job), batched as the workflow
    batches the sheet, `cores` jobs at a time with the threads it would give them: wall,
    the sum of the jobs' wall times, and their CPU time (exact, from the kernel; Snakemake's
    benchmark files sample CPU time every 30 s and miss the end of a job)."""
    from concurrent.futures import ThreadPoolExecutor

    from ikzf1cnv.reads import bgzf
    from ikzf1cnv.stages import plan
    s = pd.read_csv(sheet, sep="\t", dtype=str, keep_default_na=False).set_index("sample")
    batches = plan.batches(sorted(s.index), batch_size, "coverage_")
    threads = plan.coverage_threads(cores, len(batches))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    res_dir = ROOT / "resources"
    code = COVERAGE_BATCH.format(wf=str(ROOT / "workflow"))

    def one(members):
        o = {k: [str(out / f"{m}.{k}") for m in members] for k in ("t", "a", "json", "jx", "idx")}
        bams = [s.loc[m, "bam"] for m in members]
        job = dict(sample=members, bam=bams, bai=[b + ".bai" for b in bams], genome="hg38",
                   hg38_contigs=str(res_dir / "hg38" / "contigs.tsv"), hg19_contigs=str(res_dir / "hg19" / "contigs.tsv"),
                   target_bins=bins[0], antitarget_bins=bins[1], min_mapq=0, fasta=[],
                   junction_settings={"min_clip": 20, "min_insert": 1000, "pair_window": 500, "tolerance": 5},
                   target_coverage=o["t"], antitarget_coverage=o["a"], bam_info=o["json"], junctions=o["jx"],
                   idxstats=o["idx"], stats=[], on_sample_error="continue", sequential=True)
        t = time.time()
        subprocess.run([sys.executable, "-c", code, json.dumps(job), str(threads)], check=True, capture_output=True)
        return time.time() - t
    la0 = loadavg()
    c, t = children_cpu(), time.time()
    with ThreadPoolExecutor(cores) as ex:
        per = list(ex.map(one, batches.values()))
    wall = time.time() - t
    return {"wall_s": round(wall, 2), "sum_s": round(sum(per), 2), "cpu_s": round(children_cpu() - c, 2),
            "jobs": len(batches), "threads": threads, "loadavg": [la0, loadavg()]}


ENGINE = r"""
import os, sys, time
sys.path.insert(0, {wf!r})
kind, bam, bins = sys.argv[1], sys.argv[2], sys.argv[3:5]
if kind == "isal" and os.environ.get("ISAL_PATH"):
    sys.path.insert(0, os.environ["ISAL_PATH"])
from ikzf1cnv.reads import bgzf, coverage as bam_coverage, junction_reads, passes
from ikzf1cnv.reads.binning import PassSettings
if kind == "zlib":
    import zlib; bgzf._z = zlib
assert kind != "isal" or bgzf.INFLATE == "isal"
t, c = time.time(), time.process_time()
if kind == "pysam_loop":
    import pysam
    st, en, ch = [], [], []
    with pysam.AlignmentFile(bam) as fh:
        for r in fh.fetch(until_eof=True):
            if r.flag & 0x704:
                continue
            st.append(r.reference_start); en.append(r.reference_end); ch.append(r.reference_name)
else:
    if kind == "index":   # pysam's objects through the index (what panels used before; CRAM still does)
        passes.index_scan = lambda fh, bam_, *rest: passes.index_pass(fh, *rest)
    jr = junction_reads.JunctionReads(20, 1000)
    covs = bam_coverage.bin_coverages(bins, bam, PassSettings(sequential=kind not in ("index", "index_scan")), junction_reads=jr)
wall, cpu = time.time() - t, time.process_time() - c
# what the engine counted, after the clock (tests/test_perf_realistic.py compares the engines):
# per bin set, the bins, their aligned bases and a checksum of where they lie
import zlib
import pandas as pd
if kind == "pysam_loop":   # the loop's reads binned as the workflow bins them
    import numpy as np
    from ikzf1cnv.reads import binning
    reads = pd.DataFrame({{"c": ch, "s": st, "e": en}})
    covs = []
    for path in bins:
        b = pd.read_csv(path, sep="\t", header=None, usecols=[0, 1, 2], names=["chromosome", "start", "end"])
        n = np.zeros(len(b))
        for chrom, rows in b.groupby("chromosome").groups.items():
            rr = reads[reads["c"] == chrom]
            n[rows] = binning.aligned_bases(rr["s"].to_numpy(), rr["e"].to_numpy(), b.loc[rows, "start"].to_numpy(),
                                            b.loc[rows, "end"].to_numpy())
        covs.append(b.assign(depth=n / (b["end"] - b["start"]).to_numpy()))
out = []
for df in covs:
    n = [int(round(d * (e - s))) for d, s, e in zip(df["depth"], df["start"], df["end"])]
    where = sum(zlib.crc32(f"{{c}}:{{s}}-{{e}}".encode()) * k for c, s, e, k in zip(df["chromosome"], df["start"], df["end"], n))
    out += [len(df), sum(n), where % (2 ** 61 - 1)]
print("bases", *out)
print(wall, cpu)
"""


def engines(bam: str, bins: tuple[str, str], out: Path, repeat: int) -> list[dict]:
    """Coverage of the bins (and junction reads) of one BAM by each engine, alternating."""
    from ikzf1cnv.reads import bgzf
    from ikzf1cnv.stages import plan
    has_isal = bgzf.INFLATE == "isal" or bool(os.environ.get("ISAL_PATH"))   # ISAL_PATH: a pip --target of isal
    kinds = ["samtools view -c", "sequential (zlib)"] + (["sequential (isal)"] if has_isal else []) \
        + ["index pass (pysam, before)", "index scan (bamscan through the index)", "pysam loop (starts, ends)",
           "samtools bedcov"]
    code = ENGINE.format(wf=str(ROOT / "workflow"))
    times: dict[str, list] = {k: [] for k in kinds}
    cpus: dict[str, list] = {k: [] for k in kinds}
    las = []
    for _ in range(repeat):
        las.append(loadavg())
        for k in kinds:
            c = children_cpu()
            if k == "samtools view -c":
                t = time.time()
                subprocess.run(["samtools", "view", "-c", bam], check=True, capture_output=True)
                times[k].append(time.time() - t)
            elif k == "samtools bedcov":
                t = time.time()
                subprocess.run(f"samtools bedcov -Q 0 {bins[0]} {bam} > /dev/null && "
                               f"samtools bedcov -Q 0 {bins[1]} {bam} > /dev/null", shell=True, check=True)
                times[k].append(time.time() - t)
            else:
                arg = {"sequential (zlib)": "zlib", "sequential (isal)": "isal", "index pass (pysam, before)": "index",
                       "index scan (bamscan through the index)": "index_scan",
                       "pysam loop (starts, ends)": "pysam_loop"}[k]
                p = subprocess.run([sys.executable, "-c", code, arg, bam, *bins], check=True, capture_output=True,
                                   text=True)
                wall, cpu = map(float, p.stdout.strip().splitlines()[-1].split())   # the pass, not the imports
                times[k].append(wall)
                cpus[k].append(cpu)
                continue
            cpus[k].append(children_cpu() - c)
    las.append(loadavg())
    floor, floor_cpu = np.median(times["samtools view -c"]), np.median(cpus["samtools view -c"])
    return [{"engine": k, "runs_s": [round(x, 2) for x in v], "median_s": round(float(np.median(v)), 2),
             "x_floor": round(float(np.median(v) / floor), 2), "cpu_s": round(float(np.median(cpus[k])), 2),
             "cpu_x_floor": round(float(np.median(cpus[k]) / floor_cpu), 2), "loadavg": las}
            for k, v in times.items()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--tumours", type=int, default=40)
    ap.add_argument("--normals", type=int, default=10)
    ap.add_argument("--large-depth", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only-make", action="store_true")
    ap.add_argument("--skip", default="", help="comma-separated: cnvkit,bedcov,engines,large")
    ap.add_argument("--resume", action="store_true", help="keep the stages results.json already holds")
    a = ap.parse_args()
    d = a.outdir.resolve()
    make_cohort(d / "cohort", a.tumours, a.normals, a.large_depth, a.cores)
    if a.only_make:
        return
    skip = set(filter(None, a.skip.split(",")))
    c = d / "cohort"
    runs = d / "runs"
    runs.mkdir(exist_ok=True)
    reads = pd.read_csv(c / "cohort_reads.tsv", sep="\t")
    bams = reads["bam"].tolist()
    large = pd.read_csv(c / "large.tsv", sep="\t")["bam"].iloc[0]
    import pysam
    large_reads = sum(int(x.split("\t")[2]) + int(x.split("\t")[3]) for x in pysam.idxstats(large).splitlines() if x)
    res = {"cores": a.cores, "bams": len(bams), "reads_mean": int(reads["reads"].mean()),
           "mb_mean": round(float(np.mean([os.path.getsize(b) for b in bams])) / 1e6, 1),
           "depths": sorted(set(reads["depth"])), "large_mb": round(os.path.getsize(large) / 1e6),
           "large_reads": large_reads,
           "inflate": __import__("ikzf1cnv.reads.bgzf", fromlist=["x"]).INFLATE, "started": time.strftime("%F %T")}
    log(f"cohort: {len(bams)} BAMs, mean {res['mb_mean']} MB; large {res['large_mb']} MB")
    for b in bams + [large]:   # the page cache warm for every tool
        subprocess.run(["cat", b], stdout=subprocess.DEVNULL, check=True)
    def save():
        res["finished"] = time.strftime("%F %T")
        (d / "results.json").write_text(json.dumps(res, indent=1, default=str) + "\n")
        (d / "results.md").write_text("\n".join(report(res)) + "\n")
    if (d / "results.json").exists() and a.resume:   # stages already measured in this run's results
        res.update({k: v for k, v in json.loads((d / "results.json").read_text()).items() if k not in res})
    if "ikzf1cnv" not in res:
        log("ikzf1-cnv")
        res["ikzf1cnv"] = workflow(c / "samples.tsv", c / "panel.bed", runs / "ikzf1cnv", a.cores,
                                   runs / "ikzf1cnv.log")
        save()
    bins = (str(runs / "ikzf1cnv" / "bins" / "targets.bed"), str(runs / "ikzf1cnv" / "bins" / "antitargets.bed"))
    if "floor" not in res:
        log("floor")
        res["floor"] = each_bam(lambda b: f"samtools view -c {b}", bams, a.cores, runs, "viewc")
        save()
    if "large" not in skip and "large_workflow" not in res:
        log("large BAM")
        res["large_floor"] = each_bam(lambda b: f"samtools view -c {b}", [large], 1, runs, "large_viewc")
        res["large_workflow"] = workflow(c / "large.tsv", c / "panel.bed", runs / "large", a.cores,
                                         runs / "large.log")
        save()
    if "engines" not in skip and "engines" not in res:
        log("engines on the large BAM")
        res["engines"] = engines(large, bins, runs, a.repeat)
        save()
    if "coverage_jobs" not in res:
        log("coverage jobs, directly")
        res["coverage_jobs"] = coverage_jobs(c / "samples.tsv", bins, runs / "coverage_jobs", a.cores)
        res["floor_again"] = each_bam(lambda b: f"samtools view -c {b}", bams, a.cores, runs, "viewc")
        res["large_coverage_job"] = coverage_jobs(c / "large.tsv", bins, runs / "coverage_large", a.cores)
        res["large_floor_again"] = each_bam(lambda b: f"samtools view -c {b}", [large], 1, runs, "large_viewc")
        save()
    if "ikzf1cnv_again" not in res and a.repeat > 1:
        log("ikzf1-cnv again (its CPU time)")
        res["ikzf1cnv_again"] = workflow(c / "samples.tsv", c / "panel.bed", runs / "ikzf1cnv_again", a.cores,
                                         runs / "ikzf1cnv_again.log")
        save()
    if "bedcov" not in skip and "bedcov" not in res:
        log("bedcov")
        res["bedcov"] = each_bam(lambda b: f"samtools bedcov -Q 0 {bins[0]} {b} && samtools bedcov -Q 0 {bins[1]} {b}",
                                 bams, a.cores, runs, "bedcov")
        save()
    if "cnvkit" not in skip and "cnvkit" not in res:
        log("cnvkit batch")
        res["cnvkit"] = cnvkit(c / "samples.tsv", c / "panel.bed", runs / "cnvkit", a.cores, runs / "cnvkit.log")
        save()
    print("\n".join(report(res)))


def report(res: dict) -> list[str]:
    st = {r["stage"]: r for r in res["ikzf1cnv"]["stages"]}
    cov, cov_cpu = st["coverage"]["total_s"], st["coverage"]["cpu_s"]
    fl = res.get("floor")
    md = [f"# Realistic panel cohort ({res['cores']} cores, {res['started']} - {res['finished']})", "",
          f"{res['bams']} BAMs, mean {res['mb_mean']} MB ({res['reads_mean']:,} reads), depths {res['depths']}; "
          f"large BAM {res['large_mb']} MB ({res.get('large_reads', 0):,} reads); inflate: {res['inflate']}", "",
          "| | wall s | sum over BAMs s | CPU s | loadavg before -> after |", "|---|---|---|---|---|"]

    def row(name, r, summed=True):
        return (f"| {name} | {r['wall_s']} | {r['sum_s'] if summed else ''} | {r.get('cpu_s', '')} | "
                f"{r['loadavg'][0]} -> {r['loadavg'][1]} |")
    if fl:
        md.append(row("`samtools view -c` (floor)", fl))
    if "bedcov" in res:
        md.append(row("`samtools bedcov`, the same bins", res["bedcov"]))
    if "cnvkit" in res:
        md.append(row("`cnvkit.py batch` (hmm)", res["cnvkit"], False))
    w = res["ikzf1cnv"]
    md.append(row("ikzf1-cnv, whole workflow", w, False))
    if "ikzf1cnv_again" in res:
        md.append(row("ikzf1-cnv, whole workflow, again", res["ikzf1cnv_again"], False))
    md.append(f"| ikzf1-cnv coverage jobs (header check, bins, idxstats, junction reads) | | {cov:.1f} | {cov_cpu:.1f} | |")
    if "coverage_jobs" in res:
        cj, fa = res["coverage_jobs"], res["floor_again"]
        md.append(f"| the same coverage jobs run directly ({cj['jobs']} jobs, {cj['threads']} thread each) | "
                  f"{cj['wall_s']} | {cj['sum_s']} | {cj['cpu_s']} | {cj['loadavg'][0]} -> {cj['loadavg'][1]} |")
        md.append(row("`samtools view -c` again, right after", fa))
        md += ["", f"- coverage jobs run directly / the floor right after: {cj['sum_s'] / fa['sum_s']:.2f}x (wall, "
                   f"summed over the BAMs), {cj['wall_s'] / fa['wall_s']:.2f}x (wall), "
                   f"{cj['cpu_s'] / fa['cpu_s']:.2f}x (CPU)"]
    if fl:
        md += ["", f"- coverage jobs / floor: {cov / fl['sum_s']:.2f}x (wall, summed over the BAMs), "
                   f"{cov_cpu / fl['cpu_s']:.2f}x (CPU)" if fl.get("cpu_s") else
                   f"- coverage jobs / floor: {cov / fl['sum_s']:.2f}x (wall, summed over the BAMs)"]
    if "cnvkit" in res:
        k = res["cnvkit"]
        md.append(f"- cnvkit.py batch / whole workflow: {k['wall_s'] / w['wall_s']:.2f}x (wall)"
                  + (f", {k['cpu_s'] / w['cpu_s']:.2f}x (CPU)" if k.get("cpu_s") and w.get("cpu_s") else ""))
    md += ["", "Per stage (Snakemake benchmark files; s: wall, cpu_s: CPU time):", ""]
    md += md_table(w["stages"], ["stage", "jobs", "total_s", "cpu_s", "peak_mb"])
    if "large_workflow" in res:
        lst = {r["stage"]: r for r in res["large_workflow"]["stages"]}
        lf = res["large_floor"]
        lc = lst["coverage"]
        md += ["", f"Large BAM ({res['large_mb']} MB, {res.get('large_reads', 0):,} reads): `samtools view -c` "
                   f"{lf['sum_s']} s wall, {lf.get('cpu_s', '?')} s CPU; the coverage job {lc['total_s']} s wall "
                   f"({lc['total_s'] / lf['sum_s']:.2f}x), {lc['cpu_s']} s CPU"
                   + (f" ({lc['cpu_s'] / lf['cpu_s']:.2f}x)" if lf.get("cpu_s") else "")
                   + f"; the whole workflow {res['large_workflow']['wall_s']} s"]
    if "large_coverage_job" in res:
        lj, lf2 = res["large_coverage_job"], res["large_floor_again"]
        md += ["", f"Large BAM, its coverage job run directly ({lj['threads']} threads): {lj['wall_s']} s wall, "
                   f"{lj['cpu_s']} s CPU; `samtools view -c` right after: {lf2['wall_s']} s wall, {lf2['cpu_s']} s "
                   f"CPU ({lj['wall_s'] / lf2['wall_s']:.2f}x wall, {lj['cpu_s'] / lf2['cpu_s']:.2f}x CPU)"]
    if "engines" in res:
        md += ["", "Engines on the large BAM (coverage of every bin and the junction reads; median of the runs; "
                   "Python engines: the pass only, without the interpreter's start):", ""]
        md += md_table(res["engines"], ["engine", "runs_s", "median_s", "x_floor", "cpu_s", "cpu_x_floor"])
        md.append(f"\nloadavg at each round: {res['engines'][0]['loadavg']}")
    return md


if __name__ == "__main__":
    main()
