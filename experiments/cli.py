"""The `plm` command line: run scenarios, list presets, benchmark.

Bad input never runs anything: it prints one line (`error: key = value: what is allowed`) and exits with 2.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from abm.scenario import (
    MAX_AGENTS,
    ScenarioError,
    check_seed,
    check_size,
    load,
    one_line,
    override_notes,
    preset_names,
    preset_text,
)

try:  # typer >= 0.20 vendors its own click; older releases use click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="Simulate the Dutch parallel labour market: basisbanen, parallel and regular work.")
scenarios_app = typer.Typer(add_completion=False, invoke_without_command=True, rich_markup_mode=None,
                            help="List the scenario presets, or show one as TOML.")
app.add_typer(scenarios_app, name="scenarios")

out_console = Console(width=max(Console().width, 120))  # tables stay readable in logs and pipes
err_console = Console(stderr=True)


class UserError(Exception):
    """Bad input: printed as one line, exit code 2."""


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    """`--set key=value` pairs, each value one TOML value (a number, true/false, "text", a list or an inline
    table); a value that is not TOML is taken as text (`--set policy.regime=trust`), which the schema then
    checks like any other."""
    import tomllib
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"--set {pair!r}: allowed: KEY=VALUE, e.g. --set policy.basisbaan_slots=100")
        key, raw = pair.split("=", 1)
        try:
            doc = tomllib.loads(f"v = {raw}")
        except tomllib.TOMLDecodeError:
            doc = {"v": raw}
        except RecursionError:
            raise UserError(f"--set {key.strip()}: the value is nested too deeply; allowed: one TOML value") \
                from None
        if set(doc) != {"v"}:
            raise UserError(f"--set {pair!r}: allowed: one value after '=', e.g. --set policy.basisbaan_slots=100")
        out[key.strip()] = doc["v"]
    return out


class Interrupted(Exception):
    """Ctrl-C during a command run under `interruptible()`: one line, exit 130, nothing written."""


@contextmanager
def interruptible():
    """Ctrl-C during a long command, made clean: the first press asks the work to stop after the current month
    (a compiled kernel cannot be interrupted in the middle of a call), a second press stops at once. Yields
    `check()`, which raises `Interrupted` once a stop was asked; call it from progress callbacks."""
    pressed = {"n": 0}

    def on_sigint(signum, frame):
        pressed["n"] += 1
        if pressed["n"] > 1:
            raise Interrupted()

    def check() -> None:
        if pressed["n"]:
            raise Interrupted()

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: leave Ctrl-C as it is
        yield lambda: None
        return
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_range(name: str, value: int | None, lo: int, hi: int) -> None:
    if value is not None and not lo <= value <= hi:
        raise UserError(f"{name} = {value}: allowed: a whole number from {lo} to {hi}")


@contextmanager
def progress_bar(description: str, unit: str = "months", disable: bool = False):
    """A progress bar on stderr (none if `disable`). A command that fails or is interrupted leaves no bar
    behind, so its one line is all it prints."""
    bar = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
                   TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=False,
                   disable=disable)
    with bar:
        try:
            yield bar
        except BaseException:
            bar.live.transient = True
            raise


@app.command()
def run(scenario: str = typer.Option("default", "--scenario", "-s", help="preset name or TOML file"),
        months: Optional[int] = typer.Option(None, "--months", "-m", help="months to simulate (default: scenario's)"),
        seed: int = typer.Option(42, "--seed", help="random seed: same scenario + seed = same output"),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="output folder (default: a new one under runs/)"),
        set_: list[str] = typer.Option([], "--set", help="override a scenario key, e.g. policy.basisbaan_slots=100"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
        by_municipality: bool = typer.Option(True, "--by-municipality/--no-by-municipality",
                                             help="also write timeseries_by_municipality.parquet (one row per "
                                                  "month and municipality)"),
        ensemble: Optional[str] = typer.Option(None, "--ensemble",
                                               help="run every member of this calibration ensemble (e.g. "
                                                    "abm/ensemble.toml) x seeds 1..--seeds; report the mean and the "
                                                    "5-95% interval of the runs"),
        seeds: Optional[int] = typer.Option(None, "--seeds", help="with --ensemble: seeds per member (default 2); "
                                                                  "with --assumptions: seeds 1..N (default 3)"),
        assumptions: bool = typer.Option(False, "--assumptions",
                                         help="a preset that declares assumed settings: run it over their "
                                              "declared ranges and its comparator on seeds 1..--seeds; print the "
                                              "central value and the range (abm/assumptions.py); writes nothing"),
        ) -> None:
    """Run a scenario and write timeseries, the results per municipality, transitions and a manifest."""
    from experiments.runner import check_out_dir, default_out_dir, run_scenario, summary, write_outputs

    _check_range("--months", months, 1, 1200)
    check_seed(seed, "--seed")
    if seeds is not None and ensemble is None and not assumptions:
        raise UserError(f"--seeds = {seeds}: allowed: only with --ensemble FILE or --assumptions (a single run "
                        "takes --seed)")
    _check_range("--seeds", seeds, 1, 1000)
    if assumptions:
        from experiments.cli_whatif import run_assumptions
        run_assumptions(scenario, seeds or 3, months, set_, out, ensemble, quiet)
        return
    target = check_out_dir(out, "--out") if out is not None else None
    overrides = {**parse_sets(set_), **({"months": months} if months is not None else {})}
    if ensemble is not None:
        from experiments.cli_ensemble import run_ensemble
        run_ensemble(scenario, ensemble, seeds or 2, overrides, out, quiet)
        return
    resolved = load(scenario, overrides)
    check_size(resolved)
    notes = override_notes(resolved, overrides)
    if target is None:
        target = check_out_dir(default_out_dir(resolved, seed))
    for note in notes:
        err_console.print(note, markup=False, highlight=False, soft_wrap=True)
    with interruptible() as check:
        with progress_bar(f"{resolved.name} seed {seed}", disable=quiet) as bar:
            task = bar.add_task("run", total=resolved.months)

            def progress(month: int, total: int) -> None:
                check()
                bar.update(task, completed=month)
            result = run_scenario(resolved, seed=seed, progress=progress, by_municipality=by_municipality)
            check()
            bar.update(task, completed=resolved.months)
        result.overrides, result.notes = overrides, notes
        write_outputs(result, target, command="plm " + " ".join(sys.argv[1:]))  # a first Ctrl-C now waits for it
    table = Table(title=f"{resolved.name}, seed {seed}, {resolved.months} months")
    table.add_column("metric")
    table.add_column("start", justify="right")
    table.add_column("end", justify="right")
    for label, start, end in summary(result.timeseries):
        table.add_row(label, start, end)
    out_console.print(table)
    out_console.print(f"wrote {target}/ ({', '.join(p.name for p in sorted(target.iterdir()))}) "
                      f"in {result.wall_seconds:.1f} s")


@scenarios_app.callback()
def scenarios_list(ctx: typer.Context) -> None:
    """List the presets with their role (calibration or prediction) and a one-line description each."""
    if ctx.invoked_subcommand is not None:
        return
    from experiments.roles import MEANING, ROLES, role_label

    table = Table(title="scenario presets")
    table.add_column("name")
    table.add_column("role")
    table.add_column("what-if")
    table.add_column("description")
    for name in preset_names():
        sc = load(name)
        table.add_row(name, role_label(name), f"{len(sc.assumed)} assumed" if sc.assumed else "", sc.description)
    out_console.print(table)
    for r in ROLES:
        out_console.print(f"{r}: {MEANING[r]}", markup=False, highlight=False)
    out_console.print("what-if: the preset declares assumed settings with a range and a reason (abm/assumptions.py); "
                      "plm run --scenario NAME --assumptions shows its results over them", markup=False,
                      highlight=False)


@scenarios_app.command("show")
def scenarios_show(name: str = typer.Argument(..., help="preset name or TOML file"),
                   resolved: bool = typer.Option(False, "--resolved", help="every parameter, with defaults")) -> None:
    """Print a preset or a scenario file as TOML (as written, or fully resolved); either is validated first."""
    from abm.scenario import decode_scenario_bytes, is_file_spec

    scenario = load(name)
    if resolved:
        text = scenario.to_toml()
    elif is_file_spec(name):
        text = decode_scenario_bytes(Path(name).read_bytes(), name)
    else:
        text = preset_text(name)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
def bench(seekers: int = typer.Option(100_000, "--seekers", help="job seekers in the synthetic region"),
          months: Optional[int] = typer.Option(None, "--months", help="months to run (default 12; --crn: 48)"),
          seed: int = typer.Option(1, "--seed"),
          classic: bool = typer.Option(False, "--classic",
                                       help="also time search-and-hiring against the classic per-agent reference"),
          crn: bool = typer.Option(False, "--crn", help="instead: how much common random numbers sharpen a "
                                                        "comparison (caseload 200 vs the default region, 48 "
                                                        "months, 10 seeds; --months and --seeds change them)"),
          seeds: int = typer.Option(10, "--seeds", help="seeds of --crn"),
          threads: int = typer.Option(0, "--threads", help="threads of the monthly kernels (0: as a run "
                                                           "would: one, or PLM_THREADS from 200,000 people)")
          ) -> None:
    """Time build and monthly steps on a synthetic region; the last line is one JSON object."""
    from experiments.bench import bench_classic, bench_model, synthetic_scenario, to_json

    check_seed(seed, "--seed")
    if crn:
        import json

        from experiments.crn import crn_benchmark
        _check_range("--seeds", seeds, 2, 1000)
        crn_months = 48 if months is None else months
        _check_range("--months", crn_months, 1, 1200)
        with interruptible() as check, progress_bar("bench --crn", unit="runs") as bar:
            task = bar.add_task("crn", total=3 * seeds)

            def tick(done: int, total: int) -> None:
                check()
                bar.update(task, completed=done)
            result = crn_benchmark(seeds, crn_months, progress=tick)
            check()
        print(json.dumps(result))
        return

    months = 12 if months is None else months
    import numba
    _check_range("--threads", threads, 0, numba.config.NUMBA_NUM_THREADS)
    _check_range("--seekers", seekers, 100, MAX_AGENTS)
    _check_range("--months", months, 1, 1200)
    scenario = load(synthetic_scenario(seekers, months))
    check_size(scenario, agent_views=True)
    with interruptible() as check:
        with progress_bar(f"bench {seekers:,} seekers") as bar:
            task = bar.add_task("bench", total=months)

            def progress(month: int) -> None:
                check()
                bar.update(task, completed=month)
            result = bench_model(seekers, months, seed, progress=progress, scenario=scenario, threads=threads)
        if classic:
            result.update(bench_classic(result["_model"], seed))
        check()
    model = result["_model"]
    phases = Table(title="time per month by phase and mechanism")
    phases.add_column("phase")
    phases.add_column("mechanism")
    phases.add_column("ms/month", justify="right")
    phase_of = {mechanism.name: phase for phase, mechanism in model.schedule}
    for name, secs in sorted(model.phase_seconds.items()):
        phases.add_row(name, "", f"{1000 * secs / months:.1f}")
        for mech, msecs in model.mechanism_seconds.items():
            if phase_of.get(mech) == name:
                phases.add_row("", mech, f"{1000 * msecs / months:.1f}")
    err_console.print(phases)
    print(to_json(result))


# Commands that live in their own modules register themselves here (each module has `register(app)`).
COMMAND_MODULES = ("experiments.cli_evidence", "experiments.cli_predict", "experiments.cli_sweep",
                   "experiments.cli_analysis", "viz.cli_app")


def _register_command_modules() -> None:
    import importlib
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet
                continue
            raise
        module.register(app)


_register_command_modules()


def say_error(message: str) -> None:
    """Print one line on stderr: `error: ...` (line breaks in it shown escaped)."""
    err_console.print(f"error: {one_line(message)}", markup=False, highlight=False, soft_wrap=True)


INTERRUPTED = "interrupted: nothing was written"


def usage_message(exc: Exception) -> str:
    """A usage error in one line; for a value the option's type refused, the option, the value and what is
    allowed (`--seed = '1.5': must be a whole number ...`)."""
    from pydantic import ValidationError

    from abm.scenario import allowed_values

    cause, param = exc.__cause__, getattr(exc, "param", None)
    if isinstance(cause, ValidationError) and param is not None and cause.errors():
        err = cause.errors()[0]
        opts = list(getattr(param, "opts", None) or [param.name])
        return f"{max(opts, key=len)} = {err.get('input')!r}: {allowed_values(err)}"
    return exc.format_message()


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a Ctrl-C is at the root of `exc`: numba wraps an exception raised inside a compiled call in a
    SystemError, once per compiled layer it passes, so the interruption can sit several causes down."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, (KeyboardInterrupt, Interrupted)):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `plm` console command."""
    try:
        command = typer.main.get_command(app)
        rv = command.main(args=argv if argv is not None else sys.argv[1:], prog_name="plm", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except (ScenarioError, UserError) as exc:
        say_error(str(exc))
        return 2
    except click_errors.NoArgsIsHelpError as exc:
        err_console.print(exc.ctx.get_help() if exc.ctx else str(exc), markup=False, highlight=False)
        return 0
    except click_errors.UsageError as exc:
        say_error(usage_message(exc))
        return 2
    except (typer.Abort, KeyboardInterrupt, Interrupted):
        err_console.print(INTERRUPTED, markup=False)
        return 130
    except SystemError as exc:  # Ctrl-C that landed inside a compiled kernel
        if _caused_by_interrupt(exc):
            err_console.print(INTERRUPTED, markup=False)
            return 130
        raise


if __name__ == "__main__":  # `python -m experiments.cli`: run the imported module, so its classes are the ones used
    from experiments import main as _main
    sys.exit(_main())
