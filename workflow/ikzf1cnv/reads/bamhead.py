"""A BAM's header and first records read directly (inputs.bam checks them): pysam loads the
index when it opens a BAM (~17 ms for a panel BAM's CSI), and the sequential pass needs
only the header's contig names."""
from __future__ import annotations

from .bgzf import GZ_MAGIC, BamError, inflated_parts
from .chains import offsets_loop
from .records import Records, read_header


def is_bam(path: str) -> bool:
    """A BGZF file (a BAM; pysam reads CRAM and anything else)."""
    with open(path, "rb") as fh:
        return fh.read(4) == GZ_MAGIC


def head(path: str, n: int) -> tuple[str, list[str], list[int], Records | None]:
    """A BAM's header (text, reference names, lengths) and its first n records (all of them
    in a smaller file; None without records), inflating only what they need."""
    buf, hdr, offs = b"", None, []
    for parts in inflated_parts(path, 1, target=1 << 20):
        buf = b"".join([buf, *parts])
        hdr = hdr or read_header(buf, path)
        if hdr is not None:
            offs, _ = offsets_loop(buf, hdr[3], len(buf))
            if len(offs) >= n:
                break
    if hdr is None:
        raise BamError(f"{path}: the file ends inside its header (truncated)")
    text, names, lengths, _ = hdr
    return text, names, lengths, Records(buf, offs[:n], names) if offs else None


def sort_order(text: str) -> str | None:
    """The @HD line's SO, 'unknown' without one; None where the text is not plain (several
    @HD lines, carriage returns): pysam then reads the header."""
    hd = [line for line in text.split("\n") if line.startswith("@HD")]
    if len(hd) > 1 or "\r" in text:
        return None
    tags = dict(f.partition(":")[::2] for f in hd[0].split("\t")[1:]) if hd else {}
    return tags.get("SO", "unknown")
