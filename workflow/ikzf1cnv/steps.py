"""The workflow's steps as functions over file paths; each rule's script calls one.

Kept apart from the domain modules so those stay pure and testable without files.
"""
from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import annotation, arms, calling, inputs
from .purity import fmt

log = logging.getLogger("ikzf1cnv")


def setup_logging(logfile: str | None):
    handlers = [logging.StreamHandler(sys.stderr)]
    if logfile:
        handlers.append(logging.FileHandler(logfile, mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(levelname)s %(message)s")


def write_json(obj, path):
    Path(path).write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n")


def step_bins(targets_bed: str, target_avg_size: float, antitarget_avg_size: int, out_t: str, out_a: str):
    from skgenome import tabio

    from . import cnv
    tgt, anti = cnv.make_bins(targets_bed, target_avg_size, antitarget_avg_size)
    tabio.write(tgt, out_t, "bed4")
    tabio.write(anti, out_a, "bed4")
    log.info("%d target bins, %d antitarget bins from %s", len(tgt), len(anti), targets_bed)


def step_coverage(sample: str, bam: str, genome: str, builds: dict, bins: list, min_mapq: int, out_t: str,
                  out_a: str, out_json: str):
    """Check the BAM's header against `builds` (contigs of every build) and write the depth of
    `bins` (the target and antitarget bin tables, or their BED paths)."""
    from . import cnv
    facts = inputs.check_bam(sample, bam, builds[genome], genome, {b: c for b, c in builds.items() if b != genome})
    log.info("%s: BAM header matches %s (%d contigs checked); read length %.0f", sample, genome,
             facts["contigs_checked"], facts["read_length"])
    tcov, acov = cnv.bin_coverages(bins, bam, min_mapq, str(Path(out_t).parent))
    for cov, out, kind in ((tcov, out_t, "target"), (acov, out_a, "antitarget")):
        cnv.write_cnn(cov, out)
        log.info("%s: %s coverage of %d bins, median depth %.1f", sample, kind, len(cov),
                 cov["depth"].median() if len(cov) else 0.0)
    write_json(facts, out_json)


def step_coverage_batch(samples: list[str], bams: list[str], genome: str, resources: str, tbins: str, abins: str,
                        min_mapq: int, out_t: list[str], out_a: list[str], out_json: list[str],
                        out_idxstats: list[str], out_stats: list[str]):
    """step_coverage, samtools idxstats (from the index) and, when out_stats is not empty,
    samtools stats (a second pass over the BAM) for each BAM of a batch, in one process."""
    import time

    import pysam

    from . import cnv
    t0 = time.time()
    builds = {b: annotation.load_contigs(resources, b) for b in ("hg38", "hg19")}
    bins = cnv.read_bins([tbins, abins])
    stats = out_stats or [None] * len(samples)
    for i, (s, bam, t, a, j, ix, st) in enumerate(zip(samples, bams, out_t, out_a, out_json, out_idxstats, stats)):
        step_coverage(s, bam, genome, builds, bins, min_mapq, t, a, j)
        Path(ix).write_text(pysam.idxstats(bam))
        if st:
            step_samtools_stats(bam, st)
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(samples), s, time.time() - t0)


def step_reference(mode: str, normal_t: list[str], normal_a: list[str], prebuilt: str | None, tbins: str,
                   abins: str,
                   par_genome: str | None, do_edge: bool, fasta: str | None, out_ref: str, out_json: str,
                   out_denoise: str, n_components: int, spread_prior_df: float = 0.0, cohort_trim: float = 2.5,
                   cohort_window: int = 1, par_table: str | None = None):
    import shutil

    from skgenome import tabio

    from . import cnv
    if mode == "prebuilt":
        shutil.copyfile(prebuilt, out_ref)
        info = {"mode": "prebuilt", "source": prebuilt, "normals": [], "warning": ""}
    elif mode in ("pooled", "cohort"):
        ref = cnv.build_reference(normal_t, normal_a, par_genome, do_edge, fasta)
        n_behind = len(normal_t)
        if mode == "cohort":
            tabio.write(ref, out_ref)  # the first pass, which the tumours are compared with
            ref, n_behind = robust_cohort_reference(ref, normal_t, normal_a, out_ref, par_genome, do_edge, fasta,
                                                    cohort_trim, cohort_window, par_table)
        ref = shrink_reference_spread(ref, n_behind, spread_prior_df)
        tabio.write(ref, out_ref)
        info = {"mode": mode, "normals": [Path(p).name.split(".")[0] for p in normal_t] if mode == "pooled" else [],
                "warning": ""}
        if mode == "cohort":
            info["warning"] = (f"no normals: the reference is the median of the cohort's {len(normal_t)} tumours. "
                               "An event carried by most of the cohort at the same exons would be missed; give "
                               "normals or a reference_cnn when you have them.")
        elif len(normal_t) < 3:
            info["warning"] = (f"only {len(normal_t)} normal(s) in the pooled reference: per-bin spread is "
                               "poorly estimated; calls lean on the sample's own noise")
    else:
        ref = cnv.flat_reference(tbins, abins, par_genome, fasta)
        tabio.write(ref, out_ref)
        info = {"mode": "flat", "normals": [],
                "warning": "no normals and no reference_cnn: flat reference. Capture differences between "
                           "targets are not removed; exon calls are noisier and less sensitive."}
    if info["warning"]:
        log.warning(info["warning"])
    comps = pd.DataFrame(columns=["chromosome", "start", "end"])
    if info["mode"] == "pooled" and len(normal_t) >= 2 and n_components > 0:
        comps = denoise_components(normal_t, normal_a, out_ref, par_genome, do_edge, fasta, n_components, par_table)
        info["denoise_components"] = comps.shape[1] - 3
    else:
        info["denoise_components"] = 0
    comps.to_csv(out_denoise, sep="\t", index=False, float_format="%.6f", lineterminator="\n")
    log.info("reference: %s; %d denoising component(s)", info["mode"], info["denoise_components"])
    write_json(info, out_json)


def _fixer(ref_path: str, par_genome, do_edge: bool, fasta, par_table: str | None):
    """fix(target_cnn, antitarget_cnn) -> a sample's .cnr table against the reference at
    ref_path: fix_fast when a PAR table is given (and it applies), else cnvlib. The
    reference and the PAR table are read once."""
    from . import cnv
    if par_table is None:
        return lambda t, a: cnv.fix(t, a, ref_path, par_genome, do_edge, fasta is not None).data.reset_index(drop=True)
    ref_table, par = cnv.read_cnn(ref_path), annotation.read_tsv(par_table)
    return lambda t, a: cnv.fix_table(t, a, ref_table, ref_path, par_genome, par, do_edge, fasta is not None)


def robust_cohort_reference(ref, tumour_t, tumour_a, ref_path, par_genome, do_edge, fasta, trim: float,
                            window: int, par_table: str | None = None):
    """Re-estimate each target bin of a tumour-pooled reference from the tumours' log2
    ratios against it, leaving out values far below the bin's centre (refine.py)."""
    import numpy as np

    from . import refine
    keys = ["chromosome", "start", "end"]
    data = ref.data.reset_index(drop=True)
    tgt = data.loc[data["gene"] != "Antitarget", keys].reset_index()
    cols = []
    fix = _fixer(ref_path, par_genome, do_edge, fasta, par_table)
    for i, (t, a) in enumerate(zip(tumour_t, tumour_a)):
        cnr = fix(t, a)
        d = cnr[cnr["gene"] != "Antitarget"][keys + ["log2"]]
        cols.append(tgt.merge(d, on=keys, how="left")["log2"].to_numpy())
        log.info("cohort reference: [%d/%d] %s against the first pass", i + 1, len(tumour_t), Path(t).name)
    loc, sd, kept = refine.lower_trimmed_location(np.column_stack(cols), trim, tgt["chromosome"].to_numpy(), window)
    ok = np.isfinite(loc)
    rows = tgt["index"].to_numpy()
    data.loc[rows[ok], "log2"] = data.loc[rows[ok], "log2"].to_numpy() + loc[ok]
    data.loc[rows[ok], "spread"] = sd[ok]
    moved = np.abs(loc[ok])
    log.info("cohort reference: %d target bins re-estimated; median |shift| %.3f, max %.3f; median kept %d of %d",
             int(ok.sum()), float(np.median(moved)) if len(moved) else 0.0, float(moved.max()) if len(moved) else 0.0,
             int(np.median(kept)), len(tumour_t))
    n_behind = np.full(len(data), len(tumour_t), dtype=float)
    n_behind[rows] = kept
    ref.data = data
    return ref, n_behind


def shrink_reference_spread(ref, n_behind, prior_df: float):
    """Target bins' spread shrunk towards the fitted prior (refine.shrink_spread)."""
    import numpy as np

    from . import refine
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


def denoise_components(normal_t, normal_a, ref, par_genome, do_edge, fasta, k, par_table=None) -> pd.DataFrame:
    """Bias patterns of the normals (see denoise.py) on the target bins."""
    import numpy as np

    from . import cnv, denoise
    cols = []
    keys = None
    fix = _fixer(ref, par_genome, do_edge, fasta, par_table)
    ref_table = cnv.read_cnn(ref)
    for t, a in zip(normal_t, normal_a):
        b = cnv.target_bins_with_spread(fix(t, a), ref_table)
        auto = b["chromosome"].isin(calling.AUTOSOMES)
        cols.append((b["log2"] - np.nanmedian(b.loc[auto, "log2"])).to_numpy())
        keys = b[["chromosome", "start", "end"]]
    m = np.column_stack(cols)
    m[~np.isfinite(m)] = 0.0
    # autosomes only: on chrX/chrY the normals differ by sex, not by bias
    keys = keys.reset_index(drop=True)
    auto = keys["chromosome"].isin(calling.AUTOSOMES).to_numpy()
    u = denoise.components(m[auto], k)
    out = keys[auto].copy()
    for j in range(u.shape[1]):
        out[f"pc{j + 1}"] = u[:, j]
    return out


@dataclass
class CallContext:
    """What every tumour of a call batch shares, read once per batch."""
    cfg: dict
    par_genome: str | None
    par: pd.DataFrame
    ann: calling.Annotation
    params: calling.CallerParams
    ref_path: str
    ref_table: pd.DataFrame
    denoise: pd.DataFrame


def call_context(cfg: dict, resources: str, rules_path: str, ref: str, denoise_tsv: str) -> CallContext:
    from . import cnv
    rules = annotation.load_rules(rules_path)
    units = annotation.load_units(resources, cfg["genome"])
    units = units[units["gene"].isin(set(rules["genes"]) | set(rules["par1"]["context"]))]
    ann = calling.Annotation(units, annotation.load_arms(resources, cfg["genome"]),
                             annotation.load_introns(resources, cfg["genome"]), rules)
    calib = annotation.read_tsv(Path(resources) / "penalty_calibration.tsv")
    return CallContext(cfg, rules["cnvkit_par_genome"].get(cfg["genome"]),
                       annotation.read_tsv(Path(resources) / "cnvkit_par_regions.tsv"), ann,
                       calling.CallerParams.from_config(cfg["caller"], cfg["qc"], calib), ref, cnv.read_cnn(ref),
                       pd.read_csv(denoise_tsv, sep="\t"))


def step_call(sample: str, row: dict, ctx: CallContext, tcnn: str, acnn: str, bamjson: str, out_cnr: str,
              out_exons: str, out_units: str, out_json: str, out_positions: str):
    from . import cnv
    cfg = ctx.cfg
    cnr = cnv.fix_table(tcnn, acnn, ctx.ref_table, ctx.ref_path, ctx.par_genome, ctx.par, cfg["edge_correction"],
                        bool(cfg.get("fasta")))
    cnv.write_cnn(cnr, out_cnr)
    bins = cnv.bins_with_spread(cnr, ctx.ref_table)
    tg = ~bins["offtarget"].to_numpy()
    bins = pd.concat([apply_denoise(bins[tg], ctx.denoise), bins[~tg]]).sort_index()
    read_length = json.loads(Path(bamjson).read_text())["read_length"]
    blast = row.get("blast_pct")
    blast = None if blast is None or pd.isna(blast) else float(blast)
    res = calling.call_sample(sample, bins, ctx.ann, ctx.params, blast, read_length)
    log.info("%s: qc %s, IKZF1 %s (%s, %s), arm losses %s, shift %.3f, noise %.3f", sample, res.qc, res.status,
             res.ikzf1["deletion"], res.ikzf1["mechanism"], arms.losses_label(res.arms),
             res.metrics["recentre_shift"], res.metrics["noise"])
    write_exon_table(res.ikzf1_exons, out_exons)
    write_units(res.units, out_units)
    write_positions(res.positions, out_positions)
    write_json(sample_record(res, row), out_json)


def step_call_batch(samples: list[str], rows: list[dict], cfg: dict, resources: str, rules_path: str,
                    tcnn: list[str], acnn: list[str], ref: str, denoise_tsv: str, bamjson: list[str],
                    out_cnr: list[str], out_exons: list[str], out_units: list[str], out_json: list[str],
                    out_positions: list[str]):
    """step_call for each tumour of a batch, in one process."""
    import time
    t0 = time.time()
    ctx = call_context(cfg, resources, rules_path, ref, denoise_tsv)
    for i, args in enumerate(zip(samples, rows, tcnn, acnn, bamjson, out_cnr, out_exons, out_units, out_json,
                                 out_positions)):
        s, row, t, a, j, cnr, ex, un, rec, pos = args
        step_call(s, row, ctx, t, a, j, cnr, ex, un, rec, pos)
        log.info("[%d/%d] %s done (%.1f s elapsed)", i + 1, len(samples), s, time.time() - t0)


def apply_denoise(bins: pd.DataFrame, comps: pd.DataFrame) -> pd.DataFrame:
    """Remove the normals' bias patterns (the reference's denoise.tsv, read) from the bins."""
    import numpy as np

    from . import denoise
    pcs = [c for c in comps.columns if c.startswith("pc")]
    if not pcs:
        return bins
    m = bins.merge(comps, on=["chromosome", "start", "end"], how="left")
    v = m[pcs].fillna(0.0).to_numpy()
    use = m["chromosome"].isin(calling.AUTOSOMES).to_numpy()
    l2, coef = denoise.remove(m["log2"].to_numpy(), v, use)
    log.info("denoised with %d component(s), coefficients %s", len(pcs), np.round(coef, 3).tolist())
    return bins.assign(log2=l2)


def _write_table(df: pd.DataFrame, cols: list[str], digits: dict[str, int], path: str):
    """TSV with fixed float formatting (deterministic output)."""
    with open(path, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in df[cols].to_dict("records"):
            fh.write("\t".join(fmt(r[c], digits[c]) if c in digits else str(r[c]) for c in cols) + "\n")


def write_exon_table(df: pd.DataFrame, path: str):
    _write_table(df, ["exon", "chrom", "start", "end", "n_bins", "log2", "copy_number", "ci_low", "ci_high", "call",
                      "se", "ratio", "depth"],
                 {"log2": 3, "copy_number": 2, "ci_low": 2, "ci_high": 2, "se": 3, "ratio": 3, "depth": 1}, path)


def write_units(df: pd.DataFrame, path: str):
    _write_table(df, ["gene", "exon", "chrom", "start", "end", "n_bins", "log2", "se", "depth", "state"],
                 {"log2": 3, "se": 3, "depth": 1}, path)


def write_positions(df: pd.DataFrame, path: str):
    """Every position of every gene window the model saw (start 0-based), with its state."""
    _write_table(df, ["group", "chrom", "start", "end", "kind", "gene", "exon", "n_bins", "log2", "se", "depth",
                      "state"], {"log2": 3, "se": 3, "depth": 1}, path)


def arm_record(a: pd.DataFrame) -> dict:
    return {r.arm: {"n_bins": int(r.n_bins), "level": round(float(r.level), 3), "se": round(float(r.se), 3),
                    "z": round(float(r.z), 2), "lost": bool(r.called), "cell_fraction": round(float(r.cell_fraction), 2),
                    "cf_low": round(float(r.cf_low), 2), "cf_high": round(float(r.cf_high), 2)}
            for r in a.itertuples(index=False)}


def sample_record(res: calling.SampleCalls, row: dict) -> dict:
    """Everything the cohort step needs about one sample, JSON-ready and rounded."""
    def r(x, nd=3):
        return None if x is None else round(float(x), nd)
    return {
        "sample": res.sample, "subtype": row.get("subtype") or "unknown", "age_group": row.get("age_group", ""),
        "sex": row.get("sex", ""), "status": res.status, "qc": res.qc,
        "ikzf1": {k: (r(v, 2) if k in ("cell_fraction", "cf_low", "cf_high") else (r(v, 1) if k == "llr" else v))
                  for k, v in res.ikzf1.items()},
        "genes": res.genes,
        "purity": {k: (r(v, 2) if isinstance(v, float) else v) for k, v in res.purity.items()},
        "metrics": {k: r(v, 3) if isinstance(v, float) else v for k, v in res.metrics.items()},
        "arms": arm_record(res.arms), "arm_losses": arms.losses_label(res.arms),
    }


def _read_records(paths: list[str]) -> list[dict]:
    return [json.loads(Path(p).read_text()) for p in paths]


def step_cohort(record_paths: list[str], cfg: dict, rules_path: str, out_calls: str, out_freq: str,
                mqc_dir: str):
    from . import cohort, mqc
    rules = annotation.load_rules(rules_path)
    recs = _read_records(record_paths)
    calls = cohort.calls_table(recs, rules, cfg["ikzf1plus_pax5"])
    calls.to_csv(out_calls, sep="\t", index=False, lineterminator="\n")
    table = cohort.read_reference_table(cfg["reference_table"])
    freq = cohort.frequencies(calls, table, cfg["frequency_min_samples"], cfg["frequency_alpha"])
    freq.to_csv(out_freq, sep="\t", index=False, lineterminator="\n")
    mqc.write_custom_content(calls, freq, mqc_dir)
    log.info("%d samples: %d deleted, %d IKZF1plus, %d not evaluable", len(calls),
             (calls["status"] == "deleted").sum(), (calls["ikzf1plus"] == "yes").sum(),
             (calls["status"] == "not_evaluable").sum())


METHODS = [
    "Coverage: CNVkit's definition (samtools bedcov base counts / bin length, duplicates and secondary reads "
    "skipped), read in one pass per BAM. Pooled reference: CNVkit (cnvlib); each bin's spread shrunk towards a "
    "prior fitted over all bins (caller.spread_prior_df); without normals the tumours are pooled and each bin "
    "re-estimated without the tumours far below it (cohort_reference_trim). Bias correction: CNVkit's fix (on plain "
    "tables where no GC/edge/repeat correction is asked, byte-identical to cnvlib).",
    "Recentring: each autosome votes with its median log2; the most common level (not the median bin) is log2 0, so "
    "whole-chromosome gains (hyperdiploidy) cannot shift the diploid baseline.",
    "Gene windows: every bin in and around each gene reaches the model, in genomic order: one position per exon unit "
    "(inverse-variance mean of its target bins), each intronic and flanking target bin, and each off-target bin with "
    "enough expected reads (caller.min_offtarget_reads), out to the window of resources/rules.yaml (IKZF1: 300 kb "
    "before, 700 kb after, past COBL). Each bin's variance: reference spread and read counts, rescaled to the sample's "
    "own scatter of its kind (target, off-target), plus a systematic error per bin (caller.sd_floor, "
    "caller.offtarget_sd_floor); residuals beyond caller.huber_k SE cost linearly.",
    "Caller: one cell fraction per gene window, states 0/1/2 copies lost chosen by a Viterbi pass over the window's "
    "positions with a penalty per breakpoint; expected log2 = log2(1 - f*k/2). The penalty is calibrated by Monte Carlo "
    "so that a window of n positions gets a false call with probability caller.false_positive_rate under the null.",
    "Chromosome arms: each arm's level is the trimmed mean of its bins outside the gene windows (target and off-target "
    "combined), with the sample's own spread of arm levels as systematic error (at least caller.arm_sd_floor); a loss is "
    "called at the false-positive rate split over the arms tested (both arms of every chromosome holding a called gene). "
    "A gene in a lost arm takes the loss (del1-8, mechanism arm or chromosome) and is modelled relative to the arm for a "
    "second hit.",
    "Limit of detection (ikzf1_lod): from the sample's own per-position SEs, the cell fraction at which a one-copy "
    "del4-7, del2-3 or del1-8 (breakpoints mid-intron) reaches an expected z of 2 sqrt(P) + 1.645, P the calibrated "
    "penalty: called with 95% probability.",
    "Purity: the sheet's blast_pct bounds the cell fraction (plus caller.blast_pct_tolerance); without it the largest "
    "clonal event sets the estimate, reported with its interval as 'estimated'.",
    "IKZF1plus (Stanulla 2018): IKZF1 deletion with CDKN2A/B homozygous, PAX5 or PAR1 (P2RY8-CRLF2) deletion, no ERG "
    "deletion. Whether PAX5 must be partial in AIEOP-BFM ALL 2017 is UNVERIFIED: option ikzf1plus_pax5 (any/partial).",
    "UKALL-CNA (Moorman 2014): good = no deletion, an isolated ETV6/PAX5/BTG1 deletion, or ETV6 plus one of "
    "BTG1/PAX5/CDKN2A/B; poor = any other profile. IKZF1plus and UKALL-CNA are given for BCP-ALL subtypes only.",
    "PAR1: the P2RY8-CRLF2 pattern (CSF2RA and IL3RA lost, CRLF2 kept); the deletion's size (~320 kb) is UNVERIFIED.",
    "Frequencies: evaluable samples of each group; Wilson 95% interval; exact binomial test against the nearest end of "
    "the reference range. Reference figures include point mutations, which read depth cannot see.",
    "Not seen by this workflow: point mutations, copy-neutral events, clones below the detection limit at the depth.",
]


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__
    out = {"ikzf1cnv": __version__, "python": sys.version.split()[0]}
    for p in ("cnvkit", "snakemake", "pysam", "pandas", "numpy", "scipy"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out


def step_report(calls_path: str, freq_path: str, record_paths: list[str], exon_paths: list[str], ref_json: str,
                types_path: str, cfg: dict, out_html: str):
    from . import report
    calls = pd.read_csv(calls_path, sep="\t", dtype=str, keep_default_na=False)
    freq = pd.read_csv(freq_path, sep="\t", keep_default_na=False)
    types = annotation.read_tsv(types_path)
    recs = {r["sample"]: r for r in _read_records(record_paths)}
    exons = {}
    for p in exon_paths:
        s = Path(p).parent.name
        exons[s] = pd.read_csv(p, sep="\t", keep_default_na=False, na_values=["NA"])
    ref_info = json.loads(Path(ref_json).read_text())
    html = report.render(calls, freq, types, exons, recs, ref_info, cfg, versions(), METHODS)
    Path(out_html).write_text(html)
    log.info("report: %s (%d bytes)", out_html, len(html))


def step_samtools_stats(bam: str, out: str):
    import pysam
    Path(out).write_text(pysam.stats(bam))


def step_wgs_bins(resources: str, genome: str, rules_path: str, out_t: str, out_a: str):
    """Whole-genome mode: bins over the loci that matter (every exon unit) and a backbone of
    evenly spaced bins on each chromosome for the baseline; no off-target bins."""
    units = annotation.load_units(resources, genome)
    contigs = annotation.load_contigs(resources, genome)
    chroms = [c for c in contigs if c != "chrY"]
    panel = annotation.loci_panel(units, contigs, backbone_per_chrom=50, backbone_size=1000, max_target=10**9,
                                chroms=chroms)
    tmp = Path(out_t).with_suffix(".loci.bed")
    panel.to_csv(tmp, sep="\t", header=False, index=False)
    step_bins(str(tmp), 267, 150000, out_t, out_a)
    Path(out_a).write_text("")
