"""The Mesa model of the parallel labour market: one step is one month (ARCHITECTURE.md §One month).

State lives in columnar tables (`model.s` for job seekers, `model.e` for employers); every job seeker,
employer and municipality is also a `mesa.Agent` view in `model.agents_by_type`. Each mechanism is a module in
`abm/` that declares its parameters, columns, step and metrics (abm/mechanism.py); the month is the ordered
`SCHEDULE` of (phase, mechanism) pairs in abm/schedule.py. This file builds the world and runs the schedule.
"""

from __future__ import annotations

import os
import time
from functools import partial
from typing import Any

import mesa
import numba
import numpy as np

from abm import (
    accounting,
    accounts,
    basisbaan,
    employer_stigma,
    employers,
    metrics,
    population,
    sector_stance,
    skills,
    spin_up,
    vacancies,
    wellbeing,
)
from abm import states as S
from abm.events import ENTRY_CODE, TransitionLog
from abm.mechanism import Mechanism, Month, insert
from abm.norms import COST_REFERENCE_HOURS
from abm.policy import PolicyParams, policy_arrays
from abm.rng import RandomStreams, stream_key
from abm.scenario import (
    PEOPLE_GROUPS,
    Scenario,
    ScenarioError,
    agent_counts,
    change_policy_from,
    check_rng,
    check_seed,
    check_size,
    load,
)
from abm.schedule import RULES, SCHEDULE, employer_columns, seeker_columns
from environments.pools import MatchWorkspace
from environments.region import Destinations, build_region_graph, commuting_matrix, distance_matrix
from environments.social import build_social_network

# Below this many people a run's kernels use one thread (see LabourMarketModel.step); the environment variable
# PLM_PARALLEL_MIN_AGENTS changes it (0: always parallel).
PARALLEL_MIN_AGENTS = 200_000
# Threads of a larger run's kernels: one unless PLM_THREADS asks for more. Measured on a shared 2-core machine
# (docs/benchmarks.md, "Threads"): two threads are only faster when nothing else runs; with any other process
# on the cores a parallel kernel waits for its slowest thread and the month takes several times longer.
KERNEL_THREADS = 1


def _env_whole_number(name: str, default: int, lo: int, hi: int | None, allowed: str) -> int:
    """The environment variable `name` as a whole number from `lo` to `hi` (`default` when unset); anything else
    is refused with one line naming the variable, its value and what is allowed (ScenarioError, a ValueError)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() else None
    if value is None or value < lo or (hi is not None and value > hi):
        raise ScenarioError(f"{name} = {raw!r}: allowed: {allowed}")
    return value


def thread_settings() -> tuple[int, int]:
    """(PLM_THREADS, PLM_PARALLEL_MIN_AGENTS), read when a model is built. PLM_THREADS must be a whole number
    from 1 to the cores numba may use (`numba.config.NUMBA_NUM_THREADS`: the machine's cores unless
    NUMBA_NUM_THREADS says fewer): a larger number is refused, not quietly cut to the cores."""
    cores = numba.config.NUMBA_NUM_THREADS
    threads = _env_whole_number("PLM_THREADS", KERNEL_THREADS, 1, cores,
                                f"a whole number from 1 to {cores} (the cores this machine's kernels may use)")
    least = _env_whole_number("PLM_PARALLEL_MIN_AGENTS", PARALLEL_MIN_AGENTS, 0, None,
                              "a whole number of people, 0 or more (0: every run may use PLM_THREADS)")
    return threads, least


def _read_metric(name: str, model: "LabourMarketModel"):
    """DataCollector reporter: one column of the month's metrics (wrapped in a picklable partial)."""
    return model.current_metrics[name]


class _PhaseClock:
    """Adds the wall time of each phase, and of each mechanism within it, to two dicts (for `plm bench`)."""

    def __init__(self, totals: dict[str, float], by_mechanism: dict[str, float]):
        self.totals, self.by_mechanism = totals, by_mechanism
        self.name = self.mechanism = ""

    def __call__(self, name: str, mechanism: str = "") -> "_PhaseClock":
        self.name, self.mechanism = name, mechanism
        return self

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        dt = time.perf_counter() - self.t0
        self.totals[self.name] = self.totals.get(self.name, 0.0) + dt
        if self.mechanism:
            self.by_mechanism[self.mechanism] = self.by_mechanism.get(self.mechanism, 0.0) + dt


class LabourMarketModel(mesa.Model):
    """Job seekers, employers and municipalities of one region, month by month.

    Args:
        scenario: a preset name, a TOML path, a dict or a `Scenario` (default: the embedded `default`).
        seed: the run's seed, a whole number 0 <= seed < 2**63; same scenario + same seed = identical output.
        rng: Mesa's alternative to `seed`: a seed (same range) or a numpy Generator; not together with `seed`.
        months: override the scenario's run length.
        agent_views: a `mesa.Agent` view for every row (True: made lazily, on first access to `agents`,
            `agents_by_type` or `municipalities`; False: none, for pure-array runs).
        mechanisms: mechanisms of one's own (abm/mechanism.py), each placed with `after=`/`before=`; the scenario
            gains their sections, the tables their columns, the time series their metrics.
        **overrides: dotted scenario keys, e.g. ``**{"policy.basisbaan_slots": 100}`` (usable in batch_run),
            with the one meaning of `abm.scenario.apply_overrides`: `policy.KEY` for every municipality from month
            0, `municipalities.NAME.policy.KEY` for one.

    Raises `abm.scenario.ScenarioError` (one line) for a bad scenario, override or seed, and for a run that
    would not fit in the available memory (`abm.scenario.check_size`), before anything is built.
    """

    def __init__(self, scenario: str | Scenario | dict | None = "default", seed: int | None = None,
                 rng: Any = None, months: int | None = None, agent_views: bool = True,
                 mechanisms: tuple[Mechanism, ...] | list[Mechanism] = (), **overrides: Any):
        if seed is not None:
            seed = check_seed(seed)
        rng = check_rng(rng, seed)
        if not isinstance(agent_views, (bool, np.bool_)):
            raise ScenarioError(f"agent_views = {agent_views!r}: allowed: True or False")
        if months is not None:
            overrides = {**overrides, "months": months}
        schedule = list(SCHEDULE)
        for extra in mechanisms:
            try:
                schedule = insert(schedule, extra)
            except ValueError as exc:
                raise ScenarioError(str(exc)) from None
        self.schedule: list[tuple[str, Mechanism]] = schedule
        self.mechanisms: list[Mechanism] = [m for _, m in schedule] + list(RULES)
        self.p: Scenario = load(scenario, overrides, mechanisms=tuple(mechanisms))
        self.size_estimate = check_size(self.p, agent_views=agent_views)
        super().__init__(seed=seed, rng=rng)
        t0 = time.perf_counter()
        root = int(seed) if seed is not None else int(self.rng.integers(2**62))
        self.seed_used = root
        self.streams = RandomStreams(root)   # building the world (the same people in every variant)
        self._keys: dict[str, tuple[int, np.uint64]] = {}
        self.scale = float(self.p.scale)
        self.month = 0
        self.phase_seconds: dict[str, float] = {}
        self.mechanism_seconds: dict[str, float] = {}
        # Threads of the month's kernels: 0 = by size and PLM_THREADS (see `step`); `plm bench --threads` sets it.
        self.kernel_threads = 0
        self.env_threads, self.parallel_min_agents = thread_settings()   # bad values refused before anything runs
        self.n_munis = len(self.p.municipalities)
        self.municipality_names = [m.name for m in self.p.municipalities]
        self._policies: list[PolicyParams] = []
        self._stances: list = []
        self._set_policy(0)
        self.seeker_columns = seeker_columns(self.mechanisms)
        self.employer_columns = employer_columns(self.mechanisms)
        self.metric_columns = list(metrics.COLUMNS) + [name for m in self.mechanisms for name in m.metrics]
        self._views_wanted, self._views_made = agent_views, False   # made on first access (see agents)
        self.spin_up_seconds = 0.0
        if self.p.spin_up_months:   # the world under today's rules, spun up (or from the cache): abm/spin_up.py
            spin_up.run(self, self.p.spin_up_months, cacheable=seed is not None and not mechanisms)
        else:
            self._build_world()
            self._start_books()
        self.build_seconds = time.perf_counter() - t0

    def _build_world(self) -> None:
        """The region, its people and employers, the social network and the working arrays, from `self.p`."""
        self._build_region()
        self._build_people()
        self.social = build_social_network(self.s.municipality, self.p.social, self.streams["social"])
        self.displaced = np.zeros(self.n_munis, dtype=np.int64)
        self.scratch_count = np.zeros(self.s.n, dtype=np.int16)
        self.scratch_bool = np.zeros(self.s.n, dtype=bool)
        self.match_workspace = MatchWorkspace(self.s.n)

    def _start_books(self) -> None:
        """Month 0: the event log (everyone an initial entry), the budgets, the ledger, every mechanism's init
        and the first row of the time series, all from the people as they are now."""
        self.log = TransitionLog(self.municipality_names)
        self.log.record(0, self.s.person_id, np.full(self.s.n, ENTRY_CODE), self.s.state, self.s.municipality,
                        "initial")
        self.funnel_counts = np.zeros((self.n_munis, len(S.FUNNEL_OUTCOMES)), dtype=np.int64)
        self.placements: list[dict] = []
        self._refresh_counts()
        self.initial_bijstand = self.bijstand_count * self.scale
        employer_stigma.init(self)
        self.budgets = accounting.Budgets(*self._initial_budgets())
        self.ledger = accounts.Ledger()
        for mechanism in self.mechanisms:
            if mechanism.init is not None:
                mechanism.init(self)
        self.accounts_now = self.ledger.book(0, accounts.bookings(self), self.scale)
        start = Month(0, self.state_counts(), money=accounting.monthly(self))
        self.current_metrics = metrics.compute(self, start)
        self.datacollector = mesa.DataCollector(model_reporters={c: partial(_read_metric, c)
                                                                 for c in self.metric_columns})
        self.datacollector.collect(self)

    def _spin_up(self, months: int) -> None:
        """Run `months` unreported months before month 0 (docs/model.md, "A baseline that stands still").

        Rule: the months are numbered -months .. -1 and run the whole schedule under `self.p`'s month-0 policy,
        sector stances and economy (`_set_policy` reads month 0 for them); `abm.spin_up.run` sets `self.p` to
        the scenario's world under today's rules first, and starts the scenario's own policy and the books at
        month 0 after. Then the clock is set to 0 and the people are renumbered 0 .. n-1 in seat order (so
        month 0's people keep the ids a scenario's `person_decisions` name). Stocks the months built up stay:
        people's states, jobs, contracts, counters, employers' beliefs and the displaced jobs. Same seed, same
        spin-up (draws are keyed by month and person id, abm/rng.py)."""
        t0 = time.perf_counter()
        self.month = -months - 1
        while self.month < -1:
            self.step()
        self.month = 0
        self.running = True
        self.steps = 0   # Mesa's step counter (batch_run reads the data collector by it)
        self.s.person_id[:] = np.arange(self.s.n)
        self.next_person_id = self.s.n
        self.phase_seconds.clear()
        self.mechanism_seconds.clear()
        self.spin_up_seconds = time.perf_counter() - t0

    # --- building -------------------------------------------------------------------------------------
    def apply_policy(self, month: int) -> None:
        """The municipalities' policy in `month` (after their dated changes) and their bijstand stock now."""
        self._set_policy(month)
        self._refresh_counts()

    def change_policy_from(self, key: str, value: Any, month: int | None = None, municipality: str = "all",
                           note: str = "") -> None:
        """Policy KEY = VALUE from `month` on (default: the next month run), recorded as a dated change of the run's
        scenario (`abm.scenario.change_policy_from`): the months already run stay as they were, and a fresh run of
        `self.p` with the same seed gives the same numbers. A month already run is refused with one line."""
        month = self.month + 1 if month is None else month
        if isinstance(month, int) and not isinstance(month, bool) and month <= self.month:
            raise ScenarioError(f"{key} from month {month}: month {self.month} has been run; allowed: a month from "
                                f"{self.month + 1} on")
        self.p = change_policy_from(self.p, key, value, month, municipality, note)

    def _set_policy(self, month: int) -> None:
        month = max(month, 0)   # the spin-up's months (negative) run under month 0's policy and stances
        stances = sector_stance.stances_at(self.p, month)
        if stances != self._stances:
            self._stances = stances
            self.sector_arrays = sector_stance.stance_arrays(stances)
        policies = [self.p.policy_at(i, month) for i in range(self.n_munis)]
        if policies == self._policies:
            return
        self._policies = policies
        self.muni_policy = {name: np.array([getattr(pol, name) for pol in policies])
                            for name in PolicyParams.model_fields}
        self.muni_policy["sanction_regime"] = self.muni_policy["regime"] == "sanction"
        self.policy_arrays = policy_arrays(self.muni_policy)

    def _build_region(self) -> None:
        self.region_graph = build_region_graph(self.p.municipalities, self.p.region)
        self.commute = commuting_matrix(self.p.municipalities, self.p.region)
        self.distance_km = distance_matrix(self.p.municipalities)
        self.destinations = Destinations(self.commute)

    def _build_people(self) -> None:
        p = self.p
        rng = self.streams["population"]
        table = agent_counts(p)
        counts = {g: table[:, j] for j, g in enumerate(PEOPLE_GROUPS)}
        self.e = employers.build(self, spin_up.funded_places(self), counts["sheltered"], self.streams["employers"],
                                 min_organisations=1 if p.spin_up_months else 0)
        self._index_employers()
        self.s = population.build_people(self, counts, rng)
        self.next_person_id = self.s.n
        skills.settle(self, np.flatnonzero(~S.is_paid(self.s.state)))   # what their months out of work took
        employer_stigma.static_labels(self.s, np.arange(self.s.n), p.stigma, rng)
        employer_stigma.init_beliefs(self.e, p.stigma, self.streams["beliefs"])
        employer_stigma.update_labels(self.s, p.stigma)   # wellbeing.settle below reads the labels
        # wellbeing starts at what each person's situation supports, with individual variation
        wellbeing.settle(self, rng)
        # the stock of open vacancies at the start
        firms = self.regular_firm_rows
        self.e.vacancies[firms] = self.streams["vacancies"].binomial(
            self.e.regular_jobs[firms], min(p.economy.vacancy_rate * p.economy.tightness, 1.0))

    def _index_employers(self) -> None:
        e = self.e
        self.regular_firm_rows = np.flatnonzero(e.kind == S.REGULAR_FIRM)
        muni = e.municipality[self.regular_firm_rows]
        bounds = np.searchsorted(muni, np.arange(self.n_munis + 1))
        self.regular_firms_in = [self.regular_firm_rows[bounds[m]:bounds[m + 1]] for m in range(self.n_munis)]

    def _initial_budgets(self) -> tuple[np.ndarray, np.ndarray]:
        flows = accounting.monthly(self)
        pol = self.muni_policy
        benefit_year = 12.0 * (flows["spend_benefits"] + flows["spend_subsidies"])
        bb_year = np.round(basisbaan.total_slots(self) / self.scale) * (
            pol["basisbaan_employer_cost_year"] * pol["basisbaan_hours"] / COST_REFERENCE_HOURS
            + pol["basisbaan_guidance_first"] * pol["basisbaan_hours"] * 52.0 * pol["basisbaan_guidance_hourly_cost"])
        capacity = np.bincount(self.e.municipality, weights=self.e.parallel_capacity, minlength=self.n_munis)
        other = 12.0 * (flows["spend_coaching"] + flows["spend_participation"]) + bb_year \
            + 12.0 * capacity * pol["parallel_funding_month"]
        return benefit_year, other

    def _ensure_agent_views(self) -> None:
        """Create the Mesa agent views on first use, so a headless run never pays for them."""
        if getattr(self, "_views_wanted", False) and not self._views_made:
            self._views_made = True
            self._create_agent_views()

    @property
    def agents(self):
        """Every agent (Mesa's AgentSet); the views of the state tables are made on first access."""
        self._ensure_agent_views()
        return super().agents

    @property
    def agents_by_type(self):
        self._ensure_agent_views()
        return super().agents_by_type

    @property
    def agent_types(self):
        self._ensure_agent_views()
        return super().agent_types

    @property
    def municipalities(self) -> list:
        """The Municipality agents, in the scenario's order."""
        self._ensure_agent_views()
        return self._municipality_views

    def _create_agent_views(self) -> None:
        from agents import Employer, JobSeeker, Municipality
        self._municipality_views = [Municipality(self, i) for i in range(self.n_munis)]
        for row in range(self.e.n):
            Employer(self, row)
        for row in range(self.s.n):
            JobSeeker(self, row)

    # --- state helpers --------------------------------------------------------------------------------
    def state_counts(self) -> np.ndarray:
        return np.bincount(self.s.state, minlength=S.N_STATES)

    def _refresh_counts(self) -> None:
        s = self.s
        self.bijstand_count = np.bincount(s.municipality[s.benefit == S.BIJSTAND], minlength=self.n_munis)

    def open_regular_slots(self) -> np.ndarray:
        return vacancies.open_slots(self, "regular")

    def open_parallel_slots(self) -> np.ndarray:
        return vacancies.open_slots(self, "parallel")

    def key(self, mechanism: str) -> np.uint64:
        """The key of a mechanism's draws this month (abm.rng: draws per person, common random numbers)."""
        cached = self._keys.get(mechanism)
        if cached is None or cached[0] != self.month:
            cached = (self.month, stream_key(self.seed_used, mechanism, self.month))
            self._keys[mechanism] = cached
        return cached[1]

    @property
    def tightness(self) -> float:
        return self.p.economy.tightness_at(max(self.month, 0))   # the spin-up: month 0's economy

    # --- the month ------------------------------------------------------------------------------------
    def step(self) -> None:
        """One month: every mechanism of the schedule in order (phase wall times in `phase_seconds`).

        The kernels use `threads_wanted` threads. Results are the same for any number of threads
        (tests/test_determinism.py)."""
        self.month += 1
        self.log.reset_flows()
        month = Month(self.month, self.state_counts())
        clock = _PhaseClock(self.phase_seconds, self.mechanism_seconds)
        threads = numba.get_num_threads()
        numba.set_num_threads(self.threads_wanted(threads))
        try:
            for phase, mechanism in self.schedule:
                with clock(phase, mechanism.name):
                    mechanism.step(self, month)
        finally:
            numba.set_num_threads(threads)
        if self.month >= self.p.months:
            self.running = False

    def threads_wanted(self, available: int) -> int:
        """Threads of this run's kernels: `kernel_threads` if set (benchmarks); else one for a run of fewer than
        PLM_PARALLEL_MIN_AGENTS people (starting threads costs more than it gains), and PLM_THREADS (default one)
        for a larger run, at most the `available` ones."""
        if self.kernel_threads:
            return self.kernel_threads
        if self.s.n < self.parallel_min_agents:
            return 1
        return max(1, min(self.env_threads, available))

    def run(self, months: int | None = None, progress=None) -> None:
        """Run `months` more months (default: to the scenario's end); `progress(month)` is called after each."""
        target = self.month + months if months is not None else self.p.months
        while self.month < target:
            self.step()
            if progress is not None:
                progress(self.month)

    # --- outputs --------------------------------------------------------------------------------------
    def timeseries(self):
        """The monthly metrics as a DataFrame, one row per month (0 = the start)."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return df[self.metric_columns]

    def transitions(self):
        """The event log as a DataFrame (month, person_id, from_state, to_state, municipality, reason)."""
        return self.log.to_frame()

    def basisbaan_placements(self):
        """Every basisbaan placement: month, person, municipality, age, months on benefit, single, wellbeing."""
        return basisbaan.placements_frame(self)

    def ledger_frame(self):
        """Every booking of the run: month, item, payer, payee, amount (EUR, people's scale)."""
        return self.ledger.frame()

    def funnel(self):
        """Basisbaan recruitment funnel counts per municipality (people)."""
        import pandas as pd
        df = pd.DataFrame(self.funnel_counts * self.scale, columns=list(S.FUNNEL_OUTCOMES),
                          index=self.municipality_names)
        return df.drop(columns="not_interviewed")
