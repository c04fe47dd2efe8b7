"""Rule cohort: call table, frequencies, MultiQC custom content (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

steps.step_cohort(list(s.input.records), dict(s.params.config), s.params.rules, s.output.calls, s.output.freq,
                  s.output.mqc)
