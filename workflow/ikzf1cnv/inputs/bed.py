"""Checking the panel's target BED: read as a user means it, checked against the build."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .text import lines_of, some


TARGET_COLS = ["chromosome", "start", "end", "gene", "line"]


def _parse(path: Path) -> tuple[list, list[int], list[int]]:
    """The intervals of a target BED (chrom, start, end, name, line), the header lines
    skipped and the zero-width intervals dropped; InputError naming every malformed line."""
    recs, skipped, empty, problems = [], [], [], []
    for n, line in enumerate(lines_of(path, "target BED"), start=1):
        t = line.strip()
        if not t:
            continue
        if t.startswith("#") or re.match(r"(track|browser)(\s|$)", t):
            skipped.append(n)
            continue
        f = [x.strip() for x in (t.split("\t") if "\t" in t else t.split())]
        if len(f) < 3:
            problems.append(f"line {n} has {len(f)} field(s): {t!r}. Fix: a BED line is chrom<TAB>start<TAB>end"
                            f"[<TAB>name]")
            continue
        try:
            start, end = int(f[1]), int(f[2])
        except ValueError:
            if not recs and not problems:       # column names (chrom start end) before the first interval
                skipped.append(n)
                continue
            problems.append(f"line {n}: start {f[1]!r} and end {f[2]!r} are not whole numbers. Fix: a BED line is "
                            f"chrom<TAB>start<TAB>end, 0-based, end exclusive")
            continue
        if start < 0 or end < start:
            problems.append(f"line {n}: {f[0]} {start} {end} ends before it starts (or starts below 0). Fix: give "
                            f"start < end, 0-based (swapped columns?)")
            continue
        if end == start:
            empty.append(n)
            continue
        recs.append((f[0], start, end, f[3] if len(f) > 3 and f[3] else "-", n))
    if problems:
        more = f"\n  - ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise InputError(f"target BED {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems[:10])
                         + more)
    return recs, skipped, empty


def _order_notes(df: pd.DataFrame) -> list[str]:
    """Notes on intervals out of order or overlapping (CNVkit sorts and merges them)."""
    notes = []
    chrom_blocks = (df["chromosome"] != df["chromosome"].shift()).cumsum()
    back = df.index[(df["chromosome"] == df["chromosome"].shift()) & (df["start"] < df["start"].shift())]
    split = df.groupby("chromosome")[["chromosome"]].ngroups < chrom_blocks.iloc[-1]
    if len(back) or split:
        at = f" (line {df['line'][back[0]]} starts before line {df['line'][back[0] - 1]})" if len(back) else \
            " (a chromosome's intervals are not together)"
        notes.append(f"intervals not sorted{at}: sorted by position, as CNVkit does")
    srt = df.sort_values(["chromosome", "start", "end"], kind="mergesort")
    reach = srt.groupby("chromosome")["end"].cummax().groupby(srt["chromosome"]).shift()
    over = srt[srt["start"] < reach]
    if len(over):
        first = over.iloc[0]
        before = srt.iloc[:srt.index.get_loc(over.index[0])]
        prev = before[(before["chromosome"] == first["chromosome"]) & (before["end"] > first["start"])].iloc[0]
        notes.append(f"{len(over)} interval(s) overlap an earlier one (first: line {first['line']} overlaps line "
                     f"{prev['line']}, {first['chromosome']}:{first['start']}-{first['end']}): merged into one "
                     f"target before binning, as CNVkit's target bins do, so no read is counted twice")
    return notes


def read_targets(path) -> tuple[pd.DataFrame, list[str]]:
    """The intervals of a target BED, each with its line, and notes on what was tidied.
    Read as a user means it: `track`, `browser` and `#` lines anywhere are skipped (CNVkit
    skips a leading track line but stops reading at a second one, dropping the rest), as is
    a column-name line before the first interval; tabs or spaces; BOM and CRLF. Zero-width
    intervals are dropped (CNVkit does). Malformed lines are an InputError naming each line.
    Sorting and merging are CNVkit's (tabio sorts, target bins merge overlaps); the notes
    say when they happen."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"target BED {path} not found. Fix: set `targets:` in the config to the panel's BED "
                         f"(absolute, or relative to the directory snakemake runs in)")
    recs, skipped, empty = _parse(path)
    if not recs:
        raise InputError(f"target BED {path} holds no interval. Fix: give the panel's BED (chrom<TAB>start<TAB>end "
                         f"per target), or `targets: null` for whole-genome mode")
    df = pd.DataFrame(recs, columns=TARGET_COLS)
    notes = []
    if skipped:
        notes.append(f"{len(skipped)} header line(s) skipped (track, browser, # or column names): line(s) "
                     f"{some(skipped)}")
    if empty:
        notes.append(f"{len(empty)} zero-width interval(s) dropped, as CNVkit does: line(s) {some(empty)}")
    return df, notes + _order_notes(df)


def check_targets(path, contigs: dict[str, int], genome: str) -> list[str]:
    """read_targets, and the intervals against the build: a contig named in the other style
    (Ensembl `7` for UCSC `chr7`) or an interval past its contig's end (a BED of another
    build) is an InputError naming the line; intervals on contigs the build does not list
    (alt, decoy) are kept, with a note. Returns the notes."""
    df, notes = read_targets(path)
    problems = []
    known = df["chromosome"].isin(list(contigs))
    for c in dict.fromkeys(df.loc[~known, "chromosome"]):
        alt = "chrM" if c == "MT" else "chr" + c
        if alt in contigs:
            n = df.loc[df["chromosome"] == c, "line"].iloc[0]
            problems.append(f"line {n}: contig '{c}' is written Ensembl-style, but {genome}'s contigs are named "
                            f"like '{alt}'. Fix: name the BED's contigs as {genome} does ('{alt}' for '{c}')")
    length = df["chromosome"].map(contigs)
    past = df[known & (df["end"] > length)]
    if len(past):
        r = past.iloc[0]
        problems.append(f"line {r['line']}: {r['chromosome']}:{r['start']}-{r['end']} ends past the end of "
                        f"{r['chromosome']} ({contigs[r['chromosome']]:,} bp in {genome}; {len(past)} interval(s) "
                        f"do). Fix: give the panel's BED for {genome}, or set `genome` to the BED's build")
    if not problems and not known.any():
        problems.append(f"no interval lies on a contig of {genome} (the BED's contigs: "
                        f"{', '.join(list(dict.fromkeys(df['chromosome']))[:5])}). Fix: give the panel's BED for "
                        f"{genome}, its contigs named as in {genome} (chr1, ..., chrX)")
    if problems:
        raise InputError(f"target BED {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    other = sorted(set(df.loc[~known, "chromosome"]))
    if other:
        notes.append(f"{int((~known).sum())} interval(s) on contigs {genome} does not list ({', '.join(other[:5])}) "
                     f"kept, as CNVkit keeps them (a BAM without them skips their bins)")
    return notes


def interval_lines(path) -> int:
    """Lines of a BED that are intervals (not blank, not track, browser or # lines): its
    size at a glance, for the run's mode."""
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip() and not line.lstrip().startswith((b"#", b"track", b"browser")))
