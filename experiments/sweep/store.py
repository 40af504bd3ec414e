"""The files of a sweep folder (`SweepStore`): the lock, the per-run records, the consolidated `runs.parquet`,
the design table and the manifest. Every write goes to a hidden temporary name and is renamed into place, so
nothing is ever half-written.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.design import (
    Plan,
)
from experiments.sweep.errors import SweepError

META_COLUMNS = ("wall_seconds", "worker", "finished_utc", "model_version", "error", "traceback")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """`write(tmp)` to a temporary name beside `path` (this process and thread's own), then moved into place: the
    file is whole or absent."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    _atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _atomic_write_table(path: Path, table: pa.Table) -> None:
    _atomic_write(path, lambda tmp: pq.write_table(table, tmp))


_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}


class SweepStore:
    """The files of one sweep folder; every write is atomic (temporary name, then rename)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs_dir = self.root / "runs"
        self.ts_dir = self.root / "timeseries"
        self.bm_dir = self.root / "by_municipality"
        self.manifest_path = self.root / "manifest.json"
        self.consolidated = self.root / "runs.parquet"
        self.design_table = self.root / "design.parquet"
        self.write_seconds = 0.0
        self._lock_fd: int | None = None
        self._made: list[Path] = []
        self._schema_cache: dict[tuple, pa.Schema] = {}

    # reading
    def is_sweep(self) -> bool:
        return self.manifest_path.is_file()

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def run_files(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.runs_dir) as it:
                return [e for e in it if e.name.endswith(".parquet") and not e.name.startswith(".")]
        except FileNotFoundError:
            return []

    def check(self, plan: Plan) -> None:
        """Refuse a folder that is not empty and not a sweep of this design's context (nothing is written)."""
        root = self.root
        if root.exists() and not root.is_dir():
            raise SweepError(f"out = {str(root)!r}: is a file; allowed: a new folder or a folder of this sweep")
        if not root.exists() or not any(p for p in root.iterdir() if not p.name.startswith(".")):
            return
        manifest = self.read_manifest()
        if manifest is None or manifest.get("kind") != "plm sweep":
            raise SweepError(f"out = {str(root)!r}: not empty and not a sweep folder; allowed: a new or empty "
                             "folder, or the folder of this sweep (to resume it)")
        if manifest.get("context_hash") != plan.context_hash:
            what = "model version" if manifest.get("model_version") != plan.context["model_version"] else \
                "base scenario, set, months or outputs"
            raise SweepError(f"out = {str(root)!r}: holds sweep {manifest.get('design_name')!r} with a different "
                             f"{what}; allowed: the same design (to resume it) or a new --out folder")

    def lock(self) -> None:
        """One `plm sweep` at a time per folder (the lock goes with the process, also on SIGKILL). Creates the
        folder if needed; `discard` removes what this made if the sweep stops before writing anything."""
        missing = [p for p in (self.root, *self.root.parents) if not p.exists()]
        self.root.mkdir(parents=True, exist_ok=True)
        self._made = missing  # the folders this call created, innermost first
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            self._made = []
            raise SweepError(f"out = {str(self.root)!r}: another plm sweep is writing into this folder; allowed: "
                             "wait for it, or a new --out folder") from None
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    def discard(self) -> None:
        """Undo `lock` when nothing else was written: remove the lock file and the folders it created."""
        made = self._made
        if not made or self.manifest_path.exists():
            return
        try:
            if [p.name for p in self.root.iterdir()] == [".lock"]:
                (self.root / ".lock").unlink()
            for folder in made:
                folder.rmdir()  # only if empty: OSError otherwise, and the rest stays
        except OSError:
            pass
        self._made = []

    def clean_temporary(self) -> None:
        """Remove temporary files a killed sweep left behind (never a finished file)."""
        for folder in (self.root, self.runs_dir):
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.startswith(".") and ".tmp-" in p.name:
                        p.unlink(missing_ok=True)
        if self.ts_dir.is_dir():
            for part in self.ts_dir.iterdir():
                if part.is_dir():
                    for p in part.iterdir():
                        if p.name.startswith(".") and ".tmp-" in p.name:
                            p.unlink(missing_ok=True)

    def prepare(self, plan: Plan) -> None:
        import pandas as pd

        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if plan.context["outputs"]["timeseries"]:
            self.ts_dir.mkdir(exist_ok=True)
        if plan.context["outputs"].get("by_municipality"):
            self.bm_dir.mkdir(exist_ok=True)
        self.clean_temporary()
        design = plan.design
        text = design._text if design._text is not None and not design.overrides else \
            _toml(design.model_dump(mode="json", exclude_none=True))  # as run: with the command line's overrides
        _atomic_write_bytes(self.root / "design.toml", text.encode("utf-8"))
        if plan.context["base"] is not None:
            _atomic_write_bytes(self.root / "scenario.toml", _toml(plan.context["base"]).encode("utf-8"))
        table = pa.Table.from_pandas(pd.DataFrame(plan.table), preserve_index=False) if plan.table else \
            pa.table({"point": pa.array([], pa.int64())})
        _atomic_write_table(self.design_table, table)

    # records
    def record_schema(self, plan: Plan, record: dict[str, Any]) -> pa.Schema:
        outputs = [k for k in record if k not in plan.kinds and k not in ("run_id", "status", "seed")
                   and k not in META_COLUMNS]
        known = plan.context.get("output_columns") or []
        outputs = list(dict.fromkeys([*known, *outputs]))
        key = tuple(outputs)
        schema = self._schema_cache.get(key)
        if schema is None:
            fields = [pa.field("run_id", pa.string()), pa.field("status", pa.string()), pa.field("seed", pa.int64())]
            fields += [pa.field(k, _ARROW.get(kind, pa.string())) for k, kind in plan.kinds.items()]
            fields += [pa.field(k, pa.float64()) for k in outputs]
            fields += [pa.field("wall_seconds", pa.float64())]
            fields += [pa.field(k, pa.string()) for k in META_COLUMNS if k != "wall_seconds"]
            schema = pa.schema(fields)
            self._schema_cache[key] = schema
        return schema

    def write_run(self, plan: Plan, result: dict[str, Any]) -> None:
        t0 = time.perf_counter()
        record = result["record"]
        for folder, frame in ((self.ts_dir, result.get("timeseries")), (self.bm_dir, result.get("by_municipality"))):
            if frame is not None and record["status"] == "ok":
                part = folder / f"run_id={record['run_id']}"
                part.mkdir(parents=True, exist_ok=True)
                _atomic_write_table(part / "part-0.parquet", pa.Table.from_pandas(frame, preserve_index=False))
        schema = self.record_schema(plan, record)
        table = pa.Table.from_pylist([{k: record.get(k) for k in schema.names}], schema=schema)
        _atomic_write_table(self.runs_dir / f"{record['run_id']}.parquet", table)
        self.write_seconds += time.perf_counter() - t0

    # consolidation
    def _stale(self, files: list[os.DirEntry]) -> bool:
        try:
            st = self.consolidated.stat()
            rows = pq.read_metadata(self.consolidated).num_rows
        except (OSError, pa.ArrowException):
            return True
        if rows != len(files):
            return True
        return any(e.stat().st_mtime_ns > st.st_mtime_ns for e in files)

    def consolidate(self, force: bool = False, write: bool = True) -> pa.Table:
        """All run records as one table, in design order; rewrites `runs.parquet` when it is out of date."""
        files = self.run_files()
        if not force and not self._stale(files):
            return pq.read_table(self.consolidated)
        with ThreadPoolExecutor(max_workers=8) as pool:
            tables = list(pool.map(lambda e: _read_record(e.path), files))
        tables = [t for t in tables if t is not None]
        if tables:
            table = pa.concat_tables(tables, promote_options="permissive")
        else:
            table = pa.table({"run_id": pa.array([], pa.string()), "status": pa.array([], pa.string())})
        table = self._ordered(table)
        if write:
            try:
                _atomic_write_table(self.consolidated, table)
            except OSError:
                pass  # a read-only folder: the table is still returned
        return table

    def _ordered(self, table: pa.Table) -> pa.Table:
        names = table.column_names
        meta = [c for c in META_COLUMNS if c in names]
        head = [c for c in ("run_id", "status", "seed") if c in names]
        body = [c for c in names if c not in head and c not in meta]
        table = table.select(head + body + meta)
        if table.num_rows < 2:
            return table
        try:
            order = pq.read_table(self.design_table, columns=["run_id"]).column("run_id").to_pylist()
        except (OSError, KeyError, pa.ArrowException):
            order = []
        pos: dict[str, int] = {}
        for i, rid in enumerate(order):
            pos.setdefault(rid, i)
        ids = table.column("run_id").to_pylist()
        keys = np.array([pos.get(r, len(pos)) for r in ids])
        return table.take(np.argsort(keys, kind="stable"))

    def statuses(self) -> dict[str, str]:
        if not self.runs_dir.is_dir():
            return {}
        table = self.consolidate()
        if table.num_rows == 0:
            return {}
        return dict(zip(table.column("run_id").to_pylist(), table.column("status").to_pylist()))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        _atomic_write_bytes(self.manifest_path, (json.dumps(manifest, indent=2, default=str) + "\n").encode())


def _read_record(path: str) -> pa.Table | None:
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException):
        return None  # cannot happen with atomic writes; a foreign file is skipped rather than fatal


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    def clean(obj):
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items() if v is not None}
        if isinstance(obj, list):
            return [clean(v) for v in obj]
        return obj
    return tomli_w.dumps(clean(data))
