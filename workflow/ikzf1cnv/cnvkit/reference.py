"""CNVkit's pooled and flat references (cnvlib.reference)."""
from __future__ import annotations


def build_reference(target_cnns: list[str], antitarget_cnns: list[str], par_genome: str | None,
                    do_edge: bool, fasta: str | None, par=None):
    """Pooled reference from normal samples' coverages (median, spread per bin): CNVkit's
    do_reference, as cnvkit.fast_reference computes it where that applies (no FASTA, no edge
    correction; `par`: the build's rows of resources/cnvkit_par_regions.tsv), else cnvlib.
    The table is the result's `.data`."""
    if fasta is None and not do_edge and par is not None:
        from .fast_reference import fast_reference
        ref = fast_reference(target_cnns, antitarget_cnns, par)
        if ref is not None:
            return ref
    from cnvlib import reference

    return reference.do_reference(target_cnns, antitarget_cnns, fa_fname=fasta,
                                  diploid_parx_genome=par_genome, do_gc=fasta is not None,
                                  do_edge=do_edge, do_rmask=fasta is not None)


def flat_reference(targets_bed: str, antitargets_bed: str, par_genome: str | None, fasta: str | None):
    from cnvlib import reference

    return reference.do_reference_flat(targets_bed, antitargets_bed, fasta, diploid_parx_genome=par_genome)
