"""Sensitivity analysis of a sweep (SALib): Sobol indices, Morris screening, RBD-FAST.

`analyse(DIR)` reads a sweep folder (`experiments.sweep`) and, for each chosen output column, computes

- `sobol` designs: first-order (S1) and total-order (ST) Sobol indices with confidence intervals
  (bootstrap, 95% by default), and second-order indices if the design asked for them;
- `morris` designs: Morris screening, mu* (mean absolute elementary effect) with its confidence interval,
  mu and sigma (interactions and non-linearity);
- `lhs` designs: first-order indices by RBD-FAST with confidence intervals.

Replicates (several seeds per point) are averaged per point first. The analysis needs every design point
to have finished with every seed: a sweep with missing or failed runs is refused with one line saying how
many. A design below its method's smallest useful sample (`experiments.design.MIN_SAMPLES`: Sobol N >= 64,
Morris >= 10 trajectories, RBD-FAST >= 44 points) is refused with the size it needs. Indices that cannot be
read at face value are flagged, one warning line each (`SensitivityResult.warnings`): a Sobol or RBD-FAST
index outside [0, 1], or any index whose confidence interval (2 × the ± half-width) is wider than the index.
`write_report` saves `sensitivity.csv` (one row per output, parameter and index, with a `flag` column) and
`sensitivity.png` into the sweep folder.

`python -m experiments.sensitivity minimums` measures what the minimums rest on (docs/sweeps.md).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.design import OUTPUT_ALIASES, RBD_FAST_M, Design, DesignError, check_sensitivity_size, sample_matrix
from experiments.sweep import SweepError, load_design_table, load_sweep, manifest_of

LABELS = {"S1": "first order S1", "ST": "total order ST", "mu_star": "mu*", "mu": "mu", "sigma": "sigma",
          "S2": "second order S2"}


@dataclass
class SensitivityResult:
    """Tidy indices: one row per output, parameter and index (value and half-width of its interval)."""

    method: str  # sobol, morris, rbd_fast
    table: pd.DataFrame
    outputs: list[str]
    parameters: list[str]
    points: int
    seeds: int
    conf_level: float
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line per index that cannot be read at face value
    flags: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (output, parameter, index) -> why

    def for_output(self, output: str) -> pd.DataFrame:
        """parameter × index table of one output (values; `<index>_conf` columns for the intervals)."""
        sub = self.table[self.table["output"] == output]
        values = sub.pivot(index="parameter", columns="index", values="value")
        confs = sub.pivot(index="parameter", columns="index", values="conf").add_suffix("_conf")
        out = values.join(confs).reindex(self.parameters)
        return out


def design_of(manifest: dict[str, Any]) -> Design:
    """The design as the sweep ran it (from its manifest; no scenario needed)."""
    design = Design.model_validate(manifest["design"])
    design._kinds = dict(manifest.get("parameters") or {})
    design._checked = True
    return design


_NOT_OUTPUTS = ("run_id", "status", "seed", "wall_seconds", "worker", "finished_utc", "model_version", "error",
                "traceback")


def resolve_outputs(names: list[str] | None, design: Design, columns: list[str]) -> list[str]:
    available = [c for c in columns if c not in _NOT_OUTPUTS and c not in design.parameters]
    wanted = list(names) if names else list(design.sensitivity.outputs or available)
    out = []
    for name in wanted:
        col = OUTPUT_ALIASES.get(name, name)
        if col not in columns:
            raise SweepError(f"--output = {name!r}: not an output of this sweep; allowed: "
                             f"{', '.join(available) or '(none: no run finished)'} or "
                             f"{', '.join(k for k, v in OUTPUT_ALIASES.items() if v in columns)}")
        out.append(col)
    return list(dict.fromkeys(out))


def analyse(sweep_dir: str | Path, outputs: list[str] | None = None, *, conf_level: float = 0.95,
            num_resamples: int = 1000, seed: int = 1) -> SensitivityResult:
    """Sensitivity indices of a finished sweep (see the module docstring)."""
    manifest = manifest_of(sweep_dir)
    design = design_of(manifest)
    if design.method == "grid":
        raise SweepError(f"sweep = {str(sweep_dir)!r}: method = 'grid'; allowed: a sobol, morris or lhs design "
                         "(see experiments/designs/)")
    try:
        check_sensitivity_size(design, f"sweep = {str(sweep_dir)!r}")
    except DesignError as exc:
        raise SweepError(str(exc)) from None
    runs = load_sweep(sweep_dir)
    table = load_design_table(sweep_dir)
    cols = resolve_outputs(outputs, design, list(runs.columns))
    ok = runs[runs["status"] == "ok"].set_index("run_id")
    merged = table.join(ok[cols], on="run_id")
    complete = merged.groupby("point")[cols].apply(lambda g: bool(g.notna().all().all()))
    n_points = int(table["point"].nunique())
    if not complete.all():
        bad = int((~complete).sum())
        failed = set(runs.loc[runs["status"] == "failed", "run_id"])
        n_failed = int(table.loc[table["run_id"].isin(failed), "point"].nunique())
        raise SweepError(f"sweep = {str(sweep_dir)!r}: {bad} of {n_points} design points lack a finished run "
                         f"({n_failed} with failed runs); allowed: a complete sweep: run plm sweep again "
                         "(--retry-failed to rerun failed runs)")
    y_all = merged.groupby("point")[cols].mean().sort_index()
    X = sample_matrix(design)
    if X.shape[0] != len(y_all):
        raise SweepError(f"sweep = {str(sweep_dir)!r}: the design has {X.shape[0]} points but the folder has "
                         f"{len(y_all)}; allowed: a folder written by this design")
    problem = design.problem()
    names = problem["names"]
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    method = {"sobol": "sobol", "morris": "morris", "lhs": "rbd_fast"}[design.method]
    for col in cols:
        Y = y_all[col].to_numpy(dtype=float)
        if not np.isfinite(Y).all():
            notes.append(f"{col}: has non-finite values; not analysed")
            continue
        if np.ptp(Y) == 0:
            notes.append(f"{col}: does not vary over the design; every index is 0")
            for p in names:
                for idx in _INDEXES[method]:
                    rows.append({"output": col, "parameter": p, "index": idx, "value": 0.0, "conf": 0.0})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            rows += _analyse_one(method, design, problem, X, Y, col, conf_level, num_resamples, seed)
    tidy = pd.DataFrame(rows, columns=["output", "parameter", "index", "value", "conf"])
    seeds = int(table.groupby("point")["seed"].nunique().max()) if len(table) else 0
    flags, lines = check_indices(tidy, conf_level)
    tidy["flag"] = [flags.get((r.output, r.parameter, r.index), "") for r in tidy.itertuples()]
    return SensitivityResult(method, tidy, cols, names, n_points, seeds, conf_level, notes, lines, flags)


# Indices that are shares of the output's variance, so in [0, 1] (Morris mu*, mu, sigma have the output's unit).
BOUNDED = ("S1", "ST", "S2")


def check_indices(tidy: pd.DataFrame, conf_level: float) -> tuple[dict[tuple[str, str, str], str], list[str]]:
    """Indices that cannot be read at face value: a variance share outside [0, 1], or a confidence interval
    (value ± conf, so 2 × conf wide) wider than the index itself. Returns the flags and one line per index."""
    flags: dict[tuple[str, str, str], str] = {}
    lines: list[str] = []
    for r in tidy.itertuples():
        value, conf = float(r.value), float(r.conf)
        if not np.isfinite(value):
            continue
        why = []
        if r.index in BOUNDED and not 0.0 <= value <= 1.0:
            why.append("outside [0, 1] (a share of the variance)")
        wide = np.isfinite(conf) and 2 * conf > abs(value)
        if wide:
            why.append(f"its {conf_level:.0%} interval is wider than the index")
        if why:
            text = " and ".join(why)
            flags[(r.output, r.parameter, r.index)] = text
            advice = ("it cannot be told apart from 0 at this sample size" if wide else
                      "an estimation error; more samples reduce it")
            lines.append(f"{r.output}: {r.index} of {r.parameter} = {value:.3g} ± {conf:.3g}: {text}; {advice}")
    return flags, lines


_INDEXES = {"sobol": ("S1", "ST"), "morris": ("mu_star", "mu", "sigma"), "rbd_fast": ("S1",)}


def _analyse_one(method, design, problem, X, Y, col, conf_level, num_resamples, seed) -> list[dict[str, Any]]:
    names = problem["names"]
    rows = []
    if method == "sobol":
        from SALib.analyze import sobol
        res = sobol.analyze(problem, Y, calc_second_order=design.second_order, num_resamples=num_resamples,
                            conf_level=conf_level, seed=seed)
        for i, p in enumerate(names):
            rows.append({"output": col, "parameter": p, "index": "S1", "value": res["S1"][i],
                         "conf": res["S1_conf"][i]})
            rows.append({"output": col, "parameter": p, "index": "ST", "value": res["ST"][i],
                         "conf": res["ST_conf"][i]})
        if design.second_order:
            for i, p in enumerate(names):
                for j in range(i + 1, len(names)):
                    rows.append({"output": col, "parameter": f"{p} × {names[j]}", "index": "S2",
                                 "value": res["S2"][i, j], "conf": res["S2_conf"][i, j]})
    elif method == "morris":
        from SALib.analyze import morris
        res = morris.analyze(problem, X, Y, num_resamples=num_resamples, conf_level=conf_level,
                             num_levels=design.levels, seed=seed)
        for i, p in enumerate(names):
            rows.append({"output": col, "parameter": p, "index": "mu_star", "value": res["mu_star"][i],
                         "conf": res["mu_star_conf"][i]})
            rows.append({"output": col, "parameter": p, "index": "mu", "value": res["mu"][i], "conf": np.nan})
            rows.append({"output": col, "parameter": p, "index": "sigma", "value": res["sigma"][i],
                         "conf": np.nan})
    else:
        from SALib.analyze import rbd_fast
        res = rbd_fast.analyze(problem, X, Y, M=RBD_FAST_M, num_resamples=num_resamples, conf_level=conf_level,
                               seed=seed)
        for i, p in enumerate(names):
            rows.append({"output": col, "parameter": p, "index": "S1", "value": res["S1"][i],
                         "conf": res["S1_conf"][i]})
    return [{**r, "value": float(r["value"]), "conf": float(r["conf"])} for r in rows]


# --- report ----------------------------------------------------------------------------------------------

def rich_tables(result: SensitivityResult):
    """One rich Table per output."""
    from rich.table import Table

    tables = []
    pct = f"±{result.conf_level:.0%}"
    for col in result.outputs:
        sub = result.for_output(col)
        if sub.empty:
            continue
        title = (f"{col}: {_method_title(result.method)} ({result.points} points × {result.seeds} seed"
                 f"{'s' if result.seeds != 1 else ''})")
        flagged = {(p, i) for (o, p, i) in result.flags if o == col}
        caption = "! not reliable: see the warnings" if flagged else None
        t = Table(title=title, caption=caption)
        t.add_column("parameter")
        if result.method == "sobol":
            key = "ST"
            for name in ("S1", pct, "ST", pct):
                t.add_column(name, justify="right")
        elif result.method == "morris":
            key = "mu_star"
            for name in ("mu*", pct, "mu", "sigma"):
                t.add_column(name, justify="right")
        else:
            key = "S1"
            for name in ("S1", pct):
                t.add_column(name, justify="right")
        sub = sub[~sub.index.str.contains(" × ")].sort_values(key, ascending=False, key=lambda s: s.abs())
        for p, r in sub.iterrows():
            def mark(index: str, text: str) -> str:
                return f"{text} !" if (p, index) in flagged else text
            if result.method == "sobol":
                cells = [mark("S1", _f(r["S1"])), _f(r["S1_conf"]), mark("ST", _f(r["ST"])), _f(r["ST_conf"])]
            elif result.method == "morris":
                cells = [mark("mu_star", _g(r["mu_star"])), _g(r["mu_star_conf"]), _g(r["mu"]), _g(r["sigma"])]
            else:
                cells = [mark("S1", _f(r["S1"])), _f(r["S1_conf"])]
            t.add_row(str(p), *cells)
        tables.append(t)
    return tables


def _method_title(method: str) -> str:
    return {"sobol": "Sobol indices", "morris": "Morris screening", "rbd_fast": "RBD-FAST first-order indices"}[method]


def _f(v: float) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{v:.3f}"


def _g(v: float) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{v:.4g}"


def plot(result: SensitivityResult, path: str | Path) -> Path:
    """A PNG with one panel per output: S1/ST bars with intervals (Sobol, RBD-FAST) or mu* vs sigma (Morris)."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    outputs = [c for c in result.outputs if not result.for_output(c).empty]
    n = max(1, len(outputs))
    ncols = min(2, n)
    nrows = (n + ncols - 1) // ncols
    height = max(2.8, 0.45 * len(result.parameters) + 1.4)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, height * nrows), squeeze=False)
    for ax, col in zip(axes.flat, outputs):
        sub = result.for_output(col)
        sub = sub[~sub.index.str.contains(" × ")]
        labels = list(sub.index)
        y = np.arange(len(labels))
        if result.method == "morris":
            ax.errorbar(sub["mu_star"], sub["sigma"], xerr=sub["mu_star_conf"], fmt="o", capsize=3)
            for lab, xv, yv in zip(labels, sub["mu_star"], sub["sigma"]):
                ax.annotate(lab, (xv, yv), textcoords="offset points", xytext=(4, 4), fontsize=7)
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma")
        else:
            width = 0.38 if result.method == "sobol" else 0.6
            ax.barh(y - (width / 2 if result.method == "sobol" else 0), sub["S1"], height=width,
                    xerr=sub["S1_conf"], capsize=3, label="S1 first order")
            if result.method == "sobol":
                ax.barh(y + width / 2, sub["ST"], height=width, xerr=sub["ST_conf"], capsize=3,
                        label="ST total order")
            ax.set_yticks(y, labels, fontsize=8)
            ax.invert_yaxis()
            ax.axvline(0, color="black", linewidth=0.6)
            ax.set_xlabel(f"index (bars: {result.conf_level:.0%} interval)")
            ax.legend(fontsize=7, loc="lower right")
        ax.set_title(col, fontsize=10)
    for ax in list(axes.flat)[len(outputs):]:
        ax.set_visible(False)
    fig.suptitle(f"{_method_title(result.method)}: {result.points} points × {result.seeds} seed(s)", fontsize=11)
    fig.tight_layout()
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def write_report(result: SensitivityResult, sweep_dir: str | Path, *, with_plot: bool = True) -> list[Path]:
    """sensitivity.csv (and sensitivity.png) in the sweep folder; returns the paths written."""
    sweep_dir = Path(sweep_dir)
    csv = sweep_dir / "sensitivity.csv"
    tmp = csv.with_name(f".{csv.name}.tmp-{os.getpid()}")
    result.table.assign(method=result.method, conf_level=result.conf_level).to_csv(tmp, index=False,
                                                                                   lineterminator="\n")
    os.replace(tmp, csv)
    paths = [csv]
    if with_plot:
        paths.append(plot(result, sweep_dir / "sensitivity.png"))
    return paths


# --- what the minimum sample sizes rest on ----------------------------------------------------------------

def minimum_study(repeats: int = 20) -> dict[str, pd.DataFrame]:
    """How often each method's intervals cover the right answer, by sample size, on the Ishigami function
    (`experiments.testfunctions`): Sobol against the analytical S1/ST, RBD-FAST against the analytical S1,
    Morris against mu* from 4,000 trajectories. `repeats` sample seeds per size; deterministic."""
    from SALib.analyze import morris, rbd_fast, sobol
    from SALib.sample import latin
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample
    from SALib.test_functions import Ishigami

    from experiments.testfunctions import ishigami_indices

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    true = ishigami_indices()
    out: dict[str, pd.DataFrame] = {}
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in (4, 8, 16, 32, 64, 128, 256):
            err, cover = [], []
            for s in range(repeats):
                X = sobol_sample.sample(problem, n, calc_second_order=False, seed=s)
                res = sobol.analyze(problem, Ishigami.evaluate(X), calc_second_order=False, num_resamples=1000,
                                    seed=1)
                for idx in ("S1", "ST"):
                    for i, p in enumerate(problem["names"]):
                        e = abs(res[idx][i] - true[idx][p])
                        err.append(e)
                        cover.append(e <= res[f"{idx}_conf"][i])
            rows.append({"N": n, "points": n * 5, "max_error": max(err), "median_error": float(np.median(err)),
                         "interval_covers_truth": float(np.mean(cover))})
        out["sobol"] = pd.DataFrame(rows)
        rows = []
        for n in (21, 30, 42, 43, 44, 50, 100, 128, 200, 400):
            err, cover, zero, conf, fail = [], [], [], [], 0
            for s in range(repeats):
                X = latin.sample(problem, n, seed=s)
                try:
                    res = rbd_fast.analyze(problem, X, Ishigami.evaluate(X), M=RBD_FAST_M, num_resamples=200, seed=1)
                except ZeroDivisionError:
                    fail += 1
                    continue
                zero.append(bool(np.all(np.asarray(res["S1_conf"]) == 0)))
                conf += list(res["S1_conf"])
                for i, p in enumerate(problem["names"]):
                    e = abs(res["S1"][i] - true["S1"][p])
                    err.append(e)
                    cover.append(e <= res["S1_conf"][i])
            rows.append({"points": n, "max_error": max(err) if err else np.nan,
                         "interval_covers_truth": float(np.mean(cover)) if cover else np.nan,
                         "median_half_width": float(np.median(conf)) if conf else np.nan,
                         "all_intervals_zero": float(np.mean(zero)) if zero else np.nan,
                         "analysis_fails": fail / repeats})
        out["rbd_fast"] = pd.DataFrame(rows)
        rows = []
        X = morris_sample.sample(problem, 4000, num_levels=4, seed=99)
        ref = morris.analyze(problem, X, Ishigami.evaluate(X), num_levels=4, seed=1)["mu_star"]
        for r in (2, 4, 6, 8, 10, 15, 20):
            rel, cover = [], []
            for s in range(2 * repeats):
                X = morris_sample.sample(problem, r, num_levels=4, seed=s)
                res = morris.analyze(problem, X, Ishigami.evaluate(X), num_levels=4, num_resamples=1000, seed=1)
                for i in range(3):
                    e = abs(res["mu_star"][i] - ref[i])
                    rel.append(e / ref[i])
                    cover.append(e <= res["mu_star_conf"][i])
            rows.append({"trajectories": r, "points": r * 4, "max_relative_error": max(rel),
                         "interval_covers_reference": float(np.mean(cover))})
        out["morris"] = pd.DataFrame(rows)
    return out


if __name__ == "__main__":  # python -m experiments.sensitivity minimums
    import sys

    if sys.argv[1:] != ["minimums"]:
        sys.exit("usage: python -m experiments.sensitivity minimums")
    with pd.option_context("display.width", 120, "display.precision", 3):
        for name, frame in minimum_study().items():
            print(f"\n{name} on the Ishigami function\n{frame.to_string(index=False)}")
