""""From now on" in the app (issue 11, section 2): a policy lever moved during a run applies from the next month
as a dated policy change; the months run stay, the baseline is untouched, a restart replays the change, and the
exported scenario replays the run with the same numbers. The rule itself is `abm.scenario.change_policy_from`
(tests/test_policy_from_now.py); these tests check that the session uses it and nothing else."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from abm.model import LabourMarketModel
from abm.scenario import validate
from viz import charts as C
from viz import tabs as T
from viz.session import Session

SMALL = {"scale": 8.0, "months": 24}


@pytest.fixture
def session() -> Session:
    return Session("default", seed=7, overrides=SMALL)


def test_a_lever_from_now_continues_the_run_and_the_export_replays_it(session):
    session.set_compare(True)
    session.step(6)
    before = session.snapshot().ts.copy()
    assert session.set_lever_from_now("policy.caseload", 60) is None
    snap = session.snapshot()
    assert snap.month == 6 and snap.dated == ((7, "", "policy.caseload", 60),)
    pd.testing.assert_frame_equal(snap.ts, before)                   # the months run stay as they were
    session.step(18)
    snap = session.snapshot()

    data = tomllib.loads(session.export_toml())
    assert data["policy_changes"][-1]["month"] == 7 and data["policy_changes"][-1]["set"] == {"caseload": 60}
    replay = LabourMarketModel(validate(data), seed=7, agent_views=False)
    replay.run()
    assert replay.timeseries().to_csv(index=False) == snap.ts.to_csv(index=False)

    plain = LabourMarketModel(session.loaded, seed=7, agent_views=False)
    plain.run()
    assert plain.timeseries().to_csv(index=False) == snap.ts_base.to_csv(index=False)   # the baseline as loaded
    assert not snap.ts.iloc[7:].equals(snap.ts_base.iloc[7:])


def test_a_restart_replays_the_dated_change_and_a_month_0_lever_keeps_it(session):
    session.step(3)
    session.set_lever_from_now("policy.caseload", 60)
    session.reset()
    assert session.month == 0 and session.scenario.policy_at(0, 4).caseload == 60
    assert session.scenario.policy_at(0, 3).caseload != 60
    session.set_lever("policy.basisbaan_slots", 80)
    assert session.snapshot().dated == ((4, "", "policy.caseload", 60),)
    assert session.scenario.policy_at(0, 4).caseload == 60
    session.clear_changes()
    assert session.snapshot().dated == () and session.scenario == session.loaded


def test_a_lever_from_now_for_one_municipality(session):
    city = session.scenario.municipalities[0].name
    session.step(2)
    assert session.set_lever_from_now("policy.caseload", 55, scope=city) is None
    assert session.scenario.policy_at(0, 3).caseload == 55
    assert session.scenario.policy_at(1, 3).caseload != 55


@pytest.mark.parametrize("path, value, needle", [
    ("economy.tightness", 1.2, "only policy settings can change during a run"),
    ("policy.caseload", -3, "policy.caseload"),
])
def test_what_cannot_change_from_now_is_refused_beside_the_lever_and_the_run_goes_on(session, path, value, needle):
    session.step(2)
    err = session.set_lever_from_now(path, value)
    assert err and needle in err and "\n" not in err
    assert session.error_at == f"lever::{path}"
    assert session.month == 2 and session.snapshot().dated == ()
    assert session.step(1) == 1


def test_a_run_that_has_ended_refuses_from_now(session):
    session.step(24)
    err = session.set_lever_from_now("policy.caseload", 60)
    assert "the run has ended at month 24" in err


def test_the_charts_mark_the_month_a_change_applies_from(session):
    session.step(5)
    session.set_lever_from_now("policy.caseload", 60)
    charts = T.live_charts(session.snapshot(), "en")
    inclusion = next(c for c in charts if c.id == "inclusion")
    assert [m[0] for m in inclusion.markers] == [6]
    _data, layout = C.to_plotly(inclusion)
    assert [s["x0"] for s in layout["shapes"]] == [6]
    assert C.to_image(inclusion, "png")[:4] == b"\x89PNG"


def test_the_lever_box_shows_the_value_in_force_after_from_now(session):
    """After "from now on" the box shows the value now in force (for the month the run steps next), not month 0's;
    region-wide and for one municipality; a restart at month 0 shows the start value again."""
    from viz import levers as L
    from viz.components import _lever_props

    lever = L.by_path()["policy.caseload"]
    city = session.scenario.municipalities[0].name
    start = L.value_of(session.scenario, "policy.caseload")
    session.step(6)
    session.set_lever_from_now("policy.caseload", start + 13)
    session.set_lever_from_now("policy.caseload", start + 21, scope=city)
    now = session.month + 1
    assert _lever_props(lever, session.scenario, "", "en", False, month=now)["value"] == start + 13
    assert _lever_props(lever, session.scenario, city, "en", False, month=now)["value"] == start + 21
    other = session.scenario.municipalities[1].name
    assert _lever_props(lever, session.scenario, other, "en", False, month=now)["value"] == start + 13
    assert _lever_props(lever, session.scenario, "", "en", False, month=0)["value"] == start   # month 0 kept
    assert L.value_of(session.scenario, "policy.caseload", city, session.month) != start + 21  # from month 7 on
