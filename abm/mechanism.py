"""The mechanism protocol: what a module declares so the model can build it, run it and report it.

A mechanism is one rule of the model (employer stigma, search, hiring, ...) in one module of `abm/`. It declares,
in one `Mechanism` value at the end of its module (the Starsim habit of `define_pars`, `define_states` and
`define_results` in one place):

- `name`: its section in a scenario file (`[search]`) and the name of its random draws (`model.key(name)`);
- `params`: the pydantic `Section` of its parameters, each with unit, range, default and source;
- `columns` / `employer_columns`: the state columns it owns (name -> `Column(dtype, fill, meaning)`);
- `init(model)`: called once the world is built (optional);
- `step(model, month)`: its rule for one month; `month` (`Month`) carries what phases hand on to later ones
  (the applications of the search to hiring, the people hired to the updates, the money of the month);
- `metrics`: the columns it adds to the time series (name -> `Metric(function(model, month), meaning)`);
- `offer_value(model, rows, employers, hours)`: optionally, EUR a month it adds to the value of a job offer
  when a person decides whether to accept it (abm/hiring.py).

`abm/model.py` declares the month once, as the ordered `SCHEDULE` of (phase, mechanism) pairs. A researcher adds
a mechanism in a file of their own and passes it to the model (`LabourMarketModel(..., mechanisms=[MINE])`), with
`after="hiring"` (or `before=...`) saying where it runs: the scenario schema gains its section, the tables its
columns and the time series its metrics (docs/architecture.md, "Adding a mechanism").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import numpy as np


class Column(NamedTuple):
    """One state column: numpy dtype, the value it starts at, what it means."""

    dtype: str
    fill: float
    doc: str


@dataclass(frozen=True)
class Metric:
    """One column of the monthly time series: how it is computed from the model and the month, what it means."""

    compute: Callable[[Any, "Month"], float]
    doc: str


@dataclass(frozen=True)
class Mechanism:
    """A rule of the model and everything it declares (module docstring)."""

    name: str
    doc: str = ""
    params: type | None = None
    columns: dict[str, Column] = field(default_factory=dict)
    employer_columns: dict[str, Column] = field(default_factory=dict)
    init: Callable[[Any], None] | None = None
    step: Callable[[Any, "Month"], None] | None = None
    metrics: dict[str, Metric] = field(default_factory=dict)
    offer_value: Callable[[Any, np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    after: str | None = None     # for a mechanism of one's own: run right after this one ...
    before: str | None = None    # ... or right before this one


@dataclass
class Month:
    """What one month carries from phase to phase (read and written by the mechanisms' steps)."""

    number: int
    start_counts: np.ndarray                       # people per labour state at the start of the month (agents)
    applications: Any = None                       # search -> hiring (abm.search.Applications)
    hired: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))   # rows hired this month
    placed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # rows placed in a basisbaan
    money: dict[str, np.ndarray] = field(default_factory=dict)                       # accounting's flows
    counts: dict[str, float] = field(default_factory=dict)   # counts of the month that become metrics (agents)


def insert(schedule: list[tuple[str, Mechanism]], extra: Mechanism) -> list[tuple[str, Mechanism]]:
    """The schedule with a mechanism of one's own placed after (or before) the one it names."""
    names = [m.name for _, m in schedule]
    if extra.name in names:
        raise ValueError(f"mechanism {extra.name!r}: the model already has a mechanism of that name; allowed: "
                         f"another name (taken: {', '.join(names)})")
    anchor = extra.after or extra.before
    if anchor is None or (extra.after and extra.before):
        raise ValueError(f"mechanism {extra.name!r}: say where it runs with after= or before= one of "
                         f"{', '.join(names)}")
    if anchor not in names:
        raise ValueError(f"mechanism {extra.name!r}: after/before = {anchor!r} is not a mechanism of the model; "
                         f"allowed: {', '.join(names)}")
    i = names.index(anchor)
    phase = schedule[i][0]
    at = i + 1 if extra.after else i
    return [*schedule[:at], (phase, extra), *schedule[at:]]
