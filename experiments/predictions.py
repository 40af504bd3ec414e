"""The prediction record: what the model predicts for every prediction preset, written down before any comparison.

Rule (issue 10, section 3). A preset no target names is a prediction (experiments/roles.py). `plm predict` runs
each prediction preset and its comparator on the same seeds (experiments/report.py `run_one`, the runs of `plm
report`) and records, per preset, the headline figures the report shows: inclusion, regular employment, the
inclusion gap, people in basisbaan and parallel work, displacement per 100, throughput, the municipality's net
cost, and where the preset runs a basisbaan programme its net cost per basisbaan-year and each party's net cost
per full-time job per month; inclusion and regular employment also at month 24 (report.EARLY_MONTHS), when
evaluations often report. For each figure, at the months `report.read_months` states: the value of every run,
their mean and their 90% interval (`interval()`), and the same for the effect, the paired difference from the
comparator run on the same seed. A figure that is not applicable in some run of the preset (no basisbaan, so no
cost per job) is left out; one the comparator does not have is recorded without an effect. With the figures go
the seeds, the months, the git revision (and whether the work tree had uncommitted changes), the date, the
SHA-256 of abm/calibrated.toml, the command, and the preset's `check_against` text
(experiments/check_against.toml): the evaluation each figure would be checked against.

The record is a TOML file, `experiments/predictions/<date>-<git revision>.toml` by default, and append-only: an
existing file is never replaced (`write_record` refuses it in one line). `read_record(path)` gives back exactly
the `Record` that was written. docs/predictions.md is the record as markdown (`markdown()`), with how to compare
a later evaluation with it.

The interval is computed in one place, `interval()` (experiments/noise.py `spread_interval`, the interval of
`plm validate`), over a figure's runs. A run is a seed; over a calibration ensemble (`plm predict --ensemble
FILE`) the runs are every member × seed, each with its weight (`experiments.ensemble.run_weights`: the member's
importance weight / its seeds, normalised; stored per figure as `weights`), so the mean and `interval()` are
pooled with the members' importance weights (equal for an ensemble of one round) and carry parameter
uncertainty and seed noise together. The record then also names the ensemble file, its SHA-256, its members and
their weights (`[record.ensemble]`). A record without `weights` pools its runs with equal weight.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Sequence

import tomli_w

from abm.scenario import ScenarioError
from experiments import ensemble as E
from experiments import report as R
from experiments.noise import spread_interval
from experiments.roles import PREDICTION, prediction_presets, role

RECORD_DIR = Path("experiments/predictions")
INTERVAL_LEVEL = 0.90
INTERVAL_TEXT = ("90% interval over the runs: the 5th to the 95th percentile of the per-run values (linear "
                 "interpolation); one run per seed")
ENSEMBLE_INTERVAL_TEXT = f"90% interval over the runs of a calibration ensemble: {E.INTERVAL_TEXT}"

# The figures recorded, in the order of the report (experiments/report.py ROWS): the headline figures a later
# evaluation can measure.
FIGURES = (
    "inclusion_rate", "regular_rate",
    *(f"{key}_month_{m}" for m in R.EARLY_MONTHS for key in ("inclusion_rate", "regular_rate")),
    "inclusion_gap", "n_basisbaan", "n_parallel", "displacement_per_100", "throughput_rate",
    "municipal_net_cost_per_year", "programme_net_cost_per_basisbaan_year",
    *(f"programme_cost_per_fte_month_{p}" for p in R.PROGRAMME_PARTIES),
)
_LABELS = {key: (label, kind, digits) for key, label, kind, digits in R.ROWS}
for _m in R.EARLY_MONTHS:   # the same figures read earlier (report.EARLY_MONTHS)
    for _key in ("inclusion_rate", "regular_rate"):
        _label, _kind, _digits = _LABELS[_key]
        _LABELS[f"{_key}_month_{_m}"] = (_label.replace(", end", f", month {_m}"), _kind, _digits)


def interval(values: Sequence[float], weights: Sequence[float] | None = None) -> tuple[float, float]:
    """The interval a record gives for a figure: the 90% spread of its per-run values (experiments/noise.py), each
    run with its weight over an ensemble (None or (): equal)."""
    return spread_interval(values, INTERVAL_LEVEL, weights or None)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str                      # as in the report (abm/metric_labels.py)
    when: str                       # the months it is read at (report.read_months)
    values: tuple[float, ...]       # the preset, one per run
    comparator_values: tuple[float, ...]   # the comparator on the same runs; () where it has no such figure
    weights: tuple[float, ...] = ()        # over an ensemble: each run's weight (run_weights); () = equal

    def _mean(self, values: tuple[float, ...]) -> float:
        """`experiments.ensemble.mean`, the mean of plm report and the app (nan if a run lacks the figure)."""
        return E.mean(values, self.weights or None)

    @property
    def mean(self) -> float:
        return self._mean(self.values)

    @property
    def interval(self) -> tuple[float, float]:
        return interval(self.values, self.weights)

    @property
    def has_effect(self) -> bool:
        return bool(self.comparator_values)

    @property
    def effects(self) -> tuple[float, ...]:
        return tuple(a - b for a, b in zip(self.values, self.comparator_values))

    @property
    def effect_mean(self) -> float:
        return self._mean(self.effects) if self.has_effect else math.nan

    @property
    def effect_interval(self) -> tuple[float, float]:
        return interval(self.effects, self.weights)

    def to_dict(self) -> dict[str, Any]:
        out = {"label": self.label, "when": self.when, "mean": self.mean, "interval_90": list(self.interval)}
        if self.has_effect:
            out |= {"effect_mean": self.effect_mean, "effect_interval_90": list(self.effect_interval)}
        out |= {"values": list(self.values), "comparator_values": list(self.comparator_values)}
        return out | ({"weights": list(self.weights)} if self.weights else {})

    @classmethod
    def from_dict(cls, key: str, d: dict[str, Any]) -> "Figure":
        return cls(key, d["label"], d["when"], tuple(d["values"]), tuple(d["comparator_values"]),
                   tuple(d.get("weights", ())))


@dataclass(frozen=True)
class PresetPrediction:
    name: str
    role: str
    description: str
    comparator: str
    months: int
    check_against: str
    figures: tuple[Figure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "description": self.description, "comparator": self.comparator,
                "months": self.months, "check_against": self.check_against,
                "figures": {f.key: f.to_dict() for f in self.figures}}

    @classmethod
    def from_dict(cls, name: str, d: dict[str, Any]) -> "PresetPrediction":
        return cls(name, d["role"], d["description"], d["comparator"], d["months"], d["check_against"],
                   tuple(Figure.from_dict(k, v) for k, v in d["figures"].items()))


@dataclass(frozen=True)
class Record:
    date: str                       # UTC, YYYY-MM-DD
    made_at: str                    # UTC, ISO 8601 to the second
    git_revision: str
    git_dirty: bool
    calibrated_sha256: str
    command: str
    seeds: tuple[int, ...]
    interval: str
    wall_seconds: float
    presets: tuple[PresetPrediction, ...]
    # over a calibration ensemble: its file, SHA-256, how it was made, members and their weights; {} without one
    ensemble: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record = {"date": self.date, "made_at": self.made_at, "git_revision": self.git_revision,
                  "git_dirty": self.git_dirty, "calibrated_sha256": self.calibrated_sha256,
                  "command": self.command, "seeds": list(self.seeds), "interval": self.interval,
                  "wall_seconds": self.wall_seconds}
        if self.ensemble:
            record["ensemble"] = dict(self.ensemble)
        return {"record": record, "presets": {p.name: p.to_dict() for p in self.presets}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        m = d["record"]
        return cls(m["date"], m["made_at"], m["git_revision"], m["git_dirty"], m["calibrated_sha256"],
                   m["command"], tuple(m["seeds"]), m["interval"], m["wall_seconds"],
                   tuple(PresetPrediction.from_dict(k, v) for k, v in d["presets"].items()),
                   dict(m.get("ensemble", {})))


# --- provenance -------------------------------------------------------------------------------------------

def check_against_texts() -> dict[str, str]:
    """experiments/check_against.toml: preset name -> the evaluation its recorded figures would be checked
    against."""
    text = resources.files("experiments").joinpath("check_against.toml").read_text(encoding="utf-8")
    return {name: " ".join(v.split()) for name, v in tomllib.loads(text).items()}


def calibrated_sha256() -> str:
    """SHA-256 of abm/calibrated.toml, the fitted values beneath every scenario."""
    return hashlib.sha256(resources.files("abm").joinpath("calibrated.toml").read_bytes()).hexdigest()


def git_state() -> tuple[str, bool]:
    """(the commit of the code, whether its work tree has uncommitted changes to tracked files); ('unknown',
    False) outside a git checkout."""
    from experiments.runner import git_revision

    rev = git_revision()
    if rev is None:
        return "unknown", False
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return rev, False
    return rev, bool(out.stdout.strip()) if out.returncode == 0 else False


def default_record_path(date: str, rev: str, dirty: bool) -> Path:
    return RECORD_DIR / f"{date}-{rev[:10]}{'-dirty' if dirty else ''}.toml"


# --- making, writing, reading -----------------------------------------------------------------------------

def preset_prediction(result: R.ScenarioResult, check_against: str) -> PresetPrediction:
    """One preset's figures from its runs and its comparator's (a figure not applicable in some run is left
    out)."""
    months = result.scenario.months
    weights = () if result.weights is None else tuple(float(w) for w in result.weights)
    figures = []
    for key in FIGURES:
        values = tuple(float(r[key]) for r in result.runs)
        refs = tuple(float(r[key]) for r in result.refs)
        if not all(math.isfinite(v) for v in values):
            continue
        if not all(math.isfinite(v) for v in refs):   # e.g. a cost per basisbaan where the comparator has none
            refs = ()
        figures.append(Figure(key, _LABELS[key][0], R.read_months(key, months), values, refs, weights))
    sc = result.scenario
    return PresetPrediction(result.name, role(result.name), sc.description, result.comparator, months,
                            check_against, tuple(figures))


def make_record(results: list[R.ScenarioResult], command: str, seeds: Sequence[int], wall_seconds: float,
                now: datetime | None = None, git: tuple[str, bool] | None = None, ensemble=None) -> Record:
    """The record of finished runs (a result of a preset that is not a prediction is refused). `now` and `git`
    (revision, uncommitted changes) are taken when the runs start, so a commit made while they run is not
    recorded as theirs; by default they are read now. `ensemble` (`experiments.ensemble.Ensemble`): the runs were
    made over it (`run_predictions(..., ensemble=)`), and the record says so."""
    texts = check_against_texts()
    wrong = [r.name for r in results if role(r.name) != PREDICTION]
    if wrong:
        raise ScenarioError(f"scenario = {wrong[0]!r}: its role is {role(wrong[0])}; allowed in a prediction "
                            f"record: the prediction presets {', '.join(prediction_presets())}")
    now = now or datetime.now(timezone.utc)
    rev, dirty = git or git_state()
    return Record(now.strftime("%Y-%m-%d"), now.strftime("%Y-%m-%dT%H:%M:%SZ"), rev, dirty, calibrated_sha256(),
                  command, tuple(seeds), INTERVAL_TEXT if ensemble is None else ENSEMBLE_INTERVAL_TEXT,
                  round(wall_seconds, 1), tuple(preset_prediction(r, texts.get(r.name, "")) for r in results),
                  {} if ensemble is None else ensemble_provenance(ensemble))


def ensemble_provenance(ens) -> dict[str, Any]:
    """What a record says of the ensemble its runs were made over: file, SHA-256, how it was made (one line,
    `experiments.ensemble.made_how`), its members and their importance weights."""
    from experiments.ensemble import made_how

    path = ens.path
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest() if path is not None else ""
    return {"file": str(path or ""), "sha256": sha, "made_how": made_how(ens),
            "members": [m.id for m in ens.members], "member_weights": [m.weight for m in ens.members]}


def run_predictions(seeds: int, months: int | None = None, progress: Callable[[], None] | None = None,
                    on_month: Callable[[], None] | None = None, ensemble=None) -> list[R.ScenarioResult]:
    """Every prediction preset and its comparator over seeds 1..`seeds` (the runs of `plm report`); with
    `ensemble` over every member x seed, pooled with the members' importance weights."""
    return R.all_results(seeds, months, prediction_presets(), progress, on_month, ensemble=ensemble)


def check_new_record(path: str | Path, where: str = "--record") -> Path:
    """Refuse, before any run, a record path where a file already is (a record is never overwritten) or that
    cannot be written."""
    from experiments.runner import check_out_file

    path = Path(path)
    if os.path.lexists(path):
        raise ScenarioError(f"{where} = {str(path)!r}: a prediction record is already there and is never "
                            "overwritten; allowed: a new file")
    return check_out_file(path, where)


def write_record(record: Record, path: str | Path, where: str = "--record") -> Path:
    """Write `record` as TOML to a new file `path`, whole or not at all; refused if the file exists, even if it
    appeared while the runs went on (the file is linked into place, which fails on an existing name)."""
    path = Path(path)
    text = "# A prediction record of plm (experiments/predictions.py, docs/predictions.md). Append-only: never " \
           "edit or replace it.\n" + tomli_w.dumps(record.to_dict())
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ScenarioError(f"{where} = {str(path)!r}: a prediction record is already there and is never "
                                "overwritten; allowed: a new file") from None
    finally:
        os.unlink(tmp)
    return path


def read_record(path: str | Path) -> Record:
    """A record as written by `write_record`."""
    with open(path, "rb") as fh:
        return Record.from_dict(tomllib.load(fh))


# --- markdown ---------------------------------------------------------------------------------------------

def _fmt(x: float, key: str, signed: bool = False) -> str:
    _, kind, digits = _LABELS[key]
    sign = "+" if signed else ""
    if kind == R.PCT:
        return f"{x * 100:{sign}.{digits}f} pt" if signed else f"{x:.{digits}%}"
    return f"{x:{sign},.{digits}f}"


def markdown(record: Record, record_path: str) -> str:
    """docs/predictions.md: what the record is, how to compare an evaluation with it, and its figures (over an
    ensemble, which ensemble and that its runs are pooled with the members' importance weights)."""
    ens = record.ensemble
    runs = (f"{len(record.seeds)} seeds" if not ens else
            f"{len(ens.get('members', []))} ensemble members x {len(record.seeds)} seeds, pooled with the members' "
            "importance weights")
    lines = [
        "# Predictions",
        "",
        "What the model predicts for every preset it was not calibrated on, written down before any comparison.",
        "Only the targets file (`experiments/targets.toml`: the Groningen experiment and the national figures) is",
        "used for calibration; a preset a target names is a *calibration* preset, every other preset is a",
        "*prediction* (experiments/roles.py; `plm scenarios` and `plm report` show the role). This page is the",
        f"record `{record_path}` as markdown, generated by",
        "",
        f"```\n{record.command}\n```",
        "",
        "## What the record is",
        "",
        "For each prediction preset, the headline figures of `plm report`, each read at the months stated, from",
        "runs of the preset and of its comparator on the same seeds: the mean over the runs and the 90% interval",
        "(the 5th to the 95th percentile of the per-run values), and the same for the effect, the paired",
        "difference from the comparator. Money is EUR a year (or per full-time job a month) of the scenario's",
        "base year. The TOML file holds every run's value besides, the seeds, the months, the git revision of the",
        "code, the date, the SHA-256 of `abm/calibrated.toml` and the command, and per preset the evaluation its",
        "figures would be checked against (`experiments/check_against.toml`). A record is append-only: `plm",
        "predict` never replaces an existing record file; a new model version gets a new record beside the old.",
        "`plm predict --show RECORD --out docs/predictions.md` writes this page again from a record, running",
        "nothing.",
        "",
        "## Comparing a later evaluation with it",
        "",
        "1. Take the record made *before* the evaluation was known (its date and git revision are in it); never",
        "   a record made after. Do not change the model and then re-record to match an evaluation.",
        "2. Find the figure the evaluation measures, and match its definition and timing: the months it is read",
        "   at, a level or an effect against a comparison group (an effect compares with the record's effect, the",
        "   preset against its comparator), and the population it counts. Where they differ, say so.",
        "3. The prediction holds when the evaluation's figure lies inside the record's 90% interval, is",
        "   contradicted when the evaluation's own confidence interval lies wholly outside it, and is undecided",
        "   in between. The interval",
        *(["   carries the seeds' noise only; with a calibration ensemble it will carry parameter uncertainty as well",
           "   and be wider. With few runs it is close to the range of the values run (3 seeds: nearly the smallest",
           "   and the largest); `plm predict` runs 10 seeds by default."] if not ens else
          ["   carries parameter uncertainty (the ensemble's members, pooled with their importance weights) and",
           "   the seeds' noise together. With few runs it is close to the range of the values run."]),
        "4. Write the result down beside the record, with the evaluation's source. An evaluation's figure that",
        "   is then added to `experiments/targets.toml` as a target turns the preset into a calibration preset:",
        "   its later results are no longer predictions, and the record stays as what was predicted before.",
        "",
        f"Made {record.made_at} at git revision `{record.git_revision}`"
        f"{' (with uncommitted changes)' if record.git_dirty else ''}, seeds {', '.join(map(str, record.seeds))},",
        f"`abm/calibrated.toml` SHA-256 `{record.calibrated_sha256}`, in {record.wall_seconds:,.0f} s.",
        *([f"Over the calibration ensemble `{ens.get('file', '')}` (SHA-256 `{ens.get('sha256', '')}`): "
           f"{ens.get('made_how', '')}. Every figure is over its {len(ens.get('members', []))} members x the seeds: "
           f"{record.interval}."] if ens else []),
        "",
        "| preset | months | comparator | inclusion | Δ inclusion | regular work | Δ regular work |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in record.presets:
        f = {x.key: x for x in p.figures}
        lines.append(f"| [{p.name}](#{p.name}) | {p.months} | `{p.comparator}` | {_cell(f['inclusion_rate'])} | "
                     f"{_cell(f['inclusion_rate'], effect=True)} | {_cell(f['regular_rate'])} | "
                     f"{_cell(f['regular_rate'], effect=True)} |")
    for p in record.presets:
        lines += ["", f"## {p.name}", "", p.description, "", f"**Check against:** {p.check_against}", "",
                  f"{p.months} months; comparator `{p.comparator}`; mean [90% interval] over "
                  f"{runs}.", "",
                  "| figure | read at | predicted | effect against the comparator |", "|---|---|---|---|"]
        for x in p.figures:
            lines.append(f"| {x.label} | {x.when} | {_cell(x)} | {_cell(x, effect=True)} |")
    return "\n".join(lines) + "\n"


def _cell(x: Figure, effect: bool = False) -> str:
    if effect and not x.has_effect:
        return "- (the comparator has none)"
    mean, (lo, hi) = (x.effect_mean, x.effect_interval) if effect else (x.mean, x.interval)
    return f"{_fmt(mean, x.key, effect)} [{_fmt(lo, x.key, effect)}, {_fmt(hi, x.key, effect)}]"
