#!/usr/bin/env python3
"""BAM readers side by side: the same coverage (and junction reads) of the same realistic
panel BAMs read by our hand-written reader (bamscan) and by maintained libraries, against
the floor of reading every record (`samtools view -c`).

    python benchmarks/perf/readers.py --outdir bench/readers                     # simulate 5 BAMs, then time
    python benchmarks/perf/readers.py --outdir bench/readers --cohort bench/realistic/cohort --bams 5

The BAMs: realistic.py's simulation (make_cohort: the panel cohort's tumours and normals,
paired 150 bp reads, 10% duplicates, a third off target; ~210 MB and ~1.9 M reads a BAM),
--tumours + --normals of them and one more at --large-depth; or the first --bams of an
existing cohort (--cohort: a directory realistic.py made). The bins: CNVkit's defaults on
the cohort's panel (267 bp targets, 150 kb off-target bins), as the workflow makes them.

Engines (each BAM, each engine in turn, --repeat rounds; the Python engines run in a
fresh interpreter and are timed from inside, without their imports):
  * `samtools view -c`: the floor (every record decompressed, htslib with libdeflate);
  * ours: reads.coverage.bin_coverages (sequential) with a junction collector, our reader inflating
    with zlib, and with ISA-L (where the isal package is installed);
  * pysam objects: the same pass fed by pysam (the CRAM path of cnv: _pysam_batches);
  * a plain pysam loop: starts and ends of the reads through the filters, binned with
    reads.binning.aligned_bases (coverage only);
  * oxbow (noodles, Arrow columns): rname, pos, end, flag, mapq, CIGAR, mate fields, name
    and the SA and MC tags, fed to the same pass (binning and junction offers as ours);
  * mosdepth --by bins -x (fast mode: a read covers its aligned span, deletions and skips
    included, mate overlaps not corrected: bedcov's count), -F 0x704 -Q 0 (its defaults),
    no per-base output; MOSDEPTH_PRECISION=10 so that mean x length gives the base count
    (coverage only: it has no junction reads, split reads or discordant pairs).
Every engine's base count per bin is compared with ours (zlib) and must be equal (the
run stops otherwise; mosdepth is reported, not asserted); the junction reads of the
engines that collect them likewise. Writes results.md and results.json in --outdir.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
# The package's modules used here, in one place.
from ikzf1cnv.cnvkit.bins import make_bins as cnvkit_make_bins  # noqa: E402
from ikzf1cnv.reads import alignments, bgzf, binning, rawread, records  # noqa: E402  (our reader)
from ikzf1cnv.reads.coverage import bin_coverages  # noqa: E402
from ikzf1cnv.reads.junction_reads import JunctionReads  # noqa: E402

EXCLUDE = binning.EXCLUDE_FLAGS          # 0x704: CNVkit's (and bedcov's, mosdepth's) default filter
MIN_CLIP, MIN_INSERT = 20, 1000      # the workflow's junction defaults
BINS = (267, 150_000)
FLOOR = "samtools view -c (floor)"
ENGINES = {   # name -> (kind, what it computes)
    FLOOR: ("floor", "reads every record"),
    "ours: bamscan, zlib": ("zlib", "coverage + junction reads"),
    "ours: bamscan, ISA-L": ("isal", "coverage + junction reads"),
    "pysam objects through our pass (the CRAM path)": ("pysam", "coverage + junction reads"),
    "plain pysam loop": ("pysam_loop", "coverage only"),
    "oxbow (noodles, Arrow) through our pass": ("oxbow", "coverage + junction reads"),
    "mosdepth -x --by bins": ("mosdepth", "coverage only"),
}
REFERENCE = "zlib"                   # the engine every other is compared with


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ------------------------------------------------------------------ engines
def bin_table(bins: tuple[str, str]) -> pd.DataFrame:
    """The target and antitarget bins, one table (targets first), as bin_coverages reads them."""
    return pd.concat(binning.read_bins(list(bins)), ignore_index=True)


def _counts(tables: list[pd.DataFrame]) -> np.ndarray:
    """Base counts of bin_coverages' tables (depth x length, exact: integers below 2**53)."""
    t = pd.concat(tables, ignore_index=True)
    return np.rint(t["depth"].to_numpy() * (t["end"] - t["start"]).to_numpy()).astype(np.int64)


def ours(bam: str, bins, inflate=None, scan=None) -> tuple[np.ndarray, JunctionReads]:
    """reads.coverage.bin_coverages' sequential pass with a junction collector; `inflate`
    replaces our reader's inflate module (reads.bgzf: zlib, isal_zlib), `scan` its reader (a
    function of (path, threads) giving batches with reads.records.Records' columns)."""
    old = bgzf._z, records.scan
    bgzf._z, records.scan = inflate or bgzf._z, scan or records.scan
    try:
        jr = JunctionReads(MIN_CLIP, MIN_INSERT)
        return _counts(bin_coverages(list(bins), bam, binning.PassSettings(sequential=True), junction_reads=jr)), jr
    finally:
        bgzf._z, records.scan = old


def pysam_scan(path: str, threads: int = 1):
    """pysam's reads in batches with Records' columns: the CRAM path (reads.alignments)."""
    import pysam
    with pysam.AlignmentFile(path) as fh:
        yield from alignments.pysam_batches(fh, MIN_CLIP)


def pysam_loop(bam: str, bins) -> np.ndarray:
    """A plain pysam loop: each read through the filters, its start and end (pysam's
    reference_end: one base for a read without aligned bases, which these BAMs lack), binned
    per contig."""
    import pysam
    table = bin_table(bins)
    st, en, tid = [], [], []
    with pysam.AlignmentFile(bam) as fh:
        names = list(fh.references)
        for r in fh.fetch(until_eof=True):
            if r.flag & EXCLUDE:
                continue
            if r.reference_id < 0:
                break
            tid.append(r.reference_id)
            st.append(r.reference_start)
            en.append(r.reference_end)
    tid, st, en = np.array(tid), np.array(st, dtype=np.int64), np.array(en, dtype=np.int64)
    out = np.zeros(len(table), dtype=np.int64)
    for chrom, g in table.groupby("chromosome", sort=False):
        k = tid == names.index(chrom)
        out[g.index] = binning.aligned_bases(st[k], en[k], g["start"].to_numpy(), g["end"].to_numpy())
    return out


class OxbowRecords:
    """A batch of oxbow's Arrow columns with the attributes of reads.records.Records that
    reads.passes.sequential_pass and offer read."""

    def __init__(self, batch, names: list[str], ids: dict[str, int]):
        import pyarrow as pa
        import pyarrow.compute as pc
        b = pa.record_batch(batch)
        self.b, self.names = b, names

        def refids(col):   # dictionary-encoded names -> the header's ids (-1: none)
            code = np.append([ids[n] for n in col.dictionary.to_pylist()], -1).astype(np.int64)
            return code[col.indices.fill_null(-1).to_numpy()]
        self.refid, self.next_refid = refids(b.column("rname")), refids(b.column("rnext"))
        self.pos = b.column("pos").fill_null(-1).to_numpy().astype(np.int64)
        self.flag = b.column("flag").to_numpy().astype(np.int64)
        self.mapq = b.column("mapq").fill_null(255).to_numpy()
        self.tlen = b.column("tlen").to_numpy().astype(np.int64)
        self.cigar = b.column("cigar")
        # noodles' alignment end, like htslib's bam_endpos, gives a read without aligned
        # bases one base: none, as bedcov counts it (only 1-base spans are looked at)
        self.end = b.column("end").fill_null(-1).to_numpy().astype(np.int64)
        one = np.flatnonzero(self.end - self.pos == 1)
        if len(one):
            ref = pc.match_substring_regex(self.cigar.take(pa.array(one)), r"[1-9][0-9]*[MDN=X]")
            none = one[~pc.fill_null(ref, False).to_numpy(zero_copy_only=False)]
            self.end[none] = self.pos[none]

    def end_clips(self, min_clip: int) -> np.ndarray:
        """Reads with a soft clip of >= min_clip at either end of the CIGAR (the regular
        expressions only on CIGARs with an S)."""
        import pyarrow as pa
        import pyarrow.compute as pc
        out = np.zeros(len(self.pos), dtype=bool)
        rows = np.flatnonzero(pc.fill_null(pc.match_substring(self.cigar, "S"), False).to_numpy(zero_copy_only=False))
        if len(rows):
            cigar = self.cigar.take(pa.array(rows))
            for pattern in (r"^(?P<n>[0-9]+)S", r"(?P<n>[0-9]+)S$"):
                n = pc.struct_field(pc.extract_regex(cigar, pattern), "n").cast("int64").fill_null(0)
                out[rows] |= n.to_numpy() >= min_clip
        return out

    def read(self, i: int):
        return OxbowRead(self, i)


class OxbowRead:
    """One row of an OxbowRecords batch with the pysam attributes JunctionReads.add reads."""
    _OPS = {c: k for k, c in enumerate("MIDNSHP=X")}

    def __init__(self, recs: OxbowRecords, i: int):
        row = recs.b.slice(i, 1).to_pylist()[0]
        self.flag, self.query_name, self.template_length = row["flag"], row["qname"], row["tlen"]
        self.reference_id, self.next_reference_id = int(recs.refid[i]), int(recs.next_refid[i])
        self.reference_start, self.reference_end = int(recs.pos[i]), int(recs.end[i])
        self.next_reference_start = row["pnext"] if row["pnext"] is not None else -1
        import re
        self.cigartuples = [(self._OPS[op], int(n)) for n, op in re.findall(r"(\d+)([MIDNSHP=X])", row["cigar"] or "")]
        self.query_length = sum(n for op, n in self.cigartuples if op in (0, 1, 4, 7, 8))
        self.is_reverse, self.mate_is_reverse = bool(self.flag & 0x10), bool(self.flag & 0x20)
        self._tags = {k: v for k, v in (row["tags"] or {}).items() if v is not None}

    def has_tag(self, tag: str) -> bool:
        return tag in self._tags

    def get_tag(self, tag: str):
        return self._tags[tag]


def oxbow_scan(path: str, threads: int = 1):
    """The BAM's records through oxbow, in its batches, as OxbowRecords (the unplaced reads
    at the end, which sort last, stop it)."""
    import oxbow
    src = oxbow.from_bam(path, fields=["qname", "flag", "rname", "pos", "mapq", "cigar", "rnext", "pnext", "tlen",
                                       "end"], tag_defs=[("SA", "Z"), ("MC", "Z")], coords="01")
    names = list(src.chrom_names)
    ids = {n: i for i, n in enumerate(names)}
    for batch in src.batches():
        r = OxbowRecords(batch, names, ids)
        yield r
        if len(r.refid) and r.refid[-1] < 0:
            return


def mosdepth(bam: str, bins, work: Path) -> np.ndarray:
    """mosdepth's mean depth of every bin (fast mode: bedcov's count), times its length."""
    table = bin_table(bins)
    work.mkdir(parents=True, exist_ok=True)
    bed = work / "bins.bed"
    table.to_csv(bed, sep="\t", header=False, index=False)
    subprocess.run(["mosdepth", "-n", "-x", "-F", str(EXCLUDE), "-Q", "0", "--by", str(bed), str(work / "md"), bam],
                   check=True, env=dict(os.environ, MOSDEPTH_PRECISION="10"))
    got = pd.read_csv(work / "md.regions.bed.gz", sep="\t", header=None, names=["chromosome", "start", "end", "gene",
                                                                                  "mean"], dtype={"chromosome": str})
    got = table.merge(got, on=["chromosome", "start", "end", "gene"], how="left", validate="one_to_one")
    return np.rint(got["mean"].to_numpy() * (got["end"] - got["start"]).to_numpy()).astype(np.int64)


def run_engine(kind: str, bam: str, bins, work: Path | None = None) -> tuple[np.ndarray, tuple | None]:
    """One engine's base count per bin (targets, then antitargets) and its junction reads
    (split reads, discordant pairs, fragment lengths, each sorted; None: it has none)."""
    jr = None
    if kind == "zlib":
        import zlib
        counts, jr = ours(bam, bins, inflate=zlib)
    elif kind == "isal":
        from isal import isal_zlib
        counts, jr = ours(bam, bins, inflate=isal_zlib)
    elif kind == "pysam":
        counts, jr = ours(bam, bins, scan=pysam_scan)
    elif kind == "oxbow":
        counts, jr = ours(bam, bins, scan=oxbow_scan)
    elif kind == "pysam_loop":
        counts = pysam_loop(bam, bins)
    elif kind == "mosdepth":
        counts = mosdepth(bam, bins, work or Path(bam).parent / f".mosdepth.{os.getpid()}")
    else:
        raise ValueError(kind)
    return counts, None if jr is None else (sorted(jr.split), sorted(jr.pairs), sorted(jr.fragments))


def checksum(counts: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(counts, dtype="<i8").tobytes()).hexdigest()[:12]


def available(kind: str) -> bool:
    import importlib.util
    need = {"isal": "isal", "oxbow": "oxbow", "pysam": "pysam", "pysam_loop": "pysam"}
    if kind in need:
        return importlib.util.find_spec(need[kind]) is not None
    if kind in ("floor", "mosdepth"):
        return shutil.which("samtools" if kind == "floor" else "mosdepth") is not None
    return True


# ------------------------------------------------------------------ lines of our code
def sloc(source: str) -> int:
    """Lines of code: not blank, not only a comment, not in a docstring."""
    import ast
    import io
    import tokenize
    skip = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    code = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.ENDMARKER):
            code.update(range(tok.start[0], tok.end[0] + 1))
    return len(code - skip)


def _our_reader() -> int:
    return sum(sloc(Path(m.__file__).read_text()) for m in (bgzf, records, rawread))


def code_lines() -> dict[str, tuple[int, str]]:
    """Per engine kind: lines of our own code its reading needs, and what they are. The
    binning and junction offers (cnv: aligned_bases, _ContigBins, _offer, _sequential_pass)
    are shared by every engine that goes through our pass, and not counted."""
    import inspect

    def src(*objs):
        return sum(sloc(inspect.getsource(o)) for o in objs)
    OUR_READER = _our_reader()
    return {
        "floor": (0, ""),
        "zlib": (OUR_READER, f"reads/bgzf.py, records.py, rawread.py, of which the index scan's RegionReader "
                             f"{src(records.RegionReader)}"),
        "isal": (OUR_READER, "reads/bgzf.py, records.py, rawread.py"),
        "pysam": (src(alignments.reference_end, alignments.PysamRecords, alignments.pysam_batches, pysam_scan),
                  "the pysam batches of reads/alignments.py, there for CRAM anyway"),
        "pysam_loop": (src(pysam_loop), "the loop; no junction reads"),
        "oxbow": (src(OxbowRecords, OxbowRead, oxbow_scan), "the adapter to our pass"),
        "mosdepth": (src(mosdepth), "the command and its output; no junction reads"),
    }


# ------------------------------------------------------------------ timing
def _child_cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_engine(kind: str, bam: str, bins, out: Path) -> dict:
    """One engine on one BAM in a fresh interpreter (this script, --run): wall and CPU of
    the work from inside it (imports left out); its counts and junction reads saved."""
    if kind == "floor":
        c, t = _child_cpu(), time.time()
        subprocess.run(["samtools", "view", "-c", bam], check=True, capture_output=True)
        return {"wall_s": time.time() - t, "cpu_s": _child_cpu() - c}
    p = subprocess.run([sys.executable, __file__, "--run", kind, bam, *bins, str(out)], check=True,
                       capture_output=True, text=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def _run_main(kind: str, bam: str, t: str, a: str, out: str):
    import pysam  # noqa: F401  (imports outside the timing)
    if kind == "oxbow":
        import oxbow  # noqa: F401
        import pyarrow.compute  # noqa: F401
    c0, w0 = time.process_time() + _child_cpu(), time.time()
    counts, jx = run_engine(kind, bam, (t, a), Path(out + ".work"))
    res = {"wall_s": time.time() - w0, "cpu_s": time.process_time() + _child_cpu() - c0}
    np.save(out + ".npy", counts)
    Path(out + ".jx.json").write_text(json.dumps(jx))
    shutil.rmtree(out + ".work", ignore_errors=True)
    print(json.dumps(res))


def make_bams(d: Path, tumours: int, normals: int, large_depth: int, cores: int) -> list[str]:
    """realistic.py's cohort simulation, for a few BAMs."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "perf"))
    import realistic
    realistic.make_cohort(d, tumours, normals, large_depth, cores)
    return cohort_bams(d, tumours + normals + 1)


def cohort_bams(d: Path, n: int) -> list[str]:
    bams = pd.read_csv(d / "cohort_reads.tsv", sep="\t")["bam"].tolist()
    if (d / "large.tsv").exists() and len(bams) < n:
        bams += pd.read_csv(d / "large.tsv", sep="\t")["bam"].tolist()
    return bams[:n]


def make_bins(panel: Path, out: Path) -> tuple[str, str]:
    from skgenome import tabio
    tgt, anti = cnvkit_make_bins(str(panel), *BINS)
    t, a = out / "targets.bed", out / "antitargets.bed"
    tabio.write(tgt, str(t), "bed4")
    tabio.write(anti, str(a), "bed4")
    return str(t), str(a)


def measure(bams: list[str], bins, out: Path, repeat: int, kinds: list[str]) -> dict:
    """Every engine on every BAM, engine after engine, `repeat` rounds; the first round's
    counts compared with the reference engine's."""
    runs = {k: {b: [] for b in bams} for k in kinds}
    rounds = []
    res_dir = out / "counts"
    res_dir.mkdir(parents=True, exist_ok=True)
    for i in range(repeat):
        la0 = loadavg()
        for b in bams:
            subprocess.run(["cat", b], stdout=subprocess.DEVNULL, check=True)   # the page cache warm
            for k in kinds:
                la = loadavg()
                r = timed_engine(k, b, bins, res_dir / f"{k}.{Path(b).stem}")
                r["loadavg"] = [la, loadavg()]
                runs[k][b].append(r)
                log(f"round {i + 1}: {Path(b).name} {k}: {r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU")
        rounds.append([la0, loadavg()])
    equal = {}
    for k in kinds:
        if k == "floor":
            continue
        cov, jx, sums, found = True, True, [], [0, 0]
        for b in bams:
            got = np.load(res_dir / f"{k}.{Path(b).stem}.npy")
            want = np.load(res_dir / f"{REFERENCE}.{Path(b).stem}.npy")
            cov &= bool(np.array_equal(got, want))
            sums.append(checksum(got))
            gj = json.loads((res_dir / f"{k}.{Path(b).stem}.jx.json").read_text())
            wj = json.loads((res_dir / f"{REFERENCE}.{Path(b).stem}.jx.json").read_text())
            jx = None if gj is None else (jx and gj == wj)
            found = [found[0] + len(wj[0]), found[1] + len(wj[1])]
        equal[k] = {"coverage": cov, "junctions": jx, "checksums": sums, "split_reads": found[0], "pairs": found[1]}
        if k != "mosdepth":   # mosdepth is reported; the engines fed to our pass must give our numbers
            assert cov and jx in (True, None), f"{k}: coverage or junction reads differ from ours"
    return {"runs": runs, "rounds_loadavg": rounds, "equal": equal}


def summarise(res: dict, kinds: list[str]) -> list[dict]:
    lines = code_lines()
    names = {v[0]: k for k, v in ENGINES.items()}
    rows = []
    for k in kinds:
        per = res["runs"][k]
        wall = sum(float(np.median([r["wall_s"] for r in v])) for v in per.values())
        cpu = sum(float(np.median([r["cpu_s"] for r in v])) for v in per.values())
        load = max(float(la.split()[0]) for v in per.values() for r in v for la in r.get("loadavg", ["0"]))
        rows.append({"engine": names[k], "kind": k, "computes": ENGINES[names[k]][1], "wall_s": wall, "cpu_s": cpu,
                     "lines": lines[k][0], "lines_what": lines[k][1], "max_load1": load})
    floor = next(r for r in rows if r["kind"] == "floor")
    fw, fc = max(floor["wall_s"], 1e-9), max(floor["cpu_s"], 1e-9)
    for r in rows:
        r["x_floor"] = round(r["wall_s"] / fw, 2)
        r["cpu_x_floor"] = round(r["cpu_s"] / fc, 2)
        r["wall_s"], r["cpu_s"] = round(r["wall_s"], 2), round(r["cpu_s"], 2)
        e = res["equal"].get(r["kind"])
        r["coverage_equal"] = "" if e is None else ("yes" if e["coverage"] else "NO")
        r["junctions_equal"] = "" if e is None else ("none" if e["junctions"] is None else
                                                     ("yes" if e["junctions"] else "NO"))
    return rows


def decide(rows: list[dict], margin: float = 0.10) -> tuple[str, list[str]]:
    """The issue's rule: of the engines that do the whole job (our coverage and our junction
    reads), those within `margin` of the fastest (wall); of them, the least code of ours."""
    full = [r for r in rows if r["coverage_equal"] == "yes" and r["junctions_equal"] == "yes"]
    best = min(r["wall_s"] for r in full)
    near = [r for r in full if r["wall_s"] <= best * (1 + margin)]
    keep = min(near, key=lambda r: (r["lines"], r["wall_s"]))
    return keep["engine"], [r["engine"] for r in near]


def report(meta: dict, rows: list[dict]) -> list[str]:
    md = [f"# BAM readers ({meta['started']} - {meta['finished']}, commit {meta['commit']})", "",
          f"{meta['n_bams']} BAMs, {meta['mb']} MB and {meta['reads']:,} records in all; {meta['bins']:,} bins; "
          f"{meta['repeat']} rounds, median per BAM, summed over the BAMs; 1 thread each; "
          f"loadavg per round (before -> after): {'; '.join(' -> '.join(x) for x in meta['rounds_loadavg'])}", "",
          "| engine | computes | wall s | CPU s | x floor (wall) | x floor (CPU) | coverage = ours | "
          "junction reads = ours | lines of our code | highest 1-min load |", "|---" * 10 + "|"]
    for r in rows:
        md.append(f"| {r['engine']} | {r['computes']} | {r['wall_s']} | {r['cpu_s']} | {r['x_floor']} | "
                  f"{r['cpu_x_floor']} | {r['coverage_equal']} | {r['junctions_equal']} | "
                  f"{r['lines']}{' (' + r['lines_what'] + ')' if r['lines_what'] else ''} | {r['max_load1']} |")
    keep, near = decide(rows)
    md += ["", f"Within 10% of the fastest full engine (coverage and junction reads): {', '.join(near)}; "
               f"the least code of ours among them: **{keep}**.",
           f"Junction reads (ours, all BAMs): {meta.get('junction_reads', '?')}.",
           f"Checksums of the base counts per BAM: {json.dumps(meta['checksums'])}"]
    return md


def main(argv=None):
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--run":
        return _run_main(*sys.argv[2:7])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", type=Path, required=True)
    ap.add_argument("--cohort", type=Path, help="a cohort directory realistic.py made (else one is simulated)")
    ap.add_argument("--bams", type=int, default=5)
    ap.add_argument("--tumours", type=int, default=3)
    ap.add_argument("--normals", type=int, default=1)
    ap.add_argument("--large-depth", type=int, default=600, help="depth of the one more BAM make_cohort writes")
    ap.add_argument("--cores", type=int, default=2, help="for the simulation only")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--engines", default="", help="comma-separated kinds (default: every one installed)")
    a = ap.parse_args(argv)
    out = a.outdir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    cohort = a.cohort.resolve() if a.cohort else out / "cohort"
    if a.cohort:
        bams = cohort_bams(cohort, a.bams)
    else:
        bams = make_bams(cohort, a.tumours, a.normals, a.large_depth, a.cores)
    bins = make_bins(cohort / "panel.bed", out)
    kinds = [v[0] for v in ENGINES.values() if available(v[0])]
    if a.engines:
        kinds = [k for k in kinds if k in a.engines.split(",") or k in ("floor", REFERENCE)]
    log(f"{len(bams)} BAMs; engines: {', '.join(kinds)}; skipped (not installed): "
        f"{', '.join(v[0] for v in ENGINES.values() if not available(v[0])) or 'none'}")
    import pysam
    reads = sum(int(x.split("\t")[2]) + int(x.split("\t")[3]) for b in bams for x in pysam.idxstats(b).splitlines()
                if x)
    started = time.strftime("%F %T")
    res = measure(bams, bins, out, a.repeat, kinds)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    meta = {"started": started, "finished": time.strftime("%F %T"), "commit": commit, "n_bams": len(bams),
            "bams": bams, "mb": round(sum(os.path.getsize(b) for b in bams) / 1e6), "reads": reads,
            "bins": len(bin_table(bins)), "repeat": a.repeat, "rounds_loadavg": res["rounds_loadavg"],
            "checksums": {k: v["checksums"] for k, v in res["equal"].items()},
            "junction_reads": "{split_reads} split reads, {pairs} discordant pairs".format(**res["equal"][REFERENCE])}
    rows = summarise(res, kinds)
    md = report(meta, rows)
    (out / "results.json").write_text(json.dumps({"meta": meta, "rows": rows, "runs": res["runs"],
                                                  "equal": res["equal"]}, indent=1) + "\n")
    (out / "results.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
