"""Where a chunk's BAM records begin: each record begins with its length, so the records
are a chain from the first; htslib begins a BGZF block with a record where one fits, so
the chains from every block start can be followed side by side (reads.records)."""
from __future__ import annotations

import struct

import numpy as np

from .bgzf import BamError

_I32 = struct.Struct("<i").unpack_from
MIN_RECORD = 33   # a record's fixed fields after its length and a name of at least its NUL: no record is shorter


def offsets_loop(raw: bytes, o: int, end: int, stop: int | None = None) -> tuple[list[int], int]:
    """Start offsets of the complete records of raw[:end] from o (each begins with its
    length), one at a time while o < stop (default: end); and where it stopped (at or past
    stop, or where the first incomplete record begins). A length no record can have is a
    BamError (a corrupt file)."""
    stop = end if stop is None else stop
    offs = []
    ap = offs.append
    i32 = _I32
    while o < stop and o + 4 <= end:
        size = i32(raw, o)[0]
        if size < MIN_RECORD:
            raise BamError(f"a BAM record of length {size} (corrupt)")
        nxt = o + 4 + size
        if nxt > end:
            break
        ap(o)
        o = nxt
    return offs, o


def chains(raw: bytes, heads: np.ndarray, bounds: np.ndarray):
    """Follow every chain of record lengths side by side, one numpy step a record: chain j
    from heads[j] until a record ends at or past bounds[j] (landing: its end), or the next
    is incomplete (landing: its start) or impossibly short (landing -1). Returns the
    offsets chain by chain (each in order), where each chain's begin, their counts and
    landings."""
    n = len(raw)
    lim = n - 4
    i32 = np.ndarray((max(n - 3, 0),), dtype="<i4", buffer=raw, strides=(1,))
    k = len(heads)
    landing = np.full(k, -1, dtype=np.int64)
    steps = []
    act, p, bnd = np.arange(k), heads.astype(np.int64), bounds.astype(np.int64)
    while len(act):
        size = i32[np.minimum(p, lim)]
        nxt = p + 4 + size
        ok = (p <= lim) & (size >= MIN_RECORD) & (nxt <= n)     # a complete record
        go = ok & (nxt < bnd)
        if ok.all():
            steps.append((act, p))
        else:
            steps.append((act[ok], p[ok]))
        if not go.all():      # chains that end here: past their bound, or at an incomplete (or bad) record
            end = ~go
            a, q, nx, o = act[end], p[end], nxt[end], ok[end]
            landing[a] = np.where(o, nx, np.where((q > lim) | (size[end] >= MIN_RECORD), q, -1))
            act, p, bnd = act[go], nxt[go], bnd[go]
        else:
            p = nxt
    count = np.zeros(k, dtype=np.int64)
    for a, _ in steps:
        count[a] += 1
    first = np.cumsum(count) - count
    pos = np.empty(int(count.sum()), dtype=np.int64)
    for t, (a, q) in enumerate(steps):                # record t of chain j goes to first[j] + t
        pos[first[a] + t] = q
    return pos, first, count, landing


def offsets(raw: bytes, o: int, starts: np.ndarray | None = None) -> tuple[list[int] | np.ndarray, int]:
    """Start offsets of the complete records of raw from o (each begins with its length),
    and where the first incomplete one begins.

    `starts`: where raw's BGZF blocks begin. htslib (samtools, pysam and the aligners that
    write through it) begins a new block rather than split a record that fits in one, so
    most blocks begin with a record: the chains of lengths from every block start are
    followed side by side (chains: a numpy step per record of a block instead of a Python
    step per record of the chunk). A chain is taken only from where the chain before it
    landed exactly, so the offsets are the one chain from o (the loop's); past a block start
    that begins no record (a record split across blocks, as other writers do), the loop goes
    on one record at a time to the next block start it lands on."""
    n = len(raw)
    cand = np.asarray(starts, dtype=np.int64) if starts is not None else np.zeros(0, dtype=np.int64)
    cand = cand[(cand > o) & (cand + 4 <= n)]
    if len(cand) < 4:
        return offsets_loop(raw, o, n)
    heads = np.r_[o, cand]
    bounds = np.r_[cand, n]
    pos, first, count, landing = chains(raw, heads, bounds)
    parts, cur = [], o
    while cur + 4 <= n:
        j = int(np.searchsorted(heads, cur))
        if j < len(heads) and heads[j] == cur and landing[j] >= 0:
            parts.append(pos[first[j]:first[j] + count[j]])
            cur = int(landing[j])
            if cur < bounds[j]:       # an incomplete record (or the end)
                break
            continue
        k = int(np.searchsorted(heads, cur, side="right"))
        stop = int(heads[k]) if k < len(heads) else n
        offs, new = offsets_loop(raw, cur, n, stop)
        parts.append(np.asarray(offs, dtype=np.int64))
        cur = new
        if new < stop:
            break
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)), cur


def part_starts(parts: list[bytes]) -> list[int]:
    """Where each part begins in the parts joined."""
    out, at = [], 0
    for p in parts:
        out.append(at)
        at += len(p)
    return out
