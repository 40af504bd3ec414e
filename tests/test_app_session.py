"""The app's session layer and pure pieces, without a browser: settings, runs, compare, exports, questions about
a run, translations and charts. Small runs (scale 4) keep this fast."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
import tomllib

import numpy as np
import pandas as pd
import pytest

import abm.scenario
from abm import by_municipality
from abm.metrics import COLUMNS
from abm.model import LabourMarketModel
from abm.scenario import MAX_FILE_BYTES, MECHANISMS, ScenarioError, load, preset_names, validate
from viz import charts as C
from viz import content as K
from viz import i18n as I
from viz import levers as L
from viz import session as V
from viz import tabs as T
from viz.components import _lever_props, caption_text, kpi_texts
from viz.i18n_params import DESCRIPTIONS_NL, UNITS_NL
from viz.session import MAX_PEOPLE_DEFAULT, Session

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


def test_the_export_offers_the_places_chart_with_its_caption_and_its_csv(session):
    """The places chart (filled against available and planned, per programme) is in the Export tab's list with its
    caption, and its figures download as CSV: the time series' columns for the region and those of the results per
    municipality, under the same names."""
    from types import SimpleNamespace

    from PIL import Image

    from abm.acquisition import PLACE_COLUMNS

    assert session.set_lever("policy.basisbaan_acquisition", True) is None
    session.step(3)
    snap = session.snapshot()
    assert "places" in T.export_ids(snap, has_person=False) and "places" in T.CHART_TITLES
    app = SimpleNamespace(session=session, lang=SimpleNamespace(value="en"), person=SimpleNamespace(value=None),
                          metric=SimpleNamespace(value="inclusion_rate"))
    chart = T.chart_for(app, "places")
    assert chart.id == "places" and chart.title.endswith("— region")
    assert chart.caption == caption_text(snap, "en")
    assert "basisbaan places made over time (acquisition): on" in chart.caption
    image = Image.open(io.BytesIO(C.to_image(chart, "png")))
    assert image.text["Description"] == chart.caption
    table = pd.read_csv(io.StringIO(session.export_places_csv()))
    assert list(table.columns) == ["month", "municipality", "n_basisbaan", *PLACE_COLUMNS]
    region = table[table["municipality"] == "all"].drop(columns="municipality").reset_index(drop=True)
    pd.testing.assert_frame_equal(region, snap.ts[region.columns].reset_index(drop=True), check_dtype=False)
    local = table[table["municipality"] != "all"].reset_index(drop=True)
    model = session.variant.model
    expected = by_municipality.frame(model)[list(local.columns)].astype({"municipality": str})
    pd.testing.assert_frame_equal(local, expected, check_dtype=False)
    assert len(local) == 4 * len(model.municipality_names)                 # months 0-3, every municipality
    assert (region["basisbaan_places_acquired"].iloc[1:] < region["basisbaan_places"].iloc[1:]).all()


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
    table = by_municipality.frame(session.variant.model)          # the same figures as plm run's table
    now = table[table["month"] == ts["month"]]
    assert [n["value"] for n in bb["nodes"]] == now["n_basisbaan"].tolist()
    assert rate.tolist() == now["inclusion_rate"].tolist()
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


def test_the_acquisition_levers_are_key_levers_with_the_units_and_ranges_they_are_declared_with(session):
    """Places are made, not declared (abm/acquisition.py): each programme's switch and its staff hours are in the
    lever panel's key levers, with the unit and range of their declaration (abm/policy.py), and they act on the
    run: with acquisition on, fewer places are available than planned, and fewer hours make fewer."""
    from abm.params import describe
    from abm.policy import PolicyParams

    declared = {row["name"]: row for row in describe(PolicyParams)}
    key = {lever.path for lever in L.key_levers()}
    for programme in ("basisbaan", "parallel"):
        switch = L.by_path()[f"policy.{programme}_acquisition"]
        hours = L.by_path()[f"policy.{programme}_acquisition_hours"]
        assert {switch.path, hours.path} <= key
        props = _lever_props(switch, session.scenario, "", "en", False)
        assert props["kind"] == "bool" and props["value"] is False
        row = declared[hours.name]
        props = _lever_props(hours, session.scenario, "", "en", False)
        assert props["kind"] == "float" and props["unit_text"] == row["unit"] == "hours/month"
        assert (props["lo"], props["hi"]) == (row["min"], row["max"]) and props["value"] == row["default"]
        assert row["min"] <= props["slider"][0] < props["slider"][1] <= row["max"]
        assert "E85" in I.lever_tooltip(hours, "en") and I.lever_label(hours, "nl") != I.lever_label(hours, "en")

    def available(hours: float) -> tuple[float, float]:
        assert session.set_lever("policy.basisbaan_acquisition_hours", hours) is None
        session.step(6)
        series = session.places_series("Stad")["basisbaan"]
        return float(series["acquired"].iloc[-1]), float(series["planned"].iloc[-1])

    acquired, planned = available(40.0)
    assert acquired == planned > 0                                 # off: every declared place at once
    assert session.set_lever("policy.basisbaan_acquisition", True, scope="Stad") is None
    few, _ = available(40.0)
    many, _ = available(320.0)
    assert few < many < planned


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
    (["--scale", "0"], "scale = 0.0: must be >= 1"),           # not silently "no scale"
    (["--seed", "-1"], "--seed = -1: allowed: a whole number from 0 to 2**63 - 1"),
    (["--seed", str(2**63)], f"--seed = {2**63}: allowed: a whole number from 0 to 2**63 - 1"),
    (["--max-people", "0"], "--max-people 0: allowed: a whole number of at least 1"),
    (["--max-people", "1000"], "45,650 people as 45,650 agents (scale 1); allowed here: at most 1,000 agents"),
])
def test_plm_app_refuses_bad_input_with_one_line(args, needle):
    r = plm("app", *args)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1 and needle in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("value", ["off", "false", "2", ""])
def test_plm_app_refuses_a_warm_up_setting_it_cannot_read(value):
    """PLM_APP_WARMUP is 0 or 1; "off" must not start a server that warms up anyway (viz/warmup.check_setting)."""
    import os
    r = subprocess.run([sys.executable, "-m", "experiments.cli", "app", "--port", "1"], capture_output=True,
                       text=True, timeout=300, env={**os.environ, "PLM_APP_WARMUP": value})
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(lines) == 1
    assert f"PLM_APP_WARMUP = {value!r}: allowed: 0 (no warm-up) or 1" in lines[0]


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


# --- one definition of the municipality's net cost (issue 8) --------------------------------------------------

@pytest.mark.parametrize("seeds", [1, 2])
def test_the_net_cost_is_one_figure_on_the_tile_in_compare_and_in_who_pays(session, seeds):
    """A basisbaan programme of 500 places against the same scenario without it, on the same seed(s): the tile,
    the Compare table and Who pays show the same figure for the municipality, and it is spend - receipts."""
    assert session.set_compare(True, seeds=seeds) is None
    assert session.set_lever("policy.basisbaan_slots", 500) is None
    session.step(24)
    snap = session.snapshot()
    acc = session.accounts()
    fig = snap.figure("net_cost_so_far")
    # straight from the time series: spend - receipts, summed over the months run, mean over the seeds
    var = np.mean([(v["municipal_spend"] - v["municipal_receipts"]).iloc[1:].sum() for _s, _b, v in snap.pairs])
    base = np.mean([(b["municipal_spend"] - b["municipal_receipts"]).iloc[1:].sum() for _s, b, _v in snap.pairs])
    ledger = np.mean([v["account_municipality_net"].iloc[1:].sum() - b["account_municipality_net"].iloc[1:].sum()
                      for _s, b, v in snap.pairs])
    assert fig.value == pytest.approx(var, rel=1e-9) and fig.base == pytest.approx(base, rel=1e-9)
    assert fig.diff == pytest.approx(-ledger, rel=1e-9)
    assert fig.value == pytest.approx(-acc.loc["variant", "municipality"], rel=1e-9)
    assert fig.base == pytest.approx(-acc.loc["baseline", "municipality"], rel=1e-9)
    assert fig.diff == pytest.approx(-acc.loc["difference", "municipality"], rel=1e-9)
    assert fig.diff > 1e6                        # 500 places cost the municipality millions over two years
    # not the old figure, which took the saved benefits off a second time
    saved = np.mean([(v["municipal_savings"] - b["municipal_savings"]).iloc[1:].sum() for _s, b, v in snap.pairs])
    assert saved > 1e5 and abs(fig.diff - (var - base - saved)) > 1e5
    # what the eye reads: the same text on the tile, in the Compare table and (with the sign turned) in Who pays
    for lang in ("en", "nl"):
        value, label, delta, seeds_line = kpi_texts(snap, lang)["cost"]
        row = [r for r in T.compare_rows(snap, lang) if r[I.t("metric", lang)] == label]
        assert len(row) == 1, "the Compare table has the tile's figure under the tile's words"
        row = row[0]
        assert value == row[I.t("variant", lang)] == I.fmt_eur(fig.value, lang)
        assert delta == I.t("kpi_vs_baseline", lang, d=row[I.t("difference", lang)])
        pays = [r for r in T.accounts_rows(acc, lang) if r[""] == I.party("municipality", lang)][0]
        assert pays[I.t("difference", lang)] == "−" + row[I.t("difference", lang)].lstrip("+")
        assert pays[I.t("variant", lang)] == "−" + row[I.t("variant", lang)]
        assert ("spend − receipts" if lang == "en" else "uitgaven − ontvangsten") in label
        assert (seeds_line != "") == (seeds > 1)
    # the difference chart of the cumulative figure ends at the tile's difference
    chart = C.difference_chart(snap.pairs, "net_cost_so_far", "en")
    assert chart.traces[-2].y[-1] == pytest.approx(fig.diff, rel=1e-9)


def test_the_cost_chart_draws_spend_and_net_cost_and_never_subtracts_the_savings(session):
    session.set_compare(True)
    session.set_lever("policy.basisbaan_slots", 300)
    session.step(12)
    snap = session.snapshot()
    for lang in ("en", "nl"):
        chart = C.cost_chart(snap.ts, snap.ts_base, lang)
        stacked = [t for t in chart.traces if t.stack]
        assert {t.stack for t in stacked} == {"spend"}            # no receipts in this scenario; savings not stacked
        np.testing.assert_allclose(np.sum([t.y for t in stacked], axis=0), snap.ts["municipal_spend"], rtol=1e-9)
        assert all(min(t.y) >= 0 for t in stacked)                # nothing drawn below zero as if subtracted
        net = [t for t in chart.traces if t.name == I.t("net_cost", lang)]
        np.testing.assert_allclose(net[0].y, snap.ts["municipal_spend"] - snap.ts["municipal_receipts"], rtol=1e-9)
        saved = [t for t in chart.traces if t.name == I.t("savings", lang)]
        assert len(saved) == 1 and saved[0].dash == "dot" and saved[0].stack is None
        np.testing.assert_allclose(saved[0].y, snap.ts["municipal_savings"])
        assert ("counterfactual" if lang == "en" else "contrafeitelijk") in saved[0].name
        assert ("never subtracted" if lang == "en" else "nooit afgetrokken") in chart.note


def test_receipts_are_drawn_below_zero_when_the_municipality_receives_money(session):
    session.step(3)
    ts = session.snapshot().ts.copy()
    ts["municipal_receipts"] = 1000.0                              # as if organisations paid the municipality
    chart = C.cost_chart(ts, None, "en")
    received = [t for t in chart.traces if t.name == I.t("receipts", "en")]
    assert len(received) == 1 and received[0].y == [-1000.0] * len(ts)


def test_groningens_19000_is_called_the_programmes_net_cost_and_computed_from_the_programme(session):
    texts = [v for pair in I.T.values() for v in pair]
    for lesson in K.LESSONS:
        for step in lesson.steps:
            texts += [step.text["en"], step.text["nl"], step.question["en"], step.question["nl"]]
    for card in K.CARDS:
        texts += [card.what["en"], card.what["nl"], card.evidence["en"], card.evidence["nl"], card.look["en"],
                  card.look["nl"]]
    groningen = [t for t in texts if "19,000" in t or "19.000" in t]
    assert len(groningen) >= 4                                      # EN and NL: Who pays and the lesson
    for text in groningen:
        assert "programme's net cost" in text or "netto kosten van het programma" in text, text
        for wrong in ("net municipal cost", "net cost to the municipality", "netto gemeentelijke kosten",
                      "netto kosten voor de gemeente"):
            assert wrong not in text, text
    session.set_lever("policy.basisbaan_slots", 300)
    assert T.programme_note(session.snapshot(), "en").endswith("Nobody has held a basisbaan in this run yet.")
    session.step(12)
    ts = session.snapshot().ts
    per_year = ts["basisbaan_programme_net_cost"].iloc[1:].sum() / (ts["n_basisbaan"].iloc[1:].sum() / 12)
    assert session.snapshot().programme_cost_per_basisbaan_year() == pytest.approx(per_year, rel=1e-12)
    note = T.programme_note(session.snapshot(), "nl")
    assert note.endswith(f"{I.fmt_eur(per_year, 'nl')} per basisbaanjaar.")


def test_who_pays_says_what_is_assumed(session):
    notes = dict(T.accounts_notes(session.snapshot(), session.scenario, "en"))
    assert "EUR 15 per hour worked, is an assumption" in notes["accounts-assumed"]
    assert "liveability" in notes["accounts-assumed"] and "in no party's account" in notes["accounts-assumed"]
    assert "minus its net cost so far (spend − receipts)" in notes["accounts-help"]
    session.set_lever("accounts.liveability_value_hour", 20.0)       # the footnote shows the value in force
    nl = dict(T.accounts_notes(session.snapshot(), session.scenario, "nl"))
    assert "EUR 20 per gewerkt uur, is een aanname" in nl["accounts-assumed"]


# --- uploads: the size and the encoding are checked on the server ---------------------------------------------

def _upload(raw: bytes, name: str = "mine.toml", size: int | None = None) -> dict:
    return {"name": name, "size": len(raw) if size is None else size, "data": base64.b64encode(raw).decode()}


def test_an_upload_is_read_from_its_bytes(session):
    raw = "base = 'default'\nmonths = 24\nscale = 4.0\ndescription = 'Één regel'\n".encode("utf-8-sig")
    assert session.load_upload(_upload(raw)) is None
    assert session.source == "mine.toml" and session.snapshot().months == 24
    assert session.loaded.description == "Één regel"


@pytest.mark.parametrize("raw", [
    b"# big\n" + b"#" * MAX_FILE_BYTES + b"\n",                                      # too large
    "months = 12\n".encode("utf-16"),                                              # UTF-16
    b"months = 12\n\x00\x00",                                                      # NUL bytes
    b"description = '\xe9t\xe9'\n",                                                # Latin-1, not UTF-8
    b"# only a comment\n",                                                         # sets nothing
], ids=["too-large", "utf-16", "nul", "latin-1", "empty"])
def test_a_bad_upload_is_refused_with_the_line_plm_run_prints(session, tmp_path, raw):
    session.step(2)
    before = session.snapshot()
    err = session.load_upload(_upload(raw, "bad.toml", size=12))    # the browser's size is not trusted
    assert err is not None and "\n" not in err and len(err) < 200
    assert session.error_kind == "file" and session.error_at == "upload"
    (tmp_path / "bad.toml").write_bytes(raw)
    r = plm("run", "--scenario", "bad.toml", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == f"error: {err}"
    assert session.month == 2 and session.source == "default"
    pd.testing.assert_frame_equal(session.snapshot().ts, before.ts)


def test_an_upload_the_browser_found_too_large_or_that_is_damaged_is_refused(session):
    err = session.load_upload({"name": "huge.toml", "size": 50_000_000, "data": None})
    assert err == f"huge.toml: 50,000,000 bytes; allowed: a scenario file of at most {MAX_FILE_BYTES:,} bytes"
    err = session.load_upload({"name": "huge.toml", "size": 10, "data": "QUJD" * 2_000_000})  # 8 MB, not decoded
    assert err.startswith("huge.toml: 6,000,000 bytes; allowed: a scenario file of at most")
    err = session.load_upload({"name": "x.toml", "size": 10, "data": "not base64!"})
    assert err == "x.toml: the upload is damaged (not base64); allowed: a TOML scenario file"
    err = session.load_upload({"name": "two\nlines.toml", "size": 3, "data": None})
    assert "\n" not in err and session.source == "default" and session.error_at == "upload"


# --- the limit of people simulated per run ---------------------------------------------------------------------

def test_the_default_limit_admits_the_presets_at_scale_1():
    assert MAX_PEOPLE_DEFAULT == 250_000
    for name in preset_names():
        assert abm.scenario.estimate_size(load(name, {"scale": 1.0})).agents <= MAX_PEOPLE_DEFAULT, name


def test_a_lever_beyond_the_limit_of_people_is_refused_and_the_run_stays():
    s = Session("default", seed=7, overrides=SMALL, max_agents=20_000)      # 11,413 agents at scale 4
    s.step(3)
    before = s.snapshot()
    err = s.set_lever("scale", 1)
    assert err == ("scenario 'default': 45,650 people as 45,650 agents (scale 1); allowed here: at most 20,000 "
                   "agents (use a larger scale, or raise the limit with plm app --max-people N)")
    assert s.error_at == "lever::scale" and s.error_kind == "setting"
    assert s.month == 3 and s.scenario.scale == 4.0 and s.changes == {}
    pd.testing.assert_frame_equal(s.snapshot().ts, before.ts)
    assert s.set_lever("scale", 3) is None and s.scenario.scale == 3.0     # 15,217 agents: within the limit
    # an upload and a preset beyond the limit are refused the same way
    err = s.load_toml("base = 'default'\nscale = 1.0\n", "national.toml")
    assert "45,650 people as 45,650 agents (scale 1); allowed here: at most 20,000 agents" in err \
        and s.error_at == "upload"
    assert s.source == "default" and s.scenario.scale == 3.0
    err = s.set_compare(True, seeds=2)                                   # compare runs are each within it
    assert err is None and len(s.runs) == 2


def test_a_preset_beyond_the_limit_is_refused_and_the_first_run_must_fit():
    s = Session("groningen-basisbaan-2020", seed=7, max_agents=30_000)    # 24,900 agents
    err = s.load_preset("default")                                       # 45,650
    assert "45,650 people as 45,650 agents (scale 1); allowed here: at most 30,000 agents" in err
    assert s.error_at == "preset" and s.source == "groningen-basisbaan-2020"
    assert s.variant.scenario.name == s.scenario.name == load("groningen-basisbaan-2020").name
    with pytest.raises(ScenarioError, match="allowed here: at most 30,000"):
        Session("default", seed=7, max_agents=30_000)


# --- a failed build leaves the previous run loaded and consistent -------------------------------------------------

def _state(s: Session) -> tuple:
    return (s.seed, s.compare, s.n_seeds, s.baseline_preset, dict(s.changes), s.source, s.scenario, s.month,
            len(s.runs))


def _assert_consistent(s: Session) -> None:
    """The settings describe the runs that are loaded."""
    assert s.variant.scenario == s.scenario and s.variant.seed == s.seed
    assert (s.baseline is not None) == s.compare
    assert len(s.runs) == (s.n_seeds if s.compare else 1)
    assert [v.seed for _b, v in s.runs] == list(s.seeds())
    assert s.scenario == (s._variant(s.changes) if s.changes else s.loaded)
    snap = s.snapshot()
    assert snap.month == s.month and snap.seed == s.seed and snap.compare == s.compare
    assert snap.scenario_name == s.scenario.name


ACTIONS = [
    ("lever", lambda s: s.set_lever("policy.basisbaan_slots", 400), "lever::policy.basisbaan_slots"),
    ("scoped lever", lambda s: s.set_lever("policy.caseload", 60, scope="Noord"), "lever:Noord:policy.caseload"),
    ("mechanism", lambda s: s.set_mechanism("stigma", False), "mechanism:stigma"),
    ("preset", lambda s: s.load_preset("tight-market"), "preset"),
    ("upload", lambda s: s.load_toml("base = 'default'\nscale = 4.0\nmonths = 30\n", "mine.toml"), "upload"),
    ("seed", lambda s: s.set_seed(99), "seed"),
    ("compare off", lambda s: s.set_compare(False), "compare"),
    ("more seeds", lambda s: s.set_compare(True, seeds=3), "compare"),
    ("baseline preset", lambda s: s.set_compare(True, baseline="tight-market"), "compare"),
    ("lesson", lambda s: s.apply({"economy.tightness": 1.3}, preset="recession", compare=False), "lesson"),
    ("undo", lambda s: s.clear_changes(), ""),
    ("reset", lambda s: s.reset(), ""),
]


@pytest.mark.parametrize("failure", ["memory", "size"])
def test_a_build_that_fails_leaves_the_previous_run_loaded_and_consistent(monkeypatch, failure):
    s = Session("default", seed=7, overrides=SMALL)
    s.set_lever("economy.tightness", 1.2)
    s.set_compare(True)
    s.step(4)
    before, ts = _state(s), s.snapshot().ts
    if failure == "memory":
        def no_memory(*args, **kwargs):
            raise MemoryError()
        monkeypatch.setattr(V, "LabourMarketModel", no_memory)
        expected = "not enough memory for these settings; allowed: a smaller run (raise scale, fewer seeds)"
    else:
        monkeypatch.setattr(abm.scenario, "available_memory", lambda: 100_000_000)    # check_size refuses
        expected = "of memory; available: 0.1 GB (raise scale, or free memory)"
    for name, action, at in ACTIONS:
        err = action(s)
        assert err is not None and expected in err and "\n" not in err, name
        assert s.error == err and s.error_at == at, name
        assert _state(s) == before, name
        _assert_consistent(s)
        pd.testing.assert_frame_equal(s.snapshot().ts, ts)
    monkeypatch.undo()
    assert s.step(2) == 2 and s.month == 6                                # the kept run goes on
    assert s.set_lever("policy.basisbaan_slots", 400) is None and s.error is None and s.error_at == ""
    _assert_consistent(s)


def test_refused_settings_keep_every_setting_consistent(session):
    session.step(2)
    before = _state(session)
    assert session.set_compare(True, seeds=9).startswith("seeds = 9")
    assert session.set_compare(True, baseline="nope").startswith("baseline = 'nope'")
    assert session.apply({"economy.tightness": 99.0}, preset="recession", compare=True) is not None
    assert session.apply({"no.such": 1}).startswith("unknown key 'no.such'; allowed keys here include")
    assert session.set_lever("policy.caseload", 60, scope="Atlantis").startswith("municipality = 'Atlantis'")
    assert session.set_seed(2**63).startswith(f"seed = {2**63}")
    assert session.set_seed(1.5).startswith("seed = 1.5")
    assert _state(session) == before
    _assert_consistent(session)


# --- levers mean what --set means ---------------------------------------------------------------------------------

def test_a_region_wide_lever_applies_where_the_preset_sets_the_key_per_municipality():
    """groningen-basisbaan-2020 sets the additionality test for Groningen itself (0.9); the region-wide lever
    replaces it, as `plm run --set policy.additionality_test=0` does, and the run changes."""
    plain = Session("groningen-basisbaan-2020", seed=3, overrides=SMALL)
    s = Session("groningen-basisbaan-2020", seed=3, overrides=SMALL)
    assert L.municipal_overrides(s.loaded, "policy.additionality_test") == {"Groningen": 0.9}
    lever = L.by_path()["policy.additionality_test"]
    hint = _lever_props(lever, s.scenario, "", "en", False)["hint"]
    assert hint == "now differs in Groningen: 0.9; a value set here replaces these for every municipality"
    assert s.set_lever("policy.additionality_test", 0.0) is None
    assert [s.scenario.policy_at(i, 0).additionality_test for i in range(len(s.scenario.municipalities))] == [0.0]
    assert _lever_props(lever, s.scenario, "", "en", True)["hint"] == ""
    assert s.snapshot().changes == (("", "policy.additionality_test", 0.5, 0.0),)
    plain.step(24)
    s.step(24)
    kept, dropped = plain.snapshot().ts, s.snapshot().ts
    assert kept["displacement_per_100"].iloc[-1] < 10 < dropped["displacement_per_100"].iloc[-1]
    same = LabourMarketModel("groningen-basisbaan-2020", seed=3, **SMALL, **{"policy.additionality_test": 0.0})
    same.run(24)
    pd.testing.assert_frame_equal(dropped, same.timeseries())             # the lever is --set's meaning
    assert "replaces their own settings" in I.t("scope_help", "en")
    assert "vervangt hun eigen instellingen" in I.t("scope_help", "nl")


def test_with_several_seeds_tiles_and_compare_give_the_mean_its_range_and_the_noise(session):
    from experiments.noise import paired_difference

    session.set_compare(True, seeds=3)
    session.set_mechanism("stigma", False)
    session.step(12)
    snap = session.snapshot()
    var = [v["inclusion_rate"].iloc[-1] for _s, _b, v in snap.pairs]
    base = [b["inclusion_rate"].iloc[-1] for _s, b, _v in snap.pairs]
    diffs = [a - b for a, b in zip(var, base)]
    value, _label, delta, seeds_line = kpi_texts(snap, "en")["inclusion"]
    assert value == I.fmt_metric("inclusion_rate", np.mean(var), "en")
    assert delta == f"{I.fmt_metric('inclusion_rate', np.mean(diffs), 'en', signed=True)} vs baseline"
    assert seeds_line == (f"mean of 3 seeds; range {I.fmt_metric('inclusion_rate', min(diffs), 'en', signed=True)}"
                          f" … {I.fmt_metric('inclusion_rate', max(diffs), 'en', signed=True)}")  # clearly an effect
    column = I.t("noise_column", "en")
    for row, name in zip(T.compare_rows(snap, "en"), T.COMPARE_ROWS):
        per_seed = [(V.figure_of(v, name), V.figure_of(b, name)) for _s, b, v in snap.pairs]
        d = paired_difference([a for a, _ in per_seed], [b for _, b in per_seed])
        noisy = d.within_noise and not d.identical
        assert row[column].endswith("within the noise of 3 seeds") == noisy, name
