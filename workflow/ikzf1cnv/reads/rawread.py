"""One BAM record read on demand, with the attributes of a pysam AlignedSegment that the
junction collector (reads.junction_reads) reads: the few reads of a pass that can be part
of a junction are handed over this way instead of as numpy columns."""
from __future__ import annotations

import struct

_U16 = struct.Struct("<H").unpack_from
_I32 = struct.Struct("<i").unpack_from
# struct formats of the BAM tag value types (SAM specification 4.2.4)
_AUX_FMT = {"A": "c", "c": "b", "C": "B", "s": "h", "S": "H", "i": "i", "I": "I", "f": "f"}


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
