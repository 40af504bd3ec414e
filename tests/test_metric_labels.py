"""One spec for the labels and formats of reported figures (abm/metric_labels.py): the CLI summary, `plm report`
and the app read it, so a figure is called and written the same everywhere."""

import pandas as pd
import pytest

from abm import metrics
from abm.metric_labels import KINDS, LABELS, label, plain
from experiments import report, runner
from viz import i18n

# figures derived from the time series by the summary, the report or the app
DERIVED = {"regular_rate", "net_cost_so_far", "municipal_net_cost_over_run"}


def test_every_label_names_a_figure_the_model_reports():
    headline_keys = set(report.headline(_series()).keys())
    known = set(metrics.COLUMNS) | headline_keys | DERIVED
    assert set(LABELS) - known == set()
    assert all(spec.kind in KINDS for spec in LABELS.values())


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
        assert text.lower() == label(name).lower()
        col = series[name] if name in series else series["n_regular"] / series["seekers"]
        assert start == plain(name, col.iloc[0])
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
