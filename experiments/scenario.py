"""Scenarios: typed, validated TOML (ARCHITECTURE.md §Scenarios, contract).

A scenario is data. Its schema composes the parameter blocks each mechanism declares next to its rule, the
region (municipalities with their people and policy), and the economy. Presets ship in
`experiments/scenarios/`; a user file may name a preset in `base = "NAME"` and override any subset of it
(tables merge key by key; lists, such as `municipalities`, are replaced whole). The calibrated parameters
(`experiments/calibrated.toml`, written by `plm calibrate`) sit beneath every scenario. Wrong input stops
before anything runs with one line naming the key, the value and what is allowed (`ScenarioError`).
"""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from abm.accounts import AccountParams
from abm.activation import ActivationParams
from abm.basisbaan import BasisbaanParams
from abm.coaching import CoachingParams
from abm.demography import DemographyParams
from abm.displacement import DisplacementParams
from abm.economy import EconomyParams
from abm.employer_stigma import StigmaParams
from abm.employers import EmployerParams
from abm.hiring import HiringParams
from abm.money import MoneyParams
from abm.params import Section, param
from abm.policy import PolicyParams
from abm.population import PopulationParams
from abm.risk_aversion import RiskParams
from abm.search import SearchParams
from abm.self_stigma import SelfStigmaParams
from abm.separations import SeparationParams
from abm.skills import SkillParams
from abm.subsidy_quota import SubsidyQuotaParams
from abm.throughput import ThroughputParams
from abm.wellbeing import WellbeingParams
from environments.region import MunicipalitySpec, RegionParams
from environments.social import SocialParams

PRESET_PACKAGE = "experiments.scenarios"

# Mechanisms that can be switched off as a whole (teaching: what happens without it?).
MECHANISMS = ("stigma", "self_stigma", "risk", "subsidy_quota", "money", "coaching", "displacement",
              "throughput", "skills", "wellbeing")


class ScenarioError(ValueError):
    """A scenario that cannot run; the message is one line: key, value, what is allowed."""


class PolicyChange(BaseModel):
    """A change of policy from a given month on (a pilot ends, funding is cut, a new coalition)."""

    model_config = ConfigDict(extra="forbid")
    month: int = param(0, 0, 10_000, unit="month", doc="first month the change applies")
    municipality: str = Field("all", description="municipality name, or 'all'")
    set: dict[str, Any] = Field(default_factory=dict, description="policy settings to change")
    note: str = Field("", description="what the change represents")


class Scenario(Section):
    """Everything a run needs besides the seed."""

    model_config = ConfigDict(extra="forbid", validate_default=True)
    name: str = Field("custom", min_length=1, description="scenario name")
    description: str = Field("", description="one line on what the scenario represents")
    about: str = Field("", description="a paragraph on what it represents and its sources")
    base: str | None = Field(None, description="preset this scenario was derived from")
    base_year: int = param(2020, 1990, 2100, unit="year", doc="year of the EUR figures")
    months: int = param(120, 1, 1200, unit="months", doc="length of a run (one step = one month)")
    scale: float = param(1.0, 1.0, 100_000.0, unit="people per agent", doc="people one agent stands for")
    economy: EconomyParams = EconomyParams()
    region: RegionParams = RegionParams()
    municipalities: list[MunicipalitySpec] = Field(
        default_factory=lambda: [MunicipalitySpec(name="Stad")], min_length=1,
        description="the municipalities of the region")
    policy: PolicyParams = PolicyParams()
    policy_changes: list[PolicyChange] = Field(default_factory=list, description="policy changes over time")
    population: PopulationParams = PopulationParams()
    employers: EmployerParams = EmployerParams()
    social: SocialParams = SocialParams()
    stigma: StigmaParams = StigmaParams()
    self_stigma: SelfStigmaParams = SelfStigmaParams()
    risk: RiskParams = RiskParams()
    subsidy_quota: SubsidyQuotaParams = SubsidyQuotaParams()
    money: MoneyParams = MoneyParams()
    search: SearchParams = SearchParams()
    hiring: HiringParams = HiringParams()
    separations: SeparationParams = SeparationParams()
    activation: ActivationParams = ActivationParams()
    coaching: CoachingParams = CoachingParams()
    displacement: DisplacementParams = DisplacementParams()
    throughput: ThroughputParams = ThroughputParams()
    skills: SkillParams = SkillParams()
    wellbeing: WellbeingParams = WellbeingParams()
    basisbaan: BasisbaanParams = BasisbaanParams()
    demography: DemographyParams = DemographyParams()
    accounts: AccountParams = AccountParams()

    @model_validator(mode="after")
    def _consistent(self):
        names = [m.name for m in self.municipalities]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"municipality names must be unique; {dup[0]!r} appears twice")
        shares = self.population.share_older_low_health + self.population.share_mental_debts
        if shares > 1:
            raise ValueError(f"population.share_older_low_health + population.share_mental_debts = {shares:.2f}; "
                             "allowed: at most 1")
        for i, m in enumerate(self.municipalities):
            self.resolved_policy(i)
            if m.sheltered + m.bijstand + m.ww + m.disability + m.regular_sample == 0:
                raise ValueError(f"municipalities[{i}] ({m.name}) has no people; allowed: at least one of "
                                 "bijstand, ww, disability, sheltered, regular_sample above 0")
        for j, change in enumerate(self.policy_changes):
            if change.municipality != "all" and change.municipality not in names:
                raise ValueError(f"policy_changes[{j}].municipality = {change.municipality!r}; allowed: 'all' or "
                                 f"one of {names}")
            _check_policy(self.policy, change.set, f"policy_changes[{j}].set")
        return self

    def resolved_policy(self, index: int, extra: dict[str, Any] | None = None) -> PolicyParams:
        """The region's policy with the municipality's overrides (and `extra` changes) applied."""
        m = self.municipalities[index]
        merged = _check_policy(self.policy, m.policy, f"municipalities[{index}].policy")
        return _check_policy(merged, extra or {}, "policy change") if extra else merged

    def policy_at(self, index: int, month: int) -> PolicyParams:
        """Policy of municipality `index` in `month`, after every policy change up to that month."""
        name = self.municipalities[index].name
        changes: dict[str, Any] = {}
        for change in sorted(self.policy_changes, key=lambda c: c.month):
            if change.month <= month and change.municipality in ("all", name):
                changes.update(change.set)
        return self.resolved_policy(index, changes)

    def to_toml(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        return tomli_w.dumps(data)


def _check_policy(base: PolicyParams, overrides: dict[str, Any], where: str) -> PolicyParams:
    for key in overrides:
        if key not in PolicyParams.model_fields:
            raise ValueError(_unknown_key(f"{where}.{key}", key, PolicyParams.model_fields))
    try:
        return PolicyParams.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"])
        raise ValueError(f"{where}.{key} = {err.get('input')!r}: {allowed_values(err)}") from None


def _unknown_key(path: str, key: str, allowed) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {path!r}; {hint}allowed keys here: {', '.join(sorted(allowed))}"


def allowed_values(err: dict) -> str:
    """What a pydantic error allows, in a few words (scenarios and sweep designs share it)."""
    ctx = err.get("ctx") or {}
    typ = err["type"]
    if typ == "greater_than_equal":
        return f"must be >= {ctx.get('ge')}"
    if typ == "less_than_equal":
        return f"must be <= {ctx.get('le')}"
    if typ == "greater_than":
        return f"must be > {ctx.get('gt')}"
    if typ == "literal_error":
        return f"allowed: {ctx.get('expected')}"
    if typ in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if typ in ("float_parsing", "float_type"):
        return "must be a number"
    if typ in ("bool_parsing", "bool_type"):
        return "must be true or false"
    if typ in ("string_type",):
        return "must be text"
    if typ == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}"
    if typ == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)"
    if typ == "missing":
        return "required"
    if typ in ("dict_type", "model_type"):
        return "must be a table"
    if typ == "list_type":
        return "must be a list"
    return err["msg"]


def _fields_at(loc: tuple) -> dict | None:
    """The fields of the schema model at a location, for the 'allowed keys' of an unknown-key error."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        ann = field.annotation
        args = getattr(ann, "__args__", None)
        model = args[0] if args and isinstance(args[0], type) else ann
    return getattr(model, "model_fields", None)


def format_validation_error(exc: ValidationError) -> str:
    """One line: the key, the value, what is allowed."""
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    if err["type"] == "extra_forbidden":
        fields = _fields_at(loc) or {}
        return _unknown_key(path, str(loc[-1]), fields)
    if err["type"] == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return msg if not path else f"{path}: {msg}"
    return f"{path} = {err.get('input')!r}: {allowed_values(err)}"


# --- presets and files ----------------------------------------------------------------------------------

def preset_names() -> list[str]:
    files = resources.files(PRESET_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def preset_text(name: str) -> str:
    if name not in preset_names():
        close = difflib.get_close_matches(name, preset_names(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ScenarioError(f"scenario = {name!r}: no such preset or file{hint}; allowed: a TOML file path or one "
                            f"of {', '.join(preset_names())}")
    return resources.files(PRESET_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in ("set",):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_data(data: dict[str, Any], origin: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """Follow `base = NAME` chains (presets) and merge, innermost first."""
    base = data.get("base")
    if base is None:
        return data
    if not isinstance(base, str):
        raise ScenarioError(f"base = {base!r}: must be the name of a preset")
    if base in _seen:
        raise ScenarioError(f"base = {base!r}: circular chain of presets {' -> '.join(_seen + (base,))}")
    parent = resolve_data(_parse(preset_text(base), f"preset {base}"), f"preset {base}", _seen + (base,))
    merged = _merge(parent, data)
    merged["base"] = base
    return merged


def calibrated_values() -> dict[str, float]:
    """Fitted values of the calibrated parameters (dotted keys), from experiments/calibrated.toml if present."""
    try:
        text = resources.files("experiments").joinpath("calibrated.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out: dict[str, float] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                out[prefix + key] = value
    walk(tomllib.loads(text), "")
    return out


def _with_calibration(data: dict[str, Any]) -> dict[str, Any]:
    """Calibrated values sit beneath everything a scenario sets itself."""
    base: dict[str, Any] = {}
    for dotted, value in calibrated_values().items():
        base = _merge(base, _nest(dotted, value))
    return _merge(base, data)


def validate(data: dict[str, Any], origin: str = "scenario") -> Scenario:
    """Validate scenario data; raises ScenarioError with one line."""
    data = _with_calibration(resolve_data(data, origin))
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{origin}: {format_validation_error(exc)}") from None


def load(spec: str | Path | Scenario | dict | None = "default", overrides: dict[str, Any] | None = None) -> Scenario:
    """A validated scenario from a preset name, a TOML path, a dict or a Scenario, with dotted overrides
    (e.g. {"policy.basisbaan_slots": 100, "months": 24})."""
    if spec is None:
        spec = "default"
    if isinstance(spec, Scenario):
        data, origin = spec.model_dump(mode="json", exclude_none=True), spec.name
    elif isinstance(spec, dict):
        data, origin = dict(spec), "scenario"
    else:
        text_spec = str(spec)
        path = Path(text_spec)
        if text_spec.endswith(".toml") or path.exists():
            if not path.is_file():
                raise ScenarioError(f"scenario = {text_spec!r}: file not found; allowed: a TOML file path or one "
                                    f"of {', '.join(preset_names())}")
            data, origin = _parse(path.read_text(encoding="utf-8"), str(path)), str(path)
        else:
            data, origin = _parse(preset_text(text_spec), f"preset {text_spec}"), f"preset {text_spec}"
    data = resolve_data(data, origin)
    for dotted, value in (overrides or {}).items():
        data = _merge(data, _nest(dotted, value))
    return validate(data, origin)


def _nest(dotted: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = value
    for part in reversed(dotted.split(".")):
        out = {part: out}
    return out
