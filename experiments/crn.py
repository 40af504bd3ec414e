"""How much common random numbers sharpen a comparison (`plm bench --crn`).

A variant (`policy.caseload = 200`) and the baseline (the default region, caseload 350) are compared over
`months` months on `seeds` seeds in two ways: on the same seed (common random numbers: both runs see the same
people and the same draws, abm/rng.py) and on independent seeds (the variant on seed + 1000). The spread of the
difference in inclusion at the end of the run is the noise a one-seed comparison shows as effect;
`variance_reduction` = var(difference, independent seeds) / var(difference, same seed).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

VARIANT = {"policy.caseload": 200.0}
INDEPENDENT_OFFSET = 1000


def _inclusion(overrides: dict[str, Any], seed: int, months: int, scenario: str) -> float:
    from abm.model import LabourMarketModel

    model = LabourMarketModel(scenario, seed=seed, months=months, agent_views=False, **overrides)
    model.run()
    return float(model.current_metrics["inclusion_rate"])


def crn_benchmark(seeds: int = 10, months: int = 48, scenario: str = "default",
                  variant: dict[str, Any] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Paired (same seed) and unpaired (independent seeds) differences in final inclusion; their variances."""
    variant = dict(VARIANT if variant is None else variant)
    same, independent = [], []
    total = 3 * seeds
    done = 0
    for seed in range(1, seeds + 1):
        base = _inclusion({}, seed, months, scenario)
        paired = _inclusion(variant, seed, months, scenario)
        other = _inclusion(variant, seed + INDEPENDENT_OFFSET, months, scenario)
        same.append(paired - base)
        independent.append(other - base)
        done += 3
        if progress:
            progress(done, total)
    var_same = float(np.var(same, ddof=1))
    var_indep = float(np.var(independent, ddof=1))
    return {"scenario": scenario, "variant": variant, "months": months, "seeds": seeds,
            "mean_difference_same_seed": float(np.mean(same)),
            "mean_difference_independent": float(np.mean(independent)),
            "var_same_seed": var_same, "var_independent": var_indep,
            "variance_reduction": var_indep / var_same if var_same > 0 else float("inf")}
