"""A sector's hiring stance: how its regular employers use the wage-cost subsidy, how willing they are to hire
from the register, how often they offer a temporary contract (a workshop's employers; issue 11).

Rule. Sectors are the employer table's `sector` codes 0 .. employers.sectors - 1, named `sector1` ..
`sectorN` (the model gives sectors no other difference: firms draw their sector at random, abm/employers.py).
A scenario sets a sector's stance in `[sectors.NAME]` and changes it from a month on in `[[sector_changes]]`
(month, sector, set, note; at the same month a later entry wins). In the regular pool (abm/hiring.py), for an
application to a firm of sector s:
  - `subsidy_uptake`: the firm's uptake probability of a wage-cost subsidy is multiplied by it (the draw is the
    same; 0 = the sector never uses the subsidy, a probability above 1 means always);
  - `register_willingness`: added to the hiring score of a candidate in the doelgroepregister (score units, as
    the stigma penalty and the quota bonus it offsets or adds to);
  - `temporary_shift`: added to the chance of a temporary contract (abm/risk_aversion.temporary_one, still
    capped to 0 .. 0.95).
The defaults (1, 0, 0) leave every run as it was, number for number. Parallel organisations keep their own
rule. The stance is the employers' own choice, not a municipality's policy.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from abm.params import Section, param


class SectorStance(Section):
    """One sector's hiring stance (defaults: as the model's firms without one)."""

    subsidy_uptake: float = param(1.0, 0, 10, unit="multiplier",
                                  doc="multiplies the firms' uptake probability of a wage-cost subsidy")
    register_willingness: float = param(0.0, -3, 3, unit="score",
                                        doc="added to the hiring score of a candidate in the register")
    temporary_shift: float = param(0.0, -1, 1, unit="probability",
                                   doc="added to the chance of a temporary contract in a regular hire")


STANCE_KEYS = tuple(SectorStance.model_fields)


class SectorChange(BaseModel):
    """A sector's stance from a given month on (a workshop's employers decide; a sector agreement)."""

    model_config = ConfigDict(extra="forbid")
    month: int = param(0, 0, 10_000, unit="month", doc="first month the change applies")
    sector: str = Field(strict=True, description="sector name: sector1 .. sectorN")
    set: dict[str, Any] = Field(default_factory=dict, description="stance settings to change")
    note: str = Field("", strict=True, description="who decided, or what the change represents")


def sector_names(n: int) -> list[str]:
    """The names of `n` sectors: sector1 .. sectorN (code 0 is sector1)."""
    return [f"sector{k + 1}" for k in range(n)]


def check_sector(name: Any, n: int, where: str) -> int:
    """The code of sector `name`; refused in one line naming the sectors allowed."""
    names = sector_names(n)
    if name not in names:
        shown = names if n <= 8 else [*names[:3], "...", names[-1]]
        raise ValueError(f"{where} = {name!r}: no such sector; allowed: {', '.join(shown)} "
                         "(employers.sectors sets how many)")
    return names.index(name)


def check_stance(base: SectorStance, changes: dict[str, Any], where: str) -> SectorStance:
    """`base` with `changes` applied; an unknown key or a bad value is refused in one line."""
    from abm.scenario import check_settings  # abm.scenario imports this module
    return check_settings(base, changes, where)


def check(scenario) -> None:
    """Every sector named in `[sectors]` and `[[sector_changes]]` exists, and every setting is valid."""
    n = scenario.employers.sectors
    for name in scenario.sectors:
        check_sector(name, n, "sectors")
    for j, change in enumerate(scenario.sector_changes):
        check_sector(change.sector, n, f"sector_changes[{j}].sector")
        check_stance(SectorStance(), change.set, f"sector_changes[{j}].set")


def stances_at(scenario, month: int) -> list[SectorStance]:
    """Each sector's stance in `month` (by code), after every change up to that month."""
    names = sector_names(scenario.employers.sectors)
    changes: dict[str, dict[str, Any]] = {name: {} for name in names}
    for change in sorted(scenario.sector_changes, key=lambda c: c.month):
        if change.month <= month:
            changes[change.sector].update(change.set)
    return [check_stance(scenario.sectors.get(name, SectorStance()), changes[name], f"sectors.{name}")
            for name in names]


StanceArrays = namedtuple("StanceArrays", STANCE_KEYS)


def stance_arrays(stances: list[SectorStance]) -> StanceArrays:
    """Per sector code, the arrays `abm.hiring._score` reads (uptake as float32, as the firms' column)."""
    return StanceArrays(np.array([s.subsidy_uptake for s in stances], dtype=np.float32),
                        np.array([s.register_willingness for s in stances], dtype=np.float64),
                        np.array([s.temporary_shift for s in stances], dtype=np.float64))
