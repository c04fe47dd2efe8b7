import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))
sys.path.insert(0, str(ROOT / "benchmarks"))  # the simulator and scoring (dev library)


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def rules(root):
    from ikzf1cnv import annotation
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
    from ikzf1cnv import annotation, calling
    calib = annotation.read_tsv(root / "resources" / "penalty_calibration.tsv")
    return calling.CallerParams.from_config(schema_defaults["caller"], schema_defaults["qc"], calib)
