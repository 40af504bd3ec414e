"""The model under the EMA Workbench (optional extra: `pip install -e '.[ema]'`).

`ema_model(...)` returns an `ema_workbench.Model` whose uncertainties and levers are scenario parameters
(dotted keys, as in sweep designs) and whose outcomes are the model's metrics: summary statistics
(`inclusion_rate_final`, `municipal_net_cost_total`, ... as `ScalarOutcome`) and, if asked, whole monthly
series (`TimeSeriesOutcome`). Everything the workbench offers then works on the model: its samplers and
evaluators, PRIM and CART scenario discovery, feature scoring, MORDM. Example (docs/sweeps.md):

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    from experiments.ema import ema_model

    model = ema_model("default", months=60, overrides={"scale": 4.0},
                      uncertainties={"economy.tightness": (0.6, 1.4), "stigma.weight": (0.1, 0.8)},
                      levers={"municipalities.Stad.policy.basisbaan_slots": (0, 150)})
    experiments, outcomes = perform_experiments(model, scenarios=100, policies=4)
    x = experiments[[u.name for u in model.uncertainties] + [lv.name for lv in model.levers]]
    box = prim.Prim(x, outcomes["inclusion_rate_final"] < 0.36, threshold=0.7).find_box()

A parameter given as `(low, high)` is an `IntegerParameter` or a `RealParameter` after the schema's type;
a list of values is a `CategoricalParameter`; `None` takes the schema's own range. The model is picklable, so
the workbench's `MultiprocessingEvaluator` runs it in parallel.

**Replications.** `seeds=[1, 2, 3]` (or a count, seeds 1..K) makes the model an `ema_workbench.ReplicatorModel`:
each experiment runs once per seed — the seed is an EMA replication, not an uncertainty, because it is not a
condition of the world a policy could be robust or fragile to but the noise around it — and every outcome is
the mean over the seeds (`ScalarOutcome(..., function=np.mean)`; a series the month-by-month mean). Every
experiment runs the same seeds, so experiments differ by their parameters only (common random numbers).
Without `seeds`, every experiment runs the one `seed` (default 1).

**Outcome kinds.** An outcome `METRIC_STATISTIC` takes the kind of its metric from `OUTCOME_KINDS`: MAXIMIZE for
what a policy wants more of (inclusion, participation, throughput to regular work, regular work, wellbeing),
MINIMIZE for what it wants less of (displacement, the municipality's net cost and spend, unemployment, stigma,
budget deficits), INFO for counts whose direction is not a goal (people in a basisbaan or in parallel work, the
inclusion gap ratio, ...). `kinds={"n_basisbaan_final": "maximize"}` overrides one. So `optimize()` and MORDM
work on the model's levers (`tests/test_sweep_ema.py` runs a small `optimize()`):

    from ema_workbench import SequentialEvaluator
    model = ema_model("default", months=24, seeds=2, overrides={"scale": 8.0},
                      uncertainties={"economy.tightness": (0.6, 1.4)},
                      levers={"policy.caseload": (100, 600), "policy.additionality_test": (0.0, 1.0)},
                      outcomes=["inclusion_rate_final", "displacement_per_100_final"])
    with SequentialEvaluator(model) as evaluator:
        pareto = evaluator.optimize(nfe=200, searchover="levers", epsilons=[0.005, 1.0])
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

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
        """One run; a `seed` among the keyword arguments (an EMA replication) replaces the model's own seed."""
        from abm.model import LabourMarketModel

        seed = check_seed(params.pop("seed")) if "seed" in params else self.seed
        scenario = load(self.base, {**self.overrides, **params})
        model = LabourMarketModel(scenario, seed=seed, agent_views=False)
        model.run()
        ts = model.timeseries()
        out: dict[str, Any] = dict(summarise(ts, self.summary))
        for metric in self.series:
            out[metric] = ts[metric].to_numpy(dtype=float)
        return out


# The direction a policy wants each metric to move (module docstring); metrics not listed are INFO.
MAXIMIZE_METRICS = ("inclusion_rate", "participation_rate", "throughput_rate", "n_regular", "mean_wellbeing",
                    "to_regular_from_parallel", "to_regular_from_basisbaan", "employment_rate_limitation",
                    "employment_rate_no_limitation", "inclusion_rate_register")
MINIMIZE_METRICS = ("displacement_per_100", "displaced_regular_jobs", "municipal_net_cost", "municipal_spend",
                    "n_unemployed", "mean_self_stigma", "mean_label_stigma", "budget_deficit",
                    "basisbaan_programme_net_cost")
OUTCOME_KINDS = {**{m: "maximize" for m in MAXIMIZE_METRICS}, **{m: "minimize" for m in MINIMIZE_METRICS}}
KIND_NAMES = ("maximize", "minimize", "info")


def outcome_kind(outcome: str, kinds: dict[str, str] | None = None) -> str:
    """maximize, minimize or info for an outcome METRIC_STATISTIC: `kinds` first, then OUTCOME_KINDS."""
    if kinds and outcome in kinds:
        return kinds[outcome]
    return OUTCOME_KINDS.get(outcome.rpartition("_")[0], "info")


def mean_series(values):
    """The month-by-month mean of a series over replications (a module function, so the model pickles)."""
    return np.mean(np.asarray(values, dtype=float), axis=0)


def _seed_list(seeds: int | list[int]) -> list[int]:
    if isinstance(seeds, bool) or not isinstance(seeds, (int, list, tuple)):
        raise DesignError(f"seeds = {seeds!r}: allowed: a count of seeds (1, 2, ...) or a list of seeds")
    if isinstance(seeds, int):
        if seeds < 1:
            raise DesignError(f"seeds = {seeds}: allowed: a count >= 1 or a list of seeds")
        seeds = list(range(1, seeds + 1))
    seeds = [check_seed(s) for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise DesignError(f"seeds = {seeds!r}: allowed: one or more distinct seeds")
    return seeds


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
              seed: int = 1, seeds: int | list[int] | None = None, kinds: dict[str, str] | None = None,
              overrides: dict[str, Any] | None = None, name: str = "plm"):
    """An `ema_workbench.Model` of the labour market (see the module docstring).

    Args:
        scenario: base scenario (preset name, TOML path, dict or Scenario).
        uncertainties, levers: dotted scenario key -> (low, high), a list of values, or None (schema range).
        outcomes: summary outputs `METRIC_STATISTIC` (default: the headline four of `plm sensitivity`).
        series: metrics kept as whole monthly series (TimeSeriesOutcome).
        months, overrides: run length and fixed changes to the scenario (dotted keys), applied with each
            experiment's parameters as one set of overrides; seed: the seed of every run (common random numbers
            across experiments), a whole number 0 <= seed < 2**63.
        seeds: a count K (seeds 1..K) or a list of seeds: replications, outcomes are their mean (module docstring).
        kinds: outcome -> "maximize", "minimize" or "info", over the defaults of OUTCOME_KINDS.
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
    seed_list = _seed_list(seeds) if seeds is not None else None
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
    for key, kind in (kinds or {}).items():
        if key not in outcomes:
            raise DesignError(f"kinds.{key}: not an outcome of this model; allowed: {', '.join(outcomes)}")
        if kind not in KIND_NAMES:
            raise DesignError(f"kinds.{key} = {kind!r}: allowed: {', '.join(KIND_NAMES)}")
    function = PlmFunction(source, seed, summary, series, fixed)
    ema_kind = {"maximize": ew.ScalarOutcome.MAXIMIZE, "minimize": ew.ScalarOutcome.MINIMIZE,
                "info": ew.ScalarOutcome.INFO}
    if seed_list is None:
        model = ew.Model(name, function=function)
        model.outcomes = [ew.ScalarOutcome(o, kind=ema_kind[outcome_kind(o, kinds)]) for o in outcomes] + \
            [ew.TimeSeriesOutcome(m) for m in series]
    else:
        model = ew.ReplicatorModel(name, function=function)
        model.replications = [{"seed": s} for s in seed_list]
        model.outcomes = [ew.ScalarOutcome(o, kind=ema_kind[outcome_kind(o, kinds)], function=np.mean)
                          for o in outcomes] + [ew.TimeSeriesOutcome(m, function=mean_series) for m in series]
    model.uncertainties = [_parameter(k, v, scenario_field(k, base_scenario), False)
                           for k, v in uncertainties.items()]
    model.levers = [_parameter(k, v, scenario_field(k, base_scenario), True) for k, v in (levers or {}).items()]
    return model


__all__ = ["ema_model", "PlmFunction", "DEFAULT_SUMMARY", "OUTCOME_KINDS", "outcome_kind"]
