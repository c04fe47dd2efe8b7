# ikzf1-cnv: exon-level IKZF1 copy number, IKZF1plus and a cohort report.
# Run from the repository root:  snakemake --cores 2  (toy cohort; see README.md)
from snakemake.utils import min_version

min_version("9.0")


# The toy cohort's config, unless the user gives their own with --configfile: then theirs
# replaces it (keys they leave out take the schema's defaults, not the toy's settings).
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/coverage.smk"
include: "workflow/rules/reference.smk"
include: "workflow/rules/calling.smk"
include: "workflow/rules/cohort.smk"


# Each rule's names (inputs, outputs, params) are its stage's Job fields: checked here, at
# parse time, so a rule and its Job that disagree stop even a dry run (ikzf1cnv.stages.wiring).
check_wiring(workflow.rules)


rule all:
    input:
        all_outputs(),
