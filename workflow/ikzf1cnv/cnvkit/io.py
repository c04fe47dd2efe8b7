"""CNVkit's .cnn/.cnr tables as plain DataFrames."""
from __future__ import annotations

import pandas as pd

from ..core.files import atomic


def read_cnn(path: str) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={"chromosome": str, "gene": str}, keep_default_na=False,
                       na_values={"log2": ["", "NaN", "nan"], "depth": ["", "NaN", "nan"],
                                  "spread": ["", "NaN", "nan"]})


def write_cnn(table: pd.DataFrame, path: str):
    """A coverage table in CNVkit's .cnn layout and number format."""
    with atomic(path) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.6g", lineterminator="\n")
