"""Each step wired once: the Snakemake rule is the one place that names a step's files and
settings; its Job (a frozen dataclass) takes them by name.

A Job's fields are the rule's named inputs, outputs and params (one namespace: a name may
appear in only one of the three). A batch job (one job reads several samples) declares
MEMBER, the per-sample job: its fields are the rule's per-sample lists, one entry per
sample in the order of the rule's `sample` list, and the batch holds a tuple of them in
`members`. Fields listed in RUNTIME come from the job's run, not from the rule (threads).

Job.from_snakemake(snakemake) builds the job and fails loudly on a name the rule gives
that the Job lacks, or one the Job needs that the rule does not give; check_rule makes the
same comparison for every rule when the workflow is parsed (the Snakefile runs it), so a
mismatch stops a dry run before any job starts.
"""
from __future__ import annotations

import dataclasses
from typing import ClassVar


class WiringError(Exception):
    """A rule and its Job disagree about the names of the step's files or settings."""


@dataclasses.dataclass(frozen=True)
class Job:
    MEMBER: ClassVar[type | None] = None      # a batch: the per-sample job
    RUNTIME: ClassVar[tuple[str, ...]] = ()   # fields set from the run (threads)

    @classmethod
    def rule_names(cls) -> set[str]:
        """The names the rule must give: the job's fields (and its members' fields)."""
        own = {f.name for f in dataclasses.fields(cls)} - set(cls.RUNTIME) - {"members"}
        return own | ({f.name for f in dataclasses.fields(cls.MEMBER)} if cls.MEMBER else set())

    @classmethod
    def check_names(cls, rule: str, input_names, output_names, param_names):
        """WiringError unless the rule's names are exactly the job's, each given once."""
        given = [*input_names, *output_names, *param_names]
        twice = sorted({n for n in given if given.count(n) > 1})
        missing = sorted(cls.rule_names() - set(given))
        extra = sorted(set(given) - cls.rule_names())
        if twice or missing or extra:
            raise WiringError(
                f"rule {rule} and {cls.__module__}.{cls.__name__} disagree:"
                + (f" named more than once (input/output/params): {', '.join(twice)};" if twice else "")
                + (f" the job needs, the rule does not give: {', '.join(missing)};" if missing else "")
                + (f" the rule gives, the job has no field for: {', '.join(extra)};" if extra else "")
                + " Fix: name each of the step's files and settings once in the rule, as a field of the job")

    @classmethod
    def from_snakemake(cls, smk):
        """The job of a running rule (the `snakemake` object of its script)."""
        named = {**dict(smk.input.items()), **dict(smk.output.items()), **dict(smk.params.items())}
        cls.check_names(smk.rule, smk.input.keys(), smk.output.keys(), smk.params.keys())
        runtime = {name: getattr(smk, name) for name in cls.RUNTIME}
        return cls.from_names(named, runtime)

    @classmethod
    def from_names(cls, named: dict, runtime: dict | None = None):
        """The job from the rule's values by name (what from_snakemake reads off a run)."""
        own = {f.name: _value(f, named[f.name]) for f in dataclasses.fields(cls)
               if f.name not in cls.RUNTIME and f.name != "members"}
        if cls.MEMBER is not None:
            own["members"] = tuple(_members(cls.MEMBER, named))
        return cls(**own, **(runtime or {}))


def _optional(f: dataclasses.Field) -> bool:
    t = str(f.type)
    return "None" in t and not t.startswith(("list", "tuple"))


def _value(f: dataclasses.Field, v):
    """A rule's value for field f: file lists as lists, an optional file given as [] None."""
    if isinstance(v, list) and not isinstance(v, str):
        if _optional(f):
            return v[0] if v else None
        return list(v)
    return v


def _members(member: type, named: dict):
    """The per-sample jobs of a batch: entry i of every per-sample list."""
    samples = list(named["sample"])
    fields = dataclasses.fields(member)
    columns = {}
    for f in fields:
        v = list(named[f.name])
        if not v and _optional(f):
            v = [None] * len(samples)
        if len(v) != len(samples):
            raise WiringError(f"{member.__name__}.{f.name}: {len(v)} value(s) for {len(samples)} sample(s)")
        columns[f.name] = v
    for i in range(len(samples)):
        yield member(**{name: values[i] for name, values in columns.items()})


def check_rule(rule, jobs: dict):
    """check_names for a parsed Snakemake rule whose script runs a stage: `jobs` maps the
    script's name (workflow/scripts/<name>.py) to its Job class."""
    from pathlib import Path
    name = Path(str(rule.script)).stem if getattr(rule, "script", None) else None
    if name in jobs:
        jobs[name].check_names(rule.name, rule.input.keys(), rule.output.keys(), rule.params.keys())
