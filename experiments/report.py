"""Scenario results: every preset against its comparator on the same seeds (`plm report`, docs/scenarios.md).

The comparator of a scenario in the default region is `baseline-participatiewet`; a scenario with its own
region (Groningen) is compared with itself without its basisbaan programme. Both run on the same seeds, so the
differences are common-random-number comparisons, each with its 95% interval over the seeds and marked when it
is within their noise (experiments/noise.py). Headline results: inclusion and regular employment,
displacement, throughput, the municipality's net cost (spend - receipts), the basisbaan programme's own net cost
per basisbaan-year, each party's net cost of the programme per full-time job per month (docs/model.md, Money
figures), and the net position of every party per year (who pays, who gains). A preset that declares assumed
settings (abm/assumptions.py) is also run over their ranges, and its section gives the central value and the range
over the assumptions (experiments/whatif.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from abm import assumptions as A
from abm.accounts import PARTIES
from abm.metric_labels import LABELS, over_text, read
from abm.scenario import Scenario, load, preset_names
from experiments.noise import Difference, paired_difference
from experiments.roles import CALIBRATION, EXAMPLE, MEANING, PREDICTION, role, role_label
from experiments.runner import run_scenario

BASELINE = "baseline-participatiewet"
WHATIF_MARK = ", what-if"   # after the role of a preset that declares assumptions (abm/assumptions.py)
# the parties that can carry a line of the basisbaan programme (abm.accounts.basisbaan_lines, programme_costs)
PROGRAMME_PARTIES = ("municipality", "treasury", "housing", "neighbourhood", "employers", "participants")


def comparator(sc: Scenario, member: dict[str, float] | None = None) -> Scenario:
    """The scenario's point of comparison: the baseline, or the same region without its basisbaan programme
    (`member`: an ensemble member's parameters, beneath the baseline's own settings; a scenario of its own region
    already carries them)."""
    from experiments.ensemble import member_overrides

    base = load(BASELINE, member_overrides(BASELINE, member) if member else None)
    if [m.name for m in sc.municipalities] == [m.name for m in base.municipalities]:
        return base.model_copy(update={"months": sc.months, "scale": sc.scale})
    data = sc.model_dump(mode="json")
    data.pop("assumed", None)     # the comparator is no what-if: its programme is gone
    data["policy_changes"] = []
    data["policy"]["basisbaan_slots"] = 0
    data["policy"]["basisbaan_slots_per_1000_bijstand"] = 0.0
    for m in data["municipalities"]:
        m["policy"] = {**m.get("policy", {}), "basisbaan_slots": 0}
    data["name"] = f"{sc.name} without basisbanen"
    return load(data)


def headline(ts: pd.DataFrame) -> dict[str, float]:
    """Headline results of one run (money per year, averaged over the run's months)."""
    run = ts.iloc[1:]
    years = len(run) / 12.0
    last = ts.iloc[-1]
    bb_months = float(run["n_basisbaan"].sum())
    fte_months = float(run["basisbaan_fte"].sum())
    out = {
        "inclusion_rate": float(last["inclusion_rate"]),
        "regular_rate": float(last["n_regular"] / last["seekers"]) if last["seekers"] else 0.0,
        "inclusion_gap": float(last["inclusion_gap"]),
        "n_basisbaan": float(last["n_basisbaan"]),
        "n_parallel": float(last["n_parallel"]),
        "displaced_regular_jobs": float(last["displaced_regular_jobs"]),
        "displacement_per_100": read(ts, "displacement_per_100"),
        "throughput_rate": read(ts, "throughput_rate"),
        "municipal_net_cost_per_year": float(run["municipal_net_cost"].sum() / years),
        "programme_net_cost_per_basisbaan_year": (12.0 * float(run["basisbaan_programme_net_cost"].sum()) / bb_months
                                                  if bb_months else float("nan")),
        "mean_wellbeing": float(last["mean_wellbeing"]),
    }
    for party in PROGRAMME_PARTIES:
        out[f"programme_cost_per_fte_month_{party}"] = (float(run[f"basisbaan_cost_{party}"].sum()) / fte_months
                                                        if fte_months else float("nan"))
    for party in PARTIES:
        out[f"{party}_net_per_year"] = float(run[f"account_{party}_net"].sum() / years)
    out["value_created_per_year"] = float(run["value_created"].sum() / years)
    out["liveability_value_per_year"] = float(run["liveability_value"].sum() / years)
    for month in EARLY_MONTHS:   # nan where the run is not longer than that
        row = ts[ts["month"] == month]
        early = row.iloc[0] if len(row) and month < int(last["month"]) else None
        out[f"inclusion_rate_month_{month}"] = float(early["inclusion_rate"]) if early is not None else math.nan
        out[f"regular_rate_month_{month}"] = (float(early["n_regular"] / early["seekers"])
                                              if early is not None and early["seekers"] else math.nan)
    return out


# Evaluations often report two years on: headline() also reads inclusion and regular employment at these months
# (`inclusion_rate_month_24`, `regular_rate_month_24`), for the prediction record.
EARLY_MONTHS = (24,)


def read_months(key: str, months: int) -> str:
    """When headline() reads figure `key` in a run of `months` months, in words ('month 120', 'months 109-120'):
    a figure of EARLY_MONTHS at its month; money over the months run (EUR per year or per full-time job, as
    headline() computes it); every other figure by its reading (abm/metric_labels.py `Label.over`)."""
    if "_month_" in key and key.rsplit("_", 1)[1].isdigit():
        return f"month {key.rsplit('_', 1)[1]}"
    spec = LABELS.get(key)
    if spec is None or spec.kind == "eur" or spec.over == "mean":
        return f"months 1-{months}"
    if spec.over == "last12":
        return f"months {max(1, months - 11)}-{months}"
    return f"month {months}"


@dataclass
class ScenarioResult:
    name: str
    scenario: Scenario
    comparator: str
    runs: list[dict[str, float]]    # the scenario, one headline per seed (per member x seed over an ensemble)
    refs: list[dict[str, float]]    # the comparator on the same seeds (and members)
    members: list[int] | None = None    # over an ensemble: the member of each run
    whatif: object | None = None        # over its assumptions (experiments.whatif.WhatIf), if it declares any
    member_weights: dict[int, float] | None = None   # over an ensemble: member id -> importance weight

    @property
    def weights(self):
        """Over an ensemble: each run's weight (`experiments.ensemble.run_weights`: its member's importance weight
        / the member's runs, normalised); None (equal) without an ensemble or without the members' weights."""
        if self.members is None or self.member_weights is None:
            return None
        from experiments.ensemble import run_weights
        return run_weights(self.members, self.member_weights)

    @property
    def seeds(self) -> int:
        return len(self.runs)

    @property
    def runs_text(self) -> str:
        if self.members is None:
            return f"{self.seeds} seeds"
        n = len(set(self.members))
        return f"{n} ensemble members x {self.seeds // n} seeds"

    def _mean(self, values: list[float]) -> float:
        """The mean over seeds; over an ensemble pooled with the members' weights (`experiments.ensemble.mean`)."""
        from experiments.ensemble import mean
        return mean(values, self.weights)

    def mean(self, key: str) -> float:
        return self._mean([r[key] for r in self.runs])

    def reference(self, key: str) -> float:
        return self._mean([r[key] for r in self.refs])

    def difference_mean(self, key: str) -> float:
        """The mean paired difference (same seed, over an ensemble the same member too), pooled like `mean`."""
        return self._mean([a[key] - b[key] for a, b in zip(self.runs, self.refs)])

    def difference(self, key: str) -> Difference:
        """The paired difference and its noise (experiments/noise.py). Over an ensemble with weights its mean is
        `difference_mean` (pooled with the members' weights); the half-width stays that of the unweighted paired
        runs, a judgement of the seeds' noise only (an ensemble's cells show `difference_interval` instead)."""
        d = paired_difference([r[key] for r in self.runs], [r[key] for r in self.refs])
        if self.weights is None:
            return d
        from dataclasses import replace
        return replace(d, mean=self.difference_mean(key))

    def interval(self, key: str) -> tuple[float, float]:
        """Over an ensemble: `experiments.ensemble.interval` of the scenario's member x seed runs, each with its
        weight (`weights`)."""
        from experiments.ensemble import interval
        return interval([r[key] for r in self.runs], self.weights)

    def difference_interval(self, key: str) -> tuple[float, float]:
        """Over an ensemble: `experiments.ensemble.interval` of the paired differences (same member, same seed),
        each with its run's weight."""
        from experiments.ensemble import interval
        return interval([a[key] - b[key] for a, b in zip(self.runs, self.refs)], self.weights)


def comparator_headline(comp: Scenario, seed: int, cache: dict | None, each_month=None) -> dict[str, float]:
    """The headline of a comparator run on `seed`: a run is a pure function of its scenario and seed, so one found
    in `cache` (keyed by the comparator's resolved scenario and the seed) is not run again."""
    key = (comp.model_dump_json(), seed)
    if cache is not None and key in cache:
        return cache[key]
    out = headline(run_scenario(comp, seed=seed, progress=each_month).timeseries)
    if cache is not None:
        cache[key] = out
    return out


def run_one(name: str, seeds: int, months: int | None = None, progress: Callable[[], None] | None = None,
            on_month: Callable[[], None] | None = None, cache: dict | None = None, ensemble=None) -> ScenarioResult:
    """A preset and its comparator over `seeds` seeds (`progress()` after each seed, `on_month()` after each
    month of each run); with `ensemble` (`experiments.ensemble.Ensemble`) over every member x seed, the member's
    parameters in both. A run is a pure function of its scenario and seed, so a comparator run found in `cache`
    (keyed by the comparator's resolved scenario and the seed) is not run again."""
    from experiments.ensemble import member_overrides

    sc = load(name, {"months": months} if months else None)
    comp = comparator(sc)
    pairs = [(None, seed) for seed in range(1, seeds + 1)] if ensemble is None else \
        [(m, seed) for m in ensemble.members for seed in range(1, seeds + 1)]
    res, ref = [], []
    each_month = (lambda month, total: on_month()) if on_month else None
    for member, seed in pairs:
        sc_m, comp_m = sc, comp
        if member is not None:
            sc_m = load(name, {**member_overrides(name, member.parameters), **({"months": months} if months else {})})
            comp_m = comparator(sc_m, member.parameters)
        res.append(headline(run_scenario(sc_m, seed=seed, progress=each_month).timeseries))
        ref.append(comparator_headline(comp_m, seed, cache, each_month))
        if progress:
            progress()
    if ensemble is None:
        return ScenarioResult(name, sc, comp.name, res, ref)
    from experiments.ensemble import weights_of
    return ScenarioResult(name, sc, comp.name, res, ref, [m.id for m, _ in pairs], member_weights=weights_of(ensemble))


PCT, NUM, MONEY = "pct", "num", "money"


def _row(name: str, when: str = "") -> tuple[str, str, str, int]:
    """A row of the report: the figure's label and format (abm/metric_labels.py) and when it is read."""
    spec = LABELS[name]
    kind = PCT if spec.kind == "pct" else MONEY if spec.kind == "eur" else NUM
    digits = spec.digits if spec.kind in ("pct", "dec") else 0
    return name, spec.en + when + (", EUR" if spec.kind == "eur" else ""), kind, digits


ROWS = (
    _row("inclusion_rate", ", end"), _row("regular_rate", ", end"), _row("inclusion_gap", ", end"),
    _row("n_basisbaan", ", end"), _row("n_parallel", ", end"),
    _row("displacement_per_100", over_text("displacement_per_100")),   # ", last year" (abm.metric_labels.read)
    _row("throughput_rate", over_text("throughput_rate")), _row("municipal_net_cost_per_year"),
    _row("programme_net_cost_per_basisbaan_year"),
) + tuple((f"programme_cost_per_fte_month_{p}",
           f"basisbaan programme net cost per full-time job per month: {p}, EUR", MONEY, 0)
          for p in PROGRAMME_PARTIES) + (
    _row("mean_wellbeing", ", end"),
) + tuple((f"{p}_net_per_year", f"net position: {p}, EUR per year", MONEY, 0) for p in PARTIES) + (
    _row("value_created_per_year"), _row("liveability_value_per_year"),
)


def _value(x: float, kind: str, digits: int) -> str:
    if x != x:  # nan: not applicable
        return "-"
    if kind == PCT:
        return f"{x:.{digits}%}"
    return f"{x:,.{digits}f}"


def _diff(d: Difference, kind: str, digits: int) -> str:
    """'+1.2 pt ± 0.4' (paired difference ± 95% half-width), in italics when within the seeds' noise."""
    if d.mean != d.mean:
        return "-"
    if kind == PCT:
        text = f"{d.mean * 100:+.{digits}f} pt"
        width = f" ± {d.half_width * 100:.{digits}f}" if d.noise_known else ""
    else:
        text = f"{d.mean:+,.{digits}f}"
        width = f" ± {d.half_width:,.{digits}f}" if d.noise_known else ""
    if d.identical:
        return text
    return f"*{text}{width}*" if d.within_noise else f"{text}{width}"


def _span(lo: float, hi: float, kind: str, digits: int, points: bool = False) -> str:
    if lo != lo:
        return ""
    if points:
        return f" [{lo * 100:+.{digits}f}, {hi * 100:+.{digits}f}]"
    return f" [{_value(lo, kind, digits)}, {_value(hi, kind, digits)}]"


def _ens_value(r: ScenarioResult, key: str, kind: str, digits: int) -> str:
    """Over an ensemble: 'mean [5%, 95%]' of the member x seed runs."""
    m = r.mean(key)
    return _value(m, kind, digits) + ("" if m != m else _span(*r.interval(key), kind, digits))


def _ens_diff(r: ScenarioResult, key: str, kind: str, digits: int) -> str:
    """Over an ensemble: '+1.2 pt [+0.3, +2.0]', the mean paired difference and its member x seed interval, both
    pooled with the members' weights."""
    mean = r.difference_mean(key)
    if mean != mean:
        return "-"
    lo, hi = r.difference_interval(key)
    if kind == PCT:
        return f"{mean * 100:+.{digits}f} pt" + _span(lo, hi, kind, digits, points=True)
    return f"{mean:+,.{digits}f}" + (f" [{lo:+,.{digits}f}, {hi:+,.{digits}f}]" if lo == lo else "")


def _ensemble_text(results: list[ScenarioResult], made_how: str = "") -> list[str]:
    from experiments.ensemble import INTERVAL_TEXT

    r = results[0]
    members = len(set(r.members or []))
    return ["", f"**Over the calibration ensemble**: every result is the mean over {members} ensemble members x "
                f"{r.seeds // max(members, 1)} seeds, and the bracket is the 90% interval: {INTERVAL_TEXT}. A "
                "difference pairs each run with its comparator on the same member and seed; its bracket is the "
                "same interval of those paired differences (docs/calibration.md)."
                + (f" The {made_how[0].lower()}{made_how[1:]}." if made_how else "")]


def markdown(results: list[ScenarioResult], command: str, made_how: str = "") -> str:
    """The report as markdown; `made_how` (over an ensemble: `experiments.ensemble.made_how`) says how the
    ensemble was made and whether it meets every target."""
    seeds = results[0].seeds if results else 0
    ens = bool(results) and results[0].members is not None
    val = (lambda r, k, kind, dg: _ens_value(r, k, kind, dg)) if ens else \
        (lambda r, k, kind, dg: _value(r.mean(k), kind, dg))
    dif = (lambda r, k, kind, dg: _ens_diff(r, k, kind, dg)) if ens else \
        (lambda r, k, kind, dg: _diff(r.difference(k), kind, dg))
    lines = [
        "# Scenarios",
        "",
        "Every preset shipped with the model: what it represents, and its headline results against its",
        "comparator on the same seeds. Generated by",
        "",
        f"```\n{command}\n```",
        "",
        "Results are means over the seeds. A difference is the mean of the paired differences per seed (the",
        "scenario and its comparator run on the same seeds) ± the 95% half-width of that mean; a difference in",
        f"*italics* is within the noise of the {seeds} seeds run (its interval covers zero; experiments/noise.py).",
        "Money is EUR per year of the scenario's base year, averaged over the run. The municipal net cost is",
        "what the municipalities pay out minus what they receive, which equals minus the municipality's net",
        "position: a benefit that is no longer paid is already absent from it (docs/model.md, Money figures).",
        "The basisbaan programme net cost per basisbaan-year (gross wage cost, guidance and project costs,",
        "whoever pays them, minus the benefits its",
        "participants no longer draw) is the programme's own figure, as in the Groningen evaluation, and is",
        "never mixed with the municipality's net cost; co-funding moves cost between parties and does not change",
        "it. A party's net cost of the programme per full-time job per month is what it pays on the programme's",
        "cost lines (gross wage cost, guidance by external and municipal coaches, project costs, co-funding) minus",
        "what it receives from them and minus the benefit it no longer pays (or plus the benefit it no longer",
        "receives), divided by the programme's full-time job-months (contract hours / full-time hours); the",
        "parties' figures add up to the guidance and project costs paid outside. A party's net position is what",
        "it receives minus what it pays (abm/accounts.py). The liveability value of basisbaan work is an",
        "assumption (`accounts.liveability_value_hour`), no cash, and in no party's account. The comparator of a",
        "scenario in the default region is",
        "`baseline-participatiewet`; a scenario with its own region (Groningen) is compared with the same",
        "region without its basisbaan programme.",
        *(_ensemble_text(results, made_how) if ens else []),
        "",
        f"The role of a preset (experiments/roles.py): **{CALIBRATION}**: {MEANING[CALIBRATION]}; "
        f"**{PREDICTION}**: {MEANING[PREDICTION]}. Only the targets file is used for calibration.",
        "",
        f"A preset marked *{WHATIF_MARK.strip(' ,')}* declares settings that are assumptions, each with a range and "
        "its reason (`[assumed]`, abm/assumptions.py); its section shows the results over those ranges. "
        f"{A.RANGE_TEXT[0].upper() + A.RANGE_TEXT[1:]}.",
        "",
        "| scenario | role | inclusion | Δ inclusion | regular work | Δ regular work | basisbanen | parallel |"
        " displaced per 100 | throughput / month | Δ municipal net cost / year |"
        " programme: municipality's net cost per full-time job / month | programme net cost per basisbaan-year |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| [{r.name}](#{r.name}) | {role(r.name)}{WHATIF_MARK if r.scenario.assumed else ''} "
            f"| {val(r, 'inclusion_rate', PCT, 1)} "
            f"| {dif(r, 'inclusion_rate', PCT, 1)} "
            f"| {val(r, 'regular_rate', PCT, 1)} | {dif(r, 'regular_rate', PCT, 1)} "
            f"| {r.mean('n_basisbaan'):,.0f} | {r.mean('n_parallel'):,.0f} | {r.mean('displacement_per_100'):.1f} "
            f"| {r.mean('throughput_rate'):.2%} | {dif(r, 'municipal_net_cost_per_year', MONEY, 0)} "
            f"| {_value(r.mean('programme_cost_per_fte_month_municipality'), MONEY, 0)} "
            f"| {_value(r.mean('programme_net_cost_per_basisbaan_year'), MONEY, 0)} |")
    for r in results:
        sc = r.scenario
        lines += ["", f"## {r.name}", "", sc.description, "", " ".join(sc.about.split()), "",
                  f"Role: **{role_label(r.name)}**: {MEANING[role(r.name)]}.", "",
                  f"{sc.months} months, {r.runs_text}; comparator: `{r.comparator}`.", "",
                  "| result | scenario | comparator | difference |", "|---|---|---|---|"]
        for key, label, kind, digits in ROWS:
            a, b = r.mean(key), r.reference(key)
            if a != a and b != b:
                continue
            lines.append(f"| {label} | {val(r, key, kind, digits)} | {_value(b, kind, digits)} | "
                         f"{dif(r, key, kind, digits)} |")
        diffs = {p: r.difference(f"{p}_net_per_year") for p in PARTIES}
        pays = [f"{p} ({d.mean:+,.0f})" for p, d in sorted(diffs.items(), key=lambda kv: kv[1].mean)
                if d.mean < -1 and not d.within_noise]
        gains = [f"{p} ({d.mean:+,.0f})" for p, d in sorted(diffs.items(), key=lambda kv: -kv[1].mean)
                 if d.mean > 1 and not d.within_noise]
        lines += ["", f"Who pays, who gains (EUR a year against `{r.comparator}`, beyond the noise of the seeds): "
                      f"worse off: {', '.join(pays) or 'nobody'}; better off: {', '.join(gains) or 'nobody'}."]
        if r.whatif is not None:
            from experiments.whatif import markdown as whatif_markdown
            lines += whatif_markdown(r.whatif)
    return "\n".join(lines) + "\n"


def all_results(seeds: int, months: int | None, names: list[str] | None = None,
                progress: Callable[[], None] | None = None,
                on_month: Callable[[], None] | None = None, ensemble=None) -> list[ScenarioResult]:
    """Every preset in `names` against its comparator; a preset that declares assumptions also over them
    (experiments/whatif.py: at the calibrated values, on the same seeds; over an ensemble its central and
    comparator runs are made again without it). `progress()` after each seed of a preset and each run of a
    design point."""
    from experiments.whatif import run_whatif

    names = names or report_presets()
    cache: dict = {}
    out = []
    for n in names:
        r = run_one(n, seeds, months, progress, on_month, cache, ensemble)
        if r.scenario.assumed:
            own = ensemble is None
            r.whatif = run_whatif(n, seeds, months, progress, on_month, cache,
                                  central=r.runs if own else None, refs=r.refs if own else None)
        out.append(r)
    return out


def runs_per_seed(name: str, ensemble=None) -> int:
    """Runs `all_results` ticks per seed for preset `name`: its own (one per ensemble member) and, if it declares
    assumptions, one per design point (and its central run again over an ensemble)."""
    from experiments.whatif import count

    n = count(load(name))
    members = len(ensemble.members) if ensemble is not None else 1
    return members + n + (1 if n and ensemble is not None else 0)


def report_presets() -> list[str]:
    """The presets `plm report` covers: every preset but the example region (experiments/roles.py)."""
    return [n for n in preset_names() if role(n) != EXAMPLE]
