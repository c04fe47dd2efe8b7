#!/usr/bin/env python3
"""Derive resources/<build>/ annotation tables from the curated reference facts.

Run once by a maintainer, from a checkout that has the curated facts beside it:

    python scripts/build_annotation.py --facts ../shared/reference --out resources

Inputs (all under --facts):
  ikzf1-facts.md                 IKZF1 exon table (hg38, hg19), PAX5 and CDKN2A exons (hg38),
                                 PAR1 coordinates
  gencode_transcripts_<b>.txt    every GENCODE transcript of the genes involved
  gene_spans.tsv                 gene spans per build

Outputs (per build): exons.tsv (one row per exon unit), introns.tsv (IKZF1 introns),
regions.tsv (PAR1). The workflow reads only these outputs; it never reads the facts.

Rules for the exon units:
  IKZF1   NM_006060.6 exons 1-8 as tabulated in the facts file (both builds).
  PAX5    hg38: the ten canonical exons listed in the facts file.
  CDKN2A  exons 1b (p14ARF), 1a (p16INK4a), 2, 3 from the facts file.
          hg19 for both: the hg38 exons moved by the gene's own hg38-hg19 offset (taken from
          exons GENCODE hg19 has with identical length), each checked against hg19 GENCODE.
  others  the union of all GENCODE exons of the gene, merged where they overlap,
          numbered 1..n in the direction of transcription.
"""
import argparse
import re
from pathlib import Path

BUILDS = ("hg38", "hg19")
# Genes whose exon units come from GENCODE unions (gene list of the issue; SHOX/ASMTL are
# PAR1 neighbours used for the PAR1 pattern's context).
NUM = r"([\d,]+)"


def _int(s):
    return int(s.replace(",", ""))


def parse_facts(text):
    """Return {build: {gene: [(label, chrom, start, end)]}} for the curated genes, and PAR1."""
    out = {b: {} for b in BUILDS}
    ik = {b: [] for b in BUILDS}
    for m in re.finditer(r"^\| (\d) \| (chr\w+):" + NUM + "-" + NUM + r" \| (chr\w+):" + NUM + "-" + NUM + r" \| " + NUM + r" \|",
                         text, re.M):
        ex = m.group(1)
        ik["hg38"].append((ex, m.group(2), _int(m.group(3)), _int(m.group(4))))
        ik["hg19"].append((ex, m.group(5), _int(m.group(6)), _int(m.group(7))))
        assert _int(m.group(4)) - _int(m.group(3)) + 1 == _int(m.group(8)), m.group(0)
    for b in BUILDS:
        assert [e[0] for e in ik[b]] == [str(i) for i in range(1, 9)], ik[b]
        out[b]["IKZF1"] = ik[b]
    pax = re.search(r"PAX5 canonical\s+exons 1-10 \(- strand, hg38\):(.*?)CDKN2A", text, re.S).group(1)
    spans = re.findall(NUM + "-" + NUM, pax)
    assert len(spans) == 10, spans
    out["hg38"]["PAX5"] = [(str(i + 1), "chr9", _int(a), _int(b)) for i, (a, b) in enumerate(spans)]
    cd = re.search(r"p16INK4a exon 1a is\s+" + NUM + "-" + NUM + r", p14ARF exon 1b\s+" + NUM + "-" + NUM +
                   r", shared exons 2-3 at\s+" + NUM + "-" + NUM + r" and\s+" + NUM + "-" + NUM, text)
    v = [_int(x) for x in cd.groups()]
    out["hg38"]["CDKN2A"] = [("1b", "chr9", v[2], v[3]), ("1a", "chr9", v[0], v[1]),
                             ("2", "chr9", v[4], v[5]), ("3", "chr9", v[6], v[7])]
    par = {}
    m = re.search(r"PAR1 is chrX:" + NUM + "-" + NUM + r" in hg38 \(chrX:" + NUM + "-" + NUM + r" in hg19\)", text)
    par["hg38"] = ("chrX", _int(m.group(1)), _int(m.group(2)))
    par["hg19"] = ("chrX", _int(m.group(3)), _int(m.group(4)))
    return out, par


def parse_gencode(path):
    """{gene: {"strand": s, "tx": [[(start, end), ...], ...]}} for the first-listed chromosome."""
    genes = {}
    cur = None
    for line in Path(path).read_text().splitlines():
        if line.startswith("== GENE"):
            name = line.split()[2]
            m = re.search(r"\[\['(chr\w+)', (\d+), (\d+), '([+-])'", line)
            cur = genes.setdefault(name, {"chrom": m.group(1), "strand": m.group(4), "tx": []})
        elif line.strip().startswith("TX ") and cur is not None:
            chrom = re.search(r"TX (chr\w+):", line).group(1)
            if chrom != cur["chrom"]:
                continue  # PAR copies on chrY: keep the chrX annotation only
            ex = re.search(r" exons=(\S+)", line).group(1)
            cur["tx"].append([tuple(int(x) for x in e.split("-")) for e in ex.split(";")])
    return genes


def merged_units(gene):
    ivs = sorted({iv for tx in gene["tx"] for iv in tx})
    merged = []
    for s, e in ivs:
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    if gene["strand"] == "-":
        merged = merged[::-1]
    return [(str(i + 1), gene["chrom"], s, e) for i, (s, e) in enumerate(merged)]


def lift_local(ref_units, gene):
    """Place hg38 units on hg19 by the local offset of the inner exons that GENCODE hg19 has
    with identical length, then verify every unit against hg19 GENCODE: each unit must share
    at least one exon boundary with an hg19 transcript (the splice side; UTR ends differ
    between transcript versions). Never a genome-wide offset: only this gene's."""
    bounds = {p for tx in gene["tx"] for iv in tx for p in iv}
    exons = {iv for tx in gene["tx"] for iv in tx}
    offsets = set()
    for _, _, s, e in ref_units:
        for hs, he in exons:
            if he - hs == e - s and abs(hs - s) < 1000:
                offsets.add(hs - s)
    if len(offsets) != 1:
        raise SystemExit(f"ambiguous local offset {sorted(offsets)} for {ref_units}")
    off = offsets.pop()
    out = []
    for lab, chrom, s, e in ref_units:
        if s + off not in bounds and e + off not in bounds:
            raise SystemExit(f"unit {lab} ({s}-{e}) + {off} matches no hg19 GENCODE exon boundary")
        out.append((lab, chrom, s + off, e + off))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    a = ap.parse_args()
    curated, par = parse_facts((a.facts / "ikzf1-facts.md").read_text())
    gencode = {b: parse_gencode(a.facts / f"gencode_transcripts_{b}.txt") for b in BUILDS}
    for b in BUILDS:
        units = {}
        g = gencode[b]
        for name in g:
            units[name] = merged_units(g[name])
        units["IKZF1"] = curated[b]["IKZF1"]
        if b == "hg38":
            units["PAX5"] = curated[b]["PAX5"]
            units["CDKN2A"] = curated[b]["CDKN2A"]
        else:
            units["PAX5"] = lift_local(curated["hg38"]["PAX5"], g["PAX5"])
            units["CDKN2A"] = lift_local(curated["hg38"]["CDKN2A"], g["CDKN2A"])
        src = {"IKZF1": "NM_006060.6 (ikzf1-facts.md)",
               "PAX5": "canonical exons (ikzf1-facts.md)" if b == "hg38" else "hg38 canonical exons at the local hg19 offset, verified against GENCODE hg19",
               "CDKN2A": "p14ARF 1b, p16 1a, shared 2-3 (ikzf1-facts.md)" if b == "hg38" else "hg38 exons at the local hg19 offset, verified against GENCODE hg19"}
        od = a.out / b
        od.mkdir(parents=True, exist_ok=True)
        rows = []
        for gene in sorted(units):
            strand = g[gene]["strand"]
            for lab, chrom, s, e in units[gene]:
                rows.append((gene, lab, chrom, s, e, strand, src.get(gene, "GENCODE union of transcript exons")))
        with open(od / "exons.tsv", "w") as fh:
            fh.write("# exon units per gene, 1-based inclusive; derived by scripts/build_annotation.py\n")
            fh.write("gene\texon\tchrom\tstart\tend\tstrand\tsource\n")
            for r in rows:
                fh.write("\t".join(map(str, r)) + "\n")
        ik = units["IKZF1"]
        with open(od / "introns.tsv", "w") as fh:
            fh.write("gene\tintron\tchrom\tstart\tend\n")
            for i in range(len(ik) - 1):
                fh.write(f"IKZF1\t{i + 1}\t{ik[i][1]}\t{ik[i][3] + 1}\t{ik[i + 1][2] - 1}\n")
        with open(od / "regions.tsv", "w") as fh:
            fh.write("region\tchrom\tstart\tend\n")
            c, s, e = par[b]
            fh.write(f"PAR1\t{c}\t{s}\t{e}\n")
        print(f"{b}: {len(rows)} exon units in {len(units)} genes -> {od}")


if __name__ == "__main__":
    main()
