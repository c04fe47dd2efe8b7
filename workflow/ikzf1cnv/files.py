"""Files: logging, JSON and the fixed-format tables the workflow writes (deterministic:
sorted rows, fixed float formatting, no timestamps)."""
from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .purity import fmt

log = logging.getLogger("ikzf1cnv")

EXON_TABLE = (["exon", "chrom", "start", "end", "n_bins", "log2", "copy_number", "ci_low", "ci_high", "call", "se",
               "ratio", "depth"], {"log2": 3, "copy_number": 2, "ci_low": 2, "ci_high": 2, "se": 3, "ratio": 3, "depth": 1})
UNITS_TABLE = (["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth", "state"],
               {"log2": 3, "se": 3, "depth": 1})
POSITIONS_TABLE = (["group", "chrom", "start", "end", "kind", "gene", "exon", "n_bins", "log2", "se", "depth", "state"],
                   {"log2": 3, "se": 3, "depth": 1})
JUNCTIONS_TABLE = (["chrom", "left", "right", "split_reads", "discordant_pairs", "precise"], {})
BREAKPOINTS_TABLE = (["sample", "gene", "chrom", "start", "end", "split_reads", "discordant_pairs", "cell_fraction",
                      "exons_removed", "label", "rss_left", "rss_right", "precision"], {"cell_fraction": 3})


def setup_logging(logfile: str | None):
    handlers = [logging.StreamHandler(sys.stderr)]
    if logfile:
        handlers.append(logging.FileHandler(logfile, mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(levelname)s %(message)s")


@contextmanager
def atomic(path):
    """Write `path` whole or not at all: the writer gets `path`.partial, renamed to `path`
    when it is done (removed if it fails). A run killed mid-write leaves no partial file
    under a final name."""
    tmp = f"{path}.partial"
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str):
    with atomic(path) as tmp:
        Path(tmp).write_text(text)


def write_json(obj, path):
    write_text(path, json.dumps(obj, indent=1, sort_keys=True) + "\n")


def read_records(paths: list[str]) -> list[dict]:
    return [json.loads(Path(p).read_text()) for p in paths]


def write_table(df: pd.DataFrame, layout: tuple[list[str], dict[str, int]], path: str):
    """TSV with fixed float formatting (deterministic output); layout: (columns, digits)."""
    cols, digits = layout
    with atomic(path) as tmp, open(tmp, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in df[cols].to_dict("records"):
            fh.write("\t".join(fmt(r[c], digits[c]) if c in digits else str(r[c]) for c in cols) + "\n")


def sample_name(coverage_path: str) -> str:
    """The sample of a coverage file (`{sample}.targetcoverage.cnn`; names may hold dots)."""
    name = Path(coverage_path).name
    for suffix in (".targetcoverage.cnn", ".antitargetcoverage.cnn"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
