"""What every layer shares: constants, robust statistics, the annotation and the files.

The package is layered; a module imports only from its own folder or from folders below
it (tests/test_structure.py checks this):

    stages/     one module per Snakemake rule: its Job (built from the rule) and all file I/O
    cohort/     the call table, frequencies against the literature, the report, MultiQC
    caller/     every per-sample decision: bins -> windows -> model -> genes, arms, IKZF1plus
    reference/  pooling, refinement and denoising of the reference
    cnvkit/     the adapter to CNVkit (cnvlib): bins, reference, fix (and its fast re-implementation)
    inputs/     checking what the user gives: sample sheet, config, BED, BAM headers
    reads/      reading BAM/CRAM: bins' coverage and junction reads in one pass
    core/       (this folder) constants, robust statistics, annotation, tables and files
"""
