"""The spin-up: the months a run runs before month 0, unreported (docs/model.md §3.4, "A baseline that stands
still"), and the in-process cache of its end state.

Rule (what the spin-up runs under): the scenario's own world — its region and municipalities (their people),
its economy at month 0, its scale and every mechanism's parameters (behaviour, stigma, throughput, ...) — under
TODAY'S RULES: the policy of `baseline-participatiewet` (every `policy.*` lever, no municipality's own policy, no
dated policy or sector changes, no sector stances, no person decisions). The scenario's own policy starts at
month 0: its levers, its municipalities' policies, its changes dated month 0, and the parallel places its month-0
policy funds (`fund_parallel_places`). So a scenario that differs from the baseline only in policy starts month
0 from the very state the baseline starts from on the same seed: its figures are what happens after the policy
is introduced. A scenario that differs in a non-policy key (an economy, a stigma campaign's beliefs, a
throughput assumption) spins up in its own world, and its month 0 is that world's steady state.

Cache: the state at the end of the spin-up depends only on the spin-up's scenario (`spin_up_scenario`, without
its name, texts and run length), the seed and the number of months; `CACHE_SIZE` end states are kept in memory
(least recently used dropped first) for runs of at most `CACHE_MAX_AGENTS` agents, so `plm validate`, `plm
report`, `plm predict` and paired comparisons spin up a world once per seed. A run from the cache gives output
identical to a run without it (tests/test_spin_up.py). `PLM_SPIN_UP_CACHE=0` switches it off.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import time
from collections import OrderedDict
from functools import lru_cache

import numpy as np

from abm import states as S
from abm.scenario import Scenario, ScenarioError, agent_counts, load

TODAYS_RULES = "baseline-participatiewet"
CACHE_SIZE = 4                 # end states kept: the default region and Groningen's, with room for two more
CACHE_MAX_AGENTS = 250_000     # larger runs are not cached (an end state costs about 500 bytes an agent)

# Model attributes that are not the world's state: Mesa's own, the run's settings, and the books that
# `_start_books` starts afresh at month 0. Everything else the model holds after the spin-up is copied.
_NOT_STATE = frozenset({
    "_agents", "_agents_by_type", "_all_agents", "_rng", "_seed", "_user_step", "random", "rng", "step", "steps",
    "running", "p", "schedule", "mechanisms", "kernel_threads", "env_threads", "parallel_min_agents",
    "size_estimate", "_views_wanted", "_views_made", "seeker_columns", "employer_columns", "metric_columns",
    "build_seconds", "spin_up_seconds", "phase_seconds", "mechanism_seconds", "log", "ledger", "datacollector",
    "current_metrics", "accounts_now", "budgets", "funnel_counts", "placements", "initial_bijstand",
    "_policies", "_stances", "muni_policy", "policy_arrays", "sector_arrays", "bijstand_count",
    "_municipality_views",
})

_cache: OrderedDict[tuple, dict] = OrderedDict()


@lru_cache(maxsize=1)
def _todays_rules() -> Scenario:
    return load(TODAYS_RULES)


def spin_up_scenario(scenario: Scenario) -> Scenario:
    """The scenario the spin-up runs: `scenario`'s world under today's rules (the module docstring's rule), without
    what does not change a run (name, texts, run length, declared what-if ranges)."""
    rules = _todays_rules()
    return scenario.model_copy(update={
        "name": "spin-up", "description": "", "about": "", "base": None, "months": 1,
        "policy": rules.policy, "policy_changes": list(rules.policy_changes),
        "sectors": dict(rules.sectors), "sector_changes": list(rules.sector_changes), "person_decisions": [],
        "municipalities": [m.model_copy(update={"policy": {}}) for m in scenario.municipalities],
        # a preset's declared what-if ranges (`[assumed]`) are read by what-if runs, not by a run: not the world
        "assumed": {},
    })


def cache_enabled() -> bool:
    raw = os.environ.get("PLM_SPIN_UP_CACHE", "1")
    if raw not in ("0", "1"):
        raise ScenarioError(f"PLM_SPIN_UP_CACHE = {raw!r}: allowed: 0 (off) or 1 (on, the default)")
    return raw == "1"


def clear_cache() -> None:
    _cache.clear()


def cache_key(world: Scenario, seed: int, months: int) -> tuple:
    """Everything the spin-up reads: its scenario (as JSON), the seed and the months."""
    text = json.dumps(world.model_dump(mode="json"), sort_keys=True)
    return (hashlib.sha256(text.encode("utf-8")).hexdigest(), int(seed), int(months))


def _snapshot(model) -> dict:
    state = {k: v for k, v in vars(model).items() if k not in _NOT_STATE}
    return copy.deepcopy({"state": state, "rng": model.rng.bit_generator.state, "random": model.random.getstate()})


def _restore(model, snapshot: dict) -> None:
    snap = copy.deepcopy(snapshot)
    vars(model).update(snap["state"])
    model.rng.bit_generator.state = snap["rng"]
    model.random.setstate(snap["random"])


def run(model, months: int, cacheable: bool) -> None:
    """Build the world of `model.p` and run its spin-up of `months` months (or restore its end state from the
    cache), then set month 0: the scenario's own policy and parallel places, the books started afresh."""
    t0 = time.perf_counter()
    scenario = model.p
    world = spin_up_scenario(scenario)
    cacheable = cacheable and cache_enabled() and int(agent_counts(world).sum()) <= CACHE_MAX_AGENTS
    key = cache_key(world, model.seed_used, months) if cacheable else None
    model.p = world
    model._set_policy(0)
    if key is not None and key in _cache:
        _cache.move_to_end(key)
        _restore(model, _cache[key])
    else:
        model._build_world()
        model._start_books()
        model._spin_up(months)
        if key is not None and not model._views_made:
            _cache[key] = _snapshot(model)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    model.p = scenario
    model._policies, model._stances = [], []
    model._set_policy(0)
    fund_parallel_places(model)
    model._start_books()
    model.spin_up_seconds = time.perf_counter() - t0


def funded_places(model) -> np.ndarray:
    """Per municipality, the parallel places the month-0 policy funds: bijstand agents × places per 100 / 100,
    rounded down (the one rule of `LabourMarketModel._build_people` and the spin-up's month 0)."""
    bijstand = agent_counts(model.p)[:, 0]
    return np.floor(bijstand * model.muni_policy["parallel_places_per_100"] / 100.0).astype(np.int64)


def fund_parallel_places(model) -> None:
    """Month 0 after the spin-up: each municipality's social enterprises and satellites get the places the
    scenario's month-0 policy funds, spread evenly as when they are built (abm/employers.py; a world built for a
    spin-up has at least one such organisation in every municipality); people above a smaller capacity keep
    their places until they leave."""
    e = model.e
    target = funded_places(model)
    orgs = (e.kind == S.SOCIAL_ENTERPRISE) | (e.kind == S.SATELLITE)
    for m in range(model.n_munis):
        rows = np.flatnonzero(orgs & (e.municipality == m))
        if rows.size == 0 or int(e.parallel_capacity[rows].sum()) == target[m]:
            continue
        cap = np.full(rows.size, target[m] // rows.size, dtype=np.int64)
        cap[: target[m] - cap.sum()] += 1
        e.parallel_capacity[rows] = cap
