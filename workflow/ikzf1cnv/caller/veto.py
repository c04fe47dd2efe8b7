"""An exclusion gene read 'none' only counts as absent where the data could have seen it.

IKZF1plus is an IKZF1 deletion with a partner co-deletion *and no ERG deletion*
(rules.yaml `ikzf1plus.exclude`). A 'none' for ERG means no deletion was found, not that
none is there: on a noisy sample (a tumour-pooled reference, low depth) an ERG deletion in
as many cells as the IKZF1 deletion can sit below the limit of detection, and a 'yes'
resting on it would be a confident wrong call. So each exclusion gene read 'none' gets its
limit of detection (caller.lod: a one-copy loss over the whole gene, from the sample's own
SEs and the gene window's calibrated penalty); where that limit is above the IKZF1
deletion's cell fraction (or out of reach), the gene is passed to the rules as NA, and
classify.robust makes IKZF1plus NA wherever an ERG deletion would have changed it. A
partial ERG deletion is harder to see than the whole gene's loss, so this limit is the
most favourable one: it never makes an IKZF1plus call less safe.
"""
from __future__ import annotations

import pandas as pd

from . import lod
from .params import CallerParams


def unruled(res, units: pd.DataFrame, exclude: list[str], params: CallerParams) -> dict[str, float | None]:
    """Exclusion genes read 'none' whose deletion in the IKZF1 deletion's cell fraction the
    data could not rule out: gene -> its limit of detection (None: out of reach). `res`: the
    tumour's calls (caller.sample.SampleCalls: status, ikzf1, genes, positions)."""
    cf, genes, positions = res.ikzf1.get("cell_fraction"), res.genes, res.positions
    if res.status != "deleted" or cf is None or positions is None or not len(positions):
        return {}
    out = {}
    for gene in exclude:
        u = units[units["gene"] == gene]
        if genes.get(gene) != "none" or not len(u):
            continue
        group = positions[positions["gene"] == gene]["group"]
        window = positions[positions["group"] == group.iloc[0]] if len(group) else positions.iloc[:0]
        interval = (int(u["start"].min()) - 1, int(u["end"].max()))
        limit = lod.limit(window, interval, params.model_for(len(window)).switch_penalty) if len(window) else None
        if limit is None or limit > float(cf):
            out[gene] = limit
    return out


def note(unknown: dict[str, float | None], cf: float) -> str:
    """'ERG deletion not ruled out (limit of detection 0.55 > IKZF1 cell fraction 0.50)'."""
    return "; ".join(f"{g} deletion not ruled out (limit of detection "
                     f"{'out of reach' if v is None else f'{v:.2f}'} > IKZF1 cell fraction {cf:.2f})"
                     for g, v in unknown.items())
