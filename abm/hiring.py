"""Hiring: employers score applicants, places take the best acceptable one, people accept or refuse
(ARCHITECTURE.md step 6; BRIEF.md §2.1-2.5).

Rule. For an application of person i to a place at employer e with h hours a week:
  regular pool:  score = w_prod × (min(loonwaarde + subsidy, 1.05) - 1) - stigma(i, e) - risk premium(i, e, h)
                         + quota bonus + recent subsidised experience + referral bonus + noise,
                 acceptable when score > threshold - tightness_slope × (tightness - 1) (outside competition);
  parallel pool: own pace and inclusive employers: the productivity, stigma and risk terms are damped and
                 the threshold is low; hours follow the person's capacity.
Each place takes its best acceptable applicant and each person at most one offer (environments.pools).
A person accepts when the net income gain plus the value they put on work (plus, under a sanction regime,
the cost of refusing) is positive: cohabiting partners and people with debts refuse more.
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, jobs, money, risk_aversion, subsidy_quota, throughput
from abm import states as S
from abm.params import Section, param
from abm.search import Applications
from environments.pools import SlotIndex, greedy_match
from environments.region import sample_destinations


class HiringParams(Section):
    productivity_weight: float = param(1.5, 0, 10, unit="score per loonwaarde", doc="weight of productivity")
    threshold: float = param(0.2, -5, 5, unit="score", doc="score an applicant must beat at tightness 1")
    tightness_slope: float = param(0.25, 0, 5, unit="score per tightness", doc="fall of the bar in a tight market")
    noise: float = param(0.25, 0, 5, unit="score (sd)", doc="what the employer cannot observe")
    referral_bonus: float = param(0.2, 0, 5, unit="score", doc="bonus of a referral by an employee")
    part_time_share: float = param(0.4, 0, 1, unit="share", doc="regular vacancies with 12-24 hours")
    parallel_threshold: float = param(-0.6, -5, 5, unit="score", doc="bar of parallel organisations")
    parallel_damping: float = param(0.3, 0, 1, unit="ratio",
                                    doc="weight of productivity, stigma and risk at parallel organisations")
    parallel_contract_months: int = param(12, 1, 120, unit="months", doc="contract length in parallel work")


def _regular_pool(model, apps: Applications, rng) -> dict:
    p, s, e = model.p.hiring, model.s, model.e
    slots = SlotIndex(model.open_regular_slots(), e.municipality, model.n_munis)
    seeker = apps.seeker[~apps.parallel]
    dest = sample_destinations(model.commute_cum, model.n_munis, s.municipality[seeker].astype(np.int64),
                               rng.random(seeker.size))
    slot = slots.pick(dest, rng.random(seeker.size))
    ref_slot = slots.first_place_of(apps.referral_employers)
    seeker = np.concatenate([seeker, apps.referral_seekers])
    slot = np.concatenate([slot, ref_slot])
    referral = np.concatenate([np.zeros(slot.size - ref_slot.size, bool), np.ones(ref_slot.size, bool)])
    valid = slot >= 0
    seeker, slot, referral = seeker[valid], slot[valid], referral[valid]
    employer = slots.employer[slot]
    part_time = rng.random(slots.size) < p.part_time_share
    slot_hours = np.where(part_time, rng.uniform(12, 24, slots.size), rng.uniform(32, 38, slots.size))
    hours = slot_hours[slot].astype(np.float32)
    u = rng.random((3, seeker.size))
    risk = risk_aversion.applicant_risk(model, seeker, hours)
    temporary = risk_aversion.temporary_offer(model, seeker, employer, risk, u[0])
    subsidy = subsidy_quota.subsidy_share(model, seeker, employer, u[1])
    prod = np.minimum(s.skill[seeker] + subsidy, 1.05)
    score = (p.productivity_weight * (prod - 1.0)
             - employer_stigma.penalty(model, seeker, employer)
             - risk_aversion.premium(model, seeker, employer, risk, temporary)
             + subsidy_quota.quota_bonus(model, seeker, employer)
             + throughput.experience(model, seeker)
             + p.referral_bonus * referral
             + p.noise * rng.standard_normal(seeker.size))
    bar = p.threshold - p.tightness_slope * (model.tightness - 1.0)
    return dict(seeker=seeker, slot=slot, employer=employer, hours=hours, temporary=temporary,
                subsidy=subsidy > 0, score=score, acceptable=score > bar, n_slots=slots.size)


def _parallel_pool(model, apps: Applications, exclude: np.ndarray, rng) -> dict:
    p, s, e = model.p.hiring, model.s, model.e
    slots = SlotIndex(model.open_parallel_slots(), e.municipality, model.n_munis)
    seeker = apps.seeker[apps.parallel]
    seeker = seeker[~exclude[seeker]]
    dest = sample_destinations(model.commute_cum, model.n_munis, s.municipality[seeker].astype(np.int64),
                               rng.random(seeker.size))
    slot = slots.pick(dest, rng.random(seeker.size))
    valid = slot >= 0
    seeker, slot = seeker[valid], slot[valid]
    employer = slots.employer[slot]
    hours = np.clip(s.health_hours[seeker], 8, 32).astype(np.float32)
    risk = risk_aversion.applicant_risk(model, seeker, hours)
    temporary = np.ones(seeker.size, dtype=bool)
    d = p.parallel_damping
    score = (d * p.productivity_weight * (s.skill[seeker] - 1.0)
             - d * employer_stigma.penalty(model, seeker, employer)
             - d * risk_aversion.premium(model, seeker, employer, risk, temporary)
             + p.noise * rng.standard_normal(seeker.size))
    return dict(seeker=seeker, slot=slot, employer=employer, hours=hours, temporary=temporary,
                subsidy=np.zeros(seeker.size, bool), score=score, acceptable=score > p.parallel_threshold,
                n_slots=slots.size)


def _offers(model, pool: dict, rng) -> tuple[np.ndarray, np.ndarray]:
    """Match a pool; returns (accepted application indices, all offered indices)."""
    s = model.s
    ok = np.flatnonzero(pool["acceptable"])
    win = ok[greedy_match(pool["seeker"][ok], pool["slot"][ok], pool["score"][ok], s.n, max(pool["n_slots"], 1))]
    seeker = pool["seeker"][win]
    gain = money.net_gain(model, seeker, pool["hours"][win]) + s.intrinsic[seeker]
    pressure = (model.muni_policy["regime"][s.municipality[seeker]] == "sanction") \
        & (s.benefit[seeker] == S.BIJSTAND) & (s.state[seeker] == S.UNEMPLOYED)
    accept = gain + model.p.search.refusal_pressure * pressure > 0
    return win[accept], win


def step(model, apps: Applications) -> dict:
    """Run both pools; returns counts for the metrics and the rows hired."""
    s, e = model.s, model.e
    rng = model.streams["hiring"]
    flows = {}
    reg = _regular_pool(model, apps, rng)
    accepted, offered = _offers(model, reg, rng)
    rows = reg["seeker"][accepted]
    was_bijstand = s.benefit[rows] == S.BIJSTAND
    jobs.start_job(model, rows, S.REGULAR, reg["employer"][accepted], reg["hours"][accepted],
                   reg["temporary"][accepted], model.p.separations.temporary_months, reg["subsidy"][accepted])
    np.subtract.at(e.vacancies, reg["employer"][accepted], 1)
    hired_regular = rows
    flows["to_fulltime_from_bijstand"] = int((was_bijstand & (s.benefit[rows] == S.NO_BENEFIT)).sum())
    taken = np.zeros(s.n, dtype=bool)
    taken[rows] = True
    par = _parallel_pool(model, apps, taken, rng)
    accepted_p, offered_p = _offers(model, par, rng)
    rows_p = par["seeker"][accepted_p]
    jobs.start_job(model, rows_p, S.PARALLEL, par["employer"][accepted_p], par["hours"][accepted_p],
                   par["temporary"][accepted_p], model.p.hiring.parallel_contract_months,
                   par["subsidy"][accepted_p])
    # rejections: applications that did not bring an offer
    got_offer = np.zeros(s.n, dtype=bool)
    got_offer[reg["seeker"][offered]] = True
    got_offer[par["seeker"][offered_p]] = True
    all_seekers = np.concatenate([reg["seeker"], par["seeker"]])
    rejected = all_seekers[~got_offer[all_seekers]]
    s.rejections[:] = 0
    np.add.at(s.rejections, rejected, 1)
    flows["applications"] = int(apps.seeker.size + apps.referral_seekers.size)
    flows["offers"] = int(offered.size + offered_p.size)
    flows["refusals"] = int(offered.size - accepted.size + offered_p.size - accepted_p.size)
    flows["hires_regular"] = int(hired_regular.size)
    flows["hires_parallel"] = int(rows_p.size)
    flows["hires_with_subsidy"] = int(reg["subsidy"][accepted].sum())
    flows["hired_rows"] = np.concatenate([hired_regular, rows_p])
    return flows
