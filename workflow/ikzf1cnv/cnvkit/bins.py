"""CNVkit's target and antitarget bins of a panel (cnvkit.fast_bins: cnvlib's, byte for
byte, without its per-target Python loop)."""
from __future__ import annotations

import pandas as pd

from ..inputs.bed import read_targets
from .fast_bins import antitarget_bins, target_bins
from .io import Table


def make_bins(targets, target_avg_size: float, antitarget_avg_size: int) -> tuple[Table, Table]:
    """Target bins (panel targets split to ~target_avg_size bp) and antitarget bins of a
    target BED (a path, or the table inputs.bed.read_targets gives: header lines skipped
    wherever they are), as CNVkit's target and antitarget commands make them: intervals
    sorted and overlaps merged. Each as a Table (`.data`: chromosome, start, end, gene)."""
    if not isinstance(targets, pd.DataFrame):
        targets = read_targets(targets)[0]
    tgt = target_bins(targets, target_avg_size)
    return Table(tgt), Table(antitarget_bins(tgt, antitarget_avg_size))
