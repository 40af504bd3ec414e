"""Results per municipality (abm/by_municipality.py): one definition per figure, so the regional time series is
the aggregate of the municipal rows; collecting them changes nothing; a municipality's own policy shows in its
own rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from abm import accounts
from abm import by_municipality as B
from abm.model import LabourMarketModel

SMALL = {"scale": 4.0}


def collected(scenario="default", seed=3, months=12, **overrides) -> LabourMarketModel:
    model = LabourMarketModel(scenario, seed=seed, months=months, agent_views=False, mechanisms=[B.MECHANISM],
                              **{**SMALL, **overrides})
    model.run()
    return model


@pytest.mark.parametrize("preset", ["default", "groningen-basisbaan-2020", "quota-enforced",
                                    "parallel-market-acquisition"])
def test_the_municipal_rows_add_up_to_the_regional_time_series_every_month(preset):
    model = collected(preset)
    ts, bm = model.timeseries(), B.frame(model)
    names = [m.name for m in model.p.municipalities]
    assert list(bm.columns) == list(B.COLUMNS)
    assert list(bm["municipality"].cat.categories) == names
    assert bm.groupby("month").size().tolist() == [len(names)] * (model.p.months + 1)
    total = bm.groupby("month").sum(numeric_only=True)
    assert total.index.tolist() == ts["month"].tolist()
    for column in B.SUMMED:
        if column in B.COUNT_COLUMNS:     # people: whole numbers, equal when the scale is a whole number
            assert total[column].tolist() == ts[column].tolist(), column
        else:                             # EUR: equal up to the rounding of a sum in another order
            np.testing.assert_allclose(total[column], ts[column], rtol=1e-9, atol=1e-6, err_msg=column)
    # a regional rate is the same ratio of the summed numerator and denominator
    paid = total["n_regular"] + total["n_parallel"] + total["n_basisbaan"]
    np.testing.assert_allclose(paid / total["seekers"], ts["inclusion_rate"], rtol=1e-12)
    np.testing.assert_allclose((paid + total["n_participation"]) / total["seekers"], ts["participation_rate"],
                               rtol=1e-12)
    subsidised = (total["n_parallel"] + total["n_basisbaan"]).to_numpy()
    np.testing.assert_allclose(100 * total["displaced_regular_jobs"] / np.maximum(subsidised, 1),
                               ts["displacement_per_100"], rtol=1e-12)
    moved = (total["to_regular_from_parallel"] + total["to_regular_from_basisbaan"]).to_numpy()
    np.testing.assert_allclose(moved[1:] / subsidised[:-1], ts["throughput_rate"].iloc[1:], rtol=1e-12)
    assert moved.sum() > 0 and total["displaced_regular_jobs"].iloc[-1] > 0   # the checks are not about zeros


def test_each_municipal_rate_is_its_own_ratio():
    bm = B.frame(collected(months=6))
    np.testing.assert_allclose(bm["regular_rate"], bm["n_regular"] / bm["seekers"], rtol=1e-12)
    np.testing.assert_allclose(bm["municipal_net_cost"], bm["municipal_spend"] - bm["municipal_receipts"], rtol=1e-12)
    spend = bm[["spend_benefits", "spend_subsidies", "spend_coaching", "spend_participation", "spend_parallel",
                "spend_basisbaan_wages", "spend_basisbaan_guidance"]].sum(axis=1)
    np.testing.assert_allclose(bm["municipal_spend"], spend, rtol=1e-12)


def test_each_municipalitys_payments_in_the_ledger_are_its_spend():
    """abm/accounts.py's rule per municipality: what the ledger books as paid by a municipality is its spend."""
    model = LabourMarketModel("default", seed=4, months=6, agent_views=False, **SMALL)
    for _ in range(6):
        model.step()
        money = model.last_money
        paid = sum(amount for _i, payer, _p, amount in accounts.bookings_by_municipality(model, money["quantities"])
                   if payer == "municipality")
        np.testing.assert_allclose(paid, money["spend"], rtol=1e-12)
        assert paid.shape == (model.n_munis,) and (paid > 0).all()


def test_collecting_changes_nothing_in_the_run():
    plain = LabourMarketModel("default", seed=9, months=8, agent_views=False, **SMALL)
    plain.run()
    model = collected(seed=9, months=8)
    pd.testing.assert_frame_equal(plain.timeseries(), model.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(plain.transitions(), model.transitions(), check_exact=True)
    assert type(model.p) is type(plain.p)      # a collector has no parameters: the scenario schema is the same


def test_a_policy_for_one_municipality_shows_in_its_own_rows():
    """`municipalities.Stad.policy.basisbaan_slots`: Stad's programme grows; no other municipality gets one."""
    months = 24
    small = B.frame(collected(seed=5, months=months, **{"municipalities.Stad.policy.basisbaan_slots": 0}))
    big = B.frame(collected(seed=5, months=months, **{"municipalities.Stad.policy.basisbaan_slots": 200}))
    end = {name: frame[frame["month"] == months].set_index("municipality") for name, frame in
           (("small", small), ("big", big))}
    assert end["small"].loc["Stad", "basisbaan_places"] == 0 and end["big"].loc["Stad", "basisbaan_places"] == 200
    assert end["small"].loc["Stad", "n_basisbaan"] == 0 < end["big"].loc["Stad", "n_basisbaan"]
    stad = {name: frame[frame["municipality"] == "Stad"] for name, frame in (("small", small), ("big", big))}
    assert stad["big"]["spend_basisbaan_wages"].sum() > 0 == stad["small"]["spend_basisbaan_wages"].sum()
    assert stad["big"]["municipal_net_cost"].sum() > stad["small"]["municipal_net_cost"].sum()
    for frame in (small, big):
        others = frame[frame["municipality"] != "Stad"]
        assert (others["basisbaan_places"] == 0).all() and (others["n_basisbaan"] == 0).all()
        assert (others["spend_basisbaan_wages"] == 0).all()


def test_a_model_that_does_not_collect_says_so_in_one_line():
    model = LabourMarketModel("default", seed=1, months=1, agent_views=False, **SMALL)
    with pytest.raises(ValueError, match=r"mechanisms=\[abm.by_municipality.MECHANISM\]"):
        B.frame(model)


def test_a_sweep_keeps_the_results_per_municipality_when_its_design_asks(tmp_path):
    from experiments.design import DesignError, load_design, make_plan
    from experiments.sweep import load_sweep, run_sweep

    key = "municipalities.Stad.policy.basisbaan_slots"
    design = {"name": "bm", "method": "grid", "seeds": 1, "months": 4, "set": {"scale": 8.0},
              "parameters": {key: {"levels": [0, 200]}},
              "outputs": {"summary": {"n_basisbaan": ["final"]}, "by_municipality": True}}
    assert run_sweep(design, tmp_path / "s", workers=0).ok == 2
    bm = load_sweep(tmp_path / "s", by_municipality=True)
    assert len(bm) == 2 * 5 * 5 and {"run_id", "seed", key, "month", "municipality"} <= set(bm.columns)
    runs = load_sweep(tmp_path / "s").set_index("run_id")
    final = bm[bm["month"] == 4].groupby("run_id")["n_basisbaan"].sum()
    assert (final == runs.loc[final.index, "n_basisbaan_final"]).all()
    stad = bm[(bm["month"] == 4) & (bm["municipality"] == "Stad")].set_index(key)
    assert stad.loc[0, "n_basisbaan"] == 0 < stad.loc[200, "n_basisbaan"]
    with pytest.raises(Exception, match="holds no time series"):
        load_sweep(tmp_path / "s", timeseries=True)
    from experiments.sweep.export import export_csv
    written = {p.name for p in export_csv(tmp_path / "s", tmp_path / "csv")}
    assert written == {"runs.csv", "design.csv", "by_municipality.csv"}
    assert len(pd.read_csv(tmp_path / "csv" / "by_municipality.csv")) == len(bm)
    # a design that does not ask keeps the run ids it had before the option existed
    plain = {**design, "outputs": {"summary": {"n_basisbaan": ["final"]}}}
    assert "by_municipality" not in make_plan(load_design(plain)).context["outputs"]
    function = {"name": "fn", "function": "tests.sweep_helpers:linear", "method": "grid", "seeds": 1,
                "parameters": {"x": {"levels": [1, 2]}}, "outputs": {"by_municipality": True}}
    with pytest.raises(DesignError, match="outputs.by_municipality = true"):
        load_design(function, allow_code=True)
