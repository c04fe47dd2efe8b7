"""ikzf1cnv: exon-level IKZF1 copy number, IKZF1plus and cohort reporting.

All domain logic of the workflow lives here as functions over plain data; the Snakemake
rules and scripts only move files in and out of it.
"""
__version__ = "0.1.0"
