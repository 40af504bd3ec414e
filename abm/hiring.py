"""Hiring: employers score applicants, places take the best acceptable one, people accept or refuse
(ARCHITECTURE.md step 6; docs/evidence.md E11-E39).

Rule. For an application of person i to a place at employer e with h hours a week:
  regular pool:  score = w_prod × (min(loonwaarde + subsidy, 1.05) - 1) - stigma(i, e) - risk premium(i, e, h)
                         + quota bonus + recent subsidised experience + referral bonus + noise,
                 acceptable when score > threshold - tightness_slope × (tightness - 1) (outside competition);
                 in a tight market the bar falls less, by (1 - tight_label_share × long-term label), for someone
                 with the long-term label: long-term unemployment persists despite shortages (docs/evidence.md E1);
  parallel pool: own pace and inclusive employers: the productivity, stigma and risk terms are damped and
                 the threshold is low; hours follow the person's capacity.
Each place takes its best acceptable applicant and each person at most one offer per pool (environments.pools);
a refused offer leaves the place open until next month. The regular pool goes first; people hired there do not
take part in the parallel pool, people who refused there may; people in a basisbaan search only for regular
work. A person accepts when the net income gain plus the value they put on work (plus, under a sanction regime,
the cost of refusing, `search.refusal_cost`; none for a parallel place where `policy.parallel_voluntary`) is
positive: cohabiting partners, people who lose allowances and people with debts refuse more. A person's own
standing decision (a scenario's `[[person_decisions]]`, abm/person_decisions.py) replaces this rule for them.
A sector's hiring stance (abm/sector_stance.py) scales its firms' subsidy uptake, adds to register candidates'
score and shifts the chance of a temporary contract in the regular pool.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import employer_stigma, jobs, money, person_decisions, risk_aversion, search, subsidy_quota
from abm import states as S
from abm.employer_stigma import penalty_one
from abm.jit import jit, jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.risk_aversion import premium_one, risk_one, temporary_one
from abm.rng import normal, uniform, uniforms
from abm.search import APP_DRAWS, REFERRAL_APP, Applications
from abm.subsidy_quota import quota_one, subsidy_one
from abm.tables import bundle
from abm.throughput import experience_one
from environments.pools import PlaceRing, SlotIndex, greedy_match, pick_place

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "rejections": Column("int16", 0, "applications rejected this month"),
}


class HiringParams(Section):
    productivity_weight: float = param(1.5, 0, 10, unit="score per loonwaarde", doc="weight of productivity")
    threshold: float = param(0.2, -5, 5, unit="score", doc="score an applicant must beat at tightness 1")
    tightness_slope: float = param(0.25, 0, 5, unit="score per tightness", doc="fall of the bar in a tight market")
    tight_label_share: float = param(0.8, 0, 1, unit="share",
                                     doc="share of a tight market's lower bar that does not reach someone with the "
                                         "long-term label",
                                     source="assumption; direction: docs/evidence.md E1 (an inclusion deficit "
                                            "beside a labour shortage)")
    noise: float = param(0.25, 0, 5, unit="score (sd)", doc="what the employer cannot observe")
    referral_bonus: float = param(0.2, 0, 5, unit="score", doc="bonus of a referral by an employee")
    part_time_share: float = param(0.4, 0, 1, unit="share", doc="regular vacancies with 12-24 hours")
    parallel_threshold: float = param(-0.6, -5, 5, unit="score", doc="bar of parallel organisations")
    parallel_damping: float = param(0.3, 0, 1, unit="ratio",
                                    doc="weight of productivity, stigma and risk at parallel organisations")
    parallel_contract_months: int = param(12, 1, 120, unit="months", doc="contract length in parallel work")


HireRule = namedtuple("HireRule", "productivity_weight bar noise referral_bonus parallel_bar damping stigma_weight "
                                   "subsidy_enabled quota_score quota_min_size quota_threatened max_quota exp_weight "
                                   "exp_saturation exp_recency tight_fall tight_label_share")


def rule(model) -> HireRule:
    p, th, sq = model.p.hiring, model.p.throughput, model.p.subsidy_quota
    return HireRule(p.productivity_weight, p.threshold - p.tightness_slope * (model.tightness - 1.0), p.noise,
                    p.referral_bonus, p.parallel_threshold, p.parallel_damping, employer_stigma.weight(model),
                    sq.enabled, sq.quota_score_per_5000 if sq.enabled else 0.0, sq.quota_min_size,
                    sq.threatened_share, subsidy_quota.max_quota_bonus(model), th.weight if th.enabled else 0.0,
                    float(th.saturation_months), th.recency_months,
                    max(p.tightness_slope * (model.tightness - 1.0), 0.0), p.tight_label_share)


NOT_REACHED, REJECTED, PASSED = 0, 1, 2   # what became of an application


# The named structures `_score` takes (abm/tables.bundle): the pool's applications, its open places and where
# applications go, the columns of the people and the employers it reads. The policy is `model.policy_arrays`.
PoolApplications = namedtuple("PoolApplications", "seeker index fixed_slot referral")
PoolPlaces = namedtuple("PoolPlaces", "dest_cum dest_cols slot_bounds ring_keys ring_slots slot_employer slot_hours")
Applicants = namedtuple("Applicants", "person_id municipality skill work_limitation in_register psych health_hours "
                                      "migrant months_subsidised months_since_subsidised last_subsidised_state label")
Firms = namedtuple("Firms", "municipality sector risk_aversion subsidy_uptake size register_employees belief")


@jit_parallel
def _score(key, hr, rr, parallel_pool, apps, places, people, firms, pol, stance):
    """Score every application of one pool, each on its own (in parallel: an application's draws are its
    sender's, abm/rng.py).

    Returns per application its status (NOT_REACHED, REJECTED or PASSED) and, for those that pass, its place,
    hours, contract, subsidy and score. Stigma and risk only lower a score, so an application that fails without
    them is settled before they are computed. `stance` is the sectors' hiring stance (abm/sector_stance.py),
    read in the regular pool only.
    """
    n = apps.seeker.size
    status = np.zeros(n, dtype=np.int8)
    out_slot = np.full(n, -1, dtype=np.int64)
    out_hours = np.zeros(n, dtype=np.float32)
    out_temp = np.zeros(n, dtype=np.bool_)
    out_sub = np.zeros(n, dtype=np.bool_)
    out_score = np.zeros(n, dtype=np.float64)
    for k in prange(n):
        i = apps.seeker[k]
        pid = people.person_id[i]
        d0 = APP_DRAWS * apps.index[k]  # this application's draws: d0 .. d0 + 5
        slot = apps.fixed_slot[k]
        if slot == -2:  # pick a municipality within reach, then a random open place there
            h = people.municipality[i]
            x = h + uniform(key, pid, d0)
            j = np.searchsorted(places.dest_cum, x, side="right")
            d = places.dest_cols[min(j, places.dest_cols.size - 1)]
            slot = pick_place(d, uniform(key, pid, d0 + 1), places.slot_bounds, places.ring_keys, places.ring_slots)
        if slot < 0:
            continue
        status[k] = REJECTED
        e = places.slot_employer[slot]
        m = firms.municipality[e]
        if parallel_pool:
            hours = min(max(people.health_hours[i], 8.0), 32.0)
            sub = 0.0
            score = (hr.damping * hr.productivity_weight * (people.skill[i] - 1.0)
                     + hr.noise * normal(key, pid, d0 // 2 + 1))
            bar = hr.parallel_bar
            temporary = True
        else:
            hours = places.slot_hours[slot]
            sector = firms.sector[e]
            sub = subsidy_one(hr.subsidy_enabled, pol.lks_enabled[m], pol.lks_max_share[m], people.work_limitation[i],
                              people.in_register[i], people.skill[i],
                              firms.subsidy_uptake[e] * stance.subsidy_uptake[sector], uniform(key, pid, d0 + 4))
            prod = min(people.skill[i] + sub, 1.05)
            score = (hr.productivity_weight * (prod - 1.0)
                     + experience_one(hr.exp_weight, hr.exp_saturation, hr.exp_recency, people.months_subsidised[i],
                                      people.months_since_subsidised[i], people.last_subsidised_state[i],
                                      pol.parallel_experience_factor[people.municipality[i]])
                     + hr.referral_bonus * apps.referral[k] + hr.noise * normal(key, pid, d0 // 2 + 1))
            if people.in_register[i]:
                score += stance.register_willingness[sector]
            bar = hr.bar + hr.tight_fall * hr.tight_label_share * people.label[i, S.LONG_TERM]
            if score + hr.max_quota <= bar:
                continue
        risk = risk_one(rr, hours, people.health_hours[i], people.psych[i], people.work_limitation[i])
        if not parallel_pool:
            temporary = temporary_one(rr, firms.risk_aversion[e], risk, people.migrant[i],
                                      stance.temporary_shift[firms.sector[e]], uniform(key, pid, d0 + 5))
        damp = hr.damping if parallel_pool else 1.0
        score -= damp * penalty_one(people.label, firms.belief, i, e, hr.stigma_weight)
        score -= damp * premium_one(rr, firms.risk_aversion[e], risk, pol.no_risk_policy[m] and people.in_register[i],
                                  temporary)
        if not parallel_pool:
            score += quota_one(hr.quota_score, hr.quota_min_size, pol.quota_enforced[m], hr.quota_threatened,
                               pol.quota_levy[m], pol.quota_rate[m], firms.size[e], firms.register_employees[e],
                               people.in_register[i])
        if score <= bar:
            continue
        status[k] = PASSED
        out_slot[k] = slot
        out_hours[k] = hours
        out_temp[k] = temporary
        out_sub[k] = sub > 0
        out_score[k] = score
    return status, out_slot, out_hours, out_temp, out_sub, out_score


@jit
def _count(counter, rows):
    """counter[i] = how often row i occurs in `rows` (capped at the counter's range)."""
    counter[:] = 0
    for i in rows:
        if counter[i] < 10_000:
            counter[i] += 1


def _pool(model, seeker: np.ndarray, app_index: np.ndarray, fixed_slot: np.ndarray, referral: np.ndarray,
          slots: SlotIndex, slot_hours: np.ndarray, parallel_pool: bool) -> dict:
    s, e = model.s, model.e
    dest = model.destinations
    ring = PlaceRing(slots, model.key("places_parallel" if parallel_pool else "places_regular"))
    apps = PoolApplications(seeker, app_index, fixed_slot, referral)
    places = PoolPlaces(dest.cum, dest.cols, slots.bounds, ring.keys, ring.slots, slots.employer, slot_hours)
    status, slot, hours, temporary, subsidy, score = _score(
        model.key("hiring"), rule(model), risk_aversion.rule(model), parallel_pool, apps, places,
        bundle(Applicants, s), bundle(Firms, e), model.policy_arrays, model.sector_arrays)
    passed = status == PASSED
    seeker_k = seeker[passed]
    slot, hours, temporary, subsidy, score = slot[passed], hours[passed], temporary[passed], subsidy[passed], \
        score[passed]
    applicants = seeker[status != NOT_REACHED]
    return dict(seeker=seeker_k, slot=slot, employer=slots.employer[slot], hours=hours, temporary=temporary,
                subsidy=subsidy, score=score, n_slots=slots.size, applicants=applicants)


def vacancy_hours(model, employer: np.ndarray) -> np.ndarray:
    """Hours of each open regular place (a part-time share of 12-24 h, else 32-38 h). The n-th open place of an
    employer draws under the id (employer, n), so a place's hours do not depend on other employers' vacancies."""
    p = model.p.hiring
    first = np.searchsorted(employer, employer)  # places are grouped by employer
    ident = employer.astype(np.int64) * 65_536 + np.minimum(np.arange(employer.size) - first, 65_535)
    key = model.key("vacancy_hours")
    part_time = uniforms(key, ident, 0) < p.part_time_share
    u = uniforms(key, ident, 1)
    return np.where(part_time, 12 + 12 * u, 32 + 6 * u).astype(np.float32)


def _regular_pool(model, apps: Applications) -> dict:
    slots = SlotIndex(model.open_regular_slots(), model.e.municipality, model.n_munis)
    regular = ~apps.parallel
    seeker = np.concatenate([apps.seeker[regular], apps.referral_seekers])
    index = np.concatenate([apps.index[regular], np.full(apps.referral_seekers.size, REFERRAL_APP, dtype=np.int64)])
    fixed = np.concatenate([np.full(int(regular.sum()), -2, dtype=np.int64),
                            slots.first_place_of(apps.referral_employers)])
    referral = np.concatenate([np.zeros(int(regular.sum()), bool), np.ones(apps.referral_seekers.size, bool)])
    return _pool(model, seeker, index, fixed, referral, slots, vacancy_hours(model, slots.employer), False)


def _parallel_pool(model, apps: Applications, exclude: np.ndarray) -> dict:
    slots = SlotIndex(model.open_parallel_slots(), model.e.municipality, model.n_munis)
    seeker, index = apps.seeker[apps.parallel], apps.index[apps.parallel]
    keep = ~exclude[seeker] & (model.s.state[seeker] != S.BASISBAAN)
    seeker, index = seeker[keep], index[keep]
    fixed = np.full(seeker.size, -2, dtype=np.int64)
    return _pool(model, seeker, index, fixed, np.zeros(seeker.size, bool), slots, np.zeros(slots.size, np.float32),
                 True)


def offer_value(model, rows: np.ndarray, employers: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """What the model's other mechanisms add to the value of these offers, EUR a month (their `offer_value`)."""
    total = np.zeros(rows.size)
    for mechanism in model.mechanisms:
        if mechanism.offer_value is not None:
            total += mechanism.offer_value(model, rows, employers, hours)
    return total


def _offers(model, pool: dict, voluntary: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Match a pool; returns (accepted application indices, all offered indices). `voluntary`: the policy switch
    that makes the pool's places voluntary (no cost of refusing, `search.refusal_cost`)."""
    s = model.s
    win = greedy_match(pool["seeker"], pool["slot"], pool["score"], model.match_workspace, max(pool["n_slots"], 1))
    seeker = pool["seeker"][win]
    gain = money.net_gain(model, seeker, pool["hours"][win]) + s.intrinsic[seeker] \
        + offer_value(model, seeker, pool["employer"][win], pool["hours"][win])
    accept = gain + search.refusal_cost(model, seeker, voluntary) > 0
    accept = person_decisions.answer(model, seeker, accept)   # a person's own decision, if one stands
    return win[accept], win


def step(model, month: Month) -> None:
    """Both pools for the month's applications; the rows hired and the counts go in `month`."""
    counts = hire(model, month.applications)
    month.hired = counts.pop("hired_rows")
    month.counts.update(counts)


def hire(model, apps: Applications) -> dict:
    """Run both pools; returns counts for the metrics and the rows hired."""
    s, e = model.s, model.e
    flows = {}
    reg = _regular_pool(model, apps)
    accepted, offered = _offers(model, reg)
    rows = reg["seeker"][accepted]
    was_bijstand = s.benefit[rows] == S.BIJSTAND
    jobs.start_job(model, rows, S.REGULAR, reg["employer"][accepted], reg["hours"][accepted],
                   reg["temporary"][accepted], model.p.separations.temporary_months, reg["subsidy"][accepted])
    np.subtract.at(e.vacancies, reg["employer"][accepted], 1)
    hired_regular = rows
    flows["to_fulltime_from_bijstand"] = int((was_bijstand & (s.benefit[rows] == S.NO_BENEFIT)).sum())
    taken = model.scratch_bool
    taken[rows] = True
    par = _parallel_pool(model, apps, taken)
    taken[rows] = False
    accepted_p, offered_p = _offers(model, par, "parallel_voluntary")
    rows_p = par["seeker"][accepted_p]
    jobs.start_job(model, rows_p, S.PARALLEL, par["employer"][accepted_p], par["hours"][accepted_p],
                   par["temporary"][accepted_p], model.p.hiring.parallel_contract_months,
                   par["subsidy"][accepted_p])
    # rejections: applications that reached a place but brought no offer
    offered_to = model.scratch_bool
    offered_to[reg["seeker"][offered]] = True
    offered_to[par["seeker"][offered_p]] = True
    all_seekers = np.concatenate([reg["applicants"], par["applicants"]])
    rejected = all_seekers[~offered_to[all_seekers]]
    offered_to[reg["seeker"][offered]] = False
    offered_to[par["seeker"][offered_p]] = False
    _count(s.rejections, rejected)
    flows["applications"] = int(apps.seeker.size + apps.referral_seekers.size)
    flows["offers"] = int(offered.size + offered_p.size)
    flows["refusals"] = int(offered.size - accepted.size + offered_p.size - accepted_p.size)
    flows["hires_regular"] = int(hired_regular.size)
    flows["hires_parallel"] = int(rows_p.size)
    flows["hires_with_subsidy"] = int(reg["subsidy"][accepted].sum())
    flows["hired_rows"] = np.concatenate([hired_regular, rows_p])
    return flows


MECHANISM = Mechanism("hiring", doc=__doc__, params=HiringParams, columns=COLUMNS, step=step)
