"""A sector's hiring stance (abm/sector_stance.py): `[sectors.NAME]` and dated `[[sector_changes]]` move the
regular hiring of that sector's firms in the stated direction, the defaults change nothing, and bad entries are
refused in one line (abm/scenario.py)."""

from __future__ import annotations

import numpy as np
import pytest

from abm import states as S
from abm.model import LabourMarketModel
from abm.scenario import ScenarioError, load

SETTINGS = {"scale": 20.0, "months": 12}
KEEN = {"register_willingness": 2.0, "temporary_shift": 0.7}


def _run(**scenario) -> LabourMarketModel:
    model = LabourMarketModel({"base": "default", **scenario}, seed=3, agent_views=False, **SETTINGS)
    model.run()
    return model


def _in_sector(model: LabourMarketModel, code: int) -> np.ndarray:
    """Rows of people in a regular job at a firm of sector `code`."""
    s, e = model.s, model.e
    working = (s.state == S.REGULAR) & (s.employer >= 0)
    return working & (e.sector[np.maximum(s.employer, 0)] == code)


@pytest.fixture(scope="module")
def plain():
    return _run()


@pytest.fixture(scope="module")
def keen():
    return _run(sectors={"sector1": KEEN})


def test_register_willingness_raises_register_hires_in_that_sector(plain, keen):
    def register_workers(model):
        return int((_in_sector(model, 0) & model.s.in_register).sum())
    assert register_workers(keen) > register_workers(plain) + 5


def test_temporary_shift_raises_temporary_contracts_in_that_sector(plain, keen):
    def temporary(model):
        return int((_in_sector(model, 0) & (model.s.contract == S.TEMPORARY)).sum())
    assert temporary(keen) > temporary(plain) + 5


def test_no_subsidy_uptake_stops_new_subsidised_hires_in_that_sector(plain):
    model = _run(sector_changes=[{"month": 1, "sector": "sector2", "set": {"subsidy_uptake": 0.0}}])
    new = _in_sector(model, 1) & (model.s.months_in_state < 11)   # hired from month 1 on
    assert int((new & model.s.uses_subsidy).sum()) == 0
    assert int((_in_sector(plain, 1) & (plain.s.months_in_state < 11) & plain.s.uses_subsidy).sum()) > 0


def test_a_dated_change_leaves_the_months_before_it_alone(plain):
    later = _run(sector_changes=[{"month": 7, "sector": "sector1", "set": KEEN}])
    a, b = plain.timeseries(), later.timeseries()
    assert a.iloc[:7].equals(b.iloc[:7])
    assert not a.iloc[7:].equals(b.iloc[7:])


def test_defaults_written_out_change_nothing(plain):
    same = _run(sectors={"sector3": {"subsidy_uptake": 1.0, "register_willingness": 0.0, "temporary_shift": 0.0}})
    assert plain.timeseries().equals(same.timeseries())


@pytest.mark.parametrize("data, words", [
    ({"sectors": {"sector9": {}}}, "sectors = 'sector9': no such sector; allowed: sector1, sector2"),
    ({"sector_changes": [{"month": 2, "sector": "care", "set": {}}]}, "sector_changes[0].sector = 'care'"),
    ({"sector_changes": [{"month": 2, "sector": "sector1", "set": {"willingness": 1}}]},
     "unknown key 'sector_changes[0].set.willingness'; did you mean 'register_willingness'?"),
    ({"sector_changes": [{"month": 2, "sector": "sector1", "set": {"temporary_shift": 2}}]},
     "sector_changes[0].set.temporary_shift = 2"),
    ({"sectors": {"sector1": {"subsidy_uptake": -1}}}, "subsidy_uptake"),
])
def test_bad_entries_are_refused_in_one_line(data, words):
    with pytest.raises(ScenarioError) as err:
        load({"base": "default", **data})
    assert words in str(err.value) and "\n" not in str(err.value)


def test_more_sectors_more_names():
    scenario = load({"base": "default", "employers": {"sectors": 9}, "sectors": {"sector9": KEEN}})
    assert scenario.sectors["sector9"].register_willingness == 2.0
