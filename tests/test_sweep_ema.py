"""The EMA Workbench adapter (experiments.ema): a handful of experiments, PRIM on the results."""

from __future__ import annotations

import numpy as np
import pytest

ew = pytest.importorskip("ema_workbench", reason="the EMA Workbench is not installed (pip install -e '.[ema]')")

pytestmark = pytest.mark.timeout(300)

SLOTS = "municipalities.Stad.policy.basisbaan_slots"


def test_ema_model_runs_experiments_and_prim_finds_a_box():
    from ema_workbench import Policy, perform_experiments
    from ema_workbench.analysis import prim

    from abm.model import LabourMarketModel
    from abm.scenario import load
    from experiments.design import summarise
    from experiments.ema import ema_model

    # the default region sets the city's programme in a policy change at month 0: the lever still applies
    model = ema_model("default", months=12, overrides={"scale": 8.0, "policy.basisbaan_interviews_per_month": 40.0},
                      seed=5,
                      uncertainties={"economy.tightness": (0.6, 1.4), "stigma.weight": (0.1, 0.8),
                                     "policy.regime": None},
                      levers={SLOTS: (0, 400)}, series=["inclusion_rate"],
                      outcomes=["inclusion_rate_final", "n_basisbaan_final", "municipal_net_cost_total"])
    kinds = {p.name: type(p).__name__ for p in [*model.uncertainties, *model.levers]}
    assert kinds == {"economy.tightness": "RealParameter", "stigma.weight": "RealParameter",
                     "policy.regime": "CategoricalParameter", SLOTS: "IntegerParameter"}
    experiments, outcomes = perform_experiments(model, scenarios=3,
                                                policies=[Policy("none", **{SLOTS: 0}),
                                                          Policy("big", **{SLOTS: 400})])
    assert len(experiments) == 6
    assert outcomes["inclusion_rate"].shape == (6, 13)
    for name in ("inclusion_rate_final", "n_basisbaan_final", "municipal_net_cost_total"):
        assert outcomes[name].shape == (6,) and np.isfinite(outcomes[name]).all()
    assert np.allclose(outcomes["inclusion_rate"][:, -1], outcomes["inclusion_rate_final"])

    # an experiment is the model run with those parameters and that seed
    row = experiments.iloc[4]
    params = {"economy.tightness": row["economy.tightness"], "stigma.weight": row["stigma.weight"],
              "policy.regime": row["policy.regime"]}
    direct = LabourMarketModel("default", seed=5, months=12, agent_views=False, scale=8.0,
                               **{"policy.basisbaan_interviews_per_month": 40.0, SLOTS: int(row[SLOTS])}, **params)
    assert direct.p == load("default", {"months": 12, "scale": 8.0, "policy.basisbaan_interviews_per_month": 40.0,
                                        SLOTS: int(row[SLOTS]), **params})
    direct.run()
    expected = summarise(direct.timeseries(), {"inclusion_rate": ["final"], "n_basisbaan": ["final"]})
    assert outcomes["inclusion_rate_final"][4] == pytest.approx(expected["inclusion_rate_final"], abs=0)
    assert outcomes["n_basisbaan_final"][4] == expected["n_basisbaan_final"]
    # the lever acts: no basisbaan workers without slots, some with 400
    policy = experiments["policy"].to_numpy()
    assert (outcomes["n_basisbaan_final"][policy == "none"] == 0).all()
    assert (outcomes["n_basisbaan_final"][policy == "big"] > 0).all()

    x = experiments[list(kinds)]
    y = outcomes["inclusion_rate_final"] < np.median(outcomes["inclusion_rate_final"])
    box = prim.Prim(x, y, threshold=0.5).find_box()
    assert box.coverage > 0 and 0 < box.density <= 1


def test_ema_model_refuses_bad_parameters():
    from experiments.design import DesignError
    from experiments.ema import ema_model

    with pytest.raises(DesignError, match="unknown key 'casload'"):
        ema_model(uncertainties={"policy.casload": (100, 300)})
    with pytest.raises(DesignError, match="must be >= 20"):
        ema_model(uncertainties={"policy.caseload": (5, 300)})
    with pytest.raises(DesignError, match="allowed: one of.*Stad"):
        ema_model(uncertainties={"economy.tightness": (0.8, 1.2)},
                  levers={"municipalities.Nowhere.policy.basisbaan_slots": (0, 100)})
    with pytest.raises(DesignError, match="inclusion_rate_median"):
        ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, outcomes=["inclusion_rate_median"])


def test_ema_overrides_and_levers_have_the_one_meaning_of_a_key():
    # groningen-basisbaan-2020 sets additionality_test = 0.9 in its municipality's own table: a region-wide key
    # given as a fixed override or as a lever replaces it (issue 8 §2)
    from abm.model import LabourMarketModel
    from abm.scenario import ScenarioError
    from experiments.design import summarise
    from experiments.ema import ema_model

    key = "policy.additionality_test"
    model = ema_model("groningen-basisbaan-2020", months=6, seed=3, overrides={"scale": 8.0, key: 0.0},
                      uncertainties={"economy.tightness": (0.9, 1.1)}, outcomes=["displacement_per_100_final"])
    fixed = model.function(**{"economy.tightness": 1.0})["displacement_per_100_final"]
    direct = LabourMarketModel("groningen-basisbaan-2020", seed=3, months=6, agent_views=False, scale=8.0,
                               **{key: 0.0, "economy.tightness": 1.0})
    direct.run()
    assert fixed == summarise(direct.timeseries(), {"displacement_per_100": ["final"]})["displacement_per_100_final"]
    levered = ema_model("groningen-basisbaan-2020", months=6, seed=3, overrides={"scale": 8.0},
                        uncertainties={"economy.tightness": (0.9, 1.1)}, levers={key: [0.0, 0.9]},
                        outcomes=["displacement_per_100_final"])
    low = levered.function(**{"economy.tightness": 1.0, key: 0.0})["displacement_per_100_final"]
    high = levered.function(**{"economy.tightness": 1.0, key: 0.9})["displacement_per_100_final"]
    assert low == fixed and low > 3 * high
    for seed in (1.5, -1, 2**63, True):
        with pytest.raises(ScenarioError, match="seed = .*allowed: a whole number from 0 to 2\\*\\*63 - 1"):
            ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, seed=seed)


def test_outcomes_carry_the_direction_a_policy_wants():
    from experiments.design import HEADLINE_OUTPUTS, DesignError
    from experiments.ema import ema_model, outcome_kind

    model = ema_model(uncertainties={"economy.tightness": (0.8, 1.2)},
                      outcomes=[*HEADLINE_OUTPUTS, "n_basisbaan_final", "mean_wellbeing_final"])
    kinds = {o.name: o.kind for o in model.outcomes}
    max_, min_, info = ew.ScalarOutcome.MAXIMIZE, ew.ScalarOutcome.MINIMIZE, ew.ScalarOutcome.INFO
    assert kinds == {"inclusion_rate_final": max_, "displacement_per_100_final": min_, "throughput_rate_mean": max_,
                     "municipal_net_cost_total": min_, "n_basisbaan_final": info, "mean_wellbeing_final": max_}
    assert outcome_kind("inclusion_gap_final") == "info"
    model = ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, outcomes=["n_basisbaan_final"],
                      kinds={"n_basisbaan_final": "maximize"})
    assert model.outcomes[0].kind == max_
    with pytest.raises(DesignError, match="kinds.n_basisbaan_final = 'more': allowed: maximize, minimize, info"):
        ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, outcomes=["n_basisbaan_final"],
                  kinds={"n_basisbaan_final": "more"})
    with pytest.raises(DesignError, match="kinds.inclusion_rate_final: not an outcome of this model"):
        ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, outcomes=["n_basisbaan_final"],
                  kinds={"inclusion_rate_final": "maximize"})


def test_seeds_are_replications_and_an_outcome_is_their_mean():
    from ema_workbench import Policy, Scenario, perform_experiments

    from abm.model import LabourMarketModel
    from experiments.design import DesignError
    from experiments.ema import ema_model

    model = ema_model("default", months=6, seeds=[3, 4], overrides={"scale": 8.0},
                      uncertainties={"economy.tightness": (0.6, 1.4)}, levers={"policy.caseload": (100, 600)},
                      outcomes=["inclusion_rate_final"], series=["inclusion_rate"])
    assert isinstance(model, ew.ReplicatorModel) and model.nreplications == 2
    experiments, outcomes = perform_experiments(model, scenarios=[Scenario("s", **{"economy.tightness": 0.7})],
                                                policies=[Policy("p", **{"policy.caseload": 200})])
    direct = []
    for seed in (3, 4):
        m = LabourMarketModel("default", seed=seed, months=6, agent_views=False, scale=8.0,
                              **{"economy.tightness": 0.7, "policy.caseload": 200})
        m.run()
        direct.append(m.timeseries()["inclusion_rate"].to_numpy())
    assert not np.array_equal(direct[0], direct[1])  # the seeds differ, so the mean is a mean
    assert outcomes["inclusion_rate_final"][0] == pytest.approx((direct[0][-1] + direct[1][-1]) / 2, abs=1e-15)
    assert np.allclose(outcomes["inclusion_rate"][0], (direct[0] + direct[1]) / 2, rtol=0, atol=1e-15)
    for bad, message in ((0, "seeds = 0: allowed: a count >= 1"), ([1, 1], "allowed: one or more distinct seeds"),
                         (True, "seeds = True: allowed: a count")):
        with pytest.raises(DesignError, match=message):
            ema_model(uncertainties={"economy.tightness": (0.8, 1.2)}, seeds=bad)


@pytest.mark.slow
def test_a_small_optimize_run_gives_a_pareto_front_of_the_levers():
    from ema_workbench import SequentialEvaluator
    from ema_workbench.util import EMAError

    from experiments.ema import ema_model

    levers = {"policy.caseload": (100, 600), "policy.additionality_test": (0.0, 1.0)}
    outcomes = ["inclusion_rate_final", "displacement_per_100_final", "n_basisbaan_final"]
    model = ema_model("default", months=6, seeds=2, overrides={"scale": 8.0},
                      uncertainties={"economy.tightness": (0.6, 1.4)}, levers=levers, outcomes=outcomes)
    with SequentialEvaluator(model) as evaluator:
        front = evaluator.optimize(nfe=12, searchover="levers", epsilons=[0.001, 0.1], population_size=4)
    assert list(front.columns) == [*levers, "inclusion_rate_final", "displacement_per_100_final"]
    assert len(front) >= 1 and np.isfinite(front.to_numpy(dtype=float)).all()
    assert front["policy.caseload"].between(100, 600).all() and front["policy.additionality_test"].between(0, 1).all()
    inc, disp = front["inclusion_rate_final"].to_numpy(), front["displacement_per_100_final"].to_numpy()
    for i in range(len(front)):  # no point of the front dominates another
        better = (inc >= inc[i]) & (disp <= disp[i]) & ((inc > inc[i]) | (disp < disp[i]))
        assert not better.any()
    # with every outcome of kind INFO there is nothing to optimise: the workbench refuses
    info = ema_model("default", months=6, overrides={"scale": 8.0}, uncertainties={"economy.tightness": (0.6, 1.4)},
                     levers=levers, outcomes=outcomes[:2], kinds={o: "info" for o in outcomes[:2]})
    with SequentialEvaluator(info) as evaluator, pytest.raises(EMAError, match="all outcomes are of kind=INFO"):
        evaluator.optimize(nfe=4, searchover="levers", epsilons=[], population_size=4)
