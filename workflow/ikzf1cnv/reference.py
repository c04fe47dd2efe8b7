"""The reference stage: a pooled reference from the normals (or the cohort's tumours, a
prebuilt one, or flat), refined for few normals and for tumour pools, and the normals'
bias patterns for denoising."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import annotation, calling, cnv, denoise, refine
from .files import atomic, log, sample_name, write_json


@dataclass(frozen=True)
class ReferenceJob:
    mode: str                    # pooled | cohort | prebuilt | flat
    targets: list[str]           # coverage of the samples pooled (normals, or the tumours in cohort mode)
    antitargets: list[str]
    target_bins: str
    antitarget_bins: str
    prebuilt: str | None
    par_genome: str | None       # CNVkit's name for the build's PAR (rules.yaml cnvkit_par_genome)
    par_regions: str             # resources/cnvkit_par_regions.tsv
    edge: bool
    fasta: str | None
    n_components: int
    spread_prior_df: float
    cohort_trim: float
    cohort_window: int
    out_cnn: str
    out_info: str
    out_denoise: str
    bam_info: tuple = ()         # coverage/{sample}.bam.json of the pooled samples (a BAM that failed: left out)


COHORT_WARNING = ("no normals: the reference is the median of the cohort's {n} tumours. An event carried by most of "
                  "the cohort at the same exons would be missed; give normals or a reference_cnn when you have them.")
FEW_NORMALS_WARNING = ("only {n} normal(s) in the pooled reference: per-bin spread is poorly estimated; calls lean on "
                       "the sample's own noise")
FLAT_WARNING = ("no normals and no reference_cnn: flat reference. Capture differences between targets are not "
                "removed; exon calls are noisier and less sensitive.")
FEW_NORMALS = 3  # fewer normals than this: the report warns


def usable(job: ReferenceJob) -> ReferenceJob:
    """The job without the pooled samples whose BAM could not be read (their bam.json has
    an error); pooled with none left: flat."""
    import dataclasses
    import json
    if not job.bam_info:
        return job
    bad = [i for i, p in enumerate(job.bam_info) if json.loads(Path(p).read_text()).get("error")]
    if not bad:
        return job
    for i in bad:
        log.warning("reference: %s left out, its BAM could not be read (see its coverage log)",
                    sample_name(job.targets[i]))
    keep = [i for i in range(len(job.targets)) if i not in bad]
    mode = job.mode if keep or job.mode not in ("pooled", "cohort") else "flat"
    return dataclasses.replace(job, mode=mode, targets=[job.targets[i] for i in keep],
                               antitargets=[job.antitargets[i] for i in keep],
                               bam_info=tuple(job.bam_info[i] for i in keep))


def run_reference(job: ReferenceJob):
    from skgenome import tabio
    job = usable(job)
    if job.mode == "prebuilt":
        with atomic(job.out_cnn) as tmp:
            shutil.copyfile(job.prebuilt, tmp)
        info = {"mode": "prebuilt", "source": job.prebuilt, "normals": [], "warning": ""}
    elif job.mode in ("pooled", "cohort"):
        ref = cnv.build_reference(job.targets, job.antitargets, job.par_genome, job.edge, job.fasta)
        n_behind = len(job.targets)
        if job.mode == "cohort":
            with atomic(job.out_cnn) as tmp:  # the first pass, which the tumours are compared with
                tabio.write(ref, tmp)
            ref, n_behind = robust_cohort_reference(ref, job)
        ref = shrink_reference_spread(ref, n_behind, job.spread_prior_df)
        with atomic(job.out_cnn) as tmp:
            tabio.write(ref, tmp)
        info = {"mode": job.mode, "normals": [sample_name(p) for p in job.targets] if job.mode == "pooled" else [],
                "warning": ""}
        if job.mode == "cohort":
            info["warning"] = COHORT_WARNING.format(n=len(job.targets))
        elif len(job.targets) < FEW_NORMALS:
            info["warning"] = FEW_NORMALS_WARNING.format(n=len(job.targets))
    else:
        ref = cnv.flat_reference(job.target_bins, job.antitarget_bins, job.par_genome, job.fasta)
        with atomic(job.out_cnn) as tmp:
            tabio.write(ref, tmp)
        info = {"mode": "flat", "normals": [], "warning": FLAT_WARNING}
    if info["warning"]:
        log.warning(info["warning"])
    comps = pd.DataFrame(columns=["chromosome", "start", "end"])
    if info["mode"] == "pooled" and len(job.targets) >= 2 and job.n_components > 0:
        comps = denoise_components(job)
        info["denoise_components"] = comps.shape[1] - 3
    else:
        info["denoise_components"] = 0
    with atomic(job.out_denoise) as tmp:
        comps.to_csv(tmp, sep="\t", index=False, float_format="%.6f", lineterminator="\n")
    log.info("reference: %s; %d denoising component(s)", info["mode"], info["denoise_components"])
    write_json(info, job.out_info)


def fixer(ref_path: str, job: ReferenceJob):
    """fix(target_cnn, antitarget_cnn) -> a sample's .cnr table against the reference at
    ref_path (read once): fix_fast where it reproduces CNVkit, else cnvlib."""
    ref_table, par = cnv.read_cnn(ref_path), annotation.read_tsv(job.par_regions)
    return lambda t, a: cnv.fix_table(t, a, ref_table, ref_path, job.par_genome, par, job.edge, job.fasta is not None)


def robust_cohort_reference(ref, job: ReferenceJob):
    """Re-estimate each target bin of a tumour-pooled reference from the tumours' log2
    ratios against it, leaving out values far below the bin's centre (refine.py)."""
    keys = ["chromosome", "start", "end"]
    data = ref.data.reset_index(drop=True)
    tgt = data.loc[data["gene"] != "Antitarget", keys].reset_index()
    cols = []
    fix = fixer(job.out_cnn, job)
    for i, (t, a) in enumerate(zip(job.targets, job.antitargets)):
        cnr = fix(t, a)
        d = cnr[cnr["gene"] != "Antitarget"][keys + ["log2"]]
        cols.append(tgt.merge(d, on=keys, how="left")["log2"].to_numpy())
        log.info("cohort reference: [%d/%d] %s against the first pass", i + 1, len(job.targets), Path(t).name)
    loc, sd, kept = refine.lower_trimmed_location(np.column_stack(cols), job.cohort_trim, tgt["chromosome"].to_numpy(),
                                                  job.cohort_window)
    ok = np.isfinite(loc)
    rows = tgt["index"].to_numpy()
    data.loc[rows[ok], "log2"] = data.loc[rows[ok], "log2"].to_numpy() + loc[ok]
    data.loc[rows[ok], "spread"] = sd[ok]
    moved = np.abs(loc[ok])
    log.info("cohort reference: %d target bins re-estimated; median |shift| %.3f, max %.3f; median kept %d of %d",
             int(ok.sum()), float(np.median(moved)) if len(moved) else 0.0, float(moved.max()) if len(moved) else 0.0,
             int(np.median(kept)), len(job.targets))
    n_behind = np.full(len(data), len(job.targets), dtype=float)
    n_behind[rows] = kept
    ref.data = data
    return ref, n_behind


def shrink_reference_spread(ref, n_behind, prior_df: float):
    """Target bins' spread shrunk towards the fitted prior (refine.shrink_spread)."""
    if prior_df <= 0 or "spread" not in ref.data.columns:
        return ref
    data = ref.data.reset_index(drop=True)
    t = (data["gene"] != "Antitarget").to_numpy()
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


def denoise_components(job: ReferenceJob) -> pd.DataFrame:
    """Bias patterns of the normals (see denoise.py) on the target bins."""
    cols = []
    keys = None
    fix = fixer(job.out_cnn, job)
    ref_table = cnv.read_cnn(job.out_cnn)
    for t, a in zip(job.targets, job.antitargets):
        b = cnv.target_bins_with_spread(fix(t, a), ref_table)
        auto = b["chromosome"].isin(calling.AUTOSOMES)
        cols.append((b["log2"] - np.nanmedian(b.loc[auto, "log2"])).to_numpy())
        keys = b[["chromosome", "start", "end"]]
    m = np.column_stack(cols)
    m[~np.isfinite(m)] = 0.0
    # autosomes only: on chrX/chrY the normals differ by sex, not by bias
    keys = keys.reset_index(drop=True)
    auto = keys["chromosome"].isin(calling.AUTOSOMES).to_numpy()
    u = denoise.components(m[auto], job.n_components)
    out = keys[auto].copy()
    for j in range(u.shape[1]):
        out[f"pc{j + 1}"] = u[:, j]
    return out
