"""Starting and ending jobs: the one place where labour state, employer counters and benefits change together.

Every mechanism that moves people (separations, hiring, basisbaan recruitment, participation, health) calls
`move`, `start_job` or `end_job`, so the event log, the employers' counts and the benefit rules stay
consistent. Benefit rules: a job whose net earnings reach the bijstand norm ends bijstand (the municipality
saves the benefit); a smaller job keeps a partial benefit with the earnings disregard. WW ends with a job of
half-time or more. A job of six months or more earns WW afterwards (the 26-week rule, simplified); WW runs out
into bijstand.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.rng import uniforms


def move(model, rows: np.ndarray, to_state: int, reason: str, record: bool = True) -> None:
    """Change the labour state of `rows` (only those not already in it) and log the transitions (`record`:
    False only while the population is built, whose people the log records as initial entries)."""
    s = model.s
    rows = rows[s.state[rows] != to_state]
    if rows.size == 0:
        return
    if record:
        model.log.record(model.month, s.person_id[rows], s.state[rows], to_state, s.municipality[rows], reason)
    s.state[rows] = to_state
    s.months_in_state[rows] = 0


def release_employer(model, rows: np.ndarray) -> None:
    """Free the employer-side counters held by `rows` (parallel places, register staff)."""
    s, e = model.s, model.e
    emp = s.employer[rows]
    has = emp >= 0
    if not has.any():
        return
    par = has & (s.state[rows] == S.PARALLEL)
    np.subtract.at(e.parallel_filled, emp[par], 1)
    reg = has & s.in_register[rows] & (s.state[rows] == S.REGULAR)
    np.subtract.at(e.register_employees, emp[reg], 1)
    s.employer[rows] = -1


def start_job(model, rows: np.ndarray, state: int, employer: np.ndarray, hours: np.ndarray,
              temporary: np.ndarray, contract_months: np.ndarray | int, uses_subsidy: np.ndarray,
              reason: str = "hired", record: bool = True) -> None:
    """Put `rows` into paid work of kind `state` and apply the benefit rules (`record`: see `move`)."""
    if rows.size == 0:
        return
    s, e = model.s, model.e
    release_employer(model, rows)  # a job-to-job move first frees the old employer's counters
    move(model, rows, state, reason, record)
    s.employer[rows] = employer
    s.hours[rows] = hours
    s.contract[rows] = np.where(temporary, S.TEMPORARY, S.PERMANENT)
    s.contract_end[rows] = np.where(temporary, model.month + contract_months, -1)
    s.uses_subsidy[rows] = uses_subsidy
    s.months_out[rows] = 0
    if state == S.REGULAR:
        s.months_since_regular[rows] = 0
    s.wellbeing_at_start[rows] = s.wellbeing[rows]
    if state == S.PARALLEL:
        np.add.at(e.parallel_filled, employer[employer >= 0], 1)   # -1: a region without a sheltered workshop
    if state == S.REGULAR:
        reg = s.in_register[rows] & (employer >= 0)
        np.add.at(e.register_employees, employer[reg], 1)
    if state == S.BASISBAAN:
        s.basisbaan_start[rows] = model.month
    # Benefits.
    money = model.p.money
    earnings = model.p.economy.wml_net_month * s.hours[rows] / model.p.economy.fulltime_hours
    norm = np.where(s.household[rows] == S.SINGLE, money.bijstand_net_single, money.bijstand_net_couple)
    ben = s.benefit[rows]
    leaves_bijstand = (ben == S.BIJSTAND) & (earnings >= norm)
    leaves_ww = (ben == S.WW) & (s.hours[rows] >= model.p.economy.fulltime_hours / 2)
    out = rows[leaves_bijstand | leaves_ww]
    s.left_bijstand_for_work[rows[leaves_bijstand]] = True
    s.benefit[out] = S.NO_BENEFIT
    s.months_on_benefit[out] = 0
    s.ww_months_left[out] = 0


def bijstand_entitled(model, rows: np.ndarray) -> np.ndarray:
    """Whether each person qualifies for bijstand when other income stops (partner's income and assets test)."""
    a = model.p.activation
    prob = np.where(model.s.household[rows] == S.SINGLE, a.bijstand_entitled_single, a.bijstand_entitled_couple)
    return uniforms(model.key("entitlement"), model.s.person_id[rows], 0) < prob


def end_job(model, rows: np.ndarray, to_state: int, reason: str) -> None:
    """End the paid work of `rows`. Six months or more of work gives WW; otherwise bijstand where the household
    qualifies. Someone who would be unemployed without any benefit is `inactive` (left the benefit)."""
    if rows.size == 0:
        return
    s = model.s
    tenure = s.months_in_state[rows].copy()
    no_benefit = s.benefit[rows] == S.NO_BENEFIT
    ww = no_benefit & (tenure >= 6)
    bijstand = no_benefit & ~ww & bijstand_entitled(model, rows)
    nothing = no_benefit & ~ww & ~bijstand
    release_employer(model, rows)
    if to_state == S.UNEMPLOYED and nothing.any():
        move(model, rows[nothing], S.INACTIVE, reason)
        move(model, rows[~nothing], to_state, reason)
    else:
        move(model, rows, to_state, reason)
    s.hours[rows] = 0
    s.contract[rows] = S.NO_CONTRACT
    s.contract_end[rows] = -1
    s.uses_subsidy[rows] = False
    s.basisbaan_start[rows] = -1
    s.left_bijstand_for_work[rows] = False
    s.benefit[rows[ww]] = S.WW
    s.ww_months_left[rows[ww]] = np.clip(tenure[ww], 3, 24)
    s.benefit[rows[bijstand]] = S.BIJSTAND
    s.months_on_benefit[rows[no_benefit]] = 0
