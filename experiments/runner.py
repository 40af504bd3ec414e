"""Run a scenario and write its outputs (ARCHITECTURE.md §Outputs, contract).

`run_scenario` builds the model, runs it, and writes into the output folder:
`timeseries.parquet`, `timeseries.csv`, `transitions.parquet`, `manifest.json` (scenario as resolved,
the overrides given and what they mean (notes on dated changes that still apply), the resolved policy of every
municipality, seed, package version, git revision if any, wall time, command, the files written) and, when the
run collected them (`by_municipality=True`; `plm run` does unless `--no-by-municipality`), the results per
municipality in `timeseries_by_municipality.parquet` (abm/by_municipality.py). The default folder is
`runs/<scenario name as a safe slug>-seed<S>-<time>`: a scenario's name never chooses where files go. Files are first
written to a hidden
temporary folder beside the target and moved into place only when all are complete, so an interrupted or
failed run leaves nothing half-written. Same scenario + same seed gives a byte-identical `timeseries.csv`.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from abm import __version__
from abm import by_municipality as per_municipality
from abm.by_municipality import FILE_NAME as BY_MUNICIPALITY_FILE
from abm.metric_labels import label, over_text, plain, read
from abm.scenario import Scenario, ScenarioError, load, override_notes, slug

DEFAULT_SEED = 42
OUTPUT_FILES = ("timeseries.parquet", "timeseries.csv", "transitions.parquet", "manifest.json")


@dataclass
class RunResult:
    scenario: Scenario
    seed: int
    timeseries: pd.DataFrame
    transitions: pd.DataFrame
    funnel: pd.DataFrame
    wall_seconds: float
    out_dir: Path | None = None
    overrides: dict[str, Any] | None = None
    notes: list[str] | None = None
    by_municipality: pd.DataFrame | None = None


def git_revision() -> str | None:
    """The git commit of the code, if it runs from a git checkout."""
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _path_text(path: str | Path, where: str) -> Path:
    """A path option as a Path: not empty, no NUL byte, every part and the whole within the system's limits."""
    text = os.fspath(path)
    if text == "":
        raise ScenarioError(f"{where} = '': allowed: a path")
    if "\x00" in text:
        raise ScenarioError(f"{where} = {text!r}: a path cannot hold a NUL byte; allowed: a path")
    full = os.path.abspath(text)
    name_max, path_max = 255, 4096
    try:
        name_max = os.pathconf(_nearest_existing(Path(full)), "PC_NAME_MAX")
        path_max = os.pathconf(_nearest_existing(Path(full)), "PC_PATH_MAX")
    except (OSError, ValueError):
        pass
    if len(full.encode("utf-8", "surrogateescape")) >= path_max:
        raise ScenarioError(f"{where} = {text[:60]!r}...: {len(full):,} characters; allowed: a path of at most "
                            f"{path_max - 1:,} bytes")
    for part in Path(full).parts:
        if len(part.encode("utf-8", "surrogateescape")) > name_max:
            raise ScenarioError(f"{where} = {text[:60]!r}...: a name of {len(part):,} characters; allowed: names "
                                f"of at most {name_max} bytes")
    return Path(text)


def _nearest_existing(path: Path) -> Path:
    """The path itself if it exists, else its nearest existing parent."""
    parent = path
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    return parent


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be created in `folder`: tried for real (root and read-only file systems make
    os.access unreliable), with a hidden probe folder that is removed at once."""
    try:
        probe = tempfile.mkdtemp(prefix=".plm-write-test-", dir=folder)
    except OSError:
        return False
    os.rmdir(probe)
    return True


def check_out_dir(out: str | Path, where: str = "out") -> Path:
    """Refuse, before a run, an output folder that holds files (a previous run is never overwritten), that is a
    file, or that cannot be written (its nearest existing parent is not a writable folder). Returns it as a Path."""
    out = _path_text(out, where)
    shown = repr(str(out))
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{where} = {shown}: is a file, not a folder; allowed: a new or empty folder")
    if out.is_dir() and any(out.iterdir()):
        raise ScenarioError(f"{where} = {shown}: already exists and is not empty; allowed: a new or empty folder")
    parent = _nearest_existing(out)
    if not parent.is_dir():
        raise ScenarioError(f"{where} = {shown}: {str(parent)!r} is a file, not a folder; allowed: a folder path")
    if not _writable_folder(parent):
        raise ScenarioError(f"{where} = {shown}: {str(parent)!r} is not writable; allowed: a folder you can "
                            "write to")
    return out


def check_out_file(path: str | Path, where: str = "--out") -> Path:
    """Refuse, before any work, a file to write that is a folder or a device, whose folder does not exist, or
    that cannot be written there. An existing regular file may be replaced (it is, whole, at the end)."""
    path = _path_text(path, where)
    shown = repr(str(path))
    if path.is_dir():
        raise ScenarioError(f"{where} = {shown}: is a folder; allowed: a file path")
    if os.path.lexists(path) and not path.is_file():
        raise ScenarioError(f"{where} = {shown}: not a regular file; allowed: a new file or one to replace")
    parent = path.parent
    if not parent.is_dir():
        what = "is a file" if parent.exists() else "does not exist"
        raise ScenarioError(f"{where} = {shown}: its folder {str(parent)!r} {what}; allowed: a file in an "
                            "existing folder")
    if not _writable_folder(parent):
        raise ScenarioError(f"{where} = {shown}: {str(parent)!r} is not writable; allowed: a folder you can "
                            "write to")
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write `text` to `path` whole or not at all: a temporary file beside it, moved into place when complete
    (an existing file keeps its permissions)."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def default_out_dir(scenario: Scenario, seed: int, root: Path = Path("runs"), tag: str | None = None) -> Path:
    """A new folder under `root`: the scenario, `seed<seed>` (or `tag`) and the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = root / f"{slug(scenario.name)}-{tag or f'seed{seed}'}-{stamp}"
    out, k = base, 1
    while out.exists():
        k += 1
        out = Path(f"{base}-{k}")
    return out


def run_scenario(scenario: str | Path | Scenario | dict | None = "default", *, seed: int = DEFAULT_SEED,
                 months: int | None = None, overrides: dict[str, Any] | None = None,
                 progress: Callable[[int, int], None] | None = None, by_municipality: bool = False) -> RunResult:
    """Build and run a model; returns its time series, transitions and funnel, and with `by_municipality` the
    results per municipality (abm/by_municipality.py; a run without it pays nothing). Nothing is written."""
    from abm.model import LabourMarketModel

    changes = {**(overrides or {}), **({"months": months} if months is not None else {})}
    resolved = load(scenario, changes)
    t0 = time.perf_counter()
    model = LabourMarketModel(resolved, seed=seed, agent_views=False,
                              mechanisms=[per_municipality.MECHANISM] if by_municipality else [])
    total = resolved.months
    model.run(progress=(lambda m: progress(m, total)) if progress else None)
    wall = time.perf_counter() - t0
    return RunResult(resolved, seed, model.timeseries(), model.transitions(), model.funnel(), wall,
                     overrides=changes, notes=override_notes(resolved, changes),
                     by_municipality=per_municipality.frame(model) if by_municipality else None)


def write_outputs(result: RunResult, out: Path, command: str | None = None) -> Path:
    """Write the run's files into `out` atomically (all or nothing)."""
    out = Path(out)
    check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        result.timeseries.to_parquet(tmp / "timeseries.parquet", index=False)
        result.timeseries.to_csv(tmp / "timeseries.csv", index=False, lineterminator="\n")
        result.transitions.to_parquet(tmp / "transitions.parquet", index=False)
        files = list(OUTPUT_FILES)
        if result.by_municipality is not None:
            result.by_municipality.to_parquet(tmp / BY_MUNICIPALITY_FILE, index=False)
            files.insert(3, BY_MUNICIPALITY_FILE)
        manifest = {
            "scenario": result.scenario.model_dump(mode="json"),
            "scenario_name": result.scenario.name,
            "overrides": result.overrides or {},
            "override_notes": result.notes or [],
            "resolved_policies": result.scenario.resolved_policies(0),
            "seed": result.seed,
            "months": result.scenario.months,
            "package_version": __version__,
            "git_revision": git_revision(),
            "wall_seconds": round(result.wall_seconds, 3),
            "command": command or " ".join(sys.argv),
            "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "files": files,
            "by_municipality": result.by_municipality is not None,
            "funnel": result.funnel.to_dict(orient="index"),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out_dir = out
    return out


# The headline figures of a run's summary, in order; labels and formats from abm/metric_labels.py.
SUMMARY_ROWS = ("regular_rate", "inclusion_rate", "inclusion_gap", "n_basisbaan", "n_parallel",
                "displacement_per_100", "throughput_rate", "municipal_net_cost")


def _headline(name: str) -> str:
    text = label(name) + over_text(name)
    return text[0].upper() + text[1:]


def summary(ts: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, start, end) rows of the headline metrics: the start is month 0, the end each figure as a run's
    figure is read (abm.metric_labels.read: throughput over the run, displacement over the last year, the rest
    in the last month); the parties' net positions over the first and the last year."""
    ts = ts.assign(regular_rate=ts["n_regular"] / ts["seekers"].where(ts["seekers"] > 0))
    first = ts.iloc[0]
    rows = []
    for col in SUMMARY_ROWS:
        rows.append((_headline(col), plain(col, first[col]), plain(col, read(ts, col))))
    rows.append((_headline("municipal_net_cost_over_run"), "",
                 plain("municipal_net_cost_over_run", ts["municipal_net_cost"].iloc[1:].sum())))
    # who pays, who gains: each party's net position (received - paid), EUR per year, first and last year
    from abm.accounts import PARTIES
    first_year, last_year = ts.iloc[1:13], ts.iloc[-12:]
    for party in PARTIES:
        col = f"account_{party}_net"
        rows.append((f"Net position {party} (EUR per year: first year, last year)",
                     f"{first_year[col].mean() * 12:,.0f}", f"{last_year[col].mean() * 12:,.0f}"))
    return rows
