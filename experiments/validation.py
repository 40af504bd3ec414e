"""Validation: run each target's scenario over several seeds and compare with the observed figure.

Targets live in `experiments/targets.toml` (the project's copy, each with its source). Each target key has a
measure function below that reads one finished run (`Run`: the model after its months, plus what a probe
recorded month by month). A target's optional `set` table gives parameters of its own runs (the flow balance
reads the baseline after its spin-up); `--set` values apply on top. A target passes when the mean over seeds
lies inside its band; the table also shows
the 90% interval over seeds. The sign test of the earnings disregard compares the scenario with the baseline on
the same seeds (common random numbers) and passes when, averaged over seeds, part-time work among bijstand
recipients is up and full-time outflow is within ±1 percentage point; its "mean" column is the share of seeds
in which both held.

A target with a `comparator` is an effect: its measure reads the scenario's run and the comparator's run on the
same seed (common random numbers: the same people and the same draws wherever the policy does not reach), and
passes when the mean effect over seeds lies in its band. The comparator is a scenario, optionally with
`comparator_set` overrides (e.g. the same preset with its programme switched off).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

import numpy as np

from abm import states as S
from abm.scenario import ScenarioError, load
from experiments.noise import spread_interval
from experiments.stationary import BijstandFlows

BASELINE = "baseline-participatiewet"
OWN, GENERAL = "own", "general"      # a target's kind: an observed figure of its preset, or a general finding
KINDS = (OWN, GENERAL)               # checked on it (experiments/roles.py gives what that means for the role)


@dataclass
class Target:
    key: str
    scenario: str
    measure: str
    observed: Any
    band: tuple[float, float] | None
    source: str
    comparator: str | None = None                   # scenario the effect is measured against (same seeds)
    comparator_set: dict = field(default_factory=dict)   # overrides of the comparator run
    set: dict = field(default_factory=dict)   # settings of this target's own runs (e.g. its spin-up), over --set
    kind: str = OWN                                 # OWN or GENERAL (experiments/roles.py)

    @property
    def run_key(self) -> tuple:
        """The run this target reads: its scenario with its own settings (targets that agree share runs)."""
        return (self.scenario, tuple(sorted(self.set.items())))

    @property
    def comparator_run(self) -> tuple[str, tuple] | None:
        """The comparator as a run key (scenario, sorted overrides), None for a level target."""
        return (self.comparator, tuple(sorted(self.comparator_set.items()))) if self.comparator else None


def load_targets(path: str | None = None) -> list[Target]:
    text = open(path, encoding="utf-8").read() if path else \
        resources.files("experiments").joinpath("targets.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    out = []
    for key, t in data.items():
        band = tuple(t["band"]) if "band" in t else None
        kind = t.get("kind", OWN)
        if kind not in KINDS:
            raise ScenarioError(f"{key}.kind = {kind!r}: allowed: {', '.join(KINDS)}")
        out.append(Target(key, t["scenario"], t["measure"], t["observed"], band, t["source"],
                          t.get("comparator"), dict(t.get("comparator_set", {})), dict(t.get("set", {})), kind))
    return out


# --- one run, with what a probe records along the way -----------------------------------------------------

@dataclass
class Run:
    model: Any
    series: Any = None                              # the time series
    snapshots: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    cohort_wellbeing: dict[int, dict[int, float]] = field(default_factory=dict)   # person -> {months: wellbeing}
    funnel_at_report: Any = None                    # funnel counts (all municipalities) at the report month
    states: list[np.ndarray] = field(default_factory=list)       # labour state of every row, month 0, 1, ...
    person_ids: list[np.ndarray] = field(default_factory=list)   # who sits in every row that month
    # lock-in: per row, applications and months while out of work on bijstand and while in a basisbaan
    search_out: Any = None
    search_in: Any = None
    bijstand: Any = None                            # the run's bijstand flows (experiments/stationary.BijstandFlows)



SNAPSHOT_MONTHS = (12, 15, 24, 27, 36, 39)
GRONINGEN_REPORT_MONTH = 21   # 1 December 2021, 21 months after the start in March 2020


def run_probed(scenario, seed: int, months: int | None = None, overrides: dict | None = None,
               on_month: Callable[[], None] | None = None) -> Run:
    """Run a scenario month by month, recording snapshots for cohort measures (`on_month()` after each month,
    e.g. to stop on Ctrl-C)."""
    from abm.model import LabourMarketModel

    sc = load(scenario, overrides or {})
    model = LabourMarketModel(sc, seed=seed, agent_views=False,
                              **({"months": months} if months is not None else {}))
    run = Run(model, bijstand=BijstandFlows(model))
    s = model.s
    _record_states(run, s)
    run.search_out = np.zeros((2, s.n))
    run.search_in = np.zeros((2, s.n))
    while model.running:
        model.step()
        run.bijstand.after_month()
        if on_month:
            on_month()
        _record_states(run, s)
        _record_search(run, s)
        if model.month == GRONINGEN_REPORT_MONTH:
            run.funnel_at_report = model.funnel().sum()
        if model.month in SNAPSHOT_MONTHS:
            run.snapshots[model.month] = {"person_id": s.person_id.copy(), "state": s.state.copy(),
                                          "age": s.age.copy()}
        # wellbeing of basisbaan workers 6 and 12 months after they started
        bb = np.flatnonzero(s.state == S.BASISBAAN)
        tenure = model.month - s.basisbaan_start[bb]
        for t in (6, 12):
            for r in bb[tenure == t]:
                run.cohort_wellbeing.setdefault(int(s.person_id[r]), {})[t] = float(s.wellbeing[r])
    run.series = model.timeseries()
    return run


def _record_states(run: Run, s) -> None:
    """Every row's labour state this month (and who sits in it: the array is shared while nobody changes)."""
    run.states.append(s.state.copy())
    if run.person_ids and np.array_equal(run.person_ids[-1], s.person_id):
        run.person_ids.append(run.person_ids[-1])
    else:
        run.person_ids.append(s.person_id.copy())


def _record_search(run: Run, s) -> None:
    """Add this month's applications to each row's tally out of work on bijstand and in a basisbaan (a new person
    in a row starts from zero)."""
    if len(run.person_ids) > 1 and run.person_ids[-1] is not run.person_ids[-2]:
        new = run.person_ids[-1] != run.person_ids[-2]
        run.search_out[:, new] = 0.0
        run.search_in[:, new] = 0.0
    out = (s.benefit == S.BIJSTAND) & ((s.state == S.UNEMPLOYED) | (s.state == S.PARTICIPATION))
    inside = s.state == S.BASISBAAN
    run.search_out[0] += np.where(out, s.applications, 0)
    run.search_out[1] += out
    run.search_in[0] += np.where(inside, s.applications, 0)
    run.search_in[1] += inside


# --- measures ----------------------------------------------------------------------------------------------


def _funnel_share(run: Run, outcome: str) -> float:
    counts = run.funnel_at_report if run.funnel_at_report is not None else run.model.funnel().sum()
    total = counts.sum()
    return float(counts[outcome] / total) if total else float("nan")


def _placements(run: Run):
    p = run.model.basisbaan_placements()
    return p[p["month"] <= GRONINGEN_REPORT_MONTH]


def _cohort_rise(run: Run, start: int, end: int) -> float:
    placed = run.model.basisbaan_placements().set_index("person_id")["wellbeing_start"]
    rises = []
    for pid, w in run.cohort_wellbeing.items():
        if end not in w or (start and start not in w) or pid not in placed.index:
            continue
        base = w[start] if start else float(np.atleast_1d(placed.loc[pid])[0])
        rises.append(w[end] / base - 1.0)
    return float(np.mean(rises)) if rises else float("nan")


def _early_dropout(run: Run) -> float:
    tr = run.model.transitions()
    placed = tr[(tr["to_state"] == "basisbaan")][["person_id", "month"]].drop_duplicates("person_id")
    horizon = run.model.month - 6
    placed = placed[placed["month"] <= horizon]
    if placed.empty:
        return float("nan")
    left = tr[(tr["from_state"] == "basisbaan") & (tr["reason"] != "programme_end")][["person_id", "month"]]
    merged = placed.merge(left, on="person_id", how="left", suffixes=("", "_left"))
    early = merged["month_left"].notna() & (merged["month_left"] - merged["month"] <= 6)
    return float(early.groupby(merged["person_id"]).any().mean())


def _net_cost_per_basisbaan(run: Run) -> float:
    ts = run.series.iloc[1:GRONINGEN_REPORT_MONTH + 1]
    person_months = ts["n_basisbaan"].sum()
    cost = ts["basisbaan_programme_net_cost"].sum()
    return float(12.0 * cost / person_months) if person_months else float("nan")


def _guidance_share(run: Run) -> float:
    ts = run.series.iloc[1:16]
    pol = run.model.p.resolved_policy(0)
    hours = (ts["n_basisbaan"] * pol.basisbaan_hours * 52.0 / 12.0).sum()
    return float(ts["spend_basisbaan_guidance"].sum() / pol.basisbaan_guidance_hourly_cost / hours) if hours else 0.0


def _sick_leave(run: Run) -> float:
    ts = run.series.iloc[1:GRONINGEN_REPORT_MONTH + 1]
    w = ts["n_basisbaan"]
    return float((ts["basisbaan_sick_leave"] * w).sum() / w.sum()) if w.sum() else float("nan")


def _older_job_finding(run: Run) -> float:
    shares = []
    for m in (12, 24, 36):
        a, b = run.snapshots.get(m), run.snapshots.get(m + 3)
        if a is None or b is None:
            continue
        cohort = (a["state"] == S.UNEMPLOYED) & (a["age"] >= 55)
        same = b["person_id"] == a["person_id"]
        found = (b["state"] >= S.REGULAR) & (b["state"] <= S.BASISBAAN)
        if cohort.sum():
            shares.append((cohort & same & found).sum() / (cohort & same).sum())
    return float(np.mean(shares)) if shares else float("nan")


def _employment_gap(run: Run) -> float:
    return float(run.series["inclusion_gap"].iloc[24:37].mean())


def _bijstand_flow_balance(run: Run) -> float:
    """Monthly bijstand inflow over outflow (leaving the benefit or reaching the pension age), months 1 to the
    end of the run."""
    r = run.bijstand.rates()
    return r["inflow_rate"] / r["outflow_with_pension_rate"]


def _wellbeing_work_gap(run: Run) -> float:
    s = run.model.s
    paid = S.is_paid(s.state)
    return float(s.wellbeing[paid].mean() / s.wellbeing[~paid].mean())


def _lock_in(run: Run) -> float:
    """Applications a month of people while in a basisbaan, relative to the same people's applications a month
    while out of work on bijstand before or after (people with months of both)."""
    both = (run.search_out[1] > 0) & (run.search_in[1] > 0)
    if not both.any():
        return float("nan")
    inside = run.search_in[0, both].sum() / run.search_in[1, both].sum()
    out = run.search_out[0, both].sum() / run.search_out[1, both].sum()
    return float(inside / out) if out else float("nan")


def _full_time_outflow(r: Run) -> float:
    """Outflow from bijstand to full-time work over the run, in points of the bijstand stock at month 0."""
    ts = r.series
    return float(100.0 * ts["to_fulltime_from_bijstand"].iloc[1:].sum() / ts["n_bijstand"].iloc[0])


def _full_time_outflow_effect(base: Run, variant: Run) -> float:
    """Change in full-time outflow (points of the bijstand stock) of the variant against the comparator."""
    return _full_time_outflow(variant) - _full_time_outflow(base)


REGULAR_AFTER_MONTHS = 24


def _regular_after(run: Run, placements, months: int) -> np.ndarray:
    """Per placement (person_id, month): 1 if that person is in regular work `months` after it, 0 if not, NaN if
    the run ends sooner or the person has left the model."""
    out = np.full(len(placements), np.nan)
    for k, (pid, m) in enumerate(zip(placements["person_id"], placements["month"])):
        t = int(m) + months
        if t >= len(run.states):
            continue
        row = np.flatnonzero(run.person_ids[t] == pid)
        if row.size:
            out[k] = float(run.states[t][row[0]] == S.REGULAR)
    return out


def _basisbaan_regular_effect(base: Run, variant: Run) -> float:
    """Effect of a basisbaan programme on its participants' regular employment 24 months after placement, in
    points: the share of the people placed who are in regular work 24 months on, minus the share of the same people
    in regular work at the same month in the comparator run (the same seed without the programme)."""
    placed = variant.model.basisbaan_placements()
    if placed.empty:
        return float("nan")
    with_programme = _regular_after(variant, placed, REGULAR_AFTER_MONTHS)
    without = _regular_after(base, placed, REGULAR_AFTER_MONTHS)
    ok = ~np.isnan(with_programme) & ~np.isnan(without)
    return float(100.0 * (with_programme[ok].mean() - without[ok].mean())) if ok.any() else float("nan")


# effects: measured on a scenario's run and its comparator's run with the same seed
PAIRED_MEASURES: dict[str, Callable[[Run, Run], float]] = {
    "trust_arm_full_time_outflow": _full_time_outflow_effect,
    "intensive_arm_full_time_outflow": _full_time_outflow_effect,
    "groningen_basisbaan_regular_24m": _basisbaan_regular_effect,
    "rotterdam_basisbaan_regular_24m": _basisbaan_regular_effect,
}

MEASURES: dict[str, Callable[[Run], float]] = {
    "groningen_placed": lambda r: float(r.series["n_basisbaan"].iloc[GRONINGEN_REPORT_MONTH]),
    "groningen_funnel_placed_share": lambda r: _funnel_share(r, "placed"),
    "groningen_funnel_health_share": lambda r: _funnel_share(r, "health_or_capacity"),
    "groningen_funnel_prefers_volunteering_share": lambda r: _funnel_share(r, "prefers_volunteering"),
    "groningen_funnel_regular_prospects_share": lambda r: _funnel_share(r, "regular_prospects"),
    "groningen_funnel_unknown_share": lambda r: _funnel_share(r, "unknown"),
    "groningen_placed_over_50": lambda r: float((_placements(r)["age"] > 50).mean()),
    "groningen_placed_over_5y_benefit": lambda r: float((_placements(r)["months_on_benefit"] > 60).mean()),
    "groningen_placed_single": lambda r: float(_placements(r)["single"].mean()),
    "groningen_net_cost_per_basisbaan": _net_cost_per_basisbaan,
    "groningen_guidance_share": _guidance_share,
    "groningen_sick_leave": _sick_leave,
    "groningen_wellbeing_6m": lambda r: _cohort_rise(r, 0, 6),
    "groningen_wellbeing_6to12m": lambda r: _cohort_rise(r, 6, 12),
    "groningen_early_dropout": _early_dropout,
    "older_unemployed_quarterly_job_finding": _older_job_finding,
    "employment_gap_work_limitation": _employment_gap,
    "wellbeing_work_gap": _wellbeing_work_gap,
    "groningen_lock_in": _lock_in,
    "bijstand_flow_balance": _bijstand_flow_balance,
    "bijstand_inflow_rate": lambda r: r.bijstand.rates()["inflow_rate"],
    "bijstand_outflow_rate": lambda r: r.bijstand.rates()["outflow_rate"],
}
SIGN_TESTS = {"low_hours_incentive"}
SCENARIO_MONTHS = {BASELINE: 42, "regelluwe-bijstand-earnings-disregard": 42, "regelluwe-bijstand-trust": 42,
                   "regelluwe-bijstand-intensive": 42, "rotterdam-wijkbasisbaan-2021": 42}


def _low_hours(base: Run, variant: Run) -> tuple[bool, dict[str, float]]:
    """Part-time work among bijstand recipients up; full-time outflow within ±1 point of the baseline."""
    def part_time(r):
        return float(r.series["n_part_time_bijstand"].iloc[12:].mean())

    d_part = part_time(variant) - part_time(base)
    d_full = _full_time_outflow_effect(base, variant)
    return d_part > 0 and abs(d_full) <= 1.0, {"part_time_change": d_part, "full_time_outflow_change_points": d_full}


@dataclass
class Result:
    target: Target
    values: list[float]
    passed: bool
    detail: dict[str, float] = field(default_factory=dict)

    @property
    def mean(self) -> float:
        return float(np.nanmean(self.values)) if self.values else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return spread_interval(self.values)

    def as_dict(self) -> dict[str, Any]:
        lo, hi = self.interval
        return {"target": self.target.key, "scenario": self.target.scenario, "observed": self.target.observed,
                "band": list(self.target.band) if self.target.band else None, "mean": self.mean,
                "interval_90": [lo, hi], "passed": self.passed, "seeds": len(self.values), **self.detail,
                "source": self.target.source}


def _of_scenario(targets: list[Target], scenario: str | None) -> list[Target]:
    """The targets of `scenario` (all for None); a scenario no target uses is refused with one line."""
    if scenario is None:
        return targets
    targets = [t for t in targets if t.scenario == scenario]
    if not targets:
        known = sorted({t.scenario for t in load_targets()})
        raise ScenarioError(f"--scenario = {scenario!r}: no target uses it; allowed: {', '.join(known)}")
    return targets


def _runs(targets: list[Target]) -> list[tuple]:
    """The runs the targets need, each as (scenario, sorted settings): every target's own run (its scenario with
    its `set`), its comparator, and the baseline for a sign test."""
    keys = {t.run_key for t in targets} | {t.comparator_run for t in targets if t.comparator_run}
    if any(t.key in SIGN_TESTS for t in targets):
        keys.add((BASELINE, ()))
    return sorted(keys)


SIGN_DETAIL_SEP = "__"   # a sign test's figures in a flat record: "low_hours_incentive__part_time_change"


def seed_measures(seed: int, targets: list[Target] | None = None, overrides: dict | None = None,
                  progress: Callable[[str], None] | None = None,
                  on_month: Callable[[], None] | None = None) -> dict[str, float]:
    """Every target's measure in the runs of one seed, as one flat record: a band target's value under its
    key (an effect target's: its paired measure on the scenario's and the comparator's run); a sign test's pass
    (1 or 0) under its key and its figures under `key__figure`. `judge` turns the records of several seeds into
    results (`validate` is the two together)."""
    targets = targets or load_targets()
    runs: dict[tuple, Run] = {}
    for key in _runs(targets):
        name, extra = key
        # a target's own settings (its `set`, a comparator's `comparator_set`) define what it measures: over --set
        runs[key] = run_probed(name, seed, SCENARIO_MONTHS.get(name), {**(overrides or {}), **dict(extra)},
                               on_month)
        if progress:
            progress(name)
    out: dict[str, float] = {}
    for t in targets:
        mine = runs[t.run_key]
        if t.key in SIGN_TESTS:
            passed, detail = _low_hours(runs[(BASELINE, ())], mine)
            out[t.key] = float(passed)
            out.update({f"{t.key}{SIGN_DETAIL_SEP}{k}": float(v) for k, v in detail.items()})
        elif t.comparator_run:
            out[t.key] = float(PAIRED_MEASURES[t.key](runs[t.comparator_run], mine))
        else:
            out[t.key] = float(MEASURES[t.key](mine))
    return out


def judge(targets: list[Target], records: list[dict[str, float]]) -> list[Result]:
    """The targets judged on the records of several seeds (`seed_measures`): a band target passes when the mean
    over the seeds lies in its band; a sign test when its figures, averaged over the seeds, hold (part-time work
    up, full-time outflow within ±1 point)."""
    results = []
    for t in targets:
        values = [float(r[t.key]) for r in records]
        if t.key in SIGN_TESTS:
            prefix = f"{t.key}{SIGN_DETAIL_SEP}"
            names = [k[len(prefix):] for k in records[0] if k.startswith(prefix)]
            detail = {k: float(np.mean([r[prefix + k] for r in records])) for k in names}
            passed = detail["part_time_change"] > 0 and abs(detail["full_time_outflow_change_points"]) <= 1.0
            results.append(Result(t, values, passed, detail))
            continue
        mean = float(np.nanmean(values)) if values and not np.all(np.isnan(values)) else float("nan")
        results.append(Result(t, values, t.band is not None and t.band[0] <= mean <= t.band[1]))
    return results


def validate(seeds: int = 10, scenario: str | None = None, overrides: dict | None = None,
             progress: Callable[[str], None] | None = None, targets: list[Target] | None = None,
             on_month: Callable[[], None] | None = None) -> list[Result]:
    """Run every target's scenario over seeds 1..`seeds` and compare (`progress(name)` after each run,
    `on_month()` after each month)."""
    targets = _of_scenario(targets or load_targets(), scenario)
    records = [seed_measures(seed, targets, overrides, progress, on_month) for seed in range(1, seeds + 1)]
    return judge(targets, records)


def runs_needed(seeds: int, scenario: str | None = None) -> int:
    """Number of runs `validate` will make (raises ScenarioError for a scenario no target uses)."""
    return seeds * len(_runs(_of_scenario(load_targets(), scenario)))
