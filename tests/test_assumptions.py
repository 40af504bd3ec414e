"""Presets read as a what-if: assumed settings declared with a range (abm/assumptions.py) and the results over
them (experiments/whatif.py, `plm report`, `plm run --assumptions`)."""

from __future__ import annotations

import pytest

from abm import assumptions as A
from abm.scenario import ScenarioError, load
from experiments.cli import main


def _declare(key: str, **fields) -> dict:
    entry = {"low": 1.0, "high": 2.0, "why": "a reason", "source": "docs/evidence.md E86", **fields}
    return {"base": "baseline-participatiewet", "policy": {"parallel_experience_factor": 1.5},
            "assumed": {key: {k: v for k, v in entry.items() if v is not None}}}


@pytest.mark.parametrize("key, fields, needle", [
    ("policy.no_such_setting", {}, "unknown key 'assumed.policy.no_such_setting'"),
    ("throughput.no_such", {}, "unknown key 'assumed.throughput.no_such'"),
    ("municipalities.Nowhere.policy.caseload", {"low": 100.0, "high": 400.0}, "no municipality 'Nowhere'"),
    ("policy.parallel_experience_factor", {"low": 2.0, "high": 1.0}, "low = 2 > high = 1; allowed: low <= high"),
    ("policy.parallel_experience_factor", {"low": 1.6, "high": 2.0}, "own value 1.5 lies outside its range 1.6-2"),
    ("policy.parallel_experience_factor", {"high": 9.0}, "assumed.policy.parallel_experience_factor.high = 9.0: "
                                                        "must be <= 5"),
    ("policy.parallel_experience_factor", {"low": "1"}, "low = '1': must be a number"),
    ("policy.parallel_experience_factor", {"source": None}, "source is missing"),
    ("policy.parallel_experience_factor", {"weight": 1}, "unknown key 'assumed.policy.parallel_experience_factor"
                                                         ".weight'"),
    ("policy.basisbaan_target_group", {}, "not a number; allowed: a numeric setting"),
])
def test_a_bad_declaration_is_refused_in_one_line(key, fields, needle):
    with pytest.raises(ScenarioError) as err:
        load(_declare(key, **fields))
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_a_bad_declaration_in_a_file_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('base = "parallel-market"\n[assumed."policy.parallel_experience_factor"]\nlow = 1.8\n',
                    encoding="utf-8")
    assert main(["run", "--scenario", str(path), "--months", "1", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1
    assert "assumed.policy.parallel_experience_factor: the scenario's own value 1.5 lies outside its range 1.8-2" in err
    assert not (tmp_path / "out").exists()


def test_the_presets_declare_their_drivers_and_the_low_end_of_experience_is_no_premium():
    pm, ss = load("parallel-market"), load("social-secondment")
    assert set(pm.assumed) == {"policy.parallel_places_per_100", "policy.parallel_experience_factor",
                               "throughput.otj_parallel"}
    for sc in (pm, ss):
        exp = sc.assumed["policy.parallel_experience_factor"]
        assert exp.low == 1.0 and "E86" in exp.source and "no premium" in exp.why
        for row in A.rows(sc):
            assert row["low"] <= row["value"] <= row["high"] and "E" in row["source"]
    assert "municipalities.Stad.policy.basisbaan_cofunding_share" in load("rotterdam-wijkbasisbaan-2021").assumed
    assert load("job-guarantee").assumed["accounts.liveability_value_hour"].low == 0.0
    assert not load("baseline-participatiewet").assumed


def test_an_override_fixes_what_it_sets_so_the_assumption_is_dropped():
    sc = load("parallel-market", {"policy.parallel_experience_factor": 3.0})     # outside the range: allowed
    assert "policy.parallel_experience_factor" not in sc.assumed and "throughput.otj_parallel" in sc.assumed
    sc = load("rotterdam-wijkbasisbaan-2021", {"policy.basisbaan_cofunding_share": 0.9})
    assert "municipalities.Stad.policy.basisbaan_cofunding_share" not in sc.assumed
    derived = load({"base": "parallel-market", "policy": {"parallel_places_per_100": 40.0}})
    assert "policy.parallel_places_per_100" not in derived.assumed and len(derived.assumed) == 2


def test_the_design_is_the_corners_or_eight_latin_hypercube_points_in_the_ranges():
    pm = load("parallel-market").assumed
    corners = A.design(pm)
    assert len(corners) == 8 and len({tuple(p.values()) for p in corners}) == 8
    assert {p["policy.parallel_experience_factor"] for p in corners} == {1.0, 2.0}
    rot = load("rotterdam-wijkbasisbaan-2021").assumed
    lhs = A.design(rot)
    assert len(lhs) == A.MAX_POINTS and lhs == A.design(rot)
    for p in lhs:
        for k, v in p.items():
            assert rot[k].low <= v <= rot[k].high


@pytest.fixture(scope="module")
def parallel_market():
    """parallel-market over its assumptions, small: scale 4, 24 months, seeds 1-2."""
    from experiments.whatif import run_whatif
    return run_whatif("parallel-market", 2, months=24, overrides={"scale": 4.0})


def test_the_range_over_the_assumptions_includes_the_central_run(parallel_market):
    w = parallel_market
    assert len(w.runs) == 8 and all(len(r) == 2 for r in w.runs) and w.comparator == "baseline-participatiewet"
    for key in ("inclusion_rate", "regular_rate", "municipal_net_cost_per_year", "employers_net_per_year"):
        lo, hi = w.range(key)
        assert lo <= w.value(key) <= hi and lo < hi
        dlo, dhi = w.difference_range(key)
        assert dlo <= w.difference(key) <= dhi


def test_no_experience_premium_gives_less_regular_work_and_the_range_reaches_it(parallel_market):
    w = parallel_market
    at = {tuple(sorted(p.items())): runs for p, runs in zip(w.points, w.runs)}

    def regular(factor: float) -> float:
        key = tuple(sorted({"policy.parallel_places_per_100": 15.0, "policy.parallel_experience_factor": factor,
                            "throughput.otj_parallel": 0.15}.items()))
        return sum(r["regular_rate"] for r in at[key]) / 2   # seeds 1-2, as the central run
    # same seeds, only the factor differs (the central run's 1.5 is not compared: at this size its difference
    # from either end is within the noise of discrete hires, seen both ways)
    assert regular(1.0) < regular(2.0)
    assert w.range("regular_rate")[0] <= regular(1.0)
    # without the expansion (3 places per 100, the low end) the inclusion effect is gone
    assert w.difference_range("inclusion_rate")[0] < 0.01 < w.difference("inclusion_rate")


def test_the_reports_text_says_the_range_is_over_assumptions_not_evidence(parallel_market):
    from experiments import report as R
    from experiments.whatif import markdown

    w = parallel_market
    text = "\n".join(markdown(w))
    assert "The range is over the assumptions, not evidence" in text
    assert "`policy.parallel_experience_factor` = 1.5, range 1 to 2" in text and "E86" in text
    assert "the 8 corners of the declared ranges and the preset's own values, x 2 seeds" in text
    lo, hi = w.range("regular_rate")
    assert f"| regular employment (regular work / people), end | {w.value('regular_rate'):.1%} | {lo:.1%} to " \
           f"{hi:.1%} |" in text
    res = R.ScenarioResult("parallel-market", w.scenario, w.comparator, w.central, w.refs, whatif=w)
    report = R.markdown([res], "plm report")
    assert "| [parallel-market](#parallel-market) | prediction, what-if |" in report
    assert "**Read as a what-if" in report.split("## parallel-market")[1]


def test_plm_run_assumptions_refuses_a_preset_without_any_and_scenarios_marks_them(capsys):
    assert main(["run", "--scenario", "default", "--assumptions"]) == 2
    assert "declares no assumed settings; allowed: job-guarantee, parallel-market" in capsys.readouterr().err
    assert main(["run", "--scenario", "parallel-market", "--assumptions", "--set", "policy.caseload=100"]) == 2
    assert main(["scenarios"]) == 0
    rows = {line.split("│")[1].strip(): line.split("│")[3].strip() for line in capsys.readouterr().out.splitlines()
            if line.count("│") >= 4}
    assert rows["parallel-market"] == "3 assumed" and rows["baseline-participatiewet"] == ""


def test_plm_run_assumptions_prints_the_range(capsys):
    assert main(["run", "--scenario", "job-guarantee", "--assumptions", "--seeds", "1", "--months", "2",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "accounts.liveability_value_hour = 15, range 0 to 15" in out
    words = " ".join(out.split())
    assert "range over the" in words and "The range is over the assumptions, not evidence" in words
    assert "assumed liveability" in out and "the 2 corners of the declared ranges" in words


def test_the_apps_scenario_card_lists_the_assumptions_with_their_ranges():
    from viz import i18n as I

    en = I.assumed_lines(load("parallel-market"), "en")
    assert en[0].startswith("Read as a what-if") and len(en) == 4
    assert any(line.startswith("policy.parallel_experience_factor = 1.5, range 1 to 2 (docs/evidence.md E86")
               for line in en)
    nl = I.assumed_lines(load("social-secondment"), "nl")
    assert nl[0].startswith("Lees als een wat-als") and any("bereik 0,3 tot 1" in line for line in nl)
    assert I.assumed_lines(load("baseline-participatiewet"), "en") == []


def test_the_docs_state_the_limits_and_the_design_in_force():
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    assert f"at most {A.MAX_ASSUMED} keys" in (docs / "limits.md").read_text(encoding="utf-8")
    text = " ".join((docs / "calibration.md").read_text(encoding="utf-8").split())
    assert f"every corner of the box while there are at most {A.MAX_POINTS}" in text
    assert f"else {A.MAX_POINTS} Latin-hypercube points (sample seed {A.LHS_SEED})" in text
    assert "the range is over the assumptions, not evidence" in text


def test_the_reports_progress_counts_the_design_points():
    from experiments import report as R

    assert R.runs_per_seed("baseline-participatiewet") == 1
    assert R.runs_per_seed("parallel-market") == 1 + 8 and R.runs_per_seed("job-guarantee") == 1 + 2

    class Ensemble:          # over an ensemble: one run per member, and the what-if's central run again
        members = [object(), object()]
    assert R.runs_per_seed("parallel-market", Ensemble()) == 2 + 8 + 1
