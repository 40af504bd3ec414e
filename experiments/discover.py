"""`plm discover SWEEP --outcome X --where "X < v"`: scenario discovery (PRIM and CART) on a sweep's runs.

The cases of interest are the ok runs whose outcome satisfies `--where`; the inputs are the varied parameters.
Each run is one case (the seed is not an input, so seed noise near the threshold lowers a box's density).
The algorithms are the EMA Workbench's (`ema_workbench.analysis.prim.Prim`, `...cart.CART`; Friedman & Fisher
1999, Bryant & Lempert 2010):

- **PRIM** peels the input space down to a box where cases of interest are dense. Of the boxes on its peeling
  trajectory the one reported is the one with the highest coverage among those whose density reaches
  `--density` (default 0.8), and of those with equal coverage the densest; if none reaches it, the densest.
  Coverage = cases of interest in the box / all cases of interest; density = cases of interest in the box /
  cases in the box; mass = cases in the box / all cases.
  Only restricted parameters are listed, with the box's limits and the quasi-p value of the restriction.
- **CART** fits a classification tree (leaves of at least `mass_min` = 5% of the cases); each leaf is a box;
  the leaves where cases of interest are the majority are reported with the same statistics.

`--where` is parsed, never evaluated: `NAME OP NUMBER` with OP one of < <= > >= and NAME the outcome.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.sweep import SweepError
from experiments.sweep_data import SweepData, read_sweep

OPERATORS = ("<=", ">=", "<", ">")
WHERE_RE = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_.]*)\s*(?P<op><=|>=|<|>)\s*"
                      r"(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$")
WHERE_ALLOWED = "NAME OP NUMBER with OP one of <, <=, >, >=, e.g. \"inclusion_rate_final < 0.36\""
METHODS = ("prim", "cart")


@dataclass(frozen=True)
class Where:
    name: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.name} {self.op} {self.value:g}"

    def mask(self, values: pd.Series) -> np.ndarray:
        v = values.to_numpy(dtype=float)
        return {"<": v < self.value, "<=": v <= self.value, ">": v > self.value, ">=": v >= self.value}[self.op]


def parse_where(text: str) -> Where:
    """`NAME OP NUMBER` (see WHERE_ALLOWED); anything else is refused with one line. Nothing is evaluated."""
    m = WHERE_RE.match(text or "")
    if not m:
        raise SweepError(f"--where = {text!r}: allowed: {WHERE_ALLOWED}")
    value = float(m["num"])
    if not math.isfinite(value):
        raise SweepError(f"--where = {text!r}: allowed: a finite number")
    return Where(m["name"], m["op"], value)


@dataclass
class Box:
    """One box: its statistics and, per restricted parameter, (low, high) and PRIM's quasi-p value."""
    method: str
    coverage: float
    density: float
    mass: float
    cases: int
    limits: dict[str, tuple] = field(default_factory=dict)
    qp: dict[str, float] = field(default_factory=dict)


@dataclass
class Discovery:
    sweep: str
    where: Where
    cases: int
    of_interest: int
    parameters: list[str]
    boxes: list[Box]
    notes: list[str]
    _prim: object = None
    _prim_index: int = -1
    _cart: object = None


def _inputs(data: SweepData) -> pd.DataFrame:
    x = data.runs[data.parameters].copy()
    for c in x.columns:
        if pd.api.types.is_bool_dtype(x[c]) or not pd.api.types.is_numeric_dtype(x[c]):
            x[c] = x[c].astype(str).astype("category")
        elif pd.api.types.is_integer_dtype(x[c]):
            x[c] = x[c].astype(np.int64)
        else:
            x[c] = x[c].astype(np.float64)
    return x


def _ema():
    try:
        with warnings.catch_warnings():  # "ipyparallel not installed": about evaluators, not the analysis
            warnings.simplefilter("ignore", UserWarning)
            from ema_workbench.analysis import cart, prim
    except ImportError:  # pragma: no cover - depends on the environment
        raise SweepError("plm discover needs the EMA Workbench; allowed: install it with "
                         "pip install -e '.[ema]'") from None
    return prim, cart


def discover(folder: str | Path, outcome: str, where: str, *, methods: tuple[str, ...] = METHODS,
             density: float = 0.8, peel_alpha: float = 0.05, mass_min: float = 0.05) -> Discovery:
    """PRIM (and CART) boxes for the runs of a sweep whose `outcome` satisfies `where` (module docstring)."""
    w = parse_where(where)
    for m in methods:
        if m not in METHODS:
            raise SweepError(f"--method = {m!r}: allowed: {', '.join(METHODS)}")
    if not 0 < density <= 1:
        raise SweepError(f"--density = {density}: allowed: a share in (0, 1]")
    data = read_sweep(folder)
    outcome = data.resolve([outcome], "--outcome")[0]
    if w.name != outcome:
        raise SweepError(f"--where = {str(w)!r}: names {w.name!r}; allowed: a condition on the outcome, "
                         f"e.g. \"{outcome} {w.op} {w.value:g}\"")
    y = w.mask(data.runs[outcome])
    n, k = len(y), int(y.sum())
    if k == 0 or k == n:
        lo, hi = data.runs[outcome].min(), data.runs[outcome].max()
        raise SweepError(f"--where = {str(w)!r}: holds for {k} of {n} ok runs; allowed: a condition that splits "
                         f"the runs ({outcome} ranges from {lo:.6g} to {hi:.6g})")
    prim, cart = _ema()
    x = _inputs(data)
    result = Discovery(data.name, w, n, k, list(data.parameters), [], [])
    if "prim" in methods:
        # For a binary y the workbench counts y >= threshold as a case of interest and keeps the box only if its
        # mean reaches the threshold: a threshold just above 0 counts the y = 1 runs and keeps the whole peeling
        # trajectory, from which the box is chosen by the rule of the module docstring.
        finder = prim.Prim(x, y.astype(int), threshold=1e-9, peel_alpha=peel_alpha, mass_min=mass_min)
        box = finder.find_box()
        traj = box.peeling_trajectory
        dense = traj[traj["density"] >= density]
        if len(dense):  # highest coverage; of equal coverage, the densest
            i = int(dense.sort_values(["coverage", "density"], ascending=False, kind="stable").index[0])
        else:
            i = int(traj["density"].idxmax())
        if not len(dense):
            result.notes.append(f"PRIM: no box reaches density {density:g}; the densest is reported")
        box.select(i)
        result.boxes.append(_prim_box(box, i))
        result._prim, result._prim_index = box, i
    if "cart" in methods:
        tree = cart.CART(x, y, mass_min=max(mass_min, 1.000001 / n))  # a leaf holds at least one run
        tree.build_tree()
        with warnings.catch_warnings():  # the workbench writes a split (22.5) into an int column of its boxes
            warnings.simplefilter("ignore", FutureWarning)
            leaves = list(zip(tree.boxes, tree.stats))
        for lims, stats in leaves:
            if stats["density"] > 0.5:
                result.boxes.append(_cart_box(lims, stats, x, n))
        result._cart = tree
    return result


def _prim_box(box, i: int) -> Box:
    stats = box.peeling_trajectory.iloc[i]
    lims = box.box_lims[i]
    init = box.prim.box_init
    limits, qp = {}, {}
    for unc, (lo_qp, hi_qp) in box.qp[i].items():
        limits[unc] = _limit(lims[unc], init[unc])
        qp[unc] = min(v for v in (lo_qp, hi_qp) if v >= 0) if max(lo_qp, hi_qp) >= 0 else float("nan")
    return Box("PRIM", float(stats["coverage"]), float(stats["density"]), float(stats["mass"]), int(stats["n"]),
               limits, qp)


def _cart_box(lims: pd.DataFrame, stats: dict, x: pd.DataFrame, n: int) -> Box:
    init = {c: (x[c].min(), x[c].max()) if not isinstance(x[c].dtype, pd.CategoricalDtype)
            else set(x[c].cat.categories) for c in x.columns}
    limits = {}
    for c in lims.columns:
        lo, hi = lims[c].iloc[0], lims[c].iloc[1]
        if isinstance(init[c], set):
            if set(lo) != init[c]:
                limits[c] = (sorted(lo),)
        elif lo > init[c][0] or hi < init[c][1]:
            limits[c] = (lo, hi)
    mass = float(stats["mass"])
    return Box("CART", float(stats["coverage"]), float(stats["density"]), mass, int(round(mass * n)), limits)


def _limit(col: pd.Series, init: pd.Series) -> tuple:
    lo, hi = col.iloc[0], col.iloc[1]
    if isinstance(lo, set):
        return (sorted(lo),)
    return (lo, hi)


def format_box(box: Box) -> list[str]:
    """A box as lines of text: its statistics, then one line per restricted parameter."""
    lines = [f"{box.method} box: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f} "
             f"({box.cases} runs)"]
    if not box.limits:
        lines.append("  no restriction: every run")
    for name, lim in box.limits.items():
        text = f"one of {', '.join(map(str, lim[0]))}" if len(lim) == 1 else f"{lim[0]:.4g} .. {lim[1]:.4g}"
        qp = box.qp.get(name)
        lines.append(f"  {name}: {text}" + (f"  (quasi-p {qp:.2g})" if qp is not None and qp == qp else ""))
    return lines


def write_figures(result: Discovery, out: str | Path) -> list[Path]:
    """prim_tradeoff, prim_box (PRIM) and cart_tree (CART), each PNG and SVG, into `out`."""
    from experiments.plot import _pyplot, _save

    plt = _pyplot()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figs = []
    if result._prim is not None:
        box = result._prim
        fig = box.show_tradeoff()
        ax = fig.axes[0]
        sel = box.peeling_trajectory.iloc[result._prim_index]
        ax.scatter([sel["coverage"]], [sel["density"]], s=120, facecolors="none", edgecolors="red", linewidths=1.5)
        ax.set_title(f"PRIM peeling trajectory: {result.where} (red: the box reported)", fontsize=9)
        figs.append(("prim_tradeoff", fig))
        fig = box.inspect(result._prim_index, style="graph")[0]
        fig.suptitle(f"sweep {result.sweep}: PRIM box for {result.where}", fontsize=10)
        figs.append(("prim_box", fig))
    if result._cart is not None:
        from sklearn import tree as sktree
        fig, ax = plt.subplots(figsize=(12, 6))
        sktree.plot_tree(result._cart.clf, feature_names=list(result.parameters), class_names=["other", "of interest"],
                         filled=True, impurity=False, proportion=False, fontsize=7, ax=ax)
        ax.set_title(f"sweep {result.sweep}: CART tree for {result.where}", fontsize=10)
        figs.append(("cart_tree", fig))
    return [p for name, fig in figs for p in _save(fig, out, name)]


def write_boxes_csv(result: Discovery, out: str | Path) -> Path:
    """boxes.csv: method, box number, coverage, density, mass, runs, parameter, low, high, quasi-p."""
    rows = []
    for k, box in enumerate(result.boxes):
        base = {"method": box.method, "box": k, "coverage": box.coverage, "density": box.density,
                "mass": box.mass, "runs": box.cases, "where": str(result.where)}
        if not box.limits:
            rows.append({**base, "parameter": "", "low": np.nan, "high": np.nan, "quasi_p": np.nan})
        for name, lim in box.limits.items():
            low, high = (lim[0], lim[1]) if len(lim) == 2 else (";".join(map(str, lim[0])), "")
            rows.append({**base, "parameter": name, "low": low, "high": high, "quasi_p": box.qp.get(name, np.nan)})
    path = Path(out) / "boxes.csv"
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pd.DataFrame(rows).to_csv(tmp, index=False, lineterminator="\n")
    os.replace(tmp, path)
    return path


__all__ = ["discover", "parse_where", "Where", "Box", "Discovery", "format_box", "write_figures",
           "write_boxes_csv", "WHERE_ALLOWED"]
