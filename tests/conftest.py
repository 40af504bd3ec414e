"""Shared fixtures: small runs of the default region (scale 4: one agent stands for four people)."""

from __future__ import annotations

import pytest

from abm.model import LabourMarketModel

# spin_up_months = 0: these runs test mechanics from the drawn state; the spin-up (the presets' default, 120
# months) has its own tests (tests/test_spin_up.py, tests/test_stationary.py) and would add ~4 s to each build.
SMALL = {"scale": 4.0, "spin_up_months": 0}


def small_model(seed: int = 7, months: int = 24, agent_views: bool = False, **overrides) -> LabourMarketModel:
    return LabourMarketModel("default", seed=seed, months=months, agent_views=agent_views, **{**SMALL, **overrides})


def run_small(seed: int = 7, months: int = 24, **overrides) -> LabourMarketModel:
    model = small_model(seed, months, **overrides)
    model.run()
    return model


@pytest.fixture(scope="session")
def default_run() -> LabourMarketModel:
    """One 36-month run of the small default region, shared by the invariant tests."""
    model = small_model(seed=11, months=36)
    model.checks = []
    from tests.invariants import check_all
    for _ in range(36):
        model.step()
        model.checks.append(check_all(model))
    return model
