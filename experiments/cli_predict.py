"""`plm predict`: write the prediction record (experiments/predictions.py) and docs/predictions.md."""

from __future__ import annotations

import sys
import time
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    from experiments.cli import UserError, interruptible, out_console, progress_bar
    from experiments.runner import check_out_dir, check_out_file, write_text_atomic

    @app.command()
    def predict(seeds: int = typer.Option(10, "--seeds", help="seeds per preset (each runs with its comparator)"),
                months: Optional[int] = typer.Option(None, "--months", help="months (default: each preset's)"),
                record: Optional[str] = typer.Option(None, "--record",
                                                     help="the record to write, a new TOML file (default: "
                                                          "experiments/predictions/<date>-<git revision>.toml)"),
                out: Optional[str] = typer.Option(None, "--out", help="also write the record as markdown here "
                                                                      "(docs/predictions.md)"),
                show: Optional[str] = typer.Option(None, "--show", help="run nothing: write the markdown of this "
                                                                        "existing record (to --out or stdout)"),
                ensemble: Optional[str] = typer.Option(None, "--ensemble",
                                                       help="run every prediction preset over this calibration "
                                                            "ensemble's members x --seeds, pooled with the members' "
                                                            "importance weights")
                ) -> None:
        """Record what the model predicts for every prediction preset, before any comparison (append-only)."""
        from datetime import datetime, timezone

        from experiments import predictions as P

        if show is not None:
            if ensemble is not None:
                raise UserError(f"--ensemble = {ensemble!r}: allowed: not with --show (a record says over which "
                                "ensemble it was made)")
            if not P.Path(show).is_file():
                raise UserError(f"--show = {show!r}: no such file; allowed: a prediction record "
                                f"({P.RECORD_DIR}/*.toml)")
            try:
                rec = P.read_record(show)
            except (KeyError, TypeError, ValueError) as exc:
                raise UserError(f"--show = {show!r}: not a prediction record ({type(exc).__name__}: {exc}); "
                                "allowed: a file written by plm predict") from None
            _emit(P.markdown(rec, show), out, check_out_file, write_text_atomic, out_console)
            return
        from experiments.ensemble import load_ensemble

        ens = load_ensemble(ensemble) if ensemble is not None else None
        if not 1 <= seeds <= 1000:
            raise UserError(f"--seeds = {seeds}: allowed: a whole number from 1 to 1000")
        if months is not None and not 1 <= months <= 1200:
            raise UserError(f"--months = {months}: allowed: a whole number from 1 to 1200")
        now = datetime.now(timezone.utc)
        md_target = check_out_file(out, "--out") if out is not None else None
        given_record = record is not None
        git = P.git_state()    # the code the runs use, taken before they start
        if given_record:
            target = P.check_new_record(record, "--record")
        else:
            target = P.default_record_path(now.strftime("%Y-%m-%d"), *git)
            if P.RECORD_DIR.is_dir():
                P.check_new_record(target, "--record")
            else:   # a new folder, made when the record is written
                check_out_dir(P.RECORD_DIR, "--record")
        names = P.prediction_presets()
        command = "plm predict --seeds {}{}{}{}{}".format(seeds, f" --months {months}" if months else "",
                                                           f" --record {record}" if given_record else "",
                                                           f" --out {out}" if out else "",
                                                           f" --ensemble {ensemble}" if ensemble else "")
        start = time.perf_counter()
        with interruptible() as check, progress_bar("predict", unit="runs") as bar:
            task = bar.add_task("runs", total=seeds * sum(P.R.runs_per_seed(n, ens) for n in names))

            def tick() -> None:
                check()
                bar.advance(task)
            results = P.run_predictions(seeds, months, progress=tick, on_month=check, ensemble=ens)
            check()
        rec = P.make_record(results, command, range(1, seeds + 1), time.perf_counter() - start, now, git, ens)
        target.parent.mkdir(parents=True, exist_ok=True)
        P.write_record(rec, target, "--record")
        members = f"{len(ens.members)} ensemble members x " if ens is not None else ""
        out_console.print(f"wrote {target} ({len(rec.presets)} prediction presets, {members}{seeds} seeds, "
                          f"{rec.wall_seconds:,.0f} s)")
        if md_target is not None:
            _emit(P.markdown(rec, str(target)), out, check_out_file, write_text_atomic, out_console)


def _emit(text: str, out, check_out_file, write_text_atomic, console) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    path = write_text_atomic(check_out_file(out, "--out"), text)
    console.print(f"wrote {path}")
