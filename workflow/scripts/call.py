"""Rule call: CNVkit fix, then the exon and gene caller (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

steps.step_call(s.wildcards.sample, s.params.row, dict(s.params.config), s.params.resources, s.params.rules,
                s.input.targets, s.input.antitargets, s.input.reference, s.input.denoise, s.input.bam_info,
                s.output.cnr, s.output.exons, s.output.units, s.output.record)
