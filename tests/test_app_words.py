"""The app's words and small pure pieces from issue 11's walkthrough: plain translated words for settings, the
caption of a figure, what every figure is (seed N or the mean of N seeds), Dutch names, a chart's data as a
table, wrapped axis titles, markers at month 0 and short unknown-key messages."""

from __future__ import annotations

import pytest

from abm.scenario import ScenarioError, load, preset_names
from viz import charts as C
from viz import i18n as I
from viz import levers as L
from viz.components import caption_text, change_text, seeds_text
from viz.i18n_params import DESCRIPTIONS_NL
from viz.session import Session
from viz.tabs import live_charts


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session("default", seed=7, overrides={"scale": 8.0, "months": 12})
    s.set_lever("policy.basisbaan_slots", 120)
    s.set_compare(True, 3)
    s.step(4)
    return s


def test_settings_are_said_in_plain_translated_words():
    assert change_text("", "self_stigma.enabled", False, "en") == "Self-stigma (why try): off"
    assert change_text("", "self_stigma.enabled", False, "nl") == "Zelfstigma (why try): uit"
    assert change_text("Stad", "policy.caseload", 100, "nl", before=350, month=13) == (
        "vanaf maand 13: Stad: caseload (klanten per klantmanager): 350 → 100")
    assert "=" not in change_text("", "policy.earnings_disregard_share", 0.5, "nl")
    assert "0,5" in change_text("", "policy.earnings_disregard_share", 0.5, "nl")


def test_every_parameter_and_preset_has_a_dutch_name():
    for lever in L.catalogue():
        if DESCRIPTIONS_NL.get(lever.path) and lever.path not in I.LEVER_LABELS:
            assert I.lever_label(lever, "nl") != lever.name.replace("_", " "), lever.path
            assert len(I.lever_label(lever, "nl")) <= 62, lever.path
    for name in preset_names():
        dutch = I.preset_name(name, "nl")
        assert dutch != name and dutch.endswith(f"({name})")
        assert I.preset_name(name, "en") == name


def test_every_figure_says_which_seed_or_how_many_seeds(session):
    snap = session.snapshot()
    assert seeds_text(snap, "en") == "mean of 3 seeds (7–9)"
    caption = caption_text(snap, "en")
    for part in ("Scenario default", "places per municipality: 120", "compared with the scenario as loaded",
                 "mean of 3 seeds (7–9)", "month 4 of 12"):
        assert part in caption
    titles = [c.title for c in live_charts(snap, "en")]
    assert all(t.endswith("· seed 7, the first of 3") for t in titles)
    single = Session("default", seed=5, overrides={"scale": 8.0, "months": 12}).snapshot()
    assert seeds_text(single, "nl") == "seed 5"
    assert all(c.title.endswith("· seed 5") for c in live_charts(single, "en"))


def test_a_chart_gives_its_data_as_a_table(session):
    snap = session.snapshot()
    inclusion = next(c for c in live_charts(snap, "en") if c.id == "inclusion")
    rows = C.table_rows(inclusion)
    assert [r["month"] for r in rows] == list(range(5))
    assert set(rows[0]) == {"month", *[t.name for t in inclusion.traces]}
    bars = C.table_rows(C.who_pays_chart(session.accounts(), "en"))
    assert bars and all(len(r) >= 2 for r in bars)


def test_long_axis_titles_wrap_and_month_0_draws_markers():
    assert C.wrap_title("regular jobs displaced per 100 subsidised jobs", "<br>") == (
        "regular jobs displaced<br>per 100 subsidised jobs")
    assert C.wrap_title("%", "<br>") == "%"
    snap = Session("default", seed=5, overrides={"scale": 8.0, "months": 12}).snapshot()
    displacement = next(c for c in live_charts(snap, "en") if c.id == "displacement")
    data, layout = C.to_plotly(displacement)
    assert "<br>" in layout["yaxis"]["title"]["text"] and layout["margin"]["l"] >= 100
    assert all(d["mode"] == "lines+markers" for d in data) and layout["xaxis"]["range"][0] < 0


def test_an_unknown_key_gets_a_short_did_you_mean():
    with pytest.raises(ScenarioError) as exc:
        load("default", {"policy.xyzzy": 3})
    message = str(exc.value)
    assert "allowed keys here include" in message and message.count(",") <= 3 + 1
    s = Session("default", seed=5, overrides={"scale": 8.0, "months": 12})
    assert s.set_lever("policy.casload", 100) == "unknown key 'policy.casload'; did you mean 'policy.caseload'?"
