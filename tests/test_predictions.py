"""Calibration set and predictions (issue 10, section 3): the role of every preset follows the targets file, and
the prediction record covers exactly the prediction presets, is never overwritten and reads back as written."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest

from abm.scenario import ScenarioError, load, preset_names
from experiments import predictions as P
from experiments import report as R
from experiments.cli import main
from experiments.noise import spread_interval
from experiments.roles import CALIBRATION, EXAMPLE, PREDICTION, calibration_presets, prediction_presets, role
from experiments.validation import load_targets

NOW = datetime(2026, 11, 30, 1, 2, 3, tzinfo=timezone.utc)


def _has_programme(name: str) -> bool:
    """Whether a preset runs a basisbaan-like programme (for the made-up results below)."""
    return "basisbaan" in name or name in ("job-guarantee", "melkert-1994", "stip-den-haag")


# a prediction preset with a basisbaan programme and one without (chosen by role: targets may be added)
PROGRAMME = next(n for n in prediction_presets() if _has_programme(n))
PLAIN = next(n for n in prediction_presets() if not _has_programme(n))


def test_a_preset_is_calibration_exactly_when_a_target_of_its_own_names_it():
    named = {t.scenario for t in load_targets() if t.kind == "own"}
    assert calibration_presets() == named
    assert {"groningen-basisbaan-2020", "baseline-participatiewet"} <= named
    for name in preset_names():
        expected = EXAMPLE if name == "default" else CALIBRATION if name in named else PREDICTION
        assert role(name) == expected, name
    assert set(prediction_presets()) == set(preset_names()) - named - {"default"}
    assert PROGRAMME in prediction_presets() and PLAIN in prediction_presets()
    assert role("my-own-scenario.toml") == PREDICTION
    assert set(R.report_presets()) == set(preset_names()) - {"default"}


def test_a_general_finding_checked_on_a_preset_leaves_it_a_prediction():
    """Rotterdam's only target is a meta-analysis finding (kind general): Rotterdam stays a prediction, labelled
    as checked against it; Groningen, with targets of its own as well, is calibration."""
    from experiments.roles import checked_against_general, role_label

    rotterdam = "rotterdam-wijkbasisbaan-2021"
    assert rotterdam in {t.scenario for t in load_targets()}
    assert role(rotterdam) == PREDICTION and rotterdam in prediction_presets()
    assert checked_against_general(rotterdam) == ("rotterdam_basisbaan_regular_24m",)
    assert role_label(rotterdam) == \
        "prediction (checked against a general finding: rotterdam_basisbaan_regular_24m)"
    assert role("groningen-basisbaan-2020") == CALIBRATION
    assert role_label("groningen-basisbaan-2020") == CALIBRATION
    assert checked_against_general("groningen-basisbaan-2020") == ("groningen_basisbaan_regular_24m",
                                                                   "groningen_lock_in")


def test_a_target_kind_other_than_own_or_general_is_refused_in_one_line(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text('[x]\nscenario = "default"\nmeasure = "m"\nobserved = 1\nsource = "s"\nkind = "local"\n')
    with pytest.raises(ScenarioError, match=r"^x\.kind = 'local': allowed: own, general$"):
        load_targets(str(path))


def test_every_prediction_preset_says_what_it_would_be_checked_against():
    texts = P.check_against_texts()
    assert set(prediction_presets()) <= set(texts) <= set(preset_names())   # a preset a target later names may
    # keep its text (it is then a calibration preset and no record uses it)
    assert all(len(t) > 40 for t in texts.values())


def test_the_interval_is_the_central_90_percent_of_the_runs():
    assert spread_interval(list(range(101))) == (5.0, 95.0)
    assert spread_interval([3.0, 1.0, 2.0]) == pytest.approx((1.1, 2.9))
    assert spread_interval([2.0, math.nan, 4.0]) == pytest.approx((2.1, 3.9))
    assert all(math.isnan(x) for x in spread_interval([math.nan]))
    assert P.interval([1.0, 2.0, 3.0]) == spread_interval([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        spread_interval([1.0], level=1.5)


def _headline(seed: int, offset: float, basisbaan: bool) -> dict[str, float]:
    out = {key: offset + seed / 100 for key in (*P.FIGURES, *(row[0] for row in R.ROWS))}
    if not basisbaan:
        out["programme_net_cost_per_basisbaan_year"] = math.nan
        for p in R.PROGRAMME_PARTIES:
            out[f"programme_cost_per_fte_month_{p}"] = math.nan
    return out


def _results(names, seeds=3) -> list[R.ScenarioResult]:
    """Results as `report.run_one` gives them, made up (no runs): the preset 1 above its comparator."""
    out = []
    for name in names:
        sc = load(name)
        has_programme = _has_programme(name)
        out.append(R.ScenarioResult(name, sc, "baseline-participatiewet",
                                    [_headline(s, 1.0, has_programme) for s in range(1, seeds + 1)],
                                    [_headline(s, 0.0, False) for s in range(1, seeds + 1)]))
    return out


@pytest.fixture(scope="module")
def record() -> P.Record:
    return P.make_record(_results(prediction_presets()), "plm predict --seeds 3", (1, 2, 3), 12.34, NOW)


def test_the_record_covers_every_prediction_preset_and_no_calibration_preset(record):
    assert [p.name for p in record.presets] == prediction_presets()
    assert all(p.role == PREDICTION and p.check_against for p in record.presets)
    assert not {p.name for p in record.presets} & calibration_presets()
    with pytest.raises(ScenarioError, match="groningen-basisbaan-2020.*role is calibration"):
        P.make_record(_results(["groningen-basisbaan-2020"]), "plm predict", (1, 2, 3), 1.0, NOW)


def test_the_record_holds_figures_intervals_effects_and_provenance(record):
    assert record.date == "2026-11-30" and record.seeds == (1, 2, 3)
    assert (record.git_revision, record.git_dirty) == P.git_state()
    taken = P.make_record(_results([PLAIN]), "plm predict", (1,), 1.0, NOW, ("abc123", True))
    assert (taken.git_revision, taken.git_dirty) == ("abc123", True)   # as taken when the runs started
    assert P.default_record_path("2026-11-30", "0123456789abcdef", True).name == "2026-11-30-0123456789-dirty.toml"
    assert len(record.calibrated_sha256) == 64 and record.command == "plm predict --seeds 3"
    programme = {p.name: p for p in record.presets}[PROGRAMME]
    figures = {f.key: f for f in programme.figures}
    inclusion = figures["inclusion_rate"]
    assert inclusion.values == (1.01, 1.02, 1.03) and inclusion.comparator_values == (0.01, 0.02, 0.03)
    assert inclusion.mean == pytest.approx(1.02) and inclusion.effect_mean == pytest.approx(1.0)
    assert inclusion.interval == pytest.approx((1.011, 1.029))
    assert inclusion.when == f"month {programme.months}"
    assert figures["displacement_per_100"].when == f"months {programme.months - 11}-{programme.months}"
    # a basisbaan cost the comparator does not have: recorded as a level, without an effect
    cost = figures["programme_cost_per_fte_month_municipality"]
    assert cost.comparator_values == () and not cost.has_effect and "effect_mean" not in cost.to_dict()
    # a preset without a basisbaan programme has no cost per basisbaan job at all
    plain = {p.name: p for p in record.presets}[PLAIN]
    assert "programme_net_cost_per_basisbaan_year" not in {f.key for f in plain.figures}
    assert "regular_rate" in {f.key for f in plain.figures}


def test_a_record_reads_back_as_written_and_is_never_overwritten(record, tmp_path):
    path = tmp_path / "2026-11-30-abc.toml"
    P.write_record(record, P.check_new_record(path))
    back = P.read_record(path)
    assert back == record and back.to_dict() == record.to_dict()
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match="never overwritten"):
        P.check_new_record(path)
    with pytest.raises(ScenarioError, match="never overwritten"):
        P.write_record(record, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]   # no partial file left behind


def test_plm_predict_refuses_an_existing_record_before_running(record, tmp_path, capsys):
    path = tmp_path / "old.toml"
    P.write_record(record, path)
    before = path.read_bytes()
    md = tmp_path / "predictions.md"
    assert main(["predict", "--seeds", "2", "--record", str(path), "--out", str(md)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --record = ") and "never overwritten" in err and len(err.splitlines()) == 1
    assert path.read_bytes() == before and not md.exists()
    assert main(["predict", "--seeds", "0", "--record", str(tmp_path / "new.toml")]) == 2
    assert "--seeds = 0" in capsys.readouterr().err and not (tmp_path / "new.toml").exists()


def test_plm_predict_show_writes_the_markdown_of_a_record(record, tmp_path, capsys):
    path = tmp_path / "rec.toml"
    P.write_record(record, path)
    md = tmp_path / "predictions.md"
    assert main(["predict", "--show", str(path), "--out", str(md)]) == 0
    text = md.read_text(encoding="utf-8")
    assert text == P.markdown(P.read_record(path), str(path))
    assert "## Comparing a later evaluation with it" in text and "plm predict --seeds 3" in text
    for p in record.presets:
        assert f"## {p.name}" in text and p.check_against in text
    assert "## groningen-basisbaan-2020" not in text
    (tmp_path / "bad.toml").write_text("x = 1\n", encoding="utf-8")
    assert main(["predict", "--show", str(tmp_path / "bad.toml")]) == 2
    assert "not a prediction record" in capsys.readouterr().err


def test_the_report_labels_each_preset_calibration_or_prediction():
    text = R.markdown(_results(["groningen-basisbaan-2020", PLAIN], seeds=2), "plm report")
    assert "| [groningen-basisbaan-2020](#groningen-basisbaan-2020) | calibration |" in text
    assert f"| [{PLAIN}](#{PLAIN}) | prediction |" in text
    assert "Only the targets file is used for calibration." in text
    assert "Role: **prediction**" in text and "Role: **calibration**" in text


def test_plm_scenarios_lists_the_role(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines()
            if line.count("│") >= 3 and line.split("│")[1].strip() in preset_names()}
    assert rows["groningen-basisbaan-2020"] == CALIBRATION and rows[PLAIN] == PREDICTION
    assert rows["default"] == EXAMPLE
    assert "prediction: no observed figure" in out


@pytest.mark.slow
def test_plm_predict_writes_a_record_of_every_prediction_preset(tmp_path):
    rec, md = tmp_path / "r.toml", tmp_path / "p.md"
    assert main(["predict", "--seeds", "2", "--months", "2", "--record", str(rec), "--out", str(md)]) == 0
    back = P.read_record(rec)
    assert [p.name for p in back.presets] == prediction_presets() and back.seeds == (1, 2)
    assert all(p.months == 2 for p in back.presets)
    assert md.read_text(encoding="utf-8") == P.markdown(back, str(rec))


def test_the_app_says_the_role_of_the_loaded_scenario_in_both_languages():
    from experiments.roles import ROLES
    from viz import i18n as I
    from viz.session import Session

    for r in (*ROLES, "changed"):
        en, nl = I.t(f"role_{r}", "en"), I.t(f"role_{r}", "nl")
        assert en and nl and en != nl
    s = Session("groningen-basisbaan-2020", seed=1, overrides={"scale": 20.0, "months": 2})
    assert s.role() == CALIBRATION
    assert s.load_preset(PLAIN) is None and s.role() == PREDICTION
    assert s.load_preset("default") is None and s.role() == EXAMPLE
    assert s.general_findings() == ()
    assert s.load_preset("rotterdam-wijkbasisbaan-2021") is None and s.role() == PREDICTION
    assert s.general_findings() == ("rotterdam_basisbaan_regular_24m",)        # the card says what it is checked on
    for lang in ("en", "nl"):
        assert "rotterdam_basisbaan_regular_24m" in I.t("role_general", lang, targets=", ".join(s.general_findings()))


def test_the_headline_also_reads_inclusion_and_regular_work_at_month_24():
    from experiments.runner import run_scenario

    ts = run_scenario(load("default", {"months": 25, "scale": 50.0}), seed=1).timeseries
    h = R.headline(ts)
    row = ts[ts["month"] == 24].iloc[0]
    assert h["inclusion_rate_month_24"] == row["inclusion_rate"]
    assert h["regular_rate_month_24"] == row["n_regular"] / row["seekers"]
    assert R.read_months("regular_rate_month_24", 120) == "month 24"
    assert math.isnan(R.headline(ts[ts["month"] <= 24])["inclusion_rate_month_24"])   # not read at the end
    # the months a record states are the months headline() reads
    for key in ("inclusion_rate", "inclusion_rate_month_24", "displacement_per_100", "throughput_rate"):
        when = R.read_months(key, 25).split(" ")[1].split("-")
        first, last = int(when[0]), int(when[-1])
        column = key.replace("_month_24", "")
        assert h[key] == pytest.approx(ts[ts["month"].between(first, last)][column].mean(), rel=1e-12), key


def test_the_record_states_when_each_figure_is_read(record):
    programme = {p.name: p for p in record.presets}[PROGRAMME]
    figures = {f.key: f for f in programme.figures}
    assert figures["regular_rate_month_24"].when == "month 24"
    assert figures["regular_rate_month_24"].label.endswith(", month 24")
    assert figures["throughput_rate"].when == f"months 1-{programme.months}"


def test_every_shipped_record_reads_back_and_holds_only_predictions():
    from pathlib import Path

    shipped = sorted((Path(__file__).resolve().parent.parent / "experiments" / "predictions").glob("*.toml"))
    assert shipped, "the repository ships at least one prediction record"
    for path in shipped:
        rec = P.read_record(path)
        assert rec.presets and all(p.role == PREDICTION and p.figures for p in rec.presets), path.name
        assert path.name.startswith(rec.date) and rec.git_revision[:10] in path.name, path.name


# --- over a calibration ensemble: runs pooled with the members' importance weights ------------------------

HEAVY = ('central_member = 2\n[provenance]\nformat = 2\n[priors]\n"stigma.weight" = [0.1, 0.6]\n'
         '[[members]]\nid = 1\nweight = 1.0\n[members.parameters]\n"stigma.weight" = 0.1\n'
         '[[members]]\nid = 2\nweight = 99.0\n[members.parameters]\n"stigma.weight" = 0.6\n')


def _ensemble_results(names) -> list[R.ScenarioResult]:
    """Made-up results over a two-member ensemble: member 1 (weight 1) 1 above the comparator, member 2 (weight
    99) 3 above, two seeds each."""
    out = []
    for name in names:
        prog = _has_programme(name)
        runs = [_headline(s, level, prog) for level in (1.0, 3.0) for s in (1, 2)]
        refs = [_headline(s, 0.0, False) for _level in (1.0, 3.0) for s in (1, 2)]
        out.append(R.ScenarioResult(name, load(name), "baseline-participatiewet", runs, refs, [1, 1, 2, 2],
                                    member_weights={1: 1.0, 2: 99.0}))
    return out


def test_a_record_over_an_ensemble_pools_with_the_members_weights_and_reads_back(tmp_path):
    from experiments.ensemble import load_ensemble

    path = tmp_path / "e.toml"
    path.write_text(HEAVY)
    ens = load_ensemble(path)
    rec = P.make_record(_ensemble_results([PLAIN]), "plm predict --seeds 2 --ensemble e.toml", (1, 2), 1.0, NOW,
                        ("abc", False), ens)
    inclusion = {f.key: f for f in rec.presets[0].figures}["inclusion_rate"]
    assert inclusion.weights == pytest.approx((0.005, 0.005, 0.495, 0.495))
    assert inclusion.mean == pytest.approx(0.01 * 1.015 + 0.99 * 3.015)          # not 2.015, the equal mean
    assert inclusion.effect_mean == pytest.approx(0.01 * 1.0 + 0.99 * 3.0)
    lo, hi = inclusion.interval
    assert lo > 2.0 and hi == pytest.approx(3.02, abs=1e-3)   # the light member lies below the interval's 5%
    assert inclusion.interval == spread_interval(inclusion.values, 0.9, inclusion.weights)
    assert rec.ensemble["members"] == [1, 2] and rec.ensemble["member_weights"] == [1.0, 99.0]
    assert len(rec.ensemble["sha256"]) == 64 and "importance weights" in rec.interval
    P.write_record(rec, tmp_path / "r.toml")
    back = P.read_record(tmp_path / "r.toml")
    assert back == rec and {f.key: f for f in back.presets[0].figures}["inclusion_rate"].mean == inclusion.mean
    text = P.markdown(back, "r.toml")
    assert "2 ensemble members x 2 seeds, pooled with the members' importance weights" in text
    assert f"{inclusion.mean:.1%} [{lo:.1%}, {hi:.1%}]" in text
    # a record over seeds only stays as it was: no weights, no ensemble, the same text
    plain = P.make_record(_results([PLAIN]), "plm predict", (1, 2, 3), 1.0, NOW, ("abc", False))
    assert "weights" not in plain.to_dict()["presets"][PLAIN]["figures"]["inclusion_rate"]
    assert "ensemble" not in plain.to_dict()["record"] and "carries the seeds' noise only" in P.markdown(plain, "x")


def test_plm_predict_refuses_ensemble_with_show_and_a_missing_ensemble(tmp_path, capsys):
    assert main(["predict", "--show", "x.toml", "--ensemble", "e.toml"]) == 2
    assert "--ensemble = 'e.toml': allowed: not with --show" in capsys.readouterr().err
    assert main(["predict", "--ensemble", str(tmp_path / "none.toml"), "--record", str(tmp_path / "r.toml")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and len(err.strip().splitlines()) == 1 and not (tmp_path / "r.toml").exists()
