"""The event log of labour-state transitions (ARCHITECTURE.md §Event log, contract).

One row per change of labour state: month, person_id, from_state, to_state, municipality, reason. A person
entering or leaving the population (retirement, a new entrant in the seat) is logged with the pseudo-states
`entry` and `exit`, so state counts can always be rebuilt from the log.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm import states as S

_STATE_LABELS = list(S.STATE_NAMES) + [S.ENTRY, S.EXIT]
ENTRY_CODE, EXIT_CODE = len(S.STATE_NAMES), len(S.STATE_NAMES) + 1


class TransitionLog:
    """Appends transitions as array chunks; `to_frame()` builds the table once at the end of a run."""

    def __init__(self, municipality_names: list[str]):
        self.municipality_names = list(municipality_names)
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self.flows = np.zeros((len(_STATE_LABELS), len(_STATE_LABELS)), dtype=np.int64)

    def record(self, month: int, person_id: np.ndarray, from_state: np.ndarray, to_state: np.ndarray,
               municipality: np.ndarray, reason: str) -> None:
        n = person_id.size
        if n == 0:
            return
        code = S.REASON_CODE[reason]
        frm = np.broadcast_to(np.asarray(from_state, dtype=np.int8), (n,)).copy()
        to = np.broadcast_to(np.asarray(to_state, dtype=np.int8), (n,)).copy()
        self._chunks.append((np.full(n, month, np.int32), person_id.astype(np.int64, copy=True), frm, to,
                             municipality.astype(np.int32, copy=True), np.full(n, code, np.int8)))
        np.add.at(self.flows, (frm, to), 1)

    def mark(self) -> int:
        """A bookmark of the log as it is now, for `flows_since`."""
        return len(self._chunks)

    def flows_since(self, mark: int) -> np.ndarray:
        """Transitions recorded since `mark`, counted per (municipality, from, to) code: what `flows` counts,
        split by the person's municipality."""
        n_labels, n_munis = len(_STATE_LABELS), len(self.municipality_names)
        chunks = self._chunks[mark:]
        if not chunks:
            return np.zeros((n_munis, n_labels, n_labels), dtype=np.int64)
        muni, frm, to = (np.concatenate([c[i] for c in chunks]).astype(np.int64) for i in (4, 2, 3))
        code = (muni * n_labels + frm) * n_labels + to
        return np.bincount(code, minlength=n_munis * n_labels * n_labels).reshape(n_munis, n_labels, n_labels)

    def reset_flows(self) -> None:
        self.flows[:] = 0

    def __len__(self) -> int:
        return sum(c[0].size for c in self._chunks)

    def to_frame(self) -> pd.DataFrame:
        if self._chunks:
            cols = [np.concatenate([c[i] for c in self._chunks]) for i in range(6)]
        else:
            cols = [np.zeros(0, t) for t in (np.int32, np.int64, np.int8, np.int8, np.int32, np.int8)]
        month, pid, frm, to, muni, reason = cols
        return pd.DataFrame({
            "month": month,
            "person_id": pid,
            "from_state": pd.Categorical.from_codes(frm, _STATE_LABELS),
            "to_state": pd.Categorical.from_codes(to, _STATE_LABELS),
            "municipality": pd.Categorical.from_codes(muni, self.municipality_names),
            "reason": pd.Categorical.from_codes(reason, list(S.REASONS)),
        })
