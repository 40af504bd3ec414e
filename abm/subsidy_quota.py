"""Wage-cost subsidy and the quota (BRIEF.md §2.3, §2.4).

Rule. Loonkostensubsidie (LKS) pays an employer the gap between a worker's loonwaarde and the minimum wage,
at most 70% of WML, for people with a work limitation or in the doelgroepregister. In the hiring score the
productivity term uses min(loonwaarde + subsidy, 1) for employers who take the subsidy (each firm has an
uptake probability: administrative burden and knowledge). When the quota levy is enforced, an employer with
25+ staff below its quota gains a bonus for a candidate from the register - and only from the register, which
is the side effect the brief names: people with a limitation outside the register gain nothing.
"""

from __future__ import annotations

import numpy as np

from abm.params import Section, param


class SubsidyQuotaParams(Section):
    enabled: bool = param(True, doc="switch: off = no wage-cost subsidy and no quota incentive")
    quota_min_size: int = param(25, 1, 10_000, unit="employees", doc="firm size from which the quota applies",
                                source="BRIEF.md §2.4")
    quota_score_per_5000: float = param(0.25, 0, 5, unit="score per EUR 5,000 levy",
                                        doc="hiring-score bonus a levy of EUR 5,000 buys")
    employer_charges: float = param(0.25, 0, 1, unit="share of gross wage",
                                    doc="employer social charges on top of the gross wage")


def subsidy_share(model, seekers: np.ndarray, employers: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Subsidy as a share of WML for each application (0 where not eligible or not taken up)."""
    s, e = model.s, model.e
    if not model.p.subsidy_quota.enabled:
        return np.zeros(seekers.shape, dtype=np.float32)
    pol = model.muni_policy
    muni = e.municipality[employers]
    eligible = pol["lks_enabled"][muni] & (s.work_limitation[seekers] | s.in_register[seekers]) \
        & (s.skill[seekers] < 1.0)
    takes = eligible & (u < e.subsidy_uptake[employers])
    gap = np.minimum(1.0 - s.skill[seekers], pol["lks_max_share"][muni])
    return np.where(takes, gap, 0.0).astype(np.float32)


def quota_bonus(model, seekers: np.ndarray, employers: np.ndarray) -> np.ndarray:
    """Hiring-score bonus for register candidates at firms below their enforced quota."""
    p, s, e = model.p.subsidy_quota, model.s, model.e
    if not p.enabled:
        return np.zeros(seekers.shape, dtype=np.float32)
    pol = model.muni_policy
    muni = e.municipality[employers]
    size = e.size[employers]
    below = e.register_employees[employers] < pol["quota_rate"][muni] * size
    applies = pol["quota_enforced"][muni] & (size >= p.quota_min_size) & below & s.in_register[seekers]
    return np.where(applies, p.quota_score_per_5000 * pol["quota_levy"][muni] / 5000.0, 0.0)


def levies_due(model) -> np.ndarray:
    """Quota levy owed this month per municipality (EUR, agents' scale), for the treasury's account."""
    p, e = model.p.subsidy_quota, model.e
    pol = model.muni_policy
    muni = e.municipality
    covered = pol["quota_enforced"][muni] & (e.size >= p.quota_min_size)
    shortfall = np.maximum(pol["quota_rate"][muni] * e.size - e.register_employees, 0) * covered
    return np.bincount(muni, weights=shortfall * pol["quota_levy"][muni] / 12.0, minlength=model.n_munis)
