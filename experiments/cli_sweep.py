"""`plm sweep` and `plm sensitivity` (registered by experiments/cli.py; docs/sweeps.md).

    plm sweep DESIGN [--workers N | --scheduler tcp://host:8786] [--out DIR] [--retry-failed] [--dry-run]
              [--allow-code]
    plm sensitivity DESIGN|DIR [--output NAME ...] [--workers N | --scheduler ADDRESS] [--out DIR] [--allow-code]

DESIGN is a TOML file or the name of a shipped design (`smoke`, `ishigami`, ...). Running the same command
again resumes: only missing runs are run. Exit codes: 0 every run ok; 1 some runs failed (the last line says
how many) or the sweep stalled; 2 bad input (one line, nothing written); 130 Ctrl-C (what finished is saved).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

out_console = Console()
err_console = Console(stderr=True)


class _Bar:
    """Runs done, failed, workers and an ETA on stderr; on a non-terminal (a cluster job's log) a line every
    10% or 60 s instead."""

    def __init__(self, name: str, quiet: bool):
        self.name = name
        self.quiet = quiet
        self.live = err_console.is_terminal and not quiet
        self.progress: Progress | None = None
        self.task = None
        self.last_line = 0.0
        self.last_done = -1
        self.t0 = time.monotonic()

    def __enter__(self):
        if self.live:
            self.progress = Progress(
                TextColumn(f"sweep {self.name}"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"),
                TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.fields[workers]} workers"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err_console)
            self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)
        return False

    def __call__(self, ok: int, failed: int, total: int, workers: int) -> None:
        done = ok + failed
        if self.last_done < 0 and done == 0:
            self.t0 = time.monotonic()  # the clock starts when the workers are up
        if self.progress is not None:
            if self.task is None:
                self.task = self.progress.add_task("sweep", total=total, failed=0, workers=workers)
            self.progress.update(self.task, completed=done, failed=failed, workers=workers)
            return
        if self.quiet:
            return
        now = time.monotonic()
        step = max(1, total // 10)
        if done == self.last_done or not (done == total or done // step != self.last_done // step
                                          or now - self.last_line > 60):
            return
        elapsed = now - self.t0
        eta = elapsed / done * (total - done) if done else float("nan")
        eta_text = f"{eta:.0f} s" if done else "?"
        err_console.print(f"sweep {self.name}: {done}/{total} runs, {failed} failed, {workers} workers, "
                          f"{elapsed:.0f} s elapsed, ETA {eta_text}", markup=False, highlight=False)
        self.last_line, self.last_done = now, done


def _log(msg: str) -> None:
    err_console.print(msg, markup=False, highlight=False, soft_wrap=True)


def _notes_only(msg: str) -> None:
    """The log of a --quiet sweep: what a key means here is still said (one line each)."""
    if msg.startswith("note:"):
        _log(msg)


def _run(design_spec, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
         retry_failed: bool, quiet: bool, wait_workers: float, allow_code: bool):
    from experiments.design import load_design
    from experiments.sweep import SweepStalled, default_out, run_sweep

    design = load_design(design_spec, allow_code=allow_code)
    target = out if out is not None else default_out(design)
    command = "plm " + " ".join(sys.argv[1:])
    try:
        with _Bar(design.name, quiet) as bar:
            result = run_sweep(design, target, workers=workers, scheduler=scheduler, retry_failed=retry_failed,
                               progress=bar, log=_notes_only if quiet else _log, command=command,
                               wait_workers=wait_workers, allow_code=allow_code)
    except KeyboardInterrupt:
        _interrupted(target)
        raise typer.Exit(130)
    except SweepStalled as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    return design, result


def _interrupted(target: Path) -> None:
    from experiments.sweep import SweepStore

    store = SweepStore(target)
    manifest = store.read_manifest() or {}
    runs = manifest.get("runs", {})
    if runs:
        _log(f"interrupted: {runs.get('ok', 0) + runs.get('failed', 0)} of {runs.get('planned', '?')} runs are "
             f"saved in {target}; run the same command again to finish")
    else:
        _log("interrupted: nothing was run")


def _summary(result, design) -> None:
    table = Table(title=f"sweep {design.name}: {result.status}", show_header=False)
    table.add_column("")
    table.add_column("", justify="right")
    rate = result.ran / result.wall_seconds if result.wall_seconds > 0 else 0.0
    rows = [("runs in the design", f"{result.planned:,}"), ("ok", f"{result.ok:,}"), ("failed", f"{result.failed:,}"),
            ("already done before", f"{result.skipped:,}"), ("run now", f"{result.ran:,}"),
            ("wall time", f"{result.wall_seconds:,.1f} s")]
    if result.ran:
        rows.append(("runs per minute", f"{60 * rate:,.1f}"))
    if result.scheduler:
        rows.append(("on", result.scheduler))
    for label, value in rows:
        table.add_row(label, value)
    out_console.print(table)
    for line in result.failures[:5]:
        _log(f"failed: {line}")
    out_console.print(f"wrote {result.out}/ (runs.parquet, manifest.json); load it with "
                      f"experiments.load_sweep({str(result.out)!r})", markup=False, highlight=False, soft_wrap=True)


def _exit_if_failed(result) -> None:
    """A sweep with failed runs ends with one line saying how many, and exit code 1."""
    if result.failed:
        _log(f"error: {result.failed} of {result.planned} runs failed; see the error column of "
             f"{result.out / 'runs.parquet'}; --retry-failed runs them again")
        raise typer.Exit(1)


def _dry_run(design_spec: str, out: Optional[Path], allow_code: bool) -> None:
    from experiments.design import MIN_SAMPLES, load_design, make_plan
    from experiments.sweep import SweepStore, default_out

    design = load_design(design_spec, allow_code=allow_code)
    plan = make_plan(design)
    target = out if out is not None else default_out(design)
    store = SweepStore(target)
    store.check(plan)
    done = {}
    if store.is_sweep():
        done = store.statuses() if store.runs_dir.is_dir() else {}
    wanted = {r.run_id for r in plan.runs}
    already = sum(1 for rid in done if rid in wanted)
    table = Table(title=f"sweep {design.name}: {design.method}, {len(plan.table) // len(design.seed_list):,} points"
                        f" × {len(design.seed_list)} seeds = {len(plan.runs):,} runs")
    table.add_column("parameter")
    table.add_column("type")
    table.add_column("values")
    for key, spec in design.parameters.items():
        values = ", ".join(map(str, spec.levels)) if spec.levels is not None else f"{spec.min} .. {spec.max}"
        table.add_row(key, plan.kinds[key], values)
    out_console.print(table)
    out_console.print(f"months: {design.months or 'scenario default'}; outputs: "
                      f"{', '.join(design.outputs.columns()) if design.is_model else 'from ' + design.function}"
                      f"{'; full time series kept' if design.outputs.timeseries else ''}", markup=False,
                      highlight=False, soft_wrap=True)
    if design.method in MIN_SAMPLES:
        need = MIN_SAMPLES[design.method]
        verdict = "enough" if design.samples >= need else "too few"
        out_console.print(f"plm sensitivity: samples = {design.samples}, {verdict} ({design.method} needs >= {need})",
                          markup=False, highlight=False, soft_wrap=True)
    out_console.print(f"folder {target}: {already:,} of {len(plan.runs):,} runs done; nothing was run or written",
                      markup=False, highlight=False, soft_wrap=True)
    for note in design.notes:
        _log(note)


def register(app: typer.Typer) -> None:
    @app.command("sweep")
    def sweep(design: str = typer.Argument(..., help="design TOML file, or a shipped design name (smoke, ...)"),
              workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                                    help="worker processes of the local Dask cluster (default: one "
                                                         "per core; 0 = in this process, no Dask)"),
              scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                                      help="address of a running Dask scheduler, e.g. "
                                                           "tcp://10.0.0.5:8786"),
              out: Optional[Path] = typer.Option(None, "--out", "-o",
                                                 help="sweep folder (default: runs/sweeps/<design name>)"),
              retry_failed: bool = typer.Option(False, "--retry-failed", help="run failed runs again"),
              dry_run: bool = typer.Option(False, "--dry-run", help="show the runs; run and write nothing"),
              wait_workers: float = typer.Option(600.0, "--wait-workers",
                                                 help="give up after this many seconds without any worker"),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
              allow_code: bool = typer.Option(False, "--allow-code",
                                              help="let the design's `function` name code outside the project's "
                                                   "packages (a design file can then run any Python code)")) -> None:
        """Run a parameter sweep on Dask; rerunning the same command completes only what is missing.

        Exit code 0 when every run is ok, 1 when some failed (the last line says how many), 2 for bad input."""
        if dry_run:
            _dry_run(design, out, allow_code)
            return
        _check_wait(wait_workers)
        d, result = _run(design, out, workers, scheduler, retry_failed, quiet, wait_workers, allow_code)
        _summary(result, d)
        _exit_if_failed(result)

    @app.command("sensitivity")
    def sensitivity(target: str = typer.Argument(..., help="a sweep folder, or a design (file or shipped name) "
                                                           "to run or resume first"),
                    output: list[str] = typer.Option([], "--output",
                                                     help="output column (repeat); also inclusion, displacement, "
                                                          "throughput, net_cost; default: the design's "
                                                          "[sensitivity] outputs"),
                    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                                          help="local Dask workers if the sweep runs"),
                    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                                            help="Dask scheduler if the sweep runs"),
                    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                                       help="sweep folder when TARGET is a design"),
                    retry_failed: bool = typer.Option(False, "--retry-failed", help="run failed runs again"),
                    no_plot: bool = typer.Option(False, "--no-plot", help="no sensitivity.png"),
                    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
                    allow_code: bool = typer.Option(False, "--allow-code",
                                                    help="let the design's `function` name code outside the "
                                                         "project's packages")) -> None:
        """Sobol indices (sobol designs), Morris screening (morris) or RBD-FAST (lhs): a table and a plot.

        A design is checked before anything runs: its method and sample size (sobol N >= 64, morris >= 10
        trajectories, lhs >= 44 points) and the output names. Indices outside [0, 1] or with an interval wider
        than the index are flagged with one warning line each."""
        from experiments.sensitivity import analyse, rich_tables, write_report

        folder = Path(target)
        if folder.is_dir() and (folder / "manifest.json").is_file():
            if out is not None or workers is not None or scheduler is not None:
                from experiments.sweep import SweepError
                raise SweepError(f"target = {target!r} is a sweep folder; allowed: --out, --workers and --scheduler "
                                 "only with a design")
        else:
            from experiments.design import check_sensitivity_size, load_design, resolve_design_outputs

            design = load_design(target, allow_code=allow_code)
            check_sensitivity_size(design)
            resolve_design_outputs(design, output or None)  # before any run: one line with the allowed names
            d, result = _run(design, out, workers, scheduler, retry_failed, quiet, 600.0, allow_code)
            folder = result.out
            if not quiet:
                _log(f"sweep {d.name}: {result.ok} ok, {result.failed} failed, {result.ran} run now")
            _exit_if_failed(result)
        res = analyse(folder, output or None)
        for table in rich_tables(res):
            out_console.print(table)
        for note in res.notes:
            _log(f"note: {note}")
        for warning in res.warnings:
            _log(f"warning: {warning}")
        paths = write_report(res, folder, with_plot=not no_plot)
        out_console.print(f"wrote {', '.join(str(p) for p in paths)}", markup=False, highlight=False,
                          soft_wrap=True)


def _check_wait(wait: float) -> None:
    if not 1 <= wait <= 7 * 24 * 3600:
        from experiments.sweep import SweepError
        raise SweepError(f"--wait-workers = {wait}: allowed: seconds from 1 to 604800")
