"""`plm plot SWEEP`: three figures of a sweep, each written as PNG and SVG (matplotlib, Agg backend).

- **envelopes** (`envelopes.png/.svg`, needs `outputs.timeseries = true`): for each metric of the chosen outcomes,
  the monthly series of every ok run grouped by one parameter (`--by`, default the first varied one); per group
  the median over its runs (line) and the envelope from the lowest to the highest run (band). A numeric
  parameter with more than `MAX_GROUPS` values is cut into `MAX_GROUPS` groups of equal count (its lower,
  middle and upper third), labelled with their ranges.
- **response curves** (`response.png/.svg`): one panel per outcome and varied parameter: each design point's mean
  over its seeds (dot) and the range of its seeds (bar, lowest to highest seed), against the parameter's value;
  a numeric parameter with more than `MAX_GROUPS` values also gets the mean in ten bins of equal count (line).
- **pairs** (`pairs.png/.svg`): every pair of varied parameters as a scatter of the design points coloured by the
  first outcome (seed mean), with the histogram of each parameter and of the outcome on the diagonal.

A design point is a set of parameter values; its seeds are the runs that share them. Only ok runs are drawn
(`experiments.sweep_data`). SVGs carry no date and a fixed hash salt, so the same sweep gives the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.sweep import SweepError
from experiments.sweep_data import SweepData, read_sweep

MAX_GROUPS = 3
FIGURES = ("envelopes", "response", "pairs")
FORMATS = ("png", "svg")
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")  # Okabe-Ito


def _pyplot():
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    plt.rcParams["svg.hashsalt"] = "plm"
    return plt


def point_means(data: SweepData, outcomes: list[str]) -> pd.DataFrame:
    """One row per design point: the parameters, and per outcome its seed mean, min and max and the seed count."""
    grouped = data.runs.groupby(data.parameters, sort=True, dropna=False)[outcomes]
    frame = grouped.agg(["mean", "min", "max"])
    frame.columns = [f"{c}_{s}" for c, s in frame.columns]
    frame["seeds"] = grouped.size()
    return frame.reset_index()


def groups_of(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Group labels of a parameter's values (see the module docstring) and their order."""
    distinct = sorted(values.dropna().unique(), key=lambda v: (str(type(v)), v))
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if not numeric or len(distinct) <= MAX_GROUPS:
        labels = values.map(_fmt)
        return labels, [_fmt(v) for v in distinct]
    cut = pd.qcut(values.rank(method="first"), MAX_GROUPS, labels=False)
    names = []
    for k in range(MAX_GROUPS):
        inside = values[cut == k]
        names.append(f"{_fmt(inside.min())} – {_fmt(inside.max())}")
    return cut.map(dict(enumerate(names))), names


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (int, np.integer)) or (isinstance(v, (float, np.floating)) and float(v).is_integer()
                                              and abs(v) >= 1):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        return f"{v:.3g}"
    return str(v)


def _short(key: str) -> str:
    """A parameter key shortened for a panel label: without a leading `municipalities.`."""
    return key.removeprefix("municipalities.")


def plan_plot(folder: str | Path, *, outcomes: list[str] | None = None, by: str | None = None,
              figures: list[str] | None = None):
    """Check everything a plot needs before anything is drawn; returns (data, outcomes, by, figures, series)."""
    data = read_sweep(folder)
    outcomes = data.resolve(outcomes, "--outcome")
    figures = list(figures or FIGURES)
    for f in figures:
        if f not in FIGURES:
            raise SweepError(f"--figure = {f!r}: allowed: {', '.join(FIGURES)}")
    by = data.check_parameter(by, "--by") if by else data.parameters[0]
    series: list[str] = []
    if "envelopes" in figures:
        ts_dir = Path(folder) / "timeseries"
        if not ts_dir.is_dir():
            if figures != list(FIGURES):
                raise SweepError(f"--figure = 'envelopes': sweep {data.name!r} holds no time series; allowed: a "
                                 "design with outputs.timeseries = true")
            figures.remove("envelopes")
        else:
            series = list(dict.fromkeys(o.rpartition("_")[0] for o in outcomes))
    return data, outcomes, by, figures, series


def plot_sweep(folder: str | Path, *, outcomes: list[str] | None = None, by: str | None = None,
               figures: list[str] | None = None, out: str | Path | None = None, log=None) -> list[Path]:
    """Draw the figures of a sweep into `out` (default: the sweep folder's `plots/`); returns the files written.

    Bad input (an unknown outcome, parameter or figure) is refused before anything is drawn."""
    asked = figures
    data, outcomes, by, figures, series = plan_plot(folder, outcomes=outcomes, by=by, figures=figures)
    say = log or (lambda msg: None)
    if not asked and "envelopes" not in figures:
        say(f"note: sweep {data.name!r} holds no time series (outputs.timeseries = false): no envelopes")
    target = Path(out) if out is not None else Path(folder) / "plots"
    drawn = []
    if "envelopes" in figures:
        say(f"envelopes: {', '.join(series)} by {by}")
        drawn.append(("envelopes", _envelopes(data, folder, series, by)))
    if "response" in figures:
        say(f"response curves: {', '.join(outcomes)} against {len(data.parameters)} parameter(s)")
        drawn.append(("response", _response(data, outcomes)))
    if "pairs" in figures:
        say(f"pairs: {len(data.parameters)} parameter(s) coloured by {outcomes[0]}")
        drawn.append(("pairs", _pairs(data, outcomes[0])))
    target.mkdir(parents=True, exist_ok=True)
    return [p for name, fig in drawn for p in _save(fig, target, name)]


def _save(fig, target: Path, name: str) -> list[Path]:
    plt = _pyplot()
    paths = []
    for fmt in FORMATS:
        path = target / f"{name}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.{fmt}")
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(tmp, dpi=110, metadata=meta, bbox_inches="tight")
        os.replace(tmp, path)
        paths.append(path)
    plt.close(fig)
    return paths


def _title(fig, data: SweepData, what: str) -> None:
    seeds = data.runs["seed"].nunique() if "seed" in data.runs else 1
    points = len(data.runs.groupby(data.parameters, dropna=False))
    fig.suptitle(f"sweep {data.name}: {what} ({points} points × {seeds} seed(s), {len(data.runs)} ok runs)",
                 fontsize=11)


def _envelopes(data: SweepData, folder, series: list[str], by: str):
    from experiments.sweep import load_sweep

    plt = _pyplot()
    ts = load_sweep(folder, timeseries=True)
    ts = ts[ts["run_id"].isin(set(data.runs["run_id"]))]
    missing = [m for m in series if m not in ts.columns]
    if missing:
        raise SweepError(f"--outcome: {missing[0]!r} is not in the kept time series of sweep {data.name!r}")
    labels, order = groups_of(data.runs.set_index("run_id")[by])
    ts = ts.assign(_group=ts["run_id"].map(labels))
    fig, axes = plt.subplots(1, len(series), figsize=(5.2 * len(series), 3.8), squeeze=False)
    for ax, metric in zip(axes.flat, series):
        for colour, group in zip(COLOURS * 4, order):
            sub = ts[ts["_group"] == group].groupby("month")[metric]
            lo, mid, hi = sub.min(), sub.median(), sub.max()
            ax.fill_between(lo.index, lo.values, hi.values, color=colour, alpha=0.22, linewidth=0)
            runs = ts.loc[ts["_group"] == group, "run_id"].nunique()
            ax.plot(mid.index, mid.values, color=colour, linewidth=1.6, label=f"{group} ({runs} runs)")
        ax.set_title(metric, fontsize=10)
        ax.set_xlabel("month")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(title=_short(by), fontsize=7, title_fontsize=8, loc="best")
    _title(fig, data, f"median and min–max envelope by {_short(by)}")
    fig.tight_layout()
    return fig


def _response(data: SweepData, outcomes: list[str]):
    plt = _pyplot()
    points = point_means(data, outcomes)
    n_par = len(data.parameters)
    fig, axes = plt.subplots(len(outcomes), n_par, figsize=(3.6 * n_par + 0.6, 3.0 * len(outcomes) + 0.6),
                             squeeze=False)
    for i, outcome in enumerate(outcomes):
        for j, par in enumerate(data.parameters):
            ax = axes[i, j]
            x = points[par]
            numeric = data.numeric(par)
            if not numeric:
                cats = sorted(x.unique(), key=str)
                pos = {c: k for k, c in enumerate(cats)}
                xv = x.map(pos).astype(float)
                ax.set_xticks(range(len(cats)), [_fmt(c) for c in cats])
            else:
                xv = x.astype(float)
            mean, lo, hi = points[f"{outcome}_mean"], points[f"{outcome}_min"], points[f"{outcome}_max"]
            ax.errorbar(xv, mean, yerr=[mean - lo, hi - mean], fmt="o", markersize=3, color=COLOURS[0],
                        ecolor="#999999", elinewidth=0.8, capsize=0)
            if numeric and x.nunique() > MAX_GROUPS:
                bins = pd.qcut(xv.rank(method="first"), min(10, len(xv)), labels=False)
                trend = pd.DataFrame({"x": xv, "y": mean, "b": bins}).groupby("b").mean()
                ax.plot(trend["x"], trend["y"], color=COLOURS[5], linewidth=1.4)
            elif numeric:
                trend = pd.DataFrame({"x": xv, "y": mean}).groupby("x")["y"].mean()
                ax.plot(trend.index, trend.values, color=COLOURS[5], linewidth=1.4)
            if i == len(outcomes) - 1:
                ax.set_xlabel(_short(par), fontsize=9)
            if j == 0:
                ax.set_ylabel(outcome, fontsize=8)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
    _title(fig, data, "point mean (dot), seed range (bar), binned mean (line)")
    fig.tight_layout()
    return fig


def _pairs(data: SweepData, outcome: str):
    plt = _pyplot()
    points = point_means(data, [outcome])
    cols = list(data.parameters)
    n = len(cols) + 1
    fig, axes = plt.subplots(n, n, figsize=(2.3 * n + 1.2, 2.3 * n), squeeze=False)
    colour = points[f"{outcome}_mean"]
    values = {c: _as_number(points[c]) for c in cols}
    values[outcome] = colour
    names = [*cols, outcome]
    scatter = None
    for i, yname in enumerate(names):
        for j, xname in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(values[xname], bins=min(15, max(3, len(points) // 3)), color=COLOURS[4])
            elif j < i:
                scatter = ax.scatter(values[xname], values[yname], c=colour, cmap="viridis", s=12)
            else:
                ax.set_visible(False)
                continue
            ax.tick_params(labelsize=6)
            if i == n - 1:
                ax.set_xlabel(_short(xname), fontsize=8)
            if j == 0:
                ax.set_ylabel(_short(yname), fontsize=8)
    if scatter is not None:
        bar = fig.colorbar(scatter, ax=axes[:, -1].tolist(), shrink=0.8)
        bar.set_label(f"{outcome} (seed mean)", fontsize=8)
    _title(fig, data, f"pairs coloured by {outcome}")
    return fig


def _as_number(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    cats = sorted(values.unique(), key=str)
    return values.map({c: k for k, c in enumerate(cats)}).astype(float)


__all__ = ["plot_sweep", "plan_plot", "point_means", "groups_of", "FIGURES"]
