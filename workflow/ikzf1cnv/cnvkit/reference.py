"""CNVkit's pooled and flat references (cnvlib.reference)."""
from __future__ import annotations


def build_reference(target_cnns: list[str], antitarget_cnns: list[str], par_genome: str | None,
                    do_edge: bool, fasta: str | None):
    """Pooled reference from normal samples' coverages (median, spread per bin)."""
    from cnvlib import reference

    return reference.do_reference(target_cnns, antitarget_cnns, fa_fname=fasta,
                                  diploid_parx_genome=par_genome, do_gc=fasta is not None,
                                  do_edge=do_edge, do_rmask=fasta is not None)


def flat_reference(targets_bed: str, antitargets_bed: str, par_genome: str | None, fasta: str | None):
    from cnvlib import reference

    return reference.do_reference_flat(targets_bed, antitargets_bed, fasta, diploid_parx_genome=par_genome)
