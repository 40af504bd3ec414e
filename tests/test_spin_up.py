"""The spin-up runs the scenario's world under today's rules, and its end state is cached (abm/spin_up.py).

- A scenario that differs from the baseline only in policy starts month 0 from the baseline's state on the
  same seed: the same people in the same states, jobs and employers; only its policy (and the parallel places
  its policy funds) differ at month 0.
- A run whose spin-up comes from the cache gives the same output as a run without the cache.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import spin_up
from abm import states as S
from abm.model import LabourMarketModel
from abm.scenario import ScenarioError

SPIN = 6


def build(scenario: str, seed: int = 3, **overrides) -> LabourMarketModel:
    return LabourMarketModel(scenario, seed=seed, months=4, agent_views=False, scale=40.0,
                             spin_up_months=SPIN, **overrides)


def seeker_state(model) -> dict[str, np.ndarray]:
    s = model.s
    return {name: getattr(s, name).copy() for name in s.columns} | {"label": s.label.copy()}


def test_a_policy_scenario_starts_month_0_from_the_baseline_state():
    spin_up.clear_cache()
    base = build("baseline-participatiewet")
    for name in ("job-guarantee", "social-secondment", "regelluwe-bijstand-trust"):
        variant = build(name)
        a, b = seeker_state(base), seeker_state(variant)
        assert a.keys() == b.keys()
        for column in a:
            assert np.array_equal(a[column], b[column]), (name, column)
        for column in base.e.columns:
            if column != "parallel_capacity":
                assert np.array_equal(getattr(base.e, column), getattr(variant.e, column)), (name, column)
        assert np.array_equal(base.e.belief, variant.e.belief)
    # ... and its own policy is in force from month 0
    variant = build("social-secondment")
    places = "parallel_places_per_100"
    assert variant.muni_policy[places].tolist() != base.muni_policy[places].tolist()
    assert variant.e.parallel_capacity.sum() > base.e.parallel_capacity.sum()
    e = variant.e
    funded = np.bincount(e.municipality, weights=e.parallel_capacity * (e.kind != S.SHELTERED_WORKSHOP),
                         minlength=variant.n_munis)
    assert np.array_equal(funded.astype(np.int64), spin_up.funded_places(variant))


def test_the_spin_up_runs_under_todays_rules_not_the_scenarios():
    """A lever set for every municipality from month 0 (here a 1:100 caseload) does not act before month 0."""
    spin_up.clear_cache()
    base = build("baseline-participatiewet")
    variant = build("baseline-participatiewet", **{"policy.caseload": 100})
    assert np.array_equal(base.s.state, variant.s.state) and np.array_equal(base.s.skill, variant.s.skill)
    assert variant.muni_policy["caseload"].tolist() == [100] * variant.n_munis
    base.run()
    variant.run()
    assert not base.timeseries().equals(variant.timeseries())   # from month 0 on the caseload acts


def test_a_run_from_the_cache_equals_a_run_without_it(monkeypatch):
    spin_up.clear_cache()
    monkeypatch.setenv("PLM_SPIN_UP_CACHE", "0")
    plain = build("job-guarantee", seed=9)
    assert not spin_up._cache
    plain.run()
    monkeypatch.setenv("PLM_SPIN_UP_CACHE", "1")
    build("baseline-participatiewet", seed=9)      # fills the cache with seed 9's spun-up world
    assert len(spin_up._cache) == 1

    def no_spin_up(self, months):
        raise AssertionError("the spin-up ran although its end state was cached")
    monkeypatch.setattr(LabourMarketModel, "_spin_up", no_spin_up)
    cached = build("job-guarantee", seed=9)
    cached.run()
    assert cached.timeseries().equals(plain.timeseries())
    assert cached.transitions().equals(plain.transitions())
    assert cached.ledger_frame().equals(plain.ledger_frame())


def test_the_cache_is_bounded_and_keyed_by_seed_and_months():
    spin_up.clear_cache()
    for seed in range(spin_up.CACHE_SIZE + 2):
        LabourMarketModel("baseline-participatiewet", seed=seed, months=1, agent_views=False, scale=80.0,
                          spin_up_months=1)
    assert len(spin_up._cache) == spin_up.CACHE_SIZE
    world = spin_up.spin_up_scenario(build("job-guarantee").p)
    assert spin_up.cache_key(world, 3, SPIN) == spin_up.cache_key(spin_up.spin_up_scenario(build(
        "baseline-participatiewet").p), 3, SPIN)
    assert spin_up.cache_key(world, 3, SPIN) != spin_up.cache_key(world, 4, SPIN)
    assert spin_up.cache_key(world, 3, SPIN) != spin_up.cache_key(world, 3, SPIN + 1)
    tight = spin_up.spin_up_scenario(build("tight-market").p)   # an economy is the world's, not policy
    assert spin_up.cache_key(tight, 3, SPIN) != spin_up.cache_key(world, 3, SPIN)
    spin_up.clear_cache()


def test_a_bad_cache_switch_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("PLM_SPIN_UP_CACHE", "off")
    with pytest.raises(ScenarioError, match="PLM_SPIN_UP_CACHE = 'off': allowed: 0"):
        build("baseline-participatiewet")
