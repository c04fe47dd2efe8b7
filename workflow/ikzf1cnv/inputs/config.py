"""Checking the config against its schema before anything runs: a misspelt key names the
closest setting, a value out of range what is allowed, each with its file and line."""
from __future__ import annotations

from pathlib import Path

import jsonschema

from ..core.errors import InputError


def _yaml_line(files: list[str], path: list) -> str:
    """Where a config key is written: ' (file, line n)' in the last config file that sets
    it, or ' (given with --config)' when none does."""
    import yaml
    for f in reversed([str(f) for f in files]):
        try:
            node = yaml.compose(Path(f).read_text())
        except (OSError, yaml.YAMLError):
            continue
        key = None
        for k in path:
            if not isinstance(node, yaml.MappingNode):
                key = None
                break
            key, node = next(((kn, vn) for kn, vn in node.value if kn.value == str(k)), (None, None))
            if key is None:
                break
        if key is not None:
            return f" ({f}, line {key.start_mark.line + 1})"
    return " (given with --config)"


def _allowed(s: dict) -> str:
    """What a config setting's schema allows, in words."""
    if "enum" in s:
        return "one of " + ", ".join(str(v) for v in s["enum"])
    types = s.get("type") if isinstance(s.get("type"), list) else [s.get("type")]
    if "boolean" in types:
        return "true or false"
    if "object" in types:
        return "a block of settings (" + ", ".join(s.get("properties", {})) + ")"
    kind = "an integer" if "integer" in types else "a number" if "number" in types else \
        "a path or text" if "string" in types else "a value"
    bounds = [f"{op} {s[k]}" for k, op in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                                           ("exclusiveMaximum", "<")) if k in s]
    return kind + (" " + " and ".join(bounds) if bounds else "") + (", or null" if "null" in types else "")


def empty_blocks_as_defaults(config: dict, schema: dict) -> None:
    """A block of settings written with all its keys commented out (`caller:` alone) is
    YAML null: read it as an empty block, which the schema's defaults fill."""
    for k, sub in schema.get("properties", {}).items():
        if sub.get("type") == "object" and k in config and config[k] is None:
            config[k] = {}


def check_config(config: dict, schema: dict, files: list[str]) -> None:
    """Check the config against its schema before anything runs; raise InputError listing
    every problem with the file and line it is on and its fix: a key the schema does not
    know (misspelt: the closest setting is named), a value outside what it allows."""
    import difflib

    problems = []

    def unknown(obj, sch, path):
        props = sch.get("properties")
        if not isinstance(obj, dict) or props is None:
            return
        for k, v in obj.items():
            if k in props:
                unknown(v, props[k], path + [k])
                continue
            if sch.get("additionalProperties", True) is not False:
                continue
            name, near = ".".join(path + [str(k)]), difflib.get_close_matches(str(k), list(props), n=1)
            block = f"`{'.'.join(path)}`" if path else "this workflow"
            fix = (f"Did you mean `{'.'.join(path + [near[0]])}`? Fix: rename it `{near[0]}`" if near else
                   f"Fix: remove it, or use one of the settings of {block}: {', '.join(props)}" if path else
                   "Fix: remove it (the settings are listed in config/README.md)")
            problems.append(f"config key `{name}`{_yaml_line(files, path + [k])} is not a setting of {block}. {fix}")

    unknown(config, schema, [])
    validator = jsonschema.validators.validator_for(schema)(schema)
    for err in sorted(validator.iter_errors(config), key=lambda e: [str(x) for x in e.absolute_path]):
        if err.validator == "additionalProperties":
            continue                                  # reported above, with the closest setting
        if err.validator == "required" and all("default" in schema["properties"].get(k, {})
                                               for k in err.validator_value):
            continue                                  # filled from the schema's default
        path = list(err.absolute_path)
        problems.append(f"config `{'.'.join(map(str, path))}`{_yaml_line(files, path)}: {err.instance!r} is not "
                        f"valid ({err.message}). Fix: give {_allowed(err.schema)} (config/README.md)")
    if problems:
        raise InputError(f"the config has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))


def check_forgotten_keys(given: set, files: list[str]) -> None:
    """A config that leaves out `samples` would run the toy's sheet (the schema's default):
    an InputError naming the key, unless no config file was given but the toy's own."""
    if "samples" not in given:
        where = ", ".join(str(f) for f in files) or "--config"
        raise InputError(f"config `samples` is not set ({where}): the run would read the toy cohort's sheet "
                         f"config/samples.tsv instead of yours. Fix: add `samples: path/to/your_sheet.tsv` to the "
                         f"config (config/README.md, 'The sample sheet')")


def run_mode(targets: str | None, n_targets: int, exome_min_targets: int) -> str:
    """The mode a run is in: whole genome (no targets), exome-sized (a BED of at least
    `exome_min_targets` intervals) or panel."""
    if not targets:
        return "whole genome"
    return "exome-sized" if n_targets >= exome_min_targets else "panel"
