"""Classic per-agent Mesa reference of the search-and-hiring phase: the slow baseline of `plm bench --classic`.

The model runs each month's search (abm/search.py) and hiring (abm/hiring.py) vectorised over the numpy
columns of `model.s` and `model.e`. This module states EXACTLY the same rules in classic Mesa style, as in
Mesa's bundled examples: every job seeker and every employer is a `mesa.Agent` with plain Python attributes,
the month is a loop over agents calling their methods (`shuffle_do("search")`, then the two job pools), and
every random number is a per-agent draw from the world's Python `random.Random` (`mesa.Model.random`).

It serves two purposes: `plm bench --classic` times it against the vectorised phase, and
tests/test_classic_reference.py checks the vectorised code against this readable statement of the rules
(the two agree statistically; their draws differ, their rules do not).

    world = build_classic(model)              # copy the model's current state into agents (not timed)
    counts = run_classic_phase(world, seed)   # one month of search and hiring (the part to time)

The phase records its outcome on the agents (effort, sanction, hire) and the world (`offers`, `hires`) but
leaves their lasting state (labour state, benefit, employer, vacancies) unchanged, so one world can be run with
many seeds. Every method names the vectorised function whose rule it mirrors. The code is written plainly, the
way a Mesa model usually is, and not tuned: it is the baseline, not a competitor.
"""

from __future__ import annotations

import bisect
import math
from itertools import accumulate

import mesa

from abm import states as S

__all__ = ["ClassicWorld", "JobSeeker", "Employer", "Municipality", "build_classic", "run_classic_phase"]


def logistic(x: float) -> float:
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def poisson(rand, mean: float) -> int:
    """An exact Poisson(mean) draw by Knuth's multiplication method (means here are at most max_applications)."""
    limit = math.exp(-mean)
    k = 0
    prod = rand.random()
    while prod > limit:
        k += 1
        prod *= rand.random()
    return k


class Municipality(mesa.Agent):
    """A municipality: its policy settings, its row of the commuting matrix and this month's open places."""

    def __init__(self, model: "ClassicWorld", index: int, policy: dict, commute_row: list[float]):
        super().__init__(model)
        self.index = index
        self.policy = policy                      # one municipality's slice of model.muni_policy, plain Python
        cum = list(accumulate(commute_row))
        cum[-1] = 1.0                             # as environments.region.cumulative_offsets
        self.commute_cum = cum
        self.regular_places: list[Place] = []
        self.parallel_places: list[Place] = []

    def destination(self) -> "Municipality":
        """Where one application from here goes (environments/region.py sample_destinations)."""
        j = bisect.bisect_right(self.commute_cum, self.random.random())
        return self.model.municipalities[min(j, len(self.commute_cum) - 1)]

    @staticmethod
    def ring(places: list["Place"]) -> tuple[list["Place"], list[float]]:
        """This month's open places of a pool in the order of their points on the circle."""
        ring = sorted(places, key=lambda place: place.point)
        return ring, [place.point for place in ring]

    def random_place(self, ring: tuple[list["Place"], list[float]]) -> "Place | None":
        """An open place of this municipality (environments/pools.py pick_place): every open place sits at its
        own random point on a circle; the application goes to the first place at or after a point of its own."""
        places, points = ring
        if not places:
            return None
        j = bisect.bisect_left(points, self.random.random())
        return places[j % len(places)]


class Place:
    """One open place this month: a regular vacancy (with its hours) or a free parallel place."""

    __slots__ = ("employer", "hours", "applications", "point")

    def __init__(self, employer: "Employer", hours: float | None):
        self.employer = employer
        self.hours = hours
        self.applications: list[Application] = []
        self.point = employer.random.random()   # where the place sits on its municipality's circle


class Application:
    """One application of a person to a place, with what the employer made of it."""

    __slots__ = ("seeker", "place", "referral", "hours", "temporary", "subsidy", "score", "acceptable")

    def __init__(self, seeker: "JobSeeker", place: Place, hours: float, referral: bool = False):
        self.seeker = seeker
        self.place = place
        self.referral = referral
        self.hours = hours
        self.temporary = False
        self.subsidy = 0.0
        self.score = 0.0
        self.acceptable = False


class JobSeeker(mesa.Agent):
    """A person at the margin of the labour market; attributes are copied from one row of `model.s`."""

    def __init__(self, model: "ClassicWorld", row: int, home: Municipality, **attrs):
        super().__init__(model)
        self.row = row
        self.home = home
        self.employer: Employer | None = None
        self.ties: list[JobSeeker] = []
        self.__dict__.update(attrs)   # state, benefit, household, skill, label, ... (see build_classic)
        self.reset_month()

    def reset_month(self) -> None:
        """Clear what the last run of the phase recorded on this person."""
        self.searching = False
        self.effort = 0.0
        self.sanctioned = False
        self.regular_applications = 0
        self.parallel_applications = 0
        self.referral_employer: Employer | None = None
        self.hired = ""

    # --- who searches, and how hard (abm/search.py) ------------------------------------------------------
    def can_search(self) -> bool:
        """Out of work and able (incl. non-claimants), or on the job in subsidised work (search.searchers)."""
        if self.state in (S.UNEMPLOYED, S.PARTICIPATION, S.PARALLEL, S.BASISBAAN):
            return True
        return (self.state == S.INACTIVE and self.benefit == S.NO_BENEFIT
                and self.health_hours >= self.model.p.activation.exempt_capacity)

    def net_gain(self, hours: float) -> float:
        """Net monthly gain of a job of `hours` a week over the current benefit (abm/money.py net_gain)."""
        m, econ = self.model.p.money, self.model.p.economy
        if not m.enabled:
            return 100.0
        earnings = econ.wml_net_month * hours / econ.fulltime_hours
        pol = self.home.policy
        if self.benefit == S.BIJSTAND:
            norm = m.bijstand_net_single if self.household == S.SINGLE else m.bijstand_net_couple
            if earnings < norm:   # partial benefit tops up: only the disregard is gained, weighed over the horizon
                months_left = max(pol["earnings_disregard_months"] - self.disregard_months, 0)
                disregard = min(pol["earnings_disregard_share"] * earnings, pol["earnings_disregard_cap"])
                gain = disregard * min(months_left, m.horizon_months) / m.horizon_months
            else:                 # the benefit ends; falling allowances take a share of the difference
                gain = (earnings - norm) * (1 - m.allowance_loss_share)
        elif self.benefit == S.WW:
            other = m.other_benefit_share * econ.wml_net_month
            gain = earnings - (other if hours >= econ.fulltime_hours / 2 else min(other, earnings))
        elif self.benefit == S.DISABILITY:
            gain = 0.5 * earnings
        else:
            gain = earnings
        gain -= m.work_costs
        if self.debts > m.problem_debt_threshold and gain > 0:
            gain *= 1 - m.garnish_share
        return gain

    def motivation(self) -> float:
        """Logistic in the net gain of the better of a full-time and a part-time job plus the value put on work
        (search.effort)."""
        p = self.model.p
        part_time = self.net_gain(p.search.part_time_hours)
        if self.health_hours >= p.search.full_capacity_hours:  # able to work full time: the better of the two
            gain = max(self.net_gain(p.economy.fulltime_hours), part_time) + self.intrinsic
        else:
            gain = part_time + self.intrinsic
        return logistic(gain / p.search.money_scale)

    def why_try_factor(self) -> float:
        """Self-stigma lowers effort (abm/self_stigma.py effort_factor)."""
        p = self.model.p.self_stigma
        return 1.0 - p.why_try * self.self_stigma if p.enabled else 1.0

    def health_factor(self) -> float:
        """Capacity below full_capacity_hours limits search (search.effort)."""
        return min(max(self.health_hours / self.model.p.search.full_capacity_hours, 0.0), 1.0)

    def on_the_job_factor(self) -> float:
        """Less search while in parallel or basisbaan work (abm/throughput.py on_the_job_factor)."""
        p = self.model.p.throughput
        if self.state == S.PARALLEL:
            return p.otj_parallel
        if self.state == S.BASISBAAN:
            if self.home.policy["basisbaan_throughput_goal"]:
                return p.otj_throughput_goal
            return p.otj_basisbaan_temporary if self.contract == S.TEMPORARY else p.otj_basisbaan_permanent
        return 1.0

    def situation_factor(self) -> float:
        """Less search in a participation job and as a non-claimant (search.effort)."""
        if self.state == S.PARTICIPATION:
            return self.model.p.search.participation_factor
        if self.state == S.INACTIVE:
            return self.model.p.activation.non_claimant_search
        return 1.0

    def coaching_boost(self) -> float:
        """Extra effort in a month of intensive coaching (search.effort, abm/coaching.py)."""
        c = self.model.p.coaching
        return c.effort_boost if (c.enabled and self.coached) else 0.0

    def obliged(self) -> bool:
        """Job-search duty: unemployed bijstand recipient in a sanction regime (search.effort, hiring._offers)."""
        return (self.home.policy["regime"] == "sanction" and self.benefit == S.BIJSTAND
                and self.state == S.UNEMPLOYED)

    def search_effort(self) -> float:
        """Effort in [0, 1] before the obligation floor (search.effort)."""
        eff = (self.model.p.search.base_effort * self.motivation() * self.why_try_factor() * self.health_factor()
               * self.on_the_job_factor() * self.situation_factor() + self.coaching_boost())
        return min(max(eff, 0.0), 1.0)

    def search(self) -> None:
        """Step 5 of the month for one person (search.applications): effort, duty and sanction, applications,
        referral."""
        self.reset_month()
        if not self.can_search():
            return
        self.searching = True
        p = self.model.p.search
        effort = self.search_effort()
        if self.obliged() and effort < p.obligation_floor:
            # sanction regime: below the floor risks a sanction; effort rises obligation_effect of the way to it
            if self.random.random() < p.sanction_prob:
                self.sanctioned = True
            effort += p.obligation_effect * (p.obligation_floor - effort)
        self.effort = effort
        for _ in range(poisson(self.random, p.max_applications * effort)):
            if self.chooses_parallel_pool():
                self.parallel_applications += 1
            else:
                self.regular_applications += 1
        if self.random.random() < p.referral_prob and effort > 0:
            self.ask_referral()

    def chooses_parallel_pool(self) -> bool:
        """One application goes to the parallel pool with a chance rising with a limitation or psychological
        vulnerability; people already in parallel work apply to regular jobs only (search.applications)."""
        p = self.model.p.search
        share = p.parallel_base + p.parallel_limitation * self.work_limitation + p.parallel_psych * self.psych
        return self.random.random() < share and self.state != S.PARALLEL

    def ask_referral(self) -> None:
        """A random tie who works in a regular job points to their employer (search.applications, social.random_tie)."""
        if not self.ties:
            return
        tie = self.random.choice(self.ties)
        if tie.state == S.REGULAR and tie.employer is not None:
            self.referral_employer = tie.employer

    # --- what employers see, and whether the person takes the job (abm/hiring.py) -------------------------
    def drop_out_risk(self, hours: float) -> float:
        """Expected drop-out risk for a job of `hours` (abm/risk_aversion.py applicant_risk)."""
        p = self.model.p.risk
        over = max(hours - self.health_hours, 0.0) / max(hours, 1.0)
        r = p.base_risk + p.overload_risk * over + p.psych_risk * self.psych + p.limitation_risk * self.work_limitation
        return min(max(r, 0.0), 1.0)

    def experience_bonus(self) -> float:
        """Recent parallel or basisbaan experience counts (abm/throughput.py experience)."""
        p = self.model.p.throughput
        if not p.enabled or self.months_since_subsidised > p.recency_months:
            return 0.0
        factor = self.home.policy["parallel_experience_factor"] if self.last_subsidised_state == S.PARALLEL else 1.0
        return p.weight * factor * min(self.months_subsidised, p.saturation_months) / p.saturation_months

    def accepts(self, hours: float) -> bool:
        """Net gain + value of work (+ the cost of refusing under a job-search duty) > 0 (hiring._offers)."""
        pressure = self.model.p.search.refusal_pressure if self.obliged() else 0.0
        return self.net_gain(hours) + self.intrinsic + pressure > 0


class Employer(mesa.Agent):
    """A regular firm or a parallel-market organisation; attributes are copied from one row of `model.e`."""

    def __init__(self, model: "ClassicWorld", row: int, municipality: Municipality, **attrs):
        super().__init__(model)
        self.row = row
        self.municipality = municipality
        self.__dict__.update(attrs)   # kind, vacancies, belief, risk_aversion, ... (see build_classic)
        self.regular_places: list[Place] = []
        self.parallel_places: list[Place] = []
        self.places_freed = 0         # parallel places freed this month by workers hired away into regular jobs

    @property
    def is_regular_firm(self) -> bool:
        return self.kind == S.REGULAR_FIRM

    def open_regular_places(self) -> None:
        """One place per open vacancy, each part-time (12-24 h) or full-time (32-38 h) (hiring._regular_pool)."""
        p = self.model.p.hiring
        rand = self.random
        self.regular_places = [Place(self, rand.uniform(12, 24) if rand.random() < p.part_time_share
                                     else rand.uniform(32, 38)) for _ in range(self.vacancies)]

    def open_parallel_places(self) -> None:
        """Funded places not filled, after this month's regular hires (abm/vacancies.py open_slots)."""
        free = max(self.parallel_capacity - (self.parallel_filled - self.places_freed), 0)
        self.parallel_places = [Place(self, None) for _ in range(free)]

    # --- the terms of the hiring score ---------------------------------------------------------------------
    def stigma_penalty(self, seeker: JobSeeker) -> float:
        """weight × Σ_g label × belief (abm/employer_stigma.py penalty)."""
        p = self.model.p.stigma
        if not p.enabled:
            return 0.0
        return p.weight * sum(lab * bel for lab, bel in zip(seeker.label, self.belief))

    def offers_temporary(self, seeker: JobSeeker, risk: float) -> bool:
        """The flexible-contract hedge, likelier for risky hires (abm/risk_aversion.py temporary_offer)."""
        p = self.model.p.risk
        prob = p.flex_base + p.flex_risk_slope * self.risk_aversion * risk + p.flex_migrant * seeker.migrant
        return self.random.random() < min(max(prob, 0.0), 0.95)

    def risk_premium(self, seeker: JobSeeker, risk: float, temporary: bool) -> float:
        """weight × aversion × risk × exposure (no-risk policy) × hedge (abm/risk_aversion.py premium)."""
        p = self.model.p.risk
        if not p.enabled:
            return 0.0
        covered = self.municipality.policy["no_risk_policy"] and seeker.in_register
        exposure = p.no_risk_exposure if covered else 1.0
        hedge = 1 - p.flex_hedge if temporary else 1.0
        return p.weight * self.risk_aversion * risk * exposure * hedge

    def subsidy_share(self, seeker: JobSeeker) -> float:
        """Wage-cost subsidy as a share of WML, if eligible and this firm takes it up this time
        (abm/subsidy_quota.py subsidy_share)."""
        if not self.model.p.subsidy_quota.enabled:
            return 0.0
        pol = self.municipality.policy
        eligible = (pol["lks_enabled"] and (seeker.work_limitation or seeker.in_register) and seeker.skill < 1.0)
        takes = self.random.random() < self.subsidy_uptake
        if not (eligible and takes):
            return 0.0
        return min(1.0 - seeker.skill, pol["lks_max_share"])

    def quota_bonus(self, seeker: JobSeeker) -> float:
        """Bonus for a register candidate at a firm below its quota, enforced or only threatened
        (abm/subsidy_quota.py quota_one)."""
        p = self.model.p.subsidy_quota
        pol = self.municipality.policy
        if not p.enabled or not seeker.in_register or self.size < p.quota_min_size:
            return 0.0
        if self.register_employees >= pol["quota_rate"] * self.size:
            return 0.0
        return p.quota_score_per_5000 * pol["quota_levy"] / 5000.0 * (1.0 if pol["quota_enforced"]
                                                                       else p.threatened_share)

    def score_regular(self, app: Application) -> None:
        """Score and bar of a regular vacancy (hiring._regular_pool)."""
        p = self.model.p.hiring
        seeker = app.seeker
        risk = seeker.drop_out_risk(app.hours)
        app.temporary = self.offers_temporary(seeker, risk)
        app.subsidy = self.subsidy_share(seeker)
        productivity = min(seeker.skill + app.subsidy, 1.05)
        app.score = (p.productivity_weight * (productivity - 1.0)
                     - self.stigma_penalty(seeker)
                     - self.risk_premium(seeker, risk, app.temporary)
                     + self.quota_bonus(seeker)
                     + seeker.experience_bonus()
                     + (p.referral_bonus if app.referral else 0.0)
                     + p.noise * self.random.gauss(0.0, 1.0))
        fall = p.tightness_slope * (self.model.tightness - 1.0)
        less = max(fall, 0.0) * p.tight_label_share * seeker.label[S.LONG_TERM]   # the long-term label gains less
        app.acceptable = app.score > p.threshold - fall + less

    def score_parallel(self, app: Application) -> None:
        """Own pace: productivity, stigma and risk damped, a low bar, always a temporary contract
        (hiring._parallel_pool)."""
        p = self.model.p.hiring
        seeker = app.seeker
        risk = seeker.drop_out_risk(app.hours)
        app.temporary = True
        d = p.parallel_damping
        app.score = (d * p.productivity_weight * (seeker.skill - 1.0)
                     - d * self.stigma_penalty(seeker)
                     - d * self.risk_premium(seeker, risk, True)
                     + p.noise * self.random.gauss(0.0, 1.0))
        app.acceptable = app.score > p.parallel_threshold


class ClassicWorld(mesa.Model):
    """The job seekers, employers and municipalities of one model state, as classic Mesa agents."""

    def __init__(self, p, tightness: float, seed: int = 0):
        super().__init__(seed=seed)
        self.p = p                     # the validated scenario (read-only parameters)
        self.tightness = tightness
        self.municipalities: list[Municipality] = []
        self.seekers: list[JobSeeker] = []
        self.employers: list[Employer] = []
        self.counts: dict[str, int] = {}
        self.offers: list[Application] = []    # this month's offers and hires, for inspection
        self.hires: list[Application] = []

    def step(self) -> None:
        """One month of search (step 5) and hiring (step 6) with the world's current random generator."""
        for e in self.employers:
            e.places_freed = 0
        # 5. search: every person decides whether and how hard to search (abm/search.py step)
        self.agents_by_type[JobSeeker].shuffle_do("search")
        searchers = [s for s in self.seekers if s.searching]
        # 6. hiring (abm/hiring.py step): the regular pool first, then the parallel pool for those not hired
        offers_r = self.match(self.regular_pool())
        hires_r = [app for app in offers_r if app.seeker.accepts(app.hours)]
        for app in hires_r:
            self.hire_regular(app)
        offers_p = self.match(self.parallel_pool())
        hires_p = [app for app in offers_p if app.seeker.accepts(app.hours)]
        for app in hires_p:
            app.seeker.hired = "parallel"
        self.offers, self.hires = offers_r + offers_p, hires_r + hires_p
        self.counts = {
            "searchers": len(searchers),
            "applications": sum(s.regular_applications + s.parallel_applications + (s.referral_employer is not None)
                                for s in searchers),
            "hires_regular": len(hires_r),
            "hires_parallel": len(hires_p),
            "offers": len(offers_r) + len(offers_p),
        }

    # --- the pools (abm/hiring.py) ----------------------------------------------------------------------------
    def regular_pool(self) -> list[Place]:
        """Open vacancies receive the regular applications and referrals; their employers score them
        (hiring._regular_pool)."""
        for m in self.municipalities:
            m.regular_places = []
        for e in self.employers:
            if e.is_regular_firm:
                e.open_regular_places()
                e.municipality.regular_places.extend(e.regular_places)
        rings = [m.ring(m.regular_places) for m in self.municipalities]
        for seeker in self.seekers:
            for _ in range(seeker.regular_applications):
                dest = seeker.home.destination()
                place = dest.random_place(rings[dest.index])
                if place is not None:
                    place.applications.append(Application(seeker, place, place.hours))
            ref = seeker.referral_employer
            if ref is not None and ref.regular_places:   # the referral goes to the firm's first open place
                place = ref.regular_places[0]
                place.applications.append(Application(seeker, place, place.hours, referral=True))
        places = [pl for m in self.municipalities for pl in m.regular_places if pl.applications]
        for place in places:
            for app in place.applications:
                place.employer.score_regular(app)
        return places

    def hire_regular(self, app: Application) -> None:
        """A regular hire; someone leaving parallel work frees that place for this month's parallel pool
        (abm/jobs.py start_job -> release_employer)."""
        seeker = app.seeker
        seeker.hired = "regular"
        if seeker.state == S.PARALLEL and seeker.employer is not None:
            seeker.employer.places_freed += 1

    def parallel_pool(self) -> list[Place]:
        """Free parallel places receive the parallel applications of those not hired in the regular pool (and
        not in a basisbaan); hours follow capacity (hiring._parallel_pool)."""
        for m in self.municipalities:
            m.parallel_places = []
        for e in self.employers:
            if not e.is_regular_firm:
                e.open_parallel_places()
                e.municipality.parallel_places.extend(e.parallel_places)
        rings = [m.ring(m.parallel_places) for m in self.municipalities]
        for seeker in self.seekers:
            if seeker.hired or seeker.state == S.BASISBAAN:  # basisbaan workers search only for regular work
                continue
            hours = min(max(seeker.health_hours, 8.0), 32.0)
            for _ in range(seeker.parallel_applications):
                dest = seeker.home.destination()
                place = dest.random_place(rings[dest.index])
                if place is not None:
                    place.applications.append(Application(seeker, place, hours))
        places = [pl for m in self.municipalities for pl in m.parallel_places if pl.applications]
        for place in places:
            for app in place.applications:
                place.employer.score_parallel(app)
        return places

    @staticmethod
    def match(places: list[Place], rounds: int = 2) -> list[Application]:
        """Each place takes its best acceptable applicant, each person at most one offer (the best-scoring one);
        places left free by a double winner are offered again in the next round (environments/pools.py
        greedy_match). Returns the offers."""
        offers: list[Application] = []
        has_offer: set[JobSeeker] = set()
        filled: set[Place] = set()
        for _ in range(rounds):
            chosen: dict[JobSeeker, Application] = {}   # person -> best of the places that chose them
            for place in places:
                if place in filled:
                    continue
                best = None
                for app in place.applications:
                    if app.acceptable and app.seeker not in has_offer and (best is None or app.score > best.score):
                        best = app
                if best is not None:
                    current = chosen.get(best.seeker)
                    if current is None or best.score > current.score:
                        chosen[best.seeker] = best
            if not chosen:
                break
            for seeker, app in chosen.items():
                has_offer.add(seeker)
                filled.add(app.place)
                offers.append(app)
        return offers


def _plain(value):
    """numpy scalar -> Python scalar (str, bool, int, float)."""
    return value.item() if hasattr(value, "item") else value


def build_classic(model) -> ClassicWorld:
    """Copy the model's current state into per-agent Python objects (plain attributes, no numpy views)."""
    world = ClassicWorld(model.p, float(model.tightness))
    pol = model.muni_policy
    commute = model.commute.tolist()
    for m in range(model.n_munis):
        policy = {name: _plain(values[m]) for name, values in pol.items()}
        world.municipalities.append(Municipality(world, m, policy, commute[m]))
    e = model.e
    ecols = {name: getattr(e, name).tolist() for name in
             ("municipality", "kind", "vacancies", "risk_aversion", "subsidy_uptake", "size", "register_employees",
              "parallel_capacity", "parallel_filled")}
    belief = e.belief.tolist()
    for r in range(e.n):
        attrs = {name: col[r] for name, col in ecols.items() if name != "municipality"}
        world.employers.append(Employer(world, r, world.municipalities[ecols["municipality"][r]],
                                        belief=belief[r], **attrs))
    s = model.s
    scols = {name: getattr(s, name).tolist() for name in
             ("state", "benefit", "household", "disregard_months", "debts", "intrinsic", "health_hours",
              "self_stigma", "contract", "coached", "work_limitation", "psych", "migrant", "in_register", "skill",
              "months_subsidised", "months_since_subsidised", "last_subsidised_state")}
    label = s.label.tolist()
    home = s.municipality.tolist()
    employer = s.employer.tolist()
    for r in range(s.n):
        attrs = {name: col[r] for name, col in scols.items()}
        seeker = JobSeeker(world, r, world.municipalities[home[r]], label=label[r], **attrs)
        if employer[r] >= 0:
            seeker.employer = world.employers[employer[r]]
        world.seekers.append(seeker)
    indptr, indices = model.social.indptr.tolist(), model.social.indices.tolist()
    for r, seeker in enumerate(world.seekers):
        seeker.ties = [world.seekers[t] for t in indices[indptr[r]:indptr[r + 1]]]
    return world


def run_classic_phase(world: ClassicWorld, seed: int) -> dict:
    """One month of search and hiring on `world` with its own generator seeded from `seed`; returns
    {"searchers", "applications", "hires_regular", "hires_parallel", "offers"}."""
    world.reset_randomizer(int(seed))
    world.step()
    return dict(world.counts)


if __name__ == "__main__":   # quick timing: python benchmarks/classic_reference.py [seekers] [months]
    import sys
    import time

    from abm.model import LabourMarketModel
    from abm.scenario import load
    from experiments.bench import synthetic_scenario, time_phase_vectorised

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    months = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    model = LabourMarketModel(load(synthetic_scenario(n, months)), seed=1, agent_views=False)
    model.run(months)
    t0 = time.perf_counter()
    w = build_classic(model)
    t1 = time.perf_counter()
    times = []
    for k in range(3):
        t = time.perf_counter()
        out = run_classic_phase(w, k)
        times.append(time.perf_counter() - t)
    print(f"seekers={model.s.n} build={t1 - t0:.2f}s classic phase={sorted(times)[1]:.3f}s "
          f"vectorised phase={time_phase_vectorised(model):.4f}s {out}")
