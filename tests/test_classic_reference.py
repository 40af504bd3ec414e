"""The classic per-agent reference (benchmarks/classic_reference.py) and the vectorised phase (abm.search.applications +
abm.hiring.hire) apply the same search-and-hiring rules.

Both run on the same model state (a small region, scale 4: ~11k job seekers, after two months of warm-up; the
vectorised phase is restored between runs). Their random draws differ, so the checks are:
- deterministic rules agree exactly: who searches, and every searcher's effort (to float32 precision);
- counts agree statistically over RUNS independent runs of each implementation. For a count X the difference of
  the two means has standard error SE = sqrt(var_vec / RUNS + var_classic / RUNS). The test asks
  |difference| < 4 SE (equal rules fail this with probability ~1e-4 per count) and, so that it cannot pass
  merely by being noisy, that 4 SE is below 15% of the mean: a rule change that moves a count by 15% fails.
  Counts too small for that power on a state (parallel hires and sanctions in the default region, where the
  parallel places are full) are compared on the "stress" state only.
The stress state switches on the rules the default leaves idle (enforced quota, a trust regime, no no-risk
policy, no wage-cost subsidy, a throughput goal, a slack market) and funds extra parallel places, so the
parallel pool is limited by the scores rather than by its capacity.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from abm import hiring, search
from abm import states as S
from abm.model import LabourMarketModel
from experiments.bench import _restore, _snapshot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import classic_reference as cr  # noqa: E402  (kept in benchmarks/, imported as experiments.bench does)

pytestmark = pytest.mark.slow  # many runs of each implementation on two states

RUNS = 64   # enough runs that each compared count has the power to show a 15% difference
METRICS = ("applications", "hires_regular", "hires_parallel", "offers", "refusals", "hires_with_subsidy",
           "sanctioned")

STRESS = {
    "economy.tightness": 0.7,
    "economy.vacancy_rate": 0.06,
    "economy.outside_fill": 0.3,
    "search.sanction_prob": 0.3,
    "search.refusal_pressure": 400.0,
    "risk.weight": 2.0,
    "hiring.referral_bonus": 1.0,
    "employers.mean_subsidy_uptake": 0.8,
    "throughput.weight": 1.0,
    "policy_changes": [
        {"month": 0, "municipality": "Stad", "set": {"quota_enforced": True, "quota_levy": 40000.0}},
        {"month": 0, "municipality": "Midden", "set": {"regime": "trust", "basisbaan_throughput_goal": True}},
        {"month": 0, "municipality": "Noord", "set": {"no_risk_policy": False, "lks_enabled": False}},
        {"month": 0, "municipality": "West", "set": {"earnings_disregard_months": 24, "lks_max_share": 0.5}},
    ],
}
CASES = {
    "default": ({}, ("applications", "hires_regular", "offers")),
    "stress": (STRESS, METRICS),
}
EXTRA_PARALLEL_PLACES = {"default": 0, "stress": 40}   # per parallel organisation, funded after the warm-up


def _state(overrides: dict, extra_parallel_places: int = 0) -> LabourMarketModel:
    model = LabourMarketModel("default", seed=3, agent_views=False, **{"scale": 4.0, "spin_up_months": 0, **overrides})
    model.run(2)
    model.e.parallel_capacity[model.e.kind != S.REGULAR_FIRM] += extra_parallel_places
    return model


def _vectorised_runs(model, runs: int) -> dict[str, np.ndarray]:
    """Counts of `runs` vectorised phases on the same state, each with the draws of another seed (the draws are
    keyed by seed, mechanism, month and person: abm/rng.py)."""
    snap = _snapshot(model)
    out = {k: [] for k in ("searchers", *METRICS)}
    seed = model.seed_used
    for r in range(runs):
        _restore(model, snap)
        model.seed_used, model._keys = seed + 1 + r, {}
        out["searchers"].append(search.searchers(model).size)
        apps = search.applications(model)
        out["sanctioned"].append(int(model.s.sanctioned.sum()))
        flows = hiring.hire(model, apps)
        for k in ("applications", "hires_regular", "hires_parallel", "offers", "refusals", "hires_with_subsidy"):
            out[k].append(flows[k])
    _restore(model, snap)
    model.seed_used, model._keys = seed, {}
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def _classic_runs(world, runs: int, first_seed: int = 0) -> dict[str, np.ndarray]:
    out = {k: [] for k in ("searchers", *METRICS)}
    for r in range(runs):
        counts = cr.run_classic_phase(world, first_seed + r)
        assert set(counts) == {"searchers", "applications", "hires_regular", "hires_parallel", "offers"}
        for k, v in counts.items():
            out[k].append(v)
        out["refusals"].append(counts["offers"] - counts["hires_regular"] - counts["hires_parallel"])
        out["hires_with_subsidy"].append(sum(app.subsidy > 0 for app in world.hires))
        out["sanctioned"].append(sum(a.sanctioned for a in world.seekers))
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def _compare(vec: np.ndarray, classic: np.ndarray) -> tuple[float, float, float]:
    """(difference of means, its standard error, mean of the vectorised counts)."""
    se = float(np.sqrt(vec.var(ddof=1) / vec.size + classic.var(ddof=1) / classic.size))
    return float(classic.mean() - vec.mean()), se, float(vec.mean())


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    overrides, metrics = CASES[request.param]
    model = _state(overrides, EXTRA_PARALLEL_PLACES[request.param])
    world = cr.build_classic(model)
    return dict(name=request.param, model=model, world=world, metrics=metrics,
                vec=_vectorised_runs(model, RUNS), classic=_classic_runs(world, RUNS))


def test_classic_world_is_made_of_mesa_agents(case):
    world, model = case["world"], case["model"]
    assert len(world.agents_by_type[cr.JobSeeker]) == model.s.n == len(world.seekers)
    assert len(world.agents_by_type[cr.Employer]) == model.e.n
    person = world.seekers[5]
    assert isinstance(person.skill, float) and isinstance(person.label, list) and isinstance(person.ties, list)


def test_searchers_are_the_same_people(case):
    assert np.all(case["vec"]["searchers"] == case["vec"]["searchers"][0])
    assert np.all(case["classic"]["searchers"] == case["vec"]["searchers"][0])


def test_every_searchers_effort_is_the_same(case):
    model, world = case["model"], case["world"]
    snap = _snapshot(model)
    search.applications(model)
    vec_effort = model.s.search_effort.copy()
    _restore(model, snap)
    cr.run_classic_phase(world, 12345)
    classic_effort = np.array([a.effort for a in world.seekers])
    searching = np.array([a.searching for a in world.seekers])
    assert np.array_equal(np.flatnonzero(searching), search.searchers(model))
    np.testing.assert_allclose(classic_effort, vec_effort, atol=1e-5)


@pytest.mark.parametrize("metric", METRICS)
def test_counts_agree_statistically(case, metric):
    if metric not in case["metrics"]:
        pytest.skip(f"{metric} is too small on the {case['name']} state to compare with 15% power")
    diff, se, mean = _compare(case["vec"][metric], case["classic"][metric])
    assert 4 * se < 0.15 * mean, f"{metric}: too noisy to detect a 15% difference (SE {se:.2f}, mean {mean:.1f})"
    assert abs(diff) < 4 * se, (f"{metric}: classic - vectorised = {diff:+.2f} (SE {se:.2f}, vectorised mean "
                                f"{mean:.1f}): the two implementations disagree")


def test_classic_phase_is_repeatable_and_leaves_the_world_as_it_was(case):
    world = case["world"]
    before = [(a.state, a.benefit, a.employer) for a in world.seekers[:500]]
    vacancies = [e.vacancies for e in world.employers]
    assert cr.run_classic_phase(world, 7) == cr.run_classic_phase(world, 7)
    assert before == [(a.state, a.benefit, a.employer) for a in world.seekers[:500]]
    assert vacancies == [e.vacancies for e in world.employers]
