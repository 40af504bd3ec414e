"""Short bijstand spells (abm/short_spells.py) and the flow targets that read them (issue 10 §4).

The rule row by row on a tiny model (as tests/test_rules.py: hazards forced to 0 or 1 through overrides, the
mechanism called directly), its invariants over a few months, and how the targets `bijstand_inflow_rate` and
`bijstand_outflow_rate` read a run.
"""

from __future__ import annotations

import numpy as np

from abm import short_spells
from abm import states as S
from abm.model import LabourMarketModel
from experiments.stationary import BijstandFlows
from experiments.validation import MEASURES, Run, load_targets
from tests.invariants import check_all
from tests.test_rules import moves, this_month, tiny


def test_an_entrant_from_work_loses_the_job_goes_onto_bijstand_and_returns_to_the_same_job():
    model = tiny(**{"short_spells.entry_rate": 0.05, "short_spells.from_work_share": 1.0,
                    "short_spells.exit_rate": 0.0, "activation.bijstand_entitled_single": 1.0,
                    "activation.bijstand_entitled_couple": 1.0})
    s = model.s
    before = s.state.copy()
    employer, hours, contract = s.employer.copy(), s.hours.copy(), s.contract.copy()
    short_spells.step(model, this_month(model))
    new = np.flatnonzero(s.short_spell)
    assert new.size > 0
    assert (before[new] == S.REGULAR).all()
    assert (s.state[new] == S.UNEMPLOYED).all() and (s.benefit[new] == S.BIJSTAND).all()
    assert (s.months_on_benefit[new] == 0).all() and (s.ww_months_left[new] == 0).all()
    assert moves(model, int(s.person_id[new[0]])) == [("regular", "unemployed", "income_lost")]
    assert check_all(model) == []
    # next month every spell ends (exit_rate 1): back at the firm they left, with the same hours and contract
    model.p.short_spells.entry_rate = 0.0
    model.p.short_spells.exit_rate = 1.0
    model.month += 1
    short_spells.step(model, this_month(model))
    assert not s.short_spell.any()
    assert (s.state[new] == S.REGULAR).all() and (s.benefit[new] == S.NO_BENEFIT).all()
    assert (s.employer[new] == employer[new]).all() and (s.hours[new] == hours[new]).all()
    assert (s.contract[new] == contract[new]).all()
    assert check_all(model) == []


def test_an_entrant_from_outside_claims_as_unemployed_and_leaves_the_labour_force_again():
    model = tiny(**{"short_spells.entry_rate": 0.05, "short_spells.from_work_share": 0.0,
                    "short_spells.exit_rate": 0.0, "activation.bijstand_entitled_single": 1.0,
                    "activation.bijstand_entitled_couple": 1.0})
    s = model.s
    outside = np.flatnonzero(s.state != S.REGULAR)[:30]
    s.state[outside], s.benefit[outside], s.health_hours[outside] = S.INACTIVE, S.NO_BENEFIT, 30.0
    s.employer[outside], s.contract[outside], s.hours[outside] = -1, S.NO_CONTRACT, 0
    short_spells.step(model, this_month(model))
    new = np.flatnonzero(s.short_spell)
    assert new.size > 0 and np.isin(new, outside).all()
    assert (s.state[new] == S.UNEMPLOYED).all() and (s.benefit[new] == S.BIJSTAND).all()
    model.p.short_spells.entry_rate, model.p.short_spells.exit_rate = 0.0, 1.0
    model.month += 1
    short_spells.step(model, this_month(model))
    assert (s.state[new] == S.INACTIVE).all() and (s.benefit[new] == S.NO_BENEFIT).all()
    tr = model.transitions()
    last = tr[tr["person_id"] == s.person_id[new[0]]].iloc[-1]
    assert (str(last["from_state"]), str(last["to_state"]), str(last["reason"])) == \
        ("unemployed", "inactive", "left_benefit")


def test_entrants_follow_the_entry_rate_of_the_stock_and_nothing_moves_when_switched_off():
    rate = 0.03
    model = tiny(**{"short_spells.entry_rate": rate, "short_spells.exit_rate": 0.0,
                    "short_spells.from_work_share": 1.0, "activation.bijstand_entitled_single": 1.0,
                    "activation.bijstand_entitled_couple": 1.0})
    stock = int((model.s.benefit == S.BIJSTAND).sum())
    short_spells.step(model, this_month(model))
    assert 0.5 * rate * stock <= model.s.short_spell.sum() <= 1.5 * rate * stock
    off = tiny(**{"short_spells.enabled": False, "short_spells.entry_rate": rate})
    state, benefit = off.s.state.copy(), off.s.benefit.copy()
    short_spells.step(off, this_month(off))
    assert not off.s.short_spell.any()
    assert (off.s.state == state).all() and (off.s.benefit == benefit).all()


def test_a_spell_mark_does_not_outlive_the_spell_or_pass_to_a_newcomer():
    model = tiny(**{"short_spells.entry_rate": 0.05, "short_spells.exit_rate": 0.0})
    s = model.s
    short_spells.step(model, this_month(model))
    row = np.flatnonzero(s.short_spell)[0]
    s.age[row] = model.p.demography.pension_age     # the seat is recycled at the pension age
    from abm import demography
    demography.step(model, this_month(model))
    assert not s.short_spell[row]


def test_the_spells_run_every_month_and_keep_the_invariants():
    model = tiny()
    for _ in range(12):
        model.step()
        assert check_all(model) == []
    assert model.s.short_spell.any()
    assert (model.s.benefit[model.s.short_spell] == S.BIJSTAND).all()


def test_the_flow_targets_read_the_baseline_after_a_120_month_spin_up():
    from abm.scenario import load

    targets = {t.key: t for t in load_targets()}
    for key in ("bijstand_inflow_rate", "bijstand_outflow_rate"):
        t = targets[key]
        # no settings of their own: the default spin-up (120 months) comes before month 0
        assert t.scenario == "baseline-participatiewet" and t.set == {}
        assert load(t.scenario).spin_up_months == 120
        assert t.band[0] < t.observed < t.band[1]
    # they share their runs with the flow balance
    assert targets["bijstand_inflow_rate"].run_key == targets["bijstand_flow_balance"].run_key


def test_the_flow_targets_are_mean_flows_over_the_mean_stock_without_the_pension_age():
    """Inflow = mean monthly inflow / mean stock; outflow = mean monthly leavers / mean stock, those who reach
    the pension age not counted (as CBS counts them), over months 1 to the end of the run."""
    flows = BijstandFlows.__new__(BijstandFlows)
    flows.inflow, flows.outflow, flows.retired, flows.stock = [30, 50], [20, 40], [10, 10], [1000, 3000]
    run = Run(model=None, bijstand=flows)
    assert MEASURES["bijstand_inflow_rate"](run) == 40 / 2000
    assert MEASURES["bijstand_outflow_rate"](run) == 30 / 2000


def test_short_spells_raise_both_bijstand_flows_and_switching_them_off_removes_them():
    rates = {}
    for enabled in (True, False):
        model = LabourMarketModel("default", seed=1, months=12, agent_views=False, scale=50.0,
                                  **{"short_spells.enabled": enabled})
        flows = BijstandFlows(model)
        while model.running:
            model.step()
            flows.after_month()
        rates[enabled] = flows.rates()
        assert model.s.short_spell.any() == enabled
    assert rates[True]["inflow_rate"] > rates[False]["inflow_rate"] + 0.005
    assert rates[True]["outflow_rate"] > rates[False]["outflow_rate"] + 0.005


def test_the_flow_origins_add_up_to_the_flows_the_targets_read():
    from experiments.flow_origins import origins
    from experiments.stationary import run_one
    inflow, outflow, stock = origins(seed=2, months=3, spin_up=0)
    _, flows = run_one(seed=2, months=3, spin_up=0)
    assert sum(inflow.values()) == sum(flows.inflow) > 0
    assert sum(n for k, n in outflow.items() if not k.startswith("of which")) == sum(flows.outflow) > 0
    assert stock == np.mean(flows.stock)
    assert inflow["regular, no benefit"] + inflow["inactive, no benefit"] > 0   # the short spells' entrants
