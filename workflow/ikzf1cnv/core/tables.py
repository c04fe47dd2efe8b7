"""The fixed-format tables the workflow writes: their columns and digits, and the one
number format of every data file (deterministic: fixed digits, 'NA' for missing)."""
from __future__ import annotations

import math

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


def write_table(df: pd.DataFrame, layout: tuple[list[str], dict[str, int]], path: str):
    """TSV with fixed float formatting (deterministic output); layout: (columns, digits)."""
    cols, digits = layout
    with atomic(path) as tmp, open(tmp, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in df[cols].to_dict("records"):
            fh.write("\t".join(fmt(r[c], digits[c]) if c in digits else str(r[c]) for c in cols) + "\n")


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
