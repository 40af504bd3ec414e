"""The JobSeeker agent: a person at the margin of the labour market (a view of one row of `model.s`)."""

from __future__ import annotations

from abm import states as S
from abm.schedule import SEEKER_COLUMNS
from agents.views import TableAgent


class JobSeeker(TableAgent):
    """Someone on a benefit, in subsidised, sheltered, parallel or basisbaan work, or in a low-paid regular job.

    Every column of the job-seeker table (`abm.schedule.SEEKER_COLUMNS`) is an attribute (age, skill, self_stigma,
    state, ...).
    """

    table = "s"
    columns = SEEKER_COLUMNS

    @property
    def state_name(self) -> str:
        return S.STATE_NAMES[self.state]

    @property
    def benefit_name(self) -> str:
        return S.BENEFIT_NAMES[self.benefit]

    @property
    def contract_name(self) -> str:
        return S.CONTRACT_NAMES[self.contract]

    @property
    def label(self) -> dict[str, float]:
        """The visible label an employer sees, per stigma group."""
        return {g: float(v) for g, v in zip(S.GROUP_NAMES, self.model.s.label[self.row])}

    @property
    def municipality_name(self) -> str:
        return self.model.municipality_names[self.municipality]

    @property
    def ties(self) -> list[int]:
        """Rows of the people this person knows."""
        soc = self.model.social
        return [int(t) for t in soc.indices[soc.indptr[self.row]:soc.indptr[self.row + 1]]]

    def __repr__(self) -> str:
        return f"JobSeeker(person_id={self.person_id}, state={self.state_name}, municipality={self.municipality_name})"
