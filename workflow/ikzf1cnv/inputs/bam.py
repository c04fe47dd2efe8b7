"""Checking a BAM or CRAM before its reads are counted: its index, header, build, naming
of contigs, sort order and first reads."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..reads import bamhead
from ..reads.alignments import open_alignments


def index_of(bam: str) -> str | None:
    """The index beside a BAM/CRAM (name.bam.bai, name.bai, name.bam.csi, name.csi, .crai)."""
    p = str(bam)
    stem = p[: p.rfind(".")] if "." in Path(p).name else p
    for cand in (p + ".bai", stem + ".bai", p + ".csi", stem + ".csi", p + ".crai", stem + ".crai"):
        if Path(cand).is_file():
            return cand
    return None


def index_problem(bam: str) -> str | None:
    """What is wrong with a BAM's index, worded with its fix; None when it is usable.
    An index older than its BAM (htslib's test: whole seconds of modification time) was
    made before the BAM was last written: its offsets may point anywhere."""
    import os
    idx = index_of(bam)
    if idx is None:
        return (f"{bam} has no index beside it (.bai/.csi). Fix: run `samtools index {bam}` (should samtools say "
                f"it is unsorted: `samtools sort -o sorted.bam {bam}`, index sorted.bam and put it in the sheet)")
    if int(os.stat(idx).st_mtime) < int(os.stat(bam).st_mtime):
        return (f"{bam} is newer than its index {idx} (the BAM was rewritten after it was indexed). Fix: run "
                f"`samtools index {bam}` (or, if the BAM was only copied after its index and is unchanged, "
                f"`touch {idx}`)")
    return None


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


HEAD = 2000   # the first reads checked (sort order, read length)


def _head(sample: str, bam: str, fasta: str | None) -> tuple[dict, str, bool, list[tuple]]:
    """The header's contigs and lengths, its sort order, whether it is a CRAM, and the first
    HEAD reads as (reference id, start, unmapped, query length): a BAM read directly
    (reads.bamhead: pysam would load its index), a CRAM (or what the direct reader cannot
    read) by pysam, whose errors are the user's messages."""
    if bamhead.is_bam(bam):
        try:
            text, names, lengths, recs = bamhead.head(bam, HEAD)
            so = bamhead.sort_order(text)
            if so is not None:
                first = [] if recs is None else list(zip(recs.refid.tolist(), recs.pos.tolist(),
                                                         ((recs.flag & 0x4) != 0).tolist(), recs.l_seq.tolist()))
                return dict(zip(names, lengths)), so, False, first
        except Exception:  # noqa: BLE001  (pysam reads it below and words what is wrong)
            pass
    with open_alignments(sample, bam, fasta) as fh:
        hdr = dict(zip(fh.references, fh.lengths))
        so = fh.header.to_dict().get("HD", {}).get("SO", "unknown")
        check_cram_decodes(sample, fh, bam, fasta)
        first = [(r.reference_id, r.reference_start, r.is_unmapped, r.query_length) for r in fh.head(HEAD)]
        return hdr, so, fh.is_cram, first


def check_bam(sample: str, bam: str, contigs: dict[str, int], genome: str,
              other_builds: dict[str, dict[str, int]], fasta: str | None = None) -> dict:
    """Check a BAM's (or CRAM's) header against the configured build; return facts about
    it (read length, sort order, the BAM's name of each contig: UCSC `chr7` or Ensembl
    `7`). Raises InputError naming what to fix."""
    if (why := index_problem(bam)) is not None:
        raise InputError(f"sample '{sample}': {why}")
    hdr, so, is_cram, first = _head(sample, bam, fasta)
    lens, n_reads, n_mapped, order = [], 0, 0, []
    for refid, pos, unmapped, qlen in first:
        n_reads += 1
        # unplaced reads (no reference) sort last
        order.append((refid if refid >= 0 else len(hdr), pos))
        if not unmapped:
            n_mapped += 1
            if qlen:
                lens.append(qlen)
    if not hdr:
        raise InputError(f"sample '{sample}': {bam} has no reference sequences (@SQ) in its header: its reads are "
                         f"not aligned. Fix: align them to {genome}, then `samtools sort` and `samtools index`")
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
    if n_reads == 0:
        raise InputError(f"sample '{sample}': {bam} holds no reads (a header only). Fix: check that the sheet's `bam` "
                         f"is the right file and that its alignment (or copy) finished; if the sample has no data, "
                         f"remove its row")
    if n_mapped == 0:
        raise InputError(f"sample '{sample}': {bam} has no aligned reads (its first {n_reads} are all unmapped). "
                         f"Fix: align the reads to {genome}, then `samtools sort` and `samtools index` the BAM")
    # CNVkit trusts the reads, not the header: a sorted BAM without SO:coordinate is accepted
    # (samtools index, which it has passed, refuses unsorted reads)
    unsorted = next((i for i in range(1, len(order)) if order[i] < order[i - 1]), None)
    if unsorted is not None or so not in ("coordinate", "unknown", "unsorted"):
        where = f" (its read {unsorted + 1} is placed before read {unsorted})" if unsorted is not None else ""
        raise InputError(f"sample '{sample}': {bam} is not coordinate-sorted (header SO:{so}){where}. Fix: "
                         f"`samtools sort -o sorted.bam {bam} && samtools index sorted.bam`, then give sorted.bam "
                         f"in the sheet's `bam` column")
    renamed = {c: b for c, b in names.items() if c != b}
    return {"sample": sample, "read_length": float(pd.Series(lens).median()) if lens else 100.0,
            "contigs_checked": len(names), "format": "CRAM" if is_cram else "BAM",
            "contig_naming": "ensembl" if renamed else "ucsc", "contig_names": renamed}


def capture_evidence(bam: str, chrom: str, start: int, end: int, tile: int, fasta: str | None = None) -> dict:
    """How a BAM's reads lie over [start, end) of `chrom` in tiles of `tile` bp: a genome
    covers every tile about evenly; capture data pile up on the probes and leave most tiles
    nearly empty. Returns the tiles, those below a tenth of the 90th percentile tile's
    reads ('sparse'), and their share."""
    import numpy as np
    n = max((end - start) // tile, 1)
    counts = np.zeros(n, dtype=np.int64)
    with open_alignments("-", bam, fasta) as fh:
        names = contig_names({chrom: 0}, dict(zip(fh.references, fh.lengths)))
        if chrom not in names:
            return {"tiles": n, "sparse": 0, "share": 0.0}
        for r in fh.fetch(names[chrom], start, end):
            i = (r.reference_start - start) // tile
            if 0 <= i < n and not r.flag & 0x704:
                counts[i] += 1
    p90 = float(np.quantile(counts, 0.9))
    sparse = int((counts < max(p90, 1.0) / 10.0).sum())
    return {"tiles": n, "sparse": sparse, "share": sparse / n}


def check_genome_mode(bams: dict[str, str], region: tuple[str, int, int], tile: int, max_sparse: float,
                      targets_given: bool, fasta: str | None = None) -> str | None:
    """Whole-genome mode on BAMs that look like capture data (most tiles of `region`, the
    IKZF1 window, nearly empty): an InputError naming `targets` when the config left it
    out; a warning (returned) when it set `targets: null` on purpose. None when the BAMs
    look like genomes. `bams`: a few samples' BAMs (name -> path)."""
    for sample, bam in bams.items():
        ev = capture_evidence(bam, *region, tile, fasta)
        if ev["share"] <= max_sparse:
            continue
        what = (f"sample '{sample}': {ev['sparse']} of the {ev['tiles']} {tile // 1000} kb tiles of "
                f"{region[0]}:{region[1] + 1:,}-{region[2]:,} (the IKZF1 window) hold under a tenth of the reads "
                f"of the busiest tiles ({ev['share']:.0%} > {max_sparse:.0%}): its reads pile up in islands, as "
                f"capture data do, not evenly as a genome's")
        if not targets_given:
            raise InputError(f"config `targets` is not set, so this run would be in whole-genome mode, but {what}. "
                             f"Fix: set `targets:` to the capture panel's BED (or exome BED); for a genome cohort "
                             f"write `targets: null` to say so")
        return f"whole-genome mode (`targets: null`) on data that look like capture: {what}"
    return None
