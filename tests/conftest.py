import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (hypothesis) are deterministic in CI: `ci` (the default) derandomizes the
# examples, bounds their number and keeps no example database, so a run gives the same
# verdict every time. HYPOTHESIS_PROFILE=explore searches far more examples, at random.
settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))  # the simulator and scoring (dev library)


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def rules(root):
    from ikzf1cnv.caller import params as cparams
    from ikzf1cnv.core import annotation
    return annotation.load_rules(root / "resources" / "rules.yaml")


@pytest.fixture(scope="session")
def schema_defaults(root):
    """The config schema's defaults for the nested `caller` and `qc` blocks."""
    import yaml
    props = yaml.safe_load((root / "workflow" / "schemas" / "config.schema.yaml").read_text())["properties"]
    return {blk: {k: v["default"] for k, v in props[blk]["properties"].items()} for blk in ("caller", "qc")}


@pytest.fixture(scope="session")
def params(root, schema_defaults):
    """The caller's parameters at the config's defaults, penalties from the calibration table."""
    from ikzf1cnv.caller import params as cparams
    from ikzf1cnv.core import annotation
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    return cparams.CallerParams.from_config(schema_defaults["caller"], schema_defaults["qc"], calib)


def snakemake(root, *args, check=True):
    """Snakemake in the workflow's root on 2 cores; its output in the error when it fails."""
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", *args]
    p = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


@pytest.fixture(scope="session")
def toy_run(root, tmp_path_factory):
    """The toy cohort run once, for every test that reads its outputs (tests/test_workflow.py,
    tests/test_report_browser.py)."""
    out = tmp_path_factory.mktemp("toy") / "a"
    snakemake(root, "--config", f"outdir={out}")
    return out


@pytest.fixture(scope="session")
def runs(root, toy_run):
    """The toy run and a second run of it in another directory (the rerun test compares them)."""
    b = toy_run.parent / "b"
    snakemake(root, "--config", f"outdir={b}")
    return toy_run, b
