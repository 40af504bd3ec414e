"""Monthly metrics (ARCHITECTURE.md §Metrics, contract) and their extras.

Every count is in people (agents × scale); money in EUR of the scenario's base year. The contract columns
come first, in the contract's order; extras follow.
"""

from __future__ import annotations

import numpy as np

from abm import employer_stigma, risk_aversion
from abm import states as S
from abm.accounting import SPEND_COMPONENTS

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
    "tightness", *SPEND_COMPONENTS, "quota_levies", "budget_deficit",
)
COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS


def _rate(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else 0.0


def compute(model, flows: dict, money: dict, start_counts: np.ndarray) -> dict:
    """All metric columns for the month just finished."""
    s, k = model.s, model.scale
    counts = np.bincount(s.state, minlength=S.N_STATES)
    n = s.n
    paid = S.is_paid(s.state)
    n_paid = int(paid.sum())
    lim = s.work_limitation
    subsidised = counts[S.PARALLEL] + counts[S.BASISBAAN]
    displaced = int(model.displaced.sum())
    log_flows = model.log.flows
    to_reg_par = int(log_flows[S.PARALLEL, S.REGULAR])
    to_reg_bb = int(log_flows[S.BASISBAAN, S.REGULAR])
    start_sub = start_counts[S.PARALLEL] + start_counts[S.BASISBAAN]
    spend = float(money["spend"].sum()) * k
    savings = float(money["savings"].sum()) * k
    ben = np.bincount(s.benefit, minlength=4)
    register = s.in_register
    outside = lim & ~register
    bb_rows = np.flatnonzero(s.state == S.BASISBAAN)
    bij_paid = (s.benefit == S.BIJSTAND) & paid
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
        "inclusion_gap": _rate(_rate((paid & lim).sum(), lim.sum()), _rate((paid & ~lim).sum(), (~lim).sum())),
        "displaced_regular_jobs": round(displaced * k),
        "displacement_per_100": 100.0 * _rate(displaced, subsidised),
        "to_regular_from_parallel": round(to_reg_par * k),
        "to_regular_from_basisbaan": round(to_reg_bb * k),
        "throughput_rate": _rate(to_reg_par + to_reg_bb, start_sub),
        "municipal_spend": spend,
        "municipal_savings": savings,
        "municipal_net_cost": spend - savings,
        "mean_self_stigma": float(s.self_stigma.mean()),
        "mean_label_stigma": employer_stigma.mean_label_stigma(model),
        "mean_wellbeing": float(s.wellbeing.mean()),
        "regular_vacancies": round(int(model.e.vacancies[model.regular_firm_rows].sum()) * k),
        "n_bijstand": round(ben[S.BIJSTAND] * k),
        "n_ww": round(ben[S.WW] * k),
        "n_disability": round(ben[S.DISABILITY] * k),
        "employment_rate_limitation": _rate((paid & lim).sum(), lim.sum()),
        "employment_rate_no_limitation": _rate((paid & ~lim).sum(), (~lim).sum()),
        "inclusion_rate_register": _rate((paid & register).sum(), register.sum()),
        "inclusion_rate_limitation_outside_register": _rate((paid & outside).sum(), outside.sum()),
        "applications": round(flows.get("applications", 0) * k),
        "offers": round(flows.get("offers", 0) * k),
        "refusals": round(flows.get("refusals", 0) * k),
        "hires_regular": round(flows.get("hires_regular", 0) * k),
        "hires_parallel": round(flows.get("hires_parallel", 0) * k),
        "hires_with_subsidy": round(flows.get("hires_with_subsidy", 0) * k),
        "basisbaan_placements": round(flows.get("basisbaan_placements", 0) * k),
        "basisbaan_interviews": round(flows.get("basisbaan_interviews", 0) * k),
        "n_part_time_bijstand": round(int(bij_paid.sum()) * k),
        "to_fulltime_from_bijstand": round(flows.get("to_fulltime_from_bijstand", 0) * k),
        "mean_search_effort": float(s.search_effort.mean()),
        "mean_health_hours": float(s.health_hours.mean()),
        "basisbaan_sick_leave": float(risk_aversion.sick_share(model, bb_rows).mean()) if bb_rows.size else 0.0,
        "n_coached": round(int(s.coached.sum()) * k),
        "n_sanctioned": round(int(s.sanctioned.sum()) * k),
        "tightness": float(model.tightness),
        "quota_levies": float(money["quota_levies"].sum()) * k,
        "budget_deficit": float(model.budgets.deficit.sum()) * k,
    }
    for name in SPEND_COMPONENTS:
        out[name] = float(money[name].sum()) * k
    return out
