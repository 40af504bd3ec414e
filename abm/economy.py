"""The economy: tightness of the regular labour market over time (docs/evidence.md E1, E9: tight vs slack).

Tightness scales how many regular vacancies open each month and how strong the competition from applicants
outside the model is. 1.0 is a stable, average market; a path of (month, tightness) points lets a scenario
run through a boom or a recession (values between points are interpolated linearly).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator

from abm.params import Section, param


class TightnessPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: int = param(0, 0, 10_000, unit="month")
    tightness: float = param(1.0, 0.1, 5.0, unit="index (1 = average)")


class EconomyParams(Section):
    tightness: float = param(1.0, 0.1, 5.0, unit="index (1 = average)",
                             doc="vacancies per job seeker relative to an average market")
    tightness_path: list[TightnessPoint] = param([], doc="optional (month, tightness) points over time")
    vacancy_rate: float = param(0.02, 0, 0.5, unit="share of jobs per month",
                                doc="new regular vacancies per month at tightness 1 (turnover in the segment)")
    outside_fill: float = param(0.65, 0, 1, unit="probability per month",
                                doc="chance an open vacancy is filled by an applicant from outside the model "
                                    "at tightness 1 (slack markets fill faster from outside)")
    wml_month: float = param(1680.0, 0, 10_000, unit="EUR/month gross",
                             doc="statutory minimum wage (WML), full time", source="WML 1 July 2020")
    wml_net_month: float = param(1450.0, 0, 10_000, unit="EUR/month net",
                                 doc="net minimum wage, full time, single", source="approximation for 2020")
    fulltime_hours: float = param(36.0, 30, 40, unit="hours/week", doc="full-time working week")

    @field_validator("tightness_path")
    @classmethod
    def _ordered(cls, path):
        months = [p.month for p in path]
        if months != sorted(months):
            raise ValueError(f"tightness_path months {months} must be in increasing order")
        return path

    def tightness_at(self, month: int) -> float:
        """Tightness this month: the path interpolated, or the constant when there is no path."""
        if not self.tightness_path:
            return self.tightness
        xs = np.array([p.month for p in self.tightness_path], dtype=float)
        ys = np.array([p.tightness for p in self.tightness_path], dtype=float)
        return float(np.interp(month, xs, ys))
