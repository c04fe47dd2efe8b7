"""Development library of the benchmarks and the toy cohort: the read simulator and the
truth/scoring helpers. Not part of the product package (workflow/ikzf1cnv)."""
