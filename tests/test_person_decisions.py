"""People's own decisions on offers (abm/person_decisions.py): a scenario's `[[person_decisions]]` replace the
model's acceptance rule for a person in hiring and in basisbaan recruitment, and bad entries are refused in one
line (abm/scenario.py)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import states as S
from abm.model import LabourMarketModel
from abm.scenario import ScenarioError, load

SETTINGS = {"scale": 20.0, "months": 12}
MORE_PLACES = {"policy.basisbaan_slots": 400}   # enough basisbaan interviews at this scale


def _everyone(model: LabourMarketModel, month: int, decision: str) -> list[dict]:
    return [{"month": month, "person_id": p, "decision": decision} for p in range(model.s.n)]   # month 0: 0..n-1


def _run(decisions: list[dict]) -> tuple[LabourMarketModel, object]:
    model = LabourMarketModel({"base": "default", "person_decisions": decisions}, seed=3, agent_views=False,
                              **SETTINGS, **MORE_PLACES)
    model.run()
    return model, model.timeseries()


@pytest.fixture(scope="module")
def plain():
    return _run([])


def test_the_model_decides_without_decisions(plain):
    _, ts = plain
    months = ts.iloc[1:]
    # the model's own rule: people refuse some offers and take others; the basisbaan recruits
    assert months["refusals"].sum() > 0 and months["hires_regular"].sum() > 0
    assert months["basisbaan_placements"].sum() > 0


def test_accepting_everything_leaves_no_refusals(plain):
    model, _ = plain
    _, ts = _run(_everyone(model, 0, "accept"))
    months = ts.iloc[1:]
    # only newcomers who took a seat after month 0 (no decision can name them) still answer by the model's rule
    assert months["refusals"].sum() < 0.2 * plain[1].iloc[1:]["refusals"].sum() and months["offers"].sum() > 0
    # and more people take jobs than under the model's rule
    assert months["hires_regular"].sum() + months["hires_parallel"].sum() > \
        plain[1].iloc[1:]["hires_regular"].sum() + plain[1].iloc[1:]["hires_parallel"].sum()


def test_refusing_until_month_6_then_the_model_decides_again(plain):
    model, _ = plain
    refused, ts = _run(_everyone(model, 0, "refuse") + _everyone(model, 7, "model"))
    first, later = ts.iloc[1:7], ts.iloc[7:]
    # nobody decided takes a job; the few hires are newcomers who took a seat after month 0
    hires = first["hires_regular"] + first["hires_parallel"] + first["basisbaan_placements"]
    plain_first = plain[1].iloc[1:7]
    assert hires.sum() < 0.2 * (plain_first["hires_regular"] + plain_first["hires_parallel"]).sum()
    assert first["offers"].sum() > 0 and first["refusals"].sum() > 0.9 * first["offers"].sum()
    assert later["hires_regular"].sum() > 0
    # a refused basisbaan place ends the interview as "not interested"
    assert refused.funnel_counts[:, S.FUNNEL_CODE["not_interested"]].sum() > \
        plain[0].funnel_counts[:, S.FUNNEL_CODE["not_interested"]].sum()


def test_one_persons_decision_moves_only_their_answer(plain):
    model, _ = plain
    log = model.log.to_frame()
    # a decision answers offers; a short-spell entrant going back to the job left (`job_back`,
    # abm/short_spells.py) answers none, so the person is one hired through an offer
    hired = log[(log["month"] > 0) & (log["to_state"] == "regular") & (log["reason"] == "hired")]
    person = int(hired["person_id"].iloc[0])
    refused, _ = _run([{"month": 0, "person_id": person, "decision": "refuse"}])
    mine = refused.log.to_frame()
    mine = mine[(mine["person_id"] == person) & (mine["month"] > 0) & (mine["reason"] != "job_back")]
    assert not mine["to_state"].isin(["regular", "parallel", "basisbaan"]).any()


@pytest.mark.parametrize("entry, words", [
    ({"month": 1, "person_id": 5, "decision": "maybe"}, "person_decisions[0].decision = 'maybe': allowed: 'accept'"),
    ({"month": 1, "person_id": 10**9, "decision": "accept"}, "person_decisions[0].person_id = 1000000000: no such "
                                                            "person at month 0; allowed: 0 to"),
    ({"month": 1, "person_id": -2, "decision": "accept"}, "person_decisions[0].person_id = -2"),
    ({"month": 1, "person_id": "7", "decision": "accept"}, "person_decisions[0].person_id = '7'"),
    ({"person_id": 7, "decision": "accept"}, "person_decisions[0].month is missing"),
    ({"month": 1, "person_id": 7, "decision": "accept", "who": "x"}, "unknown key 'person_decisions[0].who'"),
])
def test_bad_decisions_are_refused_in_one_line(entry, words):
    with pytest.raises(ScenarioError) as err:
        load({"base": "default", "person_decisions": [entry], **SETTINGS})
    assert words in str(err.value) and "\n" not in str(err.value)


def test_no_decisions_means_no_change_of_the_arrays():
    from abm import person_decisions

    model = LabourMarketModel("default", seed=1, agent_views=False, **SETTINGS)
    accept = np.array([True, False])
    assert person_decisions.answer(model, np.array([0, 1]), accept) is accept
