"""Checking a design against its base scenario and the project's rules (one line on error): parameters
(type, range, method), sample size, outputs, the `function` of a function design (only the project's own
packages unless code is allowed), the notes on keys that do not hold for the whole run.
"""

from __future__ import annotations

import difflib
import importlib
import math

from abm.scenario import (
    Scenario,
    override_notes,
    split_municipal_key,
)
from experiments.design.fields import _KIND_NAMES, _check_value, _value_kind, base_scenario, scenario_field
from experiments.design.sampling import n_points, n_points_for
from experiments.design.schema import (
    HEADLINE_OUTPUTS,
    MAX_RUNS,
    MIN_SAMPLES,
    MIN_SAMPLES_TEXT,
    OUTPUT_ALIASES,
    PROJECT_PACKAGES,
    RBD_FAST_M,
    RESERVED_COLUMNS,
    Design,
    DesignError,
)


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
    if design.method == "points":
        _check_points(design)
    elif design.points is not None:
        raise DesignError(f"{o}: points: only for method = 'points'; allowed: leave it out")
    if sampled and design.method != "points":
        if design.samples is None:
            raise DesignError(f"{o}: samples: required for method = {design.method!r} "
                              "(lhs: points; sobol: base sample N, a power of 2; morris: trajectories)")
        if design.method == "sobol" and design.samples & (design.samples - 1):
            raise DesignError(f"{o}: samples = {design.samples}: method = 'sobol' needs a power of 2 "
                              f"(e.g. {1 << design.samples.bit_length()})")
        if design.method in ("sobol", "morris") and len(design.parameters) < 2:
            raise DesignError(f"{o}: parameters: method = {design.method!r} needs at least 2 parameters")
    elif design.samples is not None:
        raise DesignError(f"{o}: samples = {design.samples}: method = {design.method!r} takes no samples (the "
                          f"{'levels' if design.method == 'grid' else 'points'} make the points)")
    for name in design.sensitivity.outputs or []:
        if not name or not name.replace("_", "a").isalnum():
            raise DesignError(f"{o}: sensitivity.outputs: {name!r} is not an output column name")
    if design.outputs.by_municipality and not design.is_model:
        raise DesignError(f"{o}: outputs.by_municipality = true: a function has no municipalities; allowed: false, "
                          "or a design of a scenario")

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


def _check_points(design: Design) -> None:
    """method = 'points': every point gives a number within min..max for exactly the varied parameters."""
    o = design.origin
    if not design.points:
        raise DesignError(f"{o}: points: required for method = 'points'; allowed: a list of tables of parameter "
                          "values")
    keys = set(design.parameters)
    for i, point in enumerate(design.points):
        if set(point) != keys:
            raise DesignError(f"{o}: points[{i}] has {sorted(point)}; allowed: exactly the parameters "
                              f"{sorted(keys)}")
        for key, v in point.items():
            spec = design.parameters[key]
            if spec.min is not None and spec.max is not None and not (
                    math.isfinite(v) and spec.min <= v <= spec.max):
                raise DesignError(f"{o}: points[{i}].{key} = {v!r}; allowed: a number from {spec.min} to "
                                  f"{spec.max}")


def check_sensitivity_size(design: Design, where: str | None = None) -> None:
    """Refuse a sampled design below the smallest sample its sensitivity method needs (MIN_SAMPLES)."""
    where = where or design.origin
    if design.method in ("grid", "points"):
        raise DesignError(f"{where}: method = {design.method!r}: plm sensitivity needs a sampled design; allowed: "
                          f"method = 'sobol', 'morris' or 'lhs' ({MIN_SAMPLES_TEXT})")
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
