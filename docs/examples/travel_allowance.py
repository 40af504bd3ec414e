"""A travel-cost allowance: an example of a mechanism of one's own, in one file outside the package
(docs/architecture.md, "Adding a mechanism").

Rule. Going to work in another municipality costs `cost_per_km` EUR a month for every km between home and the
employer's municipality; the municipality reimburses `allowance_share` of it. A person offered a job weighs the
part they pay themselves, so a larger allowance makes people accept offers further from home.
Metrics: `hires_away_from_home` (people hired this month by an employer in another municipality) and
`travel_allowance_paid` (EUR a month the allowance costs, for reading: this example does not book it in the
ledger, so it is not part of the municipality's spend).

Use it:
    from abm.model import LabourMarketModel
    model = LabourMarketModel("default", mechanisms=[travel_allowance.MECHANISM],
                              **{"travel_allowance.allowance_share": 1.0})
or give a scenario file a `[travel_allowance]` section.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.mechanism import Column, Mechanism, Metric, Month
from abm.params import Section, param


class TravelAllowanceParams(Section):
    enabled: bool = param(True, doc="switch: off = travel costs play no part")
    cost_per_km: float = param(6.0, 0, 100, unit="EUR per km per month",
                               doc="cost of commuting a km (one way) to work every working day",
                               source="assumption: 21 days x 2 x EUR 0.14 per km")
    allowance_share: float = param(0.0, 0, 1, unit="share", doc="share of the travel cost the municipality pays")


COLUMNS = {"commute_km": Column("float32", 0.0, "km from home to the municipality of the current job, 0 if none")}


def _km(model, rows: np.ndarray, employers: np.ndarray) -> np.ndarray:
    """Distance from each person's home to the employer's municipality (0 for work without an employer row)."""
    has = employers >= 0
    out = np.zeros(rows.size)
    out[has] = model.distance_km[model.s.municipality[rows[has]], model.e.municipality[employers[has]]]
    return out


def offer_value(model, rows: np.ndarray, employers: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """The travel cost a person would bear, EUR a month (negative: it lowers the value of the offer)."""
    p = model.p.travel_allowance
    if not p.enabled:
        return np.zeros(rows.size)
    return -p.cost_per_km * _km(model, rows, employers) * (1.0 - p.allowance_share)


def step(model, month: Month) -> None:
    """Record the commute of this month's hires; nobody out of work commutes."""
    s = model.s
    hired = month.hired
    s.commute_km[hired] = _km(model, hired, s.employer[hired])
    s.commute_km[~S.is_paid(s.state)] = 0.0
    month.counts["hires_away_from_home"] = int((s.commute_km[hired] > 0).sum())


def _away(model, month: Month) -> float:
    return month.counts.get("hires_away_from_home", 0) * model.scale


def _paid(model, month: Month) -> float:
    p = model.p.travel_allowance
    if not p.enabled:
        return 0.0
    return float(model.s.commute_km.sum()) * p.cost_per_km * p.allowance_share * model.scale


MECHANISM = Mechanism(
    "travel_allowance", doc=__doc__, params=TravelAllowanceParams, columns=COLUMNS, step=step,
    offer_value=offer_value, after="hiring",
    metrics={"hires_away_from_home": Metric(_away, "people hired by an employer in another municipality"),
             "travel_allowance_paid": Metric(_paid, "EUR a month the travel allowance costs (not in the ledger)")})
