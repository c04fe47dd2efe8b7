"""Checking the user's sample sheet: every problem listed at once, each with the line it is
on and its fix."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import jsonschema
import pandas as pd

from ..core.errors import InputError
from .bam import index_problem
from .text import fields_of, lines_of


SHEET_DEFAULTS = {"type": "tumor", "subtype": "unknown", "age_group": "", "blast_pct": "", "sex": ""}


FIXES = {
    "sample": "use letters, digits, '.', '_' or '-', starting with a letter or digit",
    "type": "write 'tumor' or 'normal'",
    "subtype": "use one of these subtypes, or 'unknown'",
    "age_group": "write 'pediatric' or 'adult', or leave it empty",
    "blast_pct": "give the blast percentage as a number from 0 to 100, or leave it empty",
    "sex": "write 'female' or 'male', or leave it empty",
}


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


def read_sheet(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The sheet's columns and its rows, each with the line of the file it is on. Blank
    lines (also lines of empty cells, as spreadsheets export) and `#` comment lines are
    skipped; a header written as a comment (`#sample<TAB>bam...`) is read as the header."""
    lines = lines_of(path, "sample sheet")
    header, rows = None, []
    for n, line in enumerate(lines, start=1):
        fields = fields_of(line)
        if not any(fields):
            continue
        if line.lstrip().startswith("#"):
            cand = fields_of(line.lstrip()[1:])
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


def _header_problems(header: list[str], schema: dict) -> list[str]:
    """Columns that look like a misspelt column of the sheet."""
    known = list(schema["properties"])
    problems = []
    for col in header:
        near = difflib.get_close_matches(col, known, n=1, cutoff=0.8) if col not in known else []
        if near and near[0] not in header:
            problems.append(f"column '{col}' (header) is not a column of the sheet; did you mean '{near[0]}'? "
                            f"Fix: rename it '{near[0]}' (otherwise its values are ignored)")
    return problems


def _value_problems(df: pd.DataFrame, line: list[int], schema: dict) -> list[str]:
    """Values the schema refuses; sample names or BAMs given twice."""
    problems = []
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
    return problems


def _file_problems(df: pd.DataFrame, line: list[int]) -> list[str]:
    """BAMs that do not exist or whose index is missing or stale."""
    problems = []
    for i, row in zip(line, df.to_dict("records")):
        bam = row["bam"]
        if not bam:
            continue
        if not Path(bam).is_file():
            problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': file {bam} not found. "
                            f"Fix: give a path absolute or relative to the directory snakemake runs in")
        elif (why := index_problem(bam)) is not None:
            problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': {why}")
    return problems


def load_sample_sheet(path, schema: dict, check_files: bool = True) -> pd.DataFrame:
    """Read and validate the sample sheet; raise InputError listing every problem found,
    each with the line it is on and its fix. Blank and `#` lines, a byte-order mark, CRLF
    line ends and spaces around values are read as the user meant them."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"sample sheet {path} not found: set `samples:` in the config to your TSV")
    header, rows = read_sheet(path)
    for col in ("sample", "bam"):
        if col not in header:
            raise InputError(f"sample sheet {path}: required column '{col}' is missing "
                             f"(columns found: {', '.join(header)})")
    problems = _header_problems(header, schema)
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
    problems += _value_problems(df, line, schema) + (_file_problems(df, line) if check_files else [])
    if not problems and not (df["type"] == "tumor").any():
        where = f"line {line[0]}" if len(line) == 1 else f"lines {line[0]}-{line[-1]}"
        problems.append(f"no tumour: every sample ({len(df)}, {where}) has type 'normal', so there is nothing "
                        f"to call. Fix: add the tumours (type 'tumor', or leave type empty)")
    if problems:
        raise InputError(f"sample sheet {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    df["blast_pct"] = pd.to_numeric(df["blast_pct"].replace("", None))
    return df.set_index("sample", drop=False)
