"""The month, declared once: the ordered (phase, mechanism) pairs `LabourMarketModel.step` runs
(ARCHITECTURE.md §One month), and the registry of built-in mechanisms the scenario schema and the state tables
are composed from (abm/mechanism.py).

It lives beside abm/model.py rather than in it so that the scenario schema (abm/scenario.py), which the model
imports, can be composed from the same list without an import cycle.
"""

from __future__ import annotations

from abm import (
    accounting,
    accounts,
    acquisition,
    activation,
    basisbaan,
    coaching,
    counters,
    demography,
    displacement,
    employer_stigma,
    employers,
    hiring,
    metrics,
    money,
    policy,
    risk_aversion,
    search,
    self_stigma,
    separations,
    short_spells,
    skills,
    subsidy_quota,
    throughput,
    vacancies,
    wellbeing,
)
from abm.mechanism import Column, Mechanism
from abm.tables import CORE_EMPLOYER_COLUMNS, CORE_SEEKER_COLUMNS

SCHEDULE: tuple[tuple[str, Mechanism], ...] = (
    ("1 inflow and ageing", demography.MECHANISM),
    ("2 separations", separations.MECHANISM),
    ("3 vacancies and displacement", vacancies.MECHANISM),
    ("3 vacancies and displacement", displacement.MECHANISM),
    ("4 municipal policy", policy.MECHANISM),
    ("4 municipal policy", coaching.MECHANISM),
    ("4 municipal policy", activation.MECHANISM),
    ("4 municipal policy", short_spells.MECHANISM),
    ("4 municipal policy", acquisition.MECHANISM),
    ("4 municipal policy", basisbaan.MECHANISM),
    ("5 search", search.MECHANISM),
    ("6 hiring", hiring.MECHANISM),
    ("7 updates", skills.MECHANISM),
    ("7 updates", employer_stigma.MECHANISM),
    ("7 updates", self_stigma.MECHANISM),
    ("7 updates", wellbeing.MECHANISM),
    ("7 updates", counters.MECHANISM),
    ("8 accounting", accounting.MECHANISM),
    ("8 accounting", accounts.MECHANISM),
    ("8 accounting", counters.EARNINGS_DISREGARD),
    ("9 data collection", metrics.MECHANISM),
)

# Rules that other mechanisms' steps use (no step of their own): they still declare parameters and columns.
RULES: tuple[Mechanism, ...] = (money.MECHANISM, risk_aversion.MECHANISM, subsidy_quota.MECHANISM,
                                throughput.MECHANISM, employers.MECHANISM)

BUILT_IN: tuple[Mechanism, ...] = tuple(m for _, m in SCHEDULE) + RULES

# The order of the mechanisms' sections in a scenario file and in docs/parameters.md.
SECTION_ORDER = ("stigma", "self_stigma", "risk", "subsidy_quota", "money", "search", "hiring", "separations",
                 "activation", "short_spells", "coaching", "displacement", "throughput", "skills", "wellbeing",
                 "basisbaan", "acquisition", "demography", "accounts")


def sections(mechanisms) -> dict[str, type]:
    """Scenario section name -> parameter block, for the mechanisms that have parameters."""
    found = {m.name: m.params for m in mechanisms if m.params is not None}
    ordered = {name: found.pop(name) for name in SECTION_ORDER if name in found}
    return {**ordered, **found}


def _compose(core: dict[str, Column], mechanisms, attr: str) -> dict[str, Column]:
    out = dict(core)
    for m in mechanisms:
        for name, column in getattr(m, attr).items():
            if name in out:
                raise ValueError(f"mechanism {m.name!r}: column {name!r} is already declared; allowed: another name")
            out[name] = column
    return out


def seeker_columns(mechanisms) -> dict[str, Column]:
    """The job-seeker table's columns: the core ones and every mechanism's own."""
    return _compose(CORE_SEEKER_COLUMNS, mechanisms, "columns")


def employer_columns(mechanisms) -> dict[str, Column]:
    """The employer table's columns: the core ones and every mechanism's own."""
    return _compose(CORE_EMPLOYER_COLUMNS, mechanisms, "employer_columns")


SEEKER_COLUMNS = seeker_columns(BUILT_IN)
EMPLOYER_COLUMNS = employer_columns(BUILT_IN)
