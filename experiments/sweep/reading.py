"""Reading a sweep folder: its runs (and time series) as pandas, its design table, its manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from experiments.sweep.errors import SweepError
from experiments.sweep.store import SweepStore


def load_sweep(path: str | Path, *, timeseries: bool = False, by_municipality: bool = False):
    """The runs of a sweep folder as a pandas DataFrame (one row per run, in design order).

    With `timeseries=True`: the monthly time series of every kept run, one row per run and month, with
    `run_id`, `seed` and the parameter values; with `by_municipality=True` instead, the results per municipality
    (one row per run, month and municipality). `runs.parquet` is rebuilt first if runs finished after it was
    written (an interrupted sweep)."""
    import pandas as pd

    store = SweepStore(path)
    if not store.is_sweep():
        raise SweepError(f"sweep = {str(path)!r}: not a sweep folder (no manifest.json); allowed: the --out "
                         "folder of plm sweep")
    if timeseries and by_municipality:
        raise SweepError("timeseries = True and by_municipality = True: allowed: one of them")
    runs = store.consolidate().to_pandas()
    if not (timeseries or by_municipality):
        return runs
    folder, key = (store.bm_dir, "by_municipality") if by_municipality else (store.ts_dir, "timeseries")
    if not folder.is_dir():
        what = "results per municipality" if by_municipality else "time series"
        raise SweepError(f"sweep = {str(path)!r}: holds no {what}; allowed: a design with outputs.{key} = true")
    files = sorted(folder.glob("run_id=*/part-0.parquet"))
    frames = []
    for f in files:
        df = pq.read_table(f).to_pandas()
        df.insert(0, "run_id", f.parent.name.split("=", 1)[1])
        frames.append(df)
    ts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"run_id": []})
    manifest = store.read_manifest() or {}
    params = list((manifest.get("parameters") or {}).keys())
    keep = ["run_id", "seed", *[p for p in params if p in runs.columns]]
    return runs[keep].merge(ts, on="run_id", how="right")


def load_design_table(path: str | Path):
    """design.parquet of a sweep folder: one row per design point and seed (point, seed, run_id, parameters)."""
    return pq.read_table(Path(path) / "design.parquet").to_pandas()


def manifest_of(path: str | Path) -> dict[str, Any]:
    store = SweepStore(path)
    manifest = store.read_manifest()
    if manifest is None:
        raise SweepError(f"sweep = {str(path)!r}: not a sweep folder (no manifest.json); allowed: the --out "
                         "folder of plm sweep")
    return manifest
