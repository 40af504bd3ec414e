"""Assumed settings of a scenario: a declared range and the reason for it (issue 10 §6.1, docs/model.md
"Assumptions: presets read as a what-if").

A preset whose numbers are assumptions rather than evidence declares them in an `[assumed]` table:

    [assumed."policy.parallel_experience_factor"]
    low = 1.0
    high = 2.0
    why = "..."            # why this range
    source = "..."         # where the ends come from (docs/evidence.md E-numbers)

The key is an override key (`abm.scenario.apply_overrides`): `policy.FIELD` (every municipality),
`municipalities.NAME.policy.FIELD` (one municipality, also where a dated change at month 0 sets it), or the
dotted path of a numeric parameter (`throughput.otj_parallel`). The rule, checked when the scenario is loaded
(one line, naming the key and what is allowed): the key names a numeric setting of this scenario; `low <= high`;
both ends are values the setting allows; and the scenario's own value lies in `[low, high]` (for `policy.FIELD`
every municipality's value at month 0). At most `MAX_ASSUMED` keys.

An assumption belongs to the settings that declare it: an override of its key (`--set`, a sweep, the app's
levers, the design points below) fixes the value, so the assumption is dropped from the overridden scenario;
so is one a derived file inherits from its `base` and sets itself (`drop_set`).

`design(assumed)` is the small design over the declared ranges that `plm report` and `plm run --assumptions`
run (experiments/whatif.py): every corner of the box (2^k points) while that is at most `MAX_POINTS`, else
`MAX_POINTS` Latin-hypercube points (sample seed 1).
"""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_ASSUMED = 8        # keys one scenario may declare
MAX_POINTS = 8         # design points over the ranges besides the scenario's own values
LHS_SEED = 1
RANGE_TEXT = ("the range is over the assumptions, not evidence: it shows how much the result depends on numbers "
              "the sources do not give")


class Assumed(BaseModel):
    """One assumed setting: the range it could defensibly take, why, and the source of its ends."""

    model_config = ConfigDict(extra="forbid")
    low: float = Field(strict=True, allow_inf_nan=False, description="low end of the defensible range")
    high: float = Field(strict=True, allow_inf_nan=False, description="high end of the defensible range")
    why: str = Field(min_length=1, max_length=1000, strict=True, description="why this range")
    source: str = Field(min_length=1, max_length=500, strict=True,
                        description="where the ends come from (docs/evidence.md E-numbers)")


def _policy_field(key: str) -> tuple[str | None, str] | None:
    """(municipality name or None for every one, policy field) of a policy key, else None."""
    parts = key.split(".")
    if len(parts) == 2 and parts[0] == "policy":
        return None, parts[1]
    if len(parts) >= 4 and parts[0] == "municipalities" and parts[-2] == "policy":
        return ".".join(parts[1:-2]), parts[-1]
    return None


def values(scenario, key: str) -> list[Any]:
    """The scenario's own value(s) of an assumed key: for `policy.FIELD` every municipality's at month 0, for
    `municipalities.NAME.policy.FIELD` that municipality's at month 0, else the parameter's. ValueError (one
    line) for a key that names no setting of this scenario."""
    from abm.policy import PolicyParams
    from abm.scenario import unknown_key

    pol = _policy_field(key)
    if pol is not None:
        muni, field = pol
        if field not in PolicyParams.model_fields:
            raise ValueError(unknown_key(f"assumed.{key}", field, PolicyParams.model_fields))
        names = [m.name for m in scenario.municipalities]
        if muni is not None and muni not in names:
            raise ValueError(f"assumed.{key}: no municipality {muni!r} in this scenario; allowed names: "
                             f"{', '.join(names)}")
        return [getattr(scenario.policy_at(i, 0), field) for i, name in enumerate(names)
                if muni in (None, name)]
    node: Any = scenario
    parts = key.split(".")
    for depth, part in enumerate(parts):
        fields = getattr(type(node), "model_fields", None)
        if fields is None or part not in fields:
            where = ".".join(parts[:depth + 1])
            raise ValueError(unknown_key(f"assumed.{where}", part, fields or {}) +
                             " (an assumed key is policy.FIELD, municipalities.NAME.policy.FIELD or a parameter)")
        node = getattr(node, part)
    return [node]


def _check_end(scenario, key: str, end: str, value: float) -> None:
    """`value` is one the setting allows (its declared bounds and type), else ValueError naming the key."""
    from abm.scenario import check_settings

    pol = _policy_field(key)
    if pol is not None:
        parent, field = scenario.policy, pol[1]
    else:
        *path, field = key.split(".")
        parent = scenario
        for part in path:
            parent = getattr(parent, part)
    try:
        check_settings(parent, {field: value}, "")
    except ValueError as exc:
        allowed = str(exc).split(": ", 1)[-1]
        raise ValueError(f"assumed.{key}.{end} = {value!r}: {allowed}") from None


def check(scenario) -> None:
    """Refuse, with one line (ValueError), a declaration that breaks the rule of the module docstring."""
    assumed: dict[str, Assumed] = scenario.assumed
    if len(assumed) > MAX_ASSUMED:
        raise ValueError(f"assumed: {len(assumed)} keys; allowed: at most {MAX_ASSUMED}")
    for key, a in assumed.items():
        if a.low > a.high:
            raise ValueError(f"assumed.{key}: low = {a.low:g} > high = {a.high:g}; allowed: low <= high")
        own = values(scenario, key)
        for v in own:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"assumed.{key} = {v!r}: not a number; allowed: a numeric setting")
        for end, x in (("low", a.low), ("high", a.high)):
            value = int(x) if isinstance(own[0], int) and float(x).is_integer() else x
            _check_end(scenario, key, end, value)
        outside = [v for v in own if not a.low <= v <= a.high]
        if outside:
            raise ValueError(f"assumed.{key}: the scenario's own value {outside[0]:g} lies outside its range "
                             f"{a.low:g}-{a.high:g}; allowed: a range that holds the value")


def touches(override: str, key: str) -> bool:
    """Whether an override key sets (part of) what an assumed key names: the same key or a table around it, or
    the same policy field region-wide or for a municipality."""
    if override == key or key.startswith(override + ".") or override.startswith(key + "."):
        return True
    a, b = _policy_field(override), _policy_field(key)
    return a is not None and b is not None and a[1] == b[1]


def drop_touched(data: dict[str, Any], keys) -> None:
    """Remove from `data["assumed"]` every assumption one of `keys` sets (in place)."""
    assumed = data.get("assumed")
    if not isinstance(assumed, dict):
        return
    for k in list(assumed):
        if any(touches(o, k) for o in keys):
            del assumed[k]


def drop_set(merged: dict[str, Any], own: dict[str, Any]) -> None:
    """A derived file's data `merged` with its base: drop each assumption inherited from the base whose key the
    file `own` sets itself (a policy field in its [policy], its municipalities or dated changes, or the path)."""
    assumed = merged.get("assumed")
    if not isinstance(assumed, dict):
        return
    declared = own.get("assumed") if isinstance(own.get("assumed"), dict) else {}
    for key in list(assumed):
        if key not in declared and _sets(own, key):
            del assumed[key]


def _sets(data: dict[str, Any], key: str) -> bool:
    pol = _policy_field(key)
    if pol is not None:
        policy = data.get("policy")
        return (isinstance(policy, dict) and pol[1] in policy) or "municipalities" in data or \
            "policy_changes" in data
    from abm.scenario import sets_key
    return sets_key(data, key)


def design(assumed: dict[str, Assumed]) -> list[dict[str, float]]:
    """The design points over the declared ranges (module docstring): the corners, or Latin-hypercube points."""
    keys = list(assumed)
    if not keys:
        return []
    if 2 ** len(keys) <= MAX_POINTS:
        return [dict(zip(keys, corner)) for corner in
                itertools.product(*[(assumed[k].low, assumed[k].high) for k in keys])]
    from SALib.sample import latin

    problem = {"num_vars": len(keys), "names": keys,
               "bounds": [[assumed[k].low, max(assumed[k].high, assumed[k].low + 1e-12)] for k in keys]}
    return [{k: float(v) for k, v in zip(keys, row)} for row in latin.sample(problem, MAX_POINTS, seed=LHS_SEED)]


def point_overrides(scenario, point: dict[str, float]) -> dict[str, Any]:
    """A design point as overrides: a whole number where the scenario's own value is one."""
    out: dict[str, Any] = {}
    for key, x in point.items():
        own = values(scenario, key)[0]
        out[key] = int(round(x)) if isinstance(own, int) and not isinstance(own, bool) else float(x)
    return out


def rows(scenario) -> list[dict[str, Any]]:
    """Each assumption as plain values for the report, the CLI and the app: key, the scenario's own value (the
    first municipality's where they differ), low, high, why, source."""
    return [{"key": k, "value": values(scenario, k)[0], "low": a.low, "high": a.high, "why": a.why,
             "source": a.source} for k, a in scenario.assumed.items()]
