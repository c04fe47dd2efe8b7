"""Mutation testing of the caller's core, module by module (mutmut 3), driven by the unit tests.

For each module (MODULES: the file and the unit tests that exercise it) a scratch copy of
the project is made with the package under src/ (mutmut names mutants by module path and
finds src/ on its own), the module is mutated, and mutmut runs, for every mutant, the
selected tests that call the mutated function. Every mutant that survives is matched
against the list of equivalent mutants (equivalent.py: a change that cannot alter what the
function returns, with the reason); the rest are "unexplained" and must be killed by a test.

    pip install -e ".[test,mutation]"
    python benchmarks/mutation/run.py                    # every module (about an hour on 2 cores)
    python benchmarks/mutation/run.py model labels       # some modules
    python benchmarks/mutation/run.py --list             # the modules and their tests

Writes, per module, <out>/<module>.json (counts, every survivor with its diff and, when
equivalent, why) and <out>/summary.md (the table docs/testing.md shows). A benchmark: not
run in CI (it runs the unit tests once per mutant). Exit status 1 when a module has an
unexplained survivor or scores below --min-score.

Score = (killed + timeout) / (mutants - equivalent); "no tests" (a mutant in a function no
selected test calls) counts as not killed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from equivalent import EQUIVALENT  # noqa: E402

# module -> (file under workflow/ikzf1cnv, the unit tests that exercise it)
MODULES = {
    "model": ("caller/model.py", ["tests/test_model.py", "tests/test_calibrate.py", "tests/test_properties.py"]),
    "window": ("caller/window.py", ["tests/test_window_positions.py", "tests/test_calling.py"]),
    "calibrate": ("caller/calibrate.py", ["tests/test_calibrate.py", "tests/test_properties.py"]),
    "params": ("caller/params.py", ["tests/test_calling.py", "tests/test_properties.py"]),
    "arms": ("caller/arms.py", ["tests/test_arms.py", "tests/test_window.py"]),
    "lod": ("caller/lod.py", ["tests/test_lod.py", "tests/test_window.py"]),
    "genes": ("caller/genes.py", ["tests/test_calling.py", "tests/test_genes.py", "tests/test_properties.py"]),
    "labels": ("caller/labels.py", ["tests/test_labels.py", "tests/test_properties.py"]),
    "purity": ("caller/purity.py", ["tests/test_purity.py", "tests/test_model.py", "tests/test_properties.py"]),
    "junctions": ("caller/junctions.py", ["tests/test_junctions.py"]),
    "junction_reads": ("reads/junction_reads.py", ["tests/test_junctions.py", "tests/test_properties.py"]),
    "classify": ("caller/classify.py", ["tests/test_classify.py", "tests/test_zygosity.py", "tests/test_properties.py"]),
    "types": ("caller/types.py", ["tests/test_types.py"]),
    "sex": ("caller/sex.py", ["tests/test_sex.py"]),
    "veto": ("caller/veto.py", ["tests/test_veto.py"]),
    "zygosity": ("caller/zygosity.py", ["tests/test_zygosity.py"]),
}
DETECTED = {"killed", "timeout"}
# mutmut's exit codes (mutmut.stats.status_by_exit_code, 3.x): anything else is "suspicious"
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 35: "suspicious",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault",
          -9: "segfault", 37: "caught by type check", None: "not checked"}


def scratch_copy(work: Path, module: str) -> Path:
    """The project laid out for mutmut: src/ikzf1cnv (to mutate), tests/, pyproject.toml
    with the [tool.mutmut] block; and, pre-made in mutants/, what the tests read but mutmut
    does not copy: workflow/ without the package (schemas, rules), benchmarks/, config/,
    resources/ (linked: read only)."""
    path, tests = MODULES[module]
    tests = [t for t in tests if (ROOT / t).exists()]
    d = work / module
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "workflow" / "ikzf1cnv", d / "src" / "ikzf1cnv", ignore=ignore)
    shutil.copytree(ROOT / "tests", d / "tests", ignore=ignore)
    m = d / "mutants"
    m.mkdir()
    shutil.copytree(ROOT / "workflow", m / "workflow", ignore=shutil.ignore_patterns("ikzf1cnv", "__pycache__"))
    for name in ("benchmarks", "config"):
        shutil.copytree(ROOT / name, m / name, ignore=ignore)
    (m / "resources").symlink_to(ROOT / "resources")
    toml = (ROOT / "pyproject.toml").read_text()
    toml += "\n[tool.mutmut]\n" + "\n".join([
        'source_paths = ["src"]',
        f'only_mutate = ["src/ikzf1cnv/{path}"]',
        f"pytest_add_cli_args_test_selection = {json.dumps(tests + ['-m', 'not workflow'])}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-W", "ignore"]',
        "use_git_change_detection = false",
    ]) + "\n"
    (d / "pyproject.toml").write_text(toml)
    return d


def changed_lines(diff: str) -> tuple[str, str]:
    """The lines a mutant removes and adds (stripped, joined): what equivalent.py matches."""
    rem = [x[1:].strip() for x in diff.splitlines() if x.startswith("-") and not x.startswith("---")]
    add = [x[1:].strip() for x in diff.splitlines() if x.startswith("+") and not x.startswith("+++")]
    return " / ".join(rem), " / ".join(add)


def function_of(name: str) -> str:
    """'ikzf1cnv.caller.model.x_fit__mutmut_12' -> 'fit'; a method 'xǁClassǁadd__mutmut_3' -> 'Class.add'."""
    f = name.rpartition(".")[2].partition("__mutmut_")[0]
    if "ǁ" in f:
        parts = [p for p in f.split("ǁ") if p and p != "x"]
        return ".".join(parts)
    return f.removeprefix("x_")


def equivalent_reason(module: str, func: str, before: str, after: str) -> str | None:
    for e in EQUIVALENT:
        if e["module"] == module and e["function"] == func and e["before"] == before and e["after"] == after:
            return e["reason"]
    return None


def run_module(module: str, work: Path, children: int, env: dict) -> dict:
    d = scratch_copy(work, module)
    t = time.time()
    log = d / "mutmut.log"
    with open(log, "w") as fh:
        p = subprocess.run(["mutmut", "run", "--max-children", str(children)], cwd=d, stdout=fh, stderr=subprocess.STDOUT,
                           env=env)
    elapsed = time.time() - t
    meta = d / "mutants" / "src" / "ikzf1cnv" / (MODULES[module][0] + ".meta")
    if p.returncode != 0 or not meta.exists():
        raise SystemExit(f"{module}: mutmut run failed ({p.returncode}); see {log}:\n" + log.read_text()[-3000:])
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    counts: dict[str, int] = {}
    survivors = []
    for name, code in sorted(codes.items(), key=lambda kv: (kv[0].rpartition("__mutmut_")[0],
                                                            int(kv[0].rpartition("__mutmut_")[2]))):
        status = STATUS.get(code, "suspicious")
        counts[status] = counts.get(status, 0) + 1
        if status in DETECTED:
            continue
        show = subprocess.run(["mutmut", "show", name], cwd=d, capture_output=True, text=True, env=env).stdout
        diff = "\n".join(show.splitlines()[1:])
        before, after = changed_lines(diff)
        func = function_of(name)
        survivors.append({"mutant": name, "status": status, "function": func, "before": before, "after": after,
                          "equivalent": equivalent_reason(module, func, before, after), "diff": diff})
    total = sum(counts.values())
    detected = sum(counts.get(s, 0) for s in DETECTED)
    equiv = sum(1 for s in survivors if s["equivalent"])
    return {"module": module, "file": f"workflow/ikzf1cnv/{MODULES[module][0]}", "tests": MODULES[module][1],
            "mutants": total, "killed": counts.get("killed", 0), "timeout": counts.get("timeout", 0),
            "equivalent": equiv, "unexplained": len(survivors) - equiv, "counts": counts,
            "score": detected / (total - equiv) if total > equiv else 1.0,
            "raw_score": detected / total if total else 1.0, "seconds": round(elapsed), "survivors": survivors}


def rematch(r: dict) -> dict:
    """A measured module's survivors matched against equivalent.py as it is now."""
    for x in r["survivors"]:
        x["equivalent"] = equivalent_reason(r["module"], x["function"], x["before"], x["after"])
    total = r["mutants"]
    detected = sum(r["counts"].get(s, 0) for s in DETECTED)
    r["equivalent"] = sum(1 for x in r["survivors"] if x["equivalent"])
    r["unexplained"] = len(r["survivors"]) - r["equivalent"]
    r["score"] = detected / (total - r["equivalent"]) if total > r["equivalent"] else 1.0
    return r


def summary(results: list[dict]) -> str:
    lines = ["| module | mutants | killed | timeout | equivalent | unexplained | score | raw score | time |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| `{r['file']}` | {r['mutants']} | {r['killed']} | {r['timeout']} | {r['equivalent']} | "
                     f"{r['unexplained']} | {100 * r['score']:.1f}% | {100 * r['raw_score']:.1f}% | "
                     f"{r['seconds']} s |")
    return "\n".join(lines) + "\n\nscore = (killed + timeout) / (mutants - equivalent); raw score = (killed + timeout) / mutants\n"


def equivalents(results: list[dict]) -> str:
    """Every equivalent survivor measured: module, function, the change, why."""
    lines = ["| module | function | change | why it is equivalent |", "|---|---|---|---|"]
    for r in results:
        for x in r["survivors"]:
            if x["equivalent"]:
                change = f"`{x['before']}` → `{x['after']}`".replace("|", "\\|")
                lines.append(f"| {r['module']} | `{x['function']}` | {change} | {x['equivalent']} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="*", help=f"default: all ({', '.join(MODULES)})")
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "ikzf1cnv-mutation")
    ap.add_argument("--out", type=Path, default=HERE / "measured")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument("--min-score", type=float, default=0.9)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--rematch", action="store_true",
                    help="match the survivors already measured (<out>/*.json) against equivalent.py again, "
                         "and rewrite the tables, without running mutmut")
    a = ap.parse_args()
    if a.rematch:
        every = [rematch(json.loads((a.out / f"{m}.json").read_text())) for m in MODULES if (a.out / f"{m}.json").exists()]
        for r in every:
            (a.out / f"{r['module']}.json").write_text(json.dumps(r, indent=1) + "\n")
        (a.out / "summary.md").write_text(summary(every))
        (a.out / "equivalent.md").write_text(equivalents(every))
        print(summary(every))
        return 1 if any(r["unexplained"] or r["score"] < a.min_score for r in every) else 0
    if a.list:
        for m, (path, tests) in MODULES.items():
            print(f"{m:15} workflow/ikzf1cnv/{path:28} {' '.join(tests)}")
        return 0
    unknown = [m for m in a.modules if m not in MODULES]
    if unknown:
        ap.error(f"unknown module(s) {unknown}; choose from {list(MODULES)}")
    if shutil.which("mutmut") is None:
        ap.error('mutmut is not installed: pip install -e ".[mutation]"')
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "PYTHONDONTWRITEBYTECODE": "1"}
    a.out.mkdir(parents=True, exist_ok=True)
    results = []
    for m in a.modules or list(MODULES):
        r = run_module(m, a.workdir, a.max_children, env)
        (a.out / f"{m}.json").write_text(json.dumps(r, indent=1) + "\n")
        print(f"{m:15} {r['mutants']:4} mutants  score {100 * r['score']:5.1f}%  unexplained {r['unexplained']}"
              f"  ({r['seconds']} s)", flush=True)
        results.append(r)
    # the summary holds every module measured so far (a run of some modules updates their rows)
    every = [json.loads((a.out / f"{m}.json").read_text()) for m in MODULES if (a.out / f"{m}.json").exists()]
    (a.out / "summary.md").write_text(summary(every))
    (a.out / "equivalent.md").write_text(equivalents(every))
    print(summary(every))
    bad = [r["module"] for r in results if r["unexplained"] or r["score"] < a.min_score]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
