"""A sample's bias-corrected log2 ratios against the reference (CNVkit's `fix`): fix_fast
where it reproduces cnvlib exactly, else cnvlib; and the bins handed to the caller."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.annotation import read_tsv
from ..core.bins import BinIndex, lookup
from ..core.constants import ANTITARGET_ALIASES
from .fast_fix import fix_fast
from .io import read_cnn


@dataclass(frozen=True)
class FixSettings:
    """What `fix` needs besides the sample: the reference (its table and its file), CNVkit's
    name for the build's pseudo-autosomal regions and resources/cnvkit_par_regions.tsv,
    and the corrections asked for (edge; GC and repeat-mask with a FASTA)."""
    reference: pd.DataFrame
    reference_path: str
    par_genome: str | None
    par: pd.DataFrame
    do_edge: bool = False
    has_fasta: bool = False

    @cached_property
    def index(self) -> BinIndex:
        """The reference's bins by coordinates (core.bins), built once for every sample."""
        return BinIndex(self.reference)

    @cached_property
    def par_rows(self) -> pd.DataFrame:
        """resources/cnvkit_par_regions.tsv's rows of the build."""
        return self.par[self.par["genome"] == self.par_genome]

    @classmethod
    def read(cls, reference_path: str, par_genome: str | None, par_regions: str, do_edge: bool = False,
             has_fasta: bool = False) -> "FixSettings":
        return cls(read_cnn(reference_path), reference_path, par_genome, read_tsv(par_regions), do_edge, has_fasta)


def fix(target_cnn: str, antitarget_cnn: str, reference_cnn: str, par_genome: str | None, do_edge: bool,
        has_fasta: bool):
    """Per-bin log2 ratios of a sample against the reference, bias-corrected (cnvlib)."""
    from cnvlib import fix as cfix
    from cnvlib import read

    ref = read(reference_cnn)
    return cfix.do_fix(read(target_cnn), read(antitarget_cnn), ref, diploid_parx_genome=par_genome,
                       do_gc=has_fasta, do_edge=do_edge, do_rmask=has_fasta)


def fast_fix_applies(do_edge: bool, has_fasta: bool, bins: pd.DataFrame) -> bool:
    return not do_edge and not has_fasta and not bins["chromosome"].isin(["chrY", "Y"]).any()


def fix_table(target_cnn: str, antitarget_cnn: str, s: FixSettings) -> pd.DataFrame:
    """CNVkit's fix as a table: fix_fast where it reproduces cnvlib exactly, else cnvlib."""
    if fast_fix_applies(s.do_edge, s.has_fasta, s.reference):
        return fix_fast(target_cnn, antitarget_cnn, s.reference, s.par_rows, s.index)
    return fix(target_cnn, antitarget_cnn, s.reference_path, s.par_genome, s.do_edge,
               s.has_fasta).data.reset_index(drop=True)


def bins_with_spread(cnr, reference, offtarget: bool = True, index: BinIndex | None = None) -> pd.DataFrame:
    """Bins of a .cnr with the reference's spread attached (for the caller), `offtarget`
    True for CNVkit's antitarget bins; without `offtarget`, target bins only.
    `reference`: a .cnn path or its table (`index`: its BinIndex, where built already)."""
    ref = read_cnn(reference) if isinstance(reference, str) else reference
    d = cnr.data if hasattr(cnr, "data") else cnr
    if not offtarget:
        d = d[~d["gene"].isin(ANTITARGET_ALIASES)]
    keys = ["chromosome", "start", "end"]
    out = d[keys + ["gene", "log2", "depth", "weight"]].reset_index(drop=True)
    # the reference's spread of each bin (a left merge on the coordinates; 0 without a spread column)
    spread = lookup(ref, out, ["spread"], index)["spread"] if "spread" in ref.columns else np.zeros(len(out))
    return out.assign(spread=spread, offtarget=out["gene"].isin(ANTITARGET_ALIASES).to_numpy())


def target_bins_with_spread(cnr, reference) -> pd.DataFrame:
    """Target bins of a .cnr with the reference's spread attached."""
    return bins_with_spread(cnr, reference, offtarget=False).drop(columns="offtarget")
