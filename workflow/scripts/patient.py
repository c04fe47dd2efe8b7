"""Rule page_NNN: each tumour's printable page."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # noqa: F821  (the package, if not installed)
from ikzf1cnv.stages import run  # noqa: E402

run(snakemake, "patient")  # noqa: F821  (the job: ikzf1cnv.stages.patient)
