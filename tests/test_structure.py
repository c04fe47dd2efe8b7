"""The package's shape: a folder per role, imports only downward and no cycle, modules and
functions of a readable size, and every rule wired to its stage's Job by the same names."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "workflow" / "ikzf1cnv"
# bottom to top: a module may import from its own folder and from folders before it
LAYERS = ["core", "reads", "inputs", "cnvkit", "reference", "caller", "cohort", "stages"]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 6


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PKG.parent).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted(PKG.rglob("*.py"))}


def imports_of(name: str, path: Path) -> set[str]:
    """The package modules (or packages) a module imports, anywhere in it (functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "ikzf1cnv":
                continue
            known = modules()
            for alias in node.names:   # `from .x import y`: y may be a module of x
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "ikzf1cnv"}
    return out


def layer(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:
        return -1                          # the package itself (its version)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else len(LAYERS)


def test_every_module_is_in_a_layer():
    stray = [m for m in modules() if m.count(".") >= 1 and m.split(".")[1] not in LAYERS]
    assert not stray, f"modules outside the layers {LAYERS}: {stray}"


def test_imports_only_go_down():
    up = [(m, t) for m, p in modules().items() for t in imports_of(m, p)
          if layer(t) > layer(m) and not (m.count(".") == 0)]
    assert not up, "a module imports from a layer above its own: " + ", ".join(f"{m} -> {t}" for m, t in up)


def test_no_import_cycle():
    graph = {m: {t for t in imports_of(m, p) if t in modules() and t != m and not m.startswith(t + ".")}
             for m, p in modules().items()}
    state, path = {}, []

    def visit(m):
        state[m] = "open"
        path.append(m)
        for t in graph[m]:
            if state.get(t) == "open":
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(t):] + [t]))
            if t not in state:
                visit(t)
        state[m] = "done"
        path.pop()
    for m in graph:
        if m not in state:
            visit(m)


def test_the_checks_see_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The two checks above fail on a planted upward import and a planted cycle."""
    global PKG
    fake = tmp_path / "ikzf1cnv"
    for d in ("core", "caller"):
        (fake / d).mkdir(parents=True)
        (fake / d / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "core" / "a.py").write_text("from ..caller import b\n")      # upward
    (fake / "caller" / "b.py").write_text("from . import c\n")
    (fake / "caller" / "c.py").write_text("def f():\n    from .b import x\n")   # b -> c -> b
    monkeypatch.setattr(sys.modules[__name__], "PKG", fake)
    with pytest.raises(AssertionError, match="core.a -> ikzf1cnv.caller.b"):
        test_imports_only_go_down()
    with pytest.raises(AssertionError, match="import cycle"):
        test_no_import_cycle()


def sizes(path: Path):
    """(function, lines, parameters) of every function of a module."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            params = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")]
            params += ["*"] * bool(a.vararg) + ["**"] * bool(a.kwarg)
            yield node.name, node.end_lineno - node.lineno + 1, len(params)


def test_modules_and_functions_are_of_a_readable_size():
    big = {m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    long = [(m, f, n) for m, p in modules().items() for f, n, _ in sizes(p) if n > MAX_FUNCTION_LINES]
    wide = [(m, f, k) for m, p in modules().items() for f, _, k in sizes(p) if k > MAX_PARAMETERS]
    assert not big, f"modules over {MAX_MODULE_LINES} lines: {big}"
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
    assert not wide, f"functions with over {MAX_PARAMETERS} parameters (use one parameter object): {wide}"


# ------------------------------------------------------------------ each step wired once
def test_a_job_takes_the_rules_names_and_refuses_a_missing_or_extra_one():
    from ikzf1cnv.stages import cohort, wiring
    named = {"records": ["a.json", "b.json"], "reference_table": "t.tsv", "rules": "r.yaml",
             "frequency_min_samples": 10, "frequency_alpha": 0.05, "calls": "c.tsv", "freq": "f.tsv", "mqc": "m"}
    job = cohort.CohortJob.from_names(named)
    assert job.records == ["a.json", "b.json"] and job.frequency_alpha == 0.05 and job.mqc == "m"
    with pytest.raises(wiring.WiringError, match="the job needs, the rule does not give: frequency_alpha"):
        cohort.CohortJob.check_names("cohort", ["records", "reference_table", "rules"], ["calls", "freq", "mqc"],
                                     ["frequency_min_samples"])
    with pytest.raises(wiring.WiringError, match="the rule gives, the job has no field for: pax5"):
        cohort.CohortJob.check_names("cohort", ["records", "reference_table", "rules"], ["calls", "freq", "mqc"],
                                     ["frequency_min_samples", "frequency_alpha", "pax5"])
    with pytest.raises(wiring.WiringError, match="named more than once"):
        cohort.CohortJob.check_names("cohort", ["records", "reference_table", "rules", "calls"],
                                     ["calls", "freq", "mqc"], ["frequency_min_samples", "frequency_alpha"])


def test_a_batch_is_a_list_of_per_sample_jobs():
    from ikzf1cnv.stages import coverage, wiring
    named = {"sample": ["S1", "S2"], "bam": ["1.bam", "2.bam"], "bai": ["1.bai", "2.bai"], "target_bins": "t",
             "antitarget_bins": "a", "hg38_contigs": "c38", "hg19_contigs": "c19", "fasta": [], "genome": "hg38",
             "min_mapq": 0, "junction_settings": {}, "on_sample_error": "continue", "sequential": True,
             "target_coverage": ["1.t", "2.t"], "antitarget_coverage": ["1.a", "2.a"], "bam_info": ["1.j", "2.j"],
             "junctions": ["1.x", "2.x"], "idxstats": ["1.i", "2.i"], "stats": []}
    job = coverage.CoverageBatch.from_names(named, {"threads": 3})
    assert [m.sample for m in job.members] == ["S1", "S2"] and job.threads == 3 and job.fasta is None
    assert job.members[1] == coverage.CoverageBam("S2", "2.bam", "2.bai", "2.t", "2.a", "2.j", "2.x", "2.i", None)
    with pytest.raises(wiring.WiringError, match="1 value"):
        coverage.CoverageBatch.from_names({**named, "bam": ["1.bam"]})


def test_every_rule_names_its_jobs_fields(root, tmp_path):
    """The workflow checks each rule against its Job when it is parsed (Snakefile:
    check_wiring): the real workflow passes, and a copy whose rule names a param its Job
    lacks stops at the dry run, naming it."""
    cmd = [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--config", f"outdir={tmp_path / 'o'}"]
    ok = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    copy = tmp_path / "wf"
    copy.mkdir()
    for name in ("Snakefile", "workflow", "config", "resources"):
        src = root / name
        (copy / name).symlink_to(src) if name == "resources" else \
            (shutil.copytree(src, copy / name) if src.is_dir() else shutil.copy(src, copy / name))
    rule = copy / "workflow" / "rules" / "cohort.smk"
    rule.write_text(rule.read_text().replace("frequency_alpha=config", "alpha=config"))
    bad = subprocess.run(cmd, cwd=copy, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "rule cohort and ikzf1cnv.stages.cohort.CohortJob disagree" in bad.stderr + bad.stdout
    assert "frequency_alpha" in bad.stderr + bad.stdout and "alpha" in bad.stderr + bad.stdout
