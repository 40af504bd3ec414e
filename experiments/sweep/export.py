"""`plm export SWEEP --csv`: CSV copies of a sweep's Parquet tables, for tools that do not read Parquet.

Writes, next to the Parquet files (or into `--out DIR`): `runs.csv` (one row per run, as `load_sweep`),
`design.csv` (one row per design point and seed) and, when the sweep kept them, `timeseries.csv` (one row per
run and month, with `run_id`, `seed` and the parameter values) and `by_municipality.csv` (one row per run, month
and municipality). All of them are written to hidden temporary
names first and renamed into place only when every one is complete: an interrupted or failed export leaves
no CSV half-written, and the CSVs of an earlier export stay as they were.
"""

from __future__ import annotations

import os
from pathlib import Path

from experiments.sweep.errors import SweepError
from experiments.sweep.reading import load_design_table, load_sweep, manifest_of


def export_csv(folder: str | Path, out: str | Path | None = None) -> list[Path]:
    """Write the CSV copies (see the module docstring); returns their paths."""
    folder = Path(folder)
    manifest = manifest_of(folder)
    target = Path(out) if out is not None else folder
    if target.exists() and not target.is_dir():
        raise SweepError(f"--out = {str(target)!r}: is a file; allowed: a folder")
    tables = {"runs.csv": load_sweep(folder), "design.csv": load_design_table(folder)}
    if manifest.get("timeseries") and (folder / "timeseries").is_dir():
        tables["timeseries.csv"] = load_sweep(folder, timeseries=True)
    if manifest.get("by_municipality") and (folder / "by_municipality").is_dir():
        tables["by_municipality.csv"] = load_sweep(folder, by_municipality=True)
    target.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    try:
        for name, df in tables.items():
            final = target / name
            tmp = target / f".{name}.tmp-{os.getpid()}"
            temps[final] = tmp
            df.to_csv(tmp, index=False)
        for final, tmp in temps.items():
            os.replace(tmp, final)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return list(temps)
