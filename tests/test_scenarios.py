"""Scenario validation: bad input is refused with one line naming key, value and what is allowed."""

from __future__ import annotations

import pytest

from abm.scenario import Scenario, ScenarioError, load, preset_names, preset_text


def test_default_preset_matches_the_brief():
    sc = load("default")
    assert len(sc.municipalities) == 5
    biggest = max(sc.municipalities, key=lambda m: m.bijstand)
    assert 9000 <= biggest.bijstand <= 11000
    assert sc.policy_at(sc.municipalities.index(biggest), 0).basisbaan_slots == 50
    assert sc.economy.tightness == 1.0 and sc.policy.caseload == 350


@pytest.mark.parametrize("data, key, allowed", [
    ({"policy": {"basisban_slots": 3}}, "policy.basisban_slots", "basisbaan_slots"),
    ({"foo": 1}, "foo", "allowed keys"),
    ({"policy": {"caseload": "many"}}, "policy.caseload", "must be a number"),
    ({"policy": {"caseload": -5}}, "policy.caseload", ">= 20"),
    ({"policy": {"regime": "lenient"}}, "policy.regime", "'sanction' or 'trust'"),
    ({"months": 2.5}, "months", "whole number"),
    ({"policy": {"basisbaan_start_month": 50, "basisbaan_end_month": 10}}, "basisbaan_end_month", "end >= start"),
    ({"population": {"share_older_low_health": 0.8, "share_mental_debts": 0.5}}, "share_mental_debts", "at most 1"),
    ({"municipalities": [{"name": "A"}, {"name": "A"}]}, "municipality names", "unique"),
    ({"municipalities": [{"name": "A", "policy": {"quota_levy": -1}}]}, "municipalities[0].policy.quota_levy",
     ">= 0"),
    ({"policy_changes": [{"month": 3, "municipality": "Nowhere", "set": {"quota_enforced": True}}]},
     "policy_changes[0].municipality", "allowed"),
    ({"policy_changes": [{"month": 3, "set": {"quota_enforce": True}}]}, "quota_enforce", "quota_enforced"),
])
def test_bad_input_is_one_clear_line(data, key, allowed):
    with pytest.raises(ScenarioError) as err:
        load({"base": "default", **data})
    msg = str(err.value)
    assert "\n" not in msg
    assert key in msg and allowed in msg


def test_unknown_preset_names_the_choices():
    with pytest.raises(ScenarioError, match="default"):
        load("no-such-preset")


def test_overrides_and_round_trip_through_toml(tmp_path):
    sc = load("default", {"policy.basisbaan_slots": 7, "months": 12})
    assert sc.policy.basisbaan_slots == 7 and sc.months == 12
    path = tmp_path / "s.toml"
    path.write_text(sc.to_toml())
    again = load(str(path))
    assert again == sc


def test_user_file_overrides_a_subset_of_a_preset(tmp_path):
    path = tmp_path / "tight.toml"
    path.write_text('base = "default"\nname = "tight"\n[economy]\ntightness = 1.5\n')
    sc = load(str(path))
    assert sc.name == "tight" and sc.economy.tightness == 1.5 and len(sc.municipalities) == 5


def test_policy_changes_apply_from_their_month():
    sc = load({"base": "default", "policy_changes": [
        {"month": 0, "municipality": "Stad", "set": {"basisbaan_slots": 50}},
        {"month": 24, "municipality": "Stad", "set": {"basisbaan_slots": 0}, "note": "pilot ends"}]})
    stad = [m.name for m in sc.municipalities].index("Stad")
    assert sc.policy_at(stad, 23).basisbaan_slots == 50
    assert sc.policy_at(stad, 24).basisbaan_slots == 0


def test_every_preset_validates_and_has_a_description():
    for name in preset_names():
        sc = load(name)
        assert isinstance(sc, Scenario) and sc.description
        assert preset_text(name).strip()


def test_parameter_reference_in_docs_is_current():
    from pathlib import Path

    from experiments.paramdoc import render
    doc = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"
    assert doc.read_text() == render(), "regenerate: python -m experiments.paramdoc > docs/parameters.md"
