"""The Municipality agent: budgets, caseload and policy settings. Few of them, so plain Python is fine."""

from __future__ import annotations

import mesa

from abm import states as S


class Municipality(mesa.Agent):
    """A municipality running the Participatiewet in its own way (policy settings may change over time)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)
        self.name = model.municipality_names[index]
        self.spec = model.p.municipalities[index]

    @property
    def policy(self):
        """This month's policy settings (abm.policy.PolicyParams)."""
        return self.model._policies[self.index]

    @property
    def bijstand_stock(self) -> float:
        return float(self.model.bijstand_count[self.index] * self.model.scale)

    @property
    def client_managers(self) -> float:
        return self.bijstand_stock / self.policy.caseload

    @property
    def benefit_budget_left(self) -> float:
        return float(self.model.budgets.benefit_left[self.index] * self.model.scale)

    @property
    def participation_budget_left(self) -> float:
        return float(self.model.budgets.participation_left[self.index] * self.model.scale)

    @property
    def deficit(self) -> float:
        return float(self.model.budgets.deficit[self.index] * self.model.scale)

    @property
    def basisbaan_workers(self) -> int:
        s = self.model.s
        return int(((s.municipality == self.index) & (s.state == S.BASISBAAN)).sum())

    @property
    def displaced_regular_jobs(self) -> float:
        return float(self.model.displaced[self.index] * self.model.scale)

    @property
    def neighbours(self) -> list[str]:
        g = self.model.region_graph
        return [self.model.municipality_names[j] for j in g.neighbors(self.index)]

    def __repr__(self) -> str:
        return f"Municipality({self.name!r})"
