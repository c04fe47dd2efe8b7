"""The facts a report names about its own making, read where they are: the workflow's git
commit, each BAM's size and header digest, the build's assembly and transcript, the run
date. Never fails: what cannot be read is named as such ('unknown', 'unreadable: ...')."""
from __future__ import annotations

import hashlib
import os
import subprocess
import time

from ..cohort.methods import versions
from ..cohort.report.footer import Provenance, config_digest
from ..core import annotation


def workflow_commit(workflow_dir: str) -> str:
    """The checkout's commit ('7e2dc8b... (with uncommitted changes)'), 'unknown' where the
    workflow is not a git checkout or git is missing."""
    try:
        def git(*args):
            return subprocess.run(["git", "-C", str(workflow_dir), *args], capture_output=True, text=True,
                                  timeout=20, check=True).stdout.strip()
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def bam_facts(sample: str, path: str) -> dict:
    """A BAM's (or CRAM's) path, size in bytes, and the sha256 of its header text."""
    out = {"sample": sample, "path": str(path), "size": None, "header_sha256": "unknown"}
    try:
        out["size"] = os.path.getsize(path)
    except OSError as e:
        out["header_sha256"] = f"unreadable: {e.strerror or e}"
        return out
    try:
        import warnings

        import pysam
        with warnings.catch_warnings():   # a cut BAM's header is still read (its fault is the coverage step's to name)
            warnings.simplefilter("ignore")
            with pysam.AlignmentFile(str(path), check_sq=False, ignore_truncation=True) as fh:
                out["header_sha256"] = hashlib.sha256(str(fh.header).encode()).hexdigest()
    except (OSError, ValueError) as e:
        out["header_sha256"] = f"unreadable: {e}"
    return out


def run_date() -> str:
    """Now, in UTC (SOURCE_DATE_EPOCH, the reproducible-builds convention, when set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M UTC", t)


def analysis_mode(config: dict, records: list[dict] = ()) -> str:
    """The run's mode: the records' (when the caller states it) else the config's."""
    stated = sorted({str(r["mode"]) for r in records if r.get("mode")})
    if stated:
        return ", ".join(stated)
    return "panel" if config.get("targets") else "whole genome"


def provenance(job, reference: dict, bams: list[dict], mode: str) -> Provenance:
    """The facts for a page from a report job (its config, builds, transcripts, workflow_dir)."""
    b = annotation.read_tsv(job.builds).set_index("build")
    build = str(job.config.get("genome"))
    assembly = str(b.loc[build, "assembly"]) if build in b.index else "unknown"
    cfg = job.config
    inputs = {"panel targets": cfg.get("targets") or "none (whole-genome mode)",
              "genome FASTA": cfg.get("fasta") or "none (no GC correction, no RSS check)"}
    if getattr(job, "reference_table", None):
        inputs["literature table"] = job.reference_table
    return Provenance(versions(), workflow_commit(job.workflow_dir), build, assembly,
                      f"IKZF1 {transcript_of(job.transcripts)}", config_digest(cfg), reference, run_date(),
                      mode, bams, inputs)


def transcript_of(transcripts: str, gene: str = "IKZF1") -> str:
    t = annotation.read_tsv(transcripts).set_index("gene")
    return str(t.loc[gene, "transcript"]) if gene in t.index else "unknown"

