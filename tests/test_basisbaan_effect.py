"""The diagnosis of the basisbaan effect targets (experiments/basisbaan_effect.py, docs/model.md "The basisbaan's
effect on regular work"): bad input is refused in one line, and switching the on-the-job search off removes the
lock-in the diagnosis reads."""

from __future__ import annotations

from experiments import basisbaan_effect as B


def test_an_unknown_target_or_seed_count_is_refused_in_one_line(capsys):
    assert B.main(["--target", "groningen_placed"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "--target = 'groningen_placed': allowed: groningen_basisbaan_regular_24m, " \
                  "rotterdam_basisbaan_regular_24m"
    assert B.main(["--seeds", "0"]) == 2
    assert capsys.readouterr().err.strip() == "--seeds = 0: allowed: a whole number from 1 to 50"


def test_every_switch_is_a_key_a_scenario_accepts():
    from abm.scenario import load

    for name, _, overrides in B.SWITCHES:
        load("rotterdam-wijkbasisbaan-2021", overrides)   # raises on a key or value the schema refuses
    assert B.SWITCHES[0][2] == {}
