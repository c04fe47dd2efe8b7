"""Checking what the user gives us: the sample sheet and the BAMs.

Every error names the sample, the column or file, and what to do about it.
"""
from __future__ import annotations

from pathlib import Path

import jsonschema
import pandas as pd


class InputError(Exception):
    """A problem with the user's input, worded for the user."""


SHEET_DEFAULTS = {"type": "tumor", "subtype": "unknown", "age_group": "", "blast_pct": "", "sex": ""}
FIXES = {
    "sample": "use letters, digits, '.', '_' or '-', starting with a letter or digit",
    "type": "write 'tumor' or 'normal'",
    "subtype": "use one of the contract's subtypes, or 'unknown'",
    "age_group": "write 'pediatric' or 'adult', or leave it empty",
    "blast_pct": "give the blast percentage as a number from 0 to 100, or leave it empty",
    "sex": "write 'female' or 'male', or leave it empty",
}


def index_of(bam: str) -> str | None:
    """The index beside a BAM/CRAM (name.bam.bai, name.bai, name.bam.csi, name.csi, .crai)."""
    p = str(bam)
    stem = p[: p.rfind(".")] if "." in Path(p).name else p
    for cand in (p + ".bai", stem + ".bai", p + ".csi", stem + ".csi", p + ".crai", stem + ".crai"):
        if Path(cand).is_file():
            return cand
    return None


def _coerce(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if v == "" or v is None:
            continue
        if k == "blast_pct":
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v  # leave it to the schema to report
        else:
            out[k] = v
    return out


def load_sample_sheet(path, schema: dict, check_files: bool = True) -> pd.DataFrame:
    """Read and validate the sample sheet; raise InputError listing every problem found."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"sample sheet {path} not found: set `samples:` in the config to your TSV")
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    df.columns = [c.strip() for c in df.columns]
    problems = []
    for col in ("sample", "bam"):
        if col not in df.columns:
            raise InputError(f"sample sheet {path}: required column '{col}' is missing "
                             f"(columns found: {', '.join(df.columns)})")
    df = df.apply(lambda c: c.str.strip())
    for col, default in SHEET_DEFAULTS.items():
        if col not in df.columns:
            df[col] = default
        elif col in ("type", "subtype"):
            df[col] = df[col].replace("", default)
    validator = jsonschema.Draft7Validator(schema)
    for i, row in enumerate(df.to_dict("records"), start=2):
        name = row["sample"] or f"(row {i})"
        for err in sorted(validator.iter_errors(_coerce(row)), key=lambda e: list(e.path)):
            col = err.path[0] if err.path else (err.validator_value[0] if err.validator == "required" else "?")
            val = row.get(col, "")
            problems.append(f"sample '{name}' (line {i}), column '{col}': {val!r} is not valid "
                            f"({err.message}). Fix: {FIXES.get(col, 'see config/README.md')}")
    dup = df["sample"][df["sample"].duplicated(keep=False) & (df["sample"] != "")]
    for name in sorted(set(dup)):
        lines = [str(i + 2) for i in df.index[df["sample"] == name]]
        problems.append(f"sample '{name}' appears on lines {', '.join(lines)}: sample names must be unique. "
                        f"Fix: rename or remove the duplicate rows")
    if check_files:
        for i, row in enumerate(df.to_dict("records"), start=2):
            bam = row["bam"]
            if not bam:
                continue
            if not Path(bam).is_file():
                problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': file {bam} not found. "
                                f"Fix: give a path absolute or relative to the directory snakemake runs in")
            elif index_of(bam) is None:
                problems.append(f"sample '{row['sample']}' (line {i}), column 'bam': {bam} has no index beside it "
                                f"(.bai/.csi). Fix: run `samtools index {bam}`")
    if not problems and not (df["type"] == "tumor").any():
        problems.append(f"sample sheet {path}: no tumour sample (type 'tumor'); nothing to call")
    if problems:
        raise InputError(f"sample sheet {path} has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    df["blast_pct"] = pd.to_numeric(df["blast_pct"].replace("", None))
    return df.set_index("sample", drop=False)


def batches(names: list[str], size: int, prefix: str) -> dict[str, list[str]]:
    """Group names into batches of about `size` (one job reads many BAMs: one Python
    start-up, one import of cnvlib; a scheduler sees about n / size jobs).

    A name's batch depends only on its own name and on the number of buckets, a power of
    two of at least n / size: hash(name) mod buckets. Adding a tumour therefore reruns only
    its own batch (until the cohort doubles and the buckets with it). Keys are
    `{prefix}{bucket:03d}` (1-based; empty buckets are left out), names sorted within."""
    import zlib
    if size < 1:
        raise ValueError("batch size must be at least 1")
    k = 1
    while k * size < len(names):
        k *= 2
    width = max(3, len(str(k)))
    out: dict[int, list[str]] = {}
    for n in names:
        out.setdefault(zlib.crc32(n.encode()) % k, []).append(n)
    return {f"{prefix}{b + 1:0{width}d}": sorted(out[b]) for b in sorted(out)}


def contig_names(build: dict[str, int], header: dict[str, int]) -> dict[str, str]:
    """The BAM's name of each contig of the build it has: the same name (UCSC style,
    `chr7`), or Ensembl/NCBI style (`7`, `MT` for `chrM`), whichever the header holds."""
    out = {}
    for c in build:
        for cand in (c, "MT" if c == "chrM" else c.removeprefix("chr")):
            if cand in header:
                out[c] = cand
                break
    return out


def block_reference_downloads():
    """htslib fetches a CRAM's reference from the EBI by MD5 when nothing local decodes it
    (REF_PATH unset, or a URL in it); this workflow never downloads: such a REF_PATH is
    replaced by a path that does not exist (a local reference cache in REF_PATH is kept),
    so a CRAM without its reference fails, and is told so."""
    import os
    ref = os.environ.get("REF_PATH", "")
    if not ref or any(x in ref for x in ("http:", "https:", "ftp:")):
        os.environ["REF_PATH"] = "/nonexistent-ikzf1cnv-never-downloads/%s"


def open_alignments(sample: str, bam: str, fasta: str | None = None, threads: int = 1):
    """pysam.AlignmentFile of a BAM or CRAM (CRAM decoded with `fasta`, or with the
    reference it embeds); never downloads a reference."""
    import pysam

    block_reference_downloads()
    try:
        return pysam.AlignmentFile(bam, "r", reference_filename=fasta, threads=max(int(threads), 1))
    except (OSError, ValueError) as e:
        raise InputError(f"sample '{sample}': {bam} cannot be opened ({e}). Fix: check that it is a complete "
                         f"BAM or CRAM (a copy cut short is the commonest cause)") from e


def check_cram_decodes(sample: str, fh, bam: str, fasta: str | None):
    """Decode the first reads of a CRAM: without its reference (no `fasta`, none embedded)
    htslib cannot, and the fix is to give `fasta`."""
    if not fh.is_cram:
        return
    try:
        for _ in zip(range(100), fh.fetch(until_eof=True)):
            pass
    except (OSError, ValueError) as e:
        raise InputError(
            f"sample '{sample}': {bam} is a CRAM whose reference is not available"
            + (f" (fasta {fasta} does not decode it)" if fasta else "")
            + f" ({e}). Fix: set `fasta` in the config to the FASTA it was written against "
            "(or convert it to BAM, or to a CRAM with its reference embedded)") from e


def check_bam(sample: str, bam: str, contigs: dict[str, int], genome: str,
              other_builds: dict[str, dict[str, int]], fasta: str | None = None) -> dict:
    """Check a BAM's (or CRAM's) header against the configured build; return facts about
    it (read length, sort order, the BAM's name of each contig: UCSC `chr7` or Ensembl
    `7`). Raises InputError naming what to fix."""
    if index_of(bam) is None:
        raise InputError(f"sample '{sample}': {bam} has no index. Fix: run `samtools index {bam}`")
    with open_alignments(sample, bam, fasta) as fh:
        hdr = dict(zip(fh.references, fh.lengths))
        so = fh.header.to_dict().get("HD", {}).get("SO", "unknown")
        check_cram_decodes(sample, fh, bam, fasta)
        lens = []
        for read in fh.head(2000):
            if not read.is_unmapped and read.query_length:
                lens.append(read.query_length)
        is_cram = fh.is_cram
    if so != "coordinate":
        raise InputError(f"sample '{sample}': {bam} is not coordinate-sorted (header SO:{so}). "
                         f"Fix: `samtools sort -o sorted.bam {bam} && samtools index sorted.bam`")
    names = contig_names(contigs, hdr)
    if not names:
        raise InputError(f"sample '{sample}': {bam} shares no contig name with {genome} (neither UCSC 'chr7' "
                         f"nor Ensembl '7' style): its contigs are {', '.join(list(hdr)[:5])}...")
    wrong = [c for c, b in names.items() if hdr[b] != contigs[c]]
    if wrong:
        guess = [b for b, cs in other_builds.items()
                 if all(hdr.get(n) == cs[c] for c, n in contig_names(cs, hdr).items())]
        which = f" They match {guess[0]}." if guess else ""
        c = wrong[0]
        raise InputError(
            f"sample '{sample}': {bam} was not aligned to {genome}: {names[c]} is {hdr[names[c]]:,} bp in the BAM but "
            f"{contigs[c]:,} bp in {genome} ({len(wrong)} contig length(s) differ).{which} "
            f"Fix: set `genome: {guess[0] if guess else '<the BAM build>'}` in the config, or realign to {genome}.")
    renamed = {c: b for c, b in names.items() if c != b}
    return {"sample": sample, "read_length": float(pd.Series(lens).median()) if lens else 100.0,
            "contigs_checked": len(names), "format": "CRAM" if is_cram else "BAM",
            "contig_naming": "ensembl" if renamed else "ucsc", "contig_names": renamed}
