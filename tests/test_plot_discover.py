"""`plm plot` and `plm discover` on tiny sweeps (experiments.plot, experiments.discover, experiments.sweep_data)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.sweep import SweepError, load_sweep, run_sweep

ROOT = Path(__file__).resolve().parent.parent
PLM = [sys.executable, "-m", "experiments.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

pytestmark = pytest.mark.timeout(300)


def plm(*args):
    return subprocess.run([*PLM, *args], capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=240)


@pytest.fixture(scope="module")
def model_sweep(tmp_path_factory):
    """2 tightness levels x 2 city basisbaan levels x 2 seeds of 6 months at scale 8, with the time series."""
    out = tmp_path_factory.mktemp("plot") / "tiny"
    design = {"name": "tiny", "method": "grid", "seeds": 2, "months": 6, "set": {"scale": 8.0},
              "parameters": {"economy.tightness": {"levels": [0.7, 1.3]},
                             "municipalities.Stad.policy.basisbaan_slots": {"levels": [0, 100]}},
              "outputs": {"timeseries": True,
                          "summary": {"inclusion_rate": ["final"], "displacement_per_100": ["final"]}}}
    result = run_sweep(design, out, workers=0)
    assert result.ok == 8
    return out


@pytest.fixture(scope="module")
def box_sweep(tmp_path_factory):
    """40 Latin-hypercube points of (a, b) x 2 seeds of tests.sweep_helpers:box_of_a (y > 0.7 iff a > 0.7)."""
    out = tmp_path_factory.mktemp("discover") / "box"
    design = {"name": "box", "function": "tests.sweep_helpers:box_of_a", "method": "lhs", "samples": 40,
              "sample_seed": 3, "seeds": 2,
              "parameters": {"a": {"min": 0.0, "max": 1.0}, "b": {"min": 0.0, "max": 1.0}}}
    result = run_sweep(design, out, workers=0, allow_code=True)
    assert result.ok == 80
    return out


# --- plot ------------------------------------------------------------------------------------------------

def test_plot_writes_three_figures_as_png_and_svg(model_sweep, tmp_path):
    out = tmp_path / "figs"
    r = plm("plot", str(model_sweep), "--out", str(out), "--by", "municipalities.Stad.policy.basisbaan_slots")
    assert r.returncode == 0, r.stderr
    for name in ("envelopes", "response", "pairs"):
        png, svg = out / f"{name}.png", out / f"{name}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
    envelope_svg = (out / "envelopes.svg").read_text()
    assert "inclusion_rate" in envelope_svg and "displacement_per_100" in envelope_svg
    assert "0 (4 runs)" in envelope_svg and "100 (4 runs)" in envelope_svg  # grouped by the city's places
    assert "envelopes" in r.stderr and str(out / "pairs.svg") in r.stdout
    assert not list(out.glob(".*tmp*"))
    # the same sweep gives the same SVG
    again = plm("plot", str(model_sweep), "--out", str(tmp_path / "again"), "--by",
                "municipalities.Stad.policy.basisbaan_slots", "--figure", "response")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "response.svg").read_bytes() == (out / "response.svg").read_bytes()
    assert not (tmp_path / "again" / "pairs.svg").exists()


def test_point_means_are_the_mean_min_and_max_over_seeds(box_sweep):
    from experiments.plot import point_means
    from experiments.sweep_data import read_sweep

    data = read_sweep(box_sweep)
    points = point_means(data, ["y"])
    assert len(points) == 40 and (points["seeds"] == 2).all()
    expected = points["a"] + points["b"] / 1000
    assert np.allclose(points["y_min"], expected + 1e-6) and np.allclose(points["y_max"], expected + 2e-6)
    assert np.allclose(points["y_mean"], expected + 1.5e-6)


def test_a_parameter_with_many_values_is_cut_into_three_groups_of_equal_count():
    from experiments.plot import groups_of

    labels, order = groups_of(pd.Series(np.arange(12, dtype=float)))
    assert order == ["0 – 3", "4 – 7", "8 – 11"]
    assert labels.value_counts().to_dict() == {"0 – 3": 4, "4 – 7": 4, "8 – 11": 4}
    labels, order = groups_of(pd.Series([0.5, 1.5, 0.5]))
    assert order == ["0.5", "1.5"]


@pytest.mark.parametrize("args, message", [
    (["--outcome", "inclusoin_rate_final"], "--outcome = 'inclusoin_rate_final': not an output of sweep 'tiny'; "
                                           "did you mean 'inclusion_rate_final'?"),
    (["--by", "economy.tightnes"], "--by = 'economy.tightnes': not a varied parameter of sweep 'tiny'; allowed: "
                                   "economy.tightness, municipalities.Stad.policy.basisbaan_slots"),
    (["--figure", "violin"], "--figure = 'violin': allowed: envelopes, response, pairs"),
])
def test_plot_refuses_bad_input_in_one_line_and_writes_nothing(model_sweep, tmp_path, args, message):
    out = tmp_path / "figs"
    r = plm("plot", str(model_sweep), "--out", str(out), *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), r.stderr
    assert not out.exists()


def test_plot_without_time_series_draws_no_envelopes_and_says_so(box_sweep, tmp_path):
    r = plm("plot", str(box_sweep), "--out", str(tmp_path / "a"))
    assert r.returncode == 0, r.stderr
    assert "holds no time series" in r.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["pairs.png", "pairs.svg", "response.png",
                                                                  "response.svg"]
    r = plm("plot", str(box_sweep), "--figure", "envelopes", "--out", str(tmp_path / "b"))
    assert r.returncode == 2 and "holds no time series; allowed: a design with outputs.timeseries = true" in r.stderr
    assert not (tmp_path / "b").exists()


def test_plot_refuses_a_folder_that_is_not_a_sweep(tmp_path):
    r = plm("plot", str(tmp_path))
    assert r.returncode == 2 and r.stderr.startswith("error: sweep = ") and "not a sweep folder" in r.stderr


# --- discover --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, op, value", [
    ("y > 0.7", "y", ">", 0.7), ("inclusion_rate_final<=0.36", "inclusion_rate_final", "<=", 0.36),
    ("  y >= -1e3 ", "y", ">=", -1000.0), ("y < .5", "y", "<", 0.5),
])
def test_where_is_a_name_an_operator_and_a_number(text, name, op, value):
    from experiments.discover import parse_where

    w = parse_where(text)
    assert (w.name, w.op, w.value) == (name, op, value)


@pytest.mark.parametrize("text", [
    "", "y", "y > ", "> 0.7", "y == 0.7", "y > 0.7 and y < 0.9", "__import__('os').system('true') > 0",
    "y > 1e999", "y > nan", "y > 0x10", "0.7 < y", "y > 0.7; import os", "y => 1",
])
def test_where_refuses_anything_else_in_one_line(text):
    from experiments.discover import parse_where

    with pytest.raises(SweepError, match=r"^--where = .*: allowed: "):
        parse_where(text)


def test_discover_finds_the_known_box(box_sweep):
    from experiments.discover import discover

    result = discover(box_sweep, "y", "y > 0.7")
    assert (result.cases, result.of_interest) == (80, int((load_sweep(box_sweep)["a"] > 0.7).sum()))
    prim_box = next(b for b in result.boxes if b.method == "PRIM")
    assert list(prim_box.limits) == ["a"]  # b does not matter
    low, high = prim_box.limits["a"]
    assert 0.6 < low <= 0.71 and high >= 0.97
    assert prim_box.density >= 0.8 and prim_box.coverage >= 0.8
    assert prim_box.qp["a"] < 0.01
    # the box reported: of the peeling trajectory's boxes with density >= 0.8, the one of highest coverage and,
    # of equal coverage, the densest
    traj = result._prim.peeling_trajectory
    dense = traj[traj["density"] >= 0.8]
    assert prim_box.coverage == dense["coverage"].max() and len(dense) < len(traj)
    assert prim_box.density == dense.loc[dense["coverage"] == dense["coverage"].max(), "density"].max()
    cart_boxes = [b for b in result.boxes if b.method == "CART"]
    assert cart_boxes and all(list(b.limits) == ["a"] and b.limits["a"][0] > 0.6 for b in cart_boxes)
    assert sum(b.coverage for b in cart_boxes) == pytest.approx(1.0)


def test_plm_discover_prints_and_plots_the_boxes(box_sweep, tmp_path):
    out = tmp_path / "d"
    r = plm("discover", str(box_sweep), "--outcome", "y", "--where", "y > 0.7", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("sweep box: ") and lines[0].endswith("of 80 ok runs have y > 0.7")
    assert lines[1].startswith("PRIM box: coverage ") and lines[2].lstrip().startswith("a: 0.")
    assert any(line.startswith("CART box: ") for line in lines)
    boxes = pd.read_csv(out / "boxes.csv")
    assert set(boxes["method"]) == {"PRIM", "CART"} and set(boxes["parameter"]) == {"a"}
    for name in ("prim_tradeoff", "prim_box", "cart_tree"):
        assert (out / f"{name}.png").read_bytes()[:4] == b"\x89PNG" and (out / f"{name}.svg").is_file()
    r = plm("discover", str(box_sweep), "--outcome", "y", "--where", "y > 0.7", "--method", "prim",
            "--no-plot", "--out", str(tmp_path / "p"))
    assert r.returncode == 0 and "CART" not in r.stdout
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["boxes.csv"]


@pytest.mark.parametrize("args, message", [
    (["--outcome", "y", "--where", "exec('x') > 1"], "error: --where = \"exec('x') > 1\": allowed: NAME OP NUMBER"),
    (["--outcome", "y", "--where", "z > 0.5"], "error: --where = 'z > 0.5': names 'z'; allowed: a condition on "
                                               "the outcome, e.g. \"y > 0.5\""),
    (["--outcome", "y", "--where", "y > 5"], "error: --where = 'y > 5': holds for 0 of 80 ok runs; allowed: a "
                                             "condition that splits the runs"),
    (["--outcome", "w", "--where", "w > 5"], "error: --outcome = 'w': not an output of sweep 'box'"),
    (["--outcome", "y", "--where", "y > 0.5", "--method", "forest"], "error: --method = 'forest': allowed: prim, "
                                                                      "cart"),
    (["--outcome", "y", "--where", "y > 0.5", "--density", "0"], "error: --density = 0.0: allowed: a share"),
])
def test_plm_discover_refuses_bad_input_in_one_line_and_writes_nothing(box_sweep, tmp_path, args, message):
    out = tmp_path / "d"
    r = plm("discover", str(box_sweep), *args, "--out", str(out))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith(message), r.stderr
    assert not out.exists()
