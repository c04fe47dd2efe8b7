"""Call batch: CNVkit fix, then the exon and gene caller, for each tumour (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

steps.step_call_batch(list(s.params.samples), list(s.params.rows), dict(s.params.config), s.params.resources,
                      s.params.rules, list(s.input.targets), list(s.input.antitargets), s.input.reference,
                      s.input.denoise, list(s.input.bam_info), list(s.output.cnr), list(s.output.exons),
                      list(s.output.units), list(s.output.record), list(s.output.positions))
