"""The evidence issue: the basisbaan funnel, the accounts per party, every preset's policy, validation,
calibration and the scenario report."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from abm import basisbaan
from abm import states as S
from abm.accounts import NON_PARTIES, PARTIES
from abm.model import LabourMarketModel
from abm.scenario import load, preset_names

PLM = [sys.executable, "-m", "experiments.cli"]
SMALL = {"scale": 4.0}


def run(name: str, months: int, seed: int = 1, **overrides) -> LabourMarketModel:
    model = LabourMarketModel(name, seed=seed, months=months, agent_views=False, **{**SMALL, **overrides})
    model.run()
    return model


# --- the recruitment funnel ----------------------------------------------------------------------------------

def test_interview_outcomes_follow_the_funnel_in_order():
    m = LabourMarketModel("groningen-basisbaan-2020", seed=2, months=1, agent_views=False)
    s = m.s
    rows = np.flatnonzero((s.benefit == S.BIJSTAND) & (s.state == S.UNEMPLOYED))[:6]
    hours = m.muni_policy["basisbaan_hours"][0]
    s.had_participation[rows] = True
    s.skill[rows] = 0.6
    s.health_hours[rows] = 40.0
    s.household[rows] = S.SINGLE
    s.debts[rows] = 0
    s.intrinsic[rows] = 500.0            # interested
    s.had_participation[rows[0]] = False  # -> not eligible
    s.skill[rows[1]] = 1.2                # -> regular prospects
    s.health_hours[rows[2]] = 0.3 * hours  # -> health or capacity
    s.intrinsic[rows[3]] = -2000.0        # -> not interested
    m.p.basisbaan.unknown = 0.0
    m.p.basisbaan.not_interested = 0.0
    outcome = basisbaan.interview(m, rows, 0, m.key("basisbaan"))
    names = [S.FUNNEL_OUTCOMES[o] for o in outcome]
    assert names == ["not_eligible", "regular_prospects", "health_or_capacity", "not_interested", "placed",
                     "placed"]
    assert m.funnel_counts[0].sum() == 6 and m.funnel_counts[0, S.FUNNEL_CODE["placed"]] == 2


def test_funnel_is_recorded_and_placements_match_it():
    m = run("groningen-basisbaan-2020", 24, scale=1.0)
    funnel = m.funnel().sum()
    placements = m.basisbaan_placements()
    assert funnel.sum() > 0 and set(funnel.index) == set(S.FUNNEL_OUTCOMES[1:])
    assert funnel["placed"] == len(placements)
    assert (placements["months_on_benefit"] >= 36).all()
    # every placement is a transition into a basisbaan with the reason of the programme
    tr = m.transitions()
    assert (tr["reason"] == "basisbaan_placed").sum() == len(placements)


def test_target_groups_select_who_is_nominated():
    m = run("stip-den-haag", 24)
    p = m.basisbaan_placements()
    assert len(p) > 0
    rows = np.flatnonzero(np.isin(m.s.person_id, p["person_id"]))
    assert (m.s.in_register[rows] | (m.s.age[rows] >= 56)).all()


# --- the accounts per party ----------------------------------------------------------------------------------

def test_every_euro_is_booked_twice_and_the_municipality_pays_its_spend():
    m = run("rotterdam-wijkbasisbaan-2021", 18, **{"policy.participation_allowance": 100.0,
                                                   "policy.parallel_borrower_share": 0.3,
                                                   "policy.quota_enforced": True})
    ledger = m.ledger_frame()
    assert (ledger["amount"] >= 0).all()
    assert set(ledger["payer"]) | set(ledger["payee"]) <= set(PARTIES + NON_PARTIES)
    ts = m.timeseries()
    for month, rows in ledger.groupby("month"):
        paid = rows.groupby("payer")["amount"].sum()
        got = rows.groupby("payee")["amount"].sum()
        net = got.reindex(list(PARTIES + NON_PARTIES), fill_value=0) - paid.reindex(list(PARTIES + NON_PARTIES),
                                                                                     fill_value=0)
        assert abs(net.sum()) < 1e-6 * rows["amount"].sum()          # double entry: the nets cancel
        row = ts[ts["month"] == month].iloc[0]
        assert paid.get("municipality", 0) == pytest.approx(row["municipal_spend"], rel=1e-9)
        for party in PARTIES:
            assert net[party] == pytest.approx(row[f"account_{party}_net"], rel=1e-9, abs=1e-6)
    items = set(ledger["item"])
    assert {"basisbaan_cofunding", "participation_allowance", "quota_levies", "liveability"} <= items


def test_the_split_incentive_shows_in_the_accounts():
    """A large public-jobs programme: the municipality pays, the treasury, the neighbourhood and the
    participants gain (docs/evidence.md E76: costs fall on the municipality, benefits on others)."""
    with_jobs = run("job-guarantee", 24).timeseries().iloc[1:]
    without = run(BASE, 24).timeseries().iloc[1:]
    d = {p: with_jobs[f"account_{p}_net"].sum() - without[f"account_{p}_net"].sum() for p in PARTIES}
    assert d["municipality"] < 0
    assert d["treasury"] > 0 and d["neighbourhood"] > 0 and d["participants"] > 0


# --- every preset's policy changes the mechanism it claims ------------------------------------------------

def test_every_preset_runs():
    for name in preset_names():
        ts = run(name, 3).timeseries()
        assert len(ts) == 4, name


def _last(model, col):
    return model.timeseries()[col].iloc[-1]


def _mean(model, col, first=1):
    return model.timeseries()[col].iloc[first:].mean()


BASE = "baseline-participatiewet"


def test_basisbaan_pilots_run_their_programme_by_their_rules():
    base = run(BASE, 24)
    assert _last(base, "n_basisbaan") == 0
    rot = run("rotterdam-wijkbasisbaan-2021", 24)
    stad = rot.municipality_names.index("Stad")
    assert rot.muni_policy["basisbaan_contract"][stad] == "temporary"
    assert _last(rot, "n_basisbaan") > 0
    ledger = rot.ledger_frame()
    cofunding = ledger[(ledger["item"] == "basisbaan_cofunding") & (ledger["payer"] == "neighbourhood")]
    assert cofunding["amount"].sum() > 0   # the organisations top up the wage
    heerlen = run("heerlen-basisbaan-2019", 24)
    assert 0 < _last(heerlen, "n_basisbaan") <= 28 and heerlen.muni_policy["basisbaan_throughput_goal"][stad]


def test_melkert_drifts_to_temporary_jobs_and_is_cut():
    m = LabourMarketModel("melkert-1994", seed=1, agent_views=False, **SMALL)
    m.run(30)
    assert m.muni_policy["basisbaan_contract"][0] == "permanent" and _last(m, "n_basisbaan") > 0
    m.run(20)
    assert m.muni_policy["basisbaan_contract"][0] == "temporary" and m.muni_policy["basisbaan_throughput_goal"][0]
    m.run(40)
    assert _last(m, "n_basisbaan") == 0


def test_job_guarantee_and_parallel_market_bring_many_more_people_in():
    base = run(BASE, 24)
    jg = run("job-guarantee", 24)
    assert _last(jg, "n_basisbaan") > 10 * max(_last(base, "n_basisbaan"), 1)
    pm = run("parallel-market", 24)
    assert _last(pm, "n_parallel") > 2 * _last(base, "n_parallel")
    assert _last(pm, "inclusion_rate") > _last(base, "inclusion_rate")


def test_social_secondment_moves_cost_from_municipality_to_firms():
    base = run(BASE, 12)
    sec = run("social-secondment", 12)
    per_worker = lambda m: _mean(m, "spend_parallel") / _mean(m, "n_parallel")  # noqa: E731
    assert per_worker(sec) < 0.6 * per_worker(base)


def test_participation_income_pays_an_allowance_from_partners():
    m = run("participation-income", 12)
    ledger = m.ledger_frame()
    allowance = ledger[(ledger["item"] == "participation_allowance") & (ledger["payer"] == "neighbourhood")]
    assert allowance["amount"].sum() > 0
    assert _last(m, "n_participation") > _last(run(BASE, 12), "n_participation")


def test_trust_intensive_and_disregard_arms_change_their_levers():
    base = run(BASE, 12)
    trust = run("regelluwe-bijstand-trust", 12)
    assert _mean(base, "n_sanctioned") > 0 and _mean(trust, "n_sanctioned") == 0
    intensive = run("regelluwe-bijstand-intensive", 12)
    assert _mean(intensive, "n_coached") > 2 * _mean(base, "n_coached")
    disregard = load("regelluwe-bijstand-earnings-disregard")
    assert disregard.policy.earnings_disregard_share == 0.5 and disregard.policy.earnings_disregard_months == 24


def test_quota_and_stigma_reduction_change_employers():
    base = run(BASE, 12)
    quota = run("quota-enforced", 12)
    assert _mean(base, "quota_levies") == 0 and _mean(quota, "quota_levies") > 0
    stigma = run("stigma-reduction", 12)
    assert _mean(stigma, "mean_label_stigma") < 0.8 * _mean(base, "mean_label_stigma")


def test_economies_move_vacancies_and_tightness():
    tight, slack = run("tight-market", 12), run("recession", 12)
    assert _mean(tight, "regular_vacancies") > _mean(slack, "regular_vacancies")
    cycle = run("business-cycle", 70).timeseries()
    assert cycle["tightness"].iloc[36] == pytest.approx(1.3) and cycle["tightness"].iloc[70] == pytest.approx(0.7)


# --- validation, calibration, report ------------------------------------------------------------------------

@pytest.mark.slow
def test_plm_validate_passes_every_target_at_the_shipped_parameters():
    r = subprocess.run([*PLM, "validate", "--json"], capture_output=True, text=True, timeout=900)
    results = json.loads(r.stdout.strip().splitlines()[-1])
    failing = [x["target"] for x in results if not x["passed"]]
    assert failing == [] and r.returncode == 0
    assert {x["target"] for x in results} >= {"groningen_placed", "groningen_net_cost_per_basisbaan",
                                              "older_unemployed_quarterly_job_finding", "low_hours_incentive"}
    assert all(x["seeds"] == 10 for x in results)


def test_validate_exits_1_when_a_target_fails(tmp_path):
    from experiments import validation as V
    t = next(t for t in V.load_targets() if t.key == "groningen_placed")
    t.band = (0.0, 1.0)  # impossible: 50 slots are filled
    results = V.validate(seeds=1, targets=[t])
    assert not results[0].passed


@pytest.mark.slow
def test_calibrate_fits_within_priors_and_writes_a_file_scenarios_can_use(tmp_path):
    out = tmp_path / "calibrated.toml"
    r = subprocess.run([*PLM, "calibrate", "--block", "baseline_labour", "--seeds", "1", "--max-evals", "3",
                        "--out", str(out)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    import tomllib
    data = tomllib.loads(out.read_text())
    assert 0.2 <= data["stigma"]["belief_older"] <= 0.6
    assert "compass search" in out.read_text()
    r = subprocess.run([*PLM, "calibrate", "--block", "nope"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "groningen_recruitment" in r.stderr


def test_calibrated_values_sit_beneath_every_scenario():
    from abm.scenario import calibrated_values
    values = calibrated_values()
    assert values, "abm/calibrated.toml is shipped"
    key, value = next(iter(values.items()))
    node = load(BASE)
    for part in key.split("."):
        node = getattr(node, part)
    assert node == pytest.approx(value)
    section, name = key.rsplit(".", 1)
    assert getattr(getattr(load(BASE, {key: value / 2 if value else 1.0}), section.split(".")[0]), name) != value


@pytest.mark.slow
def test_report_writes_markdown_with_headlines(tmp_path):
    out = tmp_path / "s.md"
    r = subprocess.run([*PLM, "report", "-s", "quota-enforced", "--seeds", "1", "--months", "6", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert "## quota-enforced" in text and "net position: municipality" in text and "baseline-participatiewet" in text
