"""Rule reference: the pooled reference from the normals (or the cohort's tumours), a
prebuilt one, or a flat one; refined for few normals and for tumour pools; and the normals'
bias patterns for denoising."""
from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass

import pandas as pd

from ..cnvkit.fix import FixSettings, fix_table
from ..cnvkit.io import write_cnn
from ..cnvkit.reference import build_reference, flat_reference
from ..core import annotation
from ..core.files import atomic, log, read_json, write_json
from ..core.tables import write_tsv
from ..reference import pool
from ..reference.baseline import ClusterSettings
from .wiring import Job


@dataclass(frozen=True)
class PooledSample:
    """One sample pooled into the reference (a normal, or a tumour in cohort mode)."""
    sample: str
    target_coverage: str
    antitarget_coverage: str
    bam_info: str                # its coverage step's facts (a BAM that failed: left out)


@dataclass(frozen=True)
class ReferenceJob(Job):
    members: tuple               # the samples pooled (none: prebuilt or flat)
    target_bins: str
    antitarget_bins: str
    prebuilt: str | None         # config `reference_cnn`
    fasta: str | None            # GC and repeat-mask correction (gc_correction)
    rules: str                   # resources/rules.yaml: CNVkit's name of the build's PAR
    par_regions: str             # resources/cnvkit_par_regions.tsv
    exons: str                   # resources/<build>/exons.tsv: the genes a tumour-pooled baseline is checked at
    arms: str                    # resources/<build>/arms.tsv: each tumour's arm levels (tumour pools)
    mode: str                    # pooled | cohort | prebuilt | flat
    genome: str
    edge: bool
    n_components: int
    spread_prior_df: float
    cohort_trim: float
    cohort_window: int
    cohort_min_tumours: int
    cohort_above_z: float
    cohort_above_min: float
    min_arm_bins: int
    cnn: str                     # outputs
    info: str
    denoise: str

    MEMBER = PooledSample

    @property
    def par_genome(self) -> str | None:
        return annotation.load_rules(self.rules)["cnvkit_par_genome"].get(self.genome)


JOB = ReferenceJob


def usable(job: ReferenceJob) -> ReferenceJob:
    """The job without the pooled samples whose BAM could not be read (their bam.json has
    an error); pooled with none left: flat."""
    keep = tuple(m for m in job.members if not read_json(m.bam_info).get("error"))
    if len(keep) == len(job.members):
        return job
    for m in job.members:
        if m not in keep:
            log.warning("reference: %s left out, its BAM could not be read (see its coverage log)", m.sample)
    mode = job.mode if keep or job.mode not in ("pooled", "cohort") else "flat"
    return dataclasses.replace(job, mode=mode, members=keep)


def fixer(job: ReferenceJob, ref_path: str):
    """fix(target_cnn, antitarget_cnn) -> a sample's .cnr table against the reference at
    ref_path (read once): fix_fast where it reproduces CNVkit, else cnvlib."""
    s = FixSettings.read(ref_path, job.par_genome, job.par_regions, job.edge, job.fasta is not None)
    return lambda t, a: fix_table(t, a, s)


def genome(job: ReferenceJob) -> pool.Genome:
    rules = annotation.load_rules(job.rules)
    units = annotation.modelled_units(job.exons, rules)
    return pool.Genome(units, annotation.read_tsv(job.arms), annotation.group_windows(units, rules))


def cluster_settings(job: ReferenceJob) -> ClusterSettings:
    return ClusterSettings(job.cohort_trim, job.cohort_window, job.cohort_min_tumours, job.cohort_above_z,
                           job.cohort_above_min, job.min_arm_bins)


def baseline_record(genes: dict, names: list[str]) -> dict:
    """Each gene's tumour-pooled baseline for reference.json (tumours named), logged."""
    out = {}
    for g, b in genes.items():
        out[g] = {"tumours": b["tumours"], "above": [names[i] for i in b["above"]], "evaluable": b["evaluable"]}
        log.info("cohort reference: %s baseline rests on %d tumour(s)%s%s", g, b["tumours"],
                 f"; clearly above it: {', '.join(out[g]['above'])}" if b["above"] else "",
                 "" if b["evaluable"] else " -> not evaluable")
    return out


def _pooled(job: ReferenceJob) -> dict:
    samples = [(m.target_coverage, m.antitarget_coverage) for m in job.members]
    par = annotation.read_tsv(job.par_regions)
    par = par[par["genome"] == job.par_genome]
    ref = build_reference([t for t, _ in samples], [a for _, a in samples], job.par_genome, job.edge, job.fasta, par)
    n_behind = len(samples)
    if job.mode == "cohort":
        write_cnn(ref.data, job.cnn)   # the first pass, which the tumours are compared with
        ref, n_behind, genes = pool.robust_cohort_reference(ref, samples, fixer(job, job.cnn), genome(job),
                                                            cluster_settings(job), par)
    ref = pool.shrink_reference_spread(ref, n_behind, job.spread_prior_df)
    write_cnn(ref.data, job.cnn)   # the bytes skgenome's tabio.write writes (core.tables.write_tsv)
    info = {"mode": job.mode, "normals": [m.sample for m in job.members] if job.mode == "pooled" else [],
            "warning": ""}
    if job.mode == "cohort":
        info["warning"] = pool.COHORT_WARNING.format(n=len(samples), m=job.cohort_min_tumours)
        info["baseline"] = baseline_record(genes, [m.sample for m in job.members])
        unsafe = [g for g, b in info["baseline"].items() if not b["evaluable"]]
        if unsafe:
            info["warning"] += f" Not evaluable here: {', '.join(unsafe)}."
    elif len(samples) < pool.FEW_NORMALS:
        info["warning"] = pool.FEW_NORMALS_WARNING.format(n=len(samples))
    return info


def run(job: ReferenceJob):
    job = usable(job)
    if job.mode == "prebuilt":
        with atomic(job.cnn) as tmp:
            shutil.copyfile(job.prebuilt, tmp)
        info = {"mode": "prebuilt", "source": job.prebuilt, "normals": [], "warning": ""}
    elif job.mode in ("pooled", "cohort"):
        info = _pooled(job)
    else:
        ref = flat_reference(job.target_bins, job.antitarget_bins, job.par_genome, job.fasta)
        write_cnn(ref.data, job.cnn)
        info = {"mode": "flat", "normals": [], "warning": pool.FLAT_WARNING}
    if info["warning"]:
        log.warning(info["warning"])
    comps = pd.DataFrame(columns=["chromosome", "start", "end"])
    if info["mode"] == "pooled" and len(job.members) >= 2 and job.n_components > 0:
        samples = [(m.target_coverage, m.antitarget_coverage) for m in job.members]
        comps = pool.denoise_components(samples, fixer(job, job.cnn), job.cnn, job.n_components)
        info["denoise_components"] = comps.shape[1] - 3
    else:
        info["denoise_components"] = 0
    write_tsv(comps, job.denoise, "%.6f")
    log.info("reference: %s; %d denoising component(s)", info["mode"], info["denoise_components"])
    write_json(info, job.info)
