"""Planning the per-sample jobs: batches of samples (one job reads many BAMs) and the
threads each coverage batch may use."""
from __future__ import annotations


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


def coverage_threads(cores, n_batches: int, most: int = 4) -> int:
    """Threads for each coverage batch: the cores shared out among the batches, 1 to `most`
    (a BAM's pass uses no more than ~3: inflating ahead while one thread parses).
    `cores`: Snakemake's --cores (None or a non-number in a dry run: 1)."""
    try:
        c = int(cores)
    except (TypeError, ValueError):
        return 1
    return max(1, min(most, c // max(n_batches, 1)))
