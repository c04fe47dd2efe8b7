"""Names and conventions shared by every layer (none of them a threshold: those live in
resources/ and the config)."""
from __future__ import annotations

# The autosomes of both builds (UCSC names, as the annotation in resources/ writes them).
AUTOSOMES = tuple(f"chr{i}" for i in range(1, 23))

# CNVkit's names for its off-target bins (cnvlib.params.ANTITARGET_ALIASES).
ANTITARGET_ALIASES = ("Antitarget", "Background")

# CNVkit's log2 of a bin without reads (cnvlib.params.NULL_LOG2_COVERAGE).
NULL_LOG2 = -20.0
