"""Who pays and who gains: a double-entry ledger of the month's money, booked to the parties that carry it
(docs/evidence.md E76: the costs fall on the municipality, the benefits on others — the split-incentive problem).

Rule. Every booking has a payer and a payee, so every euro is booked twice and the parties' nets plus the two
non-parties add up to zero. Parties: the municipality, the national treasury (taxes, premiums, UWV benefits,
quota levies), employers (regular firms and parallel organisations), health insurers, housing corporations,
neighbourhood organisations, and the participants (the people in the model). Non-parties: `outside` (staff, coaches and
care providers paid, costs of going to work) and `value` (what work creates: production valued at loonwaarde ×
wage cost). Bookings each month:
- bijstand: municipality → participants (net benefit) and → treasury (the rest of its cost);
- WW and disability benefits: treasury → participants;
- wages in regular and parallel work: employers → participants (net) and → treasury (taxes, premiums,
  employer charges); production: value → employers; wage-cost subsidy: municipality → employers; parallel
  funding: municipality → employers (borrowing firms pay the secondment share among themselves); sick pay of
  register workers under the no-risk policy: treasury (UWV) → employers; quota levies: employers → treasury;
- basisbaan, line by line (`basisbaan_lines`): the gross wage cost (wage and employer charges) → participants
  (net wage) and → treasury (the rest), paid by the programme's funder (the municipality, or the treasury for a
  national scheme: `policy.basisbaan_funder`) less the co-funding, which housing corporations, neighbourhood
  organisations and employers pay in their parts; guidance by external and by municipal coaches and the
  project costs (set-up, management, evaluation): funder → outside. The benefit no longer paid is no booking
  (it is absent from the bijstand bookings) but a line of the programme's account per party
  (`programme_costs`);
- coaching staff and participation places: municipality → outside; a participation allowance: neighbourhood
  (partners) and municipality → participants;
- health care: insurers → outside, a cost that falls with wellbeing and with work;
- going to work: participants → outside.
The liveability value of basisbaan work for the neighbourhood is an assumption (`accounts.liveability_value_hour`)
and no cash: it is reported beside the accounts (`liveability_value`), never booked to a party.
The municipality's payments equal `municipal_spend` of the metrics, and what it receives is
`municipal_receipts`, so `municipal_net_cost` = spend - receipts = minus the municipality's net account
(tests check both every month). The parties' programme accounts add up to what the programme pays outside
(guidance and project costs): wages and benefits only move money between parties.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from abm import basisbaan, coaching, subsidy_quota
from abm import states as S
from abm.jit import CHUNKS, chunk_bounds, jit, jit_parallel, prange
from abm.mechanism import Mechanism, Month
from abm.norms import COST_REFERENCE_HOURS, GUIDANCE_FIRST_MONTHS, SANCTION_KEEP, WEEKS_PER_MONTH
from abm.params import Section, param
from abm.tables import bundle

PARTIES = ("municipality", "treasury", "employers", "insurers", "housing", "neighbourhood", "participants")
NON_PARTIES = ("outside", "value")
ACCOUNT_COLUMNS = tuple(f"account_{p}_net" for p in PARTIES) + ("value_created",)

# quantities summed over people by the kernel
(Q_BIJ_COST, Q_BIJ_NET, Q_OTHER_BENEFIT, Q_WAGE_NET, Q_WAGE_TAX, Q_PRODUCTION, Q_SICK_UWV, Q_BB_NET, Q_BB_TAX,
 Q_BB_FTE, Q_GUIDANCE, Q_LIVEABILITY, Q_PARALLEL_FUNDING, Q_PART_COST, Q_ALLOW_MUNI, Q_ALLOW_PARTNER, Q_CARE,
 Q_WORK_COSTS, Q_LKS, Q_SAVINGS, Q_SAVINGS_BB, Q_SAVINGS_BB_NET, Q_BB_PROJECT) = range(23)
N_Q = 23
# the funder of a programme (policy.basisbaan_funder) -> its party in the ledger
FUNDERS = {"municipality": "municipality", "national": "treasury"}
# who co-funds a basisbaan (policy.basisbaan_cofunding_*_part; neighbourhood organisations pay the rest)
COFUNDERS = ("housing", "neighbourhood", "employers")


class AccountParams(Section):
    liveability_value_hour: float = param(
        15.0, 0, 500, unit="EUR per hour worked",
        doc="assumed value for the neighbourhood of an hour of basisbaan work (litter picking, hosting, meals): "
            "no cash, reported beside the accounts (liveability_value), never in a party's account; a plausible "
            "range is EUR 0-15 an hour",
        source="assumption; docs/evidence.md E77 (Ecorys 2020): the MKBA found social benefits at least equal to "
               "costs, not this value")
    care_cost_month: float = param(250.0, 0, 5000, unit="EUR/person/month",
                                   doc="health-care cost of a person at average wellbeing (3), out of work")
    care_wellbeing_slope: float = param(0.25, 0, 2, unit="share per index point",
                                        doc="fall of care costs per point of wellbeing above 3",
                                        source="assumption; docs/evidence.md E40 (work and wellbeing lower care use)")
    care_work_reduction: float = param(0.05, 0, 1, unit="share", doc="lower care costs of people in paid work")


# The named structures the money kernel takes (abm/tables.bundle): the people's columns it reads and the month's
# scalar rules; the policy is `model.policy_arrays`.
MoneyPeople = namedtuple("MoneyPeople", "state benefit household hours sanctioned skill wellbeing health_hours "
                                        "in_register uses_subsidy municipality disregard_months basisbaan_start "
                                        "left_bijstand_for_work")
MoneyRule = namedtuple("MoneyRule", "n_munis cost_single cost_couple norm_single norm_couple other wml_net wml_gross "
                                    "fulltime charges month liveability_hour care_base care_slope care_work sick_base "
                                    "sick_overload work_costs")


@jit_parallel
def _quantities(people, r, pol):
    """`_quantities_range` over fixed chunks, summed in chunk order (the same for any number of threads)."""
    bounds = chunk_bounds(people.state.size, CHUNKS)
    first = _quantities_range(people, r, pol, bounds[0], bounds[1])
    parts = np.zeros((CHUNKS,) + first.shape)
    parts[0] = first
    for c in prange(1, CHUNKS):
        parts[c] = _quantities_range(people, r, pol, bounds[c], bounds[c + 1])
    total = parts[0].copy()
    for c in range(1, CHUNKS):
        total += parts[c]
    return total


@jit
def _quantities_range(people, r, pol, lo, hi):
    """The month's money of people lo..hi-1, per quantity (Q_*) and municipality: the one money kernel, read by
    the municipality's accounting (abm/accounting.py) and by the ledger (bookings)."""
    state, benefit, household, hours, sanctioned = people.state, people.benefit, people.household, people.hours, \
        people.sanctioned
    skill, wellbeing, health, in_register, uses_subsidy = people.skill, people.wellbeing, people.health_hours, \
        people.in_register, people.uses_subsidy
    municipality, disregard_used, basisbaan_start, left_for_work = people.municipality, people.disregard_months, \
        people.basisbaan_start, people.left_bijstand_for_work
    cost_single, cost_couple, norm_single, norm_couple, other = r.cost_single, r.cost_couple, r.norm_single, \
        r.norm_couple, r.other
    wml_net, wml_gross, fulltime, charges, month = r.wml_net, r.wml_gross, r.fulltime, r.charges, r.month
    liveability_hour, care_base, care_slope, care_work = r.liveability_hour, r.care_base, r.care_slope, r.care_work
    sick_base, sick_overload, work_costs = r.sick_base, r.sick_overload, r.work_costs
    d_share, d_cap, d_months = pol.earnings_disregard_share, pol.earnings_disregard_cap, pol.earnings_disregard_months
    lks_max, no_risk = pol.lks_max_share, pol.no_risk_policy
    bb_cost_year, bb_wage_share = pol.basisbaan_employer_cost_year, pol.basisbaan_wage_share
    guidance_first, guidance_later = pol.basisbaan_guidance_first, pol.basisbaan_guidance_later
    guidance_hourly = pol.basisbaan_guidance_hourly_cost
    parallel_funding, borrower_share = pol.parallel_funding_month, pol.parallel_borrower_share
    part_cost, allowance = pol.participation_cost_month, pol.participation_allowance
    partner_share = pol.participation_allowance_partner_share
    q = np.zeros((N_Q, r.n_munis))
    for i in range(lo, hi):
        m = municipality[i]
        st = state[i]
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        earnings = wml_net * hours[i] / fulltime
        if benefit[i] == S.BIJSTAND:
            single = household[i] == S.SINGLE
            norm = norm_single if single else norm_couple
            disregard = min(d_share[m] * earnings, d_cap[m]) if disregard_used[i] < d_months[m] else 0.0
            share = min(max(1.0 - (earnings - disregard) / norm, 0.0), 1.0)
            if paid:  # for reading: the part of the benefit that earnings offset is not paid
                saved = (cost_single if single else cost_couple) * (1.0 - share)
                q[Q_SAVINGS, m] += saved
                if st == S.BASISBAAN:
                    q[Q_SAVINGS_BB, m] += saved
                    q[Q_SAVINGS_BB_NET, m] += norm * (1.0 - share)
            if sanctioned[i]:
                share *= SANCTION_KEEP
            q[Q_BIJ_COST, m] += (cost_single if single else cost_couple) * share
            q[Q_BIJ_NET, m] += norm * share
        elif benefit[i] == S.WW:
            q[Q_OTHER_BENEFIT, m] += max(other - 0.7 * earnings, 0.0)
        elif benefit[i] == S.DISABILITY:
            q[Q_OTHER_BENEFIT, m] += other * (0.5 if paid else 1.0)
        if st == S.REGULAR or st == S.PARALLEL:
            gross = wml_gross * hours[i] / fulltime
            q[Q_WAGE_NET, m] += earnings
            q[Q_WAGE_TAX, m] += gross * (1.0 + charges) - earnings
            q[Q_PRODUCTION, m] += min(skill[i], 1.3) * gross * (1.0 + charges)
            over = max(hours[i] - health[i], 0.0) / max(hours[i], 1.0)
            if st == S.REGULAR and in_register[i] and no_risk[m]:
                q[Q_SICK_UWV, m] += min(sick_base + sick_overload * over, 1.0) * gross * (1.0 + charges)
            if st == S.REGULAR and uses_subsidy[i]:
                q[Q_LKS, m] += min(max(1.0 - skill[i], 0.0), lks_max[m]) * gross * (1.0 + charges)
            if st == S.PARALLEL:
                q[Q_PARALLEL_FUNDING, m] += parallel_funding[m] * (1.0 - borrower_share[m])
        elif st == S.BASISBAAN:
            cost = bb_cost_year[m] / 12.0 * hours[i] / COST_REFERENCE_HOURS * bb_wage_share[m]
            net = earnings * bb_wage_share[m]
            q[Q_BB_NET, m] += net
            q[Q_BB_TAX, m] += cost - net
            q[Q_BB_FTE, m] += hours[i] / fulltime
            g = guidance_first[m] if month - basisbaan_start[i] < GUIDANCE_FIRST_MONTHS else guidance_later[m]
            q[Q_GUIDANCE, m] += g * hours[i] * WEEKS_PER_MONTH * guidance_hourly[m]
            over = max(hours[i] - health[i], 0.0) / max(hours[i], 1.0)
            worked = hours[i] * WEEKS_PER_MONTH * (1.0 - min(sick_base + sick_overload * over, 1.0))
            q[Q_LIVEABILITY, m] += worked * liveability_hour
        elif st == S.PARTICIPATION:
            q[Q_PART_COST, m] += part_cost[m]
            q[Q_ALLOW_MUNI, m] += allowance[m] * (1.0 - partner_share[m])
            q[Q_ALLOW_PARTNER, m] += allowance[m] * partner_share[m]
        if paid:
            q[Q_WORK_COSTS, m] += work_costs
        care = care_base * (1.0 - care_slope * (wellbeing[i] - 3.0)) * (1.0 - care_work if paid else 1.0)
        q[Q_CARE, m] += max(care, 0.0)
        if paid and left_for_work[i]:  # for reading: the whole benefit of someone who left bijstand for work
            single = household[i] == S.SINGLE
            full = cost_single if single else cost_couple
            q[Q_SAVINGS, m] += full
            if st == S.BASISBAAN:
                q[Q_SAVINGS_BB, m] += full
                q[Q_SAVINGS_BB_NET, m] += norm_single if single else norm_couple
    return q


def quantities(model) -> np.ndarray:
    """The month's money per quantity (Q_*) and municipality, agents' scale, EUR: the one money kernel (the
    people's money from `_quantities`; the programmes' project costs, which belong to no person, added here)."""
    s, pa, econ, mp = model.s, model.policy_arrays, model.p.economy, model.p.money
    a, risk = model.p.accounts, model.p.risk
    single = mp.benefit_cost_single_year / 12.0
    rule = MoneyRule(model.n_munis, single, single * mp.couple_cost_factor, mp.bijstand_net_single,
                     mp.bijstand_net_couple, mp.other_benefit_share * econ.wml_net_month, econ.wml_net_month,
                     econ.wml_month, econ.fulltime_hours, model.p.subsidy_quota.employer_charges, model.month,
                     a.liveability_value_hour, a.care_cost_month, a.care_wellbeing_slope, a.care_work_reduction,
                     risk.sick_base, risk.sick_overload, mp.work_costs)
    q = _quantities(bundle(MoneyPeople, s), rule, pa)
    places = basisbaan.total_slots(model) / model.scale
    q[Q_BB_PROJECT] = np.where(basisbaan.running(model), pa.basisbaan_project_cost_year / 12.0 * places, 0.0)
    return q


def basisbaan_lines(model, q: np.ndarray) -> list[tuple[str, str, str, np.ndarray]]:
    """The basisbaan programme's cost lines as bookings (item, payer, payee, EUR per municipality at the agents'
    scale), from the money kernel's quantities `q`: the gross wage cost (net wage to the participants, the rest
    to the treasury) paid by the funder less the co-funding, which each co-funder pays in its part; guidance by
    external and by municipal coaches and the project costs, paid by the funder."""
    pol = model.muni_policy
    pa = model.policy_arrays   # the policy as arrays by municipality, built once per policy change
    cof = pa.basisbaan_cofunding_share
    housing, employers = pa.basisbaan_cofunding_housing_part, pa.basisbaan_cofunding_employers_part
    parts = {"housing": housing, "neighbourhood": 1.0 - housing - employers, "employers": employers}
    external = pa.basisbaan_guidance_external_share
    rows = []
    for funder, party in FUNDERS.items():
        own = (pol["basisbaan_funder"] == funder).astype(np.float64)
        rows += [("basisbaan_wages", party, "participants", q[Q_BB_NET] * (1.0 - cof) * own),
                 ("basisbaan_wages", party, "treasury", q[Q_BB_TAX] * (1.0 - cof) * own),
                 ("basisbaan_guidance_external", party, "outside", q[Q_GUIDANCE] * external * own),
                 ("basisbaan_guidance_municipal", party, "outside", q[Q_GUIDANCE] * (1.0 - external) * own),
                 ("basisbaan_project", party, "outside", q[Q_BB_PROJECT] * own)]
    for party in COFUNDERS:
        rows += [("basisbaan_cofunding", party, "participants", q[Q_BB_NET] * cof * parts[party]),
                 ("basisbaan_cofunding", party, "treasury", q[Q_BB_TAX] * cof * parts[party])]
    return rows


def programme_costs(model, q: np.ndarray) -> dict[str, np.ndarray]:
    """Each party's net cost of the basisbaan programme (EUR per municipality at the agents' scale): what it pays
    on the programme's lines (`basisbaan_lines`), minus what it receives from them, minus what it no longer pays
    or plus what it no longer receives because the participants' benefit falls away (the municipality no longer
    pays it, the participants no longer get the net benefit, the treasury no longer gets the rest). The parties'
    costs add up to what the programme pays outside: guidance and project costs."""
    out = {party: np.zeros(model.n_munis) for party in PARTIES}
    for _item, payer, payee, amount in basisbaan_lines(model, q):
        if payer in out:
            out[payer] += amount
        if payee in out:
            out[payee] -= amount
    out["municipality"] -= q[Q_SAVINGS_BB]
    out["participants"] += q[Q_SAVINGS_BB_NET]
    out["treasury"] += q[Q_SAVINGS_BB] - q[Q_SAVINGS_BB_NET]
    return out


def programme_net_cost(model, q: np.ndarray) -> np.ndarray:
    """The basisbaan programme's net cost (EUR per municipality at the agents' scale): all its cost lines, whoever
    pays them (gross wage cost, guidance, project costs), minus the benefit no longer paid. Groningen's EUR 19,000
    per basisbaan a year (docs/evidence.md E70); co-funding moves cost between parties and does not change it."""
    return sum(amount for _item, _payer, _payee, amount in basisbaan_lines(model, q)) - q[Q_SAVINGS_BB]


def bookings(model, per_municipality: np.ndarray | None = None) -> list[tuple[str, str, str, float]]:
    """This month's bookings (item, payer, payee, EUR at the agents' scale), from the month's `quantities`
    (computed here if not given)."""
    if per_municipality is None:
        per_municipality = quantities(model)
    coaching_cost = float(coaching.manager_cost(model).sum()) if model.p.coaching.enabled else 0.0
    levies = float(subsidy_quota.levies_due(model).sum())
    programme = [(item, payer, payee, float(amount.sum()))
                 for item, payer, payee, amount in basisbaan_lines(model, per_municipality)]
    return _booking_rows(per_municipality.sum(axis=1), coaching_cost, levies, programme)


def bookings_by_municipality(model, per_municipality: np.ndarray | None = None,
                             ) -> list[tuple[str, str, str, np.ndarray]]:
    """The same bookings as `bookings`, each amount an array over the municipalities (the municipality whose
    people, firms or programme the money concerns); summed over them they are `bookings`' amounts."""
    if per_municipality is None:
        per_municipality = quantities(model)
    coaching_cost = coaching.manager_cost(model) if model.p.coaching.enabled else np.zeros(model.n_munis)
    return _booking_rows(per_municipality, coaching_cost, subsidy_quota.levies_due(model),
                         basisbaan_lines(model, per_municipality))


def _booking_rows(q, coaching_cost, levies, programme) -> list[tuple[str, str, str, Any]]:
    """The ledger's bookings (the module docstring) from the quantities `q` (indexed by Q_*), the client managers'
    cost, the quota levies and the basisbaan programme's lines (`basisbaan_lines`): regional totals or arrays per
    municipality alike."""
    return [
        ("bijstand", "municipality", "participants", q[Q_BIJ_NET]),
        ("bijstand", "municipality", "treasury", q[Q_BIJ_COST] - q[Q_BIJ_NET]),
        ("ww_disability_benefits", "treasury", "participants", q[Q_OTHER_BENEFIT]),
        ("wages", "employers", "participants", q[Q_WAGE_NET]),
        ("wages", "employers", "treasury", q[Q_WAGE_TAX]),
        ("production", "value", "employers", q[Q_PRODUCTION]),
        ("wage_cost_subsidy", "municipality", "employers", q[Q_LKS]),
        ("parallel_funding", "municipality", "employers", q[Q_PARALLEL_FUNDING]),
        ("no_risk_sick_pay", "treasury", "employers", q[Q_SICK_UWV]),
        ("quota_levies", "employers", "treasury", levies),
        *programme,
        ("coaching", "municipality", "outside", coaching_cost),
        ("participation_places", "municipality", "outside", q[Q_PART_COST]),
        ("participation_allowance", "municipality", "participants", q[Q_ALLOW_MUNI]),
        ("participation_allowance", "neighbourhood", "participants", q[Q_ALLOW_PARTNER]),
        ("health_care", "insurers", "outside", q[Q_CARE]),
        ("work_costs", "participants", "outside", q[Q_WORK_COSTS]),
    ]


def nets(rows: list[tuple[str, str, str, float]]) -> dict[str, float]:
    """Net position (received - paid) of every party and non-party."""
    out = {name: 0.0 for name in PARTIES + NON_PARTIES}
    for _item, payer, payee, amount in rows:
        out[payer] -= amount
        out[payee] += amount
    return out


class Ledger:
    """Keeps the monthly bookings (at people's scale) for the run's `ledger()` table."""

    def __init__(self):
        self.rows: list[tuple[int, str, str, str, float]] = []

    def book(self, month: int, rows: list[tuple[str, str, str, float]], scale: float) -> dict[str, float]:
        scaled = [(item, payer, payee, amount * scale) for item, payer, payee, amount in rows]
        self.rows.extend((month, *r) for r in scaled)
        net = nets(scaled)
        out = {f"account_{p}_net": net[p] for p in PARTIES}
        out["value_created"] = -net["value"]
        out["municipal_receipts"] = sum(amount for _item, _payer, payee, amount in scaled if payee == "municipality")
        return out

    def frame(self):
        import pandas as pd
        return pd.DataFrame(self.rows, columns=["month", "item", "payer", "payee", "amount"])


def step(model, month: Month) -> None:
    """Book the month's money to the parties that pay and receive it."""
    model.accounts_now = model.ledger.book(model.month, bookings(model, month.money.get("quantities")), model.scale)


MECHANISM = Mechanism("accounts", doc=__doc__, params=AccountParams, step=step)
