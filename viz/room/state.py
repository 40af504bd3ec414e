"""A workshop room: one shared model that participants steer round by round (HubNet-style; issue 11 §1).

The rule: a room holds ONE model (and a no-policy baseline on the same seed). Each round, every role decides;
when the facilitator advances, the decisions become dated `[[policy_changes]]` (and `[[sector_changes]]`) from
the next month on (`abm.scenario.PolicyChange`, `abm.sector_stance.SectorChange`: the same machinery a scenario
file uses, so the model is never restarted), and both
models run the round's period. `Room.scenario_toml()` writes the room's decisions as a scenario file that
`plm run --scenario FILE --seed SEED` replays with the same numbers (tests/test_room_state.py checks this byte
for byte on `timeseries.csv`).

Roles:
- `municipality:NAME` — one per municipality: its policy levers (MUNICIPALITY_LEVERS, among them whether the
  wage-cost subsidy and the no-risk policy are offered), dated changes for it alone;
- `employers:SECTOR` — one per sector (sector1 .. sectorN, abm/sector_stance.py): the sector's hiring stance
  (EMPLOYER_LEVERS: its use of the wage-cost subsidy, its willingness to hire from the register, its temporary
  contracts) as dated `[[sector_changes]]` for that sector;
- `seeker:N` — follows one person (chosen from the seed) who starts on bijstand and decides, round by round, how
  that person answers the round's offers of a job or a basisbaan place (SEEKER_CHOICES: accept, refuse, or let
  the model's acceptance rule decide), seeing what a job would do to their net income. A decision is a dated
  `[[person_decisions]]` entry for that person from the round's first month (`abm.scenario.PersonDecision`,
  applied by abm/person_decisions.py) and holds for that round only: a round without one returns the person to
  the model's rule.
Several participants may hold one role (a team); the last decision a team member sends for the round counts.

This module imports no UI: the Solara pages (`viz.room.pages`) only call it. State lives server-side in
`ROOMS`, keyed by the room's code; a room is freed when it is closed or idle longer than `IDLE_SECONDS`.
"""

from __future__ import annotations

import math
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
import tomli_w

from abm import by_municipality, money, person_decisions
from abm import states as S
from abm.accounts import PARTIES
from abm.metric_labels import read
from abm.model import LabourMarketModel
from abm.policy import PolicyParams
from abm.scenario import PersonDecision, PolicyChange, ScenarioError, preset_names
from abm.scenario import scenario_data as resolve_spec
from abm.sector_stance import STANCE_KEYS, SectorChange, SectorStance, check_stance, sector_names, stances_at
from viz import liveness

MUNICIPALITY_LEVERS = ("basisbaan_slots", "basisbaan_acquisition", "basisbaan_acquisition_hours", "caseload", "regime",
                       "earnings_disregard_share", "additionality_test", "participation_places_per_100",
                       "lks_enabled", "no_risk_policy")
EMPLOYER_LEVERS = STANCE_KEYS   # a sector's hiring stance (abm.sector_stance.SectorStance)
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 5
# a room no connected page has looked at for this long is freed (PLM_ROOM_IDLE_SECONDS sets it, for tests)
IDLE_SECONDS = float(os.environ.get("PLM_ROOM_IDLE_SECONDS", 15 * 60))
MAX_ROOMS = 20                  # rooms one server holds at once (each holds two models)
SEEKER_ROLES = 2                # job-seeker roles per room
PERIODS = (1, 3, 6, 12, 24)     # months a round may advance
COLLECT = (by_municipality.MECHANISM,)   # the models' optional collector: the results per municipality
LANGS = ("en", "nl")            # the languages of the room's pages (viz.room.text)
JOB_HOURS = (12, 24, 32)        # the jobs a job-seeker role is shown the net gain of (hours a week, minimum wage)
SEEKER_LEVER = "offers"         # a job-seeker role's one decision: how its person answers this round's offers
SEEKER_CHOICES = ("accept", "refuse", "model")   # abm.scenario.PersonDecision.decision


class RoomError(ValueError):
    """A request the room refuses; the message is one line: what, the value, what is allowed."""


@dataclass
class Role:
    id: str
    kind: str                     # "municipality" | "employers" | "seeker"
    label: str
    levers: tuple[str, ...] = ()
    municipality: str = "all"     # the policy_changes target; a seeker's: their person's (the debrief's figures)
    person_id: int | None = None  # seeker roles
    sector: str | None = None     # employers roles: the sector_changes target

    @property
    def decides(self) -> bool:
        return bool(self.levers)

    def field(self, key: str):
        """The schema field of lever `key` (its type for the form): a stance key for employers, else a policy key."""
        return (SectorStance if self.kind == "employers" else PolicyParams).model_fields[key]


@dataclass
class Participant:
    token: str
    name: str
    role: str | None = None
    last_seen: float = 0.0


@dataclass
class Decision:
    role: str
    round: int
    month: int                   # the first month the decision applies
    values: dict[str, Any]       # the lever values chosen (all of the role's levers)
    changed: dict[str, Any]      # those that differ from the policy in effect: the dated change
    by: list[str]                # participant names (or "facilitator")


@dataclass
class RoundRecord:
    round: int
    start: int
    end: int
    decisions: list[Decision]
    municipalities: list[dict[str, Any]]     # per municipality, at the end of the round (municipality_figures)
    baseline: list[dict[str, Any]]


def _new_code(taken) -> str:
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def normalise_code(text: str) -> str:
    """A code as typed (any case, spaces) in the form rooms are keyed by."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def municipality_figures(model: LabourMarketModel, start: int) -> list[dict[str, Any]]:
    """Each municipality's figures for the months start+1..now, read from the model's results per municipality
    (`abm.by_municipality`, the definitions of docs/model.md §Results per municipality):

    - inclusion: `inclusion_rate` now; displacement_per_100: `displacement_per_100` as a run's figure is read
      (abm.metric_labels.read: the mean over the last 12 months run);
    - throughput: `throughput_rate` averaged over the months start+1..now (moves to regular work per month, per
      person in subsidised work): a run's figure (abm.metric_labels.read, over the run) when start is 0;
    - net_cost: `municipal_net_cost` (spend - receipts, EUR) summed over the months;
    - basisbaan, people: `n_basisbaan`, `seekers` now.
    At month 0 (start = now = 0) the sums and the mean are over no months: 0.
    """
    df = by_municipality.frame(model)
    now = df[df["month"] == model.month].set_index("municipality", drop=False)
    span = df[(df["month"] > start) & (df["month"] <= model.month)].groupby("municipality", observed=False)
    net_cost = span["municipal_net_cost"].sum()
    throughput = span["throughput_rate"].mean()
    displacement = {name: read(rows, "displacement_per_100")
                    for name, rows in df[df["month"] <= model.month].groupby("municipality", observed=False)}
    out = []
    for name in model.municipality_names:
        row = now.loc[name]
        out.append({
            "municipality": name,
            "inclusion": float(row["inclusion_rate"]),
            "displacement_per_100": displacement[name],
            "throughput": float(throughput.get(name, 0.0)) if model.month > start else 0.0,
            "net_cost": float(net_cost.get(name, 0.0)) if model.month > start else 0.0,
            "basisbaan": float(row["n_basisbaan"]),
            "people": float(row["seekers"]),
        })
    return out


class Room:
    """One workshop room (see the module docstring for the rule). Every method is safe to call from several
    sessions' threads: one lock guards the room."""

    def __init__(self, code: str, scenario: str = "default", seed: int = 42, overrides: dict | None = None,
                 period: int = 12, clock: Callable[[], float] = time.monotonic):
        self.code = code
        self.scenario = scenario
        self.seed = seed
        self.overrides = dict(overrides or {})
        self.clock = clock
        self.lock = threading.RLock()
        self.facilitator_token = secrets.token_urlsafe(12)
        # both collect the results per municipality (abm.by_municipality: it draws nothing and changes nothing)
        self.model = LabourMarketModel(scenario, seed=seed, agent_views=False, mechanisms=COLLECT, **self.overrides)
        self.baseline = LabourMarketModel(scenario, seed=seed, agent_views=False, mechanisms=COLLECT,
                                          **self.overrides)
        for obj, kind in ((self, "rooms"), (self.model, "models"), (self.baseline, "models")):
            liveness.track(kind, obj)    # counted while reachable (viz.liveness; tests/test_room_memory.py)
        self.roles: dict[str, Role] = {}
        for name in self.model.municipality_names:
            self.roles[f"municipality:{name}"] = Role(f"municipality:{name}", "municipality", name,
                                                      MUNICIPALITY_LEVERS, name)
        for sector in sector_names(self.model.p.employers.sectors):
            rid = f"employers:{sector}"
            self.roles[rid] = Role(rid, "employers", f"Employers, {sector}", EMPLOYER_LEVERS, "all", sector=sector)
        for i, (pid, home) in enumerate(self._pick_people(SEEKER_ROLES)):
            self.roles[f"seeker:{i + 1}"] = Role(f"seeker:{i + 1}", "seeker", f"Job seeker {i + 1}",
                                                 (SEEKER_LEVER,), home, person_id=pid)
        self.participants: dict[str, Participant] = {}
        self.period = self.check_period(period)
        self.round = 1
        self.deadline: float | None = None
        self.pending: dict[str, Decision] = {}
        self.decisions: list[Decision] = []
        self.history: list[RoundRecord] = []
        self.closed = False
        self.lang = "en"                 # the language of the room's pages (viz.room.text)
        self.version = 0                 # bumped on every change: pages redraw when it moves
        self.changed = threading.Condition()   # notified on every bump (`wait_change`); not the room's lock
        self.last_active = clock()
        self.history.append(RoundRecord(0, 0, 0, [], municipality_figures(self.model, 0),
                                        municipality_figures(self.baseline, 0)))

    # --- roles and participants ------------------------------------------------------------------------
    def _pick_people(self, n: int) -> list[tuple[int, str]]:
        """`n` people on bijstand and unemployed at month 0, chosen from the seed (the same in every replay): their
        person_id and municipality."""
        s = self.model.s
        rows = np.flatnonzero((s.state == S.UNEMPLOYED) & (s.benefit == S.BIJSTAND))
        rng = np.random.default_rng([self.seed, 11])
        chosen = rng.choice(rows, size=min(n, rows.size), replace=False) if rows.size else []
        return [(int(s.person_id[r]), self.model.municipality_names[s.municipality[r]]) for r in chosen]

    def _bump(self) -> None:
        self.version += 1
        self.last_active = self.clock()
        with self.changed:
            self.changed.notify_all()

    def wait_change(self, seen: int, timeout: float) -> bool:
        """Block until the room's version is no longer `seen` (or the room closed), at most `timeout` seconds;
        True if it changed. The pages wait here, so a round's figures reach every screen as soon as the round is
        run, not at the page's next poll (`viz.room.pages.use_room`)."""
        with self.changed:
            return self.changed.wait_for(lambda: self.version != seen or self.closed, timeout)

    def touch(self) -> None:
        self.last_active = self.clock()

    def role(self, role_id: str) -> Role:
        if role_id not in self.roles:
            raise RoomError(f"role = {role_id!r}: allowed: {', '.join(self.roles)}")
        return self.roles[role_id]

    def join(self, name: str, role_id: str | None = None) -> str:
        """A new participant; returns their token (kept in their URL, so a reload gives the role back)."""
        name = " ".join(str(name).split())[:40]
        if not name:
            raise RoomError("name = '': allowed: a name of 1 to 40 characters")
        with self.lock:
            if self.closed:
                raise RoomError(f"room {self.code} is closed")
            if role_id is not None:
                self.role(role_id)
            token = secrets.token_urlsafe(12)
            self.participants[token] = Participant(token, name, role_id, self.clock())
            self._bump()
            return token

    def participant(self, token: str) -> Participant:
        p = self.participants.get(token)
        if p is None:
            raise RoomError(f"participant token {token[:6]!r}...: not in room {self.code}; join again with the code")
        p.last_seen = self.clock()
        self.last_active = p.last_seen
        return p

    def choose_role(self, token: str, role_id: str | None) -> None:
        """A participant picks a role (or None); teams are allowed, so a held role can be chosen too."""
        with self.lock:
            if role_id is not None:
                self.role(role_id)
            self.participant(token).role = role_id
            self._bump()

    def assign(self, token: str, role_id: str | None) -> None:
        """The facilitator (re)assigns a participant's role."""
        self.choose_role(token, role_id)

    def holders(self, role_id: str) -> list[Participant]:
        return [p for p in self.participants.values() if p.role == role_id]

    # --- decisions -----------------------------------------------------------------------------------------
    def policy_now(self, role_id: str) -> dict[str, Any]:
        """The values of a role's levers in effect now (the policy of the month just run)."""
        with self.lock:
            return self._policy_now(self.role(role_id))

    def _policy_now(self, role: Role) -> dict[str, Any]:
        if role.kind == "seeker":
            return {SEEKER_LEVER: self._standing(role.person_id)}
        if role.kind == "employers":
            code = sector_names(self.model.p.employers.sectors).index(role.sector)
            stance = stances_at(self.model.p, self.model.month + 1)[code]
            return {key: getattr(stance, key) for key in role.levers}
        names = self.model.municipality_names
        index = names.index(role.municipality) if role.municipality != "all" else 0
        pol = self.model.p.policy_at(index, self.model.month + 1)
        return {key: getattr(pol, key) for key in role.levers}

    def _standing(self, person_id: int) -> str:
        """The person's decision standing now (for the next month): accept, refuse or model."""
        return person_decisions.choices(self.model.p, self.model.month + 1).get(person_id, "model")

    def decide(self, role_id: str, values: dict[str, Any], by: str) -> None:
        """Record a role's decision for this round (checked now; it takes effect when the round advances)."""
        with self.lock:
            role = self.role(role_id)
            if not role.decides:
                raise RoomError(f"role {role.label} has no levers to decide")
            extra = sorted(set(values) - set(role.levers))
            if extra:
                raise RoomError(f"{role.label}.{extra[0]}: not a lever of this role; allowed: {', '.join(role.levers)}")
            if role.kind == "seeker":
                choice = values.get(SEEKER_LEVER)
                if choice not in SEEKER_CHOICES:
                    raise RoomError(f"{role.label}.{SEEKER_LEVER} = {choice!r}: allowed: {', '.join(SEEKER_CHOICES)}")
            elif role.kind == "employers":
                try:   # the scenario's own check of a stance (one line)
                    check_stance(SectorStance(), values, role.label)
                except ValueError as exc:
                    raise RoomError(str(exc)) from None
            else:
                names = self.model.municipality_names
                index = names.index(role.municipality) if role.municipality != "all" else 0
                try:   # the scenario's own check: unknown keys, ranges, types without coercion (one line)
                    self.model.p.resolved_policy(index, values)
                except ValueError as exc:
                    raise RoomError(str(exc).replace("policy change", role.label)) from None
            now = self.policy_now(role_id)
            full = {**now, **values}
            changed = {k: v for k, v in full.items() if v != now[k]}
            self.pending[role_id] = Decision(role_id, self.round, self.model.month + 1, full, changed, [by])
            self._bump()

    def deciding_roles(self) -> list[str]:
        """Roles that must decide before a round may advance: those with levers and at least one holder."""
        return [r for r, role in self.roles.items() if role.decides and self.holders(r)]

    def all_decided(self) -> bool:
        return all(r in self.pending for r in self.deciding_roles())

    # --- rounds --------------------------------------------------------------------------------------------
    @staticmethod
    def check_period(period: Any) -> int:
        if isinstance(period, bool) or not isinstance(period, int) or period not in PERIODS:
            raise RoomError(f"period = {period!r}: allowed: one of {', '.join(map(str, PERIODS))} months")
        return period

    def set_period(self, period: int) -> None:
        with self.lock:
            self.period = self.check_period(period)
            self._bump()

    def set_lang(self, lang: str) -> None:
        if lang not in LANGS:
            raise RoomError(f"lang = {lang!r}: allowed: {', '.join(LANGS)}")
        with self.lock:
            self.lang = lang
            self._bump()

    def start_timer(self, seconds: float) -> None:
        if not (isinstance(seconds, (int, float)) and 0 < seconds <= 3600 and math.isfinite(seconds)):
            raise RoomError(f"timer = {seconds!r}: allowed: 1 to 3600 seconds")
        with self.lock:
            self.deadline = self.clock() + float(seconds)
            self._bump()

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - self.clock())

    def ready(self) -> bool:
        """A round may advance: everyone who decides has decided, or the timer ran out."""
        return self.all_decided() or (self.deadline is not None and self.clock() >= self.deadline)

    @property
    def finished(self) -> bool:
        return self.model.month >= self.model.p.months

    def tick(self) -> bool:
        """Advance if a timer was set and the round is ready (called by the facilitator's page every second)."""
        with self.lock:
            if self.deadline is not None and self.ready() and not self.finished:
                self.advance()
                return True
            return False

    def advance(self) -> RoundRecord:
        """Apply this round's decisions as dated policy changes from the next month, run the period on the model
        and the baseline, and open the next round."""
        with self.lock:
            if self.closed:
                raise RoomError(f"room {self.code} is closed")
            if self.finished:
                raise RoomError(f"the run has reached its last month ({self.model.p.months}); nothing to advance")
            start = self.model.month
            decided = [self.pending[r] for r in self.roles if r in self.pending]
            for d in decided:
                role = self.roles[d.role]
                note = f"room {self.code}, round {d.round}: {role.label} ({', '.join(d.by)})"
                if d.changed and role.kind == "employers":
                    self.model.p.sector_changes.append(SectorChange(month=start + 1, sector=role.sector,
                                                                    set=dict(d.changed), note=note))
                elif d.changed and role.kind != "seeker":
                    self.model.p.policy_changes.append(PolicyChange(
                        month=start + 1, municipality=role.municipality, set=dict(d.changed), note=note))
            self._person_decisions(start + 1)
            months = min(self.period, self.model.p.months - start)
            self.model.run(months)
            self.baseline.run(months)
            record = RoundRecord(self.round, start, self.model.month, decided,
                                 municipality_figures(self.model, start),
                                 municipality_figures(self.baseline, start))
            self.history.append(record)
            self.decisions.extend(decided)
            self.pending = {}
            self.deadline = None
            self.round += 1
            self._bump()
            return record

    def _person_decisions(self, month: int) -> None:
        """The job seekers' decisions of this round as dated person decisions from `month`; a seeker role that did
        not decide this round returns its person to the model's rule (a decision holds for one round)."""
        for rid, role in self.roles.items():
            if role.kind != "seeker":
                continue
            pending = self.pending.get(rid)
            choice = pending.values[SEEKER_LEVER] if pending else "model"
            if choice != self._standing(role.person_id):
                by = ", ".join(pending.by) if pending else "no decision"
                self.model.p.person_decisions.append(PersonDecision(
                    month=month, person_id=role.person_id, decision=choice,
                    note=f"room {self.code}, round {self.round}: {role.label} ({by})"))

    def release(self) -> None:
        """Close the room and drop its two models, so their memory is freed even while a page still shows the
        room (a page of a closed room shows only that it is closed)."""
        with self.lock:
            self.closed = True
            self.model = self.baseline = None
            self.pending = {}
            self._bump()

    # --- reading -------------------------------------------------------------------------------------------
    # Reading takes the room's lock: a page drawing while the facilitator advances waits for the round to finish
    # instead of reading a model in the middle of a month.
    def timeseries(self) -> pd.DataFrame:
        with self.lock:
            return self.model.timeseries()

    def timeseries_csv(self) -> str:
        """The room's time series as `plm run` writes `timeseries.csv` (experiments.runner.write_outputs)."""
        with self.lock:
            return self.timeseries().to_csv(index=False, lineterminator="\n")

    def baseline_timeseries(self) -> pd.DataFrame:
        with self.lock:
            return self.baseline.timeseries()

    def person(self, role_id: str) -> dict[str, Any]:
        """A seeker role's person now: labour state, benefit, debts, their moves so far, and, while out of work, the
        net monthly gain of a minimum-wage job of JOB_HOURS hours a week over their benefit (`abm.money.net_gain`,
        the rule the model's people weigh: the poverty trap)."""
        with self.lock:
            return self._person(self.role(role_id))

    def _person(self, role: Role) -> dict[str, Any]:
        s = self.model.s
        rows = np.flatnonzero(s.person_id == role.person_id)
        tr = self.model.log.to_frame()
        moves = tr[tr["person_id"] == role.person_id][["month", "from_state", "to_state", "reason"]]
        if not rows.size:   # reached pension age: the seat has a new person
            return {"person_id": role.person_id, "present": False, "moves": moves.to_dict("records")}
        r = rows[0]
        gains = {}
        if s.state[r] == S.UNEMPLOYED:   # what a job at the minimum wage would add to their net income a month
            gains = {h: float(money.net_gain(self.model, np.array([r]), float(h))[0]) for h in JOB_HOURS}
        return {"person_id": role.person_id, "present": True, "state": S.STATE_NAMES[s.state[r]],
                "gains": gains, "debts": float(s.debts[r]),
                "benefit": S.BENEFIT_NAMES[s.benefit[r]],
                "municipality": self.model.municipality_names[s.municipality[r]],
                "age": float(s.age[r]) if hasattr(s, "age") else None,
                "moves": moves[moves["month"] > 0].to_dict("records")}

    def budget(self, municipality: str) -> dict[str, float]:
        """A municipality's budget now (EUR): what is left of this year's benefit and participation budgets, and
        the deficit recorded so far (`abm.accounting.Budgets`)."""
        with self.lock:
            i = self.model.municipality_names.index(municipality)
            b, k = self.model.budgets, self.model.scale
            return {"left": float((b.benefit_left[i] + b.participation_left[i]) * k),
                    "deficit": float(b.deficit[i] * k)}

    def status(self) -> dict[str, Any]:
        """Who holds which role and who has decided (the projector's and facilitator's view)."""
        with self.lock:
            rows = []
            for rid, role in self.roles.items():
                rows.append({"role": rid, "label": role.label, "kind": role.kind,
                             "holders": [p.name for p in self.holders(rid)],
                             "decided": rid in self.pending, "decides": role.decides})
            return {"code": self.code, "round": self.round, "month": self.model.month,
                    "months": self.model.p.months, "period": self.period, "seconds_left": self.seconds_left(),
                    "roles": rows, "participants": len(self.participants), "finished": self.finished}

    def accounts(self) -> pd.DataFrame:
        """Who paid and who gained: each party's net account summed over the months run (EUR, + = gains), for
        the room, the no-policy baseline on the same seed, and the difference (`abm.accounts.PARTIES`)."""
        with self.lock:
            rows = {}
            for label, ts in (("room", self.timeseries()), ("baseline", self.baseline_timeseries())):
                rows[label] = {p: float(ts[f"account_{p}_net"].iloc[1:].sum()) for p in PARTIES}
            df = pd.DataFrame(rows).T
            df.loc["difference"] = df.loc["room"] - df.loc["baseline"]
            return df

    def municipal_comparison(self) -> pd.DataFrame:
        """Per municipality over the whole run, the room against the baseline: inclusion now, displacement per
        100 over the last year, net cost since month 0 (`municipality_figures`), and their differences."""
        with self.lock:
            room = pd.DataFrame(municipality_figures(self.model, 0)).set_index("municipality")
            base = pd.DataFrame(municipality_figures(self.baseline, 0)).set_index("municipality")
            out = pd.DataFrame(index=room.index)
            for col in ("inclusion", "displacement_per_100", "net_cost"):
                out[col] = room[col]
                out[f"{col}_baseline"] = base[col]
                out[f"{col}_difference"] = room[col] - base[col]
            return out

    def decision_effects(self) -> list[dict[str, Any]]:
        """Each decision next to what followed: in the role's municipality (the region for the employers), the
        inclusion and net cost of the round against the baseline's. The room's difference from the baseline is what
        every decision so far caused together; a round's row shows how it moved while this decision held."""
        with self.lock:
            out = []
            for rec in self.history[1:]:
                for d in rec.decisions:
                    role = self.roles[d.role]
                    names = [role.municipality] if role.municipality != "all" else self.model.municipality_names
                    mine = [f for f in rec.municipalities if f["municipality"] in names]
                    theirs = [f for f in rec.baseline if f["municipality"] in names]
                    people = sum(f["people"] for f in mine) or 1.0
                    inc = sum(f["inclusion"] * f["people"] for f in mine) / people
                    inc_b = sum(f["inclusion"] * f["people"] for f in theirs) / people
                    out.append({"round": rec.round, "months": f"{rec.start + 1}-{rec.end}", "role": role.label,
                                "role_id": d.role,
                                "by": ", ".join(d.by), "changed": d.changed,
                                "inclusion": inc, "inclusion_difference": inc - inc_b,
                                "net_cost": sum(f["net_cost"] for f in mine),
                                "net_cost_difference": (sum(f["net_cost"] for f in mine)
                                                        - sum(f["net_cost"] for f in theirs))})
            return out

    def scenario_data(self) -> dict[str, Any]:
        """The room as a scenario: its preset as `base` (or a scenario file's whole content), the room's overrides
        and every dated policy and sector change (the scenario's own and the room's, since a list replaces the
        base's whole)."""
        if self.scenario in preset_names():
            data: dict[str, Any] = {"base": self.scenario}
        else:   # a scenario file: its whole content (its own base resolved), so the export stands alone
            data = dict(resolve_spec(self.scenario)[0])
        data.update({"name": f"room-{self.code.lower()}",
                     "description": f"workshop room {self.code}: {len(self.history) - 1} rounds, seed {self.seed}"})
        data.update(self.overrides)
        data["policy_changes"] = [c.model_dump(mode="json") for c in self.model.p.policy_changes]
        if self.model.p.sector_changes:
            data["sector_changes"] = [c.model_dump(mode="json") for c in self.model.p.sector_changes]
        if self.model.p.person_decisions:
            data["person_decisions"] = [d.model_dump(mode="json") for d in self.model.p.person_decisions]
        return data

    def scenario_toml(self) -> str:
        head = (f"# The decisions of workshop room {self.code}, as dated policy and sector changes and person "
                "decisions.\n"
                f"# Replay: plm run --scenario room-{self.code.lower()}.toml --seed {self.seed} "
                f"--months {self.model.month}\n")
        return head + tomli_w.dumps(self.scenario_data())


@dataclass
class Rooms:
    """Every open room of this server, keyed by code; idle rooms are freed by `sweep`."""

    clock: Callable[[], float] = time.monotonic
    idle_seconds: float = IDLE_SECONDS
    limit: int = MAX_ROOMS
    rooms: dict[str, Room] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    sweep_every: float = min(60.0, IDLE_SECONDS / 2)
    _sweeper: threading.Thread | None = None

    def _start_sweeper(self) -> None:
        """A daemon thread that sweeps every `sweep_every` seconds, so a room nobody looks at any more is freed
        even when no page of this server is open."""
        if self._sweeper is not None and self._sweeper.is_alive():
            return

        def loop():
            while True:
                time.sleep(self.sweep_every)
                self.sweep()

        self._sweeper = threading.Thread(target=loop, name="plm-room-sweeper", daemon=True)
        self._sweeper.start()

    def open(self, scenario: str = "default", seed: int = 42, overrides: dict | None = None,
             period: int = 12, sweeper: bool = True) -> Room:
        self.sweep()
        if sweeper:
            self._start_sweeper()
        with self.lock:
            if len(self.rooms) >= self.limit:
                raise RoomError(f"rooms open = {len(self.rooms)}: allowed: at most {self.limit}; close one first")
            code = _new_code(self.rooms)
            self.rooms[code] = None  # reserve the code while the models are built
        try:
            room = Room(code, scenario, seed, overrides, period, clock=self.clock)
        except (ScenarioError, RoomError):
            with self.lock:
                self.rooms.pop(code, None)
            raise
        with self.lock:
            self.rooms[code] = room
        return room

    def get(self, code: str) -> Room | None:
        """The open room with this code, or None (looking does not keep a room alive: connected pages do)."""
        return self.rooms.get(normalise_code(code))

    def close(self, code: str) -> None:
        """Close a room: drop it from the registry and its models (`Room.release`), then collect and give the
        freed memory back to the system (`viz.liveness.release`)."""
        with self.lock:
            room = self.rooms.pop(normalise_code(code), None)
        if room is not None:
            room.release()
            del room
            liveness.release()

    def sweep(self) -> list[str]:
        """Close rooms idle longer than `idle_seconds`; returns their codes."""
        now = self.clock()
        idle = [c for c, r in list(self.rooms.items()) if r is not None and now - r.last_active > self.idle_seconds]
        for code in idle:
            self.close(code)
        return idle

    def __len__(self) -> int:
        return sum(r is not None for r in self.rooms.values())


ROOMS = Rooms()
