"""The fixed-format tables the workflow writes: their columns and digits, and the one
number format of every data file (deterministic: fixed digits, 'NA' for missing)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .files import atomic

# (columns, digits per float column) of each per-sample table
EXON_TABLE = (["exon", "chrom", "start", "end", "n_bins", "log2", "copy_number", "ci_low", "ci_high", "call", "se",
               "ratio", "depth"], {"log2": 3, "copy_number": 2, "ci_low": 2, "ci_high": 2, "se": 3, "ratio": 3, "depth": 1})
UNITS_TABLE = (["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth", "state"],
               {"log2": 3, "se": 3, "depth": 1})
POSITIONS_TABLE = (["group", "chrom", "start", "end", "kind", "gene", "exon", "n_bins", "log2", "se", "depth", "state"],
                   {"log2": 3, "se": 3, "depth": 1})
JUNCTIONS_TABLE = (["chrom", "left", "right", "split_reads", "discordant_pairs", "precise"], {})
BREAKPOINTS_TABLE = (["sample", "gene", "chrom", "start", "end", "split_reads", "discordant_pairs", "cell_fraction",
                      "exons_removed", "label", "rss_left", "rss_right", "precision"], {"cell_fraction": 3})


def fmt(x, nd: int = 3) -> str:
    """Fixed float formatting for data files ('NA' for missing)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "NA"
    v = round(float(x), nd)
    if v == 0:
        v = 0.0  # no "-0.000"
    return f"{v:.{nd}f}"


def _fixed(values, nd: int) -> list[str]:
    """fmt over a column: each value rounded to nd decimals once (f-string formatting rounds
    as round() does, correctly), '-0.000' written as '0.000', 'NA' for missing."""
    zero, neg = f"{0.0:.{nd}f}", f"{-0.0:.{nd}f}"
    out = []
    for v in values:
        if v is None or not math.isfinite(v := float(v)):
            out.append("NA")
        else:
            t = f"{v:.{nd}f}"
            out.append(zero if t == neg else t)
    return out


def write_table(df: pd.DataFrame, layout: tuple[list[str], dict[str, int]], path: str):
    """TSV with fixed float formatting (deterministic output); layout: (columns, digits).
    A column at a time: a digits column through fmt's rule (_fixed), the others as str() of
    each value (as a row's dict gives it: numpy numbers as Python's)."""
    cols, digits = layout
    text = [_fixed(df[c].tolist(), digits[c]) if c in digits else [str(v) for v in df[c].tolist()] for c in cols]
    with atomic(path) as tmp, open(tmp, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        fh.writelines(f"{line}\n" for line in map("\t".join, zip(*text)))


# A text field the csv module would quote (pandas' to_csv): the fast writer leaves such a table to pandas.
_NEEDS_QUOTES = ("\t", '"', "\n", "\r")


def _column_text(col: pd.Series, float_format: str | None) -> tuple[str, list] | None:
    """A column as pandas' to_csv(sep="\t", float_format=...) writes it: its % spec and its
    values (floats with NaN formatted here: NaN is written empty), or None where the fast
    writer does not know the dtype (pandas then writes the table)."""
    kind = col.dtype.kind
    if kind == "f" and float_format:
        v = col.to_numpy()
        if np.isnan(v).any():
            return "%s", [float_format % x if x == x else "" for x in v.tolist()]
        return float_format, v.tolist()
    if kind in "iu":
        return "%d", col.tolist()
    if kind == "b":
        return "%s", col.tolist()
    if kind in "OUT" or isinstance(col.dtype, pd.StringDtype):
        vals = col.tolist()
        try:
            text = "".join(vals)     # a value that is not text (NaN, None, a number): pandas writes the table
        except TypeError:
            return None
        return None if any(c in text for c in _NEEDS_QUOTES) else ("%s", vals)
    return None


def write_tsv(df: pd.DataFrame, path: str, float_format: str | None = None, header: bool = True):
    """df.to_csv(path, sep="\t", index=False, float_format=float_format, header=header,
    lineterminator="\n"), byte for byte (tests/test_tables.py), a column at a time: pandas'
    writer formats each float through a Python call and more (~3x slower). Tables of other
    dtypes, text that needs quoting or a single column are left to pandas."""
    cols = [_column_text(df[c], float_format) for c in df.columns] if len(df.columns) > 1 else [None]
    with atomic(path) as tmp:
        if any(c is None for c in cols) or not df.columns.is_unique:
            df.to_csv(tmp, sep="\t", index=False, float_format=float_format, header=header, lineterminator="\n")
            return
        row = "\t".join(spec for spec, _ in cols) + "\n"
        with open(tmp, "w") as fh:
            if header:
                fh.write("\t".join(map(str, df.columns)) + "\n")
            fh.write("".join([row % r for r in zip(*(v for _, v in cols))]))


def empty_table(layout: tuple[list[str], dict[str, int]]) -> pd.DataFrame:
    """A table of the layout's columns without rows."""
    return pd.DataFrame(columns=layout[0])


_OPS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def decimals_of(x: float) -> int:
    """The decimals a threshold is written with (0.3: 1, 30: 0, 0.05: 2)."""
    text = f"{float(x):g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def comparison(value: float, op: str, threshold: float, unit: str = "", min_decimals: int = 0,
               max_decimals: int = 6) -> str:
    """'value op threshold' at the fewest decimals (no fewer than the threshold's own) at
    which the printed numbers compare as the true ones do: noise 0.302 over 0.3 reads
    '0.302 > 0.300', not '0.30 > 0.3'; a depth of 9.96 under 10 reads '9.96x < 10.00x'."""
    d = max(decimals_of(threshold), min_decimals)
    while d < max_decimals and not _OPS[op](round(float(value), d), round(float(threshold), d)):
        d += 1
    return f"{float(value):.{d}f}{unit} {op} {float(threshold):.{d}f}{unit}"


def p_value_text(p) -> str:
    """A p-value in scientific notation, two significant digits, no padded exponent: 6.0e-4
    (1.0e0 for 1); 'NA' for a missing one."""
    try:
        v = float(p)
    except (TypeError, ValueError):
        return "NA"
    if not math.isfinite(v):
        return "NA"
    mantissa, exponent = f"{v:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"
