"""Scenarios: typed, validated TOML, and the one meaning of an override (ARCHITECTURE.md §Scenarios, contract).

A scenario is data. Its schema composes the parameter blocks each mechanism declares next to its rule, the
region (municipalities with their people and policy), and the economy. Presets ship in `abm/scenarios/`; a
user file may name a preset in `base = "NAME"` and override any subset of it (tables merge key by key; lists,
such as `municipalities`, are replaced whole). The calibrated parameters (`abm/calibrated.toml`, written by
`plm calibrate`) sit beneath every scenario.

**Overrides** (`--set`, `LabourMarketModel(**overrides)`, `mesa.batch_run`, sweep designs, the app's levers
and the EMA adapter all go through `apply_overrides`):

- `policy.KEY = v` sets KEY for every municipality from month 0: it replaces the municipalities' own setting
  of KEY and any `[[policy_changes]]` of KEY at month 0. Dated changes later in the run still apply
  (`override_notes` says so in one line; the runner records it in the manifest).
- `municipalities.NAME.policy.KEY = v` (or any other field, `municipalities.NAME.bijstand = v`) addresses one
  municipality; `municipalities.*.…` every one. An unknown NAME is refused with the names allowed.
- any other dotted key sets that parameter (`months`, `stigma.enabled`, `economy.tightness`, ...).
Region-wide keys are applied before municipal ones, so a municipality can still differ. An override fixes what
it sets, so it drops a declared assumption of that key (`[assumed]`, abm/assumptions.py).

**Bad input** stops before anything runs, with one line naming the key, the value and what is allowed
(`ScenarioError`): values are checked without coercion (`abm.params.param`), a file's own values are checked
even where an override replaces them, and files that are not UTF-8 TOML, empty, or nested too deeply are
refused. `check_seed` and `check_size` hold the limits on seeds and on the size of a run.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from abm import assumptions
from abm.assumptions import Assumed
from abm.economy import EconomyParams
from abm.employers import EmployerParams
from abm.params import Section, param
from abm.policy import PolicyParams
from abm.population import PopulationParams
from abm.schedule import BUILT_IN, sections
from abm.sector_stance import SectorChange, SectorStance
from abm.sector_stance import check as check_sectors
from environments.region import MunicipalitySpec, RegionParams
from environments.social import SocialParams

PRESET_PACKAGE = "abm.scenarios"

# Mechanisms that can be switched off as a whole (teaching: what happens without it?).
MECHANISMS = ("stigma", "self_stigma", "risk", "subsidy_quota", "money", "coaching", "displacement",
              "throughput", "skills", "wellbeing", "short_spells")

# The people groups of a municipality that become agents (MunicipalitySpec fields).
PEOPLE_GROUPS = ("bijstand", "ww", "disability", "sheltered", "regular_sample")

SEED_LIMIT = 2**63                 # seeds are whole numbers 0 <= seed < 2**63
MAX_FILE_BYTES = 2_000_000         # a scenario file is a page of TOML, not megabytes
MAX_DEPTH = 32                     # tables and lists nested at most this deep (the schema needs 4)
MAX_AGENTS = 20_000_000            # documented limit of one run (docs/limits.md): a 120-month headless run fits 24 GB
# Peak memory of a run (build, run, tables, output files), the measured figures rounded up (docs/benchmarks.md,
# "Memory per agent"), from
#   .venv/bin/python benchmarks/memory_per_agent.py --sizes 100000 300000 1000000 --months 120
#   .venv/bin/python benchmarks/memory_per_agent.py --sizes 100000 300000 --months 600 --views off
BYTES_PER_AGENT = 500              # per agent (its rows, its employers' share, the network, the kernels' buffers)
BYTES_PER_AGENT_MONTH = 1.5        # per agent and month: the transitions log grows with the run
BYTES_PER_AGENT_VIEW = 600         # per agent with Mesa agent views (agent_views=True, as in plm bench)
BASE_BYTES = 450_000_000           # the interpreter, numpy, numba, pandas and the compiled kernels


class ScenarioError(ValueError):
    """A scenario that cannot run; the message is one line: key, value, what is allowed."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """`text` as a single printable line: line breaks and other control characters are shown escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(text))


class PolicyChange(BaseModel):
    """A change of policy from a given month on (a pilot ends, funding is cut, a new coalition)."""

    model_config = ConfigDict(extra="forbid")
    month: int = param(0, 0, 10_000, unit="month", doc="first month the change applies")
    municipality: str = Field("all", strict=True, description="municipality name, or 'all'")
    set: dict[str, Any] = Field(default_factory=dict, description="policy settings to change")
    note: str = Field("", strict=True, description="what the change represents")


class PersonDecision(BaseModel):
    """One person's own decision on offers from a given month on (a workshop's job seeker; abm/person_decisions.py
    applies it): `accept` or `refuse` every job offer and basisbaan place, or `model` (the model's acceptance rule
    again). It holds until the person's next decision."""

    model_config = ConfigDict(extra="forbid")
    month: int = Field(ge=0, le=10_000, strict=True, description="first month the decision applies")
    person_id: int = Field(ge=0, lt=2**63, strict=True,
                           description="the person: the person_id of someone present at month 0")
    decision: Literal["accept", "refuse", "model"] = Field(description="accept, refuse or model")
    note: str = Field("", strict=True, description="who decided")


class ScenarioCore(Section):
    """Everything a run needs besides the seed and the mechanisms' own parameters: the region, its people and
    policy, the economy. `Scenario` adds a section per mechanism (abm/schedule.py)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)
    name: str = Field("custom", min_length=1, max_length=200, strict=True, description="scenario name")
    description: str = Field("", strict=True, description="one line on what the scenario represents")
    about: str = Field("", strict=True, description="a paragraph on what it represents and its sources")
    base: str | None = Field(None, strict=True, description="preset this scenario was derived from")
    base_year: int = param(2020, 1990, 2100, unit="year", doc="year of the EUR figures")
    months: int = param(120, 1, 1200, unit="months", doc="length of a run (one step = one month)")
    scale: float = param(1.0, 1.0, 100_000.0, unit="people per agent", doc="people one agent stands for")
    spin_up_months: int = param(120, 0, 600, unit="months",
                                doc="months run before month 0 and not reported, so that month 0 is a state the "
                                    "model's own flows sustain (docs/model.md, \"A baseline that stands still\")")
    economy: EconomyParams = EconomyParams()
    region: RegionParams = RegionParams()
    municipalities: list[MunicipalitySpec] = Field(
        default_factory=lambda: [MunicipalitySpec(name="Stad")], min_length=1, max_length=5000,
        description="the municipalities of the region")
    policy: PolicyParams = PolicyParams()
    policy_changes: list[PolicyChange] = Field(default_factory=list, max_length=10_000,
                                               description="policy changes over time")
    person_decisions: list[PersonDecision] = Field(default_factory=list, max_length=10_000,
                                                   description="people's own decisions on offers over time")
    population: PopulationParams = PopulationParams()
    employers: EmployerParams = EmployerParams()
    sectors: dict[str, SectorStance] = Field(default_factory=dict, max_length=50,
                                             description="sectors' hiring stance by name (abm/sector_stance.py)")
    sector_changes: list[SectorChange] = Field(default_factory=list, max_length=10_000,
                                               description="sectors' hiring stance over time")
    social: SocialParams = SocialParams()
    assumed: dict[str, Assumed] = Field(default_factory=dict, max_length=assumptions.MAX_ASSUMED,
                                        description="assumed settings with a defensible range and its reason "
                                                    "(abm/assumptions.py): a what-if, not evidence")

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
            if sum(getattr(m, g) for g in PEOPLE_GROUPS) == 0:
                raise ValueError(f"municipalities[{i}] ({m.name}) has no people; allowed: at least one of "
                                 "bijstand, ww, disability, sheltered, regular_sample above 0")
        for j, change in enumerate(self.policy_changes):
            if change.municipality != "all" and change.municipality not in names:
                raise ValueError(f"policy_changes[{j}].municipality = {change.municipality!r}; allowed: 'all' or "
                                 f"one of {names}")
            _check_policy(self.policy, change.set, f"policy_changes[{j}].set")
        check_sectors(self)
        agents = int(agent_counts(self).sum())
        if agents == 0:
            people = sum(getattr(m, g) for m in self.municipalities for g in PEOPLE_GROUPS)
            raise ValueError(f"scale = {self.scale:g}: larger than the population ({people:,} people), so no "
                             f"agents are left; allowed: a scale of at most {max(people, 1):,} (and in practice "
                             "far less)")
        for j, decision in enumerate(self.person_decisions):
            if decision.person_id >= agents:   # the people at month 0 are person_id 0 .. agents - 1 (abm/population)
                raise ValueError(f"person_decisions[{j}].person_id = {decision.person_id}: no such person at month 0; "
                                 f"allowed: 0 to {agents - 1} (the {agents:,} agents of this scenario at scale "
                                 f"{self.scale:g})")
        assumptions.check(self)
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

    def resolved_policies(self, month: int = 0) -> dict[str, dict[str, Any]]:
        """Every municipality's policy in `month` as plain values (recorded in a run's manifest)."""
        return {m.name: self.policy_at(i, month).model_dump(mode="json") for i, m in enumerate(self.municipalities)}

    def to_toml(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        return tomli_w.dumps(data)


def _schema(name: str, base: type, mechanisms) -> type:
    """A scenario schema with a section for each mechanism's parameters (their defaults validated)."""
    from pydantic import create_model

    fields = {section: (params, params()) for section, params in sections(mechanisms).items()}
    clash = sorted(set(fields) & set(base.model_fields))
    if clash:
        raise ValueError(f"mechanism section {clash[0]!r}: the scenario already has a key of that name; allowed: "
                         "another mechanism name")
    return create_model(name, __base__=base, __module__=__name__, **fields)


Scenario = _schema("Scenario", ScenarioCore, BUILT_IN)
Scenario.__doc__ = "Everything a run needs besides the seed: the region, the economy and every mechanism's section."
_SCHEMAS: dict[tuple[str, ...], type] = {(): Scenario}


def scenario_schema(mechanisms=()) -> type:
    """The schema for a model with mechanisms of one's own: `Scenario` plus their sections (a mechanism without
    parameters, such as a collector of results, leaves it `Scenario`)."""
    extra = tuple(m for m in mechanisms if m.params is not None)
    key = tuple(m.name for m in extra)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = _schema("Scenario", Scenario, extra)
    return _SCHEMAS[key]


def _check_policy(base: PolicyParams, overrides: dict[str, Any], where: str) -> PolicyParams:
    return check_settings(base, overrides, where)


def check_settings(base: BaseModel, overrides: dict[str, Any], where: str) -> BaseModel:
    """`base` (a policy, a sector's stance) with `overrides` applied; an unknown key or a bad value is refused in
    one line (ValueError) naming `where`, the key, the value and what is allowed."""
    cls = type(base)
    for key in overrides:
        if key not in cls.model_fields:
            raise ValueError(unknown_key(f"{where}.{key}", key, cls.model_fields))
    try:
        return cls.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in err["loc"])
        raise ValueError(f"{where}.{key} = {err.get('input')!r}: {allowed_values(err)}") from None


def unknown_key(path: str, key: str, allowed) -> str:
    """One short line for a key that does not exist: "did you mean" and the closest key, else at most three of
    the keys (and how many there are, and where to see them all)."""
    allowed = sorted(str(a) for a in allowed)
    close = difflib.get_close_matches(str(key), allowed, n=1)
    if close:
        return f"unknown key {path!r}; did you mean {close[0]!r}?"
    near = difflib.get_close_matches(str(key), allowed, n=3, cutoff=0.5) or allowed[:3]
    more = (f" ({len(allowed)} keys; `plm scenarios show default --resolved` lists them)"
            if len(allowed) > len(near) else "")
    return f"unknown key {path!r}; allowed keys here include {', '.join(near)}{more}"


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
        return "must be a whole number (not a decimal, text, true/false or a list)"
    if typ in ("float_parsing", "float_type"):
        return "must be a number (not text, true/false or a list)"
    if typ == "finite_number":
        return "must be a finite number (not nan or inf)"
    if typ in ("bool_parsing", "bool_type"):
        return "must be true or false"
    if typ in ("string_type",):
        return "must be text in quotes"
    if typ == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if typ == "string_too_short":
        return f"must be at least {ctx.get('min_length')} character(s)"
    if typ == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}"
    if typ == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)"
    if typ == "too_long":
        return f"must have at most {ctx.get('max_length')} item(s)"
    if typ == "missing":
        return "required"
    if typ in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a table"
    if typ == "list_type":
        return "must be a list"
    return err["msg"]


def _fields_at(loc: tuple, schema: Any = None) -> dict | None:
    """The fields of the schema model at a location, for the 'allowed keys' of an unknown-key error."""
    model: Any = schema or Scenario
    keyed = False           # the previous part was a table of NAME -> model (`sectors`, `assumed`): skip NAME
    for part in loc[:-1]:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        ann = field.annotation
        args = getattr(ann, "__args__", None)
        keyed = getattr(ann, "__origin__", None) is dict
        model = args[-1] if keyed else args[0] if args and isinstance(args[0], type) else ann
    return getattr(model, "model_fields", None)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def format_validation_error(exc: ValidationError, schema: Any = None) -> str:
    """One line: the key, the value, what is allowed."""
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    if err["type"] == "extra_forbidden":
        fields = _fields_at(loc, schema) or {}
        return unknown_key(path, str(loc[-1]), fields)
    if err["type"] == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return msg if not path else f"{path}: {msg}"
    if err["type"] == "missing":
        return f"{path} is missing; allowed: a value (it is required)"
    return f"{path} = {_short(err.get('input'))}: {allowed_values(err)}"


# --- presets and files ----------------------------------------------------------------------------------

def preset_names() -> list[str]:
    files = resources.files(PRESET_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def preset_text(name: str) -> str:
    if name not in preset_names():
        close = difflib.get_close_matches(name, preset_names(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ScenarioError(f"scenario = {_short(name)}: no such preset or file{hint}; allowed: a TOML file path "
                            f"or one of {', '.join(preset_names())}")
    return resources.files(PRESET_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def decode_scenario_bytes(raw: bytes, origin: str) -> str:
    """The text of a scenario file: UTF-8 (with or without a byte-order mark), no NUL bytes, not too large."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{origin}: {len(raw):,} bytes; allowed: a scenario file of at most "
                            f"{MAX_FILE_BYTES:,} bytes")
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ScenarioError(f"{origin}: the file is UTF-32; allowed: a UTF-8 text file (save it as UTF-8)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(f"{origin}: the file is UTF-16; allowed: a UTF-8 text file (save it as UTF-8)")
    if b"\x00" in raw:
        raise ScenarioError(f"{origin}: the file contains NUL bytes (a binary file?); allowed: a UTF-8 TOML "
                            "text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{origin}: not UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
                            "allowed: a UTF-8 TOML text file") from None


# a run of more than MAX_DEPTH dot-separated key parts (possessive and anchored at a part's start: linear time)
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
_LONG_DOTTED_KEY = re.compile(rf"{_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_DEPTH},}}+")


def parse_toml(text: str, origin: str) -> dict[str, Any]:
    """TOML text to data; a syntax error or absurd nesting is one line. Dotted keys of more than MAX_DEPTH parts
    are refused before parsing (the parser takes time quadratic in their length)."""
    long_key = _LONG_DOTTED_KEY.search(text)
    if long_key:
        line = text.count("\n", 0, long_key.start()) + 1
        raise ScenarioError(f"{origin}: line {line}: a dotted key of more than {MAX_DEPTH} parts "
                            f"({_short(long_key.group(0), 40)}); allowed: tables and lists at most {MAX_DEPTH} "
                            "levels deep")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested too deeply to read; allowed: tables and lists at most "
                            f"{MAX_DEPTH} levels deep") from None
    check_depth(data, origin)
    return data


def check_depth(data: Any, origin: str) -> None:
    """Refuse tables and lists nested more than MAX_DEPTH levels deep (walked without recursion, so the check
    itself cannot overflow the stack), naming the path where it happens."""
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            where = ".".join(str(p) for p in path[:3])
            raise ScenarioError(f"{origin}: {where}... is nested more than {MAX_DEPTH} levels deep; allowed: "
                                f"tables and lists at most {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            stack.extend((v, path + (k,), depth + 1) for k, v in node.items())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, path + (i,), depth + 1) for i, v in enumerate(node))


def read_scenario_file(path: str | Path) -> dict[str, Any]:
    """A scenario file's data, or a one-line ScenarioError (missing, a folder, not a .toml file, unreadable,
    too large, not UTF-8, not TOML, nested too deeply, empty)."""
    origin = str(path)
    shown = _short(origin)
    try:
        info = os.stat(origin)
    except FileNotFoundError:
        raise ScenarioError(f"scenario = {shown}: file not found; allowed: a TOML file path or one of "
                            f"{', '.join(preset_names())}") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScenarioError(f"scenario = {shown}: cannot be read ({reason}); allowed: a readable TOML file "
                            "path") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"scenario = {shown}: is a folder; allowed: a TOML file path")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"scenario = {shown}: not a regular file; allowed: a TOML file path")
    if Path(origin).suffix.lower() != ".toml":
        raise ScenarioError(f"scenario = {shown}: not a .toml file; allowed: a scenario file whose name ends in "
                            ".toml, or a preset name")
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{origin}: {info.st_size:,} bytes; allowed: a scenario file of at most "
                            f"{MAX_FILE_BYTES:,} bytes")
    try:
        raw = Path(origin).read_bytes()
    except OSError as exc:
        raise ScenarioError(f"scenario = {shown}: cannot be read ({exc.strerror or exc}); allowed: a readable "
                            "TOML file") from None
    data = parse_toml(decode_scenario_bytes(raw, origin), origin)
    if not data:
        raise ScenarioError(f"{origin}: the file sets nothing; start from a preset, e.g. base = \"default\" "
                            "and the keys you change")
    return data


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
        raise ScenarioError(f"{origin}: base = {_short(base)}: must be the name of a preset, e.g. base = \"default\"")
    if base in _seen:
        raise ScenarioError(f"base = {base!r}: circular chain of presets {' -> '.join(_seen + (base,))}")
    parent = resolve_data(parse_toml(preset_text(base), f"preset {base}"), f"preset {base}", _seen + (base,))
    merged = _merge(parent, data)
    merged["base"] = base
    assumptions.drop_set(merged, data)
    return merged


def calibrated_values() -> dict[str, float]:
    """Fitted values of the calibrated parameters (dotted keys), from abm/calibrated.toml if present."""
    try:
        text = resources.files("abm").joinpath("calibrated.toml").read_text(encoding="utf-8")
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


def validate(data: dict[str, Any], origin: str = "scenario", mechanisms=()) -> Scenario:
    """Validate scenario data (with the sections of any mechanisms of one's own); raises ScenarioError with one
    line."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: a scenario must be a table of keys, not {type(data).__name__}")
    check_depth(data, origin)
    data = _with_calibration(resolve_data(data, origin))
    schema = scenario_schema(mechanisms)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{origin}: {format_validation_error(exc, schema)}") from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested too deeply; allowed: tables and lists at most {MAX_DEPTH} levels "
                            "deep") from None


def scenario_data(spec: str | Path | Scenario | dict | None) -> tuple[dict[str, Any], str]:
    """(data with its `base` chain resolved, origin for messages) of a preset name, TOML path, dict or Scenario."""
    if spec is None:
        spec = "default"
    if isinstance(spec, Scenario):
        data, origin = spec.model_dump(mode="json", exclude_none=True), spec.name
    elif isinstance(spec, dict):
        check_depth(spec, "scenario")
        data, origin = copy.deepcopy(spec), "scenario"
    elif isinstance(spec, (str, Path)):
        text_spec = str(spec)
        if is_file_spec(spec):
            data, origin = read_scenario_file(text_spec), text_spec
        else:
            data, origin = parse_toml(preset_text(text_spec), f"preset {text_spec}"), f"preset {text_spec}"
    else:
        raise ScenarioError(f"scenario = {_short(spec)}: allowed: a preset name, a TOML file path, a table or a "
                            "Scenario")
    return resolve_data(data, origin), origin


def is_file_spec(spec: str | Path) -> bool:
    """A path rather than a preset name: a Path, a name ending in .toml or holding a folder separator, or an
    existing file or folder that is not a preset's name."""
    text = str(spec)
    if isinstance(spec, Path) or text.lower().endswith(".toml") or "/" in text or os.sep in text:
        return True
    if text in preset_names():
        return False
    try:
        return os.path.lexists(text)
    except (OSError, ValueError):
        return False


def load(spec: str | Path | Scenario | dict | None = "default", overrides: dict[str, Any] | None = None,
         mechanisms=()) -> Scenario:
    """A validated scenario from a preset name, a TOML path, a dict or a Scenario, with dotted overrides
    (e.g. {"policy.basisbaan_slots": 100, "months": 24}; see the module docstring for what a key means).

    The scenario's own values are validated first, so a bad value in a file is refused even where an override
    replaces it."""
    data, origin = scenario_data(spec)
    if not overrides:
        return validate(data, origin, mechanisms)
    if not isinstance(overrides, dict):
        raise ScenarioError(f"overrides = {_short(overrides)}: allowed: a table of dotted keys, e.g. "
                            "{'policy.caseload': 100}")
    check_depth(overrides, "overrides")
    validate(data, origin, mechanisms)
    return validate(apply_overrides(data, overrides), f"{origin} with overrides", mechanisms)


# --- overrides ---------------------------------------------------------------------------------------------

def _flatten(overrides: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys; a table value (`policy = {caseload = 100}`) becomes its dotted keys."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        if not isinstance(key, str):
            raise ScenarioError(f"override key {_short(key)}: allowed: a dotted name such as policy.caseload")
        dotted = f"{prefix}{key}"
        value = _plain(value)
        if isinstance(value, dict):
            if not value:
                raise ScenarioError(f"{dotted} = {{}}: an empty table changes nothing; allowed: KEY = VALUE, "
                                    "e.g. policy.caseload = 100")
            out.update(_flatten(value, f"{dotted}."))
        else:
            out[dotted] = value
    return out


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value of the same kind (np.int64 -> int, np.float64 -> float,
    np.bool_ -> bool), as `mesa.batch_run` over numpy ranges gives them; nothing else changes."""
    import numpy as np

    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _set_nested(data: dict[str, Any], parts: list[str], value: Any, key: str) -> None:
    node = data
    for depth, part in enumerate(parts[:-1]):
        nxt = node.get(part)
        if nxt is None:
            nxt = node[part] = {}
        if not isinstance(nxt, dict):
            where = ".".join(parts[:depth + 1])
            raise ScenarioError(f"{key} = {_short(value)}: {where} is not a table of keys; allowed: set {where} "
                                "itself")
        node = nxt
    node[parts[-1]] = value


def _fold_start_changes(data: dict[str, Any], key: str, keep_for: set[str] | None) -> None:
    """Take `key` out of every policy change at month 0. For the municipalities in `keep_for` (None: none), what
    those changes set at month 0 moves into their own policy table, so their starting policy is unchanged."""
    changes = data.get("policy_changes")
    if not isinstance(changes, list):
        return
    munis = [m for m in data.get("municipalities") or [] if isinstance(m, dict)]
    start: dict[str, Any] = {}
    kept = []
    for change in changes:
        st = change.get("set") if isinstance(change, dict) else None
        month = change.get("month", 0) if isinstance(change, dict) else None
        if not (isinstance(st, dict) and key in st and isinstance(month, int) and month <= 0):
            kept.append(change)
            continue
        target = change.get("municipality", "all")
        for m in munis:
            if target in ("all", m.get("name")):
                start[m.get("name")] = st[key]
        rest = {k: v for k, v in st.items() if k != key}
        if rest:
            kept.append({**change, "set": rest})
    data["policy_changes"] = kept
    for m in munis:
        if keep_for is not None and m.get("name") in keep_for and m.get("name") in start:
            pol = m.setdefault("policy", {})
            if isinstance(pol, dict):
                pol[key] = start[m.get("name")]


def _set_region_policy(data: dict[str, Any], name: str, value: Any) -> None:
    _set_nested(data, ["policy", name], value, f"policy.{name}")
    for m in data.get("municipalities") or []:
        if isinstance(m, dict) and isinstance(m.get("policy"), dict):
            m["policy"].pop(name, None)
    _fold_start_changes(data, name, keep_for=set())


def split_municipal_key(key: str, names: list[str]) -> tuple[str, list[str]] | None:
    """(NAME, field parts) of `municipalities.NAME.FIELD...`; NAME may itself contain dots ("St. Anna")."""
    rest = key[len("municipalities."):]
    for name in sorted([*names, "*"], key=len, reverse=True):
        if rest.startswith(name + ".") and len(rest) > len(name) + 1:
            return name, rest[len(name) + 1:].split(".")
    return None


def _set_municipal(data: dict[str, Any], key: str, value: Any) -> None:
    munis = data.get("municipalities")
    if not isinstance(munis, list) or not all(isinstance(m, dict) for m in munis):
        raise ScenarioError(f"{key}: the scenario's municipalities are not a list of tables")
    names = [str(m.get("name")) for m in munis]
    example = f"municipalities.{names[0]}.policy.caseload" if names else "municipalities.NAME.policy.caseload"
    found = split_municipal_key(key, names)
    if found is None:
        parts = key.split(".")
        if len(parts) >= 3 and parts[1] not in names:
            raise ScenarioError(f"{key}: no municipality {parts[1]!r} in this scenario; allowed names: "
                                f"{', '.join(names)} (or * for every one)")
        raise ScenarioError(f"{key} = {_short(value)}: allowed: municipalities.NAME.KEY, e.g. {example}")
    name, field = found
    if "" in field:
        raise ScenarioError(f"{key} = {_short(value)}: allowed: municipalities.NAME.KEY, e.g. {example}")
    if field[0] == "name":
        raise ScenarioError(f"{key}: a municipality cannot be renamed by an override; allowed: its other fields")
    targets = [m for m in munis if name in ("*", m.get("name"))]
    for m in targets:
        _set_nested(m, field, value, key)
    if field[0] == "policy" and len(field) == 2:
        targeted = {m.get("name") for m in targets}
        _fold_start_changes(data, field[1], keep_for={n for n in names if n not in targeted})


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Scenario data with dotted overrides applied (a deep copy; the input is not touched).

    The one meaning of a key everywhere (module docstring): `policy.KEY` for every municipality from month 0,
    `municipalities.NAME.KEY` for one, anything else as the path says."""
    out = copy.deepcopy(data)
    flat = _flatten(overrides)
    ordered = sorted(flat.items(), key=lambda kv: kv[0].startswith("municipalities."))
    for key, value in ordered:
        parts = key.split(".")
        head = parts[0]
        if head == "municipalities" and len(parts) > 1:
            _set_municipal(out, key, value)
            continue
        if "" in parts:
            raise ScenarioError(f"override {key!r}: allowed: a dotted name such as policy.caseload")
        if head == "base":
            raise ScenarioError(f"{key} = {_short(value)}: the preset a scenario starts from cannot be overridden; "
                                "allowed: choose the scenario itself (--scenario)")
        if head == "policy" and len(parts) == 2:
            _set_region_policy(out, parts[1], value)
        elif head == "policy_changes" and len(parts) > 1:
            raise ScenarioError(f"{key}: dated changes are set as a whole list; allowed: policy_changes = [...] or "
                                "a scenario file with [[policy_changes]]")
        else:
            _set_nested(out, parts, value, key)
    assumptions.drop_touched(out, flat)   # an override fixes what it sets: no longer an assumed range
    return out


def policy_field(key: str) -> str:
    """The policy field a key names: `policy.FIELD` or FIELD itself; anything else is refused with one line."""
    if not isinstance(key, str):
        raise ScenarioError(f"{key!r}: allowed: a policy setting such as policy.caseload")
    field = key[len("policy."):] if key.startswith("policy.") else key
    if field not in PolicyParams.model_fields:
        raise ScenarioError(unknown_key(key, field, PolicyParams.model_fields) + " (a policy setting)")
    return field


def change_policy_from(scenario: Scenario, key: str, value: Any, month: int, municipality: str = "all",
                       note: str = "") -> Scenario:
    """`scenario` with policy KEY = VALUE from `month` on, for `municipality` ("all" for every one): one more dated
    change in `policy_changes`, after those it has (so at the same month it wins). The months before `month` keep
    their policy; a dated change of KEY later in the run still applies from its own month. A run of the returned
    scenario is the run the app continues after "from now on", and `plm run` replays it (same seed, same numbers).

    Refused with one line (ScenarioError): a key that is not a policy setting, a month outside 0..months, a
    municipality the scenario does not have, a value the policy does not allow."""
    field = policy_field(key)
    if isinstance(month, bool) or not isinstance(month, int) or not 0 <= month <= scenario.months:
        raise ScenarioError(f"{key} from month {month!r}: allowed: a whole month from 0 to {scenario.months} (the "
                            "run's length)")
    names = [m.name for m in scenario.municipalities]
    if municipality != "all" and municipality not in names:
        raise ScenarioError(f"{key} for {municipality!r}: no such municipality; allowed: 'all' or one of "
                            f"{', '.join(names)}")
    schema = type(scenario)
    data = scenario.model_dump(mode="json", exclude_none=True)
    assumptions.drop_touched(data, [f"policy.{field}"])
    data["policy_changes"] = [*data.get("policy_changes", []),
                              {"month": month, "municipality": municipality, "set": {field: value}, "note": note}]
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{key} = {_short(value)} from month {month}: "
                            f"{format_validation_error(exc, schema)}") from None


def _policy_target(key: str, names: list[str]) -> tuple[str, str | None] | None:
    """(policy field, municipality name or None for every one) of an override key, if it sets a policy."""
    parts = key.split(".")
    if len(parts) == 2 and parts[0] == "policy":
        return parts[1], None
    found = split_municipal_key(key, names) if key.startswith("municipalities.") else None
    if found and len(found[1]) == 2 and found[1][0] == "policy":
        return found[1][1], (None if found[0] == "*" else found[0])
    return None


def override_notes(scenario: Scenario, overrides: dict[str, Any] | None) -> list[str]:
    """One line per overridden policy key that the scenario changes again later in the run (dated changes
    still apply after an override; the runner prints these and records them in the manifest)."""
    notes = []
    for key in _flatten(overrides or {}):
        target = _policy_target(key, [m.name for m in scenario.municipalities])
        if target is None:
            continue
        field, muni = target
        later = [c for c in sorted(scenario.policy_changes, key=lambda c: c.month)
                 if c.month > 0 and field in c.set and (muni is None or c.municipality in ("all", muni))]
        if later:
            when = "; ".join(f"month {c.month} ({c.municipality}): {c.set[field]!r}" for c in later)
            notes.append(f"note: {key} applies from month 0, and the scenario's dated policy changes set {field} "
                         f"again later: {when}")
    return notes


def sets_key(data: dict[str, Any], dotted: str) -> bool:
    """Whether scenario data sets the dotted key itself (a table at every part but the last, which is present)."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _nest(dotted: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = value
    for part in reversed(dotted.split(".")):
        out = {part: out}
    return out


# --- limits: seeds and size --------------------------------------------------------------------------------

def check_seed(seed: Any, where: str = "seed") -> int:
    """A seed is a whole number 0 <= seed < 2**63 (not a float, not true/false)."""
    import numpy as np

    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ScenarioError(f"{where} = {_short(seed)}: allowed: a whole number from 0 to 2**63 - 1")
    if not 0 <= int(seed) < SEED_LIMIT:
        raise ScenarioError(f"{where} = {int(seed)}: allowed: a whole number from 0 to 2**63 - 1")
    return int(seed)


def check_rng(rng: Any, seed: Any = None) -> Any:
    """Mesa's `rng` argument: None, a seed (as `check_seed`), or a numpy Generator, BitGenerator or
    SeedSequence; not together with a seed."""
    import numpy as np

    if rng is None:
        return None
    if seed is not None:
        raise ScenarioError(f"seed = {_short(seed)} and rng = {_short(rng)}: allowed: one of the two, not both")
    if isinstance(rng, (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)):
        return rng
    return check_seed(rng, "rng")


def agent_counts(scenario: Scenario):
    """Agents per municipality and people group (rows: municipalities, columns: PEOPLE_GROUPS)."""
    import numpy as np

    return np.array([[int(round(getattr(m, g) / scenario.scale)) for g in PEOPLE_GROUPS]
                     for m in scenario.municipalities], dtype=np.int64)


@dataclass(frozen=True)
class SizeEstimate:
    people: int          # people in the model (agents × scale)
    agents: int          # rows of the job-seeker table
    bytes: int           # estimated peak memory of the run

    @property
    def gb(self) -> float:
        return self.bytes / 1e9


def estimate_size(scenario: Scenario, agent_views: bool = False) -> SizeEstimate:
    """People, agents and peak memory of a run, before building it (memory per agent: docs/benchmarks.md)."""
    agents = int(agent_counts(scenario).sum())
    people = int(sum(getattr(m, g) for m in scenario.municipalities for g in PEOPLE_GROUPS))
    # the spin-up's log and rows are dropped at month 0, so the peak is set by the longer of the two
    months = max(scenario.months, scenario.spin_up_months)
    per_agent = BYTES_PER_AGENT + BYTES_PER_AGENT_MONTH * months + (BYTES_PER_AGENT_VIEW if agent_views else 0)
    return SizeEstimate(people, agents, int(BASE_BYTES + agents * per_agent))


def available_memory() -> int | None:
    """Bytes of memory available to a new run (Linux: MemAvailable; elsewhere the free physical pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_size(scenario: Scenario, *, agent_views: bool = False, max_agents: int | None = None,
               available: int | None = None, limit_option: str = "") -> SizeEstimate:
    """Refuse, with one line naming both figures, a run that exceeds a limit or would not fit in memory.
    `max_agents` is a caller's own limit on the people simulated (agents), such as the app's per session;
    `limit_option` names how its user raises that limit (the app: `plm app --max-people N`)."""
    size = estimate_size(scenario, agent_views)
    who = f"scenario {scenario.name!r}: {size.people:,} people as {size.agents:,} agents (scale {scenario.scale:g})"
    if max_agents is not None and size.agents > max_agents:
        raise ScenarioError(f"{who}; allowed here: at most {max_agents:,} agents (use a larger scale, or raise "
                            f"the limit{' with ' + limit_option if limit_option else ''})")
    if size.agents > MAX_AGENTS:
        raise ScenarioError(f"{who}; allowed: at most {MAX_AGENTS:,} agents in one run (raise scale)")
    avail = available if available is not None else available_memory()
    if avail is not None and size.bytes > avail:
        raise ScenarioError(f"{who} need about {size.gb:.1f} GB of memory; available: {avail / 1e9:.1f} GB "
                            "(raise scale, or free memory)")
    return size


def slug(name: str, limit: int = 60) -> str:
    """A name made safe as one part of a file name: letters, digits, '-', '_' and '.'; never a path."""
    out = "".join(ch if (ch.isascii() and (ch.isalnum() or ch in "-_.")) else "-" for ch in name)
    out = out.strip(".-_")[:limit] or "scenario"
    while ".." in out:
        out = out.replace("..", ".")
    return out
