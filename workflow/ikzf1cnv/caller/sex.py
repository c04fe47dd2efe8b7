"""A sample's sex from its data, held against the sheet's: a mismatch is how a lab catches
a swapped sample.

Two measurements:
  X  the level of chrX outside the pseudo-autosomal regions against the autosomes, from
     the sample's bias-corrected log2 ratios (CNVkit's references are made for two X
     copies: a female reads about 1, a male about 0.5)
  Y  reads on chrY (samtools idxstats) per base against the autosomes' off-target depth
     (whole-genome mode: their depth), per copy: a male reads about 0.5 (less where chrY
     is hard to map), a female about 0 (mismapped reads only). Panels without off-target
     bins and genomes read only at their loci give no Y.

Y reads decide male whatever X says (a male tumour with +X reads like a female on X
alone). Without Y, X decides: at or above `x_female` female, at or below `x_male` male,
between not told (a tumour that gained or lost an X in part of its cells). The thresholds
are the config's `sex` block.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.bins import isin_names
from ..core.constants import AUTOSOMES


@dataclass(frozen=True)
class SexRules:
    """config `sex`: X level (fraction of the autosomes' copies) at or above which a sample
    reads female, at or below which male; Y reads per copy at or above which it reads male."""
    x_female: float
    x_male: float
    y_male: float

    @classmethod
    def from_config(cls, cfg: dict) -> "SexRules":
        return cls(cfg["x_female"], cfg["x_male"], cfg["y_male"])


def x_level(bins: pd.DataFrame, par: pd.DataFrame) -> float | None:
    """chrX outside the PARs against the autosomes, as a fraction of two copies (median of
    each's log2 ratios), or None without chrX bins."""
    chrom = bins["chromosome"].to_numpy(dtype=object)
    l2 = bins["log2"].to_numpy(dtype=float)
    ok = np.isfinite(l2)
    x = (chrom == "chrX") & ok
    for c, a, b in zip(par["chrom"].tolist(), par["start"].tolist(), par["end"].tolist()):
        if c == "chrX":
            x &= ~((bins["start"].to_numpy() >= a) & (bins["end"].to_numpy() <= b))
    auto = isin_names(chrom, AUTOSOMES) & ok
    if x.sum() < 3 or not auto.any():
        return None
    return float(2.0 ** (np.median(l2[x]) - np.median(l2[auto])))


def y_level(chry_reads: int | None, read_length: float, chry_length: int, autosome_depth: float) -> float | None:
    """chrY's depth from its reads against the autosomes' (off-target) depth, per copy."""
    if chry_reads is None or not autosome_depth > 0 or not chry_length:
        return None
    return float(chry_reads * read_length / chry_length / (autosome_depth / 2.0))


def infer(x: float | None, y: float | None, rules: SexRules) -> str:
    """female, male or NA from the two levels (see the module's text)."""
    if y is not None and y >= rules.y_male:
        return "male"
    if x is None:
        return "NA"
    if x >= rules.x_female:
        return "female"
    return "male" if x <= rules.x_male else "NA"


def evidence(x: float | None, y: float | None) -> str:
    """'X 0.51, Y 0.48' (NA where not measured): each as a fraction of two copies / one copy."""
    return f"X {'NA' if x is None else f'{x:.2f}'}, Y {'NA' if y is None else f'{y:.2f}'}"


def check(sheet: str | None, inferred: str) -> str:
    """ok, mismatch, or NA (no sheet value or nothing inferred)."""
    if not sheet or inferred == "NA":
        return "NA"
    return "ok" if sheet == inferred else "mismatch"
