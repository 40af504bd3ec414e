"""Search: effort and applications (docs/evidence.md E19, E33-E38; ARCHITECTURE.md step 5).

Rule. Search effort in [0, 1] of a person who can search (unemployed, in a participation job, or on the job in
parallel or basisbaan work) is
    base × motivation(net gain of the job one would look for + value of work) × (1 - why_try × self-stigma)
         × health (capacity / full_capacity_hours) × on-the-job factor × (0.7 in a participation job)
    + coaching boost,
where the job one would look for is a part-time job for someone whose health carries fewer than
`full_capacity_hours`, else the better of a full-time and a part-time job (someone in a basisbaan weighs it
against the basisbaan's income, `money.gain_over_basisbaan`); in a sanction regime an obliged bijstand
recipient who searches less than `obligation_floor` risks a
sanction (a 20% cut of the benefit that month), and the duty lifts their effort only `obligation_effect` of the way
to the floor: the evidence does not find that the duty and sanctions raise outflow (docs/evidence.md E87: CPB 2020
and 2022, no effect of the trust arm's exemption; Movisie 2023, sanctions not found to raise outflow), so by
default the duty is met on paper and sends no applications that count. In a trust regime there is no floor and no
sanction.
Applications this month ~ Poisson(max_applications × effort); each goes to the parallel pool with a chance
that rises with a work limitation or a psychological vulnerability, otherwise to a regular vacancy within
commuting reach; a searcher asks a random tie for a referral with probability `referral_prob`, and a tie in a
regular job refers them to their employer (the referral counts only if that firm has an opening).
Applications that find no open place (a municipality or firm without one) are sent but reach nobody.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from abm import money
from abm import states as S
from abm.jit import jit, jit_parallel, prange
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.rng import poisson, uniform, uniforms
from abm.tables import bundle
from abm.throughput import on_the_job_factor

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "search_effort": Column("float32", 0.0, "search effort this month, 0..1"),
    "applications": Column("int16", 0, "applications sent this month"),
    "sanctioned": Column("bool", False, "benefit cut by a sanction this month"),
}


class SearchParams(Section):
    base_effort: float = param(0.6, 0, 1, unit="effort", doc="effort of a motivated, healthy searcher")
    max_applications: float = param(4.0, 0, 50, unit="applications/month", doc="applications at full effort")
    money_scale: float = param(200.0, 1, 5000, unit="EUR/month", doc="gain that moves motivation one step")
    full_capacity_hours: float = param(24.0, 1, 40, unit="hours/week",
                                       doc="capacity from which health no longer limits search")
    part_time_hours: float = param(16.0, 1, 40, unit="hours/week", doc="hours of the part-time job people weigh")
    participation_factor: float = param(0.7, 0, 1, unit="ratio", doc="search while in a participation job")
    obligation_floor: float = param(0.3, 0, 1, unit="effort", doc="effort a job-search duty demands")
    obligation_effect: float = param(0.0, 0, 1, unit="share",
                                     doc="share of the way to the floor the duty lifts real search effort (0: the "
                                         "duty is met on paper)",
                                     source="docs/evidence.md E87 (CPB 2020, 2022; Movisie 2023)")
    sanction_prob: float = param(0.05, 0, 1, unit="per month",
                                 doc="chance an obliged person below the floor is sanctioned")
    refusal_pressure: float = param(150.0, 0, 5000, unit="EUR/month",
                                    doc="cost of refusing an offer under a sanction regime")
    parallel_base: float = param(0.10, 0, 1, unit="share", doc="applications sent to the parallel pool")
    parallel_limitation: float = param(0.35, 0, 1, unit="share", doc="extra with a work limitation")
    parallel_psych: float = param(0.2, 0, 1, unit="share", doc="extra with a psychological vulnerability")
    referral_prob: float = param(0.25, 0, 1, unit="per month", doc="chance a searcher asks a tie for a referral")


# Draw numbers of one application: the j-th application of a person this month uses draws
# APP_DRAWS * j + 0 .. APP_DRAWS - 1 of the hiring key (abm.hiring); a referral is application REFERRAL_APP.
APP_DRAWS = 8
REFERRAL_APP = 1000
# the search key's draws per person: 0 sanction, 1 applications, 2 referral, 3 which tie, FIRST_APP_DRAW + j pool
FIRST_APP_DRAW = 16


@dataclass
class Applications:
    seeker: np.ndarray
    parallel: np.ndarray     # application to the parallel pool (else regular)
    index: np.ndarray        # the application's number among its sender's this month (draws of abm.hiring)
    referral_seekers: np.ndarray
    referral_employers: np.ndarray


SearchRule = namedtuple("SearchRule", "base_effort max_applications money_scale full_capacity_hours part_time_hours "
                                       "participation_factor non_claimant_factor exempt_capacity obligation_floor "
                                       "obligation_effect sanction_prob why_try coaching_boost otj_parallel "
                                       "otj_permanent otj_temporary otj_goal parallel_base parallel_limitation "
                                       "parallel_psych referral_prob")


def rule(model) -> SearchRule:
    p, th = model.p.search, model.p.throughput
    return SearchRule(p.base_effort, p.max_applications, p.money_scale, p.full_capacity_hours, p.part_time_hours,
                      p.participation_factor, model.p.activation.non_claimant_search,
                      model.p.activation.exempt_capacity, p.obligation_floor, p.obligation_effect,
                      p.sanction_prob,
                      model.p.self_stigma.why_try if model.p.self_stigma.enabled else 0.0,
                      model.p.coaching.effort_boost if model.p.coaching.enabled else 0.0,
                      th.otj_parallel, th.otj_basisbaan_permanent, th.otj_basisbaan_temporary,
                      th.otj_throughput_goal, p.parallel_base, p.parallel_limitation, p.parallel_psych,
                      p.referral_prob)


@jit
def gain_table(sr, mr, dshare, dcap, dmonths):
    """Net gain of the job a person would look for, for every combination that matters:
    [municipality, benefit, household, problem debts, disregard months left (0..horizon), can work full time].
    Someone whose health carries fewer than `full_capacity_hours` weighs a part-time job; others the better
    of a full-time and a part-time job."""
    n_m = dshare.size
    h = int(mr.horizon)
    table = np.empty((n_m, 4, 2, 2, h + 1, 2))
    for m in range(n_m):
        for b in range(4):
            for hh in range(2):
                for debt in range(2):
                    debts = mr.debt_threshold + 1.0 if debt else 0.0
                    for left in range(h + 1):
                        used = dmonths[m] - left if left < h else 0.0
                        ft = money.gain_one(mr, b, hh, debts, used, mr.fulltime, 1.0, dshare[m], dcap[m], dmonths[m])
                        pt = money.gain_one(mr, b, hh, debts, used, sr.part_time_hours, 1.0, dshare[m], dcap[m],
                                            dmonths[m])
                        table[m, b, hh, debt, left, 0] = pt
                        table[m, b, hh, debt, left, 1] = max(ft, pt)
    return table


@jit
def gain_of(table, sr, mr, m, benefit, household, debts, disregard_used, dmonths, health):
    """Look up a person's gain from work in the month's gain table."""
    left = int(min(max(dmonths[m] - disregard_used, 0.0), mr.horizon))
    full = 1 if health >= sr.full_capacity_hours else 0
    return table[m, benefit, household, 1 if debts > mr.debt_threshold else 0, left, full]


@jit
def effort_one(sr, gain, st, benefit, health, self_stigma, intrinsic, coached, contract, throughput_goal):
    """Search effort of one person before the obligation floor (-1 for someone who does not search)."""
    non_claimant = st == S.INACTIVE and benefit == S.NO_BENEFIT and health >= sr.exempt_capacity
    if not (st == S.UNEMPLOYED or st == S.PARTICIPATION or st == S.PARALLEL or st == S.BASISBAAN or non_claimant):
        return -1.0
    motivation = 1.0 / (1.0 + np.exp(-(gain + intrinsic) / sr.money_scale))
    capacity = min(max(health / sr.full_capacity_hours, 0.0), 1.0)
    e = sr.base_effort * motivation * (1.0 - sr.why_try * self_stigma) * capacity
    e *= on_the_job_factor(st, contract, throughput_goal, sr.otj_parallel, sr.otj_permanent, sr.otj_temporary,
                           sr.otj_goal)
    if st == S.PARTICIPATION:
        e *= sr.participation_factor
    elif st == S.INACTIVE:
        e *= sr.non_claimant_factor
    if coached:
        e += sr.coaching_boost
    return min(max(e, 0.0), 1.0)


@jit
def _effort_of(table, sr, mr, people, pol, i):
    """Search effort of person `i` (a row of `people`, the Searchers) before the obligation floor (-1: does not
    search): their gain from work in the month's gain table, then `effort_one`."""
    m = people.municipality[i]
    if people.state[i] == S.BASISBAAN:   # the job looked for, weighed against the basisbaan (abm/money.py)
        now, wage = people.hours[i], pol.basisbaan_wage_share[m]
        gain = money.gain_over_basisbaan(mr, people.household[i], people.debts[i], sr.part_time_hours, now, wage)
        if people.health_hours[i] >= sr.full_capacity_hours:
            gain = max(gain, money.gain_over_basisbaan(mr, people.household[i], people.debts[i], mr.fulltime, now,
                                                       wage))
    else:
        gain = gain_of(table, sr, mr, m, people.benefit[i], people.household[i], people.debts[i],
                       people.disregard_months[i], pol.earnings_disregard_months, people.health_hours[i])
    return effort_one(sr, gain, people.state[i], people.benefit[i], people.health_hours[i], people.self_stigma[i],
                      people.intrinsic[i], people.coached[i], people.contract[i], pol.basisbaan_throughput_goal[m])


# The named structure of the columns `_search` reads (abm/tables.bundle); the policy is `model.policy_arrays`.
# The columns it writes stay plain arguments: numba 0.68 drops writes made through a namedtuple's arrays inside a
# parallel loop (tests/test_kernels.py shows it), so outputs are never passed in a structure.
Searchers = namedtuple("Searchers", "person_id state benefit household debts disregard_months hours health_hours "
                                    "self_stigma intrinsic coached contract municipality")


@jit_parallel
def _search(key, sr, mr, table, people, pol, effort_out, apps_out, sanctioned_out, asks_out):
    """Effort, sanction and number of applications of every person (written to the four outputs); returns the
    total number of applications."""
    total = 0
    for i in prange(people.state.size):
        m = people.municipality[i]
        st = people.state[i]
        sanctioned_out[i] = False
        asks_out[i] = False
        e = _effort_of(table, sr, mr, people, pol, i) if st != S.REGULAR else -1.0
        if e < 0:
            effort_out[i] = 0.0
            apps_out[i] = 0
            continue
        if pol.sanction_regime[m] and people.benefit[i] == S.BIJSTAND and st == S.UNEMPLOYED:
            if e < sr.obligation_floor:
                sanctioned_out[i] = uniform(key, people.person_id[i], 0) < sr.sanction_prob
                e += sr.obligation_effect * (sr.obligation_floor - e)
        effort_out[i] = e
        k = poisson(sr.max_applications * e, key, people.person_id[i], 1)
        apps_out[i] = k
        total += k
        asks_out[i] = e > 0 and uniform(key, people.person_id[i], 2) < sr.referral_prob
    return total


@jit
def _expand(key, person_id, sr, apps, total, state, work_limitation, psych):
    """One entry per application: who sends it, its number among theirs, and whether it goes to the parallel
    pool."""
    seeker = np.empty(total, dtype=np.int64)
    parallel = np.empty(total, dtype=np.bool_)
    index = np.empty(total, dtype=np.int64)
    k = 0
    for i in range(apps.size):
        pref = sr.parallel_base + sr.parallel_limitation * work_limitation[i] + sr.parallel_psych * psych[i]
        for j in range(apps[i]):
            seeker[k] = i
            index[k] = j
            parallel[k] = state[i] != S.PARALLEL and uniform(key, person_id[i], FIRST_APP_DRAW + j) < pref
            k += 1
    return seeker, parallel, index


def _table(model, sr, mr):
    pa = model.policy_arrays   # the policy as arrays by municipality, built once per policy change
    return gain_table(sr, mr, pa.earnings_disregard_share, pa.earnings_disregard_cap, pa.earnings_disregard_months)


def searchers(model) -> np.ndarray:
    """Rows of people who may search: out of work and able (non-claimants too), or in subsidised work."""
    return np.flatnonzero(effort(model, np.arange(model.s.n))[0] >= 0)


def effort(model, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Search effort of `rows` before the obligation floor (-1: does not search), and who is obliged."""
    s = model.s
    sr, mr = rule(model), money.rule(model)
    pol = model.policy_arrays
    out = _effort_many(sr, mr, _table(model, sr, mr), np.asarray(rows, dtype=np.int64), bundle(Searchers, s), pol)
    obliged = pol.sanction_regime[s.municipality[rows]] & (s.benefit[rows] == S.BIJSTAND) \
        & (s.state[rows] == S.UNEMPLOYED)
    return out, obliged


@jit
def _effort_many(sr, mr, table, rows, people, pol):
    """`_search`'s effort of the people at `rows`, before the obligation floor (-1: does not search)."""
    out = np.empty(rows.size, dtype=np.float32)
    for k in range(rows.size):
        out[k] = _effort_of(table, sr, mr, people, pol, rows[k])
    return out


def step(model, month: Month) -> None:
    """Effort, sanctions and applications of everybody this month (handed to hiring in `month`)."""
    month.applications = applications(model)


def applications(model) -> Applications:
    """Effort, sanctions and applications of everybody this month."""
    s = model.s
    key = model.key("search")
    sr, mr = rule(model), money.rule(model)
    asks = model.scratch_bool
    total = _search(key, sr, mr, _table(model, sr, mr), bundle(Searchers, s), model.policy_arrays,
                    s.search_effort, s.applications, s.sanctioned, asks)
    seeker, parallel, index = _expand(key, s.person_id, sr, s.applications, total, s.state, s.work_limitation,
                                      s.psych)
    # referrals: a random tie who works in a regular job points to their employer
    asks_mask = asks
    asks = np.flatnonzero(asks_mask)
    asks_mask[asks] = False  # the scratch array is shared: leave it all False
    tie = model.social.random_tie(asks, uniforms(key, s.person_id[asks], 3))
    ok = tie >= 0
    asks, tie = asks[ok], tie[ok]
    works = (s.state[tie] == S.REGULAR) & (s.employer[tie] >= 0)
    return Applications(seeker, parallel, index, asks[works], s.employer[tie[works]].astype(np.int64))


def refusal_cost(model, rows: np.ndarray, voluntary: str | None = None) -> np.ndarray:
    """What refusing a place costs each person, EUR a month: `refusal_pressure` for an unemployed bijstand
    recipient in a municipality under a sanction regime (refusing work risks a sanction), else 0; also 0 where
    the place is voluntary (`voluntary`: the programme's policy switch, e.g. "parallel_voluntary")."""
    s, pol = model.s, model.muni_policy
    m = s.municipality[rows]
    pressure = pol["sanction_regime"][m] & (s.benefit[rows] == S.BIJSTAND) & (s.state[rows] == S.UNEMPLOYED)
    if voluntary is not None:
        pressure = pressure & ~pol[voluntary][m].astype(bool)
    return model.p.search.refusal_pressure * pressure


MECHANISM = Mechanism("search", doc=__doc__, params=SearchParams, columns=COLUMNS, step=step)
