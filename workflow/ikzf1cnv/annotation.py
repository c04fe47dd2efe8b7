"""Loading the per-build annotation in resources/<build>/."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml


def read_tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", comment="#", dtype={"exon": str})


def load_units(resources: Path | str, build: str) -> pd.DataFrame:
    """Exon units: gene, exon, chrom, start, end (1-based inclusive), strand, source."""
    return read_tsv(Path(resources) / build / "exons.tsv")


def load_contigs(resources: Path | str, build: str) -> dict[str, int]:
    df = read_tsv(Path(resources) / build / "contigs.tsv")
    return dict(zip(df["chrom"], df["length"].astype(int)))


def load_regions(resources: Path | str, build: str) -> pd.DataFrame:
    return read_tsv(Path(resources) / build / "regions.tsv")


def load_rules(path: Path | str) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def unit_order(units: pd.DataFrame, gene: str) -> pd.DataFrame:
    """A gene's units in transcription order (exon 1 first)."""
    u = units[units["gene"] == gene]
    return u.iloc[::-1] if (u["strand"] == "-").all() and u["start"].is_monotonic_increasing else u
