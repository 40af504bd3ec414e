"""A baseline that stands still (issue 10 §4; docs/model.md, "A baseline that stands still").

The spin-up: `spin_up_months` run before month 0 and are not reported; dated policy changes count from month 0;
same seed, same run. The baseline: today's rules (`baseline-participatiewet`), a stable economy, no policy change,
after a spin-up of SPIN_UP months, 240 months; the mean over three seeds of inclusion within ±1 point of
month 0, the inclusion gap within ±0.05 and the number of people on bijstand within ±3%, in every month.
"""

from __future__ import annotations

import numpy as np
import pytest

from abm.model import LabourMarketModel
from abm.scenario import ScenarioCore

SEEDS = (1, 2, 3)
MONTHS = 240
SPIN_UP = ScenarioCore.model_fields["spin_up_months"].default   # the default: what every preset runs
BANDS = {"inclusion_rate": ("abs", 0.01), "inclusion_gap": ("abs", 0.05), "n_bijstand": ("rel", 0.03)}


def small(**overrides) -> LabourMarketModel:
    return LabourMarketModel("default", seed=5, months=6, agent_views=False, scale=50.0, **overrides)


def test_the_spin_up_is_not_reported():
    model = small(spin_up_months=12)
    assert model.month == 0 and model.spin_up_seconds > 0
    assert (model.s.person_id == np.arange(model.s.n)).all() and model.next_person_id == model.s.n
    model.run()
    ts, tr, ledger = model.timeseries(), model.transitions(), model.ledger_frame()
    assert ts["month"].tolist() == list(range(7))
    assert tr["month"].min() == 0 and (tr[tr["month"] == 0]["reason"] == "initial").all()
    assert len(tr[tr["month"] == 0]) == model.s.n
    assert ledger["month"].min() == 0
    # the months before 0 did run: the parallel places are filled as the flows fill them
    assert ts["n_parallel"].iloc[0] > small(spin_up_months=0).timeseries()["n_parallel"].iloc[0]


def test_the_spin_up_is_deterministic():
    a, b = small(spin_up_months=12), small(spin_up_months=12)
    a.run()
    b.run()
    assert a.timeseries().equals(b.timeseries())
    assert a.transitions().equals(b.transitions())


def test_a_dated_policy_change_counts_from_month_0():
    """A change dated month 3 acts from month 3 after the spin-up, not during it: months 0-2 equal the run
    without the change."""
    plain, changed = small(spin_up_months=12), small(spin_up_months=12)
    changed.change_policy_from("participation_places_per_100", 0.0, month=3)
    plain.run()
    changed.run()
    a, b = plain.timeseries(), changed.timeseries()
    assert a.iloc[:3].equals(b.iloc[:3])
    assert b["n_participation"].iloc[6] < a["n_participation"].iloc[6]


def _outside(series: np.ndarray, columns) -> list[str]:
    out = []
    for j, name in enumerate(columns):
        kind, band = BANDS[name]
        dev = series[:, j] - series[0, j]
        if kind == "rel":
            dev = dev / series[0, j]
        worst = int(np.argmax(np.abs(dev)))
        if abs(dev[worst]) > band:
            out.append(f"{name}: month {worst} is {series[worst, j]:.4g} against {series[0, j]:.4g} at month 0 "
                       f"(allowed ±{band:g}{' relative' if kind == 'rel' else ''})")
    return out


def test_the_band_check_sees_a_drift():
    flat = np.tile([0.40, 0.50, 17000.0], (MONTHS + 1, 1))
    assert _outside(flat, BANDS) == []
    drift = flat.copy()
    drift[-1, 2] = 17000 * 1.031
    assert len(_outside(drift, BANDS)) == 1


@pytest.fixture(scope="module")
def baseline_mean():
    frames = []
    for seed in SEEDS:
        model = LabourMarketModel("baseline-participatiewet", seed=seed, months=MONTHS, agent_views=False,
                                  spin_up_months=SPIN_UP)
        assert model.p.economy.tightness_path == [] and model.p.policy_changes == []
        model.run()
        frames.append(model.timeseries()[list(BANDS)].to_numpy(dtype=float))
    return np.mean(frames, axis=0)


@pytest.mark.slow
def test_the_baseline_bijstand_count_stands_still(baseline_mean):
    assert _outside(baseline_mean[:, [2]], ["n_bijstand"]) == []


@pytest.mark.slow
def test_the_baseline_inclusion_and_gap_stand_still(baseline_mean):
    assert _outside(baseline_mean[:, :2], ["inclusion_rate", "inclusion_gap"]) == []


def test_the_bijstand_flows_add_up_to_the_stock():
    """Inflow minus outflow minus those who reached the pension age is the month's change of the bijstand count."""
    from abm import states as S
    from experiments.stationary import BijstandFlows
    model = small(spin_up_months=0)
    flows = BijstandFlows(model)
    stock = [int((model.s.benefit == S.BIJSTAND).sum())]
    for _ in range(6):
        model.step()
        flows.after_month()
        stock.append(int((model.s.benefit == S.BIJSTAND).sum()))
    change = np.diff(stock)
    assert (change == np.array(flows.inflow) - np.array(flows.outflow) - np.array(flows.retired)).all()
    assert sum(flows.inflow) > 0 and sum(flows.outflow) > 0
    assert flows.stock == stock[1:]
