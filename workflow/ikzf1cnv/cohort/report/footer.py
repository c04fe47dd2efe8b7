"""What every page ends with: where its numbers come from (workflow version and commit, tool
versions, genome build and transcript, the config's digest, the BAMs read, the reference,
the run date) and what they are for (intended use, validation, limitations)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..methods import INTENDED_USE, LIMITATIONS, VALIDATION
from .html import E


NOT_SETTINGS = ("outdir", "samples")   # where the outputs go, which sheet: not how a sample is called


def settings(config: dict) -> dict:
    """The config's settings: all of it but NOT_SETTINGS."""
    return {k: v for k, v in config.items() if k not in NOT_SETTINGS}


def config_digest(config: dict) -> str:
    """sha256 of the settings' canonical JSON (sorted keys, no spaces): two runs with the same
    settings, into other directories or from a longer sample sheet, have the same digest."""
    text = json.dumps(settings(config), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def size_text(n: int | None) -> str:
    if n is None:
        return "NA"
    for unit, k in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= k:
            return f"{n / k:.1f} {unit} ({n:,} bytes)"
    return f"{n} bytes"


@dataclass(frozen=True)
class Provenance:
    """The run's facts a page names (stages.provenance gathers them)."""
    versions: dict                  # cohort.methods.versions()
    commit: str                     # the workflow's git commit, or 'unknown'
    build: str                      # 'hg38'
    assembly: str                   # 'GRCh38'
    transcript: str                 # 'IKZF1 NM_006060.6'
    config_digest: str
    reference: dict                 # reference/reference.json
    run_date: str
    mode: str                       # panel | whole genome (| exome-sized, from the record when given)
    bams: list = field(default_factory=list)   # [{sample, path, size, header_sha256}]
    inputs: dict = field(default_factory=dict)  # other inputs read: name -> path


def reference_text(ref: dict) -> str:
    normals = ref.get("normals") or []
    who = f" of {len(normals)} normals ({', '.join(normals)})" if normals else ""
    return f"{ref.get('mode', '?')}{who}" + (f"; warning: {ref['warning']}" if ref.get("warning") else "")


def bam_rows(bams: list[dict]) -> str:
    return "".join(f"<tr><td>{E(b['sample'])}</td><td class=\"path\">{E(str(b['path']))}</td>"
                   f"<td>{E(size_text(b.get('size')))}</td><td class=\"digest\">{E(str(b.get('header_sha256')))}</td></tr>"
                   for b in bams)


def footer_html(p: Provenance, bams_note: str = "") -> str:
    """The provenance table, the BAMs read, and intended use, validation and limitations."""
    tools = ", ".join(f"{k} {v}" for k, v in sorted(p.versions.items()) if k != "ikzf1cnv")
    rows = [("workflow", f"ikzf1-cnv {p.versions.get('ikzf1cnv', '?')}, commit {p.commit}"),
            ("tools", tools),
            ("genome build", f"{p.build} ({p.assembly})"),
            ("transcript", f"{p.transcript} (IKZF1 exon numbers)"),
            ("analysis mode", p.mode),
            ("config digest", f"sha256 {p.config_digest} (canonical JSON of the settings; outdir and the sample "
                              "sheet's path left out)"),
            ("reference", reference_text(p.reference)),
            *[(k, str(v)) for k, v in p.inputs.items()],
            ("run date", p.run_date)]
    table = "".join(f"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>" for k, v in rows)
    bam_table = (f'<table class="bams"><thead><tr><th>sample</th><th>BAM read</th><th>size</th>'
                 f'<th>header sha256</th></tr></thead><tbody>{bam_rows(p.bams)}</tbody></table>') if p.bams else ""
    lims = "".join(f"<li>{E(x)}</li>" for x in LIMITATIONS)
    return (f'<footer><h2 class="foot">Provenance</h2><table class="provenance">{table}</table>{bam_table}'
            + (f'<p class="note">{E(bams_note)}</p>' if bams_note else "")
            + f'<h2 class="foot">Intended use and limitations</h2><p class="use"><b>{E(INTENDED_USE)}</b> '
            f'{E(VALIDATION)}</p><ul class="limits">{lims}</ul></footer>')
