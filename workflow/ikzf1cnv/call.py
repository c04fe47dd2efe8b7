"""The call stage: each tumour's bias-corrected log2 ratios (CNVkit's fix), denoised, then
the caller (calling.py), for a batch of tumours per job; writes the per-sample files."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import annotation, arms, calling, classify, cnv, denoise, genes, junctions, window
from .files import BREAKPOINTS_TABLE, POSITIONS_TABLE, UNITS_TABLE, EXON_TABLE, log, write_json, write_table


@dataclass(frozen=True)
class CallJob:
    samples: list[str]
    rows: list[dict]             # each sample's sheet row (subtype, age_group, blast_pct, ...)
    genome: str
    caller: dict                 # config `caller`
    qc: dict                     # config `qc`
    edge_correction: bool
    has_fasta: bool
    fasta: str | None            # config `fasta`: the RSS check at junction ends
    junctions_cfg: dict          # config `junctions`
    whole_genome: bool           # targets null: whole-genome mode
    ikzf1plus_pax5: str
    rules: str                   # resources/rules.yaml
    exons: str                   # resources/<build>/exons.tsv
    arms: str                    # resources/<build>/arms.tsv
    introns: str                 # resources/<build>/introns.tsv
    calibration: str             # resources/penalty_calibration.tsv
    par_regions: str             # resources/cnvkit_par_regions.tsv
    reference: str
    denoise: str
    targets: list[str]
    antitargets: list[str]
    bam_info: list[str]
    junctions: list[str]         # coverage/{sample}.junctions.tsv
    out_cnr: list[str]
    out_exons: list[str]
    out_units: list[str]
    out_record: list[str]
    out_positions: list[str]
    out_breakpoints: list[str]


@dataclass
class CallContext:
    """What every tumour of a call batch shares, read once per batch."""
    job: CallJob
    par_genome: str | None
    par: pd.DataFrame
    ann: calling.Annotation
    params: calling.CallerParams
    ref_table: pd.DataFrame
    denoise: pd.DataFrame
    windows: dict                # every model group's window (window.group_windows)


def plain_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its text columns as numpy object arrays instead of pandas' Arrow
    strings: the caller filters and indexes small tables thousands of times a sample, and
    each such step on an Arrow column goes through pyarrow (~30% of the call step's time)."""
    txt = [c for c in df.columns if isinstance(df[c].dtype, pd.StringDtype)]
    return df.astype({c: object for c in txt}) if txt else df


def call_context(job: CallJob) -> CallContext:
    rules = annotation.load_rules(job.rules)
    units = plain_strings(annotation.read_tsv(job.exons))
    units = units[units["gene"].isin(genes.modelled_genes(rules))]
    ann = calling.Annotation(units, plain_strings(annotation.read_tsv(job.arms)),
                             plain_strings(annotation.read_tsv(job.introns)), rules)
    params = calling.CallerParams.from_config(job.caller, job.qc, annotation.read_tsv(job.calibration),
                                              job.whole_genome)
    return CallContext(job, rules["cnvkit_par_genome"].get(job.genome), annotation.read_tsv(job.par_regions), ann,
                       params, cnv.read_cnn(job.reference), pd.read_csv(job.denoise, sep="\t"),
                       window.group_windows(ann.units, rules))


def apply_denoise(bins: pd.DataFrame, comps: pd.DataFrame) -> pd.DataFrame:
    """Remove the normals' bias patterns (the reference's denoise.tsv, read) from the bins."""
    pcs = [c for c in comps.columns if c.startswith("pc")]
    if not pcs:
        return bins
    m = bins.merge(comps, on=["chromosome", "start", "end"], how="left")
    v = m[pcs].fillna(0.0).to_numpy()
    use = m["chromosome"].isin(calling.AUTOSOMES).to_numpy()
    l2, coef = denoise.remove(m["log2"].to_numpy(), v, use)
    log.info("denoised with %d component(s), coefficients %s", len(pcs), np.round(coef, 3).tolist())
    return bins.assign(log2=l2)


def failed_record(sample: str, row: dict, rules: dict, reason: str) -> dict:
    """The record of a tumour whose BAM could not be read (coverage.write_failed): not
    evaluable, every gene NA, the reason (fault, file, fix) in `qc`."""
    blast = row.get("blast_pct")
    blast = None if blast is None or pd.isna(blast) else round(float(blast) / 100.0, 2)
    subtype = row.get("subtype") or "unknown"
    return {"sample": sample, "subtype": subtype, "age_group": row.get("age_group", ""),
            "status": "not_evaluable", "qc": "fail: " + reason.replace("\t", " ").replace("\n", " "),
            "ikzf1": {"deletion": "NA", "exons_deleted": "", "exons_biallelic": "", "cell_fraction": None,
                      "cf_low": None, "cf_high": None, "mechanism": "NA", "lod": "NA", "evidence": "NA",
                      "junction": "NA"},
            "genes": {g: "NA" for g in genes.gene_columns(rules)},
            "ikzf1plus": "NA",
            "purity": {"blast_fraction": blast, "blast_low": None, "blast_high": None,
                       "blast_source": "sheet" if blast is not None else "NA"},
            "metrics": {"median_depth": None, "noise": None}, "arms": {}, "arm_losses": "NA", "junctions": [],
            "bam_error": reason}


def write_failed(ctx: CallContext, i: int, info: dict):
    """A tumour whose BAM could not be read: empty per-sample tables and its failed_record."""
    job = ctx.job
    cnv.write_cnn(cnv.empty_coverage(), job.out_cnr[i])
    for layout, out in ((EXON_TABLE, job.out_exons[i]), (UNITS_TABLE, job.out_units[i]),
                        (POSITIONS_TABLE, job.out_positions[i]), (BREAKPOINTS_TABLE, job.out_breakpoints[i])):
        write_table(pd.DataFrame(columns=layout[0]), layout, out)
    write_json(failed_record(job.samples[i], job.rows[i], ctx.ann.rules, info["error"]), job.out_record[i])
    log.warning("%s: not evaluable, its BAM could not be read: %s", job.samples[i], info["error"])


def call_one(ctx: CallContext, i: int):
    """Tumour i of the batch: fix, denoise, call, write."""
    job = ctx.job
    sample, row = job.samples[i], job.rows[i]
    info = json.loads(Path(job.bam_info[i]).read_text())
    if info.get("error"):
        return write_failed(ctx, i, info)
    cnr = cnv.fix_table(job.targets[i], job.antitargets[i], ctx.ref_table, job.reference, ctx.par_genome, ctx.par,
                        job.edge_correction, job.has_fasta)
    cnv.write_cnn(cnr, job.out_cnr[i])
    bins = plain_strings(cnv.bins_with_spread(cnr, ctx.ref_table))
    tg = ~bins["offtarget"].to_numpy()
    bins = pd.concat([apply_denoise(bins[tg], ctx.denoise), bins[~tg]]).sort_index()
    read_length = info["read_length"]
    blast = row.get("blast_pct")
    blast = None if blast is None or pd.isna(blast) else float(blast)
    res = calling.call_sample(sample, bins, ctx.ann, ctx.params, blast, read_length)
    bps = sample_breakpoints(ctx, i, bins, read_length, info.get("fragment_length"))
    jc = job.junctions_cfg
    if res.qc == "pass":
        res.status, res.ikzf1, bps = junctions.reconcile(res.status, res.ikzf1, bps, job.whole_genome,
                                                         jc["min_support"], jc["min_split_reads"],
                                                         jc["min_pairs_alone"], jc["retype_max_exons"])
    else:
        res.ikzf1 = {**res.ikzf1, "junction": "NA"}
        bps = bps[junctions.strong(bps, jc["min_support"], jc["min_pairs_alone"])] if len(bps) else bps
    write_table(bps.assign(sample=sample), BREAKPOINTS_TABLE, job.out_breakpoints[i])
    log.info("%s: qc %s, IKZF1 %s (%s, %s), arm losses %s, shift %.3f, noise %.3f", sample, res.qc, res.status,
             res.ikzf1["deletion"], res.ikzf1["mechanism"], arms.losses_label(res.arms),
             res.metrics["recentre_shift"], res.metrics["noise"])
    write_table(res.ikzf1_exons, EXON_TABLE, job.out_exons[i])
    write_table(res.units, UNITS_TABLE, job.out_units[i])
    write_table(res.positions, POSITIONS_TABLE, job.out_positions[i])
    write_json(sample_record(res, row, ctx.ann.rules, job.ikzf1plus_pax5, bps), job.out_record[i])


def sample_breakpoints(ctx: CallContext, i: int, bins: pd.DataFrame, read_length: float,
                       fragment: float | None = None) -> pd.DataFrame:
    """The sample's junctions (coverage step) placed in the gene windows (junctions.breakpoints)."""
    import pysam

    job = ctx.job
    jx = pd.read_csv(job.junctions[i], sep="\t", dtype={"chrom": str})
    tg = bins[~bins["offtarget"].to_numpy()]
    mid = ((tg["start"] + tg["end"]) // 2).to_numpy()

    overall = float(np.median(tg["depth"])) if len(tg) else float("nan")
    chrom_of, depth = tg["chromosome"].to_numpy(dtype=object), tg["depth"].to_numpy()
    by_chrom = {}   # per contig: bin midpoints sorted, their depths (a genome sample has thousands of junctions)
    for c in dict.fromkeys(chrom_of):
        on = np.flatnonzero(chrom_of == c)
        order = np.argsort(mid[on], kind="stable")
        by_chrom[c] = (mid[on][order], depth[on][order])

    def depth_at(chrom, pos, span=5000):
        """The depth beside a junction: the median over target bins within `span` bp, or the
        sample's median depth where none is that close."""
        if chrom not in by_chrom:
            return overall
        m, d = by_chrom[chrom]
        a, b = np.searchsorted(m, pos - span, "left"), np.searchsorted(m, pos + span, "right")
        return float(np.median(d[a:b])) if b > a else overall
    fa = pysam.FastaFile(job.fasta) if job.fasta else None
    try:
        return junctions.breakpoints(jx, ctx.ann.units, ctx.windows, depth_at, read_length, job.junctions_cfg["min_clip"],
                                     fa, fragment=fragment)
    finally:
        if fa is not None:
            fa.close()


def run_call_batch(job: CallJob):
    """call_one for each tumour of the batch, in one process."""
    t0 = time.time()
    ctx = call_context(job)
    for i, s in enumerate(job.samples):
        call_one(ctx, i)
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(job.samples), s, time.time() - t0)


def arm_record(a: pd.DataFrame) -> dict:
    return {r.arm: {"n_bins": int(r.n_bins), "level": round(float(r.level), 3), "se": round(float(r.se), 3),
                    "z": round(float(r.z), 2), "lost": bool(r.called), "cell_fraction": round(float(r.cell_fraction), 2),
                    "cf_low": round(float(r.cf_low), 2), "cf_high": round(float(r.cf_high), 2)}
            for r in a.itertuples(index=False)}


def junction_records(bps: pd.DataFrame | None) -> list[dict]:
    """The sample's junctions (breakpoints.tsv rows) for calls.json and the report."""
    if bps is None or not len(bps):
        return []
    cf = bps["cell_fraction"].astype(float)
    return [{"gene": r.gene, "chrom": r.chrom, "start": int(r.start), "end": int(r.end),
             "split_reads": int(r.split_reads), "discordant_pairs": int(r.discordant_pairs),
             "cell_fraction": None if not np.isfinite(c) else round(float(c), 3), "label": r.label,
             "rss_left": r.rss_left, "rss_right": r.rss_right, "precision": r.precision} for r, c in zip(bps.itertuples(index=False), cf)]


def sample_record(res: calling.SampleCalls, row: dict, rules: dict, pax5_mode: str,
                  bps: pd.DataFrame | None = None) -> dict:
    """Everything the cohort step needs about one sample, JSON-ready and rounded; with the
    sample's IKZF1plus verdict (a per-sample verdict, NA outside BCP-ALL)."""
    def r(x, nd=3):
        return None if x is None else round(float(x), nd)
    subtype = row.get("subtype") or "unknown"
    bcp = subtype in rules["bcp_subtypes"]
    return {
        "sample": res.sample, "subtype": subtype, "age_group": row.get("age_group", ""),
        "status": res.status, "qc": res.qc,
        "ikzf1": {k: (r(v, 2) if k in ("cell_fraction", "cf_low", "cf_high") else (r(v, 1) if k == "llr" else v))
                  for k, v in res.ikzf1.items()},
        "genes": res.genes,
        "ikzf1plus": classify.ikzf1plus({"IKZF1": res.status, **res.genes}, rules["ikzf1plus"], pax5_mode)
        if bcp else "NA",
        "purity": {k: (r(v, 2) if isinstance(v, float) else v) for k, v in res.purity.items()},
        "metrics": {k: r(v, 3) if isinstance(v, float) else v for k, v in res.metrics.items()},
        "arms": arm_record(res.arms), "arm_losses": arms.losses_label(res.arms),
        "junctions": junction_records(bps),
    }
