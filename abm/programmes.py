"""Places filled against places available, per programme and municipality, now (in people: agents × scale).

The capacities are the ones the mechanisms use, taken from their modules, so the figure cannot drift from the
rule:
- basisbaan: the places available to recruitment (`acquisition.places`: the planned `basisbaan.total_slots`,
  rounded to agents as recruitment rounds them, while the programme runs, else 0; where the programme
  acquires its places, those acquired so far); planned = the declared places while the programme runs;
  filled = people in a basisbaan. Each municipality runs its own programme: the places are per municipality,
  the region's total is their sum.
- parallel work: the funded places of the municipality's social enterprises, satellites and sheltered workshop
  (`acquisition.places(model, "parallel")`: planned = `parallel_capacity` of the employer table,
  `employers.build`; available = those acquired where the municipality acquires its parallel places);
  filled = `parallel_filled`.
- participation: `activation.participation_capacity` (places per 100 of the current bijstand stock); filled =
  people in the participation state (which also holds volunteering and tegenprestatie).
Basisbaan and parallel places can be made over time (abm/acquisition.py); for participation, planned = available.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm import acquisition, activation
from abm import states as S

PROGRAMMES = ("basisbaan", "parallel", "participation")


def places(model) -> pd.DataFrame:
    """One row per programme and municipality, and a row per programme for the region ("all"): programme,
    municipality, filled, available, planned (people)."""
    s, k, n = model.s, model.scale, model.n_munis
    bb, par = acquisition.places(model, "basisbaan"), acquisition.places(model, "parallel")
    figures = {
        "basisbaan": (bb["filled"], bb["acquired"], bb["planned"]),
        "parallel": (par["filled"], par["acquired"], par["planned"]),
        "participation": (np.bincount(s.municipality[s.state == S.PARTICIPATION], minlength=n),
                          activation.participation_capacity(model)),
    }
    rows = []
    for programme in PROGRAMMES:
        filled, available, *planned = (np.asarray(a, dtype=float) * k for a in figures[programme])
        planned = planned[0] if planned else available
        for i, name in enumerate(model.municipality_names):
            rows.append((programme, name, float(filled[i]), float(available[i]), float(planned[i])))
        rows.append((programme, "all", float(filled.sum()), float(available.sum()), float(planned.sum())))
    return pd.DataFrame(rows, columns=["programme", "municipality", "filled", "available", "planned"])
