"""Surviving mutants that are equivalent: the change cannot alter what the function returns
or does for any input it is given, so no test can kill it. Each is matched by module,
function and the exact lines the mutant removes and adds (benchmarks/mutation/run.py), so
a change to the code makes a stale entry stop matching rather than hide a new survivor."""

EQUIVALENT: list[dict] = [
]
