# Config and sample sheet validation, input functions. Nothing here runs a tool.
import sys
from pathlib import Path

import yaml
from snakemake.logging import logger
from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "workflow"))

from ikzf1cnv.cohort.report.footer import settings  # noqa: E402
from ikzf1cnv.core import annotation  # noqa: E402
from ikzf1cnv.core.errors import InputError  # noqa: E402
from ikzf1cnv.inputs.bam import index_of  # noqa: E402
from ikzf1cnv.inputs.bed import check_targets, interval_lines  # noqa: E402
from ikzf1cnv.inputs.bam import check_genome_mode  # noqa: E402
from ikzf1cnv.inputs.config import check_config, check_forgotten_keys, empty_blocks_as_defaults, run_mode  # noqa: E402,E501
from ikzf1cnv.inputs.sheet import load_sample_sheet  # noqa: E402
from ikzf1cnv.stages import plan  # noqa: E402

# A misspelt key or a value out of range: one message naming the file, line and fix
# (Snakemake's own validation below repeats the whole schema).
with open(Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml") as _fh:
    _CONFIG_SCHEMA = yaml.safe_load(_fh)
empty_blocks_as_defaults(config, _CONFIG_SCHEMA)
_GIVEN = set(config)  # the keys the user set (before the schema's defaults fill the rest)
try:
    check_config(config, _CONFIG_SCHEMA, list(workflow.configfiles))
    check_forgotten_keys(_GIVEN, list(workflow.configfiles))
except InputError as _e:
    raise ValueError(str(_e)) from None
validate(config, "../schemas/config.schema.yaml")
for _key in ("caller", "qc", "capture_check", "sex"):  # nested defaults: validate fills only the top level
    config[_key] = config.get(_key) or {}
validate(config, "../schemas/config.schema.yaml")

BASE = Path(workflow.basedir)
SAMTOOLS_STATS = config["qc"]["samtools_stats"]
OUT = config["outdir"].rstrip("/")
SCRIPTS = "../scripts"


def resource(*parts):
    """A file of resources/ (declared as an input wherever a rule reads it)."""
    return str(BASE.joinpath("resources", *parts))


# the annotation files of the configured build, and the shared tables
BUILD = {name: resource(config["genome"], f"{name}.tsv")
         for name in ("exons", "contigs", "arms", "introns", "cytobands", "accessions")}
RULES = resource("rules.yaml")
PAR_REGIONS = resource("cnvkit_par_regions.tsv")
CALIBRATION = resource("penalty_calibration.tsv")


for _key in ("targets", "reference_table", "reference_cnn", "fasta"):
    _v = config.get(_key)
    if _v and not Path(_v).is_file():
        raise ValueError(f"config `{_key}`: file {_v} not found (paths are absolute or relative to the "
                         f"directory snakemake runs in: {Path.cwd()})")

# The panel's BED, checked against the build before any job (bins.log notes what the bins
# step tidies: header lines, order, overlaps).
if config["targets"]:
    try:
        check_targets(config["targets"], annotation.contigs_of(BUILD["contigs"]), config["genome"])
    except InputError as _e:
        raise ValueError(str(_e)) from None

if config["gc_correction"] and not config["fasta"]:
    raise ValueError("config `gc_correction: true` needs `fasta` (the build's FASTA, with its .fai). Fix: set "
                     "`fasta`, or `gc_correction: false`")
GC_FASTA = config["fasta"] if config["gc_correction"] else []

with open(BASE / "workflow" / "schemas" / "samples.schema.yaml") as _fh:
    _SHEET_SCHEMA = yaml.safe_load(_fh)
try:
    samples = load_sample_sheet(config["samples"], _SHEET_SCHEMA)
except InputError as _e:
    raise ValueError(str(_e)) from None

TUMOURS = sorted(samples.index[samples["type"] == "tumor"])
NORMALS = sorted(samples.index[samples["type"] == "normal"])

# The mode the run is in, first in the log; whole-genome mode checks that the BAMs look like
# genomes (a forgotten `targets` on panel BAMs would make most samples fail the depth QC).
MODE = run_mode(config["targets"], interval_lines(config["targets"]) if config["targets"] else 0,
                config["exome_min_targets"])
logger.info(f"ikzf1-cnv: {MODE} mode ({'targets ' + config['targets'] if config['targets'] else 'no targets'}), "
            f"genome {config['genome']}, {len(TUMOURS)} tumour(s), {len(NORMALS)} normal(s), sheet {config['samples']}")
if MODE == "whole genome":
    _cc = config["capture_check"]
    _ik = annotation.group_windows(annotation.modelled_units(BUILD["exons"], annotation.load_rules(RULES)),
                                   annotation.load_rules(RULES))["IKZF1"]
    try:
        _warning = check_genome_mode({s: samples.loc[s, "bam"] for s in sorted(samples.index)[: _cc["samples"]]},
                                     _ik, _cc["tile"], _cc["max_sparse"], "targets" in _GIVEN, config["fasta"])
    except InputError as _e:
        raise ValueError(str(_e)) from None
    if _warning:
        logger.warning(_warning)
# The samples pooled into the reference: the normals; without normals (and without a
# prebuilt reference) the tumours themselves when there are enough of them (median per
# bin: an event carried by a minority of the cohort does not move it), else none (flat).
if NORMALS or config["reference_cnn"]:
    REFERENCE_MODE, REFERENCE_SAMPLES = ("pooled" if NORMALS else "prebuilt"), NORMALS
elif config["no_normals_reference"] == "cohort" and len(TUMOURS) >= config["cohort_reference_min_samples"]:
    REFERENCE_MODE, REFERENCE_SAMPLES = "cohort", TUMOURS
else:
    REFERENCE_MODE, REFERENCE_SAMPLES = "flat", []
ALL_SAMPLES = sorted(samples.index)
# Per-sample steps run in batches (one job reads about `batch_size` BAMs): one Python
# start-up and one cnvlib import per batch, about n / batch_size jobs for a scheduler. A
# sample's batch comes from a hash of its name: one added tumour reruns only its batch.
COVERAGE_BATCHES = plan.batches(ALL_SAMPLES, config["batch_size"], "coverage_")
CALL_BATCHES = plan.batches(TUMOURS, config["batch_size"], "call_")
# Each call batch's patient pages are one job (page_NNN): the same tumours, so one added
# tumour rewrites only its own batch's pages.
PAGE_BATCHES = {"page_" + b.removeprefix("call_"): m for b, m in CALL_BATCHES.items()}
# Decompression threads a coverage batch may use: the cores left over when every batch runs
# at once (1 on a cohort, up to 4 for a few BAMs on many cores).
try:
    _CORES = workflow.cores
except Exception:  # a cluster executor sets no --cores (each job has its own allocation): 1 thread
    _CORES = None
COVERAGE_THREADS = plan.coverage_threads(_CORES, len(COVERAGE_BATCHES))

wildcard_constraints:
    sample="[A-Za-z0-9][A-Za-z0-9._-]*",


def sample_row(sample):
    """The sheet columns the call step uses (not the BAM path: moving a BAM reruns no call)."""
    r = samples.loc[sample].to_dict()
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()
            if k in ("subtype", "age_group", "blast_pct", "sex")}


def per_sample(pattern, names):
    return [pattern.format(sample=s) for s in names]


def all_outputs():
    return [
        f"{OUT}/cohort/ikzf1_calls.tsv",
        f"{OUT}/cohort/frequencies.tsv",
        f"{OUT}/cohort/report.html",
        f"{OUT}/multiqc/multiqc_report.html",
    ] + expand(f"{OUT}/samples/{{sample}}/ikzf1_exons.tsv", sample=TUMOURS) \
      + expand(f"{OUT}/samples/{{sample}}/report.html", sample=TUMOURS)


def check_wiring(rules_):
    """Every rule that runs a stage's script names exactly its Job's fields."""
    from ikzf1cnv.stages import jobs
    from ikzf1cnv.stages.wiring import WiringError, check_rule

    known = jobs()
    for r in rules_:
        try:
            check_rule(r, known)
        except WiringError as e:
            raise ValueError(str(e)) from None
