"""Wage-cost subsidy and the quota (docs/evidence.md E23, E25-E31).

Rule. Loonkostensubsidie (LKS) pays an employer the gap between a worker's loonwaarde and the minimum wage,
at most 70% of WML, for people with a work limitation or in the doelgroepregister. In the hiring score the
productivity term uses min(loonwaarde + subsidy, 1.05) for employers who take the subsidy (each firm has an
uptake probability: administrative burden and knowledge). An employer with 25+ staff below its quota gains a
bonus for a candidate from the register - and only from the register, which is the side effect the evidence
names (E31): people with a limitation outside the register gain nothing. The side effect is there today, with the
levy suspended (E30-E31): employers act on the threatened quota. So the bonus is the levy's when it is enforced,
and `threatened_share` of it when it is only threatened (no levy is then due).
"""

from __future__ import annotations

import numpy as np

from abm.jit import jit
from abm.mechanism import Column, Mechanism
from abm.params import Section, param

# The employer columns this mechanism owns (abm/mechanism.py).
EMPLOYER_COLUMNS = {
    "subsidy_uptake": Column("float32", 0.5, "probability the firm uses a wage-cost subsidy when it may"),
}


class SubsidyQuotaParams(Section):
    enabled: bool = param(True, doc="switch: off = no wage-cost subsidy and no quota incentive")
    quota_min_size: int = param(25, 1, 10_000, unit="employees", doc="firm size from which the quota applies",
                                source="docs/evidence.md E28 (quota levy for 25+ staff)")
    quota_score_per_5000: float = param(0.25, 0, 5, unit="score per EUR 5,000 levy",
                                        doc="hiring-score bonus a levy of EUR 5,000 buys")
    threatened_share: float = param(0.3, 0, 1, unit="share of the enforced bonus",
                                    doc="how strongly employers act on a quota that is threatened but not enforced",
                                    source="assumption; direction: docs/evidence.md E30-E31 (register-only hiring "
                                           "while the levy is suspended)")
    employer_charges: float = param(0.25, 0, 1, unit="share of gross wage",
                                    doc="employer social charges on top of the gross wage")


@jit
def subsidy_one(enabled, lks_enabled, lks_max, limitation, register, skill, uptake, u):
    """Wage-cost subsidy as a share of WML for one application (0 if not eligible or not taken up)."""
    if not (enabled and lks_enabled and (limitation or register) and skill < 1.0 and u < uptake):
        return 0.0
    return min(1.0 - skill, lks_max)


@jit
def quota_one(score_per_5000, min_size, enforced, threatened, levy, rate, size, register_employees, in_register):
    """Hiring-score bonus for a register candidate at a firm of `size` below its quota: the levy's bonus when the
    levy is enforced, `threatened` times it when it is not."""
    if in_register and size >= min_size and register_employees < rate * size:
        return score_per_5000 * levy / 5000.0 * (1.0 if enforced else threatened)
    return 0.0


def max_quota_bonus(model) -> float:
    """The largest quota bonus any application can get this month (the threatened share where the levy is not
    enforced)."""
    p = model.p.subsidy_quota
    if not p.enabled:
        return 0.0
    pol = model.muni_policy
    bonus = p.quota_score_per_5000 * pol["quota_levy"] / 5000.0 * np.where(pol["quota_enforced"], 1.0,
                                                                           p.threatened_share)
    return float(bonus.max(initial=0.0))


def levies_due(model) -> np.ndarray:
    """Quota levy owed this month per municipality (EUR, agents' scale), for the treasury's account."""
    p, e = model.p.subsidy_quota, model.e
    pol = model.muni_policy
    muni = e.municipality
    covered = pol["quota_enforced"][muni] & (e.size >= p.quota_min_size)
    shortfall = np.maximum(pol["quota_rate"][muni] * e.size - e.register_employees, 0) * covered
    return np.bincount(muni, weights=shortfall * pol["quota_levy"][muni] / 12.0, minlength=model.n_munis)


# A rule used inside other mechanisms' steps (no step of its own): its parameters and columns.
MECHANISM = Mechanism("subsidy_quota", doc=__doc__, params=SubsidyQuotaParams, employer_columns=EMPLOYER_COLUMNS)
