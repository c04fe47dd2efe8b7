"""A pooled reference made trustworthy: with few normals (spread shrunk towards a prior),
from the cohort's own tumours (each bin re-estimated without the tumours far below it), and
the normals' shared bias patterns for denoising (reference.denoise). Each step takes the
reference (cnvlib's CopyNumArray) and a `fix(target_cnn, antitarget_cnn)` that gives a
sample's .cnr table against it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.constants import ANTITARGET_ALIASES, AUTOSOMES
from ..core.files import log
from ..cnvkit.fix import target_bins_with_spread
from ..cnvkit.io import read_cnn
from . import baseline, denoise, refine


COHORT_WARNING = ("no normals: the reference is the upper cluster of the cohort's {n} tumours at each bin (deletions "
                  "only lower a bin). Where fewer than {m} tumours set a gene's baseline, or some sit clearly above "
                  "it, the gene is not evaluable; a deletion carried by every tumour at the same exons cannot be seen. "
                  "Give normals or a reference_cnn when you have them.")


FEW_NORMALS_WARNING = ("only {n} normal(s) in the pooled reference: per-bin spread is poorly estimated; calls lean on "
                       "the sample's own noise")


FLAT_WARNING = ("no normals and no reference_cnn: flat reference. Capture differences between targets are not "
                "removed; exon calls are noisier and less sensitive.")


FEW_NORMALS = 3  # fewer normals than this: the report warns


@dataclass(frozen=True)
class Genome:
    """What the tumour-pooled baseline needs to know of the genome: the exon units of the
    modelled genes, the chromosome arms, every model group's window (core.annotation)."""
    units: pd.DataFrame
    arms: pd.DataFrame
    windows: dict


def bin_layout(bins: pd.DataFrame, g: Genome, par: pd.DataFrame) -> dict:
    """Per bin (target and off-target): its region (an autosomal arm's index, chrX outside
    or inside its PARs: reference.baseline), whether it lies outside every gene window (the
    bins a level is read from), and each modelled gene's bins (its span) and exon bins."""
    chrom, st, en = bins["chromosome"].to_numpy(dtype=object), bins["start"].to_numpy(), bins["end"].to_numpy()
    region = np.full(len(bins), -1)
    for i, a in enumerate(g.arms.itertuples(index=False)):
        if a.chrom in AUTOSOMES:
            region[(chrom == a.chrom) & (st >= a.start - 1) & (en <= a.end)] = i
    in_par = np.zeros(len(bins), dtype=bool)
    for r in par[par["chrom"] == "chrX"].itertuples():
        in_par |= (chrom == "chrX") & (en > r.start) & (st < r.end)
    region[(chrom == "chrX") & ~in_par] = baseline.X_NONPAR
    region[in_par] = baseline.X_PAR
    outside = np.ones(len(bins), dtype=bool)
    for c, ws, we in g.windows.values():
        outside &= ~((chrom == c) & (en > ws) & (st < we))
    genes = {}
    target = ~bins["gene"].isin(ANTITARGET_ALIASES).to_numpy()
    for gene, u in g.units.groupby("gene", sort=False):
        on = (chrom == u["chrom"].iloc[0]) & target
        span = on & (en > u["start"].min() - 1) & (st < u["end"].max())
        exon = np.zeros(len(bins), dtype=bool)
        for e in u.itertuples(index=False):
            exon |= on & (en > e.start - 1) & (st < e.end)
        genes[gene] = (span, exon)
    return {"chrom": chrom, "region": region, "outside": outside, "genes": genes, "target": target}


def robust_cohort_reference(ref, samples: list[tuple[str, str]], fix: Callable, g: Genome,
                            s: baseline.ClusterSettings, par: pd.DataFrame):
    """Re-estimate each target bin of a tumour-pooled reference at the upper cluster of the
    tumours' log2 ratios against it (`samples`: their target and antitarget coverage files;
    `fix`: against the first pass), each tumour taken relative to its own arm's level
    (reference.baseline). Returns the reference, the number of tumours behind each bin, and
    each modelled gene's baseline (the tumours it rests on, those clearly above it, safe)."""
    keys = ["chromosome", "start", "end"]
    data = ref.data.reset_index(drop=True)
    cols = []
    for i, (t, a) in enumerate(samples):
        cols.append(data[keys].merge(fix(t, a)[keys + ["log2"]], on=keys, how="left")["log2"].to_numpy())
        log.info("cohort reference: [%d/%d] %s against the first pass", i + 1, len(samples), Path(t).name)
    lay = bin_layout(data, g, par)
    tg = lay["target"]
    y = baseline.arm_relative(np.column_stack(cols), lay["region"], lay["chrom"], lay["outside"], tg, s.min_arm_bins)
    noise = baseline.tumour_noise(y[tg], lay["chrom"][tg])
    loc, sd, kept = baseline.upper_cluster(y[tg], noise, lay["chrom"][tg], s)
    resid, out = y[tg] - loc[:, None], lay["outside"][tg]
    genes = {}
    for gene, (span, exon) in lay["genes"].items():
        chance = baseline.block_sd(resid[out], lay["chrom"][tg][out], int(span[tg].sum()))
        genes[gene] = baseline.gene_safety(resid, chance, kept, span[tg], exon[tg], s)
    ok = np.isfinite(loc)
    rows = np.flatnonzero(tg)
    data.loc[rows[ok], "log2"] = data.loc[rows[ok], "log2"].to_numpy() + loc[ok]
    data.loc[rows[ok], "spread"] = sd[ok]
    moved = np.abs(loc[ok])
    log.info("cohort reference: %d target bins re-estimated; median |shift| %.3f, max %.3f; median kept %d of %d",
             int(ok.sum()), float(np.median(moved)) if len(moved) else 0.0, float(moved.max()) if len(moved) else 0.0,
             int(np.median(kept)), len(samples))
    n_behind = np.full(len(data), len(samples), dtype=float)
    n_behind[rows] = kept
    ref.data = data
    return ref, n_behind, genes


def shrink_reference_spread(ref, n_behind, prior_df: float):
    """Target bins' spread shrunk towards the fitted prior (refine.shrink_spread)."""
    if prior_df <= 0 or "spread" not in ref.data.columns:
        return ref
    data = ref.data.reset_index(drop=True)
    t = (~data["gene"].isin(ANTITARGET_ALIASES)).to_numpy()
    n = np.broadcast_to(np.asarray(n_behind, dtype=float), (len(data),))[t]
    before = data.loc[t, "spread"].to_numpy(dtype=float)
    after = refine.shrink_spread(before, data.loc[t, "depth"].to_numpy(dtype=float),
                                 (data.loc[t, "end"] - data.loc[t, "start"]).to_numpy(dtype=float), n, prior_df)
    data.loc[t, "spread"] = after
    log.info("reference spread shrunk (prior df %.1f, %s sample(s) per bin): median %.3f -> %.3f, max %.3f -> %.3f",
             prior_df, int(np.median(n)) if len(n) else 0, float(np.nanmedian(before)), float(np.nanmedian(after)),
             float(np.nanmax(before)), float(np.nanmax(after)))
    ref.data = data
    return ref


def denoise_components(samples: list[tuple[str, str]], fix: Callable, reference_cnn: str,
                       n_components: int) -> pd.DataFrame:
    """Bias patterns of the normals (`samples`: their target and antitarget coverage files;
    `fix`: against the reference at `reference_cnn`) on the target bins (reference.denoise)."""
    cols = []
    keys = None
    ref_table = read_cnn(reference_cnn)
    for t, a in samples:
        b = target_bins_with_spread(fix(t, a), ref_table)
        auto = b["chromosome"].isin(AUTOSOMES)
        cols.append((b["log2"] - np.nanmedian(b.loc[auto, "log2"])).to_numpy())
        keys = b[["chromosome", "start", "end"]]
    m = np.column_stack(cols)
    m[~np.isfinite(m)] = 0.0
    # autosomes only: on chrX/chrY the normals differ by sex, not by bias
    keys = keys.reset_index(drop=True)
    auto = keys["chromosome"].isin(AUTOSOMES).to_numpy()
    u = denoise.components(m[auto], n_components)
    out = keys[auto].copy()
    for j in range(u.shape[1]):
        out[f"pc{j + 1}"] = u[:, j]
    return out
