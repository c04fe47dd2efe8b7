"""Call batch: CNVkit fix, then the gene-window, arm and exon caller, for each tumour (thin adapter)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv import call, files  # noqa: E402

s = snakemake  # noqa: F821
files.setup_logging(s.log[0])
call.run_call_batch(call.CallJob(
    samples=list(s.params.samples), rows=list(s.params.rows), genome=s.params.genome, caller=dict(s.params.caller),
    qc=dict(s.params.qc), edge_correction=s.params.edge_correction, has_fasta=s.params.has_fasta,
    whole_genome=s.params.whole_genome, fasta=s.input.fasta or None,
    junctions_cfg=dict(s.params.junctions_cfg), junctions=list(s.input.junctions),
    ikzf1plus_pax5=s.params.ikzf1plus_pax5, rules=s.input.rules, exons=s.input.exons, arms=s.input.arms,
    introns=s.input.introns, calibration=s.input.calibration, par_regions=s.input.par_regions,
    reference=s.input.reference, denoise=s.input.denoise, targets=list(s.input.targets),
    antitargets=list(s.input.antitargets), bam_info=list(s.input.bam_info), out_cnr=list(s.output.cnr),
    out_exons=list(s.output.exons), out_units=list(s.output.units), out_record=list(s.output.record),
    out_positions=list(s.output.positions),
    out_breakpoints=list(s.output.breakpoints)))
