"""What a dotted scenario key of a design points at, and the design's base scenario.

`scenario_field` walks the scenario schema (`municipalities.NAME.KEY` and `.policy.` included) to the field a
key names, so a design's value is checked exactly as the scenario would check it (`check_value`). The base
scenario is the design's `scenario` loaded with its `[set]` and months (`base_scenario`).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    BaseModel,
    TypeAdapter,
    ValidationError,
)

from abm.scenario import (
    Scenario,
    ScenarioError,
    load,
    scenario_data,
)
from abm.scenario import allowed_values as _allowed
from experiments.design.schema import Design, DesignError


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
