"""The design schema: a typed, strict TOML design (method, parameters, seeds, months, outputs) and its
constants (methods, statistics, default outputs, the smallest useful samples). Values are strictly typed:
`12.0` is not a count, `"1.2"` is not a number.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from abm.scenario import (
    SEED_LIMIT,
    ScenarioError,
)

DESIGN_PACKAGE = "experiments.designs"
METHODS = ("grid", "lhs", "sobol", "morris", "points")
STATISTICS = ("final", "mean", "last12", "total", "min", "max", "change")
STATISTIC_DOC = {
    "final": "value in the last month",
    "mean": "mean over months 1..T",
    "last12": "mean over the last 12 months",
    "total": "sum over months 1..T (flows, money)",
    "min": "minimum over months 1..T",
    "max": "maximum over months 1..T",
    "change": "last month minus month 0",
}
# Kept when a design says nothing about outputs: the contract's headline metrics.
DEFAULT_SUMMARY: dict[str, list[str]] = {
    "inclusion_rate": ["final", "mean"],
    "participation_rate": ["final"],
    "inclusion_gap": ["final"],
    "displacement_per_100": ["final", "mean"],
    "throughput_rate": ["mean", "last12"],
    "municipal_net_cost": ["mean", "total"],
    "n_basisbaan": ["final"],
    "n_parallel": ["final"],
    "mean_wellbeing": ["final"],
}
# The outputs `plm sensitivity` analyses by default, and short names for them.
HEADLINE_OUTPUTS = ("inclusion_rate_final", "displacement_per_100_final", "throughput_rate_mean",
                    "municipal_net_cost_total")
OUTPUT_ALIASES = {"inclusion": "inclusion_rate_final", "displacement": "displacement_per_100_final",
                  "throughput": "throughput_rate_mean", "net_cost": "municipal_net_cost_total",
                  "cost": "municipal_net_cost_total"}
SPEC_KEYS = {"levels", "min", "max", "integer"}
RESERVED_COLUMNS = {"run_id", "status", "seed", "point", "wall_seconds", "worker", "finished_utc", "model_version",
                    "error", "traceback"}
MAX_RUNS = 5_000_000
# The project's own packages (pyproject.toml, [tool.setuptools.packages.find]): a design's `function` may name a
# callable in these without --allow-code. The test helpers under tests/ are not part of the installed project.
PROJECT_PACKAGES = ("abm", "agents", "environments", "experiments", "viz")

# The smallest sample each sensitivity method needs (docs/sweeps.md § Sensitivity analysis; measured with
# `python -m experiments.sensitivity minimums`):
# - sobol: base sample N >= 64. Below it the bootstrap intervals cover the true Ishigami indices in at most
#   91% of cases (98% at N = 64); at N = 4 the indices are off by up to 1.4.
# - morris: r >= 10 trajectories (the usual range is 10 to 20). With fewer, some sample of the Ishigami function
#   gives an influential parameter a mu* off by 100% (mu* = 0, or double the reference); from 10 on at most 84%.
# - lhs, analysed by RBD-FAST with M = 10 harmonics: the periodogram of N points has N/2 frequencies, so the
#   estimate needs N > 2M (else S1 = 1 for every parameter) and SALib's bootstrap, which uses half the points,
#   needs N/2 > 2M + 1 (else every interval is 0): N >= 4M + 4 = 44 points.
RBD_FAST_M = 10
MIN_SAMPLES = {"sobol": 64, "morris": 10, "lhs": 4 * RBD_FAST_M + 4}
MIN_SAMPLES_TEXT = f"sobol N >= 64, morris >= 10 trajectories, lhs >= {4 * RBD_FAST_M + 4} points"


class DesignError(ScenarioError):
    """A design that cannot run; the message is one line: key, value, what is allowed."""


# --- schema ---------------------------------------------------------------------------------------------

class ParamSpec(BaseModel):
    """One varied parameter: `levels` (grid) or a `min`..`max` range (lhs, sobol, morris)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    levels: list[Any] | None = Field(None, min_length=1, description="values of a grid parameter")
    min: float | None = Field(None, description="lower bound of a sampled parameter")
    max: float | None = Field(None, description="upper bound of a sampled parameter")
    integer: bool | None = Field(None, description="round sampled values (default: from the parameter's type)")


class OutputSpec(BaseModel):
    """What each run keeps: summary statistics of metrics, and optionally the whole monthly time series."""

    model_config = ConfigDict(extra="forbid", strict=True)
    summary: dict[str, list[Literal["final", "mean", "last12", "total", "min", "max", "change"]]] = Field(
        default_factory=lambda: copy.deepcopy(DEFAULT_SUMMARY),
        description="metric -> statistics; columns are named METRIC_STATISTIC")
    timeseries: bool = Field(False, description="also keep every run's monthly time series (partitioned Parquet)")
    by_municipality: bool = Field(False, description="also keep every run's results per municipality (a scenario "
                                                     "design; partitioned Parquet; docs/model.md)")

    def columns(self) -> list[str]:
        return [f"{metric}_{stat}" for metric, stats in self.summary.items() for stat in dict.fromkeys(stats)]


class SensitivitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    outputs: list[str] | None = Field(None, min_length=1,
                                      description="output columns `plm sensitivity` analyses (default: the "
                                                  "headline outputs the design keeps)")


class Design(BaseModel):
    """A sweep: base scenario, varied parameters, method, seeds, months, outputs (values strictly typed)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str = Field(..., pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80,
                      description="name of the sweep (letters, digits, _ . -); the default output folder")
    description: str = Field("", description="one line on what the sweep asks")
    scenario: str = Field("default", min_length=1, description="base scenario: a preset name or a TOML file "
                                                                "(relative to the design file)")
    function: str | None = Field(None, pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
                                 description="run `module:callable(params, seed, months)` instead of the model")
    method: Literal["grid", "lhs", "sobol", "morris", "points"] = Field("grid", description="how points are chosen")
    samples: int | None = Field(None, ge=1, le=1_000_000,
                                description="lhs: points; sobol: base sample N (a power of 2); morris: trajectories")
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels")
    points: list[dict[str, float]] | None = Field(None, min_length=1, max_length=1_000_000,
                                                  description="points: the points themselves, one table of "
                                                              "parameter values each (a sequential sampler's "
                                                              "proposals; each within its parameter's min..max)")
    second_order: bool = Field(False, description="sobol: also second-order indices (N*(2D+2) points, not N*(D+2))")
    sample_seed: int = Field(1, ge=0, le=2**32 - 1, description="seed of the sampler (the design is reproducible)")
    seeds: int | list[int] = Field(1, description="model seeds per point: a count, or a list of seeds "
                                                  "(each 0 <= seed < 2**63)")
    seed_start: int = Field(1, description="first seed when `seeds` is a count (0 <= seed_start and the last "
                                           "seed < 2**63)")
    months: int | None = Field(None, ge=1, le=1200, description="months per run (default: the scenario's)")
    set: dict[str, Any] = Field(default_factory=dict, description="fixed changes to the base scenario (dotted keys)")
    parameters: dict[str, ParamSpec] = Field(..., min_length=1, description="the varied parameters")
    outputs: OutputSpec = Field(default_factory=OutputSpec)
    sensitivity: SensitivitySpec = Field(default_factory=SensitivitySpec)

    _origin: str = PrivateAttr("design")
    _base_dir: Path | None = PrivateAttr(None)
    _text: str | None = PrivateAttr(None)
    _kinds: dict[str, str] = PrivateAttr(default_factory=dict)
    _checked: bool = PrivateAttr(False)
    _notes: list[str] = PrivateAttr(default_factory=list)  # one line each: what a key means here
    _allow_code: bool = PrivateAttr(False)
    _overrides: dict[str, Any] = PrivateAttr(default_factory=dict)  # from the command line (design.overrides)
    _folder: Path | None = PrivateAttr(None)  # the sweep folder it was read from (resuming), else None

    @field_validator("seeds", mode="before")
    @classmethod
    def _seeds(cls, v):
        seed_range = "whole numbers from 0 to 2**63 - 1"
        if _whole(v):
            if not 1 <= v <= 100_000:
                raise ValueError(f"seeds = {v}: allowed: a count from 1 to 100000, or a list of seeds ({seed_range})")
            return v
        if not isinstance(v, list):
            raise ValueError(f"seeds = {_short(v)}: allowed: a count from 1 to 100000, or a list of seeds "
                             f"({seed_range})")
        if not v:
            raise ValueError("seeds = []: allowed: a count from 1 to 100000, or a non-empty list of seeds")
        if len(v) > 100_000:
            raise ValueError(f"seeds: {len(v):,} seeds; allowed: at most 100000")
        for i, s in enumerate(v):
            if not _whole(s) or not 0 <= s < SEED_LIMIT:
                raise ValueError(f"seeds[{i}] = {_short(s)}: allowed: {seed_range}")
        if len(set(v)) != len(v):
            dup = next(s for s in v if v.count(s) > 1)
            raise ValueError(f"seeds = {_short(v)}: {dup} appears twice; allowed: distinct seeds")
        return v

    @field_validator("seed_start", mode="before")
    @classmethod
    def _seed_start(cls, v):
        if not _whole(v) or not 0 <= v < SEED_LIMIT:
            raise ValueError(f"seed_start = {_short(v)}: allowed: a whole number from 0 to 2**63 - 1")
        return v

    @model_validator(mode="after")
    def _last_seed(self):
        if isinstance(self.seeds, int) and self.seed_start + self.seeds - 1 >= SEED_LIMIT:
            raise ValueError(f"seed_start = {self.seed_start} with seeds = {self.seeds}: the last seed would be "
                             f"{self.seed_start + self.seeds - 1}; allowed: seeds below 2**63 (seed_start <= "
                             f"{SEED_LIMIT - self.seeds})")
        return self

    @field_validator("set", mode="before")
    @classmethod
    def _flat_set(cls, v):
        return flatten_set(v) if isinstance(v, dict) else v

    @field_validator("parameters", mode="before")
    @classmethod
    def _flat_parameters(cls, v):
        return flatten_parameters(v) if isinstance(v, dict) else v

    # --- derived ---------------------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        return self._origin

    @property
    def seed_list(self) -> list[int]:
        if isinstance(self.seeds, int):
            return list(range(self.seed_start, self.seed_start + self.seeds))
        return list(self.seeds)

    @property
    def is_model(self) -> bool:
        return self.function is None

    @property
    def overrides(self) -> dict[str, Any]:
        """What the command line changed in the design as given (`--months`, `--seeds`, `--samples`, `--set`)."""
        return dict(self._overrides)

    @property
    def notes(self) -> list[str]:
        """One line each: where a key of `[set]` or `parameters` does not hold for the whole run everywhere."""
        return list(self._notes)

    def resolved_dict(self) -> dict[str, Any]:
        """The design as checked (integer flags explicit): enough to rebuild the points without the scenario."""
        data = self.model_dump(mode="json")
        for key, kind in self._kinds.items():
            data["parameters"][key]["integer"] = kind == "int"
        return data

    def problem(self) -> dict[str, Any]:
        """The SALib problem of a sampled design."""
        names = list(self.parameters)
        return {"num_vars": len(names), "names": names,
                "bounds": [[self.parameters[k].min, self.parameters[k].max] for k in names]}


def _whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def flatten_parameters(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`[parameters.policy] caseload = {...}` and `"policy.caseload" = {...}` both give 'policy.caseload'."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and not (set(value) & SPEC_KEYS):
            out.update(flatten_parameters(value, name + "."))
        else:
            out[name] = value
    return out


def flatten_set(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten_set(value, name + "."))
        else:
            out[name] = value
    return out
