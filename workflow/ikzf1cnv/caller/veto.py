"""An exclusion gene read 'none' only counts as absent where the data could have seen it.

IKZF1plus is an IKZF1 deletion with a partner co-deletion *and no ERG deletion*
(rules.yaml `ikzf1plus.exclude`). A 'none' for ERG means no deletion was found, not that
none is there: on a noisy sample (a tumour-pooled reference, low depth) an ERG deletion in
as many cells as the IKZF1 deletion can sit below the limit of detection, and a 'yes'
resting on it would be a confident wrong call. So each exclusion gene read 'none' gets its
limit of detection (caller.lod: a one-copy loss over the gene's extent, from the sample's
own SEs and the gene window's calibrated penalty); where that limit is above the IKZF1
deletion's cell fraction (or out of reach), the gene is passed to the rules as NA, and
classify.robust makes IKZF1plus NA wherever an ERG deletion would have changed it.

The extent is rules.yaml `ikzf1plus.exclude_extent`: ERG deletions in BCP-ALL are
intragenic (its first and last exons kept), so the limit is taken over the exons between
them, the largest such deletion (`whole`: every exon). A smaller intragenic deletion is
harder still to see: this limit is the most favourable one an intragenic deletion has, and
the check never makes an IKZF1plus call less safe.
"""
from __future__ import annotations

import pandas as pd

from . import lod
from .params import CallerParams


def extent(u: pd.DataFrame, kind: str) -> tuple[int, int]:
    """The 0-based half-open interval a deletion of the gene takes at most: its exon units
    (`u`: gene, exon, start, end, 1-based inclusive) from first to last (`whole`), or those
    between its first and last exons (`intragenic`; the whole gene if it has no exon between)."""
    if kind not in ("whole", "intragenic"):
        raise ValueError(f"rules.yaml ikzf1plus.exclude_extent: {kind!r} is not 'whole' or 'intragenic'")
    num = pd.to_numeric(u["exon"].astype(str).str.extract(r"^(\d+)")[0])
    inner = u[(num > num.min()) & (num < num.max())] if kind == "intragenic" else u
    inner = inner if len(inner) else u
    return int(inner["start"].min()) - 1, int(inner["end"].max())


def unruled(res, units: pd.DataFrame, exclude: list[str], params: CallerParams,
            extents: dict | None = None) -> dict[str, float | None]:
    """Exclusion genes read 'none' whose deletion in the IKZF1 deletion's cell fraction the
    data could not rule out: gene -> its limit of detection (None: out of reach). `res`: the
    tumour's calls (caller.sample.SampleCalls: status, ikzf1, genes, positions); `extents`:
    gene -> `whole` | `intragenic` (rules.yaml `ikzf1plus.exclude_extent`; `whole` if not named)."""
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
        interval = extent(u, (extents or {}).get(gene, "whole"))
        limit = lod.limit(window, interval, params.model_for(len(window)).switch_penalty) if len(window) else None
        if limit is None or limit > float(cf):
            out[gene] = limit
    return out


def note(unknown: dict[str, float | None], cf: float) -> str:
    """'ERG deletion not ruled out (limit of detection 0.55 > IKZF1 cell fraction 0.50)'."""
    return "; ".join(f"{g} deletion not ruled out (limit of detection "
                     f"{'out of reach' if v is None else f'{v:.2f}'} > IKZF1 cell fraction {cf:.2f})"
                     for g, v in unknown.items())
