"""CNVkit's pooled reference (cnvlib.reference.do_reference) on the tables' columns as
arrays, for the case this workflow runs by default: no FASTA (no GC or RepeatMasker
correction), no edge correction, no clustering, each normal's sex inferred, bins on
chr1-chr22 and chrX (UCSC names; no chrY). cnvlib makes a GenomicArray per step and
calls its biweight estimators once per bin (~1.5 s a normal on a 20,000-bin panel); the
steps here are the same arithmetic (cnvkit.biweight: all bins at once), byte-identical to
cnvlib's .cnn by test (tests/test_reference_fast.py). Elsewhere cnvlib runs.
"""
from __future__ import annotations

import logging
import os
import re

import numpy as np
import pandas as pd

from ..core.bins import group_medians
from . import biweight
from .fast_fix import _cols, _in_par, _is_autosome, _low, _order, _par_list
from .io import Table, read_cnn

PRIMARY = re.compile(r"chr([1-9]|1[0-9]|2[0-2]|X)")
KNOWN_EXTS = (".antitargetcoverage.cnn", ".targetcoverage.cnn", ".antitargetcoverage.csv", ".targetcoverage.csv",
              ".recal.bam", ".deduplicated.realign.bam")


Reference = Table   # the pooled reference's rows (what cnvlib's CopyNumArray holds as .data)


def fbase(fname: str) -> str:
    """cnvlib.core.fbase: the file's name without its directory and extensions (the sample)."""
    base = os.path.basename(fname).removesuffix(".gz")
    for ext in KNOWN_EXTS:
        if base.endswith(ext):
            return base[: -len(ext)]
    return base.rsplit(".", 1)[0]


def _parx(c: dict, par: list) -> np.ndarray:
    return (c["chromosome"] == "chrX") & _in_par(c, [p for p in par if p[0] == "chrX"])


def _autosomes(c: dict, also: np.ndarray) -> np.ndarray:
    """skgenome's autosomes(also=...): chr1-chr22 and `also`; every bin where none is one."""
    auto = _is_autosome(c)
    return auto | also if auto.any() else np.ones(len(auto), dtype=bool)


def _sex_guess(c: dict, par: list):
    """cnvlib's compare_sex_chromosomes without chrY: (is_xx, chrX maleness ratio), or None."""
    if not len(c["codes"]):
        return None
    parx = _parx(c, par)
    x = (c["chromosome"] == "chrX") & ~parx
    if not x.any():
        return None
    auto_med = float(np.median(c["log2"][_autosomes(c, parx)]))
    ratio = float(np.median(c["log2"][x])) - auto_med
    lr = abs(ratio + 0) / max(abs(ratio + 1), 1e-6)
    return ~np.bool_(lr > 1.0), lr


def _confidence(lr: float) -> float:
    return abs(float(np.log(lr))) if lr > 0.0 and np.isfinite(lr) else 0.0


def _sexes(targets: dict, antitargets: dict, par: list) -> dict:
    """cnvlib's _guess_sexes of targets and antitargets, reconciled (_reconcile_sex_guesses)."""
    t = {s: g for s, c in targets.items() if (g := _sex_guess(c, par)) is not None}
    a = {s: g for s, c in antitargets.items() if (g := _sex_guess(c, par)) is not None}
    sexes = {s: xx for s, (xx, _) in t.items()}
    for s, (a_xx, a_lr) in a.items():
        if s not in t:
            sexes[s] = a_xx
        elif t[s][0] != a_xx:
            sexes[s] = a_lr <= 1.0 if _confidence(a_lr) > _confidence(t[s][1]) else t[s][0]
            logging.warning("Sample %s chromosomal X/Y ploidy differs between targets and antitargets", s)
    return sexes


def _centred(c: dict, skip_low: bool, par: list) -> np.ndarray:
    """cnvlib's center_all: log2 less the median of the autosomes' (and PAR's) medians."""
    keep = ~_low(c) if skip_low else np.ones(len(c["codes"]), dtype=bool)
    sub = {k: (v if k == "names" else v[keep]) for k, v in c.items()}
    use = np.flatnonzero(keep)[_autosomes(sub, _parx(sub, par))]
    if not len(use):
        return c["log2"]
    n = len(c["names"])
    meds = group_medians(c["log2"][use], c["codes"][use], n)
    meds = meds[(np.bincount(c["codes"][use], minlength=n) > 0) & ~np.isnan(meds)]
    return c["log2"] + -np.median(meds)


def _block(tables: dict, sexes: dict, skip_low: bool, par: list):
    """cnvlib's load_sample_block (no corrections): the first table's bins, each sample's
    log2 centred and shifted to a female reference's chrX, under a flat pseudo-sample, and
    the depths; None for empty tables."""
    names = sorted(tables)
    first = tables[names[0]]
    if not len(first["codes"]):
        return None
    keys = ("chromosome", "start", "end", "gene")
    chr_x = (first["chromosome"] == "chrX") & ~_parx(first, par)
    flat = np.zeros(len(first["codes"]))
    logr, depths = [flat], []
    for s in names:
        c = tables[s]
        if not all(np.array_equal(c[k], first[k]) for k in keys):
            raise RuntimeError(f"{s} bins do not match those of {names[0]}")
        depths.append(c["depth"])
        l2 = _centred(c, skip_low, par) + flat
        if not (True if sexes.get(s) is None else bool(sexes[s])):
            l2 = l2.copy()
            l2[chr_x] += 1.0
        logr.append(l2)
    return {k: first[k] for k in keys}, np.vstack(logr), np.vstack(depths)


def fast_reference(target_cnns: list[str], antitarget_cnns: list[str], par: pd.DataFrame) -> Reference | None:
    """do_reference(targets, antitargets, diploid_parx_genome, do_gc=False, do_edge=False,
    do_rmask=False) as a Reference; None where this case does not hold (cnvlib then runs).
    `par`: the build's rows of resources/cnvkit_par_regions.tsv."""
    par_l = _par_list(par)
    tg = {fbase(p): _cols(read_cnn(p)) for p in target_cnns}
    an = {fbase(p): _cols(read_cnn(p)) for p in antitarget_cnns}
    if len(tg) != len(target_cnns) or len(an) != len(antitarget_cnns) or not tg:
        return None
    chroms = {x for c in list(tg.values()) + list(an.values()) for x in c["names"]}
    if not chroms or not all(PRIMARY.fullmatch(str(x)) for x in chroms):
        return None
    sexes = _sexes(tg, an, par_l)
    blocks = [_block(tg, sexes, True, par_l)]
    if blocks[0] is None:
        return None
    if an and (b := _block(an, sexes, False, par_l)) is not None:
        blocks.append(b)
    cols = {k: np.concatenate([b[0][k] for b in blocks]) for k in blocks[0][0]}
    logr, depths = np.hstack([b[1] for b in blocks]), np.hstack([b[2] for b in blocks])
    log2 = biweight.biweight_location(logr)
    cols.update(log2=log2, depth=biweight.biweight_location(depths), spread=biweight.biweight_midvariance(logr, log2))
    c = dict(cols, codes=pd.factorize(cols["chromosome"])[0], names=pd.factorize(cols["chromosome"])[1])
    order = _order(c)
    return Reference(pd.DataFrame({k: cols[k][order] for k in ("chromosome", "start", "end", "gene", "log2", "depth",
                                                                "spread")}))
