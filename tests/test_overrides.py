"""One meaning for a key everywhere: `policy.KEY` sets KEY for every municipality from month 0,
`municipalities.NAME.…` addresses one, in `--set`, the constructor, `mesa.batch_run`, designs and the app."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

import mesa
import pandas as pd
import pytest

from abm.model import LabourMarketModel
from abm.policy import PolicyParams
from abm.scenario import ScenarioError, apply_overrides, load, override_notes, preset_names, scenario_data

PLM = [sys.executable, "-m", "experiments.cli"]
GRONINGEN = "groningen-basisbaan-2020"


def _bounds(field) -> tuple[float | None, float | None]:
    lo = hi = None
    for meta in field.metadata:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    return lo, hi


def _candidates(name: str, current: set) -> list:
    """Values of a policy key that differ from every municipality's current one (in the allowed range)."""
    field = PolicyParams.model_fields[name]
    ann = field.annotation
    if ann is bool or typing.get_origin(ann) is typing.Literal:
        choices = [True, False] if ann is bool else list(typing.get_args(ann))
        fresh = [v for v in choices if v not in current]
        return fresh or choices  # municipalities that differ: every choice changes some of them
    lo, hi = _bounds(field)
    lo = 0 if lo is None else lo
    hi = lo + 100 if hi is None else hi
    raw = [lo, hi, lo + (hi - lo) / 2, lo + (hi - lo) / 7, lo + 1]
    vals = [int(v) if ann is int else float(v) for v in raw]
    return [v for v in dict.fromkeys(vals) if v not in current and lo <= v <= hi]


@pytest.mark.parametrize("preset", preset_names())
def test_a_region_wide_policy_key_reaches_every_municipality_of_every_preset(preset):
    base = load(preset)
    n = len(base.municipalities)
    for name in PolicyParams.model_fields:
        current = {getattr(base.policy_at(i, 0), name) for i in range(n)}
        applied = False
        for value in _candidates(name, current):
            try:
                sc = load(preset, {f"policy.{name}": value})
            except ScenarioError as exc:  # a cross-field rule (start <= end month) may refuse one candidate
                assert "basisbaan_" in str(exc) and "month" in str(exc), exc
                continue
            got = [getattr(sc.policy_at(i, 0), name) for i in range(n)]
            assert got == [value] * n, (preset, name, value, got)
            assert got != [getattr(base.policy_at(i, 0), name) for i in range(n)]
            applied = True
            break
        assert applied, f"{preset}: no value of policy.{name} could be set region-wide"


def test_the_region_wide_key_overrides_municipal_tables_and_month_zero_changes_but_not_later_ones():
    data = {"base": "default", "policy_changes": [
        {"month": 0, "municipality": "Stad", "set": {"caseload": 200, "quota_enforced": True}},
        {"month": 0, "municipality": "all", "set": {"caseload": 250}},
        {"month": 24, "municipality": "all", "set": {"caseload": 300}, "note": "cut"}]}
    sc = load(data, {"policy.caseload": 100})
    names = [m.name for m in sc.municipalities]
    assert all(sc.policy_at(i, 0).caseload == 100 for i in range(len(names)))
    assert all(sc.policy_at(i, 23).caseload == 100 for i in range(len(names)))
    assert all(sc.policy_at(i, 24).caseload == 300 for i in range(len(names)))    # dated changes still apply
    assert sc.policy_at(names.index("Stad"), 0).quota_enforced                      # the rest of that change stays
    notes = override_notes(sc, {"policy.caseload": 100})
    assert len(notes) == 1 and "month 24" in notes[0] and "\n" not in notes[0]


def test_a_municipal_key_addresses_one_municipality_and_keeps_the_others_start():
    data = {"base": "default", "policy_changes": [{"month": 0, "municipality": "all", "set": {"caseload": 250}}]}
    sc = load(data, {"municipalities.Stad.policy.caseload": 120, "municipalities.*.regular_jobs": 900})
    for i, m in enumerate(sc.municipalities):
        assert sc.policy_at(i, 0).caseload == (120 if m.name == "Stad" else 250)
        assert m.regular_jobs == 900
    # region-wide first, then the municipality: the municipality can still differ
    both = load("default", {"municipalities.Stad.policy.caseload": 120, "policy.caseload": 80})
    assert [both.policy_at(i, 0).caseload for i in range(5)].count(120) == 1
    assert sorted({both.policy_at(i, 0).caseload for i in range(5)}) == [80, 120]


@pytest.mark.parametrize("key", ["municipalities.Nowhere.policy.caseload", "municipalities.Nowhere.bijstand"])
def test_an_unknown_municipality_is_refused_with_the_names_allowed_everywhere(key, tmp_path):
    with pytest.raises(ScenarioError) as err:
        load("default", {key: 100})
    msg = str(err.value)
    assert "Nowhere" in msg and "Stad" in msg and "\n" not in msg
    with pytest.raises(ScenarioError, match="Stad"):
        LabourMarketModel("default", seed=1, agent_views=False, **{key: 100})
    r = subprocess.run([*PLM, "run", "--months", "1", "--set", f"{key}=100", "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Stad" in r.stderr
    assert not (tmp_path / "o").exists()
    from experiments.design import DesignError, load_design
    with pytest.raises(DesignError, match="Stad"):
        load_design({"name": "x", "scenario": "default", "parameters": {key: {"levels": [100, 200]}}})
    with pytest.raises(DesignError, match="Stad"):
        load_design({"name": "x", "scenario": "default", "set": {key: 100},
                     "parameters": {"policy.caseload": {"levels": [100, 200]}}})


def test_set_reaches_one_municipality_from_the_command_line(tmp_path):
    out = tmp_path / "run"
    r = subprocess.run([*PLM, "run", "--months", "2", "--set", "scale=8", "--set",
                        "municipalities.Stad.policy.basisbaan_slots=400", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["resolved_policies"]["Stad"]["basisbaan_slots"] == 400
    assert all(p["basisbaan_slots"] == 0 for name, p in manifest["resolved_policies"].items() if name != "Stad")
    assert manifest["overrides"] == {"scale": 8, "municipalities.Stad.policy.basisbaan_slots": 400, "months": 2}


def test_a_dated_change_after_an_override_is_said_in_one_line_and_recorded(tmp_path):
    out = tmp_path / "run"
    r = subprocess.run([*PLM, "run", "--scenario", "melkert-1994", "--months", "2", "--set", "scale=8",
                        "--set", "policy.basisbaan_contract=permanent", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stderr.splitlines() if line.startswith("note: policy.basisbaan_contract")]
    assert len(notes) == 1 and "month" in notes[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["override_notes"] == notes


def _groningen_displacement(**kw) -> float:
    m = LabourMarketModel(GRONINGEN, seed=3, months=24, agent_views=False, **kw)
    m.run()
    return float(m.timeseries()["displaced_regular_jobs"].iloc[-1])


def test_the_additionality_lever_moves_displacement_on_the_preset_that_sets_it_per_municipality():
    strict = _groningen_displacement()
    loose = _groningen_displacement(**{"policy.additionality_test": 0.0})
    assert loose > strict


def test_every_entry_point_gives_a_key_the_same_meaning():
    key, value = "policy.additionality_test", 0.0
    expected = load(GRONINGEN, {key: value})
    assert LabourMarketModel(GRONINGEN, seed=1, agent_views=False, **{key: value}).p == expected
    # the app's lever
    from viz import levers as L
    data, _ = scenario_data(GRONINGEN)
    assert load(L.apply_changes(data, {("", key): value})) == expected
    assert apply_overrides(data, {key: value}) == L.apply_changes(data, {("", key): value})
    # a sweep design
    from abm.scenario import load as load_scenario
    from experiments.design import base_scenario, load_design, make_plan
    design = load_design({"name": "x", "scenario": GRONINGEN, "parameters": {key: {"levels": [0.0, 0.9]}}})
    base = base_scenario(design)
    resolved = {r.params[key]: load_scenario(base.model_dump(mode="json", exclude_none=True), r.params)
                for r in make_plan(design).runs}
    assert resolved[0.0].policy_at(0, 0).additionality_test == 0.0
    assert resolved[0.9].policy_at(0, 0).additionality_test == 0.9
    # the design's [set] table applies too
    fixed = load_design({"name": "x", "scenario": GRONINGEN, "set": {key: value},
                         "parameters": {"policy.caseload": {"levels": [100, 200]}}})
    assert base_scenario(fixed).policy_at(0, 0).additionality_test == 0.0
    # mesa.batch_run: the lever acts on the outcome
    rows = mesa.batch_run(LabourMarketModel, {"scenario": GRONINGEN, "agent_views": False, "seed": 3, "months": 24,
                                              key: [0.0, 0.9]},
                          iterations=1, max_steps=24, number_processes=1, data_collection_period=-1,
                          display_progress=False)
    by_value = {row[key]: row["displaced_regular_jobs"] for row in rows}
    assert by_value[0.0] > by_value[0.9]


PAIRS = [("default", {"policy.basisbaan_slots": 500}), ("baseline-participatiewet", {}),
         ("job-guarantee", {}), ("participation-income", {}), (GRONINGEN, {"policy.basisbaan_slots": 0})]


@pytest.mark.parametrize("preset, change", PAIRS)
def test_the_difference_in_municipal_net_cost_is_minus_the_difference_in_its_account(preset, change):
    """One definition (docs/model.md): net cost = spend - receipts = -(the municipality's ledger account)."""
    def series(name, over):
        m = LabourMarketModel(name, seed=5, months=24, agent_views=False, **{"scale": 4.0, **over})
        m.run()
        return m.timeseries().iloc[1:]
    a = series(preset, change)
    b = series("baseline-participatiewet" if preset != GRONINGEN else preset, {})
    d_cost = a["municipal_net_cost"].sum() - b["municipal_net_cost"].sum()
    d_account = a["account_municipality_net"].sum() - b["account_municipality_net"].sum()
    assert d_cost == pytest.approx(-d_account, rel=1e-9, abs=1e-3)
    # savings are a counterfactual for reading: they are never subtracted from spend
    assert (a["municipal_net_cost"] - (a["municipal_spend"] - a["municipal_receipts"])).abs().max() < 1e-6


def test_a_bigger_programme_costs_the_municipality_what_it_spends_more():
    """The issue's measurement: with 500 places the net cost rises by the extra spend, not by spend - savings."""
    def run(**kw):
        m = LabourMarketModel("default", seed=42, months=24, agent_views=False, **kw)
        m.run()
        return m.timeseries().iloc[1:]
    base, big = run(), run(**{"policy.basisbaan_slots": 500})
    d_spend = big["municipal_spend"].sum() - base["municipal_spend"].sum()
    d_net = big["municipal_net_cost"].sum() - base["municipal_net_cost"].sum()
    d_savings = big["municipal_savings"].sum() - base["municipal_savings"].sum()
    assert d_spend > 0 and d_savings > 0
    assert d_net == pytest.approx(d_spend, rel=1e-9)
    assert isinstance(base, pd.DataFrame)
