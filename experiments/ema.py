"""The model under the EMA Workbench (optional extra: `pip install -e '.[ema]'`).

`ema_model(...)` returns an `ema_workbench.Model` whose uncertainties and levers are scenario parameters
(dotted keys, as in sweep designs) and whose outcomes are the model's metrics: summary statistics
(`inclusion_rate_final`, `municipal_net_cost_total`, ... as `ScalarOutcome`) and, if asked, whole monthly
series (`TimeSeriesOutcome`). Everything the workbench offers then works on the model: its samplers and
evaluators, PRIM and CART scenario discovery, feature scoring, MORDM. Example (docs/sweeps.md):

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    from experiments.ema import ema_model

    model = ema_model("default", months=60, overrides={"scale": 4.0, "policy_changes": []},
                      uncertainties={"economy.tightness": (0.6, 1.4), "stigma.weight": (0.1, 0.8)},
                      levers={"municipalities.Stad.policy.basisbaan_slots": (0, 500)})
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=4)
    x = experiments[[u.name for u in model.uncertainties] + [lv.name for lv in model.levers]]
    box = prim.Prim(x, outcomes["inclusion_rate_final"] < 0.36, threshold=0.7).find_box()

A parameter given as `(low, high)` is an `IntegerParameter` or a `RealParameter` after the schema's type;
a list of values is a `CategoricalParameter`; `None` takes the schema's own range. The model is picklable, so
the workbench's `MultiprocessingEvaluator` runs it in parallel.
"""

from __future__ import annotations

import warnings
from typing import Any

from abm.scenario import check_seed, load, override_notes, scenario_data
from experiments.design import (
    DEFAULT_SUMMARY,
    HEADLINE_OUTPUTS,
    STATISTICS,
    DesignError,
    FieldInfo,
    _check_value,
    scenario_field,
    summarise,
)


class PlmFunction:
    """The callable an EMA `Model` runs: keyword arguments are dotted scenario keys; returns the outcomes.

    Each experiment loads `base` with `overrides` (the fixed ones) and the experiment's parameters as one set of
    overrides, so every key has the one meaning of `abm.scenario.apply_overrides` (as in a sweep design)."""

    def __init__(self, base: dict[str, Any], seed: int, summary: dict[str, list[str]], series: list[str],
                 overrides: dict[str, Any] | None = None):
        self.base = base
        self.seed = check_seed(seed)
        self.summary = summary
        self.series = series
        self.overrides = dict(overrides or {})

    def __call__(self, **params: Any) -> dict[str, Any]:
        from abm.model import LabourMarketModel

        scenario = load(self.base, {**self.overrides, **params})
        model = LabourMarketModel(scenario, seed=self.seed, agent_views=False)
        model.run()
        ts = model.timeseries()
        out: dict[str, Any] = dict(summarise(ts, self.summary))
        for metric in self.series:
            out[metric] = ts[metric].to_numpy(dtype=float)
        return out


def _summary_for(outcomes: list[str]) -> dict[str, list[str]]:
    from abm.metrics import COLUMNS

    summary: dict[str, list[str]] = {}
    for name in outcomes:
        metric, _, stat = name.rpartition("_")
        if stat not in STATISTICS or metric not in COLUMNS:
            raise DesignError(f"outcomes: {name!r} is not METRIC_STATISTIC; allowed: a time-series column and one "
                              f"of {', '.join(STATISTICS)}, e.g. inclusion_rate_final")
        summary.setdefault(metric, []).append(stat)
    return summary


def _parameter(name: str, spec: Any, info: FieldInfo, lever: bool):
    import ema_workbench as ew

    where = f"{'levers' if lever else 'uncertainties'}.{name}"
    if isinstance(spec, (list, set)) or info.kind in ("bool", "str") and spec is None:
        values = list(spec) if spec is not None else _categories(info)
        values = [_check_value(info, v, where) for v in values]
        if info.kind == "bool" and sorted(values) == [False, True]:
            return ew.BooleanParameter(name)
        return ew.CategoricalParameter(name, values)
    if spec is None:
        if info.lo is None or info.hi is None:
            raise DesignError(f"{where}: has no range in the schema; allowed: give (low, high)")
        lo, hi = info.lo, info.hi
    else:
        try:
            lo, hi = spec
        except (TypeError, ValueError):
            raise DesignError(f"{where} = {spec!r}: allowed: (low, high), a list of values, or None") from None
    if info.kind not in ("int", "float"):
        raise DesignError(f"{where}: a {info.kind} parameter; allowed: a list of values")
    lo, hi = _check_value(info, lo, f"{where} low"), _check_value(info, hi, f"{where} high")
    if not lo < hi:
        raise DesignError(f"{where} = ({lo}, {hi}): allowed: low < high")
    if info.kind == "int":
        return ew.IntegerParameter(name, int(lo), int(hi))
    return ew.RealParameter(name, float(lo), float(hi))


def _categories(info: FieldInfo) -> list[Any]:
    if info.kind == "bool":
        return [False, True]
    schema = info.adapter.json_schema()
    if "enum" in schema:
        return list(schema["enum"])
    raise DesignError(f"{info.key}: a text parameter; allowed: a list of values")


def ema_model(scenario: Any = "default", *, uncertainties: dict[str, Any], levers: dict[str, Any] | None = None,
              outcomes: list[str] | None = None, series: list[str] | None = None, months: int | None = None,
              seed: int = 1, overrides: dict[str, Any] | None = None, name: str = "plm"):
    """An `ema_workbench.Model` of the labour market (see the module docstring).

    Args:
        scenario: base scenario (preset name, TOML path, dict or Scenario).
        uncertainties, levers: dotted scenario key -> (low, high), a list of values, or None (schema range).
        outcomes: summary outputs `METRIC_STATISTIC` (default: the headline four of `plm sensitivity`).
        series: metrics kept as whole monthly series (TimeSeriesOutcome).
        months, overrides: run length and fixed changes to the scenario (dotted keys), applied with each
            experiment's parameters as one set of overrides; seed: the seed of every run (common random numbers
            across experiments), a whole number 0 <= seed < 2**63.
    """
    try:
        import ema_workbench as ew
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("experiments.ema needs the EMA Workbench: pip install -e '.[ema]'") from exc

    if not name.isalnum():
        raise DesignError(f"name = {name!r}: allowed: letters and digits only (an EMA model name)")
    fixed = dict(overrides or {})
    if months is not None:
        fixed["months"] = months
    seed = check_seed(seed)
    base_scenario = load(scenario, fixed)
    source = scenario_data(scenario)[0]
    outcomes = list(outcomes) if outcomes is not None else list(HEADLINE_OUTPUTS)
    series = list(series or [])
    summary = _summary_for(outcomes)
    from abm.metrics import COLUMNS
    for metric in series:
        if metric not in COLUMNS:
            raise DesignError(f"series: {metric!r} is not a column of the time series")
    if not uncertainties:
        raise DesignError("uncertainties: allowed: at least one scenario parameter")
    overlap = sorted(set(uncertainties) & set(levers or {}))
    if overlap:
        raise DesignError(f"{overlap[0]}: both an uncertainty and a lever; allowed: one of them")

    for key in [*uncertainties, *(levers or {})]:
        for note in override_notes(base_scenario, {key: None}):
            warnings.warn(note, stacklevel=2)
    model = ew.Model(name, function=PlmFunction(source, seed, summary, series, fixed))
    model.uncertainties = [_parameter(k, v, scenario_field(k, base_scenario), False)
                           for k, v in uncertainties.items()]
    model.levers = [_parameter(k, v, scenario_field(k, base_scenario), True) for k, v in (levers or {}).items()]
    model.outcomes = [ew.ScalarOutcome(o) for o in outcomes] + [ew.TimeSeriesOutcome(m) for m in series]
    return model


__all__ = ["ema_model", "PlmFunction", "DEFAULT_SUMMARY"]
