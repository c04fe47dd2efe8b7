"""Rule bins: target and antitarget bins (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import coverage, files  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
coverage.run_bins(coverage.BinsJob(
    targets=s.input.targets or None, target_avg_size=s.params.target_avg_size,
    antitarget_avg_size=s.params.antitarget_avg_size, exons=s.input.exons or None, contigs=s.input.contigs or None,
    rules=s.input.rules or None, wgs=dict(s.params.wgs),
    out_targets=s.output.targets, out_antitargets=s.output.antitargets))
