"""Sweep designs: which runs a sweep makes (ARCHITECTURE.md §Sweeps).

A design is a TOML file validated by a typed schema, like a scenario. It names a base scenario (a preset or a
TOML file), fixed changes to it (`[set]`), the parameters to vary (dotted scenario keys, with `levels` for a
grid or `min`/`max` for the sampled methods), the method (full `grid`, Latin hypercube `lhs`, Sobol/Saltelli
`sobol`, `morris`; the samples come from SALib), the seeds per point, the months and the outputs to keep:

    name = "smoke"
    scenario = "default"
    method = "grid"
    seeds = 2
    months = 12
    [set]
    scale = 8.0
    [parameters]
    "economy.tightness" = { levels = [0.8, 1.2] }
    "municipalities.Stad.policy.basisbaan_slots" = { levels = [0, 200] }
    [outputs]
    timeseries = false
    summary = { inclusion_rate = ["final", "mean"] }

Parameter keys are the scenario's dotted keys (docs/parameters.md); `municipalities.NAME.KEY` (or
`municipalities.*.KEY` for every municipality) reaches one municipality, including its policy
(`municipalities.Stad.policy.basisbaan_slots`). Each value is checked against the parameter's type and range
when the design is loaded; a combination the scenario refuses (for example two shares adding up to more
than 1) is not an error of the design: that run is recorded as `failed` with the scenario's message.

`[set]` and the varied parameters are overrides with the one meaning they have everywhere
(`abm.scenario.apply_overrides`): a run is the base scenario loaded with the design's `[set]`, its months and
the point's parameters as one set of overrides, exactly as `plm run --scenario S --set KEY=VALUE ...` would
load it. `policy.KEY` sets KEY for every municipality from month 0 (it replaces what a municipality or a
month-0 policy change sets); `municipalities.NAME.KEY` sets it for one and is applied after the region-wide
keys, so a municipality can still differ. Where the scenario changes a key again later in the run, or a
`[set]` entry keeps one municipality out of a varied region-wide key, `design._notes` says so in one line.

`function = "package.module:callable"` runs a Python function instead of the model (the parameters are then
free names): `callable(params, seed, months)` returns a dict of numbers or a monthly DataFrame. A design file
must not be able to run arbitrary code: the function must live in one of the project's packages
(`PROJECT_PACKAGES`) unless the caller allows other code (`plm sweep --allow-code`, `allow_code=True`). The
package's `experiments.testfunctions:ishigami` checks the sensitivity pipeline against known indices.

Seeds are whole numbers 0 <= seed < 2**63 (`abm.scenario.check_seed`), given as a list or as a count from
`seed_start`; every value in a design is strictly typed (`12.0` is not a count, `"1.2"` is not a number).

Every run is keyed by a hash of its parameters, its seed and the sweep's context (base scenario as
resolved, months, outputs, model version), so a rerun skips what is done (`experiments.sweep`).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import importlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from abm.scenario import (
    SEED_LIMIT,
    Scenario,
    ScenarioError,
    load,
    override_notes,
    scenario_data,
    split_municipal_key,
)
from abm.scenario import allowed_values as _allowed

DESIGN_PACKAGE = "experiments.designs"
METHODS = ("grid", "lhs", "sobol", "morris")
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
    method: Literal["grid", "lhs", "sobol", "morris"] = Field("grid", description="how points are chosen")
    samples: int | None = Field(None, ge=1, le=1_000_000,
                                description="lhs: points; sobol: base sample N (a power of 2); morris: trajectories")
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels")
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


# --- loading --------------------------------------------------------------------------------------------

def shipped_designs() -> list[str]:
    files = resources.files(DESIGN_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def shipped_design_path(name: str) -> Path:
    return Path(str(resources.files(DESIGN_PACKAGE).joinpath(f"{name}.toml")))


def _loc_path(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _fields_at(loc: tuple) -> dict | None:
    model: Any = Design
    for part in loc[:-1]:
        if model is Design and part == "parameters":
            model = "params"
            continue
        if model == "params":
            model = ParamSpec
            continue
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        model = fields[part].annotation
    return getattr(model, "model_fields", None)


def _unknown_key(path: str, key: str, allowed) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {path!r}; {hint}allowed keys here: {', '.join(sorted(allowed))}"


def format_design_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    # pydantic names the branch of a union (seeds: int | list[int]); drop it
    loc = tuple(p for p in loc if p not in ("int", "list[int]"))
    path = _loc_path(loc)
    if err["type"] == "extra_forbidden":
        return _unknown_key(path, str(loc[-1]), _fields_at(loc) or {})
    if err["type"] == "missing":
        return f"{path}: required"
    if err["type"] == "value_error":
        msg = str((err.get("ctx") or {}).get("error", err["msg"]))
        return msg if msg.startswith(path) else f"{path}: {msg}"
    return f"{path} = {err.get('input')!r}: {_allowed(err)}"


def load_design(spec: str | Path | dict | Design, *, check: bool = True, allow_code: bool = False) -> Design:
    """A validated design from a TOML path, a shipped design name (`smoke`), a dict or a Design.

    With `check` (the default) the parameters are also checked against the base scenario's schema; a bad
    design raises `DesignError` with one line. A `function` outside the project's packages is refused unless
    `allow_code` (`plm sweep --allow-code`)."""
    if isinstance(spec, Design):
        design = spec
    else:
        text, origin, base_dir = None, "design", None
        if isinstance(spec, dict):
            data = spec
        else:
            s = str(spec)
            path = Path(s)
            if not path.is_file() and not s.endswith(".toml") and s in shipped_designs():
                path = shipped_design_path(s)
            if not path.is_file():
                hint = difflib.get_close_matches(s, shipped_designs(), n=1)
                hint_text = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise DesignError(f"design = {s!r}: no such file or shipped design{hint_text}; allowed: a TOML file "
                                  f"path or one of {', '.join(shipped_designs())}")
            text = path.read_text(encoding="utf-8")
            origin, base_dir = str(path), path.resolve().parent
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise DesignError(f"{origin}: not valid TOML: {exc}") from None
        try:
            design = Design.model_validate(data)
        except ValidationError as exc:
            raise DesignError(f"{origin}: {format_design_error(exc)}") from None
        design._origin, design._base_dir, design._text = origin, base_dir, text
    if check and not design._checked:
        check_design(design, allow_code=allow_code)
    return design


# --- checking against the scenario schema ----------------------------------------------------------------

@dataclass
class FieldInfo:
    """What a dotted scenario key points at: its validator and its kind (int, float, bool, str, other)."""

    key: str
    adapter: TypeAdapter
    kind: str
    lo: float | None
    hi: float | None


_KIND_NAMES = {"str": "text", "bool": "true/false", "other": "structured"}


def _kind(annotation: Any) -> str:
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is str or get_origin(annotation) is Literal:
        return "str"
    return "other"


def _model_of(annotation: Any):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def scenario_field(key: str, base: Scenario) -> FieldInfo:
    """The schema field behind a dotted key (`policy.caseload`, `municipalities.Stad.policy.basisbaan_slots`)."""
    from abm.policy import PolicyParams
    from environments.region import MunicipalitySpec

    parts = key.split(".")
    model: Any = Scenario
    i = 0
    where = ""
    while i < len(parts):
        part = parts[i]
        fields = model.model_fields
        if model is Scenario and part == "municipalities":
            names = [m.name for m in base.municipalities]
            if i + 2 >= len(parts):
                raise DesignError(f"{key}: allowed: municipalities.NAME.KEY with NAME one of {names} or *")
            name = parts[i + 1]
            if name != "*" and name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise DesignError(f"{key}: no municipality {name!r}; {hint}allowed: one of {names} or *")
            model, i, where = MunicipalitySpec, i + 2, f"municipalities.{name}."
            continue
        if model is MunicipalitySpec and part == "policy":
            model, i, where = PolicyParams, i + 1, where + "policy."
            continue
        if part not in fields:
            close = difflib.get_close_matches(part, list(fields), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise DesignError(f"{key}: unknown key {part!r}; {hint}allowed keys here: {', '.join(sorted(fields))}")
        fld = fields[part]
        sub = _model_of(fld.annotation)
        if i == len(parts) - 1:
            if sub is not None:
                raise DesignError(f"{key}: is a table; allowed: one of its keys, e.g. "
                                  f"{key}.{next(iter(sub.model_fields))}")
            lo = hi = None
            for meta in fld.metadata:
                lo = getattr(meta, "ge", lo)
                hi = getattr(meta, "le", hi)
            adapter = TypeAdapter(Annotated[(fld.annotation, *fld.metadata)]) if fld.metadata \
                else TypeAdapter(fld.annotation)
            return FieldInfo(key, adapter, _kind(fld.annotation), lo, hi)
        if sub is None:
            raise DesignError(f"{key}: {where}{part} has no keys below it")
        model, i, where = sub, i + 1, where + part + "."
    raise DesignError(f"{key}: not a parameter")  # pragma: no cover


def _check_value(info: FieldInfo, value: Any, where: str) -> Any:
    if isinstance(value, (dict, list)):
        raise DesignError(f"{where} = {value!r}: allowed: a number, true/false or text")
    try:
        out = info.adapter.validate_python(value)
    except ValidationError as exc:
        raise DesignError(f"{where} = {value!r}: {_allowed(exc.errors()[0])}") from None
    if isinstance(out, float) and not math.isfinite(out):
        raise DesignError(f"{where} = {value!r}: must be a finite number")
    return out


def _value_kind(values: list[Any]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float"
    if all(isinstance(v, str) for v in values):
        return "str"
    return "mixed"


def check_function(design: Design, allow_code: bool) -> None:
    """A design's `function` must be in the project's own packages unless the caller allows other code."""
    path = design.function
    top = path.partition(":")[0].split(".")[0]
    if top not in PROJECT_PACKAGES and not allow_code:
        raise DesignError(f"{design.origin}: function = {path!r}: outside the project; allowed: a module:callable "
                          f"in {', '.join(PROJECT_PACKAGES)}, or pass --allow-code (allow_code=True) to run code "
                          "from elsewhere")


def check_design(design: Design, *, allow_code: bool = False) -> None:
    """Check the design's structure and its parameters against the base scenario; fills kinds; one line on error."""
    o = design.origin
    if not design.is_model:
        check_function(design, allow_code)  # before anything is imported: importing runs the module's code
    sampled = design.method != "grid"
    for key, spec in design.parameters.items():
        where = f"{o}: parameters.{key}"
        if key in RESERVED_COLUMNS:
            raise DesignError(f"{where}: {key!r} is a column of every record; allowed: another name")
        if sampled:
            if spec.levels is not None:
                raise DesignError(f"{where}.levels: method = {design.method!r} samples a range; allowed: min and max "
                                  "(levels are for method = 'grid')")
            if spec.min is None or spec.max is None:
                raise DesignError(f"{where}: method = {design.method!r} needs min and max")
            if not (math.isfinite(spec.min) and math.isfinite(spec.max)) or spec.min >= spec.max:
                raise DesignError(f"{where}: min = {spec.min}, max = {spec.max}; allowed: finite numbers with "
                                  "min < max")
        else:
            if spec.levels is None:
                raise DesignError(f"{where}: method = 'grid' needs levels = [...] (min and max are for lhs, sobol "
                                  "and morris)")
            if spec.min is not None or spec.max is not None:
                raise DesignError(f"{where}: method = 'grid' takes levels, not min/max")
    if sampled:
        if design.samples is None:
            raise DesignError(f"{o}: samples: required for method = {design.method!r} "
                              "(lhs: points; sobol: base sample N, a power of 2; morris: trajectories)")
        if design.method == "sobol" and design.samples & (design.samples - 1):
            raise DesignError(f"{o}: samples = {design.samples}: method = 'sobol' needs a power of 2 "
                              f"(e.g. {1 << design.samples.bit_length()})")
        if design.method in ("sobol", "morris") and len(design.parameters) < 2:
            raise DesignError(f"{o}: parameters: method = {design.method!r} needs at least 2 parameters")
    elif design.samples is not None:
        raise DesignError(f"{o}: samples = {design.samples}: method = 'grid' takes no samples (the levels make the "
                          "points)")
    for name in design.sensitivity.outputs or []:
        if not name or not name.replace("_", "a").isalnum():
            raise DesignError(f"{o}: sensitivity.outputs: {name!r} is not an output column name")

    kinds: dict[str, str] = {}
    design._notes = []
    if design.is_model:
        from abm.metrics import COLUMNS

        for metric in design.outputs.summary:
            if metric not in COLUMNS:
                close = difflib.get_close_matches(metric, COLUMNS, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise DesignError(f"{o}: outputs.summary.{metric}: not a metric; {hint}allowed: a column of the "
                                  "time series (README §Outputs)")
        base = base_scenario(design)
        design.sensitivity.outputs = resolve_design_outputs(design, design.sensitivity.outputs,
                                                            "sensitivity.outputs")
        design._notes = _notes(design, base)
        for key, spec in design.parameters.items():
            try:
                info = scenario_field(key, base)
            except DesignError as exc:
                raise DesignError(f"{o}: parameters.{exc}") from None
            where = f"{o}: parameters.{key}"
            if sampled:
                if info.kind not in ("int", "float"):
                    raise DesignError(f"{where}: a {_KIND_NAMES.get(info.kind, info.kind)} parameter cannot be "
                                      "sampled; allowed: method = 'grid' with levels")
                _check_value(info, spec.min if info.kind == "float" else math.ceil(spec.min), f"{where}.min")
                _check_value(info, spec.max if info.kind == "float" else math.floor(spec.max), f"{where}.max")
                if info.kind == "int" and math.ceil(spec.min) > math.floor(spec.max):
                    raise DesignError(f"{where}: min = {spec.min}, max = {spec.max}: no whole number in between")
                if info.kind == "int" and spec.integer is False:
                    raise DesignError(f"{where}.integer = false: a whole-number parameter; allowed: integer = true "
                                      "(or leave it out)")
                kinds[key] = "int" if (spec.integer or info.kind == "int") else "float"
            else:
                spec.levels = [_check_value(info, v, f"{where}.levels[{j}]") for j, v in enumerate(spec.levels)]
                kinds[key] = info.kind if info.kind != "other" else "str"
                if kinds[key] not in ("int", "float", "bool", "str"):
                    raise DesignError(f"{where}: only numbers, true/false and text can be varied")
    else:
        resolve_callable(design.function, f"{o}: function")
        design.sensitivity.outputs = resolve_design_outputs(design, design.sensitivity.outputs,
                                                            "sensitivity.outputs")
        for key, spec in design.parameters.items():
            where = f"{o}: parameters.{key}"
            if sampled:
                kinds[key] = "int" if spec.integer else "float"
            else:
                for j, v in enumerate(spec.levels):
                    if isinstance(v, (dict, list)):
                        raise DesignError(f"{where}.levels[{j}] = {v!r}: allowed: a number, true/false or text")
                kind = _value_kind(spec.levels)
                if kind == "mixed":
                    raise DesignError(f"{where}.levels = {spec.levels!r}: allowed: values of one type")
                kinds[key] = kind
                if kind == "float":
                    spec.levels = [float(v) for v in spec.levels]
    design._kinds = kinds
    design._allow_code = allow_code
    n = n_points(design) * len(design.seed_list)
    if n > MAX_RUNS:
        raise DesignError(f"{o}: {n:,} runs: allowed: at most {MAX_RUNS:,} in one sweep")
    design._checked = True


def _notes(design: Design, base: Scenario) -> list[str]:
    """One line per key of `[set]` or `parameters` that does not hold for the whole run everywhere: the scenario
    changes it again later (dated policy changes still apply), or a `[set]` entry for one municipality keeps
    it out of a varied region-wide key (municipal keys are applied after region-wide ones)."""
    notes = override_notes(base, dict(design.set))
    for key in design.parameters:
        notes += override_notes(base, {key: None})
    names = [m.name for m in base.municipalities]
    for key in design.parameters:
        parts = key.split(".")
        if len(parts) != 2 or parts[0] != "policy":
            continue
        for fixed, value in design.set.items():
            found = split_municipal_key(fixed, names) if fixed.startswith("municipalities.") else None
            if found and found[1] == ["policy", parts[1]]:
                who = "every municipality" if found[0] == "*" else f"municipality {found[0]}"
                notes.append(f"note: {key} is varied, but [set] {fixed} = {value!r} keeps {who} at that value "
                             "(a municipality's own key is applied after the region-wide one)")
    return list(dict.fromkeys(notes))


def scenario_spec(design: Design) -> Any:
    """The base scenario as `abm.scenario.load` takes it: a preset name or a path (relative to the design file)."""
    spec: Any = design.scenario
    if (spec.endswith(".toml") or "/" in spec) and design._base_dir is not None and not Path(spec).is_absolute():
        candidate = design._base_dir / spec
        if candidate.exists():
            spec = str(candidate)
    return spec


def fixed_overrides(design: Design) -> dict[str, Any]:
    """The overrides every run of the design shares: its `[set]` and its months."""
    fixed = dict(design.set)
    if design.months is not None:
        fixed["months"] = design.months
    return fixed


def base_scenario(design: Design) -> Scenario:
    """The base scenario with the design's fixed changes and months (raises DesignError with one line)."""
    try:
        return load(scenario_spec(design), fixed_overrides(design))
    except ScenarioError as exc:
        raise DesignError(f"{design.origin}: scenario {design.scenario!r} with set: {exc}") from None


def scenario_source(design: Design) -> dict[str, Any]:
    """The base scenario's data as written (its `base` chain resolved), before any override: each run loads it
    with the design's fixed overrides and its point's parameters together (`run_overrides`)."""
    try:
        return scenario_data(scenario_spec(design))[0]
    except ScenarioError as exc:
        raise DesignError(f"{design.origin}: scenario {design.scenario!r}: {exc}") from None


def output_columns(design: Design) -> list[str] | None:
    """The output columns of every run of a model design; None for a function design (known once it runs)."""
    return design.outputs.columns() if design.is_model else None


def resolve_design_outputs(design: Design, names: list[str] | None, where: str = "--output") -> list[str] | None:
    """Output columns for `plm sensitivity`, checked against what the design's runs keep (one line with the
    allowed names). `names` None: the headline outputs the design keeps (all of its outputs if none). For a
    function design the outputs are known only once it runs: names are returned as given (aliases resolved)."""
    columns = output_columns(design)
    if columns is None:
        return [OUTPUT_ALIASES.get(n, n) for n in names] if names else None
    if not names:
        return [c for c in HEADLINE_OUTPUTS if c in columns] or list(columns)
    out = []
    for name in names:
        col = OUTPUT_ALIASES.get(name, name)
        if col not in columns:
            aliases = [k for k, v in OUTPUT_ALIASES.items() if v in columns]
            close = difflib.get_close_matches(col, columns, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise DesignError(f"{design.origin}: {where} = {name!r}: not an output of this design; {hint}allowed: "
                              f"{', '.join(columns)}{' or ' + ', '.join(aliases) if aliases else ''} (a design "
                              "keeps the outputs of [outputs.summary])")
        out.append(col)
    return list(dict.fromkeys(out))


def check_sensitivity_size(design: Design, where: str | None = None) -> None:
    """Refuse a sampled design below the smallest sample its sensitivity method needs (MIN_SAMPLES)."""
    where = where or design.origin
    if design.method == "grid":
        raise DesignError(f"{where}: method = 'grid': plm sensitivity needs a sampled design; allowed: method = "
                          f"'sobol', 'morris' or 'lhs' ({MIN_SAMPLES_TEXT})")
    need = MIN_SAMPLES[design.method]
    if design.samples is not None and design.samples >= need:
        return
    d = len(design.parameters)
    what = {"sobol": f"a base sample N >= {need} ({n_points_for('sobol', need, d, design.second_order):,} points "
                     f"with {d} parameters)",
            "morris": f">= {need} trajectories ({n_points_for('morris', need, d):,} points with {d} parameters)",
            "lhs": f">= {need} points for RBD-FAST (N > 2M with M = {RBD_FAST_M}, and the bootstrap uses half)"}
    raise DesignError(f"{where}: samples = {design.samples}: too few for plm sensitivity; method = "
                      f"{design.method!r} needs {what[design.method]}; allowed: samples >= {need} (every method: "
                      f"{MIN_SAMPLES_TEXT})")


def n_points_for(method: str, samples: int, d: int, second_order: bool = False) -> int:
    if method == "sobol":
        return samples * (2 * d + 2 if second_order else d + 2)
    if method == "morris":
        return samples * (d + 1)
    return samples


def n_points(design: Design) -> int:
    if design.method == "grid":
        return math.prod(len(s.levels or []) for s in design.parameters.values())
    return n_points_for(design.method, design.samples, len(design.parameters), design.second_order)


def resolve_callable(path: str, where: str = "function"):
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DesignError(f"{where} = {path!r}: cannot import {module_name!r} ({exc}); allowed: an importable "
                          "module:callable") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise DesignError(f"{where} = {path!r}: {module_name} has no callable {attr!r}")
    return fn


# --- the points ------------------------------------------------------------------------------------------

def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def digest(obj: Any, n: int = 16) -> str:
    return hashlib.sha256(canonical(obj).encode()).hexdigest()[:n]


def sample_matrix(design: Design) -> np.ndarray:
    """The unrounded sample matrix of a sampled design (rows = points), as SALib makes it."""
    problem = design.problem()
    if design.method == "lhs":
        from SALib.sample import latin
        return latin.sample(problem, design.samples, seed=design.sample_seed)
    if design.method == "sobol":
        from SALib.sample import sobol
        return sobol.sample(problem, design.samples, calc_second_order=design.second_order,
                            seed=design.sample_seed)
    if design.method == "morris":
        from SALib.sample import morris
        return morris.sample(problem, design.samples, num_levels=design.levels, seed=design.sample_seed)
    raise DesignError(f"method = {design.method!r}: no sample matrix")


def _py(value: Any, kind: str) -> Any:
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def points(design: Design) -> list[dict[str, Any]]:
    """The design's points in order: one dict of parameter values each (integers rounded)."""
    kinds = design._kinds
    keys = list(design.parameters)
    if design.method == "grid":
        level_lists = [[_py(v, kinds[k]) for v in design.parameters[k].levels] for k in keys]
        return [dict(zip(keys, combo)) for combo in itertools.product(*level_lists)]
    X = sample_matrix(design)
    out = []
    for row in X:
        point = {}
        for k, x in zip(keys, row):
            if kinds[k] == "int":
                spec = design.parameters[k]
                x = min(max(round(float(x)), math.ceil(spec.min)), math.floor(spec.max))
            point[k] = _py(x, kinds[k])
        out.append(point)
    return out


@dataclass(frozen=True)
class RunSpec:
    run_id: str
    params: dict[str, Any]
    seed: int


@dataclass
class Plan:
    """Everything a sweep needs: the context the workers get, and the runs (unique, in design order)."""

    design: Design
    context: dict[str, Any]
    context_hash: str
    runs: list[RunSpec]
    table: list[dict[str, Any]] = field(default_factory=list)  # point, seed, run_id, params (design.parquet)

    @property
    def kinds(self) -> dict[str, str]:
        return dict(self.design._kinds)


def model_version(design: Design) -> str:
    if design.is_model:
        from abm import __version__
        return f"plm {__version__}"
    module = importlib.import_module(design.function.partition(":")[0])
    return f"{design.function} {getattr(module, '__version__', '')}".strip()


def run_overrides(context: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """A run's overrides of the base scenario: the design's `[set]`, its months and the point's parameters, as one
    set (the one meaning of `abm.scenario.apply_overrides`: region-wide keys first, then municipal ones)."""
    months = {"months": context["months"]} if context.get("months") is not None else {}
    return {**(context.get("set") or {}), **months, **params}


def run_key(context_hash: str, params: dict[str, Any], seed: int) -> str:
    """The run's id: a hash of its parameters, its seed and the context (which holds the model version)."""
    return digest({"context": context_hash, "params": params, "seed": int(seed)}, 20)


def make_plan(design: Design) -> Plan:
    design = load_design(design)
    version = model_version(design)
    if design.is_model:
        base = base_scenario(design).model_dump(mode="json", exclude_none=True)
        source = scenario_source(design)
    else:
        base = source = None
    context = {
        "model": "plm" if design.is_model else design.function,
        "model_version": version,
        "base": base,          # the scenario with [set] and months: scenario.toml, warm-up (for reading)
        "scenario": source,    # what each run loads, with run_overrides(context, params)
        "set": dict(design.set),
        "months": design.months,
        "outputs": design.outputs.model_dump(mode="json"),
        "kinds": dict(design._kinds),
    }
    chash = digest(context, 16)
    runs: list[RunSpec] = []
    seen: set[str] = set()
    table = []
    seeds = design.seed_list
    for i, point in enumerate(points(design)):
        for seed in seeds:
            rid = run_key(chash, point, seed)
            table.append({"point": i, "seed": seed, "run_id": rid, **point})
            if rid not in seen:
                seen.add(rid)
                runs.append(RunSpec(rid, point, seed))
    return Plan(design, context, chash, runs, table)


# --- summary statistics ---------------------------------------------------------------------------------

def summarise(ts, summary: dict[str, list[str]]) -> dict[str, float]:
    """Summary statistics of a monthly time series (row 0 = the start) as {METRIC_STAT: value}."""
    out: dict[str, float] = {}
    body = ts.iloc[1:] if len(ts) > 1 else ts
    for metric, stats in summary.items():
        col = ts[metric].astype(float)
        b = body[metric].astype(float)
        for stat in dict.fromkeys(stats):
            if stat == "final":
                v = col.iloc[-1]
            elif stat == "mean":
                v = b.mean()
            elif stat == "last12":
                v = b.iloc[-12:].mean()
            elif stat == "total":
                v = b.sum()
            elif stat == "min":
                v = b.min()
            elif stat == "max":
                v = b.max()
            elif stat == "change":
                v = col.iloc[-1] - col.iloc[0]
            else:  # pragma: no cover - the schema allows only the above
                raise ValueError(stat)
            out[f"{metric}_{stat}"] = float(v)
    return out
