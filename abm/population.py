"""Initial population and new entrants, drawn from distributions grounded in docs/evidence.md.

Bijstand recipients are drawn from the three profiles SCP (2023) finds in long-term bijstand (docs/evidence.md E4):
48% older people with only basic education and health problems, 30% people with mental-health problems and
debts, the rest a mixed group. WW and disability recipients, people in sheltered work and a sample of
low-paid regular workers complete the margin of the labour market (ARCHITECTURE.md §Who is an agent).
"""

from __future__ import annotations

import numpy as np

from abm import jobs
from abm import states as S
from abm.params import Section, param
from abm.tables import SeekerTable

SCP = "docs/evidence.md E4 (SCP 2023)"


class PopulationParams(Section):
    share_older_low_health: float = param(0.48, 0, 1, unit="share of bijstand",
                                          doc="older, basic education, health problems", source=SCP)
    share_mental_debts: float = param(0.30, 0, 1, unit="share of bijstand",
                                      doc="mental-health (GGZ) problems and debts", source=SCP)
    share_cannot_work_now: float = param(0.60, 0, 1, unit="share of bijstand",
                                         doc="bijstand recipients who cannot work at present (exempt)",
                                         source="docs/evidence.md E5 (SCP 2023: over 60% say they cannot work "
                                                "at present)")
    share_participating: float = param(0.30, 0, 1, unit="share of those who can work",
                                       doc="bijstand recipients able to work who do a participation job")
    share_single_bijstand: float = param(0.70, 0, 1, unit="share", doc="singles among bijstand recipients",
                                         source="docs/evidence.md E65 (Mosselman et al. 2022: Groningen 3+ year group, "
                                                "70% single)")
    share_male_bijstand: float = param(0.51, 0, 1, unit="share", doc="men among bijstand recipients",
                                       source="docs/evidence.md E65 (Mosselman et al. 2022: Groningen 3+ year group, "
                                              "51% male)")
    mean_months_bijstand: float = param(66.0, 1, 400, unit="months",
                                        doc="mean duration of the current bijstand spell at the start")
    share_migrant_bijstand: float = param(0.40, 0, 1, unit="share",
                                          doc="non-western migration background among bijstand recipients")
    share_migrant_other: float = param(0.15, 0, 1, unit="share",
                                       doc="non-western migration background among the others")
    share_work_limitation_in_register: float = param(
        0.22, 0, 1, unit="share", doc="people with a work limitation who are in the doelgroepregister",
        source="docs/evidence.md E26 (225,000 registered; ~800,000 outside)")
    share_had_participation: float = param(0.35, 0, 1, unit="share",
                                           doc="non-participating bijstand recipients who did a participation "
                                               "job before")
    share_limitation_regular: float = param(0.25, 0, 1, unit="share",
                                            doc="low-paid regular workers with a work limitation")
    share_temporary_regular: float = param(0.35, 0, 1, unit="share",
                                           doc="temporary contracts among low-paid regular workers",
                                           source="docs/evidence.md E9 (22% of employees flexible; more among "
                                                  "vulnerable groups)")
    intrinsic_mean: float = param(80.0, -1000, 2000, unit="EUR/month",
                                  doc="mean non-monetary value of having work",
                                  source="docs/evidence.md E34 (a participant may accept EUR 20/month less)")
    intrinsic_sd: float = param(50.0, 0, 2000, unit="EUR/month", doc="spread of that value")
    problem_debt_mean: float = param(12_000.0, 0, 200_000, unit="EUR",
                                     doc="mean debt of people with problem debts")


# Profiles: (age lo, age hi, p low educ, health mean, health sd, skill mean, p limitation, p psych, p debts)
PROFILES = {
    "older_low_health": (50, 66, 0.9, 18.0, 10.0, 0.75, 0.60, 0.10, 0.15),
    "mental_debts": (25, 60, 0.6, 22.0, 10.0, 0.80, 0.40, 1.00, 1.00),
    "bijstand_other": (18, 60, 0.5, 30.0, 9.0, 0.88, 0.15, 0.10, 0.25),
    "ww": (20, 64, 0.35, 34.0, 6.0, 0.98, 0.08, 0.05, 0.10),
    "disability": (18, 64, 0.6, 20.0, 9.0, 0.65, 1.00, 0.35, 0.20),
    "sheltered": (18, 64, 0.85, 26.0, 8.0, 0.55, 1.00, 0.30, 0.15),
    "regular": (18, 64, 0.45, 36.0, 4.0, 1.00, 0.08, 0.05, 0.10),
}
PROFILE_NAMES = tuple(PROFILES)
BIJSTAND_PROFILES = ("older_low_health", "mental_debts", "bijstand_other")
# Newcomers to a seat enter within this many years of their profile's youngest age (assumption; see seat_age).
ENTRY_YEARS = 2.0


def seat_age(lo: float, pension_age: float, n: int, rng: np.random.Generator, newcomer: bool) -> np.ndarray:
    """Ages of the people of a profile whose youngest age is `lo` (years).

    Rule (the stationary age distribution of the seats, assumption): a newcomer enters at an age uniform on
    [lo, lo + ENTRY_YEARS] and the seat is recycled at `pension_age` (abm/demography.py). In the steady state a
    seat's age then has density proportional to P(entry age <= a) on [lo, pension_age]: a ramp over the first
    ENTRY_YEARS, flat after. The people at the start are drawn from that density (inverse CDF), so ageing and
    recycling leave the age distribution of every profile as it was."""
    w = ENTRY_YEARS
    if newcomer:
        return rng.uniform(lo, lo + w, n)
    top = max(pension_age - 1.0 / 12.0, lo + w)   # the oldest still present after the month's recycling
    u = rng.random(n) * (top - lo - w / 2.0)
    return np.where(u < w / 2.0, lo + np.sqrt(2.0 * w * u), lo + w + (u - w / 2.0))


def draw_profile(s, rows: np.ndarray, profile: str, p: PopulationParams, rng: np.random.Generator,
                 pension_age: float, newcomer: bool = False) -> None:
    """Fill the personal attributes of `rows` in the seeker table from one profile's distributions; the seat
    keeps its profile (column `profile`), so a newcomer to it is drawn from the same one (abm/demography.py).
    Ages follow `seat_age`: the people at the start from the seats' steady state, newcomers near the profile's
    youngest age (the profile's upper age only bounds the start in the SCP profiles; it is not used)."""
    n = rows.size
    if n == 0:
        return
    age_lo, _age_hi, p_low, h_mu, h_sd, sk_mu, p_lim, p_psych, p_debt = PROFILES[profile]
    if profile == "regular":
        p_lim = p.share_limitation_regular
    bijstand_like = profile in BIJSTAND_PROFILES
    s.profile[rows] = PROFILE_NAMES.index(profile)
    s.age[rows] = seat_age(age_lo, pension_age, n, rng, newcomer)
    s.male[rows] = rng.random(n) < (p.share_male_bijstand if bijstand_like else 0.5)
    single = p.share_single_bijstand if bijstand_like else 0.45
    s.household[rows] = np.where(rng.random(n) < single, S.SINGLE, S.COHABITING)
    u = rng.random(n)
    s.education[rows] = np.where(u < p_low, S.LOW, np.where(u < p_low + (1 - p_low) * 0.7, S.MIDDLE, S.HIGH))
    s.work_limitation[rows] = rng.random(n) < p_lim
    s.in_register[rows] = s.work_limitation[rows] & (rng.random(n) < p.share_work_limitation_in_register)
    s.psych[rows] = rng.random(n) < p_psych
    share_migrant = p.share_migrant_bijstand if bijstand_like else p.share_migrant_other
    s.migrant[rows] = rng.random(n) < share_migrant
    s.health_hours[rows] = np.clip(rng.normal(h_mu, h_sd, n), 0, 40)
    s.health_base[rows] = s.health_hours[rows]
    skill = rng.normal(sk_mu, 0.15, n) - LIMITATION_SKILL * s.work_limitation[rows] + 0.05 * s.education[rows]
    s.skill[rows] = np.clip(skill, 0.15, 1.3)
    s.skill_base[rows] = s.skill[rows]
    has_debt = rng.random(n) < p_debt
    s.debts[rows] = np.where(has_debt, rng.exponential(p.problem_debt_mean, n), 0.0)
    s.intrinsic[rows] = rng.normal(p.intrinsic_mean, p.intrinsic_sd, n)
    s.self_stigma[rows] = np.clip(rng.beta(2, 5, n) + 0.15 * s.psych[rows], 0, 1)
    s.wellbeing[rows] = np.clip(rng.normal(3.4, 0.4, n), 1, 5)
    s.months_out[rows] = 0
    s.months_since_regular[rows] = 0
    s.months_in_state[rows] = 0
    s.funnel_outcome[rows] = 0
    s.contract[rows] = S.NO_CONTRACT
    s.contract_end[rows] = -1
    s.employer[rows] = -1
    s.hours[rows] = 0
    s.uses_subsidy[rows] = False
    s.had_participation[rows] = False
    s.months_subsidised[rows] = 0
    s.months_since_subsidised[rows] = 9999
    s.disregard_months[rows] = 0
    s.left_bijstand_for_work[rows] = False
    s.short_spell[rows] = False   # abm/short_spells.py: a newcomer to a seat has no spell yet
    s.basisbaan_start[rows] = -1


def set_out_of_work(s, rows: np.ndarray, benefit: int, mean_months: float, p: PopulationParams,
                    rng: np.random.Generator, exempt_share: float, participating_share: float) -> None:
    """Place people on a benefit: months on it, months out of work, and their state (exempt, participating
    or unemployed). The least healthy are the exempt ones: 'cannot work at present' follows capacity."""
    n = rows.size
    if n == 0:
        return
    s.benefit[rows] = benefit
    months = rng.geometric(1.0 / max(mean_months, 1.0), n).astype(np.int32)
    s.months_on_benefit[rows] = months
    s.months_out[rows] = months + rng.integers(0, 6, n)
    s.months_since_regular[rows] = s.months_out[rows]
    capacity = s.health_hours[rows] + rng.normal(0, 6, n) - 12 * s.self_stigma[rows]
    n_exempt = int(round(exempt_share * n))
    order = np.argsort(capacity, kind="stable")
    state = np.full(n, S.UNEMPLOYED, dtype=np.int8)
    state[order[:n_exempt]] = S.INACTIVE
    able = order[n_exempt:]
    part = able[rng.random(able.size) < participating_share]
    state[part] = S.PARTICIPATION
    s.state[rows] = state
    s.had_participation[rows] = (state == S.PARTICIPATION) | (rng.random(n) < p.share_had_participation)
    s.ww_months_left[rows] = np.where(benefit == S.WW, rng.integers(1, 24, n), 0)
    s.months_in_state[rows] = np.minimum(months, rng.integers(0, 36, n))


# Loonwaarde lost with a work limitation, in the draw of a profile and in the cap of learning on the job
# (assumption).
LIMITATION_SKILL = 0.10


def skill_cap(education: np.ndarray, work_limitation: np.ndarray | None = None) -> np.ndarray:
    """Highest loonwaarde reachable by learning on the job: by education, less `LIMITATION_SKILL` with a work
    limitation (the same gap the profiles draw at the start; without it, people with a limitation who work
    caught up with everyone else over the years and the inclusion gap drifted: docs/model.md, "A baseline that
    stands still")."""
    cap = np.array([1.05, 1.2, 1.3], dtype=np.float32)[education]
    if work_limitation is not None:
        cap = cap - np.float32(LIMITATION_SKILL) * work_limitation
    return cap


def build_people(model, counts: dict[str, np.ndarray], rng: np.random.Generator) -> SeekerTable:
    """The people of every municipality, group by group (counts per group and municipality, in PEOPLE_GROUPS
    order): bijstand recipients by SCP's three profiles, WW and disability recipients out of work, people in
    sheltered work and the sample of regular workers in their jobs (through `jobs.start_job`)."""
    pp, pension = model.p.population, model.p.demography.pension_age
    n = int(sum(c.sum() for c in counts.values()))
    s = SeekerTable(n, model.seeker_columns)
    model.s = s
    s.person_id[:] = np.arange(n)
    start = 0
    for m in range(model.n_munis):
        for g, count in counts.items():
            k = int(count[m])
            rows = np.arange(start, start + k)
            start += k
            s.municipality[rows] = m
            if g == "bijstand":
                u = rng.random(k)
                a = rows[u < pp.share_older_low_health]
                b = rows[(u >= pp.share_older_low_health) & (u < pp.share_older_low_health + pp.share_mental_debts)]
                c = rows[u >= pp.share_older_low_health + pp.share_mental_debts]
                for sub, prof in ((a, "older_low_health"), (b, "mental_debts"), (c, "bijstand_other")):
                    draw_profile(s, sub, prof, pp, rng, pension)
                set_out_of_work(s, rows, S.BIJSTAND, pp.mean_months_bijstand, pp, rng,
                                pp.share_cannot_work_now, pp.share_participating)
            elif g == "ww":
                draw_profile(s, rows, "ww", pp, rng, pension)
                set_out_of_work(s, rows, S.WW, 8.0, pp, rng, 0.05, 0.02)
            elif g == "disability":
                draw_profile(s, rows, "disability", pp, rng, pension)
                set_out_of_work(s, rows, S.DISABILITY, 60.0, pp, rng, 0.4, 0.15)
            elif g == "sheltered":
                draw_profile(s, rows, "sheltered", pp, rng, pension)
                employ_initial(model, rows, S.PARALLEL, m, rng)
            else:
                draw_profile(s, rows, "regular", pp, rng, pension)
                employ_initial(model, rows, S.REGULAR, m, rng)
    return s


def employ_initial(model, rows: np.ndarray, state: int, m: int, rng: np.random.Generator) -> None:
    """Put people who are in work at the start into their jobs in municipality `m`, through `jobs.start_job`:
    sheltered workers at the municipality's sheltered workshop (12-36 hours by health, 1-20 years of sheltered
    work behind them), regular workers at a firm drawn by its size (40% part-time, 12-24 h, else 32-38 h; a
    share on temporary contracts). Contracts have 1-12 months left and people have been 0-59 months in their
    state. No one is on a benefit; the transition log records these people as initial entries (model.py)."""
    s, e = model.s, model.e
    k = rows.size
    if k == 0:
        return
    if state == S.PARALLEL:
        shop = np.flatnonzero((e.municipality == m) & (e.kind == S.SHELTERED_WORKSHOP))
        emp = np.full(k, shop[0] if shop.size else -1)
        hours = np.clip(s.health_hours[rows], 12, 36)
        temporary = np.zeros(k, dtype=bool)
        s.months_subsidised[rows] = rng.integers(12, 240, k)
        s.months_since_subsidised[rows] = 0
        s.last_subsidised_state[rows] = S.PARALLEL
    else:
        firms = model.regular_firms_in[m]
        if firms.size == 0:
            s.state[rows] = S.UNEMPLOYED
            s.benefit[rows] = S.WW
            return
        w = e.regular_jobs[firms].astype(float) + 1e-9
        emp = firms[np.searchsorted(np.cumsum(w), rng.random(k) * w.sum(), side="right").clip(0, firms.size - 1)]
        hours = np.where(rng.random(k) < 0.4, rng.uniform(12, 24, k), rng.uniform(32, 38, k))
        temporary = rng.random(k) < model.p.population.share_temporary_regular
    contract_months = rng.integers(1, 13, k)   # drawn for everyone (permanent contracts ignore it)
    months_in_state = rng.integers(0, 60, k)
    # Earnings below the bijstand norm are topped up where the household qualifies, as `jobs.start_job` does for
    # anyone hired from bijstand: a part-time worker who would qualify starts on bijstand (with a spell drawn
    # like the bijstand group's). Before, every worker at the start was off benefit, and as jobs turned over
    # the part-timers' top-ups grew the bijstand count run after run (docs/model.md, "A baseline that stands
    # still").
    a, money, econ = model.p.activation, model.p.money, model.p.economy
    single = s.household[rows] == S.SINGLE
    earnings = econ.wml_net_month * hours / econ.fulltime_hours
    norm = np.where(single, money.bijstand_net_single, money.bijstand_net_couple)
    entitled = rng.random(k) < np.where(single, a.bijstand_entitled_single, a.bijstand_entitled_couple)
    topped_up = (state == S.REGULAR) & (earnings < norm) & entitled
    s.benefit[rows] = S.NO_BENEFIT
    jobs.start_job(model, rows, state, emp, hours, temporary, contract_months, np.zeros(k, dtype=bool),
                   record=False)
    s.months_in_state[rows] = months_in_state
    s.benefit[rows[topped_up]] = S.BIJSTAND
    s.months_on_benefit[rows[topped_up]] = rng.geometric(
        1.0 / max(model.p.population.mean_months_bijstand, 1.0), int(topped_up.sum()))
