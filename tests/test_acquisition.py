"""Places are made, not declared (abm/acquisition.py): the rule's direction, its switch, and the invariants with it on.

- Off (the default) changes nothing: every declared place is available at once (the golden baseline pins the
  numbers; here: acquired = planned every month).
- More acquisition hours: places acquired sooner. A stricter additionality test: fewer places (a smaller
  pool). No employer of record: no places.
- Every month, per municipality and in total: filled ≤ acquired ≤ planned, vacant = acquired - filled; the
  model's invariants (tests/invariants.py, money included) hold with the rule on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm import acquisition
from abm import by_municipality as B
from abm.model import LabourMarketModel
from abm.scenario import load
from tests.invariants import check_all

PRESET = "rotterdam-wijkbasisbaan-2021-acquisition"
ON = {"scale": 8.0, "policy.basisbaan_slots": 40, "policy.basisbaan_acquisition": True}


def acquired_by_month(months: int = 12, **overrides) -> list[int]:
    """The region's places acquired at the end of each month (agents), running the default region."""
    model = LabourMarketModel("default", seed=2, months=months, agent_views=False, **{**ON, **overrides})
    out = []
    for _ in range(months):
        model.step()
        out.append(int(acquisition.places(model)["acquired"].sum()))
    return out


def test_more_acquisition_hours_acquire_places_sooner():
    slow = acquired_by_month(**{"policy.basisbaan_acquisition_hours": 40.0})
    fast = acquired_by_month(**{"policy.basisbaan_acquisition_hours": 320.0})
    assert all(f >= s for f, s in zip(fast, slow))
    assert sum(fast) > sum(slow)
    assert slow[0] == 0   # the employer of record takes its lead time


def test_a_stricter_additionality_test_leaves_fewer_places():
    lax = acquired_by_month(24, **{"policy.additionality_test": 0.0, "acquisition.pool_per_1000_bijstand": 10.0})
    strict = acquired_by_month(24, **{"policy.additionality_test": 1.0, "acquisition.pool_per_1000_bijstand": 10.0})
    assert strict[-1] < lax[-1]
    assert all(t <= x for t, x in zip(strict, lax))


def test_no_employer_of_record_no_places():
    assert acquired_by_month(**{"acquisition.employer_probability": 0.0}) == [0] * 12


def test_without_acquisition_every_declared_place_is_available():
    model = LabourMarketModel("default", seed=2, months=3, agent_views=False, scale=8.0,
                              **{"policy.basisbaan_slots": 40})
    for _ in range(3):
        model.step()
        p = acquisition.places(model)
        assert (p["acquired"] == p["planned"]).all() and p["planned"].sum() > 0


def test_places_filled_never_exceed_acquired_nor_acquired_planned_and_the_invariants_hold():
    model = LabourMarketModel(PRESET, seed=4, months=30, agent_views=False, scale=2.0, mechanisms=[B.MECHANISM])
    problems = {}
    for month in range(1, 31):
        model.step()
        if bad := check_all(model):
            problems[month] = bad
    assert problems == {}
    bm = B.frame(model)
    assert (bm["n_basisbaan"] <= bm["basisbaan_places_acquired"]).all()
    assert (bm["basisbaan_places_acquired"] <= bm["basisbaan_places"]).all()
    assert (bm["basisbaan_places_vacant"] == bm["basisbaan_places_acquired"] - bm["n_basisbaan"]).all()
    city = bm[bm["municipality"] == "Stad"].set_index("month")
    # a ramp-up: nothing at the start, some places within the first year, the plan before the end
    assert city.loc[0, "basisbaan_places_acquired"] == 0
    assert 0 < city.loc[12, "basisbaan_places_acquired"] < city.loc[12, "basisbaan_places"]
    assert city.loc[30, "basisbaan_places_acquired"] == city.loc[30, "basisbaan_places"] == 60
    total = bm.groupby("month")[["basisbaan_places", "basisbaan_places_acquired", "n_basisbaan"]].sum()
    assert (total["n_basisbaan"] <= total["basisbaan_places_acquired"]).all()
    np.testing.assert_array_equal(total["n_basisbaan"].to_numpy(), model.timeseries()["n_basisbaan"].to_numpy())


def test_switching_acquisition_on_mid_run_keeps_the_workers_in_their_places():
    model = LabourMarketModel("default", seed=2, months=10, agent_views=False, scale=8.0,
                              **{"policy.basisbaan_slots": 40})
    model.change_policy_from("basisbaan_acquisition", True, month=5)
    for month in range(1, 11):
        model.step()
        p = acquisition.places(model)
        assert (p["filled"] <= p["acquired"]).all() and (p["acquired"] <= p["planned"]).all(), month
        if month == 4:
            assert (p["acquired"] == p["planned"]).all() and p["filled"].sum() > 0
        if month == 5:   # the places already filled count as acquired; the open ones are still to be made
            assert (p["acquired"] < p["planned"]).any()


# --- parallel places (the same pipeline, policy.parallel_acquisition) ---------------------------------------------

PARALLEL = "parallel-market-acquisition"


def test_the_places_series_are_in_the_time_series_and_per_municipality():
    model = LabourMarketModel("default", seed=2, months=2, agent_views=False, scale=8.0, mechanisms=[B.MECHANISM])
    model.run()
    for column in acquisition.PLACE_COLUMNS:
        assert column in model.timeseries().columns and column in B.frame(model).columns, column


def test_parallel_places_ramp_up_under_acquisition_and_equal_the_plan_without():
    on = LabourMarketModel(PARALLEL, seed=3, months=24, agent_views=False, scale=4.0)
    off = LabourMarketModel("parallel-market", seed=3, months=24, agent_views=False, scale=4.0)
    on.run()
    off.run()
    ts, base = on.timeseries().set_index("month"), off.timeseries().set_index("month")
    acquired = ts["parallel_places_acquired"]
    # the existing market's places (3 per 100 bijstand recipients and the sheltered workshop's) exist; only the
    # expansion to 15 per 100 is still to be made
    existing = acquisition.parallel_existing(on).sum() * 4
    assert ts.loc[0, "parallel_places_filled"] < acquired[0] == existing < ts.loc[0, "parallel_places"]
    assert (acquired.diff().dropna() >= 0).all() and acquired[6] < acquired[12] < acquired[24]
    assert acquired[24] < ts.loc[24, "parallel_places"]
    assert (ts["parallel_places_filled"] <= acquired).all()
    # without acquisition every funded place is available at once: more people in parallel work sooner
    assert (base["parallel_places_acquired"] == base["parallel_places"]).all()
    assert base.loc[12, "n_parallel"] > ts.loc[12, "n_parallel"]


def test_both_programmes_acquiring_keep_the_invariants_and_share_the_pool_of_additional_work():
    both = {"policy.parallel_acquisition": True, "policy.parallel_places_per_100": 15.0,
            "acquisition.pool_per_1000_bijstand": 10.0}
    model = LabourMarketModel(PRESET, seed=4, months=24, agent_views=False, scale=2.0, mechanisms=[B.MECHANISM],
                              **both)
    alone = LabourMarketModel(PRESET, seed=4, months=24, agent_views=False, scale=2.0,
                              **{"acquisition.pool_per_1000_bijstand": 10.0})
    problems = {}
    for month in range(1, 25):
        model.step()
        alone.step()
        if bad := check_all(model):
            problems[month] = bad
    assert problems == {}
    # the parallel programme takes tasks from the same pool, so the basisbaan programme makes fewer places
    assert model.acquisition["parallel"].used.sum() > 0
    assert acquisition.places(model)["acquired"].sum() < acquisition.places(alone)["acquired"].sum()
    bm = B.frame(model)
    assert (bm["parallel_places_filled"] <= bm["parallel_places_acquired"]).all()
    assert (bm["parallel_places_vacant"] == bm["parallel_places_acquired"] - bm["parallel_places_filled"]).all()


def test_with_the_parallel_places_a_municipality_already_funds_nothing_is_left_to_acquire():
    # from the drawn state (no spin-up), where the funded places are not all filled yet: vacant places that
    # exist already need no acquiring
    on = LabourMarketModel("default", seed=3, months=6, agent_views=False, scale=4.0, spin_up_months=0,
                           **{"policy.parallel_acquisition": True})
    p = acquisition.places(on, "parallel")
    assert (p["acquired"] == p["planned"]).all() and (p["filled"] < p["planned"]).all()
    off = LabourMarketModel("default", seed=3, months=6, agent_views=False, scale=4.0, spin_up_months=0)
    on.run()
    off.run()
    pd.testing.assert_frame_equal(on.timeseries(), off.timeseries())   # the same run: nothing to make


def test_parallel_hiring_is_offered_only_the_places_acquired_and_not_yet_filled():
    model = LabourMarketModel(PARALLEL, seed=3, months=6, agent_views=False, scale=4.0)
    model.run()
    p = acquisition.places(model, "parallel")
    offered = np.bincount(model.e.municipality[model.open_parallel_slots()], minlength=model.n_munis)
    np.testing.assert_array_equal(offered, p["acquired"] - p["filled"])
    assert (p["acquired"] < p["planned"]).all()
    free = LabourMarketModel("parallel-market", seed=3, months=6, agent_views=False, scale=4.0)
    free.run()
    p = acquisition.places(free, "parallel")
    offered = np.bincount(free.e.municipality[free.open_parallel_slots()], minlength=free.n_munis)
    np.testing.assert_array_equal(offered, p["planned"] - p["filled"])


def test_a_dated_policy_change_of_acquisition_applies_from_its_month(tmp_path):
    """The switch and the staff hours are read from the policy in force (`model.policy_arrays`): a scenario's dated
    [[policy_changes]] turn acquisition on in the city from month 4 and its staff hours to 0 from month 8."""
    city = '[[policy_changes]]\nmonth = 0\nmunicipality = "Stad"\nset = { basisbaan_slots = 50 }\n'   # its programme
    on = '[[policy_changes]]\nmonth = 4\nmunicipality = "Stad"\nset = { basisbaan_acquisition = true }\n'
    no_staff = '[[policy_changes]]\nmonth = 8\nmunicipality = "Stad"\nset = { basisbaan_acquisition_hours = 0.0 }\n'
    runs, lead = {}, 0
    for name, text in (("on", city + on), ("on_then_no_staff", city + on + no_staff)):
        path = tmp_path / f"{name}.toml"
        path.write_text('base = "default"\nscale = 8.0\nmonths = 12\n' + text)
        model = LabourMarketModel(load(str(path)), seed=2, agent_views=False)
        lead = model.p.acquisition.employer_lead_months
        rows = []
        for _ in range(12):
            model.step()
            p, a = acquisition.places(model), model.acquisition["basisbaan"]
            rows.append((int(p["planned"][0]), int(p["acquired"][0]), float(a.acquired[0]), float(a.used[0])))
        runs[name] = rows
    on, cut = runs["on"], runs["on_then_no_staff"]
    assert min(r[0] for r in on) > 0                                  # the city runs its programme throughout
    assert all(r[1] == r[0] and r[3] == 0.0 for r in on[:3])          # months 1-3: every declared place, no staff
    assert on[3][1] < on[3][0]                                        # month 4: the open places are still to be made
    assert on[:7] == cut[:7]                                          # the same run until month 8
    assert on[7][3] > on[6][3] and all(r[3] == cut[6][3] for r in cut[7:])   # from month 8 no task is found ...
    settled = cut[7 + lead:]                                          # ... and once those found have their employer
    assert all(r[2] == settled[0][2] for r in settled) and on[-1][2] > settled[0][2]   # nothing more is acquired
