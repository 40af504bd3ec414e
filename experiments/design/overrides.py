"""Sizing a design from the command line: `plm sweep DESIGN --months N --seeds K --samples N --set KEY=VALUE`.

Rule. The overrides change the design's data *before* it is validated, so each value is checked exactly as
the same value in the design file would be (types strict, ranges, the method's rules, `[set]` keys against the
base scenario): `--months` replaces `months`, `--seeds K` replaces `seeds` with the count K (from the design's
`seed_start`), `--samples` replaces `samples`, and each `--set KEY=VALUE` adds KEY to the design's `[set]` (or
replaces it there). A `--set` of a key the design varies is refused: the parameter's levels or range say what it
takes. The overrides are kept on the design (`Design.overrides`) and recorded in the sweep's manifest.
"""

from __future__ import annotations

import copy
from typing import Any

from experiments.design.schema import DesignError, flatten_parameters, flatten_set

OVERRIDE_KEYS = ("months", "seeds", "samples", "set")


def overrides_from_options(months: int | None = None, seeds: int | None = None, samples: int | None = None,
                           sets: dict[str, Any] | None = None) -> dict[str, Any]:
    """The overrides the options give (only those given)."""
    out: dict[str, Any] = {}
    if months is not None:
        out["months"] = months
    if seeds is not None:
        out["seeds"] = seeds
    if samples is not None:
        out["samples"] = samples
    if sets:
        out["set"] = dict(sets)
    return out


def describe(overrides: dict[str, Any]) -> str:
    """The overrides as the command line gives them: `--months 6 --set scale=8.0`."""
    parts = [f"--{k} {overrides[k]}" for k in ("months", "seeds", "samples") if k in overrides]
    parts += [f"--set {k}={v!r}" for k, v in (overrides.get("set") or {}).items()]
    return " ".join(parts)


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any], origin: str) -> dict[str, Any]:
    """The design's data with the overrides applied (a copy; validation comes after, as for the file)."""
    unknown = set(overrides) - set(OVERRIDE_KEYS)
    if unknown:
        raise DesignError(f"{origin}: override {sorted(unknown)[0]!r}: allowed: {', '.join(OVERRIDE_KEYS)}")
    out = copy.deepcopy(data)
    for key in ("months", "seeds", "samples"):
        if key in overrides:
            out[key] = overrides[key]
    sets = overrides.get("set") or {}
    if sets:
        params = out.get("parameters")
        varied = set(flatten_parameters(params)) if isinstance(params, dict) else set()
        for key in sets:
            if key in varied:
                raise DesignError(f"{origin}: --set {key}: the design varies this key (parameters.{key}); allowed: a "
                                  "key the design does not vary")
        fixed = out.get("set")
        out["set"] = {**(flatten_set(fixed) if isinstance(fixed, dict) else {}), **sets}
    return out
