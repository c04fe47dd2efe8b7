"""Coverage batch: BAM header check, bin depths and samtools stats of each BAM (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

try:
    steps.step_coverage_batch(list(s.params.samples), list(s.input.bams), s.params.genome, s.params.resources,
                              s.input.targets, s.input.antitargets, s.params.min_mapq, list(s.output.targets),
                              list(s.output.antitargets), list(s.output.bam_info), list(s.output.idxstats),
                              list(s.output.stats))
except steps.inputs.InputError as e:
    steps.log.error(str(e))
    sys.exit(1)
