"""One browser session's running models: the layer between the model's public API and the app's components.

A `Session` owns the scenario the user is exploring (a preset or an uploaded file, plus the levers they moved),
the seed, and the runs: the variant (the user's settings) and, in compare mode, a baseline on the same seed
(common random numbers: same people, same shocks), optionally over several seeds. It steps them, records what
the components need (a `Snapshot` of the time series after every change, and a compact monthly record of
every person for their story), and answers questions about a run (flows between states, the region, one
person, the accounts). It never changes the model's rules: it drives `LabourMarketModel` through the same
public API as the command line (`abm.scenario` to build and validate scenarios, `step()`,
`timeseries()`, `transitions()`, the agents and state tables to read).

Everything here is plain Python, so the unit tests drive a session without a browser. Methods that change the
session return an error message (one line, from the scenario validator) or None; on an error the previous
settings and run stay as they were (a build that fails, for a bad value, a run larger than the session's limit of
people simulated, or memory running out, leaves the previous run loaded). `error_at` says which input caused
the error, so the app shows it beside that input.

The figures the app shows (tiles, the Compare table, Who pays) come from one place, `Snapshot.figure` and
`Session.accounts`, with one definition each (ARCHITECTURE.md §Metrics): the municipality's net cost is
`municipal_net_cost` (spend minus receipts), summed over the months run so far, which is minus the
municipality's account in Who pays.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from abm import by_municipality
from abm import states as S
from abm.metric_labels import read
from abm.model import LabourMarketModel
from abm.scenario import (
    MAX_FILE_BYTES,
    MECHANISMS,
    Scenario,
    ScenarioError,
    change_policy_from,
    check_seed,
    check_size,
    decode_scenario_bytes,
    estimate_size,
    load,
    parse_toml,
    preset_names,
    unknown_key,
    validate,
)
from viz import levers as L
from viz import liveness

STATE_NAMES = S.STATE_NAMES
DEFAULT_PRESET = "default"
DEFAULT_SEED = 42
MAX_COMPARE_SEEDS = 5
# The most people one run of a session may simulate (agents; `plm app --max-people`). The default region has
# 45,650 agents at scale 1; a month of a run of 250,000 (5.5 times that) took 88 ms, 195 ms in compare mode
# (benchmarks/app_responsiveness.py --people 250000 --server-only, 2 cores, load average 7; the default region:
# 25 ms and 53 ms), within the app's 250 ms per month, and up to this size every person keeps a Mesa agent view
# and a story (Run.MAX_AGENT_VIEWS).
MAX_PEOPLE_DEFAULT = 250_000
DATED_NOTE = "set in the app from month {m} on"


# --- the monthly record of every person -------------------------------------------------------------

class PersonPanel:
    """What happened to each person month by month: state, self-stigma, the stigma they meet, wellbeing and
    income — recorded from the state table after every step, compactly (one byte or two per value), so the
    story of anybody in the run can be drawn afterwards.

    Rows are seats (`docs/architecture.md`): when someone retires a new person takes the row, so the panel
    keeps for every person the row and the months they were in it.
    """

    MAX_FOLLOWED = 60_000

    def __init__(self, model: LabourMarketModel):
        n = model.s.n
        if n <= self.MAX_FOLLOWED:
            self.rows = np.arange(n)
        else:  # national runs: a fixed, evenly spread sample of seats
            self.rows = np.unique(np.linspace(0, n - 1, self.MAX_FOLLOWED).astype(np.int64))
        self.first_month = model.month
        self.state: list[np.ndarray] = []
        self.self_stigma: list[np.ndarray] = []
        self.label_stigma: list[np.ndarray] = []
        self.wellbeing: list[np.ndarray] = []
        self.income: list[np.ndarray] = []
        self.pids = model.s.person_id[self.rows].copy()
        self.entered: dict[int, tuple[int, int]] = {}             # pid -> (panel index, first month)
        self.left: dict[int, tuple[int, int, int]] = {}           # pid -> (panel index, first month, last month)
        self.record(model)

    def record(self, model: LabourMarketModel) -> None:
        from abm.wellbeing import income

        s, r = model.s, self.rows
        month = model.month
        pid = s.person_id[r]
        changed = np.flatnonzero(pid != self.pids)
        for k in changed:
            old, new = int(self.pids[k]), int(pid[k])
            start = self.entered.pop(old, (k, self.first_month))[1]
            self.left[old] = (int(k), start, month - 1)
            self.entered[new] = (int(k), month)
        self.pids = pid.copy()
        belief = np.asarray(model.mean_regular_belief, dtype=np.float64)
        met = s.label[r].astype(np.float64) @ belief
        self.state.append(s.state[r].astype(np.int8))
        self.self_stigma.append(np.clip(np.rint(s.self_stigma[r] * 250), 0, 255).astype(np.uint8))
        self.label_stigma.append(np.clip(np.rint(met * 50), 0, 255).astype(np.uint8))
        self.wellbeing.append(np.clip(np.rint(s.wellbeing[r] * 50), 0, 255).astype(np.uint8))
        self.income.append(np.clip(np.rint(income(model)[r]), 0, 65535).astype(np.uint16))

    @property
    def last_month(self) -> int:
        return self.first_month + len(self.state) - 1

    def span(self, pid: int) -> tuple[int, int, int] | None:
        """(panel index, first month, last month) of a person, or None if not followed."""
        pid = int(pid)
        if pid in self.left:
            return self.left[pid]
        hits = np.flatnonzero(self.pids == pid)
        if hits.size == 0:
            return None
        k = int(hits[0])
        start = self.entered.get(pid, (k, self.first_month))[1]
        return k, start, self.last_month

    def present(self) -> np.ndarray:
        """Person ids currently in the followed rows."""
        return self.pids

    def series(self, pid: int) -> pd.DataFrame | None:
        """The person's months: month, state, self_stigma, label_stigma, wellbeing, income."""
        sp = self.span(pid)
        if sp is None:
            return None
        k, start, end = sp
        idx = range(start - self.first_month, end - self.first_month + 1)
        return pd.DataFrame({
            "month": np.arange(start, end + 1),
            "state": [STATE_NAMES[self.state[i][k]] for i in idx],
            "self_stigma": [self.self_stigma[i][k] / 250.0 for i in idx],
            "label_stigma": [self.label_stigma[i][k] / 50.0 for i in idx],
            "wellbeing": [self.wellbeing[i][k] / 50.0 for i in idx],
            "income": [int(self.income[i][k]) for i in idx],
        })

    def nbytes(self) -> int:
        return sum(a.nbytes for lst in (self.state, self.self_stigma, self.label_stigma, self.wellbeing,
                                        self.income) for a in lst)


class Run:
    """One model run (one scenario, one seed), with the person panel when its people are shown."""

    MAX_AGENT_VIEWS = 250_000      # a Mesa agent per person costs ~0.5 KB; beyond this the story reads the table

    def __init__(self, scenario: Scenario, seed: int, follow: bool, max_agents: int | None = None):
        """Build the model; a run larger than `max_agents` (people simulated) or than the memory available is
        refused first, with one line (`abm.scenario.check_size`)."""
        self.scenario = scenario
        self.seed = int(seed)
        views = follow and estimate_size(scenario).agents <= self.MAX_AGENT_VIEWS
        check_size(scenario, agent_views=views, max_agents=max_agents, limit_option="plm app --max-people N")
        self.model = LabourMarketModel(scenario, seed=self.seed, agent_views=views,
                                       mechanisms=[by_municipality.MECHANISM])   # the Region tab's figures
        liveness.track("models", self.model)
        self.panel = PersonPanel(self.model) if follow else None
        self._agents_by_row: dict[int, Any] | None = None
        self._transitions: tuple[int, pd.DataFrame] | None = None

    @property
    def month(self) -> int:
        return self.model.month

    @property
    def months(self) -> int:
        return int(self.model.p.months)

    @property
    def running(self) -> bool:
        return self.model.month < self.months

    def step(self) -> bool:
        if not self.running:
            return False
        self.model.step()
        if self.panel is not None:
            self.panel.record(self.model)
        return True

    def timeseries(self) -> pd.DataFrame:
        return self.model.timeseries()

    def transitions(self) -> pd.DataFrame:
        """The event log (cached per month: it is rebuilt from chunks on each call to the model)."""
        if self._transitions is None or self._transitions[0] != self.month:
            self._transitions = (self.month, self.model.transitions())
        return self._transitions[1]

    def agent(self, row: int):
        """The `JobSeeker` view of a row (the ordinary Mesa agent API), or None without agent views."""
        from agents import JobSeeker

        if self._agents_by_row is None:
            agents = self.model.agents_by_type[JobSeeker] if JobSeeker in self.model.agents_by_type else []
            self._agents_by_row = {a.row: a for a in agents}
        return self._agents_by_row.get(int(row))


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the components draw, taken after every change (immutable: the play thread may step meanwhile)."""

    version: int
    month: int
    months: int
    running: bool
    seed: int
    scenario_name: str
    source: str
    compare: bool
    seeds: tuple[int, ...]
    ts: pd.DataFrame                                   # the variant (the user's settings), first seed
    ts_base: pd.DataFrame | None                       # the baseline, first seed (compare mode)
    pairs: tuple[tuple[int, pd.DataFrame, pd.DataFrame], ...] = ()   # (seed, baseline, variant) per seed
    changes: tuple[tuple[str, str, Any, Any], ...] = ()              # (scope, path, loaded value, new value)
    dated: tuple[tuple[int, str, str, Any], ...] = ()                # (from month, scope, path, value)
    baseline_name: str = ""                                          # the baseline preset; "" = as loaded
    ensemble: bool = False                 # compare mode over an ensemble: pairs are every member x seed
    members: int = 1                       # the ensemble's members the pairs run (1 without an ensemble)
    # over an ensemble: each pair's weight (experiments.ensemble.run_weights: its member's importance weight / the
    # member's seeds, normalised); () = every run counts the same
    weights: tuple[float, ...] = ()
    build_seconds: float = 0.0
    step_seconds: float = 0.0
    mechanisms: tuple[tuple[str, bool], ...] = field(default_factory=tuple)

    def parties(self) -> list[str]:
        """Parties with an account in the time series (`account_<party>_net` columns)."""
        return party_columns(self.ts)

    def runs(self, which: str = "variant") -> list[pd.DataFrame]:
        """The time series of the variant (or the baseline) for every seed of the session."""
        if self.compare and self.pairs:
            return [v if which == "variant" else b for _s, b, v in self.pairs]
        if which == "variant":
            return [self.ts]
        return [] if self.ts_base is None else [self.ts_base]

    def run_weights(self) -> np.ndarray | None:
        """Each run's weight over an ensemble (`weights`), None when every run counts the same."""
        return np.asarray(self.weights, dtype=float) if self.ensemble and self.weights else None

    def pooled_mean(self, values) -> float:
        """The mean over the runs (seeds; over an ensemble member x seed runs pooled with the members' importance
        weights: `experiments.ensemble.mean`, the mean of plm report --ensemble)."""
        from experiments.ensemble import mean
        return mean(values, self.run_weights())

    def figure(self, name: str) -> Figure:
        """A figure as the app shows it (a tile, a row of the Compare table): the variant's value now and, in
        compare mode, the baseline's, both as the mean over the seeds, with the range of the difference and
        whether it is within the noise of the seeds (`experiments.noise`, the rule of `plm report`). Over an
        ensemble the means and the range pool the member x seed runs with the members' importance weights."""
        from experiments.noise import paired_difference

        var = [figure_of(ts, name) for ts in self.runs("variant")]
        base = [figure_of(ts, name) for ts in self.runs("baseline")]
        if not base:
            return Figure(var[0], None, None, None, 1)
        diffs = [a - b for a, b in zip(var, base)]
        noise = paired_difference(var, base)
        lo, hi = min(diffs), max(diffs)
        if self.ensemble:   # over an ensemble the range is the interval of plm report --ensemble
            from experiments.ensemble import interval
            lo, hi = interval(diffs, self.run_weights())
        return Figure(self.pooled_mean(var), self.pooled_mean(base), lo, hi, len(diffs),
                      noise.half_width if noise.noise_known else None, noise.within_noise)

    def programme_cost_per_basisbaan_year(self) -> float | None:
        """The basisbaan programme's own net cost per basisbaan-year in the variant (all seeds pooled): its wages
        and guidance minus the benefits its participants no longer draw (`basisbaan_programme_net_cost`), per
        12 months in a basisbaan. Groningen's EUR 19,000 is this figure. None before anyone held a basisbaan."""
        cost = sum(so_far(ts, "basisbaan_programme_net_cost") for ts in self.runs("variant"))
        years = sum(so_far(ts, "n_basisbaan") for ts in self.runs("variant")) / 12.0
        return cost / years if years > 0 else None


@dataclass(frozen=True)
class Figure:
    """A figure of the variant (mean over seeds) and, in compare mode, of the baseline."""

    value: float
    base: float | None
    diff_lo: float | None          # the smallest and largest difference variant − baseline over the seeds (over
    #                                an ensemble: the 5-95% interval of the member x seed differences)
    diff_hi: float | None
    seeds: int
    half_width: float | None = None    # 95% confidence half-width of the mean difference (two seeds or more)
    within_noise: bool = False         # its interval covers zero: the seeds cannot tell it from no effect

    @property
    def diff(self) -> float | None:
        return None if self.base is None else self.value - self.base

    @property
    def noisy(self) -> bool:
        """Within the noise of several seeds, and not simply the same in every seed."""
        return self.within_noise and not (self.diff_lo == 0 == self.diff_hi)


def party_columns(ts: pd.DataFrame) -> list[str]:
    return [c[len("account_"):-len("_net")] for c in ts.columns if c.startswith("account_") and c.endswith("_net")]


def so_far(ts: pd.DataFrame, column: str) -> float:
    """A monthly column summed over the months run so far (month 0, the starting state, is not a month run)."""
    return float(ts[column].iloc[1:].sum())


def throughput_12(ts: pd.DataFrame) -> float:
    """People who moved from subsidised to regular work in the last 12 months run."""
    tail = ts.iloc[1:].tail(12)
    return float(tail["to_regular_from_parallel"].sum() + tail["to_regular_from_basisbaan"].sum())


# Figures that are not a column's value this month. `net_cost_so_far` is the municipality's net cost (spend
# minus receipts) over the months run: minus the municipality's account in Who pays.
DERIVED: dict[str, Callable[[pd.DataFrame], float]] = {
    "net_cost_so_far": lambda ts: so_far(ts, "municipal_net_cost"),
    "throughput_12": throughput_12,
}


def figure_of(ts: pd.DataFrame, name: str) -> float:
    """A figure of the run so far: a derived one, or a column read as every run's figure is read
    (`abm.metric_labels.read`: throughput over the months run, displacement over the last year, the rest now)."""
    fn = DERIVED.get(name)
    if fn is not None:
        return fn(ts)
    return read(ts, name) if len(ts) else 0.0


def metric_series(ts: pd.DataFrame, name: str) -> np.ndarray:
    """A metric month by month, for charts: a column, or `net_cost_so_far` (the running sum from month 1)."""
    if name == "net_cost_so_far":
        values = ts["municipal_net_cost"].to_numpy(dtype=float).copy()
        values[:1] = 0.0
        return np.cumsum(values)
    return ts[name].to_numpy()


# --- the session -------------------------------------------------------------------------------------

class Session:
    """A browser session's scenario, settings and runs (see the module docstring)."""

    # what a change of settings may alter; restored as a whole when the change is refused
    SETTINGS = ("seed", "compare", "n_seeds", "baseline_preset", "ensemble", "changes", "dated", "loaded",
                "loaded_data", "source", "scenario")

    def __init__(self, preset: str = DEFAULT_PRESET, seed: int = DEFAULT_SEED, overrides: dict | None = None,
                 max_agents: int | None = MAX_PEOPLE_DEFAULT):
        """A session on `preset`. `max_agents` is the most people (agents) one run may simulate (None: only the
        machine's memory limits it). A first run that cannot be built raises ScenarioError (one line)."""
        liveness.track("sessions", self)
        self.lock = threading.RLock()
        self.version = 0
        self.seed = check_seed(seed)
        self.max_agents = max_agents
        self.compare = False
        self.n_seeds = 1
        self.baseline_preset = ""          # "" = the loaded scenario without the user's changes
        self.ensemble = ""                 # "" = off; else a calibration ensemble file: compare over its members
        self.changes: dict[L.Key, Any] = {}
        # levers moved "from now on": (month, scope, path, value), dated policy changes of the variant's scenario
        self.dated: tuple[tuple[int, str, str, Any], ...] = ()
        self.error: str | None = None
        self.error_kind = ""
        self.error_at = ""                 # the input that caused the error (see `_fail`)
        self._picks = 0
        self.build_seconds = 0.0
        self.step_seconds = 0.0
        self.failed = False
        self.closed = False
        self.defaults = dict(overrides or {})       # applied to every preset this session loads
        scenario = load(preset, self.defaults)
        self.source = preset
        self.loaded = scenario
        self.loaded_data = self._data_of(scenario)
        self.scenario = scenario
        self.runs: list[tuple[Run | None, Run]] = []
        self.weights: tuple[float, ...] = ()   # over an ensemble: each run's weight (`_run_weights`)
        err = self._build()
        if err:
            raise ScenarioError(err)

    # --- scenario and settings ---------------------------------------------------------------------
    @staticmethod
    def _data_of(scenario: Scenario) -> dict[str, Any]:
        return scenario.model_dump(mode="json", exclude_none=True)

    @staticmethod
    def presets() -> list[str]:
        return preset_names()

    def role(self) -> str:
        """The loaded scenario's role, `calibration`, `prediction` or `example` (experiments/roles.py: a preset a
        target names is calibration; a file of one's own is a prediction)."""
        from experiments.roles import role

        return role(self.source)

    def general_findings(self) -> tuple[str, ...]:
        """The targets of kind `general` the loaded preset is checked against (experiments/roles.py)."""
        from experiments.roles import checked_against_general

        return checked_against_general(self.source)

    def _variant(self, changes: dict[L.Key, Any], dated: tuple | None = None) -> Scenario:
        """The loaded scenario with the levers moved from month 0 (`changes`) and those moved from a later month
        on (`dated`, default the session's), each one dated policy change (`abm.scenario.change_policy_from`)."""
        data = L.apply_changes(self.loaded_data, changes)
        scenario = validate(data, origin="settings")
        for month, scope, path, value in (self.dated if dated is None else dated):
            scenario = change_policy_from(scenario, path, value, month, scope or "all", DATED_NOTE.format(m=month))
        return scenario

    def _fail(self, message: str, kind: str = "setting", at: str = "") -> str:
        """Record an error. kind: "file" for a scenario that was not loaded, "setting", or "model"; at: the input
        that caused it, where the app shows it ("upload", "preset", "seed", "compare", "lever:SCOPE:PATH",
        "mechanism:NAME", "lesson"; "" for none in particular)."""
        self.error = message
        self.error_kind = kind
        self.error_at = at
        self.version += 1
        return message

    def _change(self, change: Callable[[], None], kind: str = "setting", at: str = "") -> str | None:
        """Change the settings and build new runs, or refuse: if `change` raises a ScenarioError or ValueError,
        or the runs cannot be built (too large, out of memory, the model refuses), every setting and the runs
        stay as they were and the one-line message is returned."""
        saved = {name: getattr(self, name) for name in self.SETTINGS}
        saved["changes"] = dict(self.changes)
        try:
            change()
        except (ScenarioError, ValueError) as exc:
            for name, value in saved.items():
                setattr(self, name, value)
            return self._fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, kind, at)
        err = self._build(kind, at)
        if err:
            for name, value in saved.items():
                setattr(self, name, value)
        return err

    def _adopt(self, scenario: Scenario, source: str) -> None:
        self.loaded, self.loaded_data, self.source = scenario, self._data_of(scenario), source
        self.changes = {}
        self.dated = ()
        self.scenario = scenario

    def load_preset(self, name: str) -> str | None:
        """Start from a preset; clears the moved levers. Returns the error, or None."""
        with self.lock:
            return self._change(lambda: self._adopt(load(name, self.defaults), name), "file", "preset")

    def load_file(self, raw: bytes, filename: str = "scenario.toml") -> str | None:
        """Load an uploaded scenario file (its bytes, checked here on the server: size, encoding, TOML, values).
        A bad file leaves everything as it was and returns its one-line message, the same as
        `plm run --scenario FILE` prints."""
        name = upload_name(filename)

        def change() -> None:
            if not isinstance(raw, (bytes, bytearray)):
                raise ScenarioError(f"{name}: not a file; allowed: a TOML scenario file")
            data = parse_toml(decode_scenario_bytes(bytes(raw), name), name)
            if not data:
                raise ScenarioError(f"{name}: the file sets nothing; start from a preset, e.g. base = \"default\" "
                                    "and the keys you change")
            self._adopt(validate(data, origin=name), name)

        with self.lock:
            return self._change(change, "file", "upload")

    def load_toml(self, text: str | bytes, filename: str = "scenario.toml") -> str | None:
        """`load_file` for text (encoded as UTF-8) or bytes."""
        return self.load_file(text.encode("utf-8") if isinstance(text, str) else text, filename)

    def load_upload(self, info: dict) -> str | None:
        """What the upload widget sends: {name, size, data: the file's bytes in base64, or null when the browser
        found the file too large}. The size limit holds here whatever the browser sent."""
        name = upload_name(info.get("name") if isinstance(info, dict) else None)
        data = info.get("data") if isinstance(info, dict) else None
        size = info.get("size") if isinstance(info, dict) else None
        with self.lock:
            too_large = f"{name}: {{n:,}} bytes; allowed: a scenario file of at most {MAX_FILE_BYTES:,} bytes"
            if data is None:
                if isinstance(size, int) and size > MAX_FILE_BYTES:
                    return self._fail(too_large.format(n=size), "file", "upload")
                return self._fail(f"{name}: the file could not be read; allowed: a TOML scenario file", "file",
                                  "upload")
            if not isinstance(data, str):
                return self._fail(f"{name}: not a file; allowed: a TOML scenario file", "file", "upload")
            if len(data) > 4 * (MAX_FILE_BYTES // 3 + 1):          # do not even decode what is too large
                n = len(data) * 3 // 4 - (len(data) - len(data.rstrip("=")))
                return self._fail(too_large.format(n=n), "file", "upload")
            try:
                raw = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                return self._fail(f"{name}: the upload is damaged (not base64); allowed: a TOML scenario file",
                                  "file", "upload")
            return self.load_file(raw, name)

    def set_lever(self, path: str, value: Any, scope: str = "", at: str | None = None) -> str | None:
        """Move a lever (a dotted scenario key); the run restarts at month 0 with the new settings."""
        at = f"lever:{scope}:{path}" if at is None else at
        with self.lock:
            lever = L.by_path().get(path)
            if lever is None:
                return self._fail(unknown_key(path, path, L.by_path()), at=at)
            try:
                value = lever.coerce(value)
            except (TypeError, ValueError, OverflowError):
                return self._fail(f"{path} = {value!r}: must be a {lever.kind}", at=at)

            def change() -> None:
                changes = dict(self.changes)
                loaded_value = (L.value_of(self.loaded, path, scope) if (not scope or path.startswith("policy."))
                                else None)
                if value == loaded_value and not (not scope and L.municipal_overrides(self.loaded, path)):
                    changes.pop((scope, path), None)
                else:
                    changes[(scope, path)] = value
                if not scope and lever.is_policy:   # a region-wide setting replaces per-municipality ones
                    for k in [k for k in changes if k[0] and k[1] == path]:
                        changes.pop(k)
                self.scenario = self._variant(changes)
                self.changes = changes

            return self._change(change, "setting", at)

    def set_lever_from_now(self, path: str, value: Any, scope: str = "", at: str | None = None) -> str | None:
        """Move a policy lever from the next month on, without a restart: the variant's runs (every seed) continue
        with the new value as a dated policy change (`LabourMarketModel.change_policy_from`); the months run stay,
        the baseline is untouched, and the exported scenario carries the change, so `plm run` replays it. Only
        policy settings can change during a run; others, and a run that has ended, are refused with one line."""
        at = f"lever:{scope}:{path}" if at is None else at
        with self.lock:
            lever = L.by_path().get(path)
            if lever is None:
                return self._fail(unknown_key(path, path, L.by_path()), at=at)
            if not lever.is_policy:
                return self._fail(f"{path}: only policy settings can change during a run; allowed: restart with "
                                  "it from month 0", at=at)
            try:
                value = lever.coerce(value)
            except (TypeError, ValueError, OverflowError):
                return self._fail(f"{path} = {value!r}: must be a {lever.kind}", at=at)
            if not self.running:
                return self._fail(f"{path}: the run has ended at month {self.month}; allowed: from now on while "
                                  "months are left, or restart with it from month 0", at=at)
            month = self.month + 1
            try:
                scenario = change_policy_from(self.scenario, path, value, month, scope or "all",
                                              DATED_NOTE.format(m=month))
                for _base, run in self.runs:
                    run.model.change_policy_from(path, value, month, scope or "all", DATED_NOTE.format(m=month))
            except ScenarioError as exc:
                return self._fail(str(exc).splitlines()[0], at=at)
            self.scenario = scenario
            self.dated = (*self.dated, (month, scope, path, value))
            self.error = None
            self.error_at = ""
            self._refresh()
            return None

    def set_mechanism(self, name: str, enabled: bool) -> str | None:
        if name not in MECHANISMS:
            return self._fail(f"mechanism = {name!r}: allowed: {', '.join(MECHANISMS)}", at=f"mechanism:{name}")
        return self.set_lever(f"{name}.enabled", bool(enabled), at=f"mechanism:{name}")

    def apply(self, changes: dict[str, Any], preset: str | None = None, compare: bool | None = None) -> str | None:
        """Set up several levers at once (used by the lessons): optional preset, then {path: value}, and
        optionally compare mode; the runs are built once."""
        def change() -> None:
            if compare is not None:
                self.compare = bool(compare)
            if preset is not None and preset != self.source:
                self._adopt(load(preset, self.defaults), preset)
            unknown = [p for p in changes if p not in L.by_path()]
            if unknown:
                raise ScenarioError(unknown_key(unknown[0], unknown[0], L.by_path()))
            new = {("", p): L.by_path()[p].coerce(v) for p, v in changes.items()}
            if "scale" not in changes and ("", "scale") in self.changes:   # keep a speed setting the user chose
                new[("", "scale")] = self.changes[("", "scale")]
            self.scenario = self._variant(new, dated=())
            self.changes = new
            self.dated = ()

        with self.lock:
            return self._change(change, "setting", "lesson")

    def clear_changes(self) -> str | None:
        def change() -> None:
            self.changes = {}
            self.dated = ()
            self.scenario = self.loaded

        with self.lock:
            return self._change(change)

    def set_seed(self, seed: int) -> str | None:
        def change() -> None:
            self.seed = check_seed(seed)

        with self.lock:
            return self._change(change, "setting", "seed")

    def set_compare(self, on: bool, seeds: int | None = None, baseline: str | None = None,
                    ensemble: str | None = None) -> str | None:
        """Compare mode: a baseline beside the variant on the same seed(s); with `ensemble` (a calibration ensemble
        file, "" for none) every member x seed, the member's parameters in both runs (docs/calibration.md)."""
        def change() -> None:
            if ensemble is not None:
                if ensemble:
                    from experiments.ensemble import load_ensemble
                    load_ensemble(ensemble, "ensemble")
                self.ensemble = ensemble
            if baseline is not None:
                if baseline and baseline not in preset_names():
                    raise ScenarioError(f"baseline = {baseline!r}: allowed: one of {', '.join(preset_names())}")
                self.baseline_preset = baseline
            if seeds is not None:
                if isinstance(seeds, bool) or not isinstance(seeds, (int, np.integer)) \
                        or not 1 <= seeds <= MAX_COMPARE_SEEDS:
                    raise ScenarioError(f"seeds = {seeds!r}: allowed: 1 to {MAX_COMPARE_SEEDS}")
                self.n_seeds = int(seeds)
            self.compare = bool(on)

        with self.lock:
            return self._change(change, "setting", "compare")

    def baseline_scenario(self) -> Scenario:
        """What the variant is compared with: the loaded scenario (or a preset) at the variant's length and size,
        so both runs have the same people and the same months."""
        same = {"months": self.scenario.months, "scale": self.scenario.scale}
        if self.baseline_preset:
            return load(self.baseline_preset, {**self.defaults, **same})
        if self.loaded.months == self.scenario.months and self.loaded.scale == self.scenario.scale:
            return self.loaded
        return load(self.loaded, same)

    # --- runs ----------------------------------------------------------------------------------------
    def seeds(self) -> tuple[int, ...]:
        n = self.n_seeds if self.compare else 1
        return tuple(self.seed + k for k in range(n))

    def members(self) -> list[dict[str, float]]:
        """The parameters of every ensemble member the runs use: [{}] (the shipped point) unless compare mode
        runs over an ensemble."""
        return [dict(m.parameters) for m in self._ensemble_members()] or [{}]

    def _ensemble_members(self) -> list:
        """The members of the ensemble compare mode runs over (`experiments.ensemble.Member`); [] without one."""
        if not (self.compare and self.ensemble):
            return []
        from experiments.ensemble import load_ensemble
        return load_ensemble(self.ensemble, "ensemble").members

    def _run_weights(self) -> tuple[float, ...]:
        """Each run's weight over an ensemble (every member x seed, member by member as `_build` makes them;
        `experiments.ensemble.run_weights`); () without one."""
        members = self._ensemble_members()
        if not members:
            return ()
        from experiments.ensemble import run_weights
        ids = [m.id for m in members for _ in self.seeds()]
        return tuple(float(w) for w in run_weights(ids, {m.id: m.weight for m in members}))

    def _with_member(self, scenario: Scenario | None, parameters: dict[str, float]) -> Scenario | None:
        """The scenario with a member's parameters; a lever the user moved keeps the user's value."""
        moved = {path for _scope, path in self.changes}
        keep = {k: v for k, v in parameters.items() if k not in moved}
        return scenario if scenario is None or not keep else load(scenario, keep)

    def _build(self, kind: str = "setting", at: str = "") -> str | None:
        """New runs at month 0 for the current settings (the old runs stay if building fails). Every run is
        checked against the session's limit of people simulated and the memory available before it is built."""
        t0 = time.perf_counter()
        try:
            runs: list[tuple[Run | None, Run]] = []
            base = self.baseline_scenario() if self.compare else None
            for j, member in enumerate(self.members()):
                sc, bs = self._with_member(self.scenario, member), self._with_member(base, member)
                for k, seed in enumerate(self.seeds()):
                    follow = j == 0 and k == 0
                    variant = Run(sc, seed, follow=follow, max_agents=self.max_agents)
                    baseline = Run(bs, seed, follow=follow, max_agents=self.max_agents) if bs is not None else None
                    runs.append((baseline, variant))
        except MemoryError:
            runs = []
            return self._fail("not enough memory for these settings; allowed: a smaller run (raise scale, fewer "
                              "seeds)", kind, at)
        except (ScenarioError, ValueError) as exc:
            return self._fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, kind, at)
        except Exception as exc:  # noqa: BLE001 - the app stays up and keeps the previous run
            return self._fail(f"the model could not start with these settings: {type(exc).__name__}: "
                              f"{str(exc).splitlines()[0] if str(exc) else ''}", "model", at)
        self.runs = runs
        self.weights = self._run_weights()
        self.failed = False
        self.build_seconds = time.perf_counter() - t0
        self.step_seconds = 0.0
        self.error = None
        self.error_at = ""
        self._picks = 0
        self._refresh()
        return None

    def reset(self) -> str | None:
        with self.lock:
            return self._change(lambda: None)

    @property
    def variant(self) -> Run:
        return self.runs[0][1]

    @property
    def baseline(self) -> Run | None:
        return self.runs[0][0]

    @property
    def month(self) -> int:
        return self.variant.month

    @property
    def running(self) -> bool:
        return (not self.failed and not self.closed
                and any(r.running for pair in self.runs for r in pair if r is not None))

    def step(self, months: int = 1) -> int:
        """Advance every run by up to `months` months; returns how many months the variant moved."""
        with self.lock:
            t0 = time.perf_counter()
            moved = 0
            for _ in range(max(int(months), 0)):
                if not self.running:
                    break
                try:
                    for pair in self.runs:
                        for run in pair:
                            if run is not None:
                                run.step()
                except Exception as exc:  # noqa: BLE001 - show it, keep the app up
                    self._fail(f"the model stopped in month {self.month}: {type(exc).__name__}: "
                               f"{str(exc).splitlines()[0] if str(exc) else ''}", "model")
                    self.failed = True
                    break
                moved += 1
            if moved:
                self.step_seconds = (time.perf_counter() - t0) / moved
            if moved or self.failed:
                self._refresh()
            return moved

    def run_to(self, month: int) -> int:
        return self.step(max(int(month) - self.month, 0))

    def _refresh(self) -> None:
        self.version += 1
        pairs = tuple((run.seed, base.timeseries() if base is not None else None, run.timeseries())
                      for base, run in self.runs)
        var = self.variant
        changes = []
        for (scope, path), value in sorted(self.changes.items()):
            try:
                before = L.value_of(self.loaded, path, scope)
            except (AttributeError, ValueError):
                before = None
            changes.append((scope, path, before, value))
        mech = tuple((m, bool(getattr(self.scenario, m).enabled)) for m in MECHANISMS)
        self._snapshot = Snapshot(
            version=self.version, month=var.month, months=var.months, running=self.running, seed=self.seed,
            scenario_name=self.scenario.name, source=self.source, compare=self.compare, seeds=self.seeds(),
            ts=pairs[0][2], ts_base=pairs[0][1], pairs=pairs if self.compare else (), changes=tuple(changes),
            dated=self.dated, baseline_name=self.baseline_preset, ensemble=bool(self.compare and self.ensemble),
            members=max(len(pairs) // len(self.seeds()), 1) if self.compare and self.ensemble else 1,
            weights=self.weights if self.compare and self.ensemble else (),
            build_seconds=self.build_seconds, step_seconds=self.step_seconds, mechanisms=mech)

    def snapshot(self) -> Snapshot:
        with self.lock:
            return self._snapshot

    # --- questions about a run -----------------------------------------------------------------------
    def _run(self, which: str) -> Run | None:
        return self.baseline if which == "baseline" else self.variant

    def flows(self, start: int, end: int, which: str = "variant") -> pd.DataFrame:
        """People by labour state at month `start` (left) and at month `end` (right): columns source, target,
        people. People who arrive during the period come from 'entry'; those who leave go to 'exit'."""
        with self.lock:
            run = self._run(which)
            if run is None:
                return pd.DataFrame(columns=["source", "target", "people"])
            end = min(max(int(end), 0), run.month)
            start = min(max(int(start), 0), end)
            tr = run.transitions()
            scale = run.model.scale
        month = tr["month"].to_numpy()
        pid = tr["person_id"].to_numpy()
        to = tr["to_state"].astype(str).to_numpy()
        order = np.argsort(month, kind="stable")
        month, pid, to = month[order], pid[order], to[order]

        def state_at(m: int) -> pd.Series:
            keep = month <= m
            last = pd.Series(to[keep], index=pid[keep])
            return last[~last.index.duplicated(keep="last")]

        a, b = state_at(start), state_at(end)
        both = pd.DataFrame({"source": a, "target": b})
        both["source"] = both["source"].fillna(S.ENTRY)
        both["target"] = both["target"].fillna(S.EXIT)
        both = both[both["source"] != S.EXIT]
        table = both.groupby(["source", "target"]).size().reset_index(name="agents")
        table["people"] = table["agents"] * scale
        return table[["source", "target", "people"]].sort_values(["source", "target"]).reset_index(drop=True)

    def places(self) -> pd.DataFrame:
        """Places filled against places available per programme and municipality in the variant now
        (`abm.programmes.places`; a row "all" per programme for the region)."""
        from abm.programmes import places

        with self.lock:
            return places(self.variant.model)

    def places_series(self, municipality: str = "") -> dict[str, pd.DataFrame]:
        """Each programme's places over the months run in the variant, for the region ("") or one municipality:
        programme -> DataFrame(month, planned, acquired, filled), the time series' columns
        (`abm.acquisition.SERIES`) or those of the results per municipality."""
        from abm.acquisition import SERIES

        with self.lock:
            model = self.variant.model
            if municipality:
                if municipality not in model.municipality_names:
                    raise ValueError(f"municipality = {municipality!r}: allowed: "
                                     f"{', '.join(model.municipality_names)}")
                table = by_municipality.history(model, model.municipality_names.index(municipality),
                                                ["month", *(c for f in SERIES.values() for c in f.values())])
            else:
                table = model.timeseries()
        return {programme: pd.DataFrame({"month": np.asarray(table["month"]),
                                         **{f: np.asarray(table[c]) for f, c in figures.items()}})
                for programme, figures in SERIES.items()}

    # The Region tab's metrics: columns of the results per municipality (abm/by_municipality.py), the same figures
    # as `timeseries_by_municipality.parquet`, this month; `unemployed_share` is n_unemployed / seekers.
    REGION_METRICS = ("inclusion_rate", "unemployed_share", "bijstand", "basisbaan", "parallel", "displaced",
                      "regular_jobs", "vacancies")
    _REGION_COLUMNS = {"bijstand": "n_bijstand", "basisbaan": "n_basisbaan", "parallel": "n_parallel",
                       "displaced": "displaced_regular_jobs", "vacancies": "regular_vacancies"}

    def region(self, metric: str = "inclusion_rate", which: str = "variant") -> dict[str, Any]:
        """Municipalities (name, x, y, job pool, value of `metric` this month, from the run's results per
        municipality) and commuting links (i, j, weight)."""
        if metric not in self.REGION_METRICS:
            raise ValueError(f"metric = {metric!r}: allowed: {', '.join(self.REGION_METRICS)}")
        with self.lock:
            run = self._run(which)
            if run is None:
                return {}
            m = run.model
            now = by_municipality.latest(m)
            people, jobs = now["seekers"], now["regular_jobs"]
            if metric == "unemployed_share":
                values = np.divide(now["n_unemployed"], people, out=np.zeros(people.size), where=people > 0)
            else:
                values = now[self._REGION_COLUMNS.get(metric, metric)]
            g = m.region_graph
            nodes = [{"name": g.nodes[i]["name"], "x": float(g.nodes[i]["x"]), "y": float(g.nodes[i]["y"]),
                      "people": float(people[i]), "jobs": float(jobs[i]), "value": float(values[i])}
                     for i in sorted(g.nodes)]
            edges = [{"i": int(i), "j": int(j), "km": float(d.get("distance_km", 0.0)),
                      "weight": float(m.commute[i, j] + m.commute[j, i]) / 2.0}
                     for i, j, d in g.edges(data=True)]
            return {"metric": metric, "month": m.month, "nodes": nodes, "edges": edges}

    PERSON_KINDS = ("basisbaan", "parallel_to_regular", "found_regular", "stayed_unemployed", "random")

    def find_person(self, kind: str = "basisbaan") -> int | None:
        """A person of the variant run who fits `kind` (a different one on each call), or None."""
        if kind not in self.PERSON_KINDS:
            raise ValueError(f"kind = {kind!r}: allowed: {', '.join(self.PERSON_KINDS)}")
        with self.lock:
            run = self.variant
            panel = run.panel
            if panel is None:
                return None
            tr = run.transitions()
            followed = set(panel.pids.tolist()) | set(panel.left)
            later = tr[tr["month"] > 0]
            if kind == "basisbaan":
                cand = later.loc[later["to_state"] == "basisbaan", "person_id"]
            elif kind == "parallel_to_regular":
                cand = later.loc[(later["from_state"] == "parallel") & (later["to_state"] == "regular"), "person_id"]
            elif kind == "found_regular":
                cand = later.loc[(later["from_state"] == "unemployed") & (later["to_state"] == "regular"),
                                 "person_id"]
            elif kind == "stayed_unemployed":
                moved = set(later["person_id"].tolist())
                now = run.model.s
                rows = panel.rows[(now.state[panel.rows] == S.UNEMPLOYED)]
                cand = pd.Series([int(p) for p in now.person_id[rows] if int(p) not in moved])
            else:
                cand = pd.Series(panel.pids)
            ids = sorted({int(p) for p in cand.tolist()} & followed)
            if not ids:
                return None
            rng = np.random.default_rng([self.seed, self._picks])
            self._picks += 1
            return ids[int(rng.integers(len(ids)))]

    def story(self, pid: int) -> dict[str, Any] | None:
        """One person's timeline in the variant (and the baseline, same person, in compare mode): facts from
        the `JobSeeker` agent, monthly series from the panel, and the moves from the event log."""
        with self.lock:
            run = self.variant
            if run.panel is None:
                return None
            series = run.panel.series(pid)
            if series is None:
                return None
            k, start, end = run.panel.span(pid)
            row = int(run.panel.rows[k])
            facts: dict[str, Any] = {"person_id": int(pid), "present": end == run.month, "first_month": start,
                                     "last_month": end}
            agent = run.agent(row) if end == run.month else None
            if agent is not None:
                facts.update(
                    age=round(float(agent.age), 1), male=bool(agent.male),
                    household="single" if agent.household == S.SINGLE else "cohabiting",
                    education=("low", "middle", "high")[int(agent.education)],
                    municipality=agent.municipality_name, benefit=agent.benefit_name, state=agent.state_name,
                    contract=agent.contract_name, work_limitation=bool(agent.work_limitation),
                    in_register=bool(agent.in_register), psych=bool(agent.psych), migrant=bool(agent.migrant),
                    months_out=int(agent.months_out), skill=round(float(agent.skill), 2),
                    health_hours=round(float(agent.health_hours), 1), debts=round(float(agent.debts)),
                    label={g: round(v, 2) for g, v in agent.label.items()})
            tr = run.transitions()
            mine = tr[tr["person_id"] == int(pid)]
            events = [{"month": int(r.month), "from": str(r.from_state), "to": str(r.to_state), "reason": str(r.reason)}
                      for r in mine.itertuples()]
            base_series = None
            base = self.baseline
            if base is not None and base.panel is not None:
                base_series = base.panel.series(pid)
            return {"facts": facts, "series": series, "events": events, "baseline": base_series}

    def accounts(self) -> pd.DataFrame:
        """Who pays, who gains: the net account of each party over the months run so far (EUR, + = gains) for
        the variant, the baseline and the difference; with several seeds, the mean over the seeds (as the tiles
        and the Compare table; over an ensemble pooled with the members' importance weights). Parties come from
        `account_<party>_net` columns when the model books them; the municipality's account is always there: minus
        its net cost (`municipal_net_cost`, spend - receipts)."""
        snap = self.snapshot()
        rows = []
        for label in ("variant", "baseline"):
            runs = snap.runs(label)
            if not runs:
                continue
            parties = party_columns(runs[0])
            row: dict[str, Any] = {"run": label}
            if "municipality" not in parties:
                row["municipality"] = -snap.pooled_mean([figure_of(ts, "net_cost_so_far") for ts in runs])
            for p in parties:
                row[p] = snap.pooled_mean([so_far(ts, f"account_{p}_net") for ts in runs])
            rows.append(row)
        df = pd.DataFrame(rows).set_index("run")
        if "baseline" in df.index:
            df.loc["difference"] = df.loc["variant"] - df.loc["baseline"]
        return df

    # --- exports --------------------------------------------------------------------------------------
    def export_csv(self, compare: bool = False) -> str:
        """The time series as CSV: the variant, or (compare) every run in long form with `run` and `seed`."""
        snap = self.snapshot()
        if not compare or not snap.compare:
            return snap.ts.to_csv(index=False)
        parts = []
        for seed, base, var in snap.pairs:
            for label, ts in (("baseline", base), ("variant", var)):
                parts.append(ts.assign(run=label, seed=seed))
        return pd.concat(parts, ignore_index=True).to_csv(index=False)

    def export_places_csv(self) -> str:
        """Each programme's places over the months run in the variant, as the places chart draws them: a row per
        month for the region (municipality "all": the time series' columns) and per month and municipality (the
        columns of the results per municipality, `timeseries_by_municipality`). Columns: month, municipality,
        `n_basisbaan` (the basisbaan places filled) and `abm.acquisition.PLACE_COLUMNS`, with the names and
        definitions `plm run` writes (docs/model.md)."""
        from abm.acquisition import PLACE_COLUMNS

        columns = ["month", "n_basisbaan", *PLACE_COLUMNS]
        with self.lock:
            model = self.variant.model
            region = model.timeseries()[columns].assign(municipality="all")
            local = by_municipality.frame(model)[["municipality", *columns]]
        local["municipality"] = local["municipality"].astype(str)
        table = pd.concat([region, local], ignore_index=True)
        return table[["month", "municipality", *columns[1:]]].to_csv(index=False)

    def export_toml(self) -> str:
        """The current settings as a scenario TOML that `plm run --scenario FILE` accepts."""
        with self.lock:
            scenario = self.scenario
            if self.changes or self.dated:
                scenario = scenario.model_copy(update={"name": f"{self.loaded.name}-custom"})
            n = len(self.changes) + len(self.dated)
            lines = [f"# Exported from the plm app: {self.source}"
                     + (f" with {n} changed setting(s)" if n else "") + ".",
                     f"# Run it with: plm run --scenario THIS_FILE --seed {self.seed}"]
            for (scope, path), value in sorted(self.changes.items()):
                lines.append(f"#   {scope + ': ' if scope else ''}{path} = {value!r}")
            for month, scope, path, value in self.dated:
                lines.append(f"#   from month {month}: {scope + ': ' if scope else ''}{path} = {value!r} "
                             "(in policy_changes)")
            return "\n".join(lines) + "\n" + scenario.to_toml()

    def close(self) -> None:
        """Free the runs (their models, panels and time series) now: called when the browser session ends (its
        page closed or its kernel culled), so a reference to the session left somewhere cannot keep its models
        alive. Idempotent; a closed session steps no more."""
        with self.lock:
            self.closed = True
            self.runs = []
            self._snapshot = None

    def memory_bytes(self) -> int:
        return sum(r.panel.nbytes() for pair in self.runs for r in pair if r is not None and r.panel is not None)


def upload_name(name: Any) -> str:
    """An uploaded file's name as shown in messages: one line, at most 120 characters."""
    text = name if isinstance(name, str) and name.strip() else "scenario.toml"
    text = "".join(ch if ch.isprintable() else "?" for ch in text.strip())
    return text if len(text) <= 120 else text[:117] + "..."
