"""Short bijstand spells: the inflow and quick outflow that SCP's long-term profiles leave out (issue 10 §4).

Why. CBS counts a monthly inflow into the algemene bijstand of about 1.7% of the stock and an outflow of about
2.0% (2019, docs/evidence.md E89). The model's bijstand recipients are drawn from SCP's profiles of *long-term*
bijstand (E4) and its own flows into bijstand are the ends of WW, jobs lost without WW rights and newcomers to
a seat; with them alone it had about 0.55% in and 0.26% out a month after a 120-month spin-up
(`python -m experiments.stationary`), about a third of CBS's: the short spells were missing. Who has them in
reality — people whose work or household income stops, young people, self-employed people, people after a
divorce — the evidence does not break down, nor how long they last; so the rule below is an assumption with
its parameters' ranges stated, and its rates are fitted to E89 (targets `bijstand_inflow_rate` and
`bijstand_outflow_rate` in experiments/targets.toml).

Rule, each month after the municipalities' activation (phase 4), in every municipality:
- entrants: `entry_rate` × the municipality's bijstand stock (expected people) start a short spell, drawn
  from people whose household qualifies for bijstand (the entitlement probabilities of `activation`) among
  (a) regular workers without a benefit or a wage-cost subsidy, a share `from_work_share` of the
  entrants: the job ends and the household's income with it, and they go straight onto bijstand (no WW:
  income lost without WW rights, such as a job too short for WW, self-employment or a partner's income; a
  simplification), and (b) people outside the labour force without a
  benefit and able to work (health at least `activation.exempt_capacity`), the rest: they claim bijstand as
  unemployed. Each person's chance is the expected number over the eligible people of their group, one draw
  each (abm/rng.py, stream "short_spells");
- a short spell ends with work through the model's own search and hiring (the entrants keep their skills and
  have no long-term label), or at the hazard `exit_rate` a month when the household's income returns: the
  benefit stops; an entrant from work who is still out of work is back in work of the same hours and
  contract at the firm they left (work found in the market's own turnover, which the model's vacancies, the
  low-wage segment's share open to its job seekers, do not show; without it every entrant from work was a
  regular job lost for good and at `from_work_share` 0.5 regular employment fell by a fifth); an entrant
  from outside leaves the labour force again (`inactive` without a benefit: a partner's income, studies,
  moving); someone in work with a top-up keeps the job. The hazard holds for the whole spell, so short-spell
  entrants do not pile up in the long-term stock.
The mark `short_spell` lasts while the person stays on that bijstand spell; a newcomer to a seat starts
without it (abm/population.draw_profile).
"""

from __future__ import annotations

import numpy as np

from abm import jobs
from abm import states as S
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.rng import uniforms

E89 = ("docs/evidence.md E89 (CBS 2019: inflow 1.5-1.9% of the stock a month by quarter), less the model's own "
       "~0.9% (ends of WW and jobs, newcomers to seats, long spells renewed: abm/demography.py); set by hand "
       "within that range")

COLUMNS = {"short_spell": Column("bool", False, "on a short bijstand spell started by abm/short_spells.py"),
           "short_spell_employer": Column("int32", -1, "the firm a short-spell entrant from work left (-1: none)"),
           "short_spell_hours": Column("float32", 0, "the hours of the job a short-spell entrant from work left"),
           "short_spell_temporary": Column("bool", False, "that job was on a temporary contract")}


class ShortSpellParams(Section):
    enabled: bool = param(True, doc="switch: off = no short bijstand spells (only the long-term profiles' flows)")
    entry_rate: float = param(0.0103, 0, 0.05, unit="per month, share of the bijstand stock",
                              doc="people starting a short bijstand spell (range 0.006-0.011: CBS's 1.5-1.9% a "
                                  "month less the model's own ~0.9%, some entrants being on bijstand already)",
                              source=E89)
    from_work_share: float = param(0.5, 0, 1, unit="share of the entrants",
                                   doc="short-spell entrants whose job ends (the rest come from outside the labour "
                                       "force); not in the evidence: assumption, range 0.3-0.7")
    exit_rate: float = param(0.2, 0, 1, unit="per month",
                             doc="short spells that end because the household's income returns (back to the "
                                 "job left, or out of the labour force); not in the evidence: assumption, range "
                                 "0.1-0.3 (spells of about 3-8 months with the model's own hiring); set by hand "
                                 "so that the outflow meets E89's")


def _eligible(model, pool: np.ndarray, key, draw: int) -> np.ndarray:
    """The people of `pool` whose household would qualify for bijstand (activation's entitlement shares)."""
    a, s = model.p.activation, model.s
    p = np.where(s.household[pool] == S.SINGLE, a.bijstand_entitled_single, a.bijstand_entitled_couple)
    return pool[uniforms(key, s.person_id[pool], draw) < p]


def _entrants(model, pool: np.ndarray, expected: np.ndarray, key, draw: int) -> np.ndarray:
    """Each person of `pool` enters with chance expected[municipality] / eligible people there (at most 1)."""
    s = model.s
    per_muni = np.bincount(s.municipality[pool], minlength=model.n_munis)
    chance = np.minimum(expected / np.maximum(per_muni, 1), 1.0)
    return pool[uniforms(key, s.person_id[pool], draw) < chance[s.municipality[pool]]]


def step(model, month: Month) -> None:
    """Short spells end without work at `exit_rate`; new ones start at `entry_rate` of the stock."""
    p, s = model.p.short_spells, model.s
    s.short_spell &= s.benefit == S.BIJSTAND          # a spell that ended (work, pension seat) is over
    if not p.enabled:
        return
    key = model.key("short_spells")
    # spells that end for other reasons than the model's hiring, before the month's entrants: the benefit
    # stops; people out of work leave the labour force, people in work (a top-up) keep their job
    out = np.flatnonzero(s.short_spell)
    out = out[uniforms(key, s.person_id[out], 0) < p.exit_rate]
    s.benefit[out] = S.NO_BENEFIT
    s.months_on_benefit[out] = 0
    s.short_spell[out] = False
    idle = out[(s.state[out] == S.UNEMPLOYED) | (s.state[out] == S.PARTICIPATION)]
    emp = s.short_spell_employer[idle]
    back = idle[emp >= 0]
    jobs.start_job(model, back, S.REGULAR, s.short_spell_employer[back], s.short_spell_hours[back],
                   s.short_spell_temporary[back], model.p.separations.temporary_months,
                   np.zeros(back.size, dtype=bool), reason="job_back")
    jobs.move(model, idle[emp < 0], S.INACTIVE, "left_benefit")
    # entrants
    stock = np.bincount(s.municipality[s.benefit == S.BIJSTAND], minlength=model.n_munis)
    expected = p.entry_rate * stock
    workers = np.flatnonzero((s.state == S.REGULAR) & (s.benefit == S.NO_BENEFIT) & ~s.uses_subsidy)
    outside = np.flatnonzero((s.state == S.INACTIVE) & (s.benefit == S.NO_BENEFIT)
                             & (s.health_hours >= model.p.activation.exempt_capacity))
    from_work = _entrants(model, _eligible(model, workers, key, 1), p.from_work_share * expected, key, 2)
    from_outside = _entrants(model, _eligible(model, outside, key, 1), (1 - p.from_work_share) * expected, key, 2)
    s.short_spell_employer[from_work] = s.employer[from_work]
    s.short_spell_hours[from_work] = s.hours[from_work]
    s.short_spell_temporary[from_work] = s.contract[from_work] == S.TEMPORARY
    s.short_spell_employer[from_outside] = -1
    s.benefit[from_work] = S.BIJSTAND                 # on bijstand before the job ends: no WW (end_job)
    jobs.end_job(model, from_work, S.UNEMPLOYED, "income_lost")
    s.benefit[from_outside] = S.BIJSTAND
    jobs.move(model, from_outside, S.UNEMPLOYED, "income_lost")
    new = np.concatenate((from_work, from_outside))
    s.months_on_benefit[new] = 0
    s.ww_months_left[new] = 0
    s.short_spell[new] = True


MECHANISM = Mechanism("short_spells", doc=__doc__, params=ShortSpellParams, columns=COLUMNS, step=step)
