"""Monthly metrics (ARCHITECTURE.md §Metrics, contract) and their extras.

Every count is in people (agents × scale); money in EUR of the scenario's base year. The contract columns
come first, in the contract's order; extras follow. The money figures have one definition each
(docs/model.md §Money figures):
- `municipal_spend`: what the municipalities actually pay out this month;
- `municipal_receipts`: what they receive (from the ledger: co-funding or levies paid to them);
- `municipal_net_cost` = spend - receipts = minus the municipality's account in the ledger;
- `municipal_savings`: benefits that people's work makes unnecessary, a counterfactual for reading only,
  never subtracted from spend (the benefit not paid is already absent from it);
- `basisbaan_programme_net_cost`: the programme's own cost (gross wage cost, guidance, project costs, whoever
  pays them) minus the benefits its participants no longer draw, the figure of the Groningen evaluation; never
  mixed with the above;
- `basisbaan_cost_<party>`: each party's net cost of the basisbaan programme (abm.accounts.programme_costs),
  and `basisbaan_fte` the programme's full-time jobs (hours / full-time hours), their denominator;
- `liveability_value`: the assumed value of basisbaan work for the neighbourhood, no cash, in no account.
Places (abm/acquisition.py, `PLACE_COLUMNS`), per programme: planned (`basisbaan_places`, `parallel_places`),
acquired (available to recruitment), filled (`n_basisbaan`, `parallel_places_filled`) and vacant (acquired -
filled); people, the sum over the municipalities.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm import accounts, acquisition, risk_aversion
from abm import states as S
from abm.accounting import SPEND_COMPONENTS
from abm.accounts import ACCOUNT_COLUMNS, PARTIES
from abm.acquisition import PLACE_COLUMNS
from abm.jit import CHUNKS, chunk_bounds, jit, jit_parallel, prange
from abm.mechanism import Mechanism, Month
from abm.tables import bundle

CONTRACT_COLUMNS = (
    "month", "seekers", "n_unemployed", "n_regular", "n_parallel", "n_basisbaan", "n_participation",
    "n_inactive", "inclusion_rate", "participation_rate", "inclusion_gap", "displaced_regular_jobs",
    "displacement_per_100", "to_regular_from_parallel", "to_regular_from_basisbaan", "throughput_rate",
    "municipal_spend", "municipal_savings", "municipal_net_cost", "mean_self_stigma", "mean_label_stigma",
    "mean_wellbeing", "regular_vacancies",
)
EXTRA_COLUMNS = (
    "n_bijstand", "n_ww", "n_disability", "employment_rate_limitation", "employment_rate_no_limitation",
    "inclusion_rate_register", "inclusion_rate_limitation_outside_register",
    "applications", "offers", "refusals", "hires_regular", "hires_parallel", "hires_with_subsidy",
    "basisbaan_placements", "basisbaan_interviews", "n_part_time_bijstand", "to_fulltime_from_bijstand",
    "mean_search_effort", "mean_health_hours", "basisbaan_sick_leave", "n_coached", "n_sanctioned",
    "tightness", *SPEND_COMPONENTS, "quota_levies", "budget_deficit", "municipal_receipts",
    "municipal_savings_basisbaan", "basisbaan_programme_net_cost",
    *ACCOUNT_COLUMNS, "basisbaan_fte", *(f"basisbaan_cost_{p}" for p in PARTIES), "liveability_value",
    *PLACE_COLUMNS,
)
COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS


def _rate(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else 0.0


# The columns the tally reads, as one named structure (abm/tables.bundle).
TallyPeople = namedtuple("TallyPeople", "state benefit work_limitation in_register self_stigma wellbeing "
                                        "search_effort health_hours coached sanctioned")


@jit_parallel
def _tally(people):
    """The counts and sums of `_tally_range` over fixed chunks (the same for any number of threads)."""
    bounds = chunk_bounds(people.state.size, CHUNKS)
    counts = np.zeros((CHUNKS, 24), dtype=np.int64)
    sums = np.zeros((CHUNKS, 4))
    for c in prange(CHUNKS):
        counts[c], sums[c] = _tally_range(people, bounds[c], bounds[c + 1])
    total = np.zeros(4)
    for c in range(CHUNKS):
        total += sums[c]
    return counts.sum(axis=0), total


@jit
def _tally_range(people, lo, hi):
    """One pass: integer counts (see the unpacking in `compute`) and sums of the mean columns."""
    state, benefit, work_limitation, in_register = people.state, people.benefit, people.work_limitation, \
        people.in_register
    self_stigma, wellbeing, search_effort, health = people.self_stigma, people.wellbeing, people.search_effort, \
        people.health_hours
    coached, sanctioned = people.coached, people.sanctioned
    c = np.zeros(24, dtype=np.int64)
    sums = np.zeros(4)
    for i in range(lo, hi):
        st = state[i]
        c[st] += 1
        paid = st == S.REGULAR or st == S.PARALLEL or st == S.BASISBAAN
        c[6 + benefit[i]] += 1
        if work_limitation[i]:
            c[10] += 1
            c[11] += paid
            if in_register[i]:
                c[12] += 1
                c[13] += paid
            else:
                c[14] += 1
                c[15] += paid
        else:
            c[16] += 1
            c[17] += paid
        if benefit[i] == S.BIJSTAND and paid:
            c[18] += 1
        c[19] += coached[i]
        c[20] += sanctioned[i]
        sums[0] += self_stigma[i]
        sums[1] += wellbeing[i]
        sums[2] += search_effort[i]
        sums[3] += health[i]
    return c, sums


def compute(model, month: Month) -> dict:
    """All metric columns for the month just finished: the contract's, the extras, and those the model's
    mechanisms declare (`Mechanism.metrics`)."""
    flows, money, start_counts = month.counts, month.money, month.start_counts
    s, k = model.s, model.scale
    c, sums = _tally(bundle(TallyPeople, s))
    counts = c[:S.N_STATES]
    ben = c[6:10]
    lim, paid_lim, register, paid_register, outside, paid_outside, nolim, paid_nolim = c[10:18]
    n = s.n
    n_paid = int(counts[S.REGULAR] + counts[S.PARALLEL] + counts[S.BASISBAAN])
    subsidised = counts[S.PARALLEL] + counts[S.BASISBAAN]
    displaced = int(model.displaced.sum())
    log_flows = model.log.flows
    to_reg_par = int(log_flows[S.PARALLEL, S.REGULAR])
    to_reg_bb = int(log_flows[S.BASISBAAN, S.REGULAR])
    start_sub = start_counts[S.PARALLEL] + start_counts[S.BASISBAAN]
    spend = float(money["spend"].sum()) * k
    savings = float(money["savings"].sum()) * k
    receipts = float(model.accounts_now["municipal_receipts"])
    bb_rows = np.flatnonzero(s.state == S.BASISBAAN) if counts[S.BASISBAAN] else np.zeros(0, dtype=np.int64)
    out = {
        "month": model.month,
        "seekers": round(n * k),
        "n_unemployed": round(counts[S.UNEMPLOYED] * k),
        "n_regular": round(counts[S.REGULAR] * k),
        "n_parallel": round(counts[S.PARALLEL] * k),
        "n_basisbaan": round(counts[S.BASISBAAN] * k),
        "n_participation": round(counts[S.PARTICIPATION] * k),
        "n_inactive": round(counts[S.INACTIVE] * k),
        "inclusion_rate": _rate(n_paid, n),
        "participation_rate": _rate(n_paid + counts[S.PARTICIPATION], n),
        "inclusion_gap": _rate(_rate(paid_lim, lim), _rate(paid_nolim, nolim)),
        "displaced_regular_jobs": round(displaced * k),
        "displacement_per_100": 100.0 * _rate(displaced, subsidised),
        "to_regular_from_parallel": round(to_reg_par * k),
        "to_regular_from_basisbaan": round(to_reg_bb * k),
        "throughput_rate": _rate(to_reg_par + to_reg_bb, start_sub),
        "municipal_spend": spend,
        "municipal_savings": savings,
        "municipal_net_cost": spend - receipts,
        "mean_self_stigma": float(sums[0] / n),
        "mean_label_stigma": float(model.mean_perceived_stigma),
        "mean_wellbeing": float(sums[1] / n),
        "regular_vacancies": round(int(model.e.vacancies[model.regular_firm_rows].sum()) * k),
        "n_bijstand": round(ben[S.BIJSTAND] * k),
        "n_ww": round(ben[S.WW] * k),
        "n_disability": round(ben[S.DISABILITY] * k),
        "employment_rate_limitation": _rate(paid_lim, lim),
        "employment_rate_no_limitation": _rate(paid_nolim, nolim),
        "inclusion_rate_register": _rate(paid_register, register),
        "inclusion_rate_limitation_outside_register": _rate(paid_outside, outside),
        "applications": round(flows.get("applications", 0) * k),
        "offers": round(flows.get("offers", 0) * k),
        "refusals": round(flows.get("refusals", 0) * k),
        "hires_regular": round(flows.get("hires_regular", 0) * k),
        "hires_parallel": round(flows.get("hires_parallel", 0) * k),
        "hires_with_subsidy": round(flows.get("hires_with_subsidy", 0) * k),
        "basisbaan_placements": round(flows.get("basisbaan_placements", 0) * k),
        "basisbaan_interviews": round(flows.get("basisbaan_interviews", 0) * k),
        "n_part_time_bijstand": round(int(c[18]) * k),
        "to_fulltime_from_bijstand": round(flows.get("to_fulltime_from_bijstand", 0) * k),
        "mean_search_effort": float(sums[2] / n),
        "mean_health_hours": float(sums[3] / n),
        "basisbaan_sick_leave": float(risk_aversion.sick_share(model, bb_rows).mean()) if bb_rows.size else 0.0,
        "n_coached": round(int(c[19]) * k),
        "n_sanctioned": round(int(c[20]) * k),
        "tightness": float(model.tightness),
        "quota_levies": float(money["quota_levies"].sum()) * k,
        "budget_deficit": float(model.budgets.deficit.sum()) * k,
    }
    out["municipal_receipts"] = receipts
    out["municipal_savings_basisbaan"] = float(money["savings_basisbaan"].sum()) * k
    q = money["quantities"]
    out["basisbaan_programme_net_cost"] = float(accounts.programme_net_cost(model, q).sum()) * k
    for name in SPEND_COMPONENTS:
        out[name] = float(money[name].sum()) * k
    out.update((key, value) for key, value in model.accounts_now.items() if key in ACCOUNT_COLUMNS)
    out["basisbaan_fte"] = float(q[accounts.Q_BB_FTE].sum()) * k
    out.update((f"basisbaan_cost_{party}", float(cost.sum()) * k)
               for party, cost in accounts.programme_costs(model, q).items())
    out["liveability_value"] = float(q[accounts.Q_LIVEABILITY].sum()) * k
    out.update(acquisition.place_columns(model, lambda agents: round(int(agents.sum()) * k)))
    for mechanism in model.mechanisms:
        for name, metric in mechanism.metrics.items():
            out[name] = float(metric.compute(model, month))
    return out


def step(model, month: Month) -> None:
    """Compute the month's metrics and hand them to Mesa's DataCollector."""
    model.current_metrics = compute(model, month)
    model.datacollector.collect(model)


MECHANISM = Mechanism("metrics", doc=__doc__, step=step)
