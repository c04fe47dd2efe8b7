"""Opening BAM and CRAM files with pysam (never downloading a CRAM's reference), and pysam
reads as batches of the columns the coverage pass reads (a CRAM, which reads.records cannot parse)."""
from __future__ import annotations

import numpy as np

from ..core.errors import InputError


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
        # check_sq=False: a header without @SQ (unaligned reads) is check_bam's to word
        return pysam.AlignmentFile(bam, "r", reference_filename=fasta, threads=max(int(threads), 1), check_sq=False)
    except (OSError, ValueError) as e:
        raise InputError(f"sample '{sample}': {bam} cannot be opened ({e}). Fix: check that it is a complete "
                         f"BAM or CRAM (a copy cut short is the commonest cause)") from e
def reference_end(r) -> int:
    """The end of a pysam read's aligned bases: its start where it has none (no CIGAR, or
    only zero-length and non-reference operations: 10H, 0M, 5H0M5H). pysam's reference_end
    is htslib's bam_endpos, which gives such a read one base (so that fetch finds it), a
    base samtools bedcov does not count (reads.records sums the CIGAR: no base)."""
    e = r.reference_end
    if e is None or (e == r.reference_start + 1
                     and not any(n for op, n in (r.cigartuples or ()) if op in (0, 2, 3, 7, 8))):
        return r.reference_start
    return e


class PysamRecords:
    """A batch of pysam reads with bamscan.Records' columns (a CRAM)."""

    def __init__(self, reads: list, names: list[str], min_clip: int):
        self.reads, self.names = reads, names
        cols = [(r.reference_id, r.reference_start, reference_end(r), r.mapping_quality, r.flag,
                 r.next_reference_id, r.template_length) for r in reads]
        a = np.array(cols, dtype=np.int64).reshape(-1, 7).T
        self.refid, self.pos, self.end, self.mapq, self.flag, self.next_refid, self.tlen = a
        self._clip = np.zeros(len(reads), dtype=bool)
        if min_clip:
            for i, r in enumerate(reads):
                ct = r.cigartuples
                if ct and ((ct[0][0] == 4 and ct[0][1] >= min_clip) or (ct[-1][0] == 4 and ct[-1][1] >= min_clip)):
                    self._clip[i] = True

    def end_clips(self, min_clip: int):
        return self._clip

    def read(self, i: int):
        return self.reads[i]


def pysam_batches(fh, min_clip: int, size: int = 100_000):
    names = list(fh.references)
    batch = []
    for r in fh.fetch(until_eof=True):
        if r.reference_id < 0:
            break  # the unplaced unmapped reads sort last
        batch.append(r)
        if len(batch) == size:
            yield PysamRecords(batch, names, min_clip)
            batch = []
    if batch:
        yield PysamRecords(batch, names, min_clip)
