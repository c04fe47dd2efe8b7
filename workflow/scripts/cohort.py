"""Rule cohort: call table, frequencies, MultiQC custom content (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import cohort, files  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
cohort.run_cohort(cohort.CohortJob(
    records=list(s.input.records), rules=s.input.rules, reference_table=s.input.reference_table,
    ikzf1plus_pax5=s.params.ikzf1plus_pax5, frequency_min_samples=s.params.frequency_min_samples,
    frequency_alpha=s.params.frequency_alpha, out_calls=s.output.calls, out_freq=s.output.freq, out_mqc=s.output.mqc))
