"""`plm validate`, `plm calibrate` and `plm report`: the model against its evidence."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.table import Table


def register(app: typer.Typer) -> None:
    from experiments.cli import UserError, interruptible, out_console, progress_bar
    from experiments.runner import check_out_file, write_text_atomic

    def bar(description: str, total: int):
        return progress_bar(description, unit="runs")

    @app.command()
    def validate(scenario: Optional[str] = typer.Option(None, "--scenario", "-s",
                                                        help="only the targets measured in this scenario"),
                 seeds: int = typer.Option(10, "--seeds", help="seeds per scenario"),
                 as_json: bool = typer.Option(False, "--json", help="also print the results as one JSON list "
                                                                    "(last line)"),
                 ensemble: Optional[str] = typer.Option(None, "--ensemble",
                                                        help="validate a calibration ensemble: every target at its "
                                                             "central member, and the share of members passing"),
                 members: str = typer.Option("all", "--members", help="with --ensemble: central (only the central "
                                                                      "member) or all")) -> None:
        """Compare the model with every target (observed figure, band, simulated mean and 90% interval)."""
        from experiments import validation as V

        if not 1 <= seeds <= 1000:
            raise UserError(f"--seeds = {seeds}: allowed: a whole number from 1 to 1000")
        if ensemble is not None:
            if scenario is not None:
                raise UserError(f"--scenario = {scenario!r}: allowed: not with --ensemble (every target is judged)")
            from experiments.cli_ensemble import validate_ensemble
            validate_ensemble(ensemble, seeds, members, as_json)
            return
        total = V.runs_needed(seeds, scenario)
        with interruptible() as check, bar("validate", total) as progress:
            task = progress.add_task("runs", total=total)

            def tick(_name: str) -> None:
                check()
                progress.advance(task)
            results = V.validate(seeds=seeds, scenario=scenario, progress=tick, on_month=check)
            check()
        table = Table(title=f"targets, {seeds} seeds")
        for col in ("target", "observed", "band", "simulated", "90% interval", ""):
            table.add_column(col, justify="right" if col not in ("target", "") else "left")
        for r in results:
            lo, hi = r.interval
            band = f"{r.target.band[0]:g}-{r.target.band[1]:g}" if r.target.band else "sign test"
            sim = f"{r.mean:.4g}" if r.target.band else \
                (f"part-time {r.detail['part_time_change']:+.0f}, "
                 f"full-time {r.detail['full_time_outflow_change_points']:+.2f} pt")
            table.add_row(r.target.key, str(r.target.observed), band, sim,
                          f"{lo:.4g}-{hi:.4g}" if r.target.band else "", "pass" if r.passed else "FAIL")
        out_console.print(table)
        failed = [r.target.key for r in results if not r.passed]
        out_console.print(f"{len(results) - len(failed)} of {len(results)} targets pass"
                          + (f"; failing: {', '.join(failed)}" if failed else ""))
        if as_json:
            sys.stdout.write(json.dumps([r.as_dict() for r in results]) + "\n")
        if failed:
            raise typer.Exit(1)

    @app.command()
    def calibrate(block: list[str] = typer.Option([], "--block", help="fit only these blocks (default: all)"),
                  seeds: Optional[int] = typer.Option(None, "--seeds", help="seeds per evaluation (common random "
                                                                            "numbers; default 5, --ensemble 2)"),
                  max_evals: int = typer.Option(60, "--max-evals", help="evaluations per block at most"),
                  out: Optional[str] = typer.Option(None, "--out", help="where to write the fitted values "
                                                                         "(default: abm/calibrated.toml; "
                                                                         "--ensemble: abm/ensemble.toml)"),
                  dry_run: bool = typer.Option(False, "--dry-run", help="fit and report, write nothing"),
                  ensemble: bool = typer.Option(False, "--ensemble",
                                                help="instead of a point: draw --samples parameter sets in the "
                                                     "priors, run them as a sweep on Dask and keep those that pass "
                                                     "every target (docs/calibration.md)"),
                  samples: int = typer.Option(32, "--samples", help="with --ensemble: parameter sets drawn (Latin "
                                                                     "hypercube in the priors)"),
                  sample_seed: int = typer.Option(1, "--sample-seed", help="with --ensemble: seed of the draw"),
                  workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                                        help="with --ensemble: local Dask workers (default one per "
                                                             "core; 0 = in this process)"),
                  scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                                          help="with --ensemble: a running Dask scheduler"),
                  sweep_dir: Optional[str] = typer.Option(None, "--sweep-dir",
                                                          help="with --ensemble: the sweep folder (default "
                                                               "runs/sweeps/calibration-ensemble-<hash of the "
                                                               "design>); the same command again resumes it"),
                  retry_failed: bool = typer.Option(False, "--retry-failed",
                                                    help="with --ensemble: run failed runs again"),
                  quiet: bool = typer.Option(False, "--quiet", "-q", help="with --ensemble: no progress bar"),
                  skip_target: list[str] = typer.Option([], "--skip-target",
                                                        help="with --ensemble: do not judge members by this target "
                                                             "(repeat; recorded in the ensemble's provenance: the "
                                                             "ensemble then does not meet every target)"),
                  rounds: int = typer.Option(1, "--rounds",
                                             help="with --ensemble: rounds of sequential ABC, --samples sets each "
                                                  "(1: rejection ABC over the priors; docs/calibration.md)"),
                  keep: float = typer.Option(0.5, "--keep",
                                             help="with --ensemble --rounds: share of --samples kept as the "
                                                  "population the next round proposes around"),
                  verify_seeds: int = typer.Option(10, "--verify-seeds",
                                                   help="with --ensemble: run every accepted member over seeds "
                                                        "1..N and keep only those passing every target (0: no "
                                                        "verification)")
                  ) -> None:
        """Fit the declared free parameters (experiments/calibration.toml) to the targets: a point, or with
        --ensemble the parameter sets that pass every target."""
        from experiments import calibrate as C

        blocks = C.load_blocks()
        names = [b.name for b in blocks]
        for b in block:
            if b not in names:
                raise UserError(f"--block = {b!r}: allowed: {', '.join(names)}")
        chosen = [b for b in blocks if not block or b.name in block]
        seeds = seeds if seeds is not None else (2 if ensemble else 5)
        if not 1 <= seeds <= 100:
            raise UserError(f"--seeds = {seeds}: allowed: a whole number from 1 to 100")
        if ensemble:
            from experiments.cli_ensemble import calibrate_ensemble
            calibrate_ensemble(chosen, seeds=seeds, samples=samples, sample_seed=sample_seed, workers=workers,
                               scheduler=scheduler, sweep_dir=sweep_dir, out=out, quiet=quiet,
                               retry_failed=retry_failed, dry_run=dry_run, skip=skip_target, rounds=rounds,
                               keep=keep, verify_seeds=verify_seeds)
            return
        for flag, given in (("--workers", workers is not None), ("--scheduler", scheduler is not None),
                            ("--sweep-dir", sweep_dir is not None), ("--retry-failed", retry_failed),
                            ("--skip-target", bool(skip_target)), ("--rounds", rounds != 1), ("--keep", keep != 0.5),
                            ("--verify-seeds", verify_seeds != 10)):
            if given:
                raise UserError(f"{flag}: allowed: only with --ensemble")
        if not 1 <= max_evals <= 10_000:
            raise UserError(f"--max-evals = {max_evals}: allowed: a whole number from 1 to 10000")
        target = check_out_file(out if out is not None else C.CALIBRATED_FILE, "--out")
        total = max_evals * len(chosen)
        with interruptible() as check, bar("calibrate", total) as progress:
            task = progress.add_task("evals", total=total)

            def tick(block_name, n, loss):
                check()
                progress.update(task, description=f"{block_name}: loss {loss:.3f}", advance=1)
            values, reports = C.calibrate(chosen, seeds=seeds, max_evals=max_evals, progress=tick,
                                          on_month=check)
            check()
        for r in reports:
            table = Table(title=f"block {r['block']}: loss {r['start_loss']:.3f} -> {r['loss']:.3f} "
                                f"({r['evaluations']} evaluations)")
            table.add_column("parameter or target")
            table.add_column("before", justify="right")
            table.add_column("after", justify="right")
            for k, v in r["fitted"].items():
                table.add_row(k, f"{r['start'][k]:.4g}", f"{v:.4g}")
            for k, v in r["measures"].items():
                table.add_row(f"target {k}", f"{r['start_measures'].get(k, float('nan')):.4g}", f"{v:.4g}")
            out_console.print(table)
        if dry_run:
            out_console.print("dry run: nothing written")
            return
        path = C.write_calibrated(values, reports, target, seeds)
        out_console.print(f"wrote {path}")

    @app.command()
    def report(seeds: int = typer.Option(3, "--seeds", help="seeds per scenario"),
               months: Optional[int] = typer.Option(None, "--months", help="months (default: each scenario's)"),
               scenario: list[str] = typer.Option([], "--scenario", "-s", help="only these presets"),
               out: Optional[str] = typer.Option(None, "--out", help="write the markdown here (default: print)"),
               ensemble: Optional[str] = typer.Option(None, "--ensemble",
                                                      help="run every preset over this calibration ensemble's "
                                                           "members x --seeds: means with 5-95% intervals")
               ) -> None:
        """Headline results of every preset against its comparator, as markdown (docs/scenarios.md)."""
        from abm.scenario import load, preset_names
        from experiments import report as R
        from experiments.ensemble import load_ensemble, made_how

        ens = load_ensemble(ensemble) if ensemble is not None else None

        if not 1 <= seeds <= 1000:
            raise UserError(f"--seeds = {seeds}: allowed: a whole number from 1 to 1000")
        if months is not None and not 1 <= months <= 1200:
            raise UserError(f"--months = {months}: allowed: a whole number from 1 to 1200")
        target = check_out_file(out, "--out") if out is not None else None
        names = list(scenario) or R.report_presets()
        for n in names:
            if n not in preset_names():
                raise UserError(f"--scenario = {n!r}: not a preset; allowed: {', '.join(preset_names())}")
            load(n)
        total = seeds * sum(R.runs_per_seed(n, ens) for n in names)
        with interruptible() as check, bar("report", total) as progress:
            task = progress.add_task("runs", total=total)

            def tick() -> None:
                check()
                progress.advance(task)
            results = R.all_results(seeds, months, names, progress=tick, on_month=check, ensemble=ens)
            check()
        command = "plm report --seeds {}{}{}{} --out docs/scenarios.md".format(
            seeds, f" --months {months}" if months else "", "".join(f" -s {n}" for n in scenario),
            f" --ensemble {ensemble}" if ensemble else "")
        text = R.markdown(results, command, made_how(ens) if ens is not None else "")
        if target is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(target, text)
            out_console.print(f"wrote {target}")
