"""The `--ensemble` side of `plm calibrate`, `plm run` and `plm validate` (docs/calibration.md).

    plm calibrate --ensemble [--samples N] [--seeds S] [--block B ...] [--workers N | --scheduler ADDRESS]
                  [--sweep-dir DIR] [--out FILE] [--retry-failed] [--quiet]
    plm run --ensemble FILE [--seeds K] [--scenario S] [--set KEY=VALUE ...] [--out DIR]
    plm validate --ensemble FILE [--seeds 10] [--members central|all]

`plm report --ensemble FILE` is in experiments/cli_evidence.py (experiments/report.py does the work).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table


def calibrate_ensemble(chosen, *, seeds: int, samples: int, sample_seed: int, workers: Optional[int],
                       scheduler: Optional[str], sweep_dir: Optional[str], out: Optional[str], quiet: bool,
                       retry_failed: bool, dry_run: bool, skip: list[str] = ()) -> None:
    """Draw, run (a sweep on Dask) and filter the ensemble; write it with its provenance."""
    from experiments import ensemble as E
    from experiments.cli import UserError, out_console, say_error
    from experiments.cli_sweep import _exit_if_failed, _run, _summary
    from experiments.runner import check_out_file

    if not 0 <= sample_seed <= 2**32 - 1:
        raise UserError(f"--sample-seed = {sample_seed}: allowed: a whole number from 0 to 4294967295")
    prior = E.priors(chosen)
    E.chosen_targets(skip=list(skip))  # an unknown target is refused before anything runs
    spec = E.design(prior, samples, seeds, sample_seed)
    target = check_out_file(out if out is not None else E.ENSEMBLE_FILE, "--out")
    folder = Path(sweep_dir) if sweep_dir is not None else E.default_sweep(spec)
    if dry_run:
        out_console.print(f"dry run: {samples} members x {seeds} seeds = {samples * seeds} runs of every target's "
                          f"scenarios, {len(prior)} parameters ({', '.join(b.name for b in chosen)}), sweep folder "
                          f"{folder}; nothing run or written")
        return
    design, result = _run(spec, folder, workers, scheduler, retry_failed, quiet, 600.0, False)
    _summary(result, design)
    command = "plm " + " ".join(sys.argv[1:])
    ens = E.build(result.out, command=command, seeds=seeds, sample_seed=sample_seed, prior=prior,
                  blocks=[b.name for b in chosen], skip=list(skip))
    p = ens.provenance
    out_console.print(f"accepted {p['n_accepted']} of {p['n_judged']} members judged "
                      f"(acceptance rate {p['acceptance_rate']:.1%}; {p['n_not_judged']} with a failed run)")
    table = Table(title="rejections per target (members failing it)")
    table.add_column("target")
    table.add_column("members failing", justify="right")
    for k, n in sorted(ens.rejections.items(), key=lambda kv: -kv[1]):
        table.add_row(k, str(n))
    out_console.print(table)
    if not ens.members:
        say_error(f"no member of {p['n_judged']} passes every target; nothing written to {target} (draw more: "
                  f"--samples, or see the rejections above; the runs are kept in {result.out})")
        raise typer.Exit(1)
    path = E.write(ens, target)
    out_console.print(f"wrote {path} ({len(ens.members)} members, central member {ens.central})")
    _exit_if_failed(result)


def run_ensemble(scenario: str, ensemble: str, seeds: int, overrides: dict[str, Any], out: Optional[str],
                 quiet: bool) -> None:
    """`plm run --ensemble`: the scenario for every member x seed; writes runs.parquet (headline figures per
    member x seed), timeseries.parquet (every run's months), summary.csv (mean and interval) and manifest.json."""
    import pandas as pd

    from abm.scenario import check_size, load
    from experiments import ensemble as E
    from experiments import report as R
    from experiments.cli import interruptible, out_console, progress_bar
    from experiments.runner import check_out_dir, default_out_dir, git_revision, run_scenario, write_text_atomic

    ens = E.load_ensemble(ensemble)
    resolved = load(scenario, overrides)
    check_size(resolved)
    target = check_out_dir(out if out is not None else default_out_dir(resolved, 0, tag="ensemble"), "--out")
    pairs = E.runs(ens, seeds)
    series = []
    t0 = time.perf_counter()
    with interruptible() as check:
        with progress_bar(f"{resolved.name} over the ensemble", unit="runs", disable=quiet) as bar:
            task = bar.add_task("runs", total=len(pairs))

            def one(member: E.Member, seed: int) -> dict[str, float]:
                sc = load(scenario, {**E.member_overrides(scenario, member.parameters), **overrides})
                ts = run_scenario(sc, seed=seed, progress=lambda m, t: check()).timeseries
                series.append(ts.assign(member=member.id, seed=seed))
                return R.headline(ts)
            rows = E.run_over(ens, seeds, one, progress=lambda: (check(), bar.advance(task)))
    keys = [k for k, *_ in R.ROWS]
    summary = E.summary(rows, keys)
    # every file into a hidden folder beside the target, renamed into place when all are written
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial"))
    pd.DataFrame(rows).to_parquet(partial / "runs.parquet", index=False)
    member_ids = [m.id for m in ens.members]
    pd.concat(series, ignore_index=True).to_parquet(partial / "timeseries.parquet", index=False)
    write_text_atomic(partial / "summary.csv", pd.DataFrame(summary).to_csv(index=False))
    manifest = {"command": "plm " + " ".join(sys.argv[1:]), "scenario": resolved.name, "ensemble": str(ensemble),
                "ensemble_sha256": E._sha256_text(Path(ensemble).read_text(encoding="utf-8")),
                "members": member_ids, "seeds": list(range(1, seeds + 1)), "interval": E.INTERVAL_TEXT,
                "overrides": overrides, "git_revision": git_revision(),
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    write_text_atomic(partial / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n")
    os.chmod(partial, 0o755)
    if target.is_dir():
        target.rmdir()              # empty: check_out_dir refuses a folder that holds files
    partial.rename(target)
    table = Table(title=f"{resolved.name}: {len(ens.members)} members x {seeds} seeds, mean and 5-95% interval "
                        "of the member x seed runs")
    for col in ("result", "mean", "5%", "95%"):
        table.add_column(col, justify="left" if col == "result" else "right")
    for (key, label, kind, digits), s in zip(R.ROWS, summary):
        if s["runs"]:
            table.add_row(label, R._value(s["mean"], kind, digits), R._value(s["lo"], kind, digits),
                          R._value(s["hi"], kind, digits))
    out_console.print(table)
    out_console.print(f"wrote {target}/ (manifest.json, runs.parquet, summary.csv, timeseries.parquet) in "
                      f"{manifest['wall_seconds']:.1f} s")


def validate_ensemble(ensemble: str, seeds: int, members: str, as_json: bool) -> None:
    """`plm validate --ensemble`: every target at the central member over `seeds` seeds, and (members = all) the
    share of members passing each target and all of them. Exit 1 when the central member fails a target."""
    from experiments import ensemble as E
    from experiments import validation as V
    from experiments.cli import UserError, interruptible, out_console, progress_bar

    if members not in ("central", "all"):
        raise UserError(f"--members = {members!r}: allowed: central, all")
    ens = E.load_ensemble(ensemble)
    targets = V.load_targets()
    chosen = [ens.central_member] + ([m for m in ens.members if m.id != ens.central] if members == "all" else [])
    per_run = V.runs_needed(1)
    total = len(chosen) * seeds * per_run
    results: dict[int, list] = {}
    with interruptible() as check, progress_bar("validate --ensemble", unit="runs") as bar:
        task = bar.add_task("runs", total=total)
        for m in chosen:
            results[m.id] = V.validate(seeds=seeds, overrides=m.parameters, targets=targets,
                                       progress=lambda _n: (check(), bar.advance(task)), on_month=check)
    central = results[ens.central]
    share = {t.key: sum(r[i].passed for r in results.values()) / len(results) for i, t in enumerate(targets)}
    all_pass = sum(all(x.passed for x in r) for r in results.values()) / len(results)
    table = Table(title=f"targets at the central member ({ens.central}), {seeds} seeds"
                        + (f"; share of the {len(results)} members passing" if members == "all" else ""))
    for col in ("target", "band", "central mean", "", *(["members passing"] if members == "all" else [])):
        table.add_column(col, justify="left" if col in ("target", "") else "right")
    for t, r in zip(targets, central):
        band = f"{t.band[0]:g}-{t.band[1]:g}" if t.band else "sign test"
        row = [t.key, band, f"{r.mean:.4g}", "pass" if r.passed else "FAIL"]
        if members == "all":
            row.append(f"{share[t.key]:.0%}")
        table.add_row(*row)
    out_console.print(table)
    failed = [r.target.key for r in central if not r.passed]
    out_console.print(f"central member: {len(central) - len(failed)} of {len(central)} targets pass"
                      + (f"; failing: {', '.join(failed)}" if failed else "")
                      + (f"; members passing every target: {all_pass:.0%} of {len(results)}" if members == "all"
                         else ""))
    if as_json:
        sys.stdout.write(json.dumps({"central_member": ens.central, "seeds": seeds,
                                     "central": [r.as_dict() for r in central],
                                     "share_passing": share if members == "all" else None,
                                     "share_passing_all": all_pass if members == "all" else None}) + "\n")
    if failed:
        raise typer.Exit(1)
