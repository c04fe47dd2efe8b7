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


def test_conda_envs_match_pyproject(root):
    py = ranges_from_pyproject(root)
    seen = set()
    for env in sorted((root / "envs").glob("*.yaml")):
        for dep in yaml.safe_load(env.read_text())["dependencies"]:
            name, _, rng = dep.partition(" ")
            if name == "python":
                continue
            assert name.lower() in py, f"{env.name}: {name} is not a dependency in pyproject.toml"
            assert rng.replace(" ", "") == py[name.lower()], f"{env.name}: {name} {rng} != {py[name.lower()]}"
            seen.add(name.lower())
    # every runtime dependency except snakemake itself is in some env
    assert set(py) - {"snakemake"} <= seen


def test_every_rule_with_a_script_names_an_env(root):
    for smk in (root / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text()
        for block in re.split(r"\nrule ", text)[1:]:
            if "script:" in block or "multiqc" in block.split("\n")[0]:
                assert "conda:" in block, f"{smk.name}: rule {block.split(':')[0]} has no conda env"
