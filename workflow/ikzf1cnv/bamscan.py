"""One sequential pass over a BAM, a chunk of records at a time, as numpy columns.

The coverage of a panel or exome BAM needs every read's contig, aligned span, flag and
MAPQ, and a few reads' mate fields, CIGAR ends and tags (junctions). pysam makes a Python
object of every read (2.9x the CPU of `samtools view -c` for a loop that only collects
starts and ends; docs/performance.md). Here the BGZF blocks are inflated with zlib (or
ISA-L's inflate when the `isal` package is installed: ~15% less CPU in all), in threads
ahead of the parsing when `threads` > 1, and the records of each chunk (4 MB compressed)
are located by one short Python loop over their lengths, then read as numpy columns:
refID, pos, MAPQ, flag, mate fields and the reference span from the CIGAR (2.0-2.3x the
floor with everything the coverage job does). The few reads that junctions need are
handed over as RawRead objects that answer what a pysam AlignedSegment would.

BAM only (the SAM/BAM specification, section 4.2, CIGARs kept in CG tags included); a
CRAM is read by pysam (cnv.bin_coverages does so).
"""
from __future__ import annotations

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

try:  # ISA-L's inflate, where installed (a pip wheel): the same bytes out, 2-3x faster
    from isal import isal_zlib as _z
except ImportError:  # pragma: no cover - depends on the environment
    _z = zlib

INFLATE = "isal" if _z is not zlib else "zlib"
_GZ_MAGIC = b"\x1f\x8b\x08\x04"
_U16 = struct.Struct("<H").unpack_from
_I32 = struct.Struct("<i").unpack_from
_U32 = struct.Struct("<I").unpack_from
CHUNK = 4 << 20  # compressed bytes read at a time
READ_FIRST = 4096  # RegionReader: compressed bytes first read for a region (a backbone bin: a block or two)
# CIGAR operations that consume the reference (M, D, N, =, X), by op code
_REF_OP = np.array([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.int64)
# struct formats of the BAM tag value types (SAM specification 4.2.4)
_AUX_FMT = {"A": "c", "c": "b", "C": "B", "s": "h", "S": "H", "i": "i", "I": "I", "f": "f"}


class BamError(OSError):
    """A BAM that cannot be read to its end (truncated or corrupt)."""


def _blocks(buf: bytes, p: int, path: str) -> tuple[list[tuple[int, int, int]], int]:
    """The complete BGZF blocks of buf from offset p: (deflate data start, end, inflated
    size), and the offset of the first incomplete block."""
    out = []
    n = len(buf)
    while p + 18 <= n:
        if buf[p:p + 4] != _GZ_MAGIC:
            raise BamError(f"{path}: not a BGZF block at compressed offset {p} (corrupt, or not a BAM)")
        xlen = _U16(buf, p + 10)[0]
        if xlen == 6 and buf[p + 12:p + 14] == b"BC":
            bsize = _U16(buf, p + 16)[0] + 1
        else:
            q, bsize = p + 12, None
            while q + 4 <= p + 12 + xlen:
                slen = _U16(buf, q + 2)[0]
                if buf[q:q + 2] == b"BC" and slen == 2:
                    bsize = _U16(buf, q + 4)[0] + 1
                q += 4 + slen
            if bsize is None:
                raise BamError(f"{path}: a gzip block without BGZF's block size (not a BAM)")
        if p + bsize > n:
            break
        out.append((p + 12 + xlen, p + bsize - 8, _U32(buf, p + bsize - 4)[0]))
        p += bsize
    return out, p


def _inflate(buf: bytes, blocks: list[tuple[int, int, int]], path: str) -> bytes:
    parts = []
    mv = memoryview(buf)
    for a, b, isize in blocks:
        try:
            raw = _z.decompress(mv[a:b], -15, isize or 1)
        except Exception as e:  # zlib.error / isal error: a damaged block
            raise BamError(f"{path}: a BGZF block does not inflate (corrupt: {e})") from e
        if len(raw) != isize:
            raise BamError(f"{path}: a BGZF block inflates to {len(raw)} bytes, not {isize} (corrupt)")
        parts.append(raw)
    return b"".join(parts)


def inflated_chunks(path: str, threads: int = 1, chunk: int = CHUNK):
    """The BAM's decompressed bytes, a chunk at a time. With threads > 1 the next chunks are
    inflated in threads (zlib and ISA-L release the GIL) while the caller parses this one.
    Raises BamError where the file ends inside a block (a copy cut short)."""
    ex = ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        with open(path, "rb") as fh:
            pending = b""
            queue = []
            while True:
                data = fh.read(chunk)
                buf = pending + data if pending else data
                blocks, p = _blocks(buf, 0, path)
                pending = buf[p:]
                if ex is None:
                    if blocks:
                        yield _inflate(buf, blocks, path)
                else:
                    k = max(1, len(blocks) // threads)
                    queue.append([ex.submit(_inflate, buf, blocks[i:i + k], path) for i in range(0, len(blocks), k)])
                    while len(queue) > 1:
                        yield b"".join(f.result() for f in queue.pop(0))
                if not data:
                    break
            for fs in queue:
                yield b"".join(f.result() for f in fs)
            if pending:
                raise BamError(f"{path}: the file ends inside a BGZF block (truncated)")
    finally:
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)


def _header(raw: bytes, path: str) -> tuple[list[str], int] | None:
    """Reference names and the header's length in raw, or None if raw is too short yet."""
    if len(raw) < 12:
        return None
    if raw[:4] != b"BAM\x01":
        raise BamError(f"{path}: no BAM magic after decompression (not a BAM)")
    o = 8 + _I32(raw, 4)[0]
    if o + 4 > len(raw):
        return None
    n_ref = _I32(raw, o)[0]
    o += 4
    names = []
    for _ in range(n_ref):
        if o + 4 > len(raw):
            return None
        ln = _I32(raw, o)[0]
        if o + 8 + ln > len(raw):
            return None
        names.append(raw[o + 4:o + 4 + ln - 1].decode())
        o += 8 + ln
    return names, o


def _offsets(raw: bytes, o: int) -> tuple[list[int], int]:
    """Start offsets of the complete records of raw from o (each begins with its length),
    and where the first incomplete one begins."""
    offs = []
    ap = offs.append
    n = len(raw)
    i32 = _I32
    while o + 4 <= n:
        nxt = o + 4 + i32(raw, o)[0]
        if nxt > n:
            break
        ap(o)
        o = nxt
    return offs, o


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
    chunks = inflated_chunks(path, threads, CHUNK)
    buf, hdr = b"", None
    for c in chunks:
        buf += c
        if (hdr := _header(buf, path)) is not None:
            break
    if hdr is None:
        raise BamError(f"{path}: the file ends inside its header (truncated)")
    names, o = hdr
    while True:
        offs, o = _offsets(buf, o)
        if offs:
            r = Records(buf, offs, names)
            yield r
            if r.refid[-1] < 0:
                chunks.close()
                return  # the unplaced reads (refID -1) sort last: nothing more to bin
        c = next(chunks, None)
        if c is None:
            if o < len(buf):
                raise BamError(f"{path}: the last record is cut short (truncated)")
            return
        buf, o = buf[o:] + c, 0


class RegionReader:
    """Records from a virtual file offset on (found through the index by pysam), for
    whole-genome mode: each region's reads parsed as numpy columns instead of a pysam
    object each. The file stays open across regions; reads start small (a backbone bin
    holds a few hundred reads) and grow to CHUNK for a gene window."""

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
        skip, size, pending, buf = voffset & 0xFFFF, min(READ_FIRST, CHUNK), b"", b""
        while True:
            data = self.fh.read(size)
            size = min(size * 2, CHUNK)
            cbuf = pending + data if pending else data
            blocks, p = _blocks(cbuf, 0, self.path)
            pending = cbuf[p:]
            if blocks:
                buf += _inflate(cbuf, blocks, self.path)
                if skip:
                    buf, skip = buf[skip:], 0
                offs, o = _offsets(buf, 0)
                if offs:
                    r = Records(buf, offs, self.names)
                    yield r
                    if r.refid[-1] != tid or r.pos[-1] >= hi:
                        return
                buf = buf[o:]
            if not data:
                if pending or buf:
                    raise BamError(f"{self.path}: the last record is cut short (truncated)")
                return


class RawRead:
    """One record of a chunk with the attributes of a pysam AlignedSegment that
    junctions.JunctionReads reads (parsed on demand)."""
    __slots__ = ("_raw", "_o", "_names", "_tags")

    def __init__(self, raw: bytes, o: int, names: list[str]):
        self._raw, self._o, self._names, self._tags = raw, o, names, None

    def _i32(self, k: int) -> int:
        return _I32(self._raw, self._o + k)[0]

    @property
    def flag(self) -> int:
        return _U16(self._raw, self._o + 18)[0]

    @property
    def reference_id(self) -> int:
        return self._i32(4)

    @property
    def reference_start(self) -> int:
        return self._i32(8)

    @property
    def mapping_quality(self) -> int:
        return self._raw[self._o + 13]

    @property
    def next_reference_id(self) -> int:
        return self._i32(24)

    @property
    def next_reference_start(self) -> int:
        return self._i32(28)

    @property
    def template_length(self) -> int:
        return self._i32(32)

    @property
    def is_reverse(self) -> bool:
        return bool(self.flag & 0x10)

    @property
    def mate_is_reverse(self) -> bool:
        return bool(self.flag & 0x20)

    @property
    def query_name(self) -> str:
        ln = self._raw[self._o + 12]
        return self._raw[self._o + 36:self._o + 36 + ln - 1].decode()

    @property
    def query_length(self) -> int:
        return self._i32(20)

    @property
    def cigartuples(self) -> list[tuple[int, int]]:
        o = self._o + 36 + self._raw[self._o + 12]
        n = _U16(self._raw, self._o + 16)[0]
        vals = struct.unpack_from(f"<{n}I", self._raw, o)
        if n == 2 and vals[0] & 0xF == 4 and vals[0] >> 4 == self.query_length and vals[1] & 0xF == 3:
            vals = self.get_tag("CG")  # the real CIGAR of a long read (SAM specification 4.2.2)
        return [(v & 0xF, v >> 4) for v in vals]

    @property
    def reference_end(self) -> int:
        return self.reference_start + sum(n for op, n in self.cigartuples if op in (0, 2, 3, 7, 8))

    def _aux(self) -> dict:
        if self._tags is None:
            raw, o = self._raw, self._o
            l_seq = self._i32(20)
            p = o + 36 + raw[o + 12] + 4 * _U16(raw, o + 16)[0] + (l_seq + 1) // 2 + l_seq
            end = o + 4 + self._i32(0)
            self._tags = {}
            while p + 3 <= end:
                key, t = raw[p:p + 2].decode(), chr(raw[p + 2])
                p += 3
                if t in "ZH":
                    z = raw.index(b"\0", p, end)
                    self._tags[key] = raw[p:z].decode()
                    p = z + 1
                elif t == "B":
                    sub, cnt = _AUX_FMT[chr(raw[p])], _I32(raw, p + 1)[0]
                    self._tags[key] = list(struct.unpack_from(f"<{cnt}{sub}", raw, p + 5))
                    p += 5 + cnt * struct.calcsize("<" + sub)
                else:
                    fmt = _AUX_FMT[t]
                    v = struct.unpack_from("<" + fmt, raw, p)[0]
                    self._tags[key] = v.decode() if t == "A" else v
                    p += struct.calcsize(fmt)
        return self._tags

    def has_tag(self, tag: str) -> bool:
        return tag in self._aux()

    def get_tag(self, tag: str):
        return self._aux()[tag]
