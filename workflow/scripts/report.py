"""Rule report: the cohort report (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import files, report  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
report.run_report(report.ReportJob(
    calls=s.input.calls, freq=s.input.freq, records=list(s.input.records), exons=list(s.input.exons),
    reference_info=s.input.reference, deletion_types=s.input.types, config=dict(s.params.config),
    out_html=s.output.html))
