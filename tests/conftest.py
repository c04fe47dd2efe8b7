import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def rules(root):
    from ikzf1cnv import annotation
    return annotation.load_rules(root / "resources" / "rules.yaml")
