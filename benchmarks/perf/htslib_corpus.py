#!/usr/bin/env python3
"""Our coverage against `samtools bedcov` on htslib's own test files (test/*.sam, *.bam of
a checkout of samtools/htslib: odd CIGARs, pads, zero-length operations, reads without
sequence, unmapped reads placed at their mates, ...). Nothing of htslib is kept here:
give its test directory (the script says so and exits 0 when it is absent).

    python benchmarks/perf/htslib_corpus.py /path/to/htslib/test [--workdir DIR]

Each file is sorted and indexed with samtools into the work directory (a temporary one by
default), its contigs tiled with bins (7 bp, or 1/1000 of a long contig), and every bin's
base count compared: `samtools bedcov` (CNVkit's call: the default filter 0x704, i.e.
`-G 0x704`, MAPQ >= 0, deletions and skips counted, no -j) against reads.coverage.bin_coverages in
one pass (sequential=True) and through the index (sequential=False); the junction reads
each pass collects are compared too. Files samtools cannot sort or index (deliberately
broken, no @SQ) are listed as skipped. Prints a table; exits 1 where a file differs.
"""
from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "workflow"))
# the package's modules used here (they may move: update these lines only)
from ikzf1cnv.reads.binning import BIN_COLS, PassSettings  # noqa: E402
from ikzf1cnv.reads.coverage import bin_coverages  # noqa: E402
from ikzf1cnv.reads.junction_reads import JunctionReads  # noqa: E402


def corpus(test_dir: Path) -> list[Path]:
    return sorted(p for p in test_dir.iterdir() if p.suffix in (".sam", ".bam") and p.is_file())


def prepare(src: Path, work: Path) -> tuple[str | None, str]:
    """A sorted, indexed BAM of src in work, or (None, why not)."""
    out = work / (src.stem.replace("#", "_") + ".bam")
    for cmd in (["samtools", "sort", "-o", str(out), str(src)], ["samtools", "index", str(out)]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            err = (p.stderr.strip().splitlines() or ["?"])[-1]
            return None, f"samtools {cmd[1]} fails: {err[:60]}"
    return str(out), ""


def tiles(bam: str) -> pd.DataFrame:
    """Bins tiling each contig of the header."""
    import pysam
    with pysam.AlignmentFile(bam, check_sq=False) as fh:
        contigs = dict(zip(fh.references, fh.lengths))
    rows = []
    for c, n in contigs.items():
        w = max(7, math.ceil(n / 1000))
        rows += [(c, s, min(s + w, n), "-") for s in range(0, n, w)]
    return pd.DataFrame(rows, columns=BIN_COLS)


def bedcov(bins: pd.DataFrame, bam: str, work: Path) -> np.ndarray:
    bed = work / "bins.bed"
    bins.to_csv(bed, sep="\t", header=False, index=False)
    out = subprocess.run(["samtools", "bedcov", "-Q", "0", str(bed), bam], capture_output=True, text=True,
                         check=True).stdout
    return pd.read_csv(StringIO(out), sep="\t", header=None).iloc[:, -1].to_numpy(dtype=np.int64)


def ours(bins: pd.DataFrame, bam: str, sequential: bool) -> tuple[np.ndarray, tuple]:
    jr = JunctionReads(20, 1000)
    t, = bin_coverages([bins], bam, PassSettings(sequential=sequential), junction_reads=jr)
    count = np.rint(t["depth"].to_numpy() * (t["end"] - t["start"]).to_numpy()).astype(np.int64)
    return count, (sorted(jr.split), sorted(jr.pairs), sorted(jr.fragments))


def check(src: Path, work: Path) -> dict:
    row = {"file": src.name, "reads": "", "bins": "", "bedcov bases": "", "sequential": "", "index": "",
           "junctions seq = index": "", "note": ""}
    bam, why = prepare(src, work)
    if bam is None:
        return dict(row, note=why)
    import pysam
    row["reads"] = int(pysam.view("-c", bam).strip())
    bins = tiles(bam)
    if not len(bins):
        return dict(row, note="no @SQ: no bins")
    want = bedcov(bins, bam, work)
    row.update({"bins": len(bins), "bedcov bases": int(want.sum())})
    jx = {}
    for name, seq in (("sequential", True), ("index", False)):
        try:
            got, jx[name] = ours(bins, bam, seq)
        except Exception as e:  # noqa: BLE001 - a failure is a row of the table
            row[name] = f"error: {type(e).__name__}: {str(e)[:50]}"
            continue
        bad = np.flatnonzero(got != want)
        row[name] = "equal" if not len(bad) else (f"{len(bad)} bins differ ({int(got.sum()) - int(want.sum()):+d} "
                                                  f"bases; first {bins['chromosome'].iloc[bad[0]]}:"
                                                  f"{bins['start'].iloc[bad[0]]})")
    if len(jx) == 2:
        row["junctions seq = index"] = "yes" if jx["sequential"] == jx["index"] else "NO"
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("test_dir", type=Path, help="htslib's test directory (test/*.sam, *.bam)")
    ap.add_argument("--workdir", type=Path, help="where the sorted BAMs go (default: a temporary directory)")
    a = ap.parse_args(argv)
    if not a.test_dir.is_dir() or not corpus(a.test_dir):
        print(f"skipped: {a.test_dir} is not a directory of htslib's test files")
        return 0
    if not shutil.which("samtools"):
        print("skipped: samtools is not installed")
        return 0
    work = a.workdir or Path(tempfile.mkdtemp(prefix="htslib_corpus."))
    work.mkdir(parents=True, exist_ok=True)
    import logging
    logging.getLogger("ikzf1cnv").setLevel(logging.ERROR)   # bins of contigs a file lacks: expected here
    rows = [check(p, work) for p in corpus(a.test_dir)]
    cols = list(rows[0])
    version = subprocess.run(["samtools", "--version"], capture_output=True).stdout.split()[1].decode()
    print(f"samtools {version}; {len(rows)} files in {a.test_dir}\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]).replace("|", "/") for c in cols) + " |")
    done = [r for r in rows if r["bins"] != ""]
    ok = [r for r in done if r["sequential"] == r["index"] == "equal" and r["junctions seq = index"] == "yes"]
    print(f"\n{len(done)} files compared, {len(ok)} equal in both passes; {len(rows) - len(done)} skipped")
    if a.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if len(ok) == len(done) else 1


if __name__ == "__main__":
    sys.exit(main())
