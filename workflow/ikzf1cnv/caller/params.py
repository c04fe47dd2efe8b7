"""The caller's settings (from the validated config and the calibration table) and what it
knows of the genome (exon units, arms, introns, rules)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.annotation import group_windows
from .lod import type_interval
from .model import ModelParams
from .types import TypePrior


@dataclass(frozen=True)
class CallerParams:
    """The caller's settings: built from the validated config (from_config), whose schema
    holds every default; no defaults here but the two constants below."""
    model: ModelParams
    sd_floor: float
    offtarget_sd_floor: float
    min_offtarget_reads: float
    arm_sd_floor: float
    min_arm_bins: int
    false_positive_rate: float
    blast_pct_tolerance: float
    blast_pct_sd: float
    recentre_bandwidth: float
    gain_level: float
    min_depth: float
    max_noise: float
    min_ikzf1_exons_with_data: int
    min_bins_per_chrom: int = 3  # a chromosome's median (recentring, gains) needs this many bins
    # ((n_positions, switch_penalty), ...) ascending: the calibrated penalty for a window of
    # up to n positions at the configured false-positive rate; empty = model's penalty
    penalty_table: tuple = ()
    type_prior: TypePrior | None = None   # the deletion types' shares (caller.types); None: the data alone
    bin_correlation: bool = False   # whole-genome mode: touching bins' shared bias weighs runs down (prepare)

    def model_for(self, n_units: int) -> ModelParams:
        """Model parameters for a window of n_units positions."""
        for n, pen in self.penalty_table:
            if n_units <= n:
                return replace(self.model, switch_penalty=pen)
        if self.penalty_table:
            return replace(self.model, switch_penalty=self.penalty_table[-1][1])
        return self.model

    @classmethod
    def from_config(cls, caller: dict, qc: dict, calibration: pd.DataFrame | None = None,
                    whole_genome: bool = False, types: pd.DataFrame | None = None) -> "CallerParams":
        """From the validated config. Without an explicit caller.switch_penalty, the penalty
        comes from the calibration table at caller.false_positive_rate. In whole-genome mode
        the depth threshold is qc.min_depth_genome."""
        table = ()
        pen = caller.get("switch_penalty")
        if pen is None:
            if calibration is None:
                raise ValueError("caller.switch_penalty is not set and no calibration table was given")
            c = calibration[np.isclose(calibration["fp_rate"], caller["false_positive_rate"])]
            if c.empty:
                raise ValueError(f"caller.false_positive_rate {caller['false_positive_rate']} is not in the "
                                 f"calibration table (rates: {sorted(set(calibration['fp_rate']))})")
            table = tuple((int(n), float(p)) for n, p in sorted(zip(c["n_units"], c["switch_penalty"])))
            pen = table[-1][1]
        m = ModelParams(switch_penalty=float(pen), biallelic_penalty=caller["biallelic_penalty"],
                        f_min=caller["min_cell_fraction"], huber_k=caller["huber_k"])
        return cls(model=m, sd_floor=caller["sd_floor"], offtarget_sd_floor=caller["offtarget_sd_floor"],
                   min_offtarget_reads=caller["min_offtarget_reads"], arm_sd_floor=caller["arm_sd_floor"],
                   min_arm_bins=caller["min_arm_bins"],
                   false_positive_rate=caller["false_positive_rate"],
                   blast_pct_tolerance=caller["blast_pct_tolerance"], blast_pct_sd=caller["blast_pct_sd"],
                   recentre_bandwidth=caller["recentre_bandwidth"], gain_level=caller["gain_level"],
                   min_depth=qc["min_depth_genome"] if whole_genome else qc["min_depth"], max_noise=qc["max_noise"],
                   min_ikzf1_exons_with_data=qc["min_ikzf1_exons_with_data"], penalty_table=table,
                   bin_correlation=whole_genome,
                   type_prior=None if types is None else TypePrior.from_table(
                       types, reach=caller["type_reach"], alt_ratio=caller["type_alt_ratio"],
                       use_prior=caller["type_prior"]))


@dataclass(frozen=True)
class Annotation:
    """What the caller needs to know about the genome: exon units of the called genes,
    chromosome arms, IKZF1 introns, and the rules (rules.yaml)."""
    units: pd.DataFrame
    arms: pd.DataFrame
    introns: pd.DataFrame
    rules: dict

    @cached_property
    def windows(self) -> dict[str, tuple[str, int, int]]:
        """Every model group's window (core.annotation.group_windows), worked out once."""
        return group_windows(self.units, self.rules)

    @cached_property
    def lod_intervals(self) -> dict[str, tuple[int, int]]:
        """The interval of each IKZF1 deletion type with a limit of detection (rules.yaml
        `lod_types`; caller.lod.type_interval), worked out once."""
        return {name: type_interval(self.units, self.introns, "IKZF1", a, b)
                for name, (a, b) in self.rules["lod_types"]["IKZF1"].items()}
