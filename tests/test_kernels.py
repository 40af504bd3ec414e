"""Kernel inputs as named structures (abm/tables.bundle) and the numba limitation that shapes them."""

from collections import namedtuple

import numba
import numpy as np
import pytest

from abm.policy import POLICY_ARRAY_FIELDS, PolicyParams
from abm.tables import bundle

In = namedtuple("In", "x y")
Out = namedtuple("Out", "a")


def test_bundle_takes_fields_from_sources_and_overrides_and_refuses_a_missing_one():
    class Source:
        x = np.arange(3)
        y = np.ones(3)
    b = bundle(In, Source(), y=np.zeros(3))
    assert b.x is Source.x and not b.y.any()
    with pytest.raises(AttributeError, match="In.y"):
        bundle(In, type("Empty", (), {"x": 1})())


def test_the_policy_structure_holds_every_numeric_setting():
    numeric = {n for n, f in PolicyParams.model_fields.items() if f.annotation in (bool, int, float)}
    assert set(POLICY_ARRAY_FIELDS) == numeric | {"sanction_regime"}
    assert "regime" not in POLICY_ARRAY_FIELDS and "caseload" in POLICY_ARRAY_FIELDS


@numba.njit(parallel=True)
def _reads_through_structure(inp, a):
    for i in numba.prange(inp.x.size):
        a[i] = inp.x[i] * 2 + inp.y[i]


@numba.njit(parallel=True)
def _writes_through_structure(inp, out):
    for i in numba.prange(inp.x.size):
        out.a[i] = inp.x[i] * 2


def test_a_parallel_kernel_reads_through_a_structure():
    a = np.zeros(100)
    _reads_through_structure(In(np.arange(100.0), np.ones(100)), a)
    assert np.array_equal(a, np.arange(100.0) * 2 + 1)


@pytest.mark.xfail(strict=True, reason="numba 0.68 drops writes made through a namedtuple's arrays in a parallel "
                                       "loop; kernels therefore take their outputs as plain arrays")
def test_a_parallel_kernel_writes_through_a_structure():
    a = np.zeros(100)
    _writes_through_structure(In(np.arange(100.0), np.ones(100)), Out(a))
    assert np.array_equal(a, np.arange(100.0) * 2)


def test_a_run_uses_one_thread_unless_asked(monkeypatch):
    """One thread by default (a parallel kernel on a shared machine waits for its slowest thread,
    docs/benchmarks.md); PLM_THREADS for runs of PARALLEL_MIN_AGENTS people or more; a benchmark's own number."""
    from abm.model import LabourMarketModel

    monkeypatch.delenv("PLM_THREADS", raising=False)
    monkeypatch.delenv("PLM_PARALLEL_MIN_AGENTS", raising=False)
    m = LabourMarketModel("default", seed=1, months=1, scale=40.0)
    assert m.threads_wanted(8) == 1
    monkeypatch.setattr(numba.config, "NUMBA_NUM_THREADS", 8)   # a machine of 8 cores
    monkeypatch.setenv("PLM_THREADS", "4")
    m = LabourMarketModel("default", seed=1, months=1, scale=40.0)
    assert m.threads_wanted(8) == 1                          # a small run stays on one thread
    monkeypatch.setenv("PLM_PARALLEL_MIN_AGENTS", "0")
    m = LabourMarketModel("default", seed=1, months=1, scale=40.0)
    assert m.threads_wanted(8) == 4 and m.threads_wanted(2) == 2
    m.kernel_threads = 3
    assert m.threads_wanted(8) == 3


@pytest.mark.parametrize("value", ["3", "100", "0", "-1", "2.0", "two", " 2", ""])
def test_plm_threads_above_the_cores_or_not_a_whole_number_is_refused(monkeypatch, value):
    """PLM_THREADS is not quietly cut to the cores: one line naming it, its value and what is allowed
    (the command line's refusal, exit 2 and nothing written, is in tests/bad_inputs.py)."""
    from abm.model import LabourMarketModel, thread_settings
    from abm.scenario import ScenarioError

    monkeypatch.setattr(numba.config, "NUMBA_NUM_THREADS", 2)   # a machine of 2 cores
    monkeypatch.setenv("PLM_THREADS", "2")
    assert thread_settings()[0] == 2
    monkeypatch.setenv("PLM_THREADS", value)
    with pytest.raises(ValueError) as err:
        LabourMarketModel("default", seed=1, months=1, scale=40.0)
    assert err.type is ScenarioError
    assert str(err.value) == f"PLM_THREADS = {value!r}: allowed: a whole number from 1 to 2 (the cores this " \
                             "machine's kernels may use)"
