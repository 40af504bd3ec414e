"""Places filled against places available per programme (`abm.programmes.places`), the app's table of them and its
chart of them over time (`Session.places_series`, `viz.charts.places_chart`)."""

from __future__ import annotations

import pytest

from abm.model import LabourMarketModel
from abm.programmes import PROGRAMMES, places
from viz import charts as C
from viz.session import Session
from viz.tabs import places_rows


def test_places_add_up_to_the_time_series_and_respect_the_capacities():
    model = LabourMarketModel("default", seed=2, scale=8.0, months=12, agent_views=False,
                              **{"policy.basisbaan_slots": 40})
    model.run()
    p = places(model)
    last = model.timeseries().iloc[-1]
    region = p[p["municipality"] == "all"].set_index("programme")
    assert list(region.index) == list(PROGRAMMES)
    for programme, column in (("basisbaan", "n_basisbaan"), ("parallel", "n_parallel"),
                              ("participation", "n_participation")):
        assert region.loc[programme, "filled"] == last[column]
        per_muni = p[(p["programme"] == programme) & (p["municipality"] != "all")]
        assert per_muni["filled"].sum() == region.loc[programme, "filled"]
        assert per_muni["available"].sum() == region.loc[programme, "available"]
    bb = p[p["programme"] == "basisbaan"]
    assert (bb["filled"] <= bb["available"]).all()
    # the region-wide lever gives every municipality its own 40 places (5 at scale 8)
    assert (bb[bb["municipality"] != "all"]["available"] == 40).all()
    par = p[p["programme"] == "parallel"]
    assert (par["filled"] <= par["available"]).all()


def test_a_programme_that_has_ended_has_no_places_available():
    model = LabourMarketModel("default", seed=2, scale=8.0, months=6, agent_views=False,
                              **{"policy.basisbaan_slots": 40, "policy.basisbaan_end_month": 3})
    model.run()
    bb = places(model).set_index(["programme", "municipality"]).loc["basisbaan"]
    assert (bb["available"] == 0).all()


def test_the_app_table_shows_filled_over_available_for_every_programme():
    s = Session("default", seed=2, overrides={"scale": 8.0, "months": 12})
    s.step(3)
    rows = places_rows(s.places(), "nl")
    assert [r["programma"] for r in rows] == ["basisbaan", "parallel werk", "participatie"]
    assert all(" / " in v for r in rows for k, v in r.items() if k != "programma")
    assert set(rows[0]) == {"programma", "regio", *[m.name for m in s.scenario.municipalities]}


def test_the_app_table_shows_the_planned_places_a_programme_has_not_yet_acquired():
    s = Session("rotterdam-wijkbasisbaan-2021-acquisition", seed=2, overrides={"scale": 4.0, "months": 12})
    s.step(6)
    p = s.places()
    city = p[(p["programme"] == "basisbaan") & (p["municipality"] == "Stad")].iloc[0]
    assert city["filled"] <= city["available"] < city["planned"] == 60
    rows = places_rows(p, "en")
    assert rows[0]["Stad"].endswith(" (of 60 planned)")
    assert "planned" not in rows[1]["Stad"] and "planned" not in rows[2]["Stad"]


def test_the_app_draws_places_filled_against_available_and_planned_for_the_region_and_a_municipality():
    s = Session("parallel-market-acquisition", seed=2, overrides={"scale": 4.0, "months": 12})
    s.step(6)
    ts = s.snapshot().ts
    region = s.places_series()
    assert region["basisbaan"]["filled"].tolist() == ts["n_basisbaan"].tolist()
    assert region["parallel"]["acquired"].tolist() == ts["parallel_places_acquired"].tolist()
    names = [m.name for m in s.scenario.municipalities]
    local = {name: s.places_series(name) for name in names}
    for programme in ("basisbaan", "parallel"):      # the municipalities add up to the region, month by month
        for figure in ("planned", "acquired", "filled"):
            total = sum(local[name][programme][figure] for name in names)
            assert total.tolist() == region[programme][figure].tolist(), (programme, figure)
    city = local["Stad"]["parallel"]
    assert (city["filled"] <= city["acquired"]).all() and (city["acquired"] <= city["planned"]).all()
    assert city["acquired"].iloc[-1] > city["acquired"].iloc[0] and city["acquired"].iloc[-1] < city["planned"].iloc[-1]
    chart = C.places_chart(local["Stad"], "Stad", "nl")
    assert chart.title.endswith("— Stad") and [p.y_title.split(" · ")[0] for p in chart.panels] == \
        ["basisbaan", "parallel werk"]
    assert [t.name for t in chart.traces if t.panel == 1] == ["parallelle plaatsen bezet",
                                                              "parallelle plaatsen beschikbaar (geworven)",
                                                              "parallelle plaatsen gepland (gefinancierd)"]
    assert chart.traces[4].y == city["acquired"].tolist() and chart.traces[0].y == local["Stad"]["basisbaan"][
        "filled"].tolist()
    assert C.to_image(chart, "png").startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="municipality = 'Nergens': allowed: Stad"):
        s.places_series("Nergens")
