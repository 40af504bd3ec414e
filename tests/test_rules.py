"""Rules pinned row by row: each case is a small situation set by hand on a tiny model, and its outcome.

A tiny model (scale 50: ~200 people) is built per case with the rule's hazards set to 0 or 1 through scenario
overrides, so every draw's outcome is forced; where a rule caps a probability below 1 (conversion of a
temporary contract), the person is given an id whose per-person draw (abm/rng.py) falls where the case needs
it. Then the one mechanism is called, and the rows of the case are checked against the expected columns and
the transitions log. The mechanisms are called directly (not `model.step`), at month 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm import accounting, activation, demography, displacement, employer_stigma, jobs, separations
from abm import states as S
from abm.mechanism import Month
from abm.model import LabourMarketModel
from abm.rng import uniform

MONTH = 1


def tiny(**overrides) -> LabourMarketModel:
    model = LabourMarketModel("default", seed=1, months=1, agent_views=False, scale=50.0,
                              **{"spin_up_months": 0, **overrides})   # a rule's rows, from the drawn state
    model.month = MONTH  # the month the mechanism runs in (its draws' key, the log's month)
    return model


def this_month(model) -> Month:
    """The month context a mechanism's step receives (abm/mechanism.py)."""
    return Month(number=model.month, start_counts=model.state_counts())


def put(model, rows, **cols) -> None:
    """Set columns of the job-seeker table for `rows` by hand."""
    for name, value in cols.items():
        getattr(model.s, name)[rows] = value


def give_draw(model, row: int, mechanism: str, k: int, lo: float, hi: float) -> None:
    """Give `row` a fresh person id whose draw `k` of `mechanism` this month lies in [lo, hi)."""
    key = model.key(mechanism)
    pid = 10**9 + 1000 * row
    while not lo <= uniform(key, pid, k) < hi:
        pid += 1
    model.s.person_id[row] = pid


def moves(model, pid: int) -> list[tuple[str, str, str]]:
    """This month's (from, to, reason) rows of the transitions log for one person id."""
    tr = model.transitions()
    tr = tr[(tr["month"] == MONTH) & (tr["person_id"] == pid)]
    return [(str(a), str(b), str(c)) for a, b, c in zip(tr["from_state"], tr["to_state"], tr["reason"])]


def some_rows(model, n: int, municipality: int = 0) -> np.ndarray:
    return np.flatnonzero(model.s.municipality == municipality)[:n]


# --- separations -----------------------------------------------------------------------------------------

QUIET_SEPARATIONS = {"separations.dismissal_permanent": 0.0, "separations.dismissal_temporary": 0.0,
                     "separations.cycle_elasticity": 0.0, "separations.convert_to_permanent": 0.0,
                     "separations.renew_temporary": 0.0, "separations.overload_dropout": 0.0,
                     "separations.dropout_parallel": 0.0, "separations.dropout_basisbaan": 0.0,
                     "separations.parallel_renewal": 0.0, "separations.basisbaan_renewal": 0.0,
                     "separations.temporary_months": 12, "separations.inactive_capacity": 10.0,
                     "economy.tightness": 1.0}  # tightness 1 and elasticity 0: hazards as given

R, PAR, BB = S.REGULAR, S.PARALLEL, S.BASISBAAN
TEMP, PERM = S.TEMPORARY, S.PERMANENT
# id, state, contract, contract end (relative to this month), hours, health hours, programme still running,
# hazards set (the rest are 0), forced draw (k, lo, hi): draw k in [lo, hi) (0 contract, 2 drop-out) or None,
# -> expected state, contract, contract end (relative; None = -1), reason logged (None = no move)
SEPARATION_CASES = [
    ("temporary ends, converted", R, TEMP, 0, 36, 40, True, {"convert_to_permanent": 1.0}, (0, 0.0, 0.3),
     R, PERM, None, None),
    ("temporary ends, conversion draw misses, renewed", R, TEMP, 0, 36, 40, True,
     {"convert_to_permanent": 0.5, "renew_temporary": 0.5}, (0, 0.6, 0.9), R, TEMP, 12, None),
    ("temporary ends, renewed", R, TEMP, 0, 36, 40, True, {"renew_temporary": 1.0}, None, R, TEMP, 12, None),
    ("temporary ends, not renewed", R, TEMP, 0, 36, 40, True, {}, None, S.UNEMPLOYED, S.NO_CONTRACT, None,
     "contract_end"),
    ("temporary ended last month too", R, TEMP, -3, 36, 40, True, {}, None, S.UNEMPLOYED, S.NO_CONTRACT, None,
     "contract_end"),
    ("temporary runs on", R, TEMP, 5, 36, 40, True, {}, None, R, TEMP, 5, None),
    ("temporary runs on, renewal irrelevant", R, TEMP, 5, 36, 40, True, {"renew_temporary": 1.0}, None,
     R, TEMP, 5, None),
    ("parallel contract renewed", PAR, TEMP, 0, 24, 40, True, {"parallel_renewal": 1.0}, None, PAR, TEMP, 12, None),
    ("parallel contract ends", PAR, TEMP, 0, 24, 40, True, {"renew_temporary": 1.0}, None, S.UNEMPLOYED,
     S.NO_CONTRACT, None, "contract_end"),
    ("parallel ignores regular conversion", PAR, TEMP, 0, 24, 40, True, {"convert_to_permanent": 1.0},
     (0, 0.0, 0.3), S.UNEMPLOYED, S.NO_CONTRACT, None, "contract_end"),
    ("basisbaan renewed for the programme's contract", BB, TEMP, 0, 32, 40, True, {"basisbaan_renewal": 1.0},
     None, BB, TEMP, "programme", None),
    ("basisbaan programme ends", BB, PERM, None, 32, 40, False, {"dropout_basisbaan": 0.0}, None, S.UNEMPLOYED,
     S.NO_CONTRACT, None, "programme_end"),
    ("basisbaan programme ends before renewal", BB, TEMP, 0, 32, 40, False, {"basisbaan_renewal": 1.0}, None,
     S.UNEMPLOYED, S.NO_CONTRACT, None, "programme_end"),
    ("permanent dismissed", R, PERM, None, 36, 40, True, {"dismissal_permanent": 1.0}, None, S.UNEMPLOYED,
     S.NO_CONTRACT, None, "dismissal"),
    ("permanent, temporary hazard irrelevant", R, PERM, None, 36, 40, True, {"dismissal_temporary": 1.0}, None,
     R, PERM, None, None),
    ("temporary dismissed", R, TEMP, 5, 36, 40, True, {"dismissal_temporary": 1.0}, None, S.UNEMPLOYED,
     S.NO_CONTRACT, None, "dismissal"),
    ("parallel worker is never dismissed", PAR, PERM, None, 24, 40, True,
     {"dismissal_permanent": 1.0, "dismissal_temporary": 1.0}, None, PAR, PERM, None, None),
    ("full overload, very low capacity: inactive", R, PERM, None, 36, 0, True, {"overload_dropout": 1.0}, None,
     S.INACTIVE, S.NO_CONTRACT, None, "health"),
    ("hours within health: no overload drop-out", R, PERM, None, 24, 30, True, {"overload_dropout": 1.0}, None,
     R, PERM, None, None),
    ("partial overload, draw below it", R, PERM, None, 36, 18, True, {"overload_dropout": 1.0}, (2, 0.0, 0.45),
     S.UNEMPLOYED, S.NO_CONTRACT, None, "dropout"),
    ("partial overload, draw above it", R, PERM, None, 36, 18, True, {"overload_dropout": 1.0}, (2, 0.55, 1.0),
     R, PERM, None, None),
    ("parallel drop-out, capacity enough: unemployed", PAR, PERM, None, 24, 30, True, {"dropout_parallel": 1.0},
     None, S.UNEMPLOYED, S.NO_CONTRACT, None, "dropout"),
    ("parallel drop-out, capacity low: inactive", PAR, PERM, None, 8, 8, True, {"dropout_parallel": 1.0}, None,
     S.INACTIVE, S.NO_CONTRACT, None, "health"),
    ("basisbaan drop-out", BB, PERM, None, 32, 40, True, {"dropout_basisbaan": 1.0}, None, S.UNEMPLOYED,
     S.NO_CONTRACT, None, "dropout"),
]


@pytest.mark.parametrize("case", SEPARATION_CASES, ids=[c[0] for c in SEPARATION_CASES])
def test_separations(case):
    (_, state, contract, end, hours, health, running, hazards, draw,
     want_state, want_contract, want_end, want_reason) = case
    model = tiny(**{**QUIET_SEPARATIONS, **{f"separations.{k}": v for k, v in hazards.items()}})
    row = int(some_rows(model, 1)[0])
    m = int(model.s.municipality[row])
    model.muni_policy["basisbaan_end_month"][m] = 999 if running else MONTH
    put(model, row, state=state, contract=contract, contract_end=-1 if end is None else MONTH + end, hours=hours,
        health_hours=health, employer=-1, benefit=S.NO_BENEFIT, months_in_state=12, in_register=False)
    if draw is not None:
        give_draw(model, row, "separations", *draw)
    pid = int(model.s.person_id[row])
    separations.step(model, this_month(model))
    s = model.s
    assert s.state[row] == want_state
    assert s.contract[row] == want_contract
    if want_end is None:
        assert s.contract_end[row] == -1
    elif want_end == "programme":
        assert s.contract_end[row] == MONTH + model.muni_policy["basisbaan_contract_months"][m]
    else:
        assert s.contract_end[row] == MONTH + want_end
    log = moves(model, pid)
    if want_reason is None:
        assert log == []
    else:
        assert log == [(S.STATE_NAMES[state], S.STATE_NAMES[want_state], want_reason)]
        assert s.hours[row] == 0  # an ended job leaves no hours


# --- demography: seat recycling ----------------------------------------------------------------------------

# id, state, employer kind held (None = none), months to pension age, share of entrants on WW
# -> leaves, entrant's benefit
DEMOGRAPHY_CASES = [
    ("unemployed reaches pension age", S.UNEMPLOYED, None, 0.5, 0.0, True, S.BIJSTAND),
    ("regular worker reaches it, entrant on WW", S.REGULAR, "regular", 0.5, 1.0, True, S.WW),
    ("parallel worker reaches it", S.PARALLEL, "parallel", 0.5, 0.0, True, S.BIJSTAND),
    ("a day short", S.INACTIVE, None, 0.03, 0.0, True, S.BIJSTAND),
    ("a month and a half short: stays", S.UNEMPLOYED, None, 1.5, 0.0, False, None),
    ("a year short: stays", S.REGULAR, "regular", 12.0, 1.0, False, None),
]


@pytest.mark.parametrize("case", DEMOGRAPHY_CASES, ids=[c[0] for c in DEMOGRAPHY_CASES])
def test_demography_recycles_seats(case):
    _, state, kind, months_short, ww_share, leaves, want_benefit = case
    model = tiny(**{"demography.entrant_ww_share": ww_share, "demography.other_exit_rate": 0.0})
    s, e = model.s, model.e
    pension = model.p.demography.pension_age
    s.age[:] = np.minimum(s.age, pension - 3.0)  # nobody else retires this month
    row = int(some_rows(model, 1)[0])
    m = int(s.municipality[row])
    emp = -1
    if kind == "regular":
        emp = int(model.regular_firms_in[m][0])
        e.register_employees[emp] += 1
    elif kind == "parallel":
        emp = int(np.flatnonzero((e.kind != S.REGULAR_FIRM))[0])
        e.parallel_filled[emp] += 1
    put(model, row, state=state, employer=emp, in_register=kind == "regular", age=pension - months_short / 12.0)
    registered = e.register_employees.copy()
    filled = e.parallel_filled.copy()
    n, counts = s.n, model.state_counts().sum()
    old_pid, next_pid = int(s.person_id[row]), model.next_person_id
    demography.step(model, this_month(model))
    assert s.n == n and model.state_counts().sum() == counts  # the population size stays constant
    if not leaves:
        assert s.person_id[row] == old_pid and s.state[row] == state and s.employer[row] == emp
        assert model.next_person_id == next_pid
        assert moves(model, old_pid) == []
        return
    new_pid = int(s.person_id[row])
    assert new_pid == next_pid and model.next_person_id == next_pid + 1  # one leaver: one new id
    assert s.age[row] < pension - 10  # a young entrant takes the seat
    assert s.state[row] == S.UNEMPLOYED and s.benefit[row] == want_benefit
    assert s.ww_months_left[row] == (12 if want_benefit == S.WW else 0)
    assert s.months_on_benefit[row] == 0 and s.employer[row] == -1 and s.municipality[row] == m
    assert moves(model, old_pid) == [(S.STATE_NAMES[state], S.EXIT, "retired")]
    assert moves(model, new_pid) == [(S.ENTRY, S.STATE_NAMES[S.UNEMPLOYED], "entered")]
    # the employer's counters are freed
    if kind == "regular":
        assert e.register_employees[emp] == registered[emp] - 1
    if kind == "parallel":
        assert e.parallel_filled[emp] == filled[emp] - 1


# id, state, benefit, on a short spell, draw -> leaves (other_exit_rate 0.01)
OTHER_EXIT_CASES = [
    ("unemployed on bijstand, draw below the rate", S.UNEMPLOYED, S.BIJSTAND, False, 0.005, True),
    ("exempt on bijstand, draw below", S.INACTIVE, S.BIJSTAND, False, 0.005, True),
    ("in a participation job, draw below", S.PARTICIPATION, S.BIJSTAND, False, 0.005, True),
    ("unemployed on bijstand, draw above: stays", S.UNEMPLOYED, S.BIJSTAND, False, 0.02, False),
    ("on a short spell: its own exit, stays", S.UNEMPLOYED, S.BIJSTAND, True, 0.005, False),
    ("on WW: stays", S.UNEMPLOYED, S.WW, False, 0.005, False),
    ("working with a top-up: stays", S.REGULAR, S.BIJSTAND, False, 0.005, False),
]


@pytest.mark.parametrize("case", OTHER_EXIT_CASES, ids=[c[0] for c in OTHER_EXIT_CASES])
def test_leaving_bijstand_for_other_reasons_renews_the_spell_and_nothing_else(case):
    """abm/demography.py: a bijstand recipient out of work leaves at `other_exit_rate`; a newcomer like them in
    every respect but the spell takes the seat (new id, months on benefit 0, not yet seen by recruitment)."""
    _, state, benefit, short, draw, leaves = case
    model = tiny(**{"demography.other_exit_rate": 0.01})
    s = model.s
    s.age[:] = np.minimum(s.age, model.p.demography.pension_age - 3.0)  # nobody retires this month
    others = np.flatnonzero(s.benefit == S.BIJSTAND)
    s.benefit[others] = S.NO_BENEFIT  # only the row under test can leave
    row = int(some_rows(model, 1)[0])
    emp = int(model.regular_firms_in[int(s.municipality[row])][0]) if state == S.REGULAR else -1
    put(model, row, state=state, benefit=benefit, short_spell=short, months_on_benefit=90, age=52.0, employer=emp,
        funnel_outcome=S.FUNNEL_CODE["not_interested"], funnel_month=3)
    give_draw(model, row, "other_exit", 0, draw, draw + 1e-6)
    kept = ("profile", "age", "skill", "health_hours", "months_out", "state", "household", "had_participation")
    before = {name: getattr(s, name)[row].copy() for name in kept}
    old_pid, next_pid = int(s.person_id[row]), model.next_person_id
    demography.step(model, this_month(model))
    if not leaves:
        assert s.person_id[row] == old_pid and s.months_on_benefit[row] == 90 and s.benefit[row] == benefit
        assert moves(model, old_pid) == [] and model.next_person_id == next_pid
        return
    new_pid = int(s.person_id[row])
    assert new_pid == next_pid and model.next_person_id == next_pid + 1
    before["age"] = before["age"] + np.float32(1 / 12)  # everybody aged a month first
    assert {name: getattr(s, name)[row] for name in kept} == before
    assert s.benefit[row] == S.BIJSTAND and s.months_on_benefit[row] == 0
    assert s.funnel_outcome[row] == S.FUNNEL_CODE["not_interviewed"] and s.funnel_month[row] == -1
    assert moves(model, old_pid) == [(S.STATE_NAMES[state], S.EXIT, "left_other")]
    assert moves(model, new_pid) == [(S.ENTRY, S.STATE_NAMES[state], "entered")]


def test_demography_log_rebuilds_the_population():
    """Exit and entry rows balance: the log's net flow into the population is zero each month."""
    model = tiny()
    s = model.s
    rows = some_rows(model, 5)
    s.age[rows] = model.p.demography.pension_age
    demography.step(model, this_month(model))
    tr = model.transitions()
    now = tr[tr["month"] == MONTH]
    assert (now["to_state"] == S.EXIT).sum() == (now["from_state"] == S.ENTRY).sum() >= 5


# --- activation ----------------------------------------------------------------------------------------------

QUIET_ACTIVATION = {"activation.become_exempt": 0.0, "activation.recover": 0.0, "activation.leave_benefit": 0.0,
                    "activation.return_to_benefit": 0.0, "activation.participation_uptake": 0.0,
                    "activation.participation_months": 240.0, "activation.exempt_capacity": 8.0}
U, INACT, PART = S.UNEMPLOYED, S.INACTIVE, S.PARTICIPATION
NOB, BIJ, WW = S.NO_BENEFIT, S.BIJSTAND, S.WW
# id, state, benefit, WW months left, household, health hours, parameters set
# -> state, benefit, WW months left, reason logged (None = no move)
ACTIVATION_CASES = [
    ("WW runs out, single qualifies: bijstand", U, WW, 1, S.SINGLE, 30, {"bijstand_entitled_single": 1.0},
     U, BIJ, 0, None),
    ("WW runs out, single does not qualify: leaves", U, WW, 1, S.SINGLE, 30, {"bijstand_entitled_single": 0.0},
     INACT, NOB, 0, "left_benefit"),
    ("WW runs out, couple qualifies", U, WW, 1, S.COHABITING, 30,
     {"bijstand_entitled_couple": 1.0, "bijstand_entitled_single": 0.0}, U, BIJ, 0, None),
    ("WW runs out, couple does not qualify", U, WW, 1, S.COHABITING, 30,
     {"bijstand_entitled_couple": 0.0, "bijstand_entitled_single": 1.0}, INACT, NOB, 0, "left_benefit"),
    ("WW runs out in a participation place: leaves", PART, WW, 1, S.SINGLE, 30,
     {"bijstand_entitled_single": 0.0}, INACT, NOB, 0, "left_benefit"),
    ("WW runs out while exempt: no benefit, stays inactive", INACT, WW, 1, S.SINGLE, 30,
     {"bijstand_entitled_single": 0.0}, INACT, NOB, 0, None),
    ("WW runs on", U, WW, 5, S.SINGLE, 30, {"bijstand_entitled_single": 0.0}, U, WW, 4, None),
    ("capacity below the exemption line: exempt", U, BIJ, 0, S.SINGLE, 4, {}, INACT, BIJ, 0, "health"),
    ("capacity at the line: not exempt", U, BIJ, 0, S.SINGLE, 8, {}, U, BIJ, 0, None),
    ("becomes exempt at hazard 1", U, BIJ, 0, S.SINGLE, 30, {"become_exempt": 1.0}, INACT, BIJ, 0, "health"),
    ("exempt recovers", INACT, BIJ, 0, S.SINGLE, 30, {"recover": 1.0}, U, BIJ, 0, "recovered"),
    ("exempt, capacity still low: no recovery", INACT, BIJ, 0, S.SINGLE, 4, {"recover": 1.0}, INACT, BIJ, 0, None),
    ("leaves bijstand without work", U, BIJ, 0, S.SINGLE, 30, {"leave_benefit": 1.0}, INACT, NOB, 0,
     "left_benefit"),
    ("WW is not left that way", U, WW, 5, S.SINGLE, 30, {"leave_benefit": 1.0}, U, WW, 4, None),
    ("without benefit, claims again", INACT, NOB, 0, S.SINGLE, 30, {"return_to_benefit": 1.0}, U, BIJ, 0,
     "recovered"),
    ("without benefit, does not claim", INACT, NOB, 0, S.SINGLE, 30, {"recover": 1.0}, INACT, NOB, 0, None),
    ("participation place ends", PART, BIJ, 0, S.SINGLE, 30, {"participation_months": 1.0}, U, BIJ, 0,
     "participation_end"),
]


@pytest.mark.parametrize("case", ACTIVATION_CASES, ids=[c[0] for c in ACTIVATION_CASES])
def test_activation(case):
    _, state, benefit, ww_left, household, health, params, want_state, want_benefit, want_ww, want_reason = case
    model = tiny(**{**QUIET_ACTIVATION, **{f"activation.{k}": v for k, v in params.items()}})
    row = int(some_rows(model, 1)[0])
    put(model, row, state=state, benefit=benefit, ww_months_left=ww_left, household=household,
        health_hours=health, months_on_benefit=7, employer=-1, hours=0)
    pid = int(model.s.person_id[row])
    activation.step(model, this_month(model))
    s = model.s
    assert (s.state[row], s.benefit[row], s.ww_months_left[row]) == (want_state, want_benefit, want_ww)
    if benefit == WW and want_benefit != WW or want_benefit == NOB and benefit != NOB:
        assert s.months_on_benefit[row] == 0  # a new benefit spell, or none
    log = moves(model, pid)
    assert log == ([] if want_reason is None else
                   [(S.STATE_NAMES[state], S.STATE_NAMES[want_state], want_reason)])


# --- employers' beliefs: contact and its floor ---------------------------------------------------------------

# id, employees with the label (regular, this firm), belief, floor, contact rate, months -> belief after
BELIEF_CASES = [
    ("no contact: no change", 0, 0.8, 0.2, 0.1, 1, 0.8),
    ("one colleague: a third of the step", 1, 0.8, 0.2, 0.3, 1, 0.8 - 0.1 * 0.6),
    ("three colleagues: the full step", 3, 0.8, 0.2, 0.3, 1, 0.8 - 0.3 * 0.6),
    ("more than three: capped at the full step", 7, 0.8, 0.2, 0.3, 1, 0.8 - 0.3 * 0.6),
    ("sticky employer: floor is the start", 3, 0.8, 0.8, 0.3, 1, 0.8),
    ("rate 0: beliefs stay", 3, 0.8, 0.2, 0.0, 1, 0.8),
    ("many months: approaches the floor, never below", 3, 0.8, 0.2, 1.0, 24, 0.2),
    ("two years of slow contact", 3, 0.8, 0.2, 0.05, 24, 0.2 + 0.6 * 0.95 ** 24),
]


@pytest.mark.parametrize("case", BELIEF_CASES, ids=[c[0] for c in BELIEF_CASES])
@pytest.mark.parametrize("group", [S.LONG_TERM, S.PSYCH, S.LIMITATION])
def test_employer_beliefs_soften_with_contact_down_to_the_floor(case, group):
    _, n_contact, belief, floor, rate, months, want = case
    model = tiny(**{"stigma.contact_rate": rate, "stigma.belief_renewal": 0.0})
    s, e = model.s, model.e
    firm = int(model.regular_firms_in[0][0])
    s.label[:] = 0.0  # no one else brings contact
    e.belief[firm] = 0.5
    e.belief_floor[firm] = 0.1
    e.belief[firm, group] = belief
    e.belief_floor[firm, group] = floor
    e.belief_start[firm] = e.belief[firm]
    rows = some_rows(model, n_contact)
    put(model, rows, state=S.REGULAR, employer=firm)
    s.label[rows, group] = 1.0
    others = [g for g in range(S.N_GROUPS) if g != group]
    for _ in range(months):
        employer_stigma.update_beliefs(model)
        assert e.belief[firm, group] >= e.belief_floor[firm, group] - 1e-6  # never below the floor
    assert e.belief[firm, group] == pytest.approx(want, abs=1e-5)
    assert np.all(e.belief[firm, others] == np.float32(0.5))  # groups without contact do not move


# belief now, its start, renewal, contact rate, colleagues with the label -> belief a month later
RENEWAL_CASES = [
    ("no contact: back toward the start", 0.3, 0.8, 0.1, 0.3, 0, 0.3 + 0.1 * 0.5),
    ("at the start: stays", 0.8, 0.8, 0.1, 0.3, 0, 0.8),
    ("renewal 0: stays where contact left it", 0.3, 0.8, 0.0, 0.3, 0, 0.3),
    ("contact and renewal: contact first, then renewal", 0.8, 0.8, 0.1, 0.3, 3, 0.62 + 0.1 * (0.8 - 0.62)),
]


@pytest.mark.parametrize("case", RENEWAL_CASES, ids=[c[0] for c in RENEWAL_CASES])
def test_employer_beliefs_return_toward_their_start(case):
    _, belief, start, renewal, rate, n_contact, want = case
    group = S.LIMITATION
    model = tiny(**{"stigma.contact_rate": rate, "stigma.belief_renewal": renewal})
    s, e = model.s, model.e
    firm = int(model.regular_firms_in[0][0])
    s.label[:] = 0.0
    e.belief[firm, group], e.belief_start[firm, group], e.belief_floor[firm, group] = belief, start, 0.2
    rows = some_rows(model, n_contact)
    put(model, rows, state=S.REGULAR, employer=firm)
    s.label[rows, group] = 1.0
    employer_stigma.update_beliefs(model)
    assert e.belief[firm, group] == pytest.approx(want, abs=1e-5)


def test_contact_counts_only_regular_workers_with_a_visible_label():
    model = tiny(**{"stigma.contact_rate": 0.3, "stigma.belief_renewal": 0.0})
    s, e = model.s, model.e
    firm = int(model.regular_firms_in[0][0])
    s.label[:] = 0.0
    e.belief[firm] = 0.8
    e.belief_floor[firm] = 0.2
    rows = some_rows(model, 4)
    put(model, rows, employer=firm)
    s.state[rows] = [S.PARALLEL, S.UNEMPLOYED, S.REGULAR, S.REGULAR]
    s.label[rows, S.PSYCH] = [1.0, 1.0, 0.4, 0.5]  # a label of 0.5 or less is not visible
    employer_stigma.update_beliefs(model)
    assert e.belief[firm, S.PSYCH] == np.float32(0.8)


# --- benefit rules of jobs.start_job and jobs.end_job ----------------------------------------------------------

MONEY = {"money.bijstand_net_single": 1054.0, "money.bijstand_net_couple": 1505.0,
         "economy.wml_net_month": 1450.0, "economy.fulltime_hours": 36.0}
# net earnings reach the norm at 1054 / 1450 * 36 = 26.2 hours (single), 37.4 hours (couple: never at 36)
# id, benefit, household, hours -> benefit after, left bijstand for work
START_CASES = [
    ("bijstand single, full-time: bijstand ends", BIJ, S.SINGLE, 36, NOB, True),
    ("bijstand single, earnings just above the norm", BIJ, S.SINGLE, 27, NOB, True),
    ("bijstand single, just below: partial bijstand", BIJ, S.SINGLE, 26, BIJ, False),
    ("bijstand single, small job: partial bijstand", BIJ, S.SINGLE, 8, BIJ, False),
    ("bijstand couple, full-time: partial bijstand", BIJ, S.COHABITING, 36, BIJ, False),
    ("WW, half-time: WW ends", WW, S.SINGLE, 18, NOB, False),
    ("WW, full-time: WW ends", WW, S.COHABITING, 36, NOB, False),
    ("WW, below half-time: WW continues", WW, S.SINGLE, 17, WW, False),
    ("no benefit stays none", NOB, S.SINGLE, 36, NOB, False),
    ("disability benefit is not touched", S.DISABILITY, S.SINGLE, 36, S.DISABILITY, False),
]


@pytest.mark.parametrize("case", START_CASES, ids=[c[0] for c in START_CASES])
def test_start_job_benefit_rules(case):
    _, benefit, household, hours, want_benefit, want_left = case
    model = tiny(**MONEY)
    row = some_rows(model, 1)
    put(model, row, state=U, benefit=benefit, household=household, ww_months_left=9 if benefit == WW else 0,
        months_on_benefit=7, disregard_months=2, employer=-1, left_bijstand_for_work=False)
    pid = int(model.s.person_id[row[0]])
    jobs.start_job(model, row, S.REGULAR, np.array([-1]), np.array([hours], dtype=np.float32), np.array([True]), 12,
                   np.array([False]))
    s = model.s
    assert s.state[row[0]] == S.REGULAR and s.hours[row[0]] == hours
    assert s.contract[row[0]] == TEMP and s.contract_end[row[0]] == MONTH + 12
    assert s.benefit[row[0]] == want_benefit
    assert bool(s.left_bijstand_for_work[row[0]]) is want_left
    if want_benefit == benefit:
        # a partial benefit keeps its spell, its WW months and the disregard months used so far
        assert s.months_on_benefit[row[0]] == 7 and s.disregard_months[row[0]] == 2
        assert s.ww_months_left[row[0]] == (9 if benefit == WW else 0)
    else:
        assert s.months_on_benefit[row[0]] == 0 and s.ww_months_left[row[0]] == 0
    assert moves(model, pid) == [("unemployed", "regular", "hired")]


def test_partial_bijstand_keeps_the_earnings_disregard():
    """The municipality's bijstand for a part-time worker falls by the earnings less the disregard."""
    model = tiny(**MONEY)
    s = model.s
    rows = some_rows(model, 2)
    m = int(s.municipality[rows[0]])
    share, cap, months = (float(model.muni_policy[k][m]) for k in
                          ("earnings_disregard_share", "earnings_disregard_cap", "earnings_disregard_months"))
    assert share > 0 and months > 0
    put(model, rows, state=U, benefit=BIJ, household=S.SINGLE, sanctioned=False, employer=-1, hours=0.0)
    put(model, rows[:1], disregard_months=0)
    put(model, rows[1:], disregard_months=int(months))  # the second has used the disregard up
    before = accounting.monthly(model)["spend_benefits"][m]
    jobs.start_job(model, rows, S.REGULAR, np.array([-1, -1]), np.array([12.0, 12.0], dtype=np.float32),
                   np.array([False, False]), 12, np.array([False, False]))
    after = accounting.monthly(model)["spend_benefits"][m]
    earnings = 1450.0 * 12 / 36
    cost = model.p.money.benefit_cost_single_year / 12.0
    disregard = min(share * earnings, cap)
    assert before - after == pytest.approx(cost * (earnings - disregard) / 1054.0 + cost * earnings / 1054.0,
                                           rel=1e-6)


QUIET_END = {"activation.bijstand_entitled_single": 0.0, "activation.bijstand_entitled_couple": 0.0}
# id, benefit while working, months worked, household, entitlement set, to state
# -> state, benefit, WW months left, reason logged
END_CASES = [
    ("six months of work: WW", NOB, 6, S.SINGLE, {}, U, U, WW, 6),
    ("long tenure: WW capped at 24 months", NOB, 40, S.SINGLE, {}, U, U, WW, 24),
    ("five months, single qualifies: bijstand", NOB, 5, S.SINGLE, {"bijstand_entitled_single": 1.0}, U, U, BIJ, 0),
    ("five months, couple qualifies: bijstand", NOB, 5, S.COHABITING, {"bijstand_entitled_couple": 1.0}, U, U,
     BIJ, 0),
    ("five months, couple does not qualify: inactive", NOB, 5, S.COHABITING, {"bijstand_entitled_single": 1.0},
     U, INACT, NOB, 0),
    ("five months, nothing: inactive", NOB, 5, S.SINGLE, {}, U, INACT, NOB, 0),
    ("health drop-out keeps WW", NOB, 12, S.SINGLE, {}, INACT, INACT, WW, 12),
    ("partial bijstand continues, no WW", BIJ, 12, S.SINGLE, {}, U, U, BIJ, 0),
    ("part-time WW continues", WW, 12, S.SINGLE, {}, U, U, WW, 5),
]


@pytest.mark.parametrize("case", END_CASES, ids=[c[0] for c in END_CASES])
def test_end_job_benefit_rules(case):
    _, benefit, tenure, household, params, to_state, want_state, want_benefit, want_ww = case
    model = tiny(**{**MONEY, **QUIET_END, **{f"activation.{k}": v for k, v in params.items()}})
    s, e = model.s, model.e
    row = some_rows(model, 1)
    firm = int(np.flatnonzero(e.kind != S.REGULAR_FIRM)[0])
    e.parallel_filled[firm] += 1
    filled = int(e.parallel_filled[firm])
    put(model, row, state=S.PARALLEL, employer=firm, hours=12, contract=TEMP, contract_end=MONTH, benefit=benefit,
        household=household, months_in_state=tenure, ww_months_left=5 if benefit == WW else 0, months_on_benefit=7,
        uses_subsidy=True, left_bijstand_for_work=True)
    pid = int(s.person_id[row[0]])
    jobs.end_job(model, row, to_state, "contract_end")
    i = row[0]
    assert (s.state[i], s.benefit[i], s.ww_months_left[i]) == (want_state, want_benefit, want_ww)
    assert s.months_on_benefit[i] == (7 if benefit != NOB else 0)
    assert (s.hours[i], s.contract[i], s.contract_end[i], s.employer[i]) == (0, S.NO_CONTRACT, -1, -1)
    assert not s.uses_subsidy[i] and not s.left_bijstand_for_work[i]
    assert e.parallel_filled[firm] == filled - 1
    assert moves(model, pid) == [("parallel", S.STATE_NAMES[want_state], "contract_end")]


# --- budgets and deficits --------------------------------------------------------------------------------------

# id, yearly benefit budget, yearly participation budget, monthly payments (benefits, subsidies, other)
# -> benefit budget left, participation budget left, deficit, spent
BUDGET_CASES = [
    ("within both budgets", 120, 60, [(5, 5, 3)], 110, 57, 0, 13),
    ("benefits over budget", 10, 60, [(8, 5, 0)], 0, 60, 3, 13),
    ("subsidies count against the benefit budget", 10, 60, [(0, 12, 1)], 0, 59, 2, 13),
    ("participation over budget", 100, 2, [(0, 0, 5)], 100, 0, 3, 5),
    ("both over budget", 1, 1, [(2, 0, 3)], 0, 0, 3, 5),
    ("exactly the budget", 10, 10, [(6, 4, 10)], 0, 0, 0, 20),
    ("shortfalls accumulate", 10, 0, [(6, 0, 0), (6, 0, 0), (6, 0, 0)], 0, 0, 8, 18),
    ("no budget at all", 0, 0, [(1, 2, 3)], 0, 0, 6, 6),
]


def _flows(benefits, subsidies, other):
    return {"spend_benefits": np.array([benefits, 0.0]), "spend_subsidies": np.array([subsidies, 0.0]),
            "spend": np.array([benefits + subsidies + other, 0.0])}


@pytest.mark.parametrize("case", BUDGET_CASES, ids=[c[0] for c in BUDGET_CASES])
def test_budgets_are_never_negative_and_record_deficits(case):
    _, benefit_year, participation_year, payments, want_benefit, want_part, want_deficit, want_spent = case
    b = accounting.Budgets(np.array([benefit_year, 50.0]), np.array([participation_year, 50.0]))
    for month in payments:
        b.pay(_flows(*month))
        assert (b.benefit_left >= 0).all() and (b.participation_left >= 0).all()
    assert b.benefit_left.tolist() == [want_benefit, 50.0]  # the other municipality paid nothing
    assert b.participation_left.tolist() == [want_part, 50.0]
    assert b.deficit.tolist() == [want_deficit, 0.0]
    assert b.spent.tolist() == [want_spent, 0.0]


# id, yearly budgets, payments before the new year -> left after the top-up, deficit kept
NEW_YEAR_CASES = [
    ("unspent budget carries over", (120, 60), (10, 0, 10), (230, 110), 0),
    ("a deficit year starts from the yearly budget", (10, 5), (30, 0, 20), (10, 5), 35),
]


@pytest.mark.parametrize("case", NEW_YEAR_CASES, ids=[c[0] for c in NEW_YEAR_CASES])
def test_budgets_are_topped_up_each_year(case):
    _, (benefit_year, participation_year), payment, (want_benefit, want_part), want_deficit = case
    b = accounting.Budgets(np.array([benefit_year]), np.array([participation_year]))
    b.pay({k: v[:1] for k, v in _flows(*payment).items()})
    b.new_year()
    assert b.benefit_left.tolist() == [want_benefit] and b.participation_left.tolist() == [want_part]
    assert b.deficit.tolist() == [want_deficit]
    assert b.allocated.tolist() == [2 * (benefit_year + participation_year)]


@pytest.mark.parametrize("month, topped_up", [(11, True), (5, False), (23, True)])
def test_the_model_tops_budgets_up_in_month_twelve(month, topped_up):
    model = tiny()
    b = model.budgets
    model.month = month
    b.benefit_left[:] = 0.0
    b.participation_left[:] = 0.0
    deficit = b.deficit.copy()
    model.step()
    money = model.last_money
    paid = money["spend_benefits"] + money["spend_subsidies"]
    if topped_up:
        np.testing.assert_allclose(b.benefit_left, np.maximum(b.benefit_year - paid, 0), rtol=1e-9)
        np.testing.assert_allclose(b.deficit - deficit, np.maximum(paid - b.benefit_year, 0)
                                   + np.maximum(money["spend"] - paid - b.participation_year, 0), rtol=1e-9)
    else:
        assert (b.benefit_left == 0).all() and (b.participation_left == 0).all()
        np.testing.assert_allclose(b.deficit - deficit, money["spend"], rtol=1e-9)


# --- displacement: jobs go when the subsidised stock grows and come back when it falls -------------------------

# id, displacement on, additionality test (None = as set), displaced stock minus its target -> regular jobs change
DISPLACEMENT_CASES = [
    ("stock above target: 3 jobs come back", True, None, 3, 3),
    ("one job comes back", True, None, 1, 1),
    ("stock on target: nothing changes", True, None, 0, 0),
    ("stock below target: 2 jobs go", True, 0.0, -2, -2),
    ("a strict test: the whole stock comes back", True, 1.0, 4, 4),
    ("switched off: the whole stock comes back", False, None, 5, 5),
]


@pytest.mark.parametrize("case", DISPLACEMENT_CASES, ids=[c[0] for c in DISPLACEMENT_CASES])
def test_displacement_follows_the_subsidised_stock(case):
    _, enabled, test, offset, want_change = case
    model = tiny(**{"displacement.enabled": enabled})
    e = model.e
    m = 0
    if test is not None:
        model.muni_policy["additionality_test"][m] = test
    rows = some_rows(model, 20)
    put(model, rows, state=S.PARALLEL, employer=-1)  # a subsidised stock in the municipality
    target = np.round(displacement.target_stock(model)).astype(np.int64)
    if enabled and test != 1.0:
        assert target[m] > 0
    model.displaced[:] = target
    model.displaced[m] = target[m] + offset
    firms = model.regular_firms_in[m]
    e.vacancies[firms] = np.minimum(e.regular_jobs[firms], 1)
    jobs_before, vac_before = int(e.regular_jobs[firms].sum()), int(e.vacancies[firms].sum())
    other_jobs = e.regular_jobs[~np.isin(np.arange(e.n), firms)].copy()
    displacement.step(model, this_month(model))
    assert int(e.regular_jobs[firms].sum()) - jobs_before == want_change
    if want_change > 0:  # restored jobs come back as open vacancies
        assert int(e.vacancies[firms].sum()) - vac_before == want_change
    assert model.displaced.tolist() == target.tolist()
    assert (e.regular_jobs[~np.isin(np.arange(e.n), firms)] == other_jobs).all()
    assert (e.vacancies >= 0).all() and (e.vacancies <= e.regular_jobs).all()
