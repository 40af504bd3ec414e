"""Employer risk aversion: sick pay, dismissal protection and the hedge of a flexible contract
(docs/evidence.md E21-E22).

Rule. An applicant's expected drop-out risk rises when the job's hours exceed what their health can carry,
and with a psychological vulnerability or a work limitation. The hiring score loses
`weight × risk_aversion[employer] × risk × exposure × (1 - flex_hedge if temporary)`, where exposure is the
share of sick pay the employer carries: two years of continued pay in the Netherlands, lowered by the
no-risk policy (UWV pays sick pay) for people in the doelgroepregister. Risk-averse employers offer temporary
contracts more often, and more often to people they see as risky: the flexible contract is the hedge
(Wilthagen & Stolp).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from abm.jit import jit
from abm.mechanism import Column, Mechanism
from abm.params import Section, param

# The employer columns this mechanism owns (abm/mechanism.py).
EMPLOYER_COLUMNS = {
    "risk_aversion": Column("float32", 0.5, "weight on expected drop-out and sick-pay risk, 0..1"),
}

WS = "docs/evidence.md E21 (Wilthagen & Stolp)"


class RiskParams(Section):
    enabled: bool = param(True, doc="switch: off = no risk premium in the hiring score (temporary contracts "
                                    "are still offered more to risky hires)")
    weight: float = param(0.6, 0, 5, unit="score per unit", doc="weight of the risk premium", source=WS)
    mean_risk_aversion: float = param(0.5, 0, 1, unit="0..1", doc="mean employer risk aversion")
    base_risk: float = param(0.05, 0, 1, unit="0..1", doc="drop-out risk of a healthy applicant")
    overload_risk: float = param(0.8, 0, 5, unit="per share of hours over capacity",
                                 doc="risk from hours above what health can carry")
    psych_risk: float = param(0.15, 0, 1, unit="0..1", doc="extra risk seen with a psychological vulnerability")
    limitation_risk: float = param(0.10, 0, 1, unit="0..1", doc="extra risk seen with a work limitation")
    no_risk_exposure: float = param(0.2, 0, 1, unit="share",
                                    doc="share of sick-pay risk left to the employer under the no-risk policy",
                                    source="docs/evidence.md E22 (no-riskpolis)")
    flex_hedge: float = param(0.6, 0, 1, unit="share", doc="share of the risk a temporary contract removes",
                              source=WS)
    flex_base: float = param(0.25, 0, 1, unit="probability", doc="temporary contract for a low-risk hire",
                             source="docs/evidence.md E9 (22% flexible; 36% without a permanent contract, WRR)")
    flex_risk_slope: float = param(0.8, 0, 5, unit="per unit of risk x aversion",
                                   doc="rise of the temporary-contract chance with risk")
    flex_migrant: float = param(0.17, 0, 1, unit="probability",
                                doc="extra chance of a temporary contract with a migration background",
                                source="docs/evidence.md E8 (permanent: 57.8% vs 75.1%)")
    sick_base: float = param(0.03, 0, 1, unit="share of hours", doc="sick leave of a worker within capacity")
    sick_overload: float = param(0.25, 0, 5, unit="per share of hours over capacity",
                                 doc="extra sick leave from hours above capacity")


RiskRule = namedtuple("RiskRule", "weight base_risk overload_risk psych_risk limitation_risk no_risk_exposure "
                                   "flex_hedge flex_base flex_risk_slope flex_migrant")


def rule(model) -> RiskRule:
    p = model.p.risk
    return RiskRule(p.weight if p.enabled else 0.0, p.base_risk, p.overload_risk, p.psych_risk, p.limitation_risk,
                    p.no_risk_exposure, p.flex_hedge, p.flex_base, p.flex_risk_slope, p.flex_migrant)


@jit
def risk_one(rr, hours, health, psych, limitation):
    """Expected drop-out risk of an applicant for a job of `hours` a week."""
    over = max(hours - health, 0.0) / max(hours, 1.0)
    r = rr.base_risk + rr.overload_risk * over + rr.psych_risk * psych + rr.limitation_risk * limitation
    return min(max(r, 0.0), 1.0)


@jit
def temporary_one(rr, aversion, risk, migrant, shift, u):
    """Whether the employer offers a temporary contract (the hedge), from a uniform draw u; `shift` is the
    sector's stance (abm/sector_stance.py, 0 by default)."""
    prob = rr.flex_base + rr.flex_risk_slope * aversion * risk + rr.flex_migrant * migrant + shift
    return u < min(max(prob, 0.0), 0.95)


@jit
def premium_one(rr, aversion, risk, covered, temporary):
    """Risk premium subtracted from the hiring score."""
    exposure = rr.no_risk_exposure if covered else 1.0
    hedge = 1.0 - rr.flex_hedge if temporary else 1.0
    return rr.weight * aversion * risk * exposure * hedge


def sick_share(model, rows: np.ndarray) -> np.ndarray:
    """Share of contract hours lost to sick leave for workers in `rows`."""
    p, s = model.p.risk, model.s
    over = np.maximum(s.hours[rows] - s.health_hours[rows], 0) / np.maximum(s.hours[rows], 1)
    return np.clip(p.sick_base + p.sick_overload * over, 0, 1)


# A rule used inside other mechanisms' steps (no step of its own): its parameters and columns.
MECHANISM = Mechanism("risk", doc=__doc__, params=RiskParams, employer_columns=EMPLOYER_COLUMNS)
