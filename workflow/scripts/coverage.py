"""Coverage batch: BAM header check, bin depths and samtools QC of each BAM (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import coverage, files, inputs  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
try:
    coverage.run_coverage_batch(coverage.CoverageJob(
        samples=list(s.params.samples), bams=list(s.input.bams), genome=s.params.genome,
        contigs={"hg38": s.input.hg38_contigs, "hg19": s.input.hg19_contigs}, target_bins=s.input.targets,
        antitarget_bins=s.input.antitargets, min_mapq=s.params.min_mapq, fasta=s.input.fasta or None, junctions=dict(s.params.junctions), out_targets=list(s.output.targets),
        out_antitargets=list(s.output.antitargets), out_bam_info=list(s.output.bam_info), out_junctions=list(s.output.junctions),
        out_idxstats=list(s.output.idxstats), out_stats=list(s.output.stats),
        on_sample_error=s.params.on_sample_error, sequential=s.params.sequential, threads=s.threads))
except inputs.InputError as e:
    files.log.error(str(e))
    sys.exit(1)
