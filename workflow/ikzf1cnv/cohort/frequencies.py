"""IKZF1 deletion frequencies of the cohort's groups against the literature's reference
table: Wilson intervals and an exact binomial test against the reference range."""
from __future__ import annotations

import math

import pandas as pd
from scipy.stats import binomtest, norm

from ..core.tables import fmt

FREQ_COLS = ["group", "label", "n", "n_altered", "observed", "ci_low", "ci_high", "reference_low",
             "reference_high", "p_value", "verdict"]


# ------------------------------------------------------------------ frequencies
def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion."""
    if n == 0:
        return (math.nan, math.nan)
    z = norm.ppf(1 - (1 - level) / 2)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def range_test(k: int, n: int, low: float, high: float) -> float:
    """Exact binomial test of k/n against a reference range [low, high]: the two-sided
    p-value against the nearest end of the range (1 when k/n lies inside it)."""
    if n == 0:
        return math.nan
    obs = k / n
    if low <= obs <= high:
        return 1.0
    p0 = low if obs < low else high
    return float(binomtest(k, n, p0, alternative="two-sided").pvalue)


def verdict(k: int, n: int, high: float, p: float, min_n: int, alpha: float) -> str:
    if n < min_n:
        return "insufficient"
    if p < alpha:
        return "higher" if k / n > high else "lower"
    return "consistent"


def select(calls: pd.DataFrame, subtypes: str, age_group: str) -> pd.DataFrame:
    """Rows matching a reference-table selector ('*' = any; comma-separated lists)."""
    m = pd.Series(True, index=calls.index)
    if subtypes and subtypes != "*":
        m &= calls["subtype"].isin([s.strip() for s in subtypes.split(",")])
    if age_group and age_group != "*":
        m &= calls["age_group"].isin([s.strip() for s in age_group.split(",")])
    return calls[m]


def frequencies(calls: pd.DataFrame, table: pd.DataFrame, min_n: int, alpha: float) -> pd.DataFrame:
    """One row per reference-table row: evaluable samples of the group (n), those with an
    IKZF1 deletion (n_altered), the Wilson 95% interval, the exact test against the range."""
    ev = calls[calls["status"] != "not_evaluable"]
    rows = []
    for t in table.itertuples(index=False):
        g = select(ev, t.subtypes, t.age_group)
        n = len(g)
        k = int((g["status"] == "deleted").sum())
        lo, hi = wilson(k, n)
        p = range_test(k, n, t.reference_low, t.reference_high)
        rows.append({"group": t.group, "label": t.label, "n": n, "n_altered": k,
                     "observed": fmt(k / n if n else math.nan, 3), "ci_low": fmt(lo, 3), "ci_high": fmt(hi, 3),
                     "reference_low": fmt(t.reference_low, 3), "reference_high": fmt(t.reference_high, 3),
                     "p_value": fmt(p, 4), "verdict": verdict(k, n, t.reference_high, p, min_n, alpha)
                     if n else "insufficient"})
    return pd.DataFrame(rows, columns=FREQ_COLS)


def read_reference_table(path) -> pd.DataFrame:
    t = pd.read_csv(path, sep="\t", comment="#", dtype={"subtypes": str, "age_group": str}, keep_default_na=False)
    need = {"group", "label", "subtypes", "age_group", "reference_low", "reference_high", "source"}
    missing = need - set(t.columns)
    if missing:
        raise ValueError(f"reference table {path}: missing column(s) {', '.join(sorted(missing))}")
    t["reference_low"] = t["reference_low"].astype(float)
    t["reference_high"] = t["reference_high"].astype(float)
    return t
