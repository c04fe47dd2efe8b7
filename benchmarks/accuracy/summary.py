"""summary.md of the accuracy benchmark: one section per panel design (bands, depths,
global figures, targets) and the overall tables of every cohort and tool."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workflow"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from simlib import bench  # noqa: E402

import scores  # noqa: E402


def fmt(v):
    if isinstance(v, float):
        return "-" if v != v else f"{100 * v:.1f}%"
    return str(v)


def table(rows: list[dict], cols: list[str], raw: tuple = ()) -> str:
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(f"{r.get(c, ''):.3f}" if c in raw and isinstance(r.get(c), float)
                                     else fmt(r.get(c, "")) for c in cols) + " |")
    return "\n".join(out)


def design_section(ps: pd.DataFrame, design: str, honesty: dict) -> list[str]:
    """Bands, depths, global figures and targets of one design (panel cohorts only)."""
    p = ps[ps["design"] == design]
    md = [f"## Design {design}", ""]
    h = honesty.get(design)
    if h:
        md += [f"Honesty of the caller's se: SD of log2/se over wild-type IKZF1 windows = "
               f"{h[0]:.2f} over {h[1]} positions (1 if the se is right).", ""]
    bands = scores.band_rows(p)
    bcols = ["band", "tool", "n", "caller detected", "exact type", "location oracle", "scan oracle", "type oracle",
             "Bayes type oracle"]
    md += ["### By cell fraction of the IKZF1 deletion (fraction of all cells; band = lower edge)", "",
           table(bands, bcols), ""]
    md += ["### By depth (deletions in >= 5% of cells)", "", table(scores.depth_rows(p), ["depth"] + bcols[1:]), ""]
    glob = {t: scores.global_scores(p[p["tool"] == t]) for t in dict.fromkeys(p["tool"])}
    gcols = [k for k in next(iter(glob.values())) if not k.startswith("n ")]
    md += ["### Global", "", table([{"tool": t, **g} for t, g in glob.items()], ["tool"] + gcols,
                                   raw=("arm cf error",)), ""]
    for t, g in glob.items():
        md += [f"### Targets: {t}", "", table(scores.targets([b for b in bands if b["tool"] == t], g),
                                               ["target", "measured", "met"]), ""]
    return md


def write_summary(ps: pd.DataFrame, timing, outdir: Path, honesty: dict):
    tools = list(dict.fromkeys(ps["tool"]))
    md = ["# Accuracy benchmark", ""]
    for design in dict.fromkeys(ps.loc[ps["design"] != "legacy", "design"]):
        md += design_section(ps[ps["cohort"].isin(["panel", "null", "few_normals"])], design, honesty)
    cols = ["tool", "n", "not_evaluable", "n_deleted", "sensitivity", "specificity", "type_exact", "exons_exact",
            "biallelic_exact", "ikzf1plus_ok", "ikzf1plus_fp", "ikzf1plus_fn"] + bench.GENES
    rows = [{"tool": t, **bench.summarise(ps[ps["tool"] == t])} for t in tools]
    md += ["## All cohorts and designs", "", table(rows, cols), ""]
    trows = [{"tool": t, **bench.targets(ps[ps["tool"] == t])} for t in tools]
    md += ["## Legacy targets", "", table(trows, list(trows[0].keys())), ""]
    p2 = ps.assign(band=ps["blast"].map(bench.band_of), cohort_design=ps["cohort"] + "/" + ps["design"])
    for key, label in (("cohort_design", "By cohort and design"), ("band", "By blast fraction"),
                       ("depth", "By depth")):
        md += [f"## {label}", ""]
        rows = [{key: val, "tool": t, **bench.summarise(p2[(p2[key] == val) & (p2["tool"] == t)])}
                for val in sorted(p2[key].unique(), key=lambda x: (str(type(x)), x)) for t in tools]
        md += [table(rows, [key] + cols[:10] + ["CDKN2A", "PAX5"]), ""]
    fp = ps[(ps["ikzf1plus"] == "yes") & (ps["ikzf1plus_t"] != "yes") & ps["evaluable"]]
    md += ["## IKZF1plus false positives", ""]
    md += [f"- {r.tool} {r.cohort}/{r.design}/{r.sample}" for r in fp.itertuples()] or ["- none"]
    md += ["", "## Wall time", ""] + [f"- {c} {t}: {s:.0f} s" if s == s else f"- {c} {t}: calls reused"
                                      for c, t, s in timing]
    (outdir / "summary.md").write_text("\n".join(md) + "\n")
    pd.DataFrame(scores.band_rows(ps[ps["design"] != "legacy"]) if (ps["design"] != "legacy").any() else []) \
        .to_csv(outdir / "scores.tsv", sep="\t", index=False)
