"""The annotation in resources/: per-build exon units, contigs, arms and introns, and the
rules (resources/rules.yaml): which genes are called, how they are grouped, their windows."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml


def read_tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", comment="#", dtype={"exon": str})


def load_units(resources: Path | str, build: str) -> pd.DataFrame:
    """Exon units: gene, exon, chrom, start, end (1-based inclusive), strand, source."""
    return read_tsv(Path(resources) / build / "exons.tsv")


def load_contigs(resources: Path | str, build: str) -> dict[str, int]:
    return contigs_of(Path(resources) / build / "contigs.tsv")


def contigs_of(path: Path | str) -> dict[str, int]:
    """Contig lengths from a contigs.tsv."""
    df = read_tsv(path)
    return dict(zip(df["chrom"], df["length"].astype(int)))


def load_regions(resources: Path | str, build: str) -> pd.DataFrame:
    return read_tsv(Path(resources) / build / "regions.tsv")


def load_arms(resources: Path | str, build: str) -> pd.DataFrame:
    """Chromosome arms: chrom, arm, start, end (1-based inclusive)."""
    return read_tsv(Path(resources) / build / "arms.tsv")


def load_introns(resources: Path | str, build: str) -> pd.DataFrame:
    """IKZF1 introns: gene, intron, chrom, start, end (1-based inclusive)."""
    return read_tsv(Path(resources) / build / "introns.tsv")


def load_rules(path: Path | str) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


# ---------------------------------------------------------------- what rules.yaml says
def gene_columns(rules: dict) -> list[str]:
    """The call table's gene columns: rules.yaml `genes` but IKZF1, in its order."""
    return [g for g, kind in rules["genes"].items() if kind != "exons"]


def modelled_genes(rules: dict) -> list[str]:
    """Genes with exon units of their own in the model: the called genes and PAR1's context."""
    return [g for g, kind in rules["genes"].items() if kind != "par1"] + list(rules["par1"]["context"])


def model_groups(rules: dict) -> list[list[str]]:
    """The groups the model runs over, each a list of genes: rules.yaml `groups`, PAR1's
    context, then every other modelled gene on its own."""
    grouped = [list(g) for g in rules.get("groups", [])] + [list(rules["par1"]["context"])]
    seen = {g for grp in grouped for g in grp}
    return grouped + [[g] for g, kind in rules["genes"].items() if g not in seen and kind != "par1"]


def group_key(genes: list[str]) -> str:
    return "+".join(genes)


def window_of(units: pd.DataFrame, genes: list[str], windows: dict) -> tuple[str, int, int]:
    """(chrom, start0, end) of a group's window; windows: rules.yaml `windows`
    ({'default': {left, right}, '<group key or gene>': {left, right}})."""
    u = units[units["gene"].isin(genes)]
    w = windows.get(group_key(genes)) or windows.get(genes[0]) or windows["default"]
    return str(u["chrom"].iloc[0]), max(int(u["start"].min()) - 1 - int(w["left"]), 0), int(u["end"].max()) + int(w["right"])


def group_windows(units: pd.DataFrame, rules: dict) -> dict[str, tuple[str, int, int]]:
    """Every model group's window (model_groups), by group key; groups without exon units
    in `units` are left out."""
    return {group_key(g): window_of(units, g, rules["windows"]) for g in model_groups(rules)
            if units["gene"].isin(g).any()}


def modelled_units(path: Path | str, rules: dict) -> pd.DataFrame:
    """The exon units (exons.tsv at `path`) of the modelled genes."""
    units = read_tsv(path)
    return units[units["gene"].isin(modelled_genes(rules))]
