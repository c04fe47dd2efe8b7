"""A pooled reference made trustworthy: with few normals (spread shrunk towards a prior),
from the cohort's own tumours (each bin re-estimated without the tumours far below it), and
the normals' shared bias patterns for denoising (reference.denoise). Each step takes the
reference (cnvlib's CopyNumArray) and a `fix(target_cnn, antitarget_cnn)` that gives a
sample's .cnr table against it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.constants import ANTITARGET_ALIASES, AUTOSOMES
from ..core.files import log
from ..cnvkit.fix import target_bins_with_spread
from ..cnvkit.io import read_cnn
from . import denoise, refine


COHORT_WARNING = ("no normals: the reference is the median of the cohort's {n} tumours. An event carried by most of "
                  "the cohort at the same exons would be missed; give normals or a reference_cnn when you have them.")


FEW_NORMALS_WARNING = ("only {n} normal(s) in the pooled reference: per-bin spread is poorly estimated; calls lean on "
                       "the sample's own noise")


FLAT_WARNING = ("no normals and no reference_cnn: flat reference. Capture differences between targets are not "
                "removed; exon calls are noisier and less sensitive.")


FEW_NORMALS = 3  # fewer normals than this: the report warns


def robust_cohort_reference(ref, samples: list[tuple[str, str]], fix: Callable, trim: float, window: int):
    """Re-estimate each target bin of a tumour-pooled reference from the tumours' log2
    ratios against it (`samples`: their target and antitarget coverage files; `fix`: against
    the first pass), leaving out values far below the bin's centre (refine.py). Returns the
    reference and the number of tumours behind each bin."""
    keys = ["chromosome", "start", "end"]
    data = ref.data.reset_index(drop=True)
    tgt = data.loc[~data["gene"].isin(ANTITARGET_ALIASES), keys].reset_index()
    cols = []
    for i, (t, a) in enumerate(samples):
        cnr = fix(t, a)
        d = cnr[~cnr["gene"].isin(ANTITARGET_ALIASES)][keys + ["log2"]]
        cols.append(tgt.merge(d, on=keys, how="left")["log2"].to_numpy())
        log.info("cohort reference: [%d/%d] %s against the first pass", i + 1, len(samples), Path(t).name)
    loc, sd, kept = refine.lower_trimmed_location(np.column_stack(cols), trim, tgt["chromosome"].to_numpy(), window)
    ok = np.isfinite(loc)
    rows = tgt["index"].to_numpy()
    data.loc[rows[ok], "log2"] = data.loc[rows[ok], "log2"].to_numpy() + loc[ok]
    data.loc[rows[ok], "spread"] = sd[ok]
    moved = np.abs(loc[ok])
    log.info("cohort reference: %d target bins re-estimated; median |shift| %.3f, max %.3f; median kept %d of %d",
             int(ok.sum()), float(np.median(moved)) if len(moved) else 0.0, float(moved.max()) if len(moved) else 0.0,
             int(np.median(kept)), len(samples))
    n_behind = np.full(len(data), len(samples), dtype=float)
    n_behind[rows] = kept
    ref.data = data
    return ref, n_behind


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
