"""Employer risk aversion: sick pay, dismissal protection and the hedge of a flexible contract (BRIEF.md §2.3).

Rule. An applicant's expected drop-out risk rises when the job's hours exceed what their health can carry,
and with a psychological vulnerability or a work limitation. The hiring score loses
`weight × risk_aversion[employer] × risk × exposure × (1 - flex_hedge if temporary)`, where exposure is the
share of sick pay the employer carries: two years of continued pay in the Netherlands, lowered by the
no-risk policy (UWV pays sick pay) for people in the doelgroepregister. Risk-averse employers offer temporary
contracts more often, and more often to people they see as risky: the flexible contract is the hedge
(Wilthagen & Stolp).
"""

from __future__ import annotations

import numpy as np

from abm.params import Section, param

WS = "Wilthagen & Stolp (BRIEF.md §2.3)"


class RiskParams(Section):
    enabled: bool = param(True, doc="switch: off = employers ignore drop-out risk")
    weight: float = param(0.6, 0, 5, unit="score per unit", doc="weight of the risk premium", source=WS)
    mean_risk_aversion: float = param(0.5, 0, 1, unit="0..1", doc="mean employer risk aversion")
    base_risk: float = param(0.05, 0, 1, unit="0..1", doc="drop-out risk of a healthy applicant")
    overload_risk: float = param(0.8, 0, 5, unit="per share of hours over capacity",
                                 doc="risk from hours above what health can carry")
    psych_risk: float = param(0.15, 0, 1, unit="0..1", doc="extra risk seen with a psychological vulnerability")
    limitation_risk: float = param(0.10, 0, 1, unit="0..1", doc="extra risk seen with a work limitation")
    no_risk_exposure: float = param(0.2, 0, 1, unit="share",
                                    doc="share of sick-pay risk left to the employer under the no-risk policy",
                                    source="BRIEF.md §2.3 (no-riskpolis)")
    flex_hedge: float = param(0.6, 0, 1, unit="share", doc="share of the risk a temporary contract removes",
                              source=WS)
    flex_base: float = param(0.25, 0, 1, unit="probability", doc="temporary contract for a low-risk hire",
                             source="BRIEF.md §1 (22% flexible; 36% without a permanent contract)")
    flex_risk_slope: float = param(0.8, 0, 5, unit="per unit of risk x aversion",
                                   doc="rise of the temporary-contract chance with risk")
    flex_migrant: float = param(0.17, 0, 1, unit="probability",
                                doc="extra chance of a temporary contract with a migration background",
                                source="BRIEF.md §1 (permanent: 57.8% vs 75.1%)")
    sick_base: float = param(0.035, 0, 1, unit="share of hours", doc="sick leave of a worker within capacity")
    sick_overload: float = param(0.25, 0, 5, unit="per share of hours over capacity",
                                 doc="extra sick leave from hours above capacity")


def applicant_risk(model, seekers: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Expected drop-out risk of each applicant for a job of `hours` a week."""
    p, s = model.p.risk, model.s
    over = np.maximum(hours - s.health_hours[seekers], 0) / np.maximum(hours, 1)
    r = p.base_risk + p.overload_risk * over + p.psych_risk * s.psych[seekers] \
        + p.limitation_risk * s.work_limitation[seekers]
    return np.clip(r, 0, 1)


def temporary_offer(model, seekers, employers, risk, u) -> np.ndarray:
    """Whether the employer offers a temporary contract (the hedge), drawn with uniform numbers `u`."""
    p = model.p.risk
    prob = p.flex_base + p.flex_risk_slope * model.e.risk_aversion[employers] * risk \
        + p.flex_migrant * model.s.migrant[seekers]
    return u < np.clip(prob, 0, 0.95)


def premium(model, seekers, employers, risk, temporary) -> np.ndarray:
    """Risk premium subtracted from the hiring score."""
    p = model.p.risk
    if not p.enabled:
        return np.zeros(seekers.shape, dtype=np.float32)
    covered = model.muni_policy["no_risk_policy"][model.e.municipality[employers]] & model.s.in_register[seekers]
    exposure = np.where(covered, p.no_risk_exposure, 1.0)
    hedge = np.where(temporary, 1 - p.flex_hedge, 1.0)
    return p.weight * model.e.risk_aversion[employers] * risk * exposure * hedge


def sick_share(model, rows: np.ndarray) -> np.ndarray:
    """Share of contract hours lost to sick leave for workers in `rows`."""
    p, s = model.p.risk, model.s
    over = np.maximum(s.hours[rows] - s.health_hours[rows], 0) / np.maximum(s.hours[rows], 1)
    return np.clip(p.sick_base + p.sick_overload * over, 0, 1)
