"""Deterministic simulation of panel BAMs with known copy-number truth.

Used to build the bundled toy cohort (scripts/make_toy_cohort.py). The model:
  * a capture panel: every annotated exon unit (clipped to `max_target` bp, as panels
    often capture only part of long UTR exons) plus evenly spaced backbone targets on
    every chromosome;
  * reads start uniformly over each target padded by one read length; the expected count
    is depth x capture efficiency (per target, shared by all samples) x a GC-like bias
    whose slope differs by sample x gamma overdispersion x copy number / 2;
  * off-target reads at a low uniform rate, scaled by copy number;
  * copy number = germline (2; chrX 1 in males outside PAR1) + sum over events of
    copies x cell fraction (blast fraction x fraction of blasts carrying the event).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

READ_SEQ_UNIT = "ACGT"


@dataclass(frozen=True)
class Event:
    chrom: str
    start: int  # 0-based half-open
    end: int
    copies: int  # -1 loss of one copy, -2 both, +1 gain
    fraction: float  # of all cells


def seed_of(name: str, base: int) -> int:
    return (zlib.crc32(name.encode()) + base) % (2 ** 32)


def germline_cn(chrom: str, pos: np.ndarray, sex: str, par1: tuple[str, int, int]) -> np.ndarray:
    cn = np.full(len(pos), 2.0)
    if chrom == "chrX" and sex == "male":
        inpar = (pos >= par1[1] - 1) & (pos < par1[2])
        cn[~inpar] = 1.0
    if chrom == "chrY":
        cn[:] = 1.0 if sex == "male" else 0.0
    return cn


def copy_number(chrom: str, pos: np.ndarray, sex: str, par1, events: list[Event]) -> np.ndarray:
    cn = germline_cn(chrom, pos, sex, par1)
    for ev in events:
        if ev.chrom == chrom:
            hit = (pos >= ev.start) & (pos < ev.end)
            cn[hit] += ev.copies * ev.fraction
    return np.maximum(cn, 0.0)


def simulate_reads(panel: pd.DataFrame, contigs: dict[str, int], sex: str, par1, events: list[Event],
                   depth: float, seed: int, read_length: int, capture_seed: int,
                   gc_slope_sd: float = 0.3, overdispersion_cv: float = 0.05,
                   offtarget_per_mb: float = 4.0, lowmapq_rate: float = 0.0) -> dict[str, np.ndarray]:
    """Sorted read start positions (0-based) per chromosome. With lowmapq_rate > 0, that
    fraction of extra reads is spread over the targets regardless of copy number (reads
    mis-placed from paralogues); write_bam gives them MAPQ 0-5 (they are returned as
    negative positions, -1 - pos, so that one array carries both kinds)."""
    cap = np.random.default_rng(capture_seed)
    eff = np.exp(cap.normal(0.0, 0.3, len(panel)))          # capture efficiency per target
    gcl = cap.uniform(-1.0, 1.0, len(panel))                  # GC-like covariate per target
    rng = np.random.default_rng(seed)
    slope = rng.normal(0.0, gc_slope_sd)
    shape = 1.0 / overdispersion_cv ** 2
    od = rng.gamma(shape, 1.0 / shape, len(panel))
    out: dict[str, list[np.ndarray]] = {c: [] for c in contigs}
    s = panel["start"].to_numpy()
    e = panel["end"].to_numpy()
    mids = (s + e) // 2
    for c in panel["chrom"].unique():
        idx = np.flatnonzero(panel["chrom"].to_numpy() == c)
        cn = copy_number(c, mids[idx], sex, par1, events)
        lam = depth * (e[idx] - s[idx] + read_length) / read_length * eff[idx] * np.exp(slope * gcl[idx]) \
            * od[idx] * cn / 2.0
        n = rng.poisson(lam)
        for j, k in zip(idx, n):
            if k:
                out[c].append(rng.integers(max(s[j] - read_length + 1, 0), e[j], k))
    if lowmapq_rate > 0:
        total = sum(len(x) for v in out.values() for x in v)
        k = rng.poisson(lowmapq_rate * total)
        tj = rng.integers(0, len(panel), k)
        for c in panel["chrom"].unique():
            sel = tj[panel["chrom"].to_numpy()[tj] == c]
            if len(sel):
                out[c].append(-1 - rng.integers(s[sel], e[sel]))
    for c, L in contigs.items():
        k = rng.poisson(offtarget_per_mb * L / 1e6)
        if k:
            pos = rng.integers(0, L - read_length, k)
            keep = rng.random(k) < copy_number(c, pos, sex, par1, events) / 2.0
            out[c].append(pos[keep])
    return {c: np.concatenate(v)[np.argsort(np.abs(np.concatenate(v) + 0.5), kind="stable")] if v
            else np.zeros(0, dtype=np.int64) for c, v in out.items()}


def write_bam(path: str, sample: str, contigs: dict[str, int], reads: dict[str, np.ndarray],
              read_length: int, seed: int, dup_rate: float = 0.0) -> int:
    """Write a coordinate-sorted, CSI-indexed BAM of unpaired reads; returns the read count."""
    import pysam

    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": c, "LN": L} for c, L in contigs.items()],
              "RG": [{"ID": sample, "SM": sample, "PL": "ILLUMINA"}],
              "PG": [{"ID": "ikzf1cnv-simulate", "PN": "ikzf1cnv.simulate"}]}
    seq = (READ_SEQ_UNIT * (read_length // len(READ_SEQ_UNIT) + 1))[:read_length]
    rng = np.random.default_rng(seed)
    n = 0
    with pysam.AlignmentFile(path, "wb", header=header) as bam:
        for tid, c in enumerate(contigs):
            pos = reads.get(c)
            if pos is None or not len(pos):
                continue
            rev = rng.random(len(pos)) < 0.5
            dup = rng.random(len(pos)) < dup_rate if dup_rate > 0 else np.zeros(len(pos), bool)
            mq = np.where(pos < 0, rng.integers(0, 6, len(pos)), 60) if (pos < 0).any() else np.full(len(pos), 60)
            start = np.where(pos < 0, -1 - pos, pos)
            for p, r, d, q in zip(start.tolist(), rev.tolist(), dup.tolist(), mq.tolist()):
                for copy in range(2 if d else 1):
                    a = pysam.AlignedSegment(bam.header)
                    a.query_name = f"{n:x}"
                    a.flag = (16 if r else 0) | (1024 if copy else 0)  # the copy: a marked duplicate
                    a.reference_id = tid
                    a.reference_start = p
                    a.mapping_quality = q
                    a.cigartuples = [(0, read_length)]
                    a.query_sequence = seq
                    a.set_tag("RG", sample)
                    bam.write(a)
                    n += 1
    pysam.index("-c", path)  # CSI: a few kB, where a BAI of a sparse hg38 BAM is 1.7 MB
    return n


# ------------------------------------------------------------------ event geometry
def _ordered(units: pd.DataFrame, gene: str) -> pd.DataFrame:
    u = units[units["gene"] == gene].copy()
    u["_n"] = range(len(u))
    return u  # exons.tsv lists units in transcription order


def exon_event(units: pd.DataFrame, gene: str, first: int, last: int, copies: int, fraction: float,
               extend: int = 0, rng: np.random.Generator | None = None) -> Event:
    """A deletion of exon units first..last (transcription order) with breakpoints inside
    the flanking introns: in their middle, or with `rng` drawn uniformly over 10-90% of
    their length. At the gene's ends it reaches `extend` bp (at least 2 kb) beyond the gene."""
    u = _ordered(units, gene).reset_index(drop=True)
    sel = u.iloc[first - 1:last]
    lo, hi = int(sel["start"].min()) - 1, int(sel["end"].max())
    gs, ge = int(u["start"].min()) - 1, int(u["end"].max())
    margin = max(extend, 2000)
    # genomic neighbours of the selected block
    left = u[u["end"] < lo + 1]["end"].max()
    right = u[u["start"] > hi]["start"].min()
    t1, t2 = (0.5, 0.5) if rng is None else (rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9))
    start = int(left) + int((lo - int(left)) * t1) if pd.notna(left) else gs - margin
    end = hi + int((int(right) - 1 - hi) * t2) if pd.notna(right) else ge + margin
    return Event(str(sel["chrom"].iloc[0]), start, end, copies, fraction)


def par1_event(units: pd.DataFrame, copies: int, fraction: float) -> Event:
    """P2RY8-CRLF2: from P2RY8's first intron to between CRLF2 and CSF2RA (CRLF2 kept)."""
    p = _ordered(units, "P2RY8").reset_index(drop=True)
    crlf2_end = int(units[units["gene"] == "CRLF2"]["end"].max())
    csf2ra_start = int(units[units["gene"] == "CSF2RA"]["start"].min())
    start = (crlf2_end + csf2ra_start) // 2
    end = (int(p.iloc[1]["end"]) + int(p.iloc[0]["start"])) // 2
    return Event("chrX", start, end, copies, fraction)


def chromosome_event(contigs: dict[str, int], chrom: str, copies: int, fraction: float) -> Event:
    return Event(chrom, 0, contigs[chrom], copies, fraction)


def monosomy_event(contigs: dict[str, int], chrom: str, fraction: float) -> Event:
    return Event(chrom, 0, contigs[chrom], -1, fraction)


def events_from_spec(spec: dict, units: pd.DataFrame, contigs: dict[str, int], blast: float,
                     rng: np.random.Generator | None = None) -> list[Event]:
    """Events of a sample spec (the toy cohort's YAML form). Gene events take exon units
    first..last in transcription order; `fraction` is of the blasts."""
    out = []
    for ev in spec.get("events") or []:
        f = blast * ev.get("fraction", 1.0)
        if "gene" in ev:
            a, b = ev["exons"]
            out.append(exon_event(units, ev["gene"], a, b, ev["copies"], f, ev.get("extend", 0), rng))
        elif ev.get("par1"):
            out.append(par1_event(units, ev["copies"], f))
        elif ev.get("monosomy"):
            out.append(monosomy_event(contigs, ev["monosomy"], f))
        else:
            out.append(chromosome_event(contigs, ev["chrom"], ev["copies"], f))
    return out


def copies_lost(units: pd.DataFrame, gene: str, events: list[Event]) -> list[int]:
    """Copies lost (in the affected cells) at each exon unit of a gene, from the geometry."""
    out = []
    for u in units[units["gene"] == gene].itertuples(index=False):
        mid = (int(u.start) + int(u.end)) // 2
        out.append(-sum(ev.copies for ev in events if ev.chrom == u.chrom and ev.start <= mid < ev.end
                        and ev.copies < 0))
    return out


def gene_truth(units: pd.DataFrame, events: list[Event]) -> dict:
    """Each gene's level and the IKZF1 exon sets as the event geometry dictates
    (independent of the caller)."""
    lv = {}
    for g in ("CDKN2A", "CDKN2B"):
        k = copies_lost(units, g, events)
        lv[g] = "hom" if max(k) >= 2 else ("het" if max(k) >= 1 else "none")
    k = copies_lost(units, "PAX5", events)
    lv["PAX5"] = "whole" if min(k) >= 1 else ("partial" if max(k) >= 1 else "none")
    for g in ("ERG", "EBF1", "ETV6", "BTG1", "RB1"):
        lv[g] = "deleted" if max(copies_lost(units, g, events)) >= 1 else "none"
    par = all(sum(x >= 1 for x in copies_lost(units, g, events)) * 2 >= len(copies_lost(units, g, events))
              for g in ("CSF2RA", "IL3RA")) and max(copies_lost(units, "CRLF2", events)) == 0
    lv["PAR1"] = "deleted" if par else "none"
    ik = units[units["gene"] == "IKZF1"]["exon"].astype(int).tolist()
    k = copies_lost(units, "IKZF1", events)
    lv["ikzf1_lost"] = [e for e, x in zip(ik, k) if x >= 1]
    lv["ikzf1_biallelic"] = [e for e, x in zip(ik, k) if x >= 2]
    return lv


# ------------------------------------------------------------------ random cohorts (benchmark)
# Deletion types among IKZF1-deleted BCP-ALL (Boer 2016; resources/deletion_types.tsv).
IKZF1_TYPES = [((4, 7), 0.37), ((1, 8), 0.30), ((2, 7), 0.08), ((4, 8), 0.066), ((2, 3), 0.063),
               ((2, 8), 0.036), (None, 0.085)]
SUBTYPES = ["B-other", "Ph+", "Ph-like", "ETV6-RUNX1", "hyperdiploid"]
GAINS = ["chr4", "chr6", "chr10", "chr14", "chr17", "chr18", "chr21", "chr21", "chrX"]


def _pick(rng, items):
    p = np.array([w for _, w in items], dtype=float)
    return items[int(rng.choice(len(items), p=p / p.sum()))][0]


def random_tumour(name: str, rng: np.random.Generator, rates: dict, blast_range=(0.1, 0.95),
                  depths=(50, 100, 200, 500, 1000)) -> dict:
    """A random tumour spec (same form as the toy cohort's) with literature-like rates.
    `rates`: probabilities of each event (keys: ikzf1, subclonal, biallelic, large_del18,
    monosomy7, cdkn2a, cdkn2a_hom, cdkn2b_with_a, pax5, pax5_whole, par1, erg, ebf1, etv6,
    btg1, rb1, hyperdiploid)."""
    blast = float(np.round(rng.uniform(*blast_range), 3))
    sex = "male" if rng.random() < 0.5 else "female"
    hyper = rng.random() < rates["hyperdiploid"]
    sub = "hyperdiploid" if hyper else str(rng.choice([s for s in SUBTYPES if s != "hyperdiploid"]))
    ev: list[dict] = []
    if rng.random() < rates["ikzf1"]:
        c = float(np.round(rng.uniform(0.3, 0.8), 2)) if rng.random() < rates["subclonal"] else 1.0
        kind = _pick(rng, IKZF1_TYPES)
        if kind is None:  # a rarer run: one or a few exons
            a = int(rng.integers(1, 9))
            b = int(min(8, a + rng.integers(0, 3)))
            kind = (a, b)
        if kind == (1, 8) and rng.random() < rates["monosomy7"]:
            ev.append({"monosomy": "chr7", "fraction": c})
        elif kind == (1, 8):
            ext = int(rng.uniform(2e4, 8e5)) if rng.random() < rates["large_del18"] else 0
            ev.append({"gene": "IKZF1", "exons": [1, 8], "copies": -1, "fraction": c, "extend": ext})
        else:
            ev.append({"gene": "IKZF1", "exons": list(kind), "copies": -1, "fraction": c})
        if c == 1.0 and rng.random() < rates["biallelic"]:
            ev.append({"gene": "IKZF1", "exons": [4, 7], "copies": -1, "fraction": 1.0})
    if rng.random() < rates["cdkn2a"]:
        k = -2 if rng.random() < rates["cdkn2a_hom"] else -1
        both = rng.random() < rates["cdkn2b_with_a"]
        ev.append({"gene": "CDKN2A", "exons": [1, 4], "copies": k, "extend": 20000 if both else 3000})
    if rng.random() < rates["pax5"]:
        if rng.random() < rates["pax5_whole"]:
            ev.append({"gene": "PAX5", "exons": [1, 10], "copies": -1, "extend": 50000})
        else:
            a = int(rng.integers(2, 8))
            ev.append({"gene": "PAX5", "exons": [a, int(min(10, a + rng.integers(1, 4)))], "copies": -1})
    if rng.random() < rates["par1"]:
        ev.append({"par1": True, "copies": -1})
    for gene, key, span in (("ERG", "erg", (6, 12)), ("EBF1", "ebf1", (8, 16)), ("ETV6", "etv6", (2, 8)),
                            ("BTG1", "btg1", (1, 2)), ("RB1", "rb1", (10, 20))):
        if rng.random() < rates[key]:
            ev.append({"gene": gene, "exons": list(span), "copies": -1})
    if hyper:
        for c in GAINS:
            if c == "chrX" and sex == "male":
                continue
            ev.append({"chrom": c, "copies": 1})
    return {"sample": name, "type": "tumor", "subtype": sub, "age_group": str(rng.choice(["pediatric", "adult"])),
            "sex": sex, "blast": blast, "depth": int(rng.choice(depths)), "events": ev}


def sheet_blast(blast: float, rng: np.random.Generator, p_exact: float, p_noisy: float, noise_sd: float):
    """What a lab writes in the sheet: the blast %, a noisy one, or nothing."""
    u = rng.random()
    if u < p_exact:
        return round(100 * blast)
    if u < p_exact + p_noisy:
        return int(np.clip(round(100 * blast + rng.normal(0, noise_sd)), 1, 100))
    return None
