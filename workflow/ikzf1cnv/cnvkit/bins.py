"""CNVkit's target and antitarget bins of a panel."""
from __future__ import annotations

import pandas as pd

from ..inputs.bed import read_targets


def make_bins(targets, target_avg_size: float, antitarget_avg_size: int):
    """Target bins (panel targets split to ~target_avg_size bp) and antitarget bins of a
    target BED (a path, or the table inputs.bed.read_targets gives: header lines skipped
    wherever they are); intervals sorted (as tabio does) and overlaps merged (by CNVkit's
    target splitting)."""
    from cnvlib import antitarget, target
    from skgenome import GenomicArray

    if not isinstance(targets, pd.DataFrame):
        targets = read_targets(targets)[0]
    baits = GenomicArray(targets[["chromosome", "start", "end", "gene"]].assign(strand=".").reset_index(drop=True))
    baits.sort_columns()
    baits.sort()
    tgt = target.do_target(baits, do_split=True, avg_size=target_avg_size)
    anti = antitarget.do_antitarget(tgt, avg_bin_size=antitarget_avg_size)
    return tgt, anti
