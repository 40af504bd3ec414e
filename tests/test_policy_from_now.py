"""A policy change from a month on, in the middle of a run ("from now on" in the app): recorded as a dated
change of the scenario (`abm.scenario.change_policy_from`, `LabourMarketModel.change_policy_from`), so that the
months already run stay as they were and `plm run` on the scenario replays the run exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from abm.model import LabourMarketModel
from abm.scenario import ScenarioError, change_policy_from, load

SMALL = {"scale": 8.0, "months": 18}


def _csv(model: LabourMarketModel) -> str:
    return model.timeseries().to_csv(index=False)


def test_a_change_from_month_7_continues_the_run_as_a_fresh_run_of_the_dated_scenario():
    live = LabourMarketModel("default", seed=5, agent_views=False, **SMALL)
    live.run(6)
    before = live.timeseries().copy()
    live.change_policy_from("policy.caseload", 60)          # the next month run: 7
    assert live.p.policy_changes[-1].month == 7
    assert live.p.policy_changes[-1].set == {"caseload": 60}
    live.run()

    replay = LabourMarketModel(live.p, seed=5, agent_views=False)
    replay.run()
    assert _csv(live) == _csv(replay)                      # same seed, same numbers

    plain = LabourMarketModel("default", seed=5, agent_views=False, **SMALL)
    plain.run()
    ts, ts_plain = live.timeseries(), plain.timeseries()
    pd.testing.assert_frame_equal(ts.iloc[:7], ts_plain.iloc[:7])     # months 0..6 as they were
    pd.testing.assert_frame_equal(ts.iloc[:7], before)
    assert not ts.iloc[7:].equals(ts_plain.iloc[7:])                   # and from month 7 the policy differs


def test_the_change_applies_from_its_month_for_the_municipality_named():
    base = load("default", SMALL)
    city = base.municipalities[0].name
    changed = change_policy_from(base, "caseload", 60, 4, city, note="from the app")
    assert [m.caseload for m in (changed.policy_at(0, 3), changed.policy_at(0, 4))] == [
        base.policy_at(0, 3).caseload, 60]
    assert changed.policy_at(1, 10).caseload == base.policy_at(1, 10).caseload
    assert changed.policy_changes[-1].note == "from the app"
    assert base.policy_changes == load("default", SMALL).policy_changes     # the input is not touched


def test_a_later_dated_change_still_applies_and_the_same_month_the_new_one_wins():
    base = load("default", SMALL)
    first = change_policy_from(base, "policy.caseload", 90, 10)
    both = change_policy_from(first, "policy.caseload", 60, 4)
    assert [both.policy_at(0, m).caseload for m in (3, 4, 9, 10)][1:] == [60, 60, 90]
    again = change_policy_from(both, "policy.caseload", 75, 10)
    assert again.policy_at(0, 10).caseload == 75


@pytest.mark.parametrize("key, value, month, muni, needle", [
    ("policy.casload", 60, 4, "all", "did you mean 'caseload'"),
    ("economy.tightness", 1.2, 4, "all", "a policy setting"),
    ("policy.caseload", -5, 4, "all", "policy.caseload = -5"),
    ("policy.caseload", "many", 4, "all", "caseload"),
    ("policy.caseload", 60, 99, "all", "allowed: a whole month from 0 to 18"),
    ("policy.caseload", 60, 2.5, "all", "allowed: a whole month"),
    ("policy.caseload", 60, 4, "Atlantis", "no such municipality"),
])
def test_a_bad_change_is_refused_with_one_line(key, value, month, muni, needle):
    with pytest.raises(ScenarioError) as exc:
        change_policy_from(load("default", SMALL), key, value, month, muni)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_a_month_already_run_is_refused_and_the_run_is_untouched():
    model = LabourMarketModel("default", seed=5, agent_views=False, **SMALL)
    model.run(6)
    with pytest.raises(ScenarioError, match="month 6 has been run; allowed: a month from 7 on"):
        model.change_policy_from("policy.caseload", 60, month=6)
    assert model.p.policy_changes == load("default", SMALL).policy_changes
