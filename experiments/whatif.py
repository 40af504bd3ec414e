"""A preset's results over its assumptions: the what-if range of `plm report` and `plm run --assumptions`.

Rule. A scenario that declares assumed settings (`[assumed]`, abm/assumptions.py) is run at its own values (the
central run) and at every point of the small design over the declared ranges (`abm.assumptions.design`: the
corners, or Latin-hypercube points), each on seeds 1..S: the same seeds at every point and for the comparator
(`experiments.report.comparator`), so every point is paired with the comparator on the same seed. A figure's
central value is its mean over the seeds of the central run; its range is the project's one spread interval
(`experiments.ensemble.interval`: the 5th to 95th percentile) of the outcomes of every run, the central ones
included. A difference is paired per seed with the comparator: its central value is the mean paired
difference of the central runs, its range the same interval of every run's paired difference. Figures are
those of `experiments.report.headline`, labelled by abm/metric_labels.py.

The range is over the assumptions, not evidence (`abm.assumptions.RANGE_TEXT`): it says how much a result hangs
on numbers the sources do not give, not how likely any value is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from abm import assumptions as A
from abm.accounts import PARTIES
from abm.scenario import Scenario, ScenarioError, load

# the figures shown for every what-if; the programme's per-job figures and the liveability value are shown
# where they move over the assumptions (`WhatIf.varies`)
ALWAYS = ("inclusion_rate", "regular_rate", "municipal_net_cost_per_year",
          *(f"{p}_net_per_year" for p in PARTIES))


@dataclass
class WhatIf:
    """A scenario's runs over its assumptions (module docstring)."""
    name: str
    scenario: Scenario
    points: list[dict[str, float]]        # the design points (assumed key -> value)
    central: list[dict[str, float]]       # headline at the scenario's own values, one per seed
    runs: list[list[dict[str, float]]]    # per point, one headline per seed (the same seeds)
    refs: list[dict[str, float]]          # the comparator, one headline per seed
    comparator: str = ""

    @property
    def seeds(self) -> int:
        return len(self.central)

    def _all(self) -> list[tuple[dict[str, float], dict[str, float]]]:
        """(run, comparator on its seed) for the central runs and every point's runs."""
        return [(r, ref) for rs in [self.central, *self.runs] for r, ref in zip(rs, self.refs)]

    def value(self, key: str) -> float:
        return float(np.mean([r[key] for r in self.central]))

    def range(self, key: str) -> tuple[float, float]:
        from experiments.ensemble import interval
        return interval([r[key] for r, _ in self._all()])

    def difference(self, key: str) -> float:
        return float(np.mean([r[key] - ref[key] for r, ref in zip(self.central, self.refs)]))

    def difference_range(self, key: str) -> tuple[float, float]:
        from experiments.ensemble import interval
        return interval([r[key] - ref[key] for r, ref in self._all()])

    def varies(self, key: str) -> bool:
        v = np.array([r[key] for r, _ in self._all()], dtype=float)
        v = v[np.isfinite(v)]
        return bool(v.size) and float(v.max() - v.min()) > 0.0

    def nonzero(self, key: str) -> bool:
        return any(v == v and v != 0.0 for r, ref in self._all() for v in (r[key], ref[key]))

    def keys(self, rows) -> list[tuple[str, str, str, int]]:
        """The report rows (experiments.report.ROWS) shown: ALWAYS (a party's net position where it is not zero
        in every run), and the programme's per-job figures and the liveability value where they move over the
        design."""
        return [row for row in rows
                if (row[0] in ALWAYS and (not row[0].endswith("_net_per_year") or self.nonzero(row[0])))
                or (row[0].startswith(("programme_cost_per_fte_month_", "liveability_value")) and self.varies(row[0]))]

    def design_text(self) -> str:
        k = len(self.scenario.assumed)
        how = (f"the {len(self.points)} corners of the declared ranges" if len(self.points) == 2 ** k else
               f"{len(self.points)} Latin-hypercube points in the declared ranges")
        return (f"{how} and the preset's own values, x {self.seeds} seeds (the same seeds at every point and for "
                f"`{self.comparator}`); a range is the 5th to 95th percentile of every point x seed run")


def count(scenario: Scenario) -> int:
    """Design points of a scenario (0 without assumptions): the runs per seed besides its central run."""
    return len(A.design(scenario.assumed))


def run_whatif(name: str, seeds: int, months: int | None = None, progress: Callable[[], None] | None = None,
               on_month: Callable[[], None] | None = None, cache: dict | None = None,
               central: list[dict[str, float]] | None = None,
               refs: list[dict[str, float]] | None = None, overrides: dict | None = None) -> WhatIf:
    """A preset (or scenario file) over its assumptions on seeds 1..`seeds`. `central` and `refs`: the central
    and comparator headlines already run on the same seeds (plm report's), else they are run here. `progress()`
    after each run of a design point (and of the central run when run here), `on_month()` after each month.
    A comparator run is looked up in `cache` (`experiments.report.comparator_headline`). `overrides` (such as a smaller
    `scale` in tests) apply to the scenario and every point; the comparator takes their months and scale."""
    from experiments.report import comparator, comparator_headline, headline
    from experiments.runner import run_scenario

    extra = {**(overrides or {}), **({"months": months} if months else {})}
    sc = load(name, extra or None)
    if not sc.assumed:
        raise ScenarioError(f"scenario = {name!r}: declares no assumed settings; allowed: a preset with an "
                                f"[assumed] table ({', '.join(assumed_presets())})")
    comp = comparator(sc)
    each_month = (lambda month, total: on_month()) if on_month else None
    seed_list = range(1, seeds + 1)

    def one(scenario: Scenario, seed: int) -> dict[str, float]:
        out = headline(run_scenario(scenario, seed=seed, progress=each_month).timeseries)
        if progress:
            progress()
        return out

    if refs is None:
        refs = [comparator_headline(comp, seed, cache, each_month) for seed in seed_list]
    if central is None:
        central = [one(sc, seed) for seed in seed_list]
    points = A.design(sc.assumed)
    runs = []
    for point in points:
        variant = load(name, {**extra, **A.point_overrides(sc, point)})
        runs.append([one(variant, seed) for seed in seed_list])
    return WhatIf(sc.name, sc, points, list(central), runs, list(refs), comp.name)


def assumed_presets() -> list[str]:
    """The presets that declare assumed settings."""
    from abm.scenario import preset_names
    return [n for n in preset_names() if load(n).assumed]


def _fmt(x: float, kind: str, digits: int, signed: bool = False) -> str:
    from experiments.report import PCT, _value

    if x != x:
        return "-"
    if kind == PCT:
        return f"{x * 100:+.{digits}f} pt" if signed else _value(x, kind, digits)
    return f"{x:+,.{digits}f}" if signed else _value(x, kind, digits)


def table_rows(w: WhatIf) -> list[tuple[str, str, str, str, str]]:
    """(label, central value, range, difference, range of the difference) per shown figure, as text."""
    from experiments.report import ROWS

    out = []
    for key, label, kind, digits in w.keys(ROWS):
        lo, hi = w.range(key)
        dlo, dhi = w.difference_range(key)
        out.append((label, _fmt(w.value(key), kind, digits), f"{_fmt(lo, kind, digits)} to {_fmt(hi, kind, digits)}",
                    _fmt(w.difference(key), kind, digits, True),
                    f"{_fmt(dlo, kind, digits, True)} to {_fmt(dhi, kind, digits, True)}"))
    return out


def assumption_lines(sc: Scenario) -> list[str]:
    """One markdown bullet per assumption: key, the scenario's value, the range, why and the source."""
    return [f"- `{r['key']}` = {r['value']:g}, range {r['low']:g} to {r['high']:g}: {r['why']} ({r['source']})."
            for r in A.rows(sc)]


def markdown(w: WhatIf) -> list[str]:
    """The what-if section of a preset in `plm report` (docs/scenarios.md)."""
    lines = ["", "**Read as a what-if: its assumptions and the results over them.** " + A.RANGE_TEXT[0].upper()
             + A.RANGE_TEXT[1:] + ".", "", *assumption_lines(w.scenario), "",
             f"Runs: {w.design_text()} (experiments/whatif.py).", "",
             "| result | at the preset's values | range over the assumptions | difference | range of the difference |",
             "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in table_rows(w)]
    return lines
