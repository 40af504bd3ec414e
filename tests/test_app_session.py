"""The app's session layer and pure pieces, without a browser: settings, runs, compare, exports, questions about
a run, translations and charts. Small runs (scale 4) keep this fast."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tomllib

import numpy as np
import pandas as pd
import pytest

from abm.metrics import COLUMNS
from abm.model import LabourMarketModel
from abm.scenario import MECHANISMS, load, preset_names, validate
from viz import charts as C
from viz import content as K
from viz import i18n as I
from viz import levers as L
from viz.i18n_params import DESCRIPTIONS_NL, UNITS_NL
from viz.session import Session

SMALL = {"scale": 4.0}


@pytest.fixture
def session() -> Session:
    return Session("default", seed=7, overrides=SMALL)


def plm(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "experiments.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


# --- running ---------------------------------------------------------------------------------------------

def test_a_session_runs_the_model_it_was_given_month_by_month(session):
    snap = session.snapshot()
    assert snap.month == 0 and len(snap.ts) == 1 and snap.running and snap.seed == 7
    assert session.step(3) == 3
    snap = session.snapshot()
    assert snap.month == 3 and list(snap.ts["month"]) == [0, 1, 2, 3]
    reference = LabourMarketModel("default", seed=7, **SMALL)
    reference.run(3)
    pd.testing.assert_frame_equal(snap.ts, reference.timeseries())       # the same public API as the CLI


def test_stepping_stops_at_the_end_of_the_run():
    s = Session("default", seed=1, overrides={**SMALL, "months": 4})
    assert s.step(10) == 4 and s.month == 4 and not s.running
    assert s.step(1) == 0 and not s.snapshot().running


def test_a_lever_restarts_the_run_with_the_new_setting_everywhere(session):
    session.step(5)
    assert session.set_lever("policy.basisbaan_slots", 300) is None
    assert session.month == 0
    for i in range(len(session.scenario.municipalities)):     # region-wide: also replaces Stad's own 50
        assert session.scenario.policy_at(i, 0).basisbaan_slots == 300
    assert session.snapshot().changes == (("", "policy.basisbaan_slots", 0, 300),)
    session.step(12)
    base = Session("default", seed=7, overrides=SMALL)
    base.step(12)
    assert session.snapshot().ts["n_basisbaan"].iloc[-1] > base.snapshot().ts["n_basisbaan"].iloc[-1]


def test_a_policy_lever_can_be_set_for_one_municipality(session):
    assert session.set_lever("policy.basisbaan_slots", 80, scope="Midden") is None
    names = [m.name for m in session.scenario.municipalities]
    slots = {n: session.scenario.policy_at(i, 0).basisbaan_slots for i, n in enumerate(names)}
    assert slots["Midden"] == 80 and slots["Stad"] == 50 and slots["Noord"] == 0
    assert L.value_of(session.scenario, "policy.basisbaan_slots", "Midden") == 80


def test_moving_a_lever_back_clears_the_change(session):
    session.set_lever("economy.tightness", 1.4)
    assert session.changes
    session.set_lever("economy.tightness", 1.0)
    assert session.changes == {} and session.snapshot().changes == ()


def test_a_bad_setting_is_refused_with_one_line_and_the_run_stays(session):
    session.step(4)
    before = session.snapshot()
    err = session.set_lever("economy.tightness", 9)
    assert err == "settings: economy.tightness = 9.0: must be <= 5.0"
    assert "\n" not in err and session.error == err and session.error_kind == "setting"
    assert session.month == 4 and session.changes == {} and session.scenario.economy.tightness == 1.0
    pd.testing.assert_frame_equal(session.snapshot().ts, before.ts)


@pytest.mark.slow
@pytest.mark.parametrize("text, needle", [
    ("[economy]\ntightness = 9\n", "economy.tightness = 9: must be <= 5.0"),
    ("months = 'many'\n", "months = 'many': must be a whole number"),
    ("[stigma]\nwieght = 1\n", "unknown key 'stigma.wieght'; did you mean 'weight'?"),
    ("[economy\ntightness = 1\n", "not valid TOML"),
    ("base = 'nope'\n", "scenario = 'nope': no such preset"),
])
def test_a_bad_scenario_file_shows_the_same_line_as_plm_run_and_keeps_the_run(session, tmp_path, text, needle):
    session.step(2)
    before = session.snapshot()
    err = session.load_toml(text, "bad.toml")
    assert err is not None and needle in err and "\n" not in err and session.error_kind == "file"
    (tmp_path / "bad.toml").write_text(text)
    r = plm("run", "--scenario", "bad.toml", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == f"error: {err}"
    assert session.month == 2 and session.source == "default"
    pd.testing.assert_frame_equal(session.snapshot().ts, before.ts)


def test_a_good_scenario_file_replaces_the_run(session):
    session.step(3)
    err = session.load_toml(b"base = 'default'\nmonths = 24\nscale = 4.0\n[stigma]\nenabled = false\n", "mine.toml")
    assert err is None and session.error is None
    assert session.source == "mine.toml" and session.month == 0 and session.snapshot().months == 24
    assert dict(session.snapshot().mechanisms)["stigma"] is False


def test_a_model_that_fails_in_a_month_stops_the_run_not_the_app(session, monkeypatch):
    session.step(2)

    def broken():
        raise FloatingPointError("boom")

    monkeypatch.setattr(session.variant.model, "step", broken)
    assert session.step(3) == 0
    assert session.failed and not session.running and not session.snapshot().running
    assert session.error == "the model stopped in month 2: FloatingPointError: boom"
    assert session.error_kind == "model"
    assert session.month == 2
    monkeypatch.undo()
    assert session.reset() is None and session.running and session.error is None


def test_presets_come_from_the_scenario_package(session):
    assert session.presets() == preset_names()
    other = [p for p in preset_names() if p != "default"]
    if other:
        assert session.load_preset(other[0]) is None and session.source == other[0]
    assert session.load_preset("no-such-preset").startswith("scenario = 'no-such-preset'")


def test_seed_changes_the_run_and_same_seed_repeats_it(session):
    session.step(6)
    first = session.snapshot().ts
    session.set_seed(8)
    session.step(6)
    assert not session.snapshot().ts.equals(first)
    session.set_seed(7)
    session.step(6)
    pd.testing.assert_frame_equal(session.snapshot().ts, first)
    assert session.set_seed(-1).startswith("seed = -1")


# --- compare ---------------------------------------------------------------------------------------------

def test_compare_without_changes_gives_a_zero_difference(session):
    session.set_compare(True)
    session.step(6)
    snap = session.snapshot()
    assert snap.compare and snap.ts_base is not None
    pd.testing.assert_frame_equal(snap.ts, snap.ts_base)


def test_compare_uses_common_random_numbers_and_shows_the_mechanism(session):
    session.set_compare(True)
    session.set_mechanism("stigma", False)
    session.step(12)
    snap = session.snapshot()
    plain = LabourMarketModel("default", seed=7, **SMALL)
    plain.run(12)
    pd.testing.assert_frame_equal(snap.ts_base, plain.timeseries())       # the baseline is the plain run
    assert dict(snap.mechanisms)["stigma"] is False
    gain = snap.ts["inclusion_rate"].iloc[-1] - snap.ts_base["inclusion_rate"].iloc[-1]
    assert gain > 0.01                                                     # fewer stigma penalties, more hires
    assert snap.ts["seekers"].iloc[0] == snap.ts_base["seekers"].iloc[0]  # the same people at the start


def test_compare_over_several_seeds_draws_a_band(session):
    session.set_lever("stigma.enabled", False)
    session.set_compare(True, seeds=3)
    session.step(4)
    snap = session.snapshot()
    assert [seed for seed, _b, _v in snap.pairs] == [7, 8, 9]
    chart = C.difference_chart(snap.pairs, "inclusion_rate", "en")
    band = [t for t in chart.traces if t.kind == "band"]
    assert len(band) == 1 and all(lo <= hi for lo, hi in zip(band[0].y_lo, band[0].y))
    mean = [t for t in chart.traces if t.name.startswith("mean")][0]
    diffs = np.array([(v["inclusion_rate"] - b["inclusion_rate"]).to_numpy() * 100 for _s, b, v in snap.pairs])
    np.testing.assert_allclose(mean.y, diffs.mean(axis=0))
    assert session.set_compare(True, seeds=9).startswith("seeds = 9")


def test_a_preset_can_be_the_baseline(session):
    other = [p for p in preset_names() if p != "default"]
    if not other:
        pytest.skip("only one preset")
    assert session.set_compare(True, baseline=other[0]) is None
    assert session.baseline.scenario.name == load(other[0]).name
    assert session.baseline.scenario.scale == session.scenario.scale    # the same size as the variant


# --- exports ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_exported_scenario_runs_with_plm_run(session, tmp_path):
    session.set_lever("policy.basisbaan_slots", 120)
    session.set_lever("self_stigma.enabled", False)
    text = session.export_toml()
    data = tomllib.loads(text)
    assert data["policy"]["basisbaan_slots"] == 120 and data["self_stigma"]["enabled"] is False
    assert validate(data) == session.scenario.model_copy(update={"name": data["name"]})
    path = tmp_path / "exported.toml"
    path.write_text(text)
    r = plm("run", "--scenario", str(path), "--months", "2", "--seed", "7", "--out", str(tmp_path / "run"), "-q")
    assert r.returncode == 0, r.stderr
    ts = pd.read_csv(tmp_path / "run" / "timeseries.csv")
    session.step(2)
    np.testing.assert_allclose(ts["inclusion_rate"], session.snapshot().ts["inclusion_rate"], rtol=1e-12)


def test_the_csv_export_is_the_time_series(session):
    session.step(3)
    df = pd.read_csv(io.StringIO(session.export_csv()))
    assert list(df.columns) == list(COLUMNS) and len(df) == 4
    session.set_compare(True, seeds=2)
    session.step(2)
    long = pd.read_csv(io.StringIO(session.export_csv(compare=True)))
    assert set(long["run"]) == {"baseline", "variant"} and set(long["seed"]) == {7, 8} and len(long) == 12


@pytest.mark.slow
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_every_chart_exports_as_an_image(session, fmt, magic):
    session.set_compare(True)
    session.set_lever("policy.basisbaan_slots", 200)
    session.step(6)
    snap = session.snapshot()
    pid = session.find_person("random")
    charts = [C.mix_chart(snap.ts, "en"), C.inclusion_chart(snap.ts, snap.ts_base, "nl"),
              C.displacement_chart(snap.ts, snap.ts_base, "en"), C.throughput_chart(snap.ts, snap.ts_base, "en"),
              C.cost_chart(snap.ts, snap.ts_base, "en"), C.accounts_chart(snap.ts, snap.ts_base, "en"),
              C.difference_chart(snap.pairs, "n_regular", "en"), C.sankey_chart(session.flows(0, 6), 0, 6, "en"),
              C.region_chart(session.region("basisbaan"), "en", session.region("basisbaan", "baseline")),
              C.story_chart(session.story(pid), "en"), C.who_pays_chart(session.accounts(), "en")]
    for chart in charts:
        data = C.to_image(chart, fmt)
        assert magic in data[:400], chart.id
        plotly_data, layout = C.to_plotly(chart)
        json.dumps([plotly_data, layout])                          # what the browser gets is plain JSON
        assert plotly_data and layout["title"]["text"] == chart.title


# --- questions about a run ---------------------------------------------------------------------------------

def test_flows_between_states_conserve_people(session):
    session.step(12)
    start = session.snapshot().ts.iloc[0]
    flows = session.flows(0, 12)
    left = flows[flows["source"] != "entry"]
    assert left["people"].sum() == start["seekers"]                  # everybody present at month 0 goes somewhere
    end = session.snapshot().ts.iloc[-1]
    for state in ("regular", "unemployed", "basisbaan"):
        assert flows.loc[flows["target"] == state, "people"].sum() == end[f"n_{state}"]
    still = session.flows(5, 5)
    assert (still["source"] == still["target"]).all()                 # no time, no moves


def test_the_region_adds_up_to_the_time_series(session):
    session.step(6)
    region = session.region("inclusion_rate")
    assert [n["name"] for n in region["nodes"]] == [m.name for m in session.scenario.municipalities]
    people = np.array([n["people"] for n in region["nodes"]])
    rate = np.array([n["value"] for n in region["nodes"]])
    ts = session.snapshot().ts.iloc[-1]
    assert people.sum() == ts["seekers"]
    assert abs((people * rate).sum() / people.sum() - ts["inclusion_rate"]) < 1e-9
    bb = session.region("basisbaan")
    assert sum(n["value"] for n in bb["nodes"]) == ts["n_basisbaan"]
    assert all(0 <= e["i"] < len(people) and e["weight"] > 0 for e in region["edges"])
    with pytest.raises(ValueError):
        session.region("nonsense")


def test_a_person_who_entered_a_basisbaan_has_that_story(session):
    session.step(12)
    pid = session.find_person("basisbaan")
    assert pid is not None
    story = session.story(pid)
    assert "basisbaan" in set(story["series"]["state"])
    assert any(e["to"] == "basisbaan" for e in story["events"])
    facts = story["facts"]
    assert facts["person_id"] == pid and facts["last_month"] == 12
    if facts["present"]:
        assert story["series"]["state"].iloc[-1] == facts["state"]
        assert 1 <= story["series"]["wellbeing"].iloc[-1] <= 5
    assert session.find_person("basisbaan") is not None               # asking again gives someone (maybe else)
    assert session.story(10**9) is None


def test_a_story_follows_the_state_table_month_by_month(session):
    pid = session.find_person("random")
    row = int(np.flatnonzero(session.variant.model.s.person_id == pid)[0])
    states, stigma = [], []
    for _ in range(5):
        session.step(1)
        s = session.variant.model.s
        if s.person_id[row] != pid:
            break
        states.append(["unemployed", "regular", "parallel", "basisbaan", "participation", "inactive"][s.state[row]])
        stigma.append(float(s.self_stigma[row]))
    series = session.story(pid)["series"]
    assert list(series["state"].iloc[1:1 + len(states)]) == states
    np.testing.assert_allclose(series["self_stigma"].iloc[1:1 + len(stigma)], stigma, atol=0.005)


def test_who_pays_adds_up_the_accounts(session):
    session.set_compare(True)
    session.set_lever("policy.basisbaan_slots", 300)
    session.step(6)
    acc = session.accounts()
    snap = session.snapshot()
    assert list(acc.index) == ["variant", "baseline", "difference"]
    for party in acc.columns:
        col = f"account_{party}_net"
        expected = (snap.ts[col].iloc[1:].sum() if col in snap.ts
                    else -snap.ts["municipal_net_cost"].iloc[1:].sum())
        assert acc.loc["variant", party] == pytest.approx(expected)
    np.testing.assert_allclose(acc.loc["difference"], acc.loc["variant"] - acc.loc["baseline"])
    assert "municipality" in acc.columns


def test_two_sessions_do_not_share_anything():
    a = Session("default", seed=3, overrides=SMALL)
    b = Session("default", seed=3, overrides=SMALL)
    a.step(5)
    a.set_lever("economy.tightness", 1.5)
    a.step(2)
    assert b.month == 0 and b.changes == {} and b.scenario.economy.tightness == 1.0
    assert a.variant.model is not b.variant.model and a.variant.model.s is not b.variant.model.s


# --- levers, translations, content --------------------------------------------------------------------------

def test_every_lever_carries_its_schema_metadata():
    catalogue = L.catalogue()
    assert len(catalogue) > 150
    paths = {lv.path for lv in catalogue}
    for m in MECHANISMS:
        assert f"{m}.enabled" in paths
    for lever in catalogue:
        if lever.kind in ("int", "float"):
            assert lever.lo is not None and lever.hi is not None and lever.lo <= lever.default <= lever.hi, lever.path
        if lever.kind == "choice":
            assert lever.default in lever.choices
    for path, rng in L.KEY_LEVERS.items():
        lever = L.by_path()[path]                                     # a renamed parameter fails here
        if rng is not None:
            assert lever.lo <= rng[0] < rng[1] <= lever.hi, path
    tip = I.lever_tooltip(L.by_path()["policy.caseload"], "en")
    assert "clients per client manager" in tip and "20 … 1,000" in tip and "docs/evidence.md E10" in tip
    assert "klanten per klantmanager" in I.lever_tooltip(L.by_path()["policy.caseload"], "nl")


def test_every_text_is_in_both_languages():
    for key, (en, nl) in I.T.items():
        assert en.strip() and nl.strip(), key
    for table in (I.STATES, I.METRICS, I.SPEND, I.PARTIES, I.REASONS, I.SECTIONS, I.LEVER_LABELS, I.CHOICES):
        for key, (en, nl) in table.items():
            assert en.strip() and nl.strip(), key
    levers = L.catalogue()
    must = {lv.path for lv in L.key_levers()} | {lv.path for lv in L.mechanism_switches()}
    assert not must - set(DESCRIPTIONS_NL)
    assert all(lv.unit in UNITS_NL for lv in levers if lv.path in must)
    for section in ("", "economy", "policy", *MECHANISMS):
        assert section in I.SECTIONS and section in L.sections()
    for card in K.CARDS:
        for text in (card.title, card.what, card.evidence, card.look):
            assert text["en"].strip() and text["nl"].strip()
        cited = re.findall(r"\bE\d+\b", card.evidence["en"])
        assert cited and cited == re.findall(r"\bE\d+\b", card.evidence["nl"]), card.mechanism
    assert {c.mechanism for c in K.CARDS} == set(MECHANISMS)
    for lesson in K.LESSONS:
        assert lesson.title["en"] and lesson.title["nl"]
        for step in lesson.steps:
            assert step.text["nl"] and step.question["nl"] and step.tab in (
                "charts", "compare", "flows", "region", "person", "accounts")
    assert I.fmt_number(1234567.5, "nl", 1) == "1.234.567,5" and I.fmt_number(1234567.5, "en", 1) == "1,234,567.5"


def test_every_lesson_step_sets_up_a_valid_scenario():
    s = Session("default", seed=1, overrides=SMALL)
    for lesson in K.LESSONS:
        for step in lesson.steps:
            assert all(path in L.by_path() for path in step.changes), step.changes
            assert s.apply(step.changes, preset="default") is None
            for path, value in step.changes.items():
                assert L.value_of(s.scenario, path) == value
            assert s.scenario.scale == 4.0                           # the session's size is kept
            assert step.metric in I.COMPARE_METRICS


def test_chart_labels_follow_the_language(session):
    session.step(2)
    ts = session.snapshot().ts
    en, nl = C.mix_chart(ts, "en"), C.mix_chart(ts, "nl")
    assert en.title == "Labour-state mix" and nl.title == "Verdeling over arbeidsposities"
    assert {t.name for t in nl.traces} == {"regulier", "basisbaan", "parallel", "participatie", "werkloos", "inactief"}
    assert [t.y for t in en.traces] == [t.y for t in nl.traces]


# --- the command ---------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("args, needle", [
    (["--port", "0"], "--port 0: allowed: a whole number from 1 to 65535"),
    (["--scenario", "nope"], "scenario = 'nope': no such preset"),
    (["--scale", "0.5"], "scale = 0.5: must be >= 1"),
])
def test_plm_app_refuses_bad_input_with_one_line(args, needle):
    r = plm("app", *args)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1 and needle in lines[0]


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_plm_app_serves_the_app_and_its_assets_from_this_machine(tmp_path):
    import urllib.request

    from viz.server import free_port, stop, wait_until_up

    port = free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "app", "--port", str(port), "--scale", "4"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", timeout=120, proc=proc)
        html = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html and "googleapis" not in html
        js = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/assets/plotly.min.js", timeout=10).read()
        assert len(js) > 1_000_000 and b"plotly" in js[:2000].lower()
    finally:
        stop(proc)
        log.close()
    assert f"http://127.0.0.1:{port}/" in (tmp_path / "server.log").read_text()


def test_a_lever_sets_the_start_and_keeps_the_scenarios_later_changes():
    if "melkert-1994" not in preset_names():
        pytest.skip("the melkert-1994 preset is not there")
    s = Session("melkert-1994", seed=1, overrides=SMALL)
    assert L.later_changes(s.scenario, "policy.basisbaan_contract") == [(36, "all", "temporary")]
    assert s.set_lever("policy.basisbaan_contract", "temporary") is None
    for i in range(len(s.scenario.municipalities)):
        assert s.scenario.policy_at(i, 0).basisbaan_contract == "temporary"
        assert s.scenario.policy_at(i, 84).basisbaan_end_month == 84      # the cut still comes
    assert L.later_changes(s.scenario, "policy.basisbaan_contract") == [(36, "all", "temporary")]
