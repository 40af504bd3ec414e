"""Bad input is refused, not bent (docs/limits.md): exit 2, exactly one line on stderr, nothing written.

The table of bad inputs is `tests/bad_inputs.py` (shared with `benchmarks/fuzz_bad_inputs.py`); each case runs
through the console command's own entry point in-process, in a fresh folder, with model building made to fail
loudly, so a case passes only if it was refused before a model was built. Ctrl-C is tested on real processes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from abm import scenario as SC
from abm.model import LabourMarketModel
from abm.scenario import MAX_AGENTS, ScenarioError, load, slug
from tests.bad_inputs import CTRL_C_COMMANDS, TINY, Case, call_plm, corpus, run_case, run_interrupt_case

ROOT = Path(__file__).resolve().parent.parent
CASES = corpus()
CLASSES = {"types", "files", "size", "paths", "seeds", "options", "api"}


def test_the_corpus_covers_every_class_with_at_least_205_inputs():
    assert {c.kind for c in CASES} == CLASSES
    assert len(CASES) >= 205
    assert len({c.name for c in CASES}) == len(CASES), "case names are unique"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_one_line_and_nothing_written(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = run_case(case, tmp_path / "case")
    assert outcome.ok, f"{case.name}: {outcome.reason}"


def test_the_judge_fails_a_case_that_is_not_refused(tmp_path):
    """The check can fail: a good input reaches the build, a run that writes is caught."""
    good = Case("good", "types", ("run", *("--set", "months=1", "--set", "scale=50.0")))
    outcome = run_case(good, tmp_path / "a")
    assert not outcome.ok and "not refused" in outcome.reason
    written = Case("writes", "types", ("run", "--months", "1", "--set", "scale=50.0"))
    outcome = run_case(written, tmp_path / "b", guard=False)
    assert not outcome.ok and "exit code 0" in outcome.reason


@pytest.mark.parametrize("name", ["../../x", "/etc/cron.d/x", "..", "a/b/../../c", "x\ny", "  ", "ä ö"])
def test_a_scenario_name_never_chooses_where_files_go(name, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "s.toml").write_text(TINY + f"name = {json.dumps(name)}\n")
    code, _, err = call_plm(["run", "--scenario", "s.toml", "--quiet"])
    assert code == 0, err
    assert {p.name for p in tmp_path.iterdir()} == {"work"}
    assert {p.name for p in work.iterdir()} == {"s.toml", "runs"}
    (folder,) = (work / "runs").iterdir()
    assert folder.name.startswith(slug(name) + "-seed42-") and folder.parent == work / "runs"
    assert "/" not in slug(name) and ".." not in slug(name)


def test_a_values_from_numpy_are_plain_values_not_refused():
    model = LabourMarketModel("default", seed=np.int64(3), months=np.int64(1), agent_views=np.bool_(False),
                              **{"scale": np.float64(50.0), "policy.basisbaan_slots": np.int64(5)})
    assert model.p.months == 1 and model.p.policy.basisbaan_slots == 5


def test_scenarios_show_prints_a_checked_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("s.toml").write_text(TINY)
    code, out, _ = call_plm(["scenarios", "show", "s.toml"])
    assert code == 0 and out == TINY
    code, out, _ = call_plm(["scenarios", "show", "s.toml", "--resolved"])
    assert code == 0 and "caseload" in out and "scale = 50.0" in out


def test_size_is_refused_before_building_with_both_figures():
    sc = load("default")
    with pytest.raises(ScenarioError) as err:
        LabourMarketModel(sc, **{"municipalities.*.regular_sample": 5_000_000,
                                 "municipalities.*.bijstand": 2_000_000})
    msg = str(err.value)
    assert f"{MAX_AGENTS:,}" in msg and "35,013,150 people" in msg
    from abm.scenario import check_size
    with pytest.raises(ScenarioError, match=r"need about 0\.\d GB of memory; available: 0\.1 GB"):
        check_size(sc, available=100_000_000)


def test_the_limits_in_the_docs_are_the_ones_in_force():
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for figure in (f"{SC.MAX_AGENTS:,}", f"{SC.MAX_FILE_BYTES:,} bytes", f"{SC.MAX_DEPTH} levels",
                   f"BASE_BYTES = {SC.BASE_BYTES / 1e6:g} MB", f"BYTES_PER_AGENT = {SC.BYTES_PER_AGENT:g}",
                   f"BYTES_PER_AGENT_MONTH = {SC.BYTES_PER_AGENT_MONTH:g}",
                   f"BYTES_PER_AGENT_VIEW = {SC.BYTES_PER_AGENT_VIEW:g}", "2**63"):
        assert figure in text, figure


# --- Ctrl-C -------------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("command", list(CTRL_C_COMMANDS))
def test_ctrl_c_prints_one_line_exits_130_and_writes_nothing(command, tmp_path):
    outcome = run_interrupt_case(command, tmp_path / "case")
    assert outcome.ok, outcome.reason


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("wait, presses", [(0.5, 1), (2.0, 2), (6.0, 2)])
def test_ctrl_c_twice_or_while_starting_is_one_line_too(wait, presses, tmp_path):
    outcome = run_interrupt_case("run", tmp_path / "case", wait=wait, presses=presses)
    assert outcome.ok, outcome.reason


def test_a_ctrl_c_wrapped_in_compiled_layers_is_still_an_interruption():
    """numba wraps an exception from inside a compiled call in a SystemError per layer it passes."""
    from experiments.cli import Interrupted, _caused_by_interrupt

    def wrapped(root: BaseException, layers: int) -> BaseException:
        exc = root
        for _ in range(layers):
            outer = SystemError("returned a result with an exception set")
            outer.__cause__ = exc
            exc = outer
        return exc

    assert _caused_by_interrupt(wrapped(Interrupted(), 3))
    assert _caused_by_interrupt(wrapped(KeyboardInterrupt(), 1))
    assert not _caused_by_interrupt(wrapped(ValueError("a real error"), 3))
