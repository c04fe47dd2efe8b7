"""Files: logging, writing whole or not at all, JSON (deterministic: sorted keys, no
timestamps)."""
from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("ikzf1cnv")


def setup_logging(logfile: str | None):
    handlers = [logging.StreamHandler(sys.stderr)]
    if logfile:
        handlers.append(logging.FileHandler(logfile, mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                        format="%(asctime)s %(levelname)s %(message)s")


@contextmanager
def atomic(path):
    """Write `path` whole or not at all: the writer gets `path`.partial, renamed to `path`
    when it is done (removed if it fails). A run killed mid-write leaves no partial file
    under a final name."""
    tmp = f"{path}.partial"
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str):
    with atomic(path) as tmp:
        Path(tmp).write_text(text)


def write_json(obj, path):
    write_text(path, json.dumps(obj, indent=1, sort_keys=True) + "\n")


def read_json(path) -> dict:
    return json.loads(Path(path).read_text())


def read_records(paths: list[str]) -> list[dict]:
    return [read_json(p) for p in paths]


def sample_name(coverage_path: str) -> str:
    """The sample of a coverage file (`{sample}.targetcoverage.cnn`; names may hold dots)."""
    name = Path(coverage_path).name
    for suffix in (".targetcoverage.cnn", ".antitargetcoverage.cnn"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
