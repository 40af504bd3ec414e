"""The Employer agent: a regular firm or a parallel-market organisation (a view of one row of `model.e`)."""

from __future__ import annotations

from abm import states as S
from abm.schedule import EMPLOYER_COLUMNS
from agents.views import TableAgent


class Employer(TableAgent):
    """A firm with regular jobs, or a social enterprise, satellite or sheltered workshop (`kind`)."""

    table = "e"
    columns = EMPLOYER_COLUMNS

    @property
    def kind_name(self) -> str:
        return S.EMPLOYER_KIND_NAMES[self.kind]

    @property
    def is_parallel(self) -> bool:
        return self.kind in S.PARALLEL_KINDS

    @property
    def beliefs(self) -> dict[str, float]:
        """Stigma belief per group, 0..1."""
        return {g: float(v) for g, v in zip(S.GROUP_NAMES, self.model.e.belief[self.row])}

    def __repr__(self) -> str:
        return f"Employer(row={self.row}, kind={self.kind_name}, municipality={self.municipality})"
