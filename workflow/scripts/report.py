"""Rule report: the cohort report (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

steps.step_report(s.input.calls, s.input.freq, list(s.input.records), list(s.input.exons), s.input.reference,
                  s.input.types, dict(s.params.config), s.output.html)
