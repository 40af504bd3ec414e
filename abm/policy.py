"""Municipal policy settings: the levers a municipality pulls (docs/evidence.md, section 8 "Instruments").

One `PolicyParams` block holds the region's default rules; each municipality may override any of them. The
defaults are today's rules under the Participatiewet (2015): bijstand with a 1:350 caseload and sanctions,
the standard earnings disregard, wage-cost subsidy and no-risk policy on, the quota levy suspended.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Literal

import numpy as np
from pydantic import model_validator

from abm.mechanism import Mechanism, Month
from abm.params import Section, param

EVIDENCE = "docs/evidence.md"


def acquisition_switch(what: str, place: str):
    """The switch of a programme whose places are acquired over time (abm/acquisition.py), declared alike for
    every such programme."""
    return param(False, doc=f"{what} acquired over time (staff find additional tasks, each needs an employer of "
                            f"record; abm/acquisition.py); off: every {place} is available at once",
                 source="docs/evidence.md E85 (Platform31 2022: employer of record and additionality check as "
                        "bottlenecks)")


def acquisition_hours(what: str):
    """The staff hours of a programme whose places are acquired (abm/acquisition.py)."""
    return param(160.0, 0, 100_000, unit="hours/month",
                 doc=f"staff hours a month the municipality spends finding additional tasks for {what}",
                 source="assumption, range in docs/evidence.md E85")


def groningen(number: int, note: str = "") -> str:
    """Source of a Groningen figure: its evidence number, the evaluation and an optional note."""
    return f"{EVIDENCE} E{number} (Mosselman, Dekker & De Vleeschouwer 2022{': ' + note if note else ''})"


class PolicyParams(Section):
    """Policy settings of one municipality."""

    regime: Literal["sanction", "trust"] = param(
        "sanction", doc="benefit regime: job-search duty with sanctions, or trust (no duty)",
        source="Participatiewet; regelluwe bijstand experiments (docs/evidence.md E56, CPB)")
    caseload: float = param(350.0, 20, 1000, unit="clients per client manager",
                            doc="bijstand clients per client manager", source="docs/evidence.md E10")
    intensive_per_manager: float = param(12.0, 0, 100, unit="clients per manager per month",
                                         doc="clients one manager can coach intensively in a month")
    manager_cost_year: float = param(75_000.0, 0, 500_000, unit="EUR/year",
                                     doc="cost of one client manager (salary and overhead)")
    participation_places_per_100: float = param(
        12.0, 0, 100, unit="places per 100 bijstand clients",
        doc="participation places, volunteering and tegenprestatie the municipality organises")
    participation_cost_month: float = param(100.0, 0, 2000, unit="EUR/person/month",
                                            doc="cost of one participation place")
    earnings_disregard_share: float = param(0.25, 0, 1, unit="share of earnings",
                                            doc="share of earnings a bijstand recipient may keep",
                                            source="docs/evidence.md E35 (normally 25%)")
    earnings_disregard_cap: float = param(199.0, 0, 2000, unit="EUR/month", doc="cap on the disregard",
                                          source="docs/evidence.md E35")
    earnings_disregard_months: int = param(6, 0, 120, unit="months", doc="how long the disregard may be used",
                                           source="docs/evidence.md E35-E36 (6 months; trust experiments 24)")
    lks_enabled: bool = param(True, doc="wage-cost subsidy (loonkostensubsidie) available",
                              source="Participatiewet (docs/evidence.md E23)")
    lks_max_share: float = param(0.70, 0, 1, unit="share of WML", doc="maximum wage-cost subsidy",
                                 source="docs/evidence.md E23 (up to 70% of WML)")
    no_risk_policy: bool = param(True, doc="no-riskpolis: UWV pays sick pay for people in the register",
                                 source="docs/evidence.md E22")
    quota_enforced: bool = param(False, doc="banenafspraak quota levy actually collected",
                                 source="docs/evidence.md E30 (suspended again and again)")
    quota_levy: float = param(5000.0, 0, 50_000, unit="EUR per unfilled place per year",
                              doc="quota levy", source="docs/evidence.md E28")
    quota_rate: float = param(0.0256, 0, 0.2, unit="share of staff",
                              doc="quota of register jobs for employers with 25+ staff (the government sector's "
                                  "rate, applied to every employer: an assumption)",
                              source="docs/evidence.md E29 (the government sector's quota 2021)")
    parallel_places_per_100: float = param(3.0, 0, 100, unit="places per 100 bijstand clients",
                                           doc="funded parallel-market places (social enterprises, satellites)")
    parallel_funding_month: float = param(900.0, 0, 5000, unit="EUR/place/month",
                                          doc="municipal funding per filled parallel place")
    parallel_acquisition: bool = acquisition_switch("the parallel places are", "funded place")
    parallel_acquisition_hours: float = acquisition_hours("its parallel places")
    parallel_voluntary: bool = param(
        False, doc="a parallel place is voluntary: refusing it never counts as refusing work; off: under a "
                   "sanction regime an unemployed bijstand recipient who refuses it risks a sanction "
                   "(search.refusal_pressure)",
        source="docs/evidence.md E85 (Platform31 2022: the poverty trap; take-up follows the net gain)")
    additionality_test: float = param(0.5, 0, 1, unit="strength 0..1",
                                      doc="how strictly subsidised tasks are tested for displacement",
                                      source="docs/evidence.md E58 (no displacement of existing work)")
    basisbaan_slots: int = param(0, 0, 1_000_000, unit="jobs", doc="basisbaan programme size",
                                 source=groningen(59, "Groningen 50"))
    basisbaan_slots_per_1000_bijstand: float = param(0.0, 0, 1000, unit="jobs per 1,000 bijstand recipients",
                                                     doc="programme size relative to the bijstand stock at the "
                                                         "start (national schemes), added to basisbaan_slots")
    basisbaan_start_month: int = param(0, 0, 10_000, unit="month", doc="month the programme starts")
    basisbaan_end_month: int = param(10_000, 0, 10_000, unit="month",
                                     doc="month the programme stops recruiting and ends its contracts")
    basisbaan_min_months_on_benefit: int = param(36, 0, 600, unit="months",
                                                 doc="eligibility: months in bijstand", source=groningen(62))
    basisbaan_requires_participation: bool = param(True, doc="eligibility: has done a participation job",
                                                   source=groningen(62))
    basisbaan_requires_no_prospects: bool = param(True, doc="eligibility: no prospect of regular work",
                                                  source=groningen(62))
    basisbaan_interviews_per_month: float = param(10.0, 0, 100_000, unit="interviews/month",
                                                  doc="recruitment interviews the municipality holds",
                                                  source=groningen(63, "~150 interviews"))
    basisbaan_hours: float = param(32.0, 4, 40, unit="hours/week", doc="contract hours",
                                   source=groningen(66, "32-36 h"))
    basisbaan_wage_share: float = param(1.0, 1.0, 2.0, unit="multiple of WML", doc="wage (at least WML)",
                                        source="docs/evidence.md E32")
    basisbaan_contract: Literal["permanent", "temporary"] = param("permanent", doc="contract type",
                                                                  source=groningen(66))
    basisbaan_contract_months: int = param(12, 1, 120, unit="months", doc="length of a temporary contract")
    basisbaan_employer_cost_year: float = param(28_000.0, 0, 200_000, unit="EUR/year at 32 h",
                                                doc="wage and employer costs", source=groningen(67))
    basisbaan_guidance_first: float = param(0.08, 0, 1, unit="share of contract hours",
                                            doc="guidance in the first 15 months", source=groningen(72))
    basisbaan_guidance_later: float = param(0.07, 0, 1, unit="share of contract hours",
                                            doc="guidance after 15 months", source=groningen(72))
    basisbaan_guidance_hourly_cost: float = param(
        37.5, 0, 500, unit="EUR/hour",
        doc="cost of an hour of guidance", source=groningen(68, "EUR 5,000/yr for ~8% of 32 h"))
    basisbaan_guidance_external_share: float = param(
        0.7, 0, 1, unit="share of guidance hours",
        doc="guidance given by external work coaches; the rest by the municipality's own coaches",
        source=groningen(68, "EUR 3,500 external of EUR 5,000"))
    basisbaan_project_cost_year: float = param(
        0.0, 0, 50_000, unit="EUR per planned place per year",
        doc="project costs (set-up, management, evaluation) per planned place, while the programme runs",
        source="assumption; Groningen's EUR 19,000 (docs/evidence.md E70) counts none; Rotterdam's evaluation "
               "names them as a cost line (E83)")
    basisbaan_cofunding_share: float = param(0.0, 0, 1, unit="share of wage cost",
                                             doc="share of the gross wage cost paid by the organisations that get "
                                                 "the work (co-funding)",
                                             source="docs/evidence.md E48, E71, E83")
    basisbaan_cofunding_housing_part: float = param(
        0.0, 0, 1, unit="share of the co-funding",
        doc="part of the co-funding paid by housing corporations",
        source="docs/evidence.md E83 (Rotterdam: a housing corporation and a neighbourhood organisation)")
    basisbaan_cofunding_employers_part: float = param(
        0.0, 0, 1, unit="share of the co-funding",
        doc="part of the co-funding paid by employers (firms); the rest of the co-funding is paid by "
            "neighbourhood organisations",
        source="docs/evidence.md E83 (SEOR: very doubtful that private firms will join)")
    basisbaan_reinterview_months: int = param(
        0, 0, 600, unit="months",
        doc="re-interview people the programme did not place once their labour state has changed since the "
            "interview, or this many months after it; 0: everyone is interviewed at most once per run (a pilot's "
            "one-off recruitment)",
        source="assumption; a job guarantee is a right, so a changed situation opens it again (docs/evidence.md E51)")
    basisbaan_funder: Literal["municipality", "national"] = param(
        "municipality", doc="who pays the programme's wages (less co-funding), guidance and project costs: the "
                            "municipality, or the national government (the Rijk) for a national scheme",
        source="docs/evidence.md E84 (Divosa: for a national scheme the Rijk is to act)")
    basisbaan_acquisition: bool = acquisition_switch("the programme's places are", "declared place")
    basisbaan_acquisition_hours: float = acquisition_hours("its programme")
    basisbaan_voluntary: bool = param(
        True, doc="the basisbaan is voluntary: a candidate takes it only if the net gain plus the value of work "
                  "reaches basisbaan.reservation; off: under a sanction regime refusing it risks a sanction, which "
                  "adds search.refusal_pressure to that sum",
        source="docs/evidence.md E62 (Groningen: taking part is voluntary)")
    basisbaan_throughput_goal: bool = param(False, doc="coaches push basisbaan workers towards regular jobs")
    basisbaan_target_group: Literal["long_term_bijstand", "register_or_56plus", "any_bijstand"] = param(
        "long_term_bijstand", doc="who is nominated: bijstand recipients with enough months on benefit; those in "
                                  "the doelgroepregister or aged 56+ (STiP); or any bijstand recipient",
        source="docs/evidence.md E62, E49 (Groningen; STiP The Hague)")
    participation_allowance: float = param(0.0, 0, 2000, unit="EUR/month",
                                           doc="allowance on top of the benefit for a participation job "
                                               "(participation income, instapeconomie)",
                                           source="docs/evidence.md E55 (participation income)")
    participation_allowance_partner_share: float = param(
        1.0, 0, 1, unit="share", doc="share of the allowance paid by local partners who gain from the work",
        source="docs/evidence.md E55 (paid by local partners)")
    parallel_borrower_share: float = param(0.0, 0, 1, unit="share of the wage cost",
                                           doc="share of a parallel worker's wage cost paid by the firm that "
                                               "borrows them (social secondment surcharge)",
                                           source="docs/evidence.md E54 (maatschappelijk detacheerder)")
    parallel_experience_factor: float = param(1.0, 0, 5, unit="ratio",
                                              doc="how much regular employers value parallel experience, relative "
                                                  "(seconded work inside firms counts more)")

    @model_validator(mode="after")
    def _window(self):
        parts = self.basisbaan_cofunding_housing_part + self.basisbaan_cofunding_employers_part
        if parts > 1.0 + 1e-9:
            raise ValueError(f"basisbaan_cofunding_housing_part + basisbaan_cofunding_employers_part={parts:g}; "
                             f"allowed: at most 1 (the rest is paid by neighbourhood organisations)")
        if self.basisbaan_end_month < self.basisbaan_start_month:
            raise ValueError(f"basisbaan_end_month={self.basisbaan_end_month} is before "
                             f"basisbaan_start_month={self.basisbaan_start_month}; allowed: end >= start")
        return self


# Every municipality's policy as one named structure of arrays (index: municipality) for the compiled kernels,
# built once per policy change (LabourMarketModel._set_policy). Text settings are left out; `sanction_regime`
# is the regime as a flag.
POLICY_ARRAY_FIELDS = tuple(name for name, field in PolicyParams.model_fields.items()
                            if field.annotation in (bool, int, float)) + ("sanction_regime",)
PolicyArrays = namedtuple("PolicyArrays", POLICY_ARRAY_FIELDS)


def policy_arrays(muni_policy: dict[str, np.ndarray]) -> PolicyArrays:
    """The kernels' view of `model.muni_policy` (the same arrays, not copies)."""
    return PolicyArrays(*(muni_policy[name] for name in POLICY_ARRAY_FIELDS))


def step(model, month: Month) -> None:
    """The municipalities' policy this month (dated changes apply from their month) and their bijstand stock."""
    model.apply_policy(month.number)


MECHANISM = Mechanism("policy", doc=__doc__, step=step)
