#!/usr/bin/env python3
"""Write resources/<build>/cytobands.tsv and resources/<build>/accessions.tsv: the facts the
reports need to name a deletion (ISCN bands, HGVS reference sequences).

Run once by a maintainer; the workflow reads only the outputs:

    python scripts/build_band_tables.py --out resources

Source: the tables bioframe (a CNVkit dependency, so installed with the workflow) ships
for its assemblies, which are copies of
  - UCSC's cytoBand table of hg38 and hg19 (chromStart 0-based, chromEnd exclusive; bands
    at 850-band resolution as UCSC distributes them), and
  - the NCBI assembly reports of GRCh38 (GCF_000001405.26) and GRCh37 (GCF_000001405.13):
    each UCSC chromosome's RefSeq (NC_) and GenBank (CM) accession.
Only the 24 primary chromosomes are kept.
"""
import argparse
from pathlib import Path

import pandas as pd

BUILDS = {"hg38": "GRCh38", "hg19": "GRCh37"}
CHROMS = [f"chr{c}" for c in [*range(1, 23), "X", "Y"]]


def bioframe_data() -> Path:
    import bioframe
    return Path(bioframe.__file__).parent / "io" / "data"


def cytobands(build: str) -> pd.DataFrame:
    df = pd.read_csv(bioframe_data() / f"{build}.cytoband.tsv", sep="\t")
    df = df[df["chrom"].isin(CHROMS)]
    return df.assign(o=df["chrom"].map(CHROMS.index)).sort_values(["o", "start"])[["chrom", "start", "end", "band",
                                                                                     "stain"]]


def accessions(build: str) -> pd.DataFrame:
    df = pd.read_csv(bioframe_data() / f"{build}.seqinfo.tsv", sep="\t")
    df = df[df["name"].isin(CHROMS)]
    rows = []
    for name, aliases in zip(df["name"], df["aliases"]):
        al = aliases.split(",")
        rows.append((name, next(a for a in al if a.startswith("NC_")), next(a for a in al if a.startswith("CM"))))
    out = pd.DataFrame(rows, columns=["chrom", "refseq", "genbank"])
    return out.assign(o=out["chrom"].map(CHROMS.index)).sort_values("o").drop(columns="o")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="resources")
    a = ap.parse_args()
    for build, assembly in BUILDS.items():
        d = Path(a.out) / build
        with open(d / "cytobands.tsv", "w") as fh:
            fh.write(f"# Chromosome bands of {build} ({assembly}): UCSC's cytoBand table (as bioframe ships it; "
                     "scripts/build_band_tables.py).\n# start 0-based, end exclusive, as UCSC gives them. Used for "
                     "the ISCN band of a deletion's ends.\n")
            cytobands(build).to_csv(fh, sep="\t", index=False, lineterminator="\n")
        with open(d / "accessions.tsv", "w") as fh:
            fh.write(f"# {assembly} ({build}) primary chromosomes: RefSeq and GenBank accessions from NCBI's assembly "
                     "report (as bioframe ships it; scripts/build_band_tables.py).\n# The RefSeq accession is the "
                     "reference sequence of HGVS genomic descriptions (NC_000007.14:g.).\n")
            accessions(build).to_csv(fh, sep="\t", index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
