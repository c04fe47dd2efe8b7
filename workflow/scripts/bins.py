"""Rule bins: target and antitarget bins (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

if s.input.targets:
    steps.step_bins(s.input.targets, s.params.target_avg_size, s.params.antitarget_avg_size,
                    s.output.targets, s.output.antitargets)
else:
    steps.step_wgs_bins(s.params.resources, s.params.genome, s.params.rules, s.output.targets, s.output.antitargets)
