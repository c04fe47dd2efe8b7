"""One module per Snakemake rule: its Job (built from the rule's named inputs, outputs and
params: stages.wiring) and `run(job)`, which does the step's file I/O around the package's
functions. workflow/scripts/<stage>.py runs `stages.run(snakemake, "<stage>")`."""
from __future__ import annotations

import importlib
import sys

STAGES = ("bins", "coverage", "reference", "call", "cohort", "report", "patient")


def jobs() -> dict:
    """Each stage's Job class, by the name of its script."""
    return {name: importlib.import_module(f"{__name__}.{name}").JOB for name in STAGES}


def run(smk, name: str):
    """Run stage `name` for a rule's `snakemake` object: log to the rule's log, build the
    job from the rule, run it; an input error is logged in the user's words and ends the
    job with status 1."""
    from ..core.errors import InputError
    from ..core.files import log, setup_logging
    setup_logging(smk.log[0] if smk.log else None)
    stage = importlib.import_module(f"{__name__}.{name}")
    try:
        stage.run(stage.JOB.from_snakemake(smk))
    except InputError as e:
        log.error(str(e))
        sys.exit(1)
