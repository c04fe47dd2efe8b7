"""Checking what the user gives us: the sample sheet and the BAMs.

Every error names the sample, the column or file, and what to do about it.
"""
from __future__ import annotations

from pathlib import Path

import jsonschema
import pandas as pd


class InputError(Exception):
    """A problem with the user's input, worded for the user."""


SHEET_DEFAULTS = {"type": "tumor", "subtype": "unknown", "age_group": "", "blast_pct": "", "sex": ""}
FIXES = {
    "sample": "use letters, digits, '.', '_' or '-', starting with a letter or digit",
    "type": "write 'tumor' or 'normal'",
    "subtype": "use one of the contract's subtypes, or 'unknown'",
    "age_group": "write 'pediatric' or 'adult', or leave it empty",
    "blast_pct": "give the blast percentage as a number from 0 to 100, or leave it empty",
    "sex": "write 'female' or 'male', or leave it empty",
}


def index_of(bam: str) -> str | None:
    """The index beside a BAM/CRAM (name.bam.bai, name.bai, name.bam.csi, name.csi, .crai)."""
    p = str(bam)
    stem = p[: p.rfind(".")] if "." in Path(p).name else p
    for cand in (p + ".bai", stem + ".bai", p + ".csi", stem + ".csi", p + ".crai", stem + ".crai"):
        if Path(cand).is_file():
            return cand
    return None


def _coerce(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if v == "" or v is None:
            continue
        if k == "blast_pct":
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v  # leave it to the schema to report
        else:
            out[k] = v
    return out


def _lines(path: Path, what: str) -> list[str]:
    """The lines of a text file as a user's editor or spreadsheet writes it: UTF-8 with or
    without a byte-order mark, LF, CRLF or CR line ends."""
    import re
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise InputError(f"{what} {path}, line {line}: byte {raw[e.start]:#04x} is not UTF-8 text. Fix: save the file "
                         f"as UTF-8 (in a spreadsheet: 'Unicode/UTF-8 text, tab-separated')") from None
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _fields(line: str) -> list[str]:
    """A tab-separated line's fields, stripped of spaces and of spreadsheet quoting ("x")."""
    import csv
    return [f.strip() for f in next(csv.reader([line], delimiter="\t"), [])]


def read_sheet(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The sheet's columns and its rows, each with the line of the file it is on. Blank
    lines (also lines of empty cells, as spreadsheets export) and `#` comment lines are
    skipped; a header written as a comment (`#sample<TAB>bam...`) is read as the header."""
    lines = _lines(path, "sample sheet")
    header, rows = None, []
    for n, line in enumerate(lines, start=1):
        fields = _fields(line)
        if not any(fields):
            continue
        if line.lstrip().startswith("#"):
            cand = _fields(line.lstrip()[1:])
            if header is None and "sample" in cand and "bam" in cand:
                header, header_line = cand, n
            continue
        if header is None:
            header, header_line = fields, n
            continue
        rows.append((n, fields))
    if header is None:
        raise InputError(f"sample sheet {path} is empty. Fix: write a header line (sample<TAB>bam<TAB>type...) "
                         f"and one row per BAM (config/README.md, 'The sample sheet')")
    if len(header) == 1 and any(sep in header[0] for sep in (",", ";", " ")):
        raise InputError(f"sample sheet {path}, line {header_line}: the header {header[0]!r} has no tab, but the "
                         f"sheet is tab-separated. Fix: save it as tab-separated text (TSV), not comma- or "
                         f"space-separated")
    dup = sorted({c for c in header if header.count(c) > 1 and c})
    if dup:
        raise InputError(f"sample sheet {path}, line {header_line}: column(s) {', '.join(dup)} appear twice in the "
                         f"header. Fix: keep one of each")
    out, problems = [], []
    for n, fields in rows:
        extra = fields[len(header):]
        if any(extra):
            problems.append(f"line {n} has {len(fields)} fields but the header (line {header_line}) has "
                            f"{len(header)}. Fix: remove the extra field(s) {', '.join(repr(x) for x in extra if x)} "
                            f"or add their column to the header")
            continue
        if len(fields) == 1 and len(header) > 1 and len(fields[0].split()) > 1:
            problems.append(f"line {n} has no tab: {fields[0]!r}. Fix: separate its columns with tabs")
            continue
        fields = fields[:len(header)] + [""] * (len(header) - len(fields))
        out.append((n, dict(zip(header, fields))))
    if problems:
        raise InputError(f"sample sheet {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    return header, out


def index_problem(bam: str) -> str | None:
    """What is wrong with a BAM's index, worded with its fix; None when it is usable.
    An index older than its BAM (htslib's test: whole seconds of modification time) was
    made before the BAM was last written: its offsets may point anywhere."""
    import os
    idx = index_of(bam)
    if idx is None:
        return (f"{bam} has no index beside it (.bai/.csi). Fix: run `samtools index {bam}` (should samtools say "
                f"it is unsorted: `samtools sort -o sorted.bam {bam}`, index sorted.bam and put it in the sheet)")
    if int(os.stat(idx).st_mtime) < int(os.stat(bam).st_mtime):
        return (f"{bam} is newer than its index {idx} (the BAM was rewritten after it was indexed). Fix: run "
                f"`samtools index {bam}` (or, if the BAM was only copied after its index and is unchanged, "
                f"`touch {idx}`)")
    return None


def load_sample_sheet(path, schema: dict, check_files: bool = True) -> pd.DataFrame:
    """Read and validate the sample sheet; raise InputError listing every problem found,
    each with the line it is on and its fix. Blank and `#` lines, a byte-order mark, CRLF
    line ends and spaces around values are read as the user meant them."""
    import difflib
    import os

    path = Path(path)
    if not path.is_file():
        raise InputError(f"sample sheet {path} not found: set `samples:` in the config to your TSV")
    header, rows = read_sheet(path)
    for col in ("sample", "bam"):
        if col not in header:
            raise InputError(f"sample sheet {path}: required column '{col}' is missing "
                             f"(columns found: {', '.join(header)})")
    known = list(schema["properties"])
    problems = []
    for col in header:
        near = difflib.get_close_matches(col, known, n=1, cutoff=0.8) if col not in known else []
        if near and near[0] not in header:
            problems.append(f"column '{col}' (header) is not a column of the sheet; did you mean '{near[0]}'? "
                            f"Fix: rename it '{near[0]}' (otherwise its values are ignored)")
    if not rows:
        raise InputError(f"sample sheet {path} has a header but no samples. Fix: add one row per BAM "
                         f"(config/README.md, 'The sample sheet')")
    df = pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
    line = [n for n, _ in rows]
    for col, default in SHEET_DEFAULTS.items():
        if col not in df.columns:
            df[col] = default
        elif col in ("type", "subtype"):
            df[col] = df[col].replace("", default)
    validator = jsonschema.Draft7Validator(schema)
    for i, row in zip(line, df.to_dict("records")):
        name = row["sample"] or f"(line {i})"
        for err in sorted(validator.iter_errors(_coerce(row)), key=lambda e: list(e.path)):
            col = err.path[0] if err.path else (err.validator_value[0] if err.validator == "required" else "?")
            val = row.get(col, "")
            problems.append(f"sample '{name}' (line {i}), column '{col}': {val!r} is not valid "
                            f"({err.message}). Fix: {FIXES.get(col, 'see config/README.md')}")
    for name in sorted(set(df["sample"][df["sample"].duplicated(keep=False) & (df["sample"] != "")])):
        at = [str(n) for n, s in zip(line, df["sample"]) if s == name]
        problems.append(f"sample '{name}' appears on lines {', '.join(at)}: sample names must be unique. "
                        f"Fix: rename or remove the duplicate rows")
    real = [os.path.realpath(b) if b else "" for b in df["bam"]]   # the same file however its path is written
    for r in sorted({r for r in real if r and real.count(r) > 1}):
        at = [(n, s, b) for n, s, b, x in zip(line, df["sample"], df["bam"], real) if x == r]
        problems.append(f"samples {' and '.join(f'{s!r} (line {n})' for n, s, _ in at)} give the same BAM "
                        f"{at[0][2]}: one sample's reads would be counted as two samples (a copied row whose "
                        f"path was not changed?). Fix: correct the `bam` of the wrong row, or remove it")
    if check_files:
        for i, row in zip(line, df.to_dict("records")):
            bam = row["bam"]
            if not bam:
                continue
            if not Path(bam).is_file():
                problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': file {bam} not found. "
                                f"Fix: give a path absolute or relative to the directory snakemake runs in")
            elif (why := index_problem(bam)) is not None:
                problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': {why}")
    if not problems and not (df["type"] == "tumor").any():
        where = f"line {line[0]}" if len(line) == 1 else f"lines {line[0]}-{line[-1]}"
        problems.append(f"no tumour: every sample ({len(df)}, {where}) has type 'normal', so there is nothing "
                        f"to call. Fix: add the tumours (type 'tumor', or leave type empty)")
    if problems:
        raise InputError(f"sample sheet {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    df["blast_pct"] = pd.to_numeric(df["blast_pct"].replace("", None))
    return df.set_index("sample", drop=False)


TARGET_COLS = ["chromosome", "start", "end", "gene", "line"]


def read_targets(path) -> tuple[pd.DataFrame, list[str]]:
    """The intervals of a target BED, each with its line, and notes on what was tidied.
    Read as a user means it: `track`, `browser` and `#` lines anywhere are skipped (CNVkit
    skips a leading track line but stops reading at a second one, dropping the rest), as is
    a column-name line before the first interval; tabs or spaces; BOM and CRLF. Zero-width
    intervals are dropped (CNVkit does). Malformed lines are an InputError naming each line.
    Sorting and merging are CNVkit's (tabio sorts, target bins merge overlaps); the notes
    say when they happen."""
    import re
    path = Path(path)
    if not path.is_file():
        raise InputError(f"target BED {path} not found. Fix: set `targets:` in the config to the panel's BED "
                         f"(absolute, or relative to the directory snakemake runs in)")
    recs, skipped, empty, problems = [], [], [], []
    for n, line in enumerate(_lines(path, "target BED"), start=1):
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
    if not recs:
        raise InputError(f"target BED {path} holds no interval. Fix: give the panel's BED (chrom<TAB>start<TAB>end "
                         f"per target), or `targets: null` for whole-genome mode")
    df = pd.DataFrame(recs, columns=TARGET_COLS)
    notes = []
    if skipped:
        notes.append(f"{len(skipped)} header line(s) skipped (track, browser, # or column names): line(s) "
                     f"{_some(skipped)}")
    if empty:
        notes.append(f"{len(empty)} zero-width interval(s) dropped, as CNVkit does: line(s) {_some(empty)}")
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
    return df, notes


def _some(lines: list[int], k: int = 5) -> str:
    return ", ".join(map(str, lines[:k])) + (f" (and {len(lines) - k} more)" if len(lines) > k else "")


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


def _yaml_line(files: list[str], path: list) -> str:
    """Where a config key is written: ' (file, line n)' in the last config file that sets
    it, or ' (given with --config)' when none does."""
    import yaml
    for f in reversed([str(f) for f in files]):
        try:
            node = yaml.compose(Path(f).read_text())
        except (OSError, yaml.YAMLError):
            continue
        key = None
        for k in path:
            if not isinstance(node, yaml.MappingNode):
                key = None
                break
            key, node = next(((kn, vn) for kn, vn in node.value if kn.value == str(k)), (None, None))
            if key is None:
                break
        if key is not None:
            return f" ({f}, line {key.start_mark.line + 1})"
    return " (given with --config)"


def _allowed(s: dict) -> str:
    """What a config setting's schema allows, in words."""
    if "enum" in s:
        return "one of " + ", ".join(str(v) for v in s["enum"])
    types = s.get("type") if isinstance(s.get("type"), list) else [s.get("type")]
    if "boolean" in types:
        return "true or false"
    if "object" in types:
        return "a block of settings (" + ", ".join(s.get("properties", {})) + ")"
    kind = "an integer" if "integer" in types else "a number" if "number" in types else \
        "a path or text" if "string" in types else "a value"
    bounds = [f"{op} {s[k]}" for k, op in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                                           ("exclusiveMaximum", "<")) if k in s]
    return kind + (" " + " and ".join(bounds) if bounds else "") + (", or null" if "null" in types else "")


def empty_blocks_as_defaults(config: dict, schema: dict) -> None:
    """A block of settings written with all its keys commented out (`caller:` alone) is
    YAML null: read it as an empty block, which the schema's defaults fill."""
    for k, sub in schema.get("properties", {}).items():
        if sub.get("type") == "object" and k in config and config[k] is None:
            config[k] = {}


def check_config(config: dict, schema: dict, files: list[str]) -> None:
    """Check the config against its schema before anything runs; raise InputError listing
    every problem with the file and line it is on and its fix: a key the schema does not
    know (misspelt: the closest setting is named), a value outside what it allows."""
    import difflib

    problems = []

    def unknown(obj, sch, path):
        props = sch.get("properties")
        if not isinstance(obj, dict) or props is None:
            return
        for k, v in obj.items():
            if k in props:
                unknown(v, props[k], path + [k])
                continue
            if sch.get("additionalProperties", True) is not False:
                continue
            name, near = ".".join(path + [str(k)]), difflib.get_close_matches(str(k), list(props), n=1)
            block = f"`{'.'.join(path)}`" if path else "this workflow"
            fix = (f"Did you mean `{'.'.join(path + [near[0]])}`? Fix: rename it `{near[0]}`" if near else
                   f"Fix: remove it, or use one of the settings of {block}: {', '.join(props)}" if path else
                   "Fix: remove it (the settings are listed in config/README.md)")
            problems.append(f"config key `{name}`{_yaml_line(files, path + [k])} is not a setting of {block}. {fix}")

    unknown(config, schema, [])
    validator = jsonschema.validators.validator_for(schema)(schema)
    for err in sorted(validator.iter_errors(config), key=lambda e: [str(x) for x in e.absolute_path]):
        if err.validator == "additionalProperties":
            continue                                  # reported above, with the closest setting
        if err.validator == "required" and all("default" in schema["properties"].get(k, {})
                                               for k in err.validator_value):
            continue                                  # filled from the schema's default
        path = list(err.absolute_path)
        problems.append(f"config `{'.'.join(map(str, path))}`{_yaml_line(files, path)}: {err.instance!r} is not "
                        f"valid ({err.message}). Fix: give {_allowed(err.schema)} (config/README.md)")
    if problems:
        raise InputError(f"the config has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))


def batches(names: list[str], size: int, prefix: str) -> dict[str, list[str]]:
    """Group names into batches of about `size` (one job reads many BAMs: one Python
    start-up, one import of cnvlib; a scheduler sees about n / size jobs).

    A name's batch depends only on its own name and on the number of buckets, a power of
    two of at least n / size: hash(name) mod buckets. Adding a tumour therefore reruns only
    its own batch (until the cohort doubles and the buckets with it). Keys are
    `{prefix}{bucket:03d}` (1-based; empty buckets are left out), names sorted within."""
    import zlib
    if size < 1:
        raise ValueError("batch size must be at least 1")
    k = 1
    while k * size < len(names):
        k *= 2
    width = max(3, len(str(k)))
    out: dict[int, list[str]] = {}
    for n in names:
        out.setdefault(zlib.crc32(n.encode()) % k, []).append(n)
    return {f"{prefix}{b + 1:0{width}d}": sorted(out[b]) for b in sorted(out)}


def coverage_threads(cores, n_batches: int, most: int = 4) -> int:
    """Threads for each coverage batch: the cores shared out among the batches, 1 to `most`
    (a BAM's pass uses no more than ~3: inflating ahead while one thread parses).
    `cores`: Snakemake's --cores (None or a non-number in a dry run: 1)."""
    try:
        c = int(cores)
    except (TypeError, ValueError):
        return 1
    return max(1, min(most, c // max(n_batches, 1)))


def contig_names(build: dict[str, int], header: dict[str, int]) -> dict[str, str]:
    """The BAM's name of each contig of the build it has: the same name (UCSC style,
    `chr7`), or Ensembl/NCBI style (`7`, `MT` for `chrM`), whichever the header holds."""
    out = {}
    for c in build:
        for cand in (c, "MT" if c == "chrM" else c.removeprefix("chr")):
            if cand in header:
                out[c] = cand
                break
    return out


def block_reference_downloads():
    """htslib fetches a CRAM's reference from the EBI by MD5 when nothing local decodes it
    (REF_PATH unset, or a URL in it); this workflow never downloads: such a REF_PATH is
    replaced by a path that does not exist (a local reference cache in REF_PATH is kept),
    so a CRAM without its reference fails, and is told so."""
    import os
    ref = os.environ.get("REF_PATH", "")
    if not ref or any(x in ref for x in ("http:", "https:", "ftp:")):
        os.environ["REF_PATH"] = "/nonexistent-ikzf1cnv-never-downloads/%s"


def open_alignments(sample: str, bam: str, fasta: str | None = None, threads: int = 1):
    """pysam.AlignmentFile of a BAM or CRAM (CRAM decoded with `fasta`, or with the
    reference it embeds); never downloads a reference."""
    import pysam

    block_reference_downloads()
    try:
        # check_sq=False: a header without @SQ (unaligned reads) is check_bam's to word
        return pysam.AlignmentFile(bam, "r", reference_filename=fasta, threads=max(int(threads), 1), check_sq=False)
    except (OSError, ValueError) as e:
        raise InputError(f"sample '{sample}': {bam} cannot be opened ({e}). Fix: check that it is a complete "
                         f"BAM or CRAM (a copy cut short is the commonest cause)") from e


def check_cram_decodes(sample: str, fh, bam: str, fasta: str | None):
    """Decode the first reads of a CRAM: without its reference (no `fasta`, none embedded)
    htslib cannot, and the fix is to give `fasta`."""
    if not fh.is_cram:
        return
    try:
        for _ in zip(range(100), fh.fetch(until_eof=True)):
            pass
    except (OSError, ValueError) as e:
        raise InputError(
            f"sample '{sample}': {bam} is a CRAM whose reference is not available"
            + (f" (fasta {fasta} does not decode it)" if fasta else "")
            + f" ({e}). Fix: set `fasta` in the config to the FASTA it was written against "
            "(or convert it to BAM, or to a CRAM with its reference embedded)") from e


def check_bam(sample: str, bam: str, contigs: dict[str, int], genome: str,
              other_builds: dict[str, dict[str, int]], fasta: str | None = None) -> dict:
    """Check a BAM's (or CRAM's) header against the configured build; return facts about
    it (read length, sort order, the BAM's name of each contig: UCSC `chr7` or Ensembl
    `7`). Raises InputError naming what to fix."""
    if (why := index_problem(bam)) is not None:
        raise InputError(f"sample '{sample}': {why}")
    with open_alignments(sample, bam, fasta) as fh:
        hdr = dict(zip(fh.references, fh.lengths))
        so = fh.header.to_dict().get("HD", {}).get("SO", "unknown")
        check_cram_decodes(sample, fh, bam, fasta)
        lens, n_reads, n_mapped, order = [], 0, 0, []
        for read in fh.head(2000):
            n_reads += 1
            # unplaced reads (no reference) sort last
            order.append((read.reference_id if read.reference_id >= 0 else len(hdr), read.reference_start))
            if not read.is_unmapped:
                n_mapped += 1
                if read.query_length:
                    lens.append(read.query_length)
        is_cram = fh.is_cram
    if not hdr:
        raise InputError(f"sample '{sample}': {bam} has no reference sequences (@SQ) in its header: its reads are "
                         f"not aligned. Fix: align them to {genome}, then `samtools sort` and `samtools index`")
    names = contig_names(contigs, hdr)
    if not names:
        raise InputError(f"sample '{sample}': {bam} shares no contig name with {genome} (neither UCSC 'chr7' "
                         f"nor Ensembl '7' style): its contigs are {', '.join(list(hdr)[:5])}...")
    wrong = [c for c, b in names.items() if hdr[b] != contigs[c]]
    if wrong:
        guess = [b for b, cs in other_builds.items()
                 if all(hdr.get(n) == cs[c] for c, n in contig_names(cs, hdr).items())]
        which = f" They match {guess[0]}." if guess else ""
        c = wrong[0]
        raise InputError(
            f"sample '{sample}': {bam} was not aligned to {genome}: {names[c]} is {hdr[names[c]]:,} bp in the BAM but "
            f"{contigs[c]:,} bp in {genome} ({len(wrong)} contig length(s) differ).{which} "
            f"Fix: set `genome: {guess[0] if guess else '<the BAM build>'}` in the config, or realign to {genome}.")
    if n_reads == 0:
        raise InputError(f"sample '{sample}': {bam} holds no reads (a header only). Fix: check that the sheet's `bam` "
                         f"is the right file and that its alignment (or copy) finished; if the sample has no data, "
                         f"remove its row")
    if n_mapped == 0:
        raise InputError(f"sample '{sample}': {bam} has no aligned reads (its first {n_reads} are all unmapped). "
                         f"Fix: align the reads to {genome}, then `samtools sort` and `samtools index` the BAM")
    # CNVkit trusts the reads, not the header: a sorted BAM without SO:coordinate is accepted
    # (samtools index, which it has passed, refuses unsorted reads)
    unsorted = next((i for i in range(1, len(order)) if order[i] < order[i - 1]), None)
    if unsorted is not None or so not in ("coordinate", "unknown", "unsorted"):
        where = f" (its read {unsorted + 1} is placed before read {unsorted})" if unsorted is not None else ""
        raise InputError(f"sample '{sample}': {bam} is not coordinate-sorted (header SO:{so}){where}. Fix: "
                         f"`samtools sort -o sorted.bam {bam} && samtools index sorted.bam`, then give sorted.bam "
                         f"in the sheet's `bam` column")
    renamed = {c: b for c, b in names.items() if c != b}
    return {"sample": sample, "read_length": float(pd.Series(lens).median()) if lens else 100.0,
            "contigs_checked": len(names), "format": "CRAM" if is_cram else "BAM",
            "contig_naming": "ensembl" if renamed else "ucsc", "contig_names": renamed}
