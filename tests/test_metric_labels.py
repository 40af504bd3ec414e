"""One spec for the labels and formats of reported figures (abm/metric_labels.py): the CLI summary, `plm report`
and the app read it, so a figure is called and written the same everywhere."""

import pandas as pd
import pytest

from abm import metrics
from abm.metric_labels import KINDS, LABELS, OVER_TEXT, label, over_text, plain, read
from experiments import report, runner
from experiments.design.summary import summarise
from viz import i18n
from viz import session as app_session

# figures derived from the time series by the summary, the report or the app
DERIVED = {"regular_rate", "net_cost_so_far", "municipal_net_cost_over_run"}


def test_every_label_names_a_figure_the_model_reports():
    headline_keys = set(report.headline(_series()).keys())
    known = set(metrics.COLUMNS) | headline_keys | DERIVED
    assert set(LABELS) - known == set()
    assert all(spec.kind in KINDS and spec.over in OVER_TEXT for spec in LABELS.values())


def _series(months: int = 13) -> pd.DataFrame:
    from abm.model import LabourMarketModel
    from experiments.runner import run_scenario  # noqa: F401  (the path plm run takes)

    m = LabourMarketModel("default", seed=3, months=months, scale=20.0)
    m.run()
    return m.datacollector.get_model_vars_dataframe()


@pytest.fixture(scope="module")
def series():
    return _series()


def test_the_cli_summary_uses_the_spec(series):
    rows = runner.summary(series)
    for name, (text, start, end) in zip(runner.SUMMARY_ROWS, rows):
        assert text.lower() == (label(name) + over_text(name)).lower()
        col = series[name] if name in series else series["n_regular"] / series["seekers"]
        assert start == plain(name, col.iloc[0])
        assert end == plain(name, read(pd.DataFrame({name: col}), name))
    gap = dict((r[0], r) for r in rows)[label("inclusion_gap").capitalize()]
    assert gap[1] == f"{series['inclusion_gap'].iloc[0]:.2f}"     # a ratio, not a percentage


def test_the_report_and_the_app_use_the_spec():
    for name, text, _kind, digits in report.ROWS:
        if name in LABELS:
            assert text.startswith(LABELS[name].en)
            assert digits == (LABELS[name].digits if LABELS[name].kind in ("pct", "dec") else 0)
    for name, spec in LABELS.items():
        assert i18n.metric(name, "en") == spec.en and i18n.metric(name, "nl") == spec.nl
    # the same value is written with the same digits in the CLI and the app (English)
    assert i18n.fmt_metric("inclusion_gap", 0.4812, "en") == plain("inclusion_gap", 0.4812) == "0.48"
    assert i18n.fmt_metric("displacement_per_100", 17.14, "en") == plain("displacement_per_100", 17.14) == "17.1"


def _months(n: int = 25) -> pd.DataFrame:
    """A run of n - 1 months (row 0 the start) whose figures are the month's number: every reading differs."""
    month = pd.Series(range(n), dtype=float)
    return pd.DataFrame({"month": month, "throughput_rate": month / 100, "displacement_per_100": month,
                         "inclusion_rate": month / 100})


def test_a_run_s_figure_has_one_reading_throughput_over_the_run_displacement_over_the_last_year():
    """One definition per figure (docs/model.md, "Reading a run's figures"): throughput is the mean over the
    months run (month 0 left out), displacement per 100 the mean over the last 12 months run, the rest the last
    month's value; the labels say so."""
    ts = _months()
    assert read(ts, "throughput_rate") == pytest.approx(sum(range(1, 25)) / 24 / 100)
    assert read(ts, "displacement_per_100") == pytest.approx(sum(range(13, 25)) / 12)
    assert read(ts, "inclusion_rate") == pytest.approx(0.24)
    assert read(ts.iloc[:1], "throughput_rate") == 0.0           # before any month: the start
    assert read(ts.iloc[:6], "displacement_per_100") == pytest.approx(3.0)   # fewer than 12 months: those run
    assert (over_text("throughput_rate"), over_text("displacement_per_100"), over_text("inclusion_rate")) == (
        ", mean over the run", ", last year", "")
    assert over_text("throughput_rate", "nl") == ", gemiddeld over de run"


@pytest.mark.parametrize("name", ["throughput_rate", "displacement_per_100", "inclusion_rate"])
def test_the_summary_the_report_and_the_app_read_a_figure_the_same_way(name):
    ts = _months().assign(n_regular=1.0, seekers=2.0, inclusion_gap=1.0, n_basisbaan=1.0, n_parallel=1.0,
                          displaced_regular_jobs=1.0, municipal_net_cost=1.0, mean_wellbeing=1.0)
    ts = ts.assign(**{c: 0.0 for c in _series_columns_the_report_sums()})
    assert report.headline(ts)[name] == read(ts, name)
    stat = LABELS[name].over     # the sweep statistic of the same name
    assert summarise(ts, {name: [stat]})[f"{name}_{stat}"] == read(ts, name)
    assert app_session.figure_of(ts, name) == read(ts, name)
    summary = {row: end for row, (_t, _s, end) in zip(runner.SUMMARY_ROWS, runner.summary(ts))}
    assert summary[name] == plain(name, read(ts, name))
    row = next(r for r in report.ROWS if r[0] == name)
    assert row[1].startswith(LABELS[name].en + over_text(name))


def _series_columns_the_report_sums() -> list[str]:
    from abm.accounts import PARTIES
    return ["basisbaan_programme_net_cost", "basisbaan_fte", "value_created", "liveability_value",
            *(f"basisbaan_cost_{p}" for p in report.PROGRAMME_PARTIES), *(f"account_{p}_net" for p in PARTIES)]
