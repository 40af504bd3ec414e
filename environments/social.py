"""The social network among job seekers: clustered within municipalities, weak ties across (arrays).

Each person gets `local_ties` ties to others in the same small neighbourhood block of their municipality
(blocks of about `block_size` people, which gives the clustering of real acquaintance networks) and
`weak_ties` ties to random people anywhere in the region (Granovetter's weak ties, which carry job
information). Ties are directed and stored as a CSR adjacency (indptr, indices) built vectorised, so a
million people cost two arrays; `neighbourhood_graph` gives a networkx view of one person's circle.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from abm.params import Section, param


class SocialParams(Section):
    local_ties: int = param(6, 0, 50, unit="ties", doc="ties within one's neighbourhood block")
    weak_ties: int = param(2, 0, 50, unit="ties", doc="ties to random people in the region")
    block_size: int = param(40, 2, 10_000, unit="people", doc="size of a neighbourhood block")


class SocialNetwork:
    """Directed ties as CSR arrays: the ties of person row i are indices[indptr[i]:indptr[i+1]]."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray):
        self.indptr = indptr
        self.indices = indices

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def random_tie(self, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
        """One random tie for each row (-1 where a person has none)."""
        deg = self.degree[rows]
        pick = self.indptr[rows] + np.floor(u * deg).astype(np.int64)
        out = np.full(rows.shape, -1, dtype=np.int64)
        has = deg > 0
        out[has] = self.indices[pick[has]]
        return out

    def neighbourhood_graph(self, row: int, radius: int = 1) -> nx.DiGraph:
        """A networkx view of the ties around one person, for drawing and inspection."""
        g = nx.DiGraph()
        frontier = {int(row)}
        seen = {int(row)}
        g.add_node(int(row))
        for _ in range(radius):
            nxt = set()
            for r in frontier:
                for t in self.indices[self.indptr[r]:self.indptr[r + 1]]:
                    g.add_edge(r, int(t))
                    if int(t) not in seen:
                        nxt.add(int(t))
            seen |= nxt
            frontier = nxt
        return g


def build_social_network(municipality: np.ndarray, params: SocialParams,
                         rng: np.random.Generator) -> SocialNetwork:
    """Build the tie arrays. People are grouped by municipality, shuffled into blocks, and tied within them."""
    n = municipality.size
    k_local, k_weak = params.local_ties, params.weak_ties
    k = k_local + k_weak
    if n == 0 or k == 0:
        return SocialNetwork(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    # Order people by municipality, randomly within it; consecutive runs form the neighbourhood blocks.
    order = np.lexsort((rng.random(n), municipality))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    muni_sorted = municipality[order]
    starts = np.searchsorted(muni_sorted, muni_sorted, side="left")
    ends = np.searchsorted(muni_sorted, muni_sorted, side="right")
    block_start = starts + ((pos[order] - starts) // params.block_size) * params.block_size
    block_end = np.minimum(block_start + params.block_size, ends)
    size = np.maximum(block_end - block_start, 1)
    indices = np.empty((n, k), dtype=np.int64)
    if k_local:
        u = rng.random((n, k_local))
        # pick among the block minus oneself: draw in [0, size-1) and skip one's own position
        pick = block_start[:, None] + np.floor(u * np.maximum(size - 1, 1)[:, None]).astype(np.int64)
        own = np.arange(n)[:, None]
        pick = np.where((pick >= own) & (size[:, None] > 1), pick + 1, pick)
        pick = np.minimum(pick, block_end[:, None] - 1)
        indices[order, :k_local] = order[pick]
    if k_weak:
        indices[:, k_local:] = rng.integers(0, n, size=(n, k_weak))
    indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
    return SocialNetwork(indptr, indices.ravel())
