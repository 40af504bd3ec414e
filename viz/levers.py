"""The levers of a scenario: every scalar parameter of the schema, with its unit, range, default and source.

Nothing here is hand-written per parameter: the catalogue is read from the pydantic schema
(`abm.scenario.Scenario` and the `Section` blocks each mechanism declares), so a parameter added to a
mechanism appears in the app with its metadata. `KEY_LEVERS` only picks the ones shown first, with a practical
slider range inside the schema's range.

A setting is a `(scope, path)` key: scope "" is the whole region, or a municipality's name for a policy key
that applies to that municipality only. `apply_changes` turns the scenario data plus the changes into new
scenario data, which the scenario validator then checks (the app never bypasses validation).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from abm.params import Section
from abm.scenario import MECHANISMS, Scenario, ScenarioError, apply_overrides

# Top-level scalar fields of the scenario that are levers (the rest are names and texts).
TOP_LEVEL = ("months", "scale")

# The levers shown first, with a practical slider range (lo, hi, step) inside the schema's range.
KEY_LEVERS: dict[str, tuple[float, float, float] | None] = {
    "policy.basisbaan_slots": (0, 2000, 10),
    "policy.additionality_test": (0.0, 1.0, 0.05),
    "economy.tightness": (0.5, 2.0, 0.05),
    "policy.regime": None,
    "policy.caseload": (20, 500, 10),
    "policy.earnings_disregard_share": (0.0, 1.0, 0.05),
    "policy.earnings_disregard_months": (0, 36, 1),
    "policy.basisbaan_contract": None,
    "policy.basisbaan_throughput_goal": None,
    "policy.basisbaan_cofunding_share": (0.0, 1.0, 0.05),
    "policy.basisbaan_acquisition": None,             # places are made, not declared (abm/acquisition.py)
    "policy.basisbaan_acquisition_hours": (0, 1600, 20),
    "policy.parallel_places_per_100": (0, 30, 1),
    "policy.parallel_acquisition": None,
    "policy.parallel_acquisition_hours": (0, 1600, 20),
    "policy.quota_enforced": None,
    "policy.no_risk_policy": None,
    "policy.lks_enabled": None,
    "months": (12, 240, 12),
    "scale": (1, 20, 1),
}

Scope = str            # "" = the whole region; else a municipality name (policy keys only)
Key = tuple[Scope, str]


@dataclass(frozen=True)
class Lever:
    """One scalar parameter of the scenario schema."""

    path: str                     # dotted: "policy.basisbaan_slots", "stigma.enabled", "months"
    section: str                  # "policy", "stigma", ... or "" for top-level fields
    name: str
    kind: str                     # "float" | "int" | "bool" | "choice"
    default: Any
    lo: float | None
    hi: float | None
    unit: str
    source: str
    description: str
    choices: tuple[str, ...] = ()

    @property
    def is_policy(self) -> bool:
        return self.section == "policy"

    @property
    def is_mechanism_switch(self) -> bool:
        return self.name == "enabled" and self.section in MECHANISMS

    def slider(self) -> tuple[float, float, float] | None:
        """(lo, hi, step) for a slider, or None when the lever is not a number with a usable range."""
        if self.path in KEY_LEVERS and KEY_LEVERS[self.path] is not None:
            return KEY_LEVERS[self.path]
        return None

    def coerce(self, value: Any) -> Any:
        """The value as the schema's type (numbers from text fields, booleans from switches)."""
        if self.kind == "bool":
            if isinstance(value, str):
                return value.strip().lower() in ("true", "1", "yes", "on", "ja", "aan")
            return bool(value)
        if self.kind == "int":
            return int(round(float(value)))
        if self.kind == "float":
            return float(value)
        return str(value)


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]] | None:
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if typing.get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    return None


def _lever(section: str, name: str, field) -> Lever | None:
    kind = _kind(field.annotation)
    if kind is None:
        return None
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    lo = hi = None
    for meta in field.metadata:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    path = f"{section}.{name}" if section else name
    return Lever(path=path, section=section, name=name, kind=kind[0], default=field.default, lo=lo, hi=hi,
                 unit=str(extra.get("unit", "")), source=str(extra.get("source", "")),
                 description=field.description or "", choices=kind[1])


@lru_cache(maxsize=1)
def catalogue() -> tuple[Lever, ...]:
    """Every scalar lever of the schema: top-level fields first, then each section in the schema's order."""
    out: list[Lever] = []
    for name in TOP_LEVEL:
        lever = _lever("", name, Scenario.model_fields[name])
        if lever is not None:
            out.append(lever)
    for section, field in Scenario.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, Section):
            for name, sub in ann.model_fields.items():
                lever = _lever(section, name, sub)
                if lever is not None:
                    out.append(lever)
    return tuple(out)


@lru_cache(maxsize=1)
def by_path() -> dict[str, Lever]:
    return {lever.path: lever for lever in catalogue()}


def sections() -> list[str]:
    """Section names in the schema's order ('' for the top-level fields)."""
    seen: list[str] = []
    for lever in catalogue():
        if lever.section not in seen:
            seen.append(lever.section)
    return seen


def key_levers() -> list[Lever]:
    table = by_path()
    return [table[p] for p in KEY_LEVERS if p in table]


def mechanism_switches() -> list[Lever]:
    table = by_path()
    return [table[f"{m}.enabled"] for m in MECHANISMS if f"{m}.enabled" in table]


def _policy_index(scenario: Scenario, scope: Scope) -> int:
    names = [m.name for m in scenario.municipalities]
    if scope not in names:
        raise ValueError(f"municipality = {scope!r}: not in this scenario; allowed: {', '.join(names)}")
    return names.index(scope)


def value_of(scenario: Scenario, path: str, scope: Scope = "", month: int = 0) -> Any:
    """The lever's value in a validated scenario in `month` (default 0, the start): for a policy key and a
    municipality, what applies there (its own policy and every change up to that month); region-wide, the region's
    policy with every change for all municipalities ("all") up to that month. A setting that is not a policy key
    cannot change during a run: its one value. The app's lever box shows the value for the month the run steps
    next (`viz.components.LeverList`), so a lever moved "from now on" shows what is now in force."""
    section, _, name = path.rpartition(".")
    if scope and section == "policy":
        return getattr(scenario.policy_at(_policy_index(scenario, scope), month), name)
    holder = getattr(scenario, section) if section else scenario
    value = getattr(holder, name)
    if section == "policy":
        for change in sorted(scenario.policy_changes, key=lambda c: c.month):
            if change.month <= month and change.municipality == "all" and name in change.set:
                value = change.set[name]
    return value


def municipal_overrides(scenario: Scenario, path: str) -> dict[str, Any]:
    """Municipalities where this policy key starts at another value than the region's: {name: value}."""
    section, _, name = path.rpartition(".")
    if section != "policy":
        return {}
    region = getattr(scenario.policy, name)
    out = {}
    for i, m in enumerate(scenario.municipalities):
        value = getattr(scenario.policy_at(i, 0), name)
        if value != region:
            out[m.name] = value
    return out


def later_changes(scenario: Scenario, path: str) -> list[tuple[int, str, Any]]:
    """The scenario's own changes of this policy key after month 0: (month, municipality or 'all', value)."""
    section, _, name = path.rpartition(".")
    if section != "policy":
        return []
    return [(c.month, c.municipality, c.set[name]) for c in sorted(scenario.policy_changes, key=lambda c: c.month)
            if c.month > 0 and name in c.set]


def apply_changes(data: dict[str, Any], changes: dict[Key, Any]) -> dict[str, Any]:
    """Scenario data with the changes applied (a deep copy; the input is not touched).

    A lever means what the same key means everywhere else (`abm.scenario.apply_overrides`): region-wide,
    `policy.KEY` sets the key for every municipality from month 0 (their own setting and the scenario's
    changes at month 0 give way; changes the scenario makes later, such as a pilot that ends, stay); scoped to a
    municipality, it sets that municipality's own policy. Region-wide changes are applied before municipal ones,
    so a municipality can still differ.
    """
    overrides: dict[str, Any] = {}
    for (scope, path), value in changes.items():
        section, _, _name = path.rpartition(".")
        if scope:
            if section != "policy":
                raise ValueError(f"{path}: only policy settings can differ per municipality")
            overrides[f"municipalities.{scope}.{path}"] = value
        else:
            overrides[path] = value
    try:
        return apply_overrides(data, overrides)
    except ScenarioError as exc:
        raise ValueError(str(exc)) from None

