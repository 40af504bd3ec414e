"""The plan of a sweep: its context (model, version, base scenario, set, months, outputs) and one run per
point × seed, keyed by a hash of the parameters, the seed and the context, so a rerun skips what is done.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from experiments.design.fields import base_scenario, scenario_source
from experiments.design.loading import load_design
from experiments.design.sampling import digest, points
from experiments.design.schema import Design


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
    if not design.outputs.by_municipality:   # absent unless asked for: the run ids of earlier sweeps stay the same
        del context["outputs"]["by_municipality"]
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
