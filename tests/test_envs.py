"""envs/*.yaml must name the same version ranges as pyproject.toml."""
import re
import tomllib

import yaml


def ranges_from_pyproject(root):
    deps = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    out = {}
    for d in deps:
        m = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", d)
        out[m.group(1).lower()] = m.group(2).replace(" ", "")
    return out


# conda-forge's name of a package where it differs from PyPI's
CONDA_NAMES = {"python-isal": "isal"}


def test_conda_envs_match_pyproject(root):
    py = ranges_from_pyproject(root)
    seen = set()
    for env in sorted((root / "envs").glob("*.yaml")):
        for dep in yaml.safe_load(env.read_text())["dependencies"]:
            name, _, rng = dep.partition(" ")
            name = CONDA_NAMES.get(name, name)
            if name == "python":
                continue
            assert name.lower() in py, f"{env.name}: {name} is not a dependency in pyproject.toml"
            assert rng.replace(" ", "") == py[name.lower()], f"{env.name}: {name} {rng} != {py[name.lower()]}"
            seen.add(name.lower())
    # every runtime dependency except snakemake itself is in some env
    assert set(py) - {"snakemake"} <= seen


def rule_blocks(text: str) -> list[str]:
    """Every rule of a .smk, named or not, at any indentation (the batch rules are made in loops)."""
    starts = [m.start() for m in re.finditer(r"^[ \t]*rule(?:[ \t]+\w+)?[ \t]*:", text, re.M)]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def test_every_rule_that_runs_something_names_an_env(root):
    blocks = []
    for smk in sorted((root / "workflow" / "rules").glob("*.smk")) + [root / "Snakefile"]:
        for block in rule_blocks(smk.read_text()):
            blocks.append(block)
            if "script:" in block or "shell:" in block:
                assert "conda:" in block, f"{smk.name}: rule {block.splitlines()[0].strip()} has no conda env"
    # bins, the coverage, call and page batches, reference, cohort, report, multiqc, all
    assert len(blocks) == 9


def test_config_readme_documents_every_schema_key(root):
    """config/README.md is written by hand: every key of the schema must be in its table,
    with the schema's default."""
    import yaml
    props = yaml.safe_load((root / "workflow" / "schemas" / "config.schema.yaml").read_text())["properties"]
    text = (root / "config" / "README.md").read_text()
    rows = {line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")}
    blocks = tuple(k for k, v in props.items() if v.get("type") == "object")
    keys = [(k, v) for k, v in props.items() if k not in blocks]
    keys += [(f"{blk}.{k}", v) for blk in blocks for k, v in props[blk]["properties"].items()]
    for key, spec in keys:
        row = next((r for name, r in rows.items() if key in [n.strip().strip("`") for n in name.split("/")]), None)
        assert row is not None, f"config/README.md does not document `{key}`"
        names = [n.strip().strip("`") for n in row.split("|")[1].split("/")]
        cells = [c.strip().strip("`") for c in row.split("|")[-2].split(" / ")]   # `a` / `b` | 1 / 2: a row per pair
        cell = cells[names.index(key)] if len(cells) == len(names) else cells[0]
        got, want = documented_default(cell), spec.get("default")
        assert got == want and isinstance(got, bool) == isinstance(want, bool), (key, cell, want, row)


def documented_default(cell: str):
    """A default as the README writes it, read as a value: numbers as numbers (0.20 is 0.2,
    and 0.15 is not 0.1), null, true/false, anything else as text."""
    if cell in ("null", "true", "false"):
        return {"null": None, "true": True, "false": False}[cell]
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell


def test_documented_defaults_are_read_as_values():
    assert documented_default("0.20") == 0.2 and documented_default("0.15") != 0.1
    assert documented_default("1000") == 1000 and documented_default("null") is None
    assert documented_default("false") is False and documented_default("config/samples.tsv") == "config/samples.tsv"
