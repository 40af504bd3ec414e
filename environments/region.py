"""The regional network of municipalities and their commuting reach (networkx).

Municipalities are nodes with coordinates; an edge joins two municipalities within commuting distance. Where
a job seeker applies follows a distance-decay rule: the share of applications sent from municipality i to j is
proportional to exp(-distance / decay_km) over the municipalities within `max_commute_km` (i itself included,
weighted by `home_weight`).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from abm.params import Section, param


class MunicipalitySpec(BaseModel):
    """One municipality: where it is, who lives there (counts of people, not agents) and its own policy."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, description="name")
    x_km: float = param(0.0, -1000, 1000, unit="km", doc="position east")
    y_km: float = param(0.0, -1000, 1000, unit="km", doc="position north")
    inhabitants_15plus: int = param(100_000, 1, 20_000_000, unit="people", doc="inhabitants aged 15+")
    bijstand: int = param(5000, 0, 2_000_000, unit="people", doc="people in bijstand",
                          source="docs/evidence.md E61 (Groningen ~10,000)")
    ww: int = param(3000, 0, 2_000_000, unit="people", doc="people on unemployment insurance (WW)")
    disability: int = param(2500, 0, 2_000_000, unit="people",
                            doc="people on a disability benefit with work capacity (Wajong, WGA)")
    sheltered: int = param(200, 0, 1_000_000, unit="people",
                           doc="people in sheltered work (beschut werk, Wsw) at the start")
    regular_sample: int = param(4000, 0, 5_000_000, unit="people",
                                doc="low-paid or flexible regular workers who may lose their jobs")
    regular_jobs: int = param(12_000, 0, 50_000_000, unit="jobs",
                              doc="regular jobs in the low-wage segment the model's people compete for")
    policy: dict[str, Any] = Field(default_factory=dict,
                                   description="policy settings that differ from the region's [policy]")


class RegionParams(Section):
    decay_km: float = param(12.0, 0.1, 500, unit="km", doc="distance decay of applications")
    max_commute_km: float = param(45.0, 0, 1000, unit="km", doc="commuting reach")
    home_weight: float = param(3.0, 0, 100, unit="ratio", doc="extra weight on jobs in one's own municipality")


def build_region_graph(municipalities: list[MunicipalitySpec], region: RegionParams) -> nx.Graph:
    """A networkx graph: one node per municipality, an edge for every pair within commuting reach."""
    g = nx.Graph()
    for i, m in enumerate(municipalities):
        g.add_node(i, name=m.name, x=m.x_km, y=m.y_km, bijstand=m.bijstand)
    xy = np.array([[m.x_km, m.y_km] for m in municipalities], dtype=float)
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    n = len(municipalities)
    if n <= 400:
        for i in range(n):
            for j in range(i + 1, n):
                if dist[i, j] <= region.max_commute_km:
                    g.add_edge(i, j, distance_km=float(dist[i, j]))
    else:  # large synthetic regions: vectorised edge list
        ii, jj = np.nonzero(np.triu(dist <= region.max_commute_km, k=1))
        g.add_edges_from((int(a), int(b), {"distance_km": float(dist[a, b])}) for a, b in zip(ii, jj))
    return g


def distance_matrix(municipalities: list[MunicipalitySpec]) -> np.ndarray:
    """Straight-line distance in km between every pair of municipalities."""
    xy = np.array([[m.x_km, m.y_km] for m in municipalities], dtype=float)
    return np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))


def commuting_matrix(municipalities: list[MunicipalitySpec], region: RegionParams) -> np.ndarray:
    """Row-stochastic matrix: share of applications from home municipality i that go to municipality j."""
    dist = distance_matrix(municipalities)
    w = np.exp(-dist / region.decay_km) * (dist <= region.max_commute_km)
    np.fill_diagonal(w, region.home_weight)
    return w / w.sum(axis=1, keepdims=True)


class Destinations:
    """Sparse sampler of where an application goes: for each home municipality only the municipalities within
    reach, as one flat cumulative array with row i shifted by i, so a single searchsorted over `home + u`
    draws every application's destination at once."""

    def __init__(self, matrix: np.ndarray):
        n = matrix.shape[0]
        rows, cols = np.nonzero(matrix > 0)
        probs = matrix[rows, cols]
        cum = np.zeros(probs.size)
        starts = np.searchsorted(rows, np.arange(n + 1))
        for i in range(n):  # per municipality: fine
            a, b = starts[i], starts[i + 1]
            c = np.cumsum(probs[a:b])
            c[-1] = 1.0
            cum[a:b] = c + i
        self.cum = cum
        self.cols = cols.astype(np.int32)

    def sample(self, home: np.ndarray, u: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(self.cum, home + u, side="right")
        return self.cols[np.minimum(idx, self.cols.size - 1)]
