"""Rule reference: pooled, prebuilt or flat reference (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import steps  # noqa: E402

steps.setup_logging(snakemake.log[0])  # noqa: F821
s = snakemake  # noqa: F821

rules = steps.annotation.load_rules(s.params.rules)
steps.step_reference(s.params.mode, list(s.input.targets), list(s.input.antitargets), s.params.prebuilt, s.input.target_bins,
                     s.input.antitarget_bins, rules["cnvkit_par_genome"].get(s.params.genome), s.params.edge,
                     s.params.fasta, s.output.cnn, s.output.info, s.output.denoise,
                     s.params.n_components, s.params.spread_prior_df, s.params.cohort_trim,
                     s.params.cohort_window, str(Path(s.params.rules).parent / "cnvkit_par_regions.tsv"))
