"""The mechanism protocol: the month is the declared schedule, and a mechanism of one's own, in a file outside
the package (docs/examples/travel_allowance.py), runs with its own section, column, metric and place."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

from abm.mechanism import Mechanism, insert
from abm.model import LabourMarketModel
from abm.scenario import Scenario, ScenarioError, load
from abm.schedule import BUILT_IN, RULES, SCHEDULE, SEEKER_COLUMNS

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "travel_allowance.py"


def _example():
    spec = importlib.util.spec_from_file_location("travel_allowance_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_schedule_runs_every_stepping_mechanism_once_in_a_declared_order():
    names = [m.name for _, m in SCHEDULE]
    assert len(names) == len(set(names))
    assert names.index("search") < names.index("hiring") < names.index("self_stigma") < names.index("metrics")
    for _, m in SCHEDULE:
        assert list(inspect.signature(m.step).parameters) == ["model", "month"], m.name
    assert all(m.step is None for m in RULES)


def test_every_mechanism_s_parameters_are_a_scenario_section_and_its_columns_are_in_the_tables():
    for m in BUILT_IN:
        if m.params is not None:
            assert Scenario.model_fields[m.name].annotation is m.params, m.name
        for column in m.columns:
            assert column in SEEKER_COLUMNS, (m.name, column)
    model = LabourMarketModel("default", seed=1, months=1, agent_views=False, scale=50.0)
    assert set(model.s.columns) == set(SEEKER_COLUMNS)


def test_a_mechanism_of_one_s_own_runs_with_its_section_column_metric_and_place(tmp_path):
    travel = _example().MECHANISM
    runs = {}
    for share in (0.0, 1.0):
        m = LabourMarketModel("default", seed=3, months=24, agent_views=False, mechanisms=[travel],
                              **{"travel_allowance.allowance_share": share})
        m.run()
        runs[share] = m
    names = [m.name for _, m in runs[0.0].schedule]
    assert names.index("travel_allowance") == names.index("hiring") + 1
    ts0, ts1 = runs[0.0].timeseries(), runs[1.0].timeseries()
    assert {"hires_away_from_home", "travel_allowance_paid"} <= set(ts0.columns)
    # the evidence's direction: paying the travel cost makes people accept offers further from home
    assert ts1["hires_away_from_home"].sum() > ts0["hires_away_from_home"].sum()
    assert ts0["travel_allowance_paid"].max() == 0 and ts1["travel_allowance_paid"].iloc[-1] > 0
    assert runs[1.0].s.commute_km.max() > 0
    # a scenario file with its section, and the agent view reads its column
    path = tmp_path / "travel.toml"
    path.write_text('base = "default"\nname = "travel"\nmonths = 2\nscale = 20.0\n[travel_allowance]\n'
                    'allowance_share = 0.5\n')
    model = LabourMarketModel(str(path), seed=1, mechanisms=[travel])
    assert model.p.travel_allowance.allowance_share == 0.5
    model.run()
    from agents import JobSeeker
    person = model.agents_by_type[JobSeeker][0]
    assert person.commute_km == float(model.s.commute_km[person.row])
    # without the mechanism its section is an unknown key: one line
    with pytest.raises(ScenarioError, match="unknown key 'travel_allowance'"):
        load(str(path))


def test_a_mechanism_must_say_where_it_runs_and_not_take_a_name_in_use():
    with pytest.raises(ValueError, match="after= or before="):
        insert(list(SCHEDULE), Mechanism("x", step=lambda model, month: None))
    with pytest.raises(ValueError, match="not a mechanism of the model"):
        insert(list(SCHEDULE), Mechanism("x", step=lambda model, month: None, after="nope"))
    with pytest.raises(ValueError, match="already has a mechanism of that name"):
        insert(list(SCHEDULE), Mechanism("search", step=lambda model, month: None, after="hiring"))
    with pytest.raises(ScenarioError, match="not a mechanism of the model"):
        LabourMarketModel("default", seed=1, mechanisms=[Mechanism("x", step=lambda m, mo: None, after="nope")])
