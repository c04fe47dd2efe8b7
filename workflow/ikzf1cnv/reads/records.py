"""One sequential pass over a BAM, a chunk of records at a time, as numpy columns.

The coverage of a panel or exome BAM needs every read's contig, aligned span, flag and
MAPQ, and a few reads' mate fields, CIGAR ends and tags (junctions). pysam makes a Python
object of every read (2.9x the CPU of `samtools view -c` for a loop that only collects
starts and ends; docs/performance.md). Here the BGZF blocks are inflated with ISA-L's inflate
(the `isal` package, a dependency; zlib where it is missing: ~20% more CPU in all), in threads
ahead of the parsing when `threads` > 1, and the records of each chunk (4 MB compressed)
are located by one short Python loop over their lengths, then read as numpy columns:
refID, pos, MAPQ, flag, mate fields and the reference span from the CIGAR (2.0-2.3x the
floor with everything the coverage job does). The few reads that junctions need are
handed over as RawRead objects that answer what a pysam AlignedSegment would.

BAM only (the SAM/BAM specification, section 4.2, CIGARs kept in CG tags included); a
CRAM is read by pysam (reads.alignments, for reads.coverage).
"""
from __future__ import annotations

import struct

import numpy as np

from .bgzf import BamError, find_blocks, inflate, inflated_parts
from .chains import offsets, part_starts
from .rawread import RawRead

_I32 = struct.Struct("<i").unpack_from
READ_FIRST = 4096  # RegionReader: compressed bytes first read for a region (a backbone bin: a block or two)
READ_MOST = 4 << 20  # RegionReader: compressed bytes read at a time at most (a gene window of a genome)
# CIGAR operations that consume the reference (M, D, N, =, X), by op code
_REF_OP = np.array([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.int64)


def read_header(raw: bytes, path: str) -> tuple[str, list[str], list[int], int] | None:
    """The header's text, its reference names and lengths, and where the records begin in
    raw (the inflated file from its start); None if raw is too short yet."""
    if len(raw) < 12:
        return None
    if raw[:4] != b"BAM\x01":
        raise BamError(f"{path}: no BAM magic after decompression (not a BAM)")
    l_text = _I32(raw, 4)[0]
    o = 8 + l_text
    if o + 4 > len(raw):
        return None
    text = raw[8:o].split(b"\0", 1)[0].decode()
    n_ref = _I32(raw, o)[0]
    o += 4
    names, lengths = [], []
    for _ in range(n_ref):
        if o + 4 > len(raw):
            return None
        ln = _I32(raw, o)[0]
        if o + 8 + ln > len(raw):
            return None
        names.append(raw[o + 4:o + 4 + ln - 1].decode())
        lengths.append(_I32(raw, o + 4 + ln)[0])
        o += 8 + ln
    return text, names, lengths, o


def _header(raw: bytes, path: str) -> tuple[list[str], int] | None:
    """Reference names and the header's length in raw, or None if raw is too short yet."""
    hdr = read_header(raw, path)
    return None if hdr is None else (hdr[1], hdr[3])


class Records:
    """The records of one chunk as numpy columns (one entry a record, in file order)."""
    __slots__ = ("raw", "names", "off", "refid", "pos", "end", "mapq", "flag", "next_refid", "next_pos", "tlen",
                 "l_name", "n_cigar", "l_seq", "_cg")

    def __init__(self, raw: bytes, offs: list[int], names: list[str]):
        self.raw, self.names = raw, names
        off = np.asarray(offs, dtype=np.int64)
        self.off = off
        n = len(raw)
        i32 = np.ndarray((n - 3,), dtype="<i4", buffer=raw, strides=(1,))
        u32 = np.ndarray((n - 3,), dtype="<u4", buffer=raw, strides=(1,))
        self.refid = i32[off + 4]
        self.pos = i32[off + 8].astype(np.int64)
        x = u32[off + 12]
        self.l_name = (x & 0xFF).astype(np.int64)
        self.mapq = (x >> 8) & 0xFF
        x = u32[off + 16]
        self.n_cigar = (x & 0xFFFF).astype(np.int64)
        self.flag = (x >> 16).astype(np.int64)
        self.l_seq = i32[off + 20].astype(np.int64)
        self.next_refid = i32[off + 24]
        self.next_pos = i32[off + 28].astype(np.int64)
        self.tlen = i32[off + 32].astype(np.int64)
        # reference length from the CIGAR: ops of every record flattened, summed per record
        nc = self.n_cigar
        cig = off + 36 + self.l_name
        if len(off) and (nc == 1).all():
            ops = u32[cig]
            reflen = (ops >> 4).astype(np.int64) * _REF_OP[ops & 0xF]
        else:
            total = int(nc.sum())
            rec = np.repeat(np.arange(len(off)), nc)
            first = np.cumsum(nc) - nc
            at = np.repeat(cig, nc) + 4 * (np.arange(total) - np.repeat(first, nc))
            ops = u32[at]
            reflen = np.bincount(rec, weights=(ops >> 4).astype(np.int64) * _REF_OP[ops & 0xF],
                                 minlength=len(off)).astype(np.int64)
        self._cg = self._cg_placeholders(u32, cig)
        for i in self._cg:                          # their reference length from the CG tag
            reflen[i] = RawRead(raw, int(off[i]), names).reference_end - int(self.pos[i])
        self.end = self.pos + reflen

    def _cg_placeholders(self, u32, cig) -> np.ndarray:
        """Records whose CIGAR is in their CG tag (over 65,535 operations): a soft clip of the
        read's length, then an N (SAM specification 4.2.2)."""
        two = np.flatnonzero(self.n_cigar == 2)
        if not len(two):
            return two
        a, b = u32[cig[two]], u32[cig[two] + 4]
        return two[((a & 0xF) == 4) & ((a >> 4) == self.l_seq[two]) & ((b & 0xF) == 3)]

    def end_clips(self, min_clip: int) -> np.ndarray:
        """Records with a soft clip of at least min_clip bases at either end of their CIGAR:
        the only ones that can be one part of a split read (junctions.split_read_record)."""
        nc = self.n_cigar
        has = nc > 0
        out = np.zeros(len(nc), dtype=bool)
        if not has.any():
            return out
        u32 = np.ndarray((len(self.raw) - 3,), dtype="<u4", buffer=self.raw, strides=(1,))
        cig = (self.off + 36 + self.l_name)[has]
        first, last = u32[cig], u32[cig + 4 * (nc[has] - 1)]
        out[has] = ((((first & 0xF) == 4) & ((first >> 4) >= min_clip))
                    | (((last & 0xF) == 4) & ((last >> 4) >= min_clip)))
        for i in self._cg:
            ct = self.read(int(i)).cigartuples
            out[i] = (ct[0][0] == 4 and ct[0][1] >= min_clip) or (ct[-1][0] == 4 and ct[-1][1] >= min_clip)
        return out

    def read(self, i: int) -> RawRead:
        return RawRead(self.raw, int(self.off[i]), self.names)


def scan(path: str, threads: int = 1):
    """The records of a BAM a chunk at a time (Records), in one sequential pass from its
    first record to its last placed one (the unplaced unmapped reads at its end are not
    parsed). Raises BamError for a file cut short or corrupt."""
    chunks = inflated_parts(path, threads)
    buf, starts, hdr = b"", [], None
    for parts in chunks:
        starts += [len(buf) + x for x in part_starts(parts)]
        buf = b"".join([buf, *parts])
        if (hdr := _header(buf, path)) is not None:
            break
    if hdr is None:
        raise BamError(f"{path}: the file ends inside its header (truncated)")
    names, o = hdr
    starts = np.asarray(starts, dtype=np.int64)
    while True:
        offs, o = offsets(buf, o, starts)
        if len(offs):
            r = Records(buf, offs, names)
            yield r
            if r.refid[-1] < 0:
                chunks.close()
                return  # the unplaced reads (refID -1) sort last: nothing more to bin
        parts = next(chunks, None)
        if parts is None:
            if o < len(buf):
                raise BamError(f"{path}: the last record is cut short (truncated)")
            return
        tail = buf[o:]
        starts = len(tail) + np.asarray(part_starts(parts), dtype=np.int64)
        buf, o = b"".join([tail, *parts]), 0


class RegionReader:
    """Records from a virtual file offset on (found through the index by pysam), for
    whole-genome mode: each region's reads parsed as numpy columns instead of a pysam
    object each. The file stays open across regions; reads start small (a backbone bin
    holds a few hundred reads) and grow to READ_MOST for a gene window."""

    def __init__(self, path: str, names: list[str]):
        self.path, self.names = path, names
        self.fh = open(path, "rb")

    def close(self):
        self.fh.close()

    def records(self, voffset: int, tid: int, hi: int):
        """Records a chunk at a time from `voffset` (a record's start) until the first one
        past `hi` on contig `tid` (or on a later contig) or the end of the file; the caller
        masks each chunk to refid == tid and pos < hi."""
        self.fh.seek(voffset >> 16)
        skip, size, pending, buf = voffset & 0xFFFF, READ_FIRST, b"", b""
        while True:
            data = self.fh.read(size)
            size = min(size * 2, READ_MOST)
            cbuf = pending + data if pending else data
            blocks, p = find_blocks(cbuf, 0, self.path)
            pending = cbuf[p:]
            if blocks:
                buf += inflate(cbuf, blocks, self.path)
                if skip:
                    buf, skip = buf[skip:], 0
                offs, o = offsets(buf, 0)
                if len(offs):
                    r = Records(buf, offs, self.names)
                    yield r
                    if r.refid[-1] != tid or r.pos[-1] >= hi:
                        return
                buf = buf[o:]
            if not data:
                if pending or buf:
                    raise BamError(f"{self.path}: the last record is cut short (truncated)")
                return
