"""BGZF, the block gzip of BAM files: blocks located and inflated a chunk of the file at a
time, with ISA-L's inflate (the `isal` package, a dependency: the same bytes out as zlib,
~20% less CPU for a whole coverage pass: docs/performance.md; zlib where it is missing),
in threads ahead of the reader when it has cores to spare."""
from __future__ import annotations

import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

try:  # ISA-L's inflate (a dependency, pip wheels): the same bytes out, 2-3x faster
    from isal import isal_zlib as _z
except ImportError:  # pragma: no cover - an environment without it: zlib
    _z = zlib

INFLATE = "isal" if _z is not zlib else "zlib"
GZ_MAGIC = b"\x1f\x8b\x08\x04"   # a BGZF block (gzip with the BC extra field) begins so
_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from
CHUNK = 256 << 10     # compressed bytes read at a time
INFLATED = 16 << 20   # inflated bytes parsed at a time (~250 blocks; small enough for malloc to reuse the buffers)


class BamError(OSError):
    """A BAM that cannot be read to its end (truncated or corrupt)."""


def find_blocks(buf: bytes, p: int, path: str) -> tuple[list[tuple[int, int, int]], int]:
    """The complete BGZF blocks of buf from offset p: (deflate data start, end, inflated
    size), and the offset of the first incomplete block."""
    out = []
    n = len(buf)
    while p + 18 <= n:
        if buf[p:p + 4] != GZ_MAGIC:
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


def inflate_parts(buf: bytes, blocks: list[tuple[int, int, int]], path: str) -> list[bytes]:
    """Each block's inflated bytes."""
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
    return parts


def inflate(buf: bytes, blocks: list[tuple[int, int, int]], path: str) -> bytes:
    return b"".join(inflate_parts(buf, blocks, path))


def _block_groups(path: str, chunk: int, target: int):
    """The file's blocks, read `chunk` compressed bytes at a time, in groups that inflate to
    at least `target` bytes (the last may be smaller): a list of (compressed buffer, its
    complete blocks) per group. Raises BamError where the file ends inside a block."""
    with open(path, "rb") as fh:
        pending, group, size = b"", [], 0
        while True:
            data = fh.read(chunk)
            buf = pending + data if pending else data
            blocks, p = find_blocks(buf, 0, path)
            pending = buf[p:]
            if blocks:
                group.append((buf, blocks))
                size += sum(b[2] for b in blocks)
            if group and (size >= target or not data):
                yield group
                group, size = [], 0
            if not data:
                break
        if pending:
            raise BamError(f"{path}: the file ends inside a BGZF block (truncated)")


def inflated_parts(path: str, threads: int = 1, chunk: int | None = None, target: int | None = None):
    """The BAM's blocks inflated, about `target` inflated bytes at a time (INFLATED: a
    chunk's buffers stay small enough for malloc to reuse, and hold ~250 blocks): a list of
    each block's bytes (htslib begins a record at a block's start where it fits: reads.records
    uses them). With threads > 1 the next chunks are inflated in threads (zlib and ISA-L
    release the GIL) while the caller parses this one. Raises BamError where the file ends
    inside a block (a copy cut short)."""
    groups = _block_groups(path, chunk or CHUNK, target or INFLATED)
    if threads <= 1:
        for group in groups:
            yield [part for buf, blocks in group for part in inflate_parts(buf, blocks, path)]
        return
    ex = ThreadPoolExecutor(threads)
    try:
        queue = []
        for group in groups:
            queue.append([ex.submit(inflate_parts, buf, blocks, path) for buf, blocks in group])
            while len(queue) > 1:
                yield [part for f in queue.pop(0) for part in f.result()]
        for fs in queue:
            yield [part for f in fs for part in f.result()]
    finally:
        ex.shutdown(wait=False, cancel_futures=True)


def inflated_chunks(path: str, threads: int = 1, chunk: int | None = None):
    """The BAM's decompressed bytes, a chunk at a time (inflated_parts, joined)."""
    for parts in inflated_parts(path, threads, chunk):
        yield b"".join(parts)
