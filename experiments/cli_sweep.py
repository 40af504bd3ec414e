"""`plm sweep` and `plm sensitivity` (registered by experiments/cli.py; docs/sweeps.md).

    plm sweep DESIGN|FOLDER [--months N] [--seeds K] [--samples N] [--set KEY=VALUE ...]
              [--workers N | --scheduler tcp://host:8786] [--out DIR] [--retry-failed] [--allow-code]
              [--dry-run [--pilot K] [--precision P]]
    plm no-effect FOLDER [--output NAME ...]
    plm export FOLDER --csv [--out DIR]
    plm sensitivity DESIGN|DIR [--output NAME ...] [--workers N | --scheduler ADDRESS] [--out DIR] [--allow-code]

DESIGN is a TOML file or the name of a shipped design (`smoke`, `ishigami`, ...); FOLDER is a sweep's folder
(the design it ran, to resume it). The options size the design without copying it (checked as the file's
values are, recorded in the manifest). Running the same command again resumes: only missing runs are run.
Every sweep ends with its "no effect" report (`experiments.sweep.noeffect`).
Exit codes: 0 every run ok; 1 some runs failed (the last line says
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
         retry_failed: bool, quiet: bool, wait_workers: float, allow_code: bool,
         overrides: Optional[dict] = None):
    from experiments.design import load_design
    from experiments.sweep import SweepStalled, default_out, run_sweep

    design = load_design(design_spec, allow_code=allow_code, overrides=overrides)
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


def _dry_run(design_spec: str, out: Optional[Path], allow_code: bool, overrides: dict, pilot_seeds: int,
             precision: float) -> None:
    from experiments.design import MIN_SAMPLES, load_design, make_plan
    from experiments.design.overrides import describe
    from experiments.sweep import SweepStore, default_out

    design = load_design(design_spec, allow_code=allow_code, overrides=overrides)
    plan = make_plan(design)
    target = out if out is not None else default_out(design)
    store = SweepStore(target)
    store.check(plan)
    done = {}
    if store.is_sweep():
        done = store.statuses() if store.runs_dir.is_dir() else {}
    wanted = {r.run_id for r in plan.runs}
    already = sum(1 for rid in done if rid in wanted)
    n_seeds = len(design.seed_list)
    n_points = len(plan.table) // n_seeds
    unique_points = len(plan.runs) // n_seeds
    _say(f"sweep {design.name}: {design.method}, {unique_points:,} points × {n_seeds} seeds = {len(plan.runs):,} runs")
    table = Table()
    table.add_column("parameter")
    table.add_column("type")
    table.add_column("values")
    for key, spec in design.parameters.items():
        table.add_row(key, plan.kinds[key], _values_text(spec, plan.kinds[key]))
    out_console.print(table)
    _say(f"months: {design.months or 'scenario default'}; outputs: "
         f"{', '.join(design.outputs.columns()) if design.is_model else 'from ' + design.function}"
         f"{'; full time series kept' if design.outputs.timeseries else ''}")
    if design.overrides:
        _say(f"overrides from the command line: {describe(design.overrides)}")
    if n_points > unique_points:
        _say(f"{n_points - unique_points:,} duplicate points removed: {design.method} gave {n_points:,} points, of "
             f"which {n_points - unique_points:,} repeat another after whole-number parameters were rounded; each "
             "is run once")
    if design.method in MIN_SAMPLES:
        need = MIN_SAMPLES[design.method]
        verdict = "enough" if design.samples >= need else "too few"
        _say(f"plm sensitivity: samples = {design.samples}, {verdict} ({design.method} needs >= {need})")
    for note in design.notes:
        _log(note)
    if pilot_seeds:
        _pilot(design, pilot_seeds, precision)
        _say(f"folder {target}: {already:,} of {len(plan.runs):,} runs done; {pilot_seeds} pilot runs were run, "
             "nothing was written")
    else:
        _say(f"folder {target}: {already:,} of {len(plan.runs):,} runs done; nothing was run or written")


def _say(text: str) -> None:
    out_console.print(text, markup=False, highlight=False, soft_wrap=True)


def _values_text(spec, kind: str) -> str:
    """A parameter's levels or range as a reader writes them: whole-number ranges as whole numbers."""
    import math

    if spec.levels is not None:
        return ", ".join(map(str, spec.levels))
    if kind == "int":
        return f"{math.ceil(spec.min)} .. {math.floor(spec.max)}"
    return f"{spec.min:g} .. {spec.max:g}"


def _pilot(design, seeds: int, precision: float) -> None:
    from experiments.sweep.pilot import centre_point, pilot

    def progress(done: int, total: int) -> None:
        _log(f"pilot: {done}/{total} runs at the centre point")

    noise = pilot(design, seeds, precision, progress=progress)
    n = len(design.seed_list)
    table = Table(title=f"seed noise from {seeds} pilot runs at the centre point {centre_point(design)}")
    for col, justify in (("output", "left"), ("mean", "right"), ("sd over seeds", "right"),
                         (f"95% ± with {n} seeds", "right"), (f"seeds for ± {precision:.0%} of the mean", "right")):
        table.add_column(col, justify=justify)
    for o in noise:
        need = "n/a (mean 0)" if o.seeds_needed is None else f"{o.seeds_needed:,}"
        table.add_row(o.output, f"{o.mean:.4g}", f"{o.sd:.3g}", f"{o.half_width:.3g}", need)
    out_console.print(table)
    _say("the noise of one point's mean; differences between points on the same seeds need fewer seeds "
         "(docs/sweeps.md § Choosing the number of seeds)")


def _no_effect(folder: Path, outputs: Optional[list[str]] = None) -> None:
    from experiments.sweep.noeffect import no_effect_report, report_lines

    reports = no_effect_report(folder, outputs)
    if not reports:
        return
    if all(r.verdict == "not assessed" for r in reports):
        _say("no-effect report: not assessed (no two runs differ in one parameter only, as in a Latin hypercube)")
        return
    _say("no-effect report (experiments.sweep.noeffect: paired runs that differ in one parameter, 95% interval):")
    for line in report_lines(reports):
        _say(f"  {line}")


def register(app: typer.Typer) -> None:
    @app.command("sweep")
    def sweep(design: str = typer.Argument(..., help="design TOML file, a shipped design name (smoke, ...), or a "
                                                     "sweep folder to resume"),
              months: Optional[int] = typer.Option(None, "--months", help="months per run (replaces the design's)"),
              seeds: Optional[int] = typer.Option(None, "--seeds", help="seeds per point, a count from the design's "
                                                                        "seed_start (replaces the design's)"),
              samples: Optional[int] = typer.Option(None, "--samples",
                                                    help="lhs points, sobol base sample or morris trajectories "
                                                         "(replaces the design's)"),
              set_: list[str] = typer.Option([], "--set", help="add KEY=VALUE to the design's [set], e.g. "
                                                               "scale=8.0 (repeat)"),
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
              pilot: int = typer.Option(0, "--pilot", help="with --dry-run: run the centre point with this many "
                                                           "seeds (2..50) and estimate the seed noise"),
              precision: Optional[float] = typer.Option(None, "--precision",
                                                        help="with --pilot: wanted 95% half-width as a fraction of "
                                                             "the mean (default 0.01)"),
              wait_workers: float = typer.Option(600.0, "--wait-workers",
                                                 help="give up after this many seconds without any worker"),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
              allow_code: bool = typer.Option(False, "--allow-code",
                                              help="let the design's `function` name code outside the project's "
                                                   "packages (a design file can then run any Python code)")) -> None:
        """Run a parameter sweep on Dask; rerunning the same command completes only what is missing.

        Exit code 0 when every run is ok, 1 when some failed (the last line says how many), 2 for bad input."""
        from experiments.cli import parse_sets
        from experiments.design.overrides import overrides_from_options

        overrides = overrides_from_options(months, seeds, samples, parse_sets(set_))
        if pilot and not dry_run:
            from experiments.sweep import SweepError
            raise SweepError(f"--pilot = {pilot}: allowed: only with --dry-run")
        if precision is not None and not pilot:
            from experiments.sweep import SweepError
            raise SweepError(f"--precision = {precision}: allowed: only with --dry-run --pilot K")
        precision = 0.01 if precision is None else precision
        if dry_run:
            _dry_run(design, out, allow_code, overrides, pilot, precision)
            return
        _check_wait(wait_workers)
        d, result = _run(design, out, workers, scheduler, retry_failed, quiet, wait_workers, allow_code, overrides)
        _summary(result, d)
        if result.ok:
            _no_effect(result.out)
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


    @app.command("no-effect")
    def no_effect(folder: Path = typer.Argument(..., help="a sweep folder"),
                  output: list[str] = typer.Option([], "--output", help="output column (repeat; default: all the "
                                                                        "sweep keeps)")) -> None:
        """Which varied parameters, or levels of one, gave the same outputs within the noise of the seeds.

        Runs that differ only in one parameter (same seed, same other values) are paired; a difference whose
        95% interval covers zero is no effect (docs/sweeps.md § The no-effect report). Reads only."""
        from experiments.sweep import SweepError, manifest_of

        manifest = manifest_of(folder)
        known = manifest.get("outputs") or []
        for name in output:
            if known and name not in known:
                raise SweepError(f"--output = {name!r}: not an output of this sweep; allowed: {', '.join(known)}")
        _no_effect(folder, output or None)

    @app.command("export")
    def export(folder: Path = typer.Argument(..., help="a sweep folder"),
               csv: bool = typer.Option(False, "--csv", help="write CSV copies of the Parquet tables"),
               out: Optional[Path] = typer.Option(None, "--out", "-o",
                                                  help="folder for the copies (default: the sweep folder)")) -> None:
        """CSV copies of a sweep's tables: runs.csv, design.csv and timeseries.csv if kept (nothing half-written)."""
        from experiments.sweep import SweepError, manifest_of
        from experiments.sweep.export import export_csv

        if not csv:
            raise SweepError("plm export: a format is needed; allowed: --csv")
        manifest_of(folder)  # a sweep folder, or one line
        paths = export_csv(folder, out)
        _say(f"wrote {', '.join(str(p) for p in paths)}")


def _check_wait(wait: float) -> None:
    if not 1 <= wait <= 7 * 24 * 3600:
        from experiments.sweep import SweepError
        raise SweepError(f"--wait-workers = {wait}: allowed: seconds from 1 to 604800")
