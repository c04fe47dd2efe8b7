"""CNVkit's .cnn/.cnr tables as plain DataFrames."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.tables import write_tsv


def read_cnn(path: str) -> pd.DataFrame:
    """A .cnn/.cnr table; chromosome and gene as Python strings (object columns: what every
    step filters and indexes; pandas' Arrow strings cost more a call and to read)."""
    return pd.read_csv(path, sep="\t", dtype={"chromosome": object, "gene": object}, keep_default_na=False,
                       na_values={"log2": ["", "NaN", "nan"], "depth": ["", "NaN", "nan"],
                                  "spread": ["", "NaN", "nan"]})


def write_cnn(table: pd.DataFrame, path: str):
    """A coverage table in CNVkit's .cnn layout and number format (what skgenome's
    tabio.write writes, byte for byte)."""
    write_tsv(table, path, "%.6g")


@dataclass
class Table:
    """Bins or a reference where cnvlib gives a GenomicArray: the rows as `.data` (what the
    steps after it read, and what skgenome's tabio.write writes)."""
    data: pd.DataFrame

    def __len__(self) -> int:
        return len(self.data)
