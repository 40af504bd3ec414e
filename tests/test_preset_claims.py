"""Direction tests of the rules behind three presets' claims (issue 10, §6.6-6.8).

- Quota (docs/evidence.md E30-E31): the register-only side effect comes from a threatened quota, so with the levy
  suspended, as today, employers still favour register candidates (`subsidy_quota.threatened_share` of the
  enforced bonus); no levy is due unless it is enforced.
- Stigma and contact (E13): contact changes little; with `stigma.contact_floor` 0.7 the beliefs of regular firms
  fall less over two years than if contact could bring them down to a fifth.
- Tight market (E1): long-term unemployment persists despite shortages; the lower bar of a tight market reaches
  people with the long-term label only in part (`hiring.tight_label_share`), so a tight market includes fewer
  people with it than if the bar fell for everyone, and at tightness 1 the share changes nothing.
"""

from __future__ import annotations

from abm import states as S
from tests.conftest import run_small


def test_a_threatened_quota_favours_register_candidates_and_collects_nothing():
    none = run_small(seed=4, months=12, **{"subsidy_quota.threatened_share": 0.0}).timeseries()
    threat = run_small(seed=4, months=12, **{"subsidy_quota.threatened_share": 1.0}).timeseries()
    register = "inclusion_rate_register"
    outside = "inclusion_rate_limitation_outside_register"
    assert threat[register].iloc[6:].mean() > none[register].iloc[6:].mean()
    assert threat[outside].iloc[6:].mean() <= none[outside].iloc[6:].mean()
    assert (threat["quota_levies"] == 0).all()


def test_contact_lowers_beliefs_little():
    def regular_belief(floor: float) -> float:
        m = run_small(seed=2, months=24, **{"stigma.contact_floor": floor})
        return float(m.e.belief[m.e.kind == S.REGULAR_FIRM].mean())
    assert regular_belief(0.7) > regular_belief(0.2)


def test_a_tight_market_reaches_the_long_term_unemployed_only_in_part():
    def in_regular_work(tightness: float, share: float) -> float:
        m = run_small(seed=6, months=12, **{"economy.tightness": tightness, "hiring.tight_label_share": share})
        return float((m.s.state == S.REGULAR).sum())
    assert in_regular_work(1.3, 0.8) < in_regular_work(1.3, 0.0)
    assert in_regular_work(1.0, 0.8) == in_regular_work(1.0, 0.0)
