"""Invariants over a 36-month run of the small default region, checked every month."""

from __future__ import annotations

import numpy as np
import pandas as pd

from abm import states as S
from abm.events import _STATE_LABELS


def test_every_month_keeps_the_invariants(default_run):
    problems = {month + 1: bad for month, bad in enumerate(default_run.checks) if bad}
    assert problems == {}


def test_transitions_rebuild_the_state_counts(default_run):
    """Counting in- and outflows of the event log month by month gives the time series' state counts."""
    ts = default_run.timeseries()
    tr = default_run.transitions()
    k = default_run.scale
    delta = np.zeros((ts["month"].max() + 1, S.N_STATES), dtype=np.int64)
    to = pd.Categorical(tr["to_state"], categories=_STATE_LABELS).codes
    frm = pd.Categorical(tr["from_state"], categories=_STATE_LABELS).codes
    month = tr["month"].to_numpy()
    for code in range(S.N_STATES):
        np.add.at(delta[:, code], month[to == code], 1)
        np.add.at(delta[:, code], month[frm == code], -1)
    rebuilt = np.cumsum(delta, axis=0) * k
    for code, name in enumerate(S.STATE_NAMES):
        assert np.array_equal(rebuilt[:, code], ts[f"n_{name}"].to_numpy()), name


def test_each_person_changes_state_at_most_once_per_reason_and_month(default_run):
    tr = default_run.transitions()
    moves = tr[(tr["from_state"] != "entry") & (tr["to_state"] != "exit")]
    assert (moves["from_state"].astype(str) != moves["to_state"].astype(str)).all()
    # a person's moves chain: each move starts where the previous one ended
    moves = moves.sort_values(["person_id", "month"], kind="stable")
    same = moves["person_id"].to_numpy()[1:] == moves["person_id"].to_numpy()[:-1]
    prev_to = moves["to_state"].astype(str).to_numpy()[:-1]
    next_from = moves["from_state"].astype(str).to_numpy()[1:]
    assert (prev_to[same] == next_from[same]).all()


def test_metrics_have_the_contract_columns(default_run):
    from abm.metrics import CONTRACT_COLUMNS
    ts = default_run.timeseries()
    assert list(ts.columns[: len(CONTRACT_COLUMNS)]) == list(CONTRACT_COLUMNS)
    assert len(ts) == 37 and ts["month"].tolist() == list(range(37))
    assert ts["inclusion_rate"].between(0, 1).all()
    assert (ts["municipal_spend"].iloc[1:] > 0).all()


def test_all_pools_are_active_in_the_default_region(default_run):
    ts = default_run.timeseries()
    last = ts.iloc[-1]
    assert last["n_regular"] > 0 and last["n_parallel"] > 0 and last["n_basisbaan"] > 0
    assert ts["hires_regular"].iloc[1:].sum() > 0 and ts["hires_parallel"].iloc[1:].sum() > 0
