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
_GZ_MAGIC = b"\x1f\x8b\x08\x04"
_U16 = struct.Struct("<H").unpack_from
_U32 = struct.Struct("<I").unpack_from
CHUNK = 4 << 20  # compressed bytes read at a time


class BamError(OSError):
    """A BAM that cannot be read to its end (truncated or corrupt)."""


def find_blocks(buf: bytes, p: int, path: str) -> tuple[list[tuple[int, int, int]], int]:
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


def inflate(buf: bytes, blocks: list[tuple[int, int, int]], path: str) -> bytes:
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
                blocks, p = find_blocks(buf, 0, path)
                pending = buf[p:]
                if ex is None:
                    if blocks:
                        yield inflate(buf, blocks, path)
                else:
                    k = max(1, len(blocks) // threads)
                    queue.append([ex.submit(inflate, buf, blocks[i:i + k], path) for i in range(0, len(blocks), k)])
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
