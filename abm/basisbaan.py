"""The basisbaan programme: recruitment through the eligibility funnel, and its costs (docs/evidence.md E59-E72).

Rule. While a municipality's programme runs and slots are open, client managers nominate bijstand recipients
with at least `basisbaan_min_months_on_benefit` months on benefit who can work (unemployed or in a
participation job); they know who did a participation job, so such people are nominated
1 / nomination_noise times as often, and they nominate people under 50 less (`nomination_young_weight`). Each month up
to `basisbaan_interviews_per_month` are interviewed, and
each interview ends in the first outcome that applies, as in Groningen's recruitment funnel:
not eligible (no participation job done) → still has regular prospects (loonwaarde and capacity high
enough) → prefers to keep the volunteer or participation job → health or capacity below the contract
hours → not interested (net gain plus the value of work below `reservation`, or declines; where the programme is
not voluntary, `policy.basisbaan_voluntary` off, the cost of refusing under a sanction regime,
`search.refusal_cost`, is added to the gain) → unknown (did not come back)
→ placed (a person's own standing decision, abm/person_decisions.py, replaces their choices: volunteering,
interest and coming back). Someone is interviewed once, unless the programme re-interviews
(`basisbaan_reinterview_months` > 0, a guarantee): then a person it did not place, or who has left their
basisbaan, is nominable again once their labour state differs from that at the interview, or that many months
after it. Who is nominated depends on the programme's target group: long-term bijstand recipients (Groningen),
people in the doelgroepregister or aged 56+ (STiP), or any bijstand recipient. A programme fills no more
places than it has available: its declared slots, or, where it acquires its places, those acquired so far
(abm/acquisition.py). Placed people get a contract at
(at least) WML for the programme's hours with the municipality as employer; each placement is recorded
(`model.placements`) with the person's age, months on benefit, household and wellbeing at placement.
"""

from __future__ import annotations

import numpy as np

from abm import jobs, money, person_decisions, search
from abm import states as S
from abm.mechanism import Column, Mechanism, Month
from abm.params import Section, param
from abm.rng import uniform, uniforms

# The state columns this mechanism owns (abm/mechanism.py).
COLUMNS = {
    "funnel_outcome": Column("int8", 0, "basisbaan recruitment funnel outcome (abm.states.FUNNEL_OUTCOMES)"),
    "basisbaan_start": Column("int32", -1, "month the current basisbaan started, -1 if none"),
    "funnel_month": Column("int32", -1, "month of the last basisbaan interview, -1 if none"),
    "funnel_state": Column("int8", -1, "labour state at the last basisbaan interview, -1 if none"),
}

GRONINGEN = "docs/evidence.md E63 (Mosselman et al. 2022)"


class BasisbaanParams(Section):
    nomination_noise: float = param(0.25, 0, 1, unit="ratio",
                                    doc="relative chance of nominating someone without a participation job")
    nomination_young_weight: float = param(0.45, 0, 1, unit="ratio",
                                           doc="relative chance of nominating someone under 50 (client managers "
                                               "still see regular prospects for younger clients)")
    reservation: float = param(130.0, -1000, 2000, unit="EUR/month",
                               doc="net gain plus value of work a candidate needs to want the basisbaan",
                               source="docs/evidence.md E32, E34 (work must pay; some accept EUR 20 less)")
    prospects_skill: float = param(0.9, 0, 2, unit="loonwaarde", doc="loonwaarde judged enough for regular work")
    prefers_volunteering: float = param(0.30, 0, 1, unit="probability",
                                        doc="people in a participation job who prefer to keep it",
                                        source=GRONINGEN + " (17 of ~150)")
    health_tolerance: float = param(0.75, 0, 2, unit="share of contract hours",
                                    doc="capacity needed, as a share of the contract hours",
                                    source=GRONINGEN + " (only a part can work 32-36 h)")
    not_interested: float = param(0.04, 0, 1, unit="probability",
                                  doc="declines for other reasons (tasks), besides a net gain below `reservation`",
                                  source=GRONINGEN + " (9 of ~150 found the tasks unsuitable or had no interest, "
                                                     "together with the reservation test)")
    # The funnel is sequential, so a step's probability is conditional on reaching it: 19 unknown of the 64
    # (19 unknown + 45 placed) who passed every earlier step is 0.30, which is 19 of ~150 (13%) of all interviews.
    unknown: float = param(0.30, 0, 1, unit="probability",
                           doc="outcome unknown (did not return), among those who passed every earlier step",
                           source=GRONINGEN + " (19 of the 64 who reached this step: 13% of ~150)")


def total_slots(model) -> np.ndarray:
    """Programme size per municipality (people): fixed slots plus slots per 1,000 bijstand recipients."""
    pol = model.muni_policy
    return pol["basisbaan_slots"] + pol["basisbaan_slots_per_1000_bijstand"] * model.initial_bijstand / 1000.0


def running(model) -> np.ndarray:
    """Per municipality: does its programme run this month (places planned, started, not yet ended)?"""
    pol = model.muni_policy
    return (total_slots(model) > 0) & (pol["basisbaan_start_month"] <= model.month) \
        & (pol["basisbaan_end_month"] > model.month)


def step(model, month: Month) -> None:
    """Recruit for every running programme (the rows placed and the interviews held go in `month`)."""
    before = int(model.funnel_counts[:, 1:].sum())
    month.placed = recruit(model)
    month.counts["basisbaan_placements"] = int(month.placed.size)
    month.counts["basisbaan_interviews"] = int(model.funnel_counts[:, 1:].sum()) - before


def recruit(model) -> np.ndarray:
    """Recruit for every running programme; returns the rows placed this month."""
    s = model.s
    pol = model.muni_policy
    active = running(model)
    if not active.any():
        return np.zeros(0, dtype=np.int64)
    reopen(model, active)
    p = model.p.basisbaan
    key = model.key("basisbaan")
    key_municipal = model.key("basisbaan_municipality")
    filled = np.bincount(s.municipality[s.state == S.BASISBAAN], minlength=model.n_munis)
    slots = model.acquisition["basisbaan"].available   # places acquired (abm/acquisition.py); else the plan
    placed_all = []
    # one scan for all programmes: nominable people, grouped by municipality
    nominable = np.flatnonzero(active[s.municipality] & (s.benefit == S.BIJSTAND)
                               & ((s.state == S.UNEMPLOYED) | (s.state == S.PARTICIPATION))
                               & (s.funnel_outcome == S.FUNNEL_CODE["not_interviewed"]))
    group = pol["basisbaan_target_group"][s.municipality[nominable]]
    in_group = np.select(
        [group == "long_term_bijstand", group == "register_or_56plus"],
        [s.months_on_benefit[nominable] >= pol["basisbaan_min_months_on_benefit"][s.municipality[nominable]],
         s.in_register[nominable] | (s.age[nominable] >= 56)], default=True)
    nominable = nominable[in_group]
    nominable = nominable[np.argsort(s.municipality[nominable], kind="stable")]
    bounds = np.searchsorted(s.municipality[nominable], np.arange(model.n_munis + 1))
    for m in np.flatnonzero(active):
        open_slots = int(slots[m] - filled[m])
        if open_slots <= 0:
            continue
        cand = nominable[bounds[m]:bounds[m + 1]]
        if cand.size == 0:
            continue
        want = pol["basisbaan_interviews_per_month"][m] / model.scale
        n_int = int(np.floor(want) + (uniform(key_municipal, m, 0) < want - np.floor(want)))
        n_int = min(n_int, cand.size)
        if n_int == 0:
            continue
        w = np.where(s.had_participation[cand], 1.0, p.nomination_noise) \
            * np.where(s.age[cand] < 50, p.nomination_young_weight, 1.0) + 1e-12
        interviewed = weighted_sample(cand, w, n_int, uniforms(key, s.person_id[cand], 0))
        outcome = interview(model, interviewed, m, key)
        placed = interviewed[outcome == S.FUNNEL_CODE["placed"]]
        if placed.size > open_slots:  # more suitable people than slots: the rest wait for a later month
            s.funnel_outcome[placed[open_slots:]] = S.FUNNEL_CODE["not_interviewed"]
            model.funnel_counts[m, S.FUNNEL_CODE["placed"]] -= placed.size - open_slots
            placed = placed[:open_slots]
        place(model, placed, m)
        placed_all.append(placed)
    return np.concatenate(placed_all) if placed_all else np.zeros(0, dtype=np.int64)


def reopen(model, active: np.ndarray) -> np.ndarray:
    """Make people nominable again where the programme re-interviews (`basisbaan_reinterview_months` > 0): those
    interviewed and not now in a basisbaan whose labour state changed since the interview, or whose interview is
    that many months old. Returns the rows reopened."""
    s = model.s
    months = model.muni_policy["basisbaan_reinterview_months"]
    if not (active & (months > 0)).any():
        return np.zeros(0, dtype=np.int64)
    m = s.municipality
    rows = np.flatnonzero(active[m] & (months[m] > 0) & (s.funnel_outcome != S.FUNNEL_CODE["not_interviewed"])
                          & (s.state != S.BASISBAAN)
                          & ((s.state != s.funnel_state) | (model.month - s.funnel_month >= months[m])))
    s.funnel_outcome[rows] = S.FUNNEL_CODE["not_interviewed"]
    return rows


def weighted_sample(items: np.ndarray, weights: np.ndarray, n: int, u: np.ndarray) -> np.ndarray:
    """`n` items drawn without replacement with chances proportional to `weights`, in the order drawn:
    the n largest keys u^(1/w) (Efraimidis & Spirakis 2006), each item's u its own draw."""
    keys = np.log(np.maximum(u, 1e-300)) / weights
    top = np.argsort(-keys, kind="stable")[:n]
    return items[top]


def interview(model, rows: np.ndarray, m: int, key: np.uint64) -> np.ndarray:
    """Funnel outcome of each interview, the first that applies; stored in `funnel_outcome`."""
    p, s, pol = model.p.basisbaan, model.s, model.muni_policy
    hours = pol["basisbaan_hours"][m]
    pid = s.person_id[rows]
    u = np.stack([uniforms(key, pid, 1), uniforms(key, pid, 2), uniforms(key, pid, 3)])
    gain = money.net_gain(model, rows, hours, pol["basisbaan_wage_share"][m]) + s.intrinsic[rows]
    conditions = [
        pol["basisbaan_requires_participation"][m] & ~s.had_participation[rows],
        pol["basisbaan_requires_no_prospects"][m] & (s.skill[rows] >= p.prospects_skill)
        & (s.health_hours[rows] >= hours),
        (s.state[rows] == S.PARTICIPATION) & (u[0] < p.prefers_volunteering),
        s.health_hours[rows] < p.health_tolerance * hours,
        (gain + search.refusal_cost(model, rows, "basisbaan_voluntary") < p.reservation) | (u[1] < p.not_interested),
        u[2] < p.unknown,
    ]
    found = person_decisions.decided(model, rows)
    if found is not None:   # a person's own standing decision replaces their choices (volunteering, interest, return)
        has, accepts = found
        for k in (2, 5):
            conditions[k] = conditions[k] & ~has
        conditions[4] = np.where(has, ~accepts, conditions[4])
    names = ["not_eligible", "regular_prospects", "prefers_volunteering", "health_or_capacity",
             "not_interested", "unknown"]
    outcome = np.select(conditions, [S.FUNNEL_CODE[n] for n in names], default=S.FUNNEL_CODE["placed"])
    s.funnel_outcome[rows] = outcome
    s.funnel_month[rows] = model.month
    s.funnel_state[rows] = s.state[rows]
    np.add.at(model.funnel_counts, (m, outcome), 1)
    return outcome


def place(model, rows: np.ndarray, m: int) -> None:
    pol = model.muni_policy
    n = rows.size
    if n == 0:
        return
    temporary = np.full(n, pol["basisbaan_contract"][m] == "temporary")
    s = model.s
    model.placements.append({"month": np.full(n, model.month), "person_id": s.person_id[rows].copy(),
                             "municipality": np.full(n, m), "age": s.age[rows].copy(),
                             "months_on_benefit": s.months_on_benefit[rows].copy(),
                             "single": s.household[rows] == S.SINGLE, "male": s.male[rows].copy(),
                             "wellbeing_start": s.wellbeing[rows].copy()})
    jobs.start_job(model, rows, S.BASISBAAN, np.full(n, -1, dtype=np.int64),
                   np.full(n, pol["basisbaan_hours"][m], dtype=np.float32), temporary,
                   int(pol["basisbaan_contract_months"][m]), np.zeros(n, dtype=bool), reason="basisbaan_placed")


def placements_frame(model):
    """All basisbaan placements so far as a DataFrame (one row per placement)."""
    import pandas as pd
    if not model.placements:
        return pd.DataFrame(columns=["month", "person_id", "municipality", "age", "months_on_benefit", "single",
                                     "male", "wellbeing_start"])
    cols = model.placements[0].keys()
    df = pd.DataFrame({c: np.concatenate([p[c] for p in model.placements]) for c in cols})
    df["municipality"] = [model.municipality_names[m] for m in df["municipality"]]
    return df


MECHANISM = Mechanism("basisbaan", doc=__doc__, params=BasisbaanParams, columns=COLUMNS, step=step)
