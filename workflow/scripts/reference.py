"""Rule reference: pooled, cohort, prebuilt or flat reference (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import annotation, files, reference  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
reference.run_reference(reference.ReferenceJob(
    mode=s.params.mode, targets=list(s.input.targets), antitargets=list(s.input.antitargets),
    target_bins=s.input.target_bins, antitarget_bins=s.input.antitarget_bins, prebuilt=s.input.prebuilt or None,
    par_genome=annotation.load_rules(s.input.rules)["cnvkit_par_genome"].get(s.params.genome),
    par_regions=s.input.par_regions, edge=s.params.edge, fasta=s.input.fasta or None,
    n_components=s.params.n_components, spread_prior_df=s.params.spread_prior_df, cohort_trim=s.params.cohort_trim,
    cohort_window=s.params.cohort_window, out_cnn=s.output.cnn, out_info=s.output.info,
    out_denoise=s.output.denoise, bam_info=tuple(s.input.bam_info)))
