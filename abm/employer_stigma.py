"""Employer stigma: the visible label a person carries times the belief an employer holds (docs/evidence.md E11-E18).

Rule. The hiring score loses `weight × Σ_g belief[employer, g] × label[person, g]`. Labels:
- long-term unemployed: a logistic in months out of work around a 12-month threshold (Krug et al. 2019:
  34% of employers would hire an unemployed person only if unemployment lasted under a year). Months in
  parallel or basisbaan work count `subsidised_in_spell` times as months out: employers read subsidised work
  as part of the spell out of regular work, not as the end of it (docs/evidence.md E86: job creation in the
  public sector does not raise later regular employment, Card, Kluve & Weber 2018; Platform31 2022);
- older: rises from age 45 to full at 60 (56% of older job seekers report age discrimination);
- psychological vulnerability and work limitation: visible with a probability (disclosure, gaps in a CV);
- non-western migration background.
Labels add up across groups, so disadvantages stack (intersectionality).
Beliefs start high for psychological vulnerability (64% of managers less willing, Janssens et al. 2021) and
long-term unemployment (only 14% willing, Krug et al.), fall slowly with contact (employees of that group
working there) and never below a floor: 30% of managers stay reluctant despite good experiences (their floor is
their starting belief), and for the others contact changes little too: it lowers a belief to `contact_floor` of
its start at most (Janssens et al. 2021 find positive experiences common and reluctance persistent, E13). Each
month a share `belief_renewal` of the way back to the employer's starting belief is made up: managers and
recruiters change, and a newcomer brings the common view (assumption). Without it beliefs could only fall, and
the baseline's hiring of people with a limitation kept rising for decades (docs/model.md, "A baseline that stands
still"); with it a belief settles where contact and renewal balance.
"""

from __future__ import annotations

import numpy as np

from abm import states as S
from abm.jit import jit, jit_parallel, prange
from abm.mechanism import Mechanism, Month
from abm.params import Section, param

JANSSENS = "docs/evidence.md E12 (Janssens et al. 2021)"
KRUG = "docs/evidence.md E14 (Krug et al. 2019)"


class StigmaParams(Section):
    enabled: bool = param(True, doc="switch: off = employers do not penalise labels")
    weight: float = param(0.35, 0, 5, unit="score per unit", doc="weight of stigma in the hiring score")
    threshold_months: float = param(12.0, 0, 120, unit="months", doc="months out where the label is half",
                                    source="docs/evidence.md E15 (Krug et al. 2019)")
    threshold_width: float = param(3.0, 0.1, 60, unit="months", doc="steepness of the long-term label")
    subsidised_in_spell: float = param(1.0, 0, 1, unit="share",
                                       doc="how far months in parallel or basisbaan work count as months out for "
                                           "the long-term label (0: subsidised work ends the spell)",
                                       source="docs/evidence.md E86 (Card, Kluve & Weber 2018; Platform31 2022)")
    psych_visibility: float = param(0.6, 0, 1, unit="share", doc="how visible a psychological vulnerability is")
    limitation_visibility: float = param(0.7, 0, 1, unit="share", doc="how visible a work limitation is")
    share_reluctant_psych: float = param(0.64, 0, 1, unit="share of employers",
                                         doc="employers less willing to hire someone with a psychological "
                                             "vulnerability", source=JANSSENS)
    share_unwilling_long_term: float = param(0.86, 0, 1, unit="share of employers",
                                             doc="employers unwilling to hire a long-term unemployed person",
                                             source=KRUG + " (14% willing)")
    belief_older: float = param(0.35, 0, 1, unit="belief 0..1", doc="mean belief about older workers",
                                source="docs/evidence.md E16 (18-56% report age discrimination)")
    belief_migrant: float = param(0.30, 0, 1, unit="belief 0..1", doc="mean belief about migrants")
    belief_limitation: float = param(0.45, 0, 1, unit="belief 0..1",
                                     doc="mean belief about people with a work limitation")
    sticky_share: float = param(0.30, 0, 1, unit="share of employers",
                                doc="employers whose belief does not fall below its start with contact",
                                source="docs/evidence.md E13 (Janssens et al. 2021: 30% stay reluctant)")
    contact_rate: float = param(0.02, 0, 1, unit="per month", doc="monthly fall of a belief with contact")
    contact_floor: float = param(0.7, 0, 1, unit="share of the starting belief",
                                 doc="lowest a belief of a non-sticky employer falls with contact (sticky: 1)",
                                 source="assumption; direction: docs/evidence.md E13 (Janssens et al. 2021: "
                                        "contact changes little)")
    belief_renewal: float = param(1.0 / 120.0, 0, 1, unit="per month",
                                  doc="share of the way back to the starting belief made up in a month "
                                      "(turnover of managers and recruiters)")
    inclusive_factor: float = param(0.3, 0, 1, unit="ratio", doc="beliefs of inclusive employers, relative")
    campaign_reduction: float = param(0.0, 0, 1, unit="share",
                                      doc="stigma-reduction campaign: share by which all beliefs fall")


def init_beliefs(e, p: StigmaParams, rng: np.random.Generator) -> None:
    """Draw each employer's belief per group; inclusive firms and parallel organisations hold lower ones."""
    n = e.n
    b = e.belief
    b[:, S.PSYCH] = np.where(rng.random(n) < p.share_reluctant_psych, rng.uniform(0.5, 1.0, n),
                             rng.uniform(0.0, 0.3, n))
    b[:, S.LONG_TERM] = np.where(rng.random(n) < p.share_unwilling_long_term, rng.uniform(0.5, 1.0, n),
                                 rng.uniform(0.0, 0.3, n))
    b[:, S.OLDER] = np.clip(rng.normal(p.belief_older, 0.2, n), 0, 1)
    b[:, S.MIGRANT] = np.clip(rng.normal(p.belief_migrant, 0.2, n), 0, 1)
    b[:, S.LIMITATION] = np.clip(rng.normal(p.belief_limitation, 0.2, n), 0, 1)
    soft = e.inclusive | (e.kind != S.REGULAR_FIRM)
    b[soft] *= p.inclusive_factor
    b *= 1 - p.campaign_reduction
    sticky = rng.random(n) < p.sticky_share
    e.belief_floor[:] = np.where(sticky[:, None], b, b * p.contact_floor)
    e.belief_start[:] = b


def static_labels(s, rows: np.ndarray, p: StigmaParams, rng: np.random.Generator) -> None:
    """Labels that do not change over time: psychological, migrant, work limitation (visible or not)."""
    n = rows.size
    s.label[rows, S.PSYCH] = s.psych[rows] & (rng.random(n) < p.psych_visibility)
    s.label[rows, S.MIGRANT] = s.migrant[rows]
    s.label[rows, S.LIMITATION] = s.work_limitation[rows] & (rng.random(n) < p.limitation_visibility)


@jit_parallel
def _update_labels(months_out, months_since_regular, subsidised_in_spell, age, label, threshold, width):
    for i in prange(months_out.size):
        spell = months_out[i] + subsidised_in_spell * max(months_since_regular[i] - months_out[i], 0)
        label[i, S.LONG_TERM] = 1.0 / (1.0 + np.exp(-(spell - threshold) / width))
        label[i, S.OLDER] = min(max((age[i] - 45.0) / 15.0, 0.0), 1.0)


def update_labels(s, p: StigmaParams) -> None:
    """Labels that move: months out of work, subsidised months counted `subsidised_in_spell` times (threshold
    near 12 months), and age."""
    _update_labels(s.months_out, s.months_since_regular, p.subsidised_in_spell, s.age, s.label, p.threshold_months,
                   p.threshold_width)


@jit
def penalty_one(label, belief, i, e, weight):
    """Stigma penalty of person i at employer e: weight × Σ_g label × belief."""
    total = 0.0
    for g in range(label.shape[1]):
        total += label[i, g] * belief[e, g]
    return weight * total


def weight(model) -> float:
    return model.p.stigma.weight if model.p.stigma.enabled else 0.0


@jit
def _contact(state, employer, label, n_employers):
    """Employees per employer and group with a visible label (the contact that softens beliefs)."""
    contact = np.zeros((n_employers, label.shape[1]), dtype=np.float32)
    for i in range(state.size):
        if state[i] == S.REGULAR and employer[i] >= 0:
            for g in range(label.shape[1]):
                if label[i, g] > 0.5:
                    contact[employer[i], g] += 1.0
    return contact


def update_beliefs(model) -> None:
    """Contact lowers beliefs slowly: for each group with employees at the firm, move toward the floor."""
    p = model.p.stigma
    s, e = model.s, model.e
    if p.contact_rate == 0:
        return
    contact = _contact(s.state, s.employer, s.label, e.n)
    step = p.contact_rate * np.minimum(contact, 3.0) / 3.0
    e.belief -= step * (e.belief - e.belief_floor)
    e.belief += np.float32(p.belief_renewal) * (e.belief_start - e.belief)


def mean_regular_belief(e) -> np.ndarray:
    """The mean belief of regular firms per group (what a person meets on average)."""
    regular = e.kind == S.REGULAR_FIRM
    if not regular.any():
        return np.zeros(S.N_GROUPS, dtype=np.float32)
    return e.belief[regular].mean(axis=0).astype(np.float32)


def init(model) -> None:
    """Labels and the mean belief once the world is built."""
    update_labels(model.s, model.p.stigma)
    model.mean_regular_belief = mean_regular_belief(model.e)
    model.mean_perceived_stigma = mean_label_stigma(model)


def step(model, month: Month) -> None:
    """Labels move with months out and age; beliefs soften with contact."""
    update_labels(model.s, model.p.stigma)
    update_beliefs(model)
    model.mean_regular_belief = mean_regular_belief(model.e)


def mean_label_stigma(model) -> float:
    """Mean stigma a person meets: labels weighted by the mean belief of regular employers."""
    e = model.e
    regular = e.kind == S.REGULAR_FIRM
    if not regular.any():
        return 0.0
    mean_belief = e.belief[regular].mean(axis=0)
    return float((model.s.label @ mean_belief).mean())


MECHANISM = Mechanism("stigma", doc=__doc__, params=StigmaParams, step=step)
