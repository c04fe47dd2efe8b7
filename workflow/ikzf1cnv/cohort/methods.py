"""What the report says about its methods (with the rules marked UNVERIFIED) and the
software versions behind a run."""
from __future__ import annotations

import sys

METHODS = [
    "Coverage: CNVkit's definition (aligned bases per bin / bin length, as samtools bedcov counts them; duplicates, "
    "secondary and QC-fail reads skipped), read in one pass per BAM through its index. Whole-genome mode: every gene "
    "window tiled in wgs.bin_size bins (exon units their own bins) and a backbone bin every wgs.backbone_spacing. Pooled reference: CNVkit (cnvlib); each bin's spread shrunk towards a "
    "prior fitted over all bins (caller.spread_prior_df); without normals the tumours are pooled and each bin "
    "re-estimated without the tumours far below it (cohort_reference_trim). Bias correction: CNVkit's fix (on plain "
    "tables where no GC/edge/repeat correction is asked, byte-identical to cnvlib).",
    "Recentring: each autosome votes with its median log2; the most common level (not the median bin) is log2 0, so "
    "whole-chromosome gains (hyperdiploidy) cannot shift the diploid baseline.",
    "Gene windows: every bin in and around each gene reaches the model, in genomic order: one position per exon unit "
    "(inverse-variance mean of its target bins), each intronic and flanking target bin, and each off-target bin with "
    "enough expected reads (caller.min_offtarget_reads), out to the window of resources/rules.yaml (IKZF1: 300 kb "
    "before, 700 kb after, past COBL). Each bin's variance: reference spread and read counts, rescaled to the sample's "
    "own scatter of its kind (target, off-target), plus a systematic error per bin (caller.sd_floor, "
    "caller.offtarget_sd_floor); residuals beyond caller.huber_k SE cost linearly.",
    "Caller: one cell fraction per gene window, states 0/1/2 copies lost chosen by a Viterbi pass over the window's "
    "positions with a penalty per breakpoint; expected log2 = log2(1 - f*k/2). The penalty is calibrated by Monte Carlo "
    "so that a window of n positions gets a false call with probability caller.false_positive_rate under the null.",
    "Chromosome arms: each arm's level is the trimmed mean of its bins outside the gene windows (target and off-target "
    "combined), with the sample's own spread of arm levels as systematic error (at least caller.arm_sd_floor); a loss is "
    "called at the false-positive rate split over the arms tested (both arms of every chromosome holding a called gene). "
    "A gene in a lost arm takes the loss (del1-8, mechanism arm or chromosome) and is modelled relative to the arm for a "
    "second hit.",
    "Limit of detection (ikzf1_lod): from the sample's own per-position SEs, the cell fraction at which a one-copy "
    "del4-7, del2-3 or del1-8 (breakpoints mid-intron) reaches an expected z of 2 sqrt(P) + 1.645, P the calibrated "
    "penalty: called with 95% probability.",
    "Purity: the sheet's blast_pct bounds the cell fraction (plus caller.blast_pct_tolerance). Without it no blast "
    "fraction is reported: clone_fraction is the cell fraction of the sample's largest clonal event (a lower bound of "
    "the blast fraction, with its interval); it bounds the other events and sets the exon copy numbers.",
    "IKZF1plus (Stanulla 2018): IKZF1 deletion with CDKN2A/B homozygous, PAX5 or PAR1 (P2RY8-CRLF2) deletion, no ERG "
    "deletion. Whether PAX5 must be partial in AIEOP-BFM ALL 2017 is UNVERIFIED: option ikzf1plus_pax5 (any/partial).",
    "UKALL-CNA (Moorman 2014): good = no deletion, an isolated ETV6/PAX5/BTG1 deletion, or ETV6 plus one of "
    "BTG1/PAX5/CDKN2A/B; poor = any other profile. IKZF1plus and UKALL-CNA are given for BCP-ALL subtypes only.",
    "PAR1: the P2RY8-CRLF2 pattern (CSF2RA and IL3RA lost, CRLF2 kept); the deletion's size (~320 kb) is UNVERIFIED.",
    "Frequencies: evaluable samples of each group; Wilson 95% interval; exact binomial test against the nearest end of "
    "the reference range. Reference figures include point mutations, which read depth cannot see.",
    "Not seen by this workflow: point mutations, copy-neutral events, clones below the detection limit at the depth.",
]


INTENDED_USE = (
    "For research use only; not for diagnostic use. The workflow estimates copy number of the IKZF1 exons and of "
    "CDKN2A/B, PAX5, PAR1 (P2RY8-CRLF2), ERG, EBF1, ETV6, BTG1 and RB1 from sequencing read depth, and applies the "
    "IKZF1plus and UKALL-CNA rules to those calls. A result that will guide treatment must be confirmed by a validated "
    "method (MLPA SALSA P335 or an accredited assay) in an accredited laboratory.")

VALIDATION = (
    "Validated on simulated panels and genomes with known truth (docs/accuracy.md: exon-only and intron-tiled panel "
    "designs at 150-1000x, cohorts with and without normals, hg38 and hg19; each limit of detection checked to find "
    ">= 95% of deletions above it) and on the bundled toy cohort, whose every call matches its truth. Not validated "
    "on patient samples against MLPA or another reference method.")

LIMITATIONS = [
    "Read depth cannot see point mutations or copy-neutral events (UPD); clones below the sample's limit of "
    "detection may be missed: a wild type rules out only deletions above the stated limits.",
    "A deletion's ends are known only to the measured positions around them, unless a split-read junction gives "
    "the base.",
    "One cell fraction per gene: a biallelic deletion whose two hits sit in clones of different size is fitted as "
    "if both were in the larger.",
    "Without a blast percentage, a one-copy loss in all cells and a two-copy loss in half of them read alike.",
    "The PAX5 rule of IKZF1plus in AIEOP-BFM ALL 2017 (any vs partial) and the size of the P2RY8-CRLF2 deletion are "
    "UNVERIFIED.",
]


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__
    out = {"ikzf1cnv": __version__, "python": sys.version.split()[0]}
    for p in ("cnvkit", "snakemake", "pysam", "pandas", "numpy", "scipy", "multiqc"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out
