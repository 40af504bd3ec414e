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
