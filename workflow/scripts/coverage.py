"""Rule coverage: BAM header check and bin depths (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

try:
    steps.step_coverage(s.wildcards.sample, s.input.bam, s.params.genome, s.params.resources, s.input.targets,
                        s.input.antitargets, s.params.min_mapq, s.output.targets, s.output.antitargets,
                        s.output.bam_info)
except steps.inputs.InputError as e:
    steps.log.error(str(e))
    sys.exit(1)
