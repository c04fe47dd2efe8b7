"""Tumour specs of the accuracy benchmark's cohorts (the toy cohort's YAML form, see
simlib.simulate.events_from_spec): random tumours at literature-like rates (the legacy
cohorts) and the panel cohorts, whose IKZF1 deletions are spread evenly over bands of the
fraction of cells carrying them."""
import numpy as np

# Deletion types among IKZF1-deleted BCP-ALL (Boer 2016; resources/deletion_types.tsv).
IKZF1_TYPES = [((4, 7), 0.37), ((1, 8), 0.30), ((2, 7), 0.08), ((4, 8), 0.066), ((2, 3), 0.063),
               ((2, 8), 0.036), (None, 0.085)]


def ikzf1_type_probs(n_exons: int = 8) -> dict:
    """The probability of each run (a, b) of IKZF1 exons as ikzf1_event draws it: the named
    types at their shares, the rest (None) a start a uniform in 1..n_exons and an end
    min(n_exons, a + 0, 1 or 2), each equally likely."""
    probs: dict = {}
    for kind, share in IKZF1_TYPES:
        if kind is not None:
            probs[kind] = probs.get(kind, 0.0) + share
    other = dict(IKZF1_TYPES)[None]
    for a in range(1, n_exons + 1):
        for d in range(3):
            run = (a, min(n_exons, a + d))
            probs[run] = probs.get(run, 0.0) + other / (3 * n_exons)
    return probs


SUBTYPES = ["B-other", "Ph+", "Ph-like", "ETV6-RUNX1", "hyperdiploid"]
GAINS = ["chr4", "chr6", "chr10", "chr14", "chr17", "chr18", "chr21", "chr21", "chrX"]


def pick(rng, items):
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
        kind = pick(rng, IKZF1_TYPES)
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


# ------------------------------------------------------------------ panel cohorts
# Cell-fraction bands of the IKZF1 deletion (fraction of all cells), as in the scores.
CF_BANDS = [(0.05, 0.10), (0.10, 0.15), (0.15, 0.20), (0.20, 0.30), (0.30, 0.50), (0.50, 0.80), (0.80, 1.0)]
PANEL_DEPTHS = [(150, 0.2), (200, 0.2), (300, 0.2), (400, 0.15), (600, 0.1), (1000, 0.15)]
ARM_RATE = {"monosomy": 0.15, "arm": 0.15}  # of deletions in 15-50% of cells: monosomy 7 / 7p loss


def noise(rng) -> dict:
    """Per-sample read-level noise: GC-like slope SD, overdispersion, off-target fraction."""
    return {"gc_slope_sd": round(float(rng.uniform(0.05, 0.2)), 3),
            "overdispersion_cv": round(float(rng.uniform(0.03, 0.08)), 3),
            "offtarget_fraction": round(float(rng.uniform(0.15, 0.35)), 3)}


def ikzf1_event(rng, rates: dict, frac: float, cf: float) -> list[dict]:
    """IKZF1 loss events at `frac` of the blasts: a type at literature rates (large del1-8
    reaching up to 800 kb past the gene), or at 15-50% of cells sometimes monosomy 7 / 7p loss."""
    u = rng.random()
    if 0.15 <= cf <= 0.5 and u < ARM_RATE["monosomy"]:
        return [{"monosomy": "chr7", "fraction": frac}]
    if 0.15 <= cf <= 0.5 and u < ARM_RATE["monosomy"] + ARM_RATE["arm"]:
        return [{"arm": "7p", "fraction": frac}]
    kind = pick(rng, IKZF1_TYPES)
    if kind is None:  # a rarer run: one or a few exons
        a = int(rng.integers(1, 9))
        kind = (a, int(min(8, a + rng.integers(0, 3))))
    ev = {"gene": "IKZF1", "exons": list(kind), "copies": -1, "fraction": frac}
    if kind == (1, 8) and rng.random() < rates["large_del18"]:
        ev["extend"] = int(rng.uniform(2e4, 8e5))
    out = [ev]
    if kind == (1, 8) and cf >= 0.5 and rng.random() < rates["biallelic"]:
        out.append({"gene": "IKZF1", "exons": [4, 7], "copies": -1, "fraction": frac})
    return out


def panel_tumour(name: str, rng, rates: dict, band: tuple | None, subclonal: float = 0.4) -> dict:
    """A tumour of the panel cohorts: co-deletions and hyperdiploidy as random_tumour, and,
    with `band`, an IKZF1 deletion in a fraction of all cells drawn uniformly in the band
    (in all blasts, or with probability `subclonal` in a subclone of them)."""
    depths = [d for d, _ in PANEL_DEPTHS]
    p = np.array([w for _, w in PANEL_DEPTHS])
    s = random_tumour(name, rng, {**rates, "ikzf1": 0.0}, blast_range=(0.2, 0.95), depths=depths)
    s["depth"] = int(rng.choice(depths, p=p / p.sum()))
    s["noise"] = noise(rng)
    if band is None:
        return s
    cf = float(rng.uniform(band[0], min(band[1], 0.98)))
    blast = cf if rng.random() >= subclonal or cf > 0.9 else float(rng.uniform(cf + 0.02, max(cf + 0.03, 0.98)))
    s["blast"] = round(blast, 3)
    s["events"] = ikzf1_event(rng, rates, min(1.0, round(cf / s["blast"], 4)), cf) + s["events"]
    return s


def normal_spec(name: str, rng, i: int) -> dict:
    depths = [d for d, _ in PANEL_DEPTHS[:-1]]
    return {"sample": name, "type": "normal", "sex": "female" if i % 2 == 0 else "male", "blast": 0.0,
            "depth": int(rng.choice(depths)), "events": [], "subtype": "unknown", "age_group": "",
            "noise": noise(rng)}


def panel_specs(n_t: int, n_n: int, rng, rates: dict, deleted_share: float) -> list[dict]:
    """Normals, then tumours: round(deleted_share x n_t) with an IKZF1 deletion, cycling
    through CF_BANDS so each band gets as many; the rest wild type (hyperdiploid included)."""
    specs = [normal_spec(f"N{i + 1:02d}", rng, i) for i in range(n_n)]
    n_del = int(round(deleted_share * n_t))
    order = rng.permutation(n_t)  # deleted and wild-type tumours interleaved
    for i in range(n_t):
        k = int(order[i])
        band = CF_BANDS[k % len(CF_BANDS)] if k < n_del else None
        specs.append(panel_tumour(f"T{i + 1:03d}", rng, rates, band))
    return specs
