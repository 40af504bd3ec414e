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
                       retry_failed: bool, dry_run: bool, skip: list[str] = (), rounds: int = 1, keep: float = 0.5,
                       verify_seeds: int = 10) -> None:
    """Draw in rounds, run (a sweep on Dask per round), accept, verify (experiments/ensemble_rounds.py); write the
    kept members with their provenance, or refuse with one line when none is kept."""
    from experiments import ensemble as E
    from experiments import ensemble_rounds as R
    from experiments.cli import UserError, out_console, say_error
    from experiments.cli_sweep import _log, _run, _summary
    from experiments.runner import check_out_file

    if not 0 <= sample_seed <= 2**32 - 1:
        raise UserError(f"--sample-seed = {sample_seed}: allowed: a whole number from 0 to 4294967295")
    R.check_options(rounds, keep, seeds, verify_seeds)
    prior = E.priors(chosen)
    E.chosen_targets(skip=list(skip))  # an unknown target is refused before anything runs
    spec0 = E.design(prior, samples, seeds, sample_seed)
    target = check_out_file(out if out is not None else E.ENSEMBLE_FILE, "--out")
    folder = Path(sweep_dir) if sweep_dir is not None else R.base_folder(spec0, keep)
    if dry_run:
        verify = (f" + up to (accepted members) x {verify_seeds - seeds} verification runs"
                  if verify_seeds else "; no verification")
        out_console.print(f"dry run: {rounds} round(s) x {samples} sets x {seeds} seeds = {rounds * samples * seeds} "
                          f"runs of every target's scenarios{verify}, {len(prior)} parameters "
                          f"({', '.join(b.name for b in chosen)}), sweep folder {folder}; nothing run or written")
        return
    failed_runs = []

    def run(spec, sub):
        design, result = _run(spec, sub, workers, scheduler, retry_failed, quiet, 600.0, False)
        if not quiet:
            _summary(result, design)
        failed_runs.append(result.failed)
        return result

    command = "plm " + " ".join(sys.argv[1:])
    ens = R.calibrate(prior, samples=samples, seeds=seeds, sample_seed=sample_seed, rounds=rounds, keep=keep,
                      verify_seeds=verify_seeds, skip=list(skip), folder=folder, run=run, command=command,
                      blocks=[b.name for b in chosen], log=_log)
    p = ens.provenance
    v = p["verification"]
    out_console.print(f"accepted {p['n_accepted']} of {p['n_judged']} sets judged on seeds 1..{seeds} over "
                      f"{len(p['rounds'])} round(s) (acceptance rate {p['acceptance_rate']:.1%}; "
                      f"{p['n_not_judged']} with a failed run); "
                      + (f"kept {v['kept']} of {v['accepted']} after verification over seeds 1..{len(v['seeds'])}"
                         if v["ran"] else "no verification"))
    table = Table(title="rejections per target (sets failing it on the acceptance seeds, every round)")
    table.add_column("target")
    table.add_column("sets failing", justify="right")
    for k, n in sorted(ens.rejections.items(), key=lambda kv: -kv[1]):
        table.add_row(k, str(n))
    out_console.print(table)
    if ens.dropped:
        dt = Table(title=f"dropped by the verification over seeds 1..{len(v['seeds'])}")
        for col in ("member", "round", "failing targets"):
            dt.add_column(col)
        for d in ens.dropped:
            dt.add_row(str(d["id"]), str(d["round"]), ", ".join(d["failed"]))
        out_console.print(dt)
    if not ens.members:
        say_error(f"{R.most_failed(ens)}; nothing written to {target} (the runs are kept in {folder})")
        raise typer.Exit(1)
    path = E.write(ens, target)
    out_console.print(f"wrote {path} ({len(ens.members)} members, central member {ens.central})")
    if skip:
        out_console.print(f"note: {', '.join(skip)} did not judge the members (--skip-target): this ensemble does "
                          "not meet every target; the file says so (meets_every_target = false)")
    if any(failed_runs):
        _log(f"error: {sum(failed_runs)} runs failed; see the error column of runs.parquet in {folder}'s "
             "subfolders; --retry-failed runs them again")
        raise typer.Exit(1)


def run_ensemble(scenario: str, ensemble: str, seeds: int, overrides: dict[str, Any], out: Optional[str],
                 quiet: bool) -> None:
    """`plm run --ensemble`: the scenario for every member x seed; writes runs.parquet (headline figures per
    member x seed, with each run's `weight`: `experiments.ensemble.run_weights`), timeseries.parquet (every run's
    months), summary.csv (mean and interval, pooled with those weights) and manifest.json."""
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
    weights = E.run_weights([r["member"] for r in rows], E.weights_of(ens))
    summary = E.summary(rows, keys, weights)
    # every file into a hidden folder beside the target, renamed into place when all are written
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial"))
    pd.DataFrame(rows).assign(weight=weights).to_parquet(partial / "runs.parquet", index=False)
    member_ids = [m.id for m in ens.members]
    pd.concat(series, ignore_index=True).to_parquet(partial / "timeseries.parquet", index=False)
    write_text_atomic(partial / "summary.csv", pd.DataFrame(summary).to_csv(index=False))
    manifest = {"command": "plm " + " ".join(sys.argv[1:]), "scenario": resolved.name, "ensemble": str(ensemble),
                "ensemble_sha256": E._sha256_text(Path(ensemble).read_text(encoding="utf-8")),
                "members": member_ids, "member_weights": [m.weight for m in ens.members],
                "seeds": list(range(1, seeds + 1)), "interval": E.INTERVAL_TEXT,
                "overrides": overrides, "git_revision": git_revision(),
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    write_text_atomic(partial / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n")
    os.chmod(partial, 0o755)
    if target.is_dir():
        target.rmdir()              # empty: check_out_dir refuses a folder that holds files
    partial.rename(target)
    table = Table(title=f"{resolved.name}: {len(ens.members)} members x {seeds} seeds, mean and 5-95% interval "
                        "of the member x seed runs, pooled with the members' importance weights")
    for col in ("result", "mean", "5%", "95%"):
        table.add_column(col, justify="left" if col == "result" else "right")
    for (key, label, kind, digits), s in zip(R.ROWS, summary):
        if s["runs"]:
            table.add_row(label, R._value(s["mean"], kind, digits), R._value(s["lo"], kind, digits),
                          R._value(s["hi"], kind, digits))
    out_console.print(table)
    out_console.print(E.made_how(ens))
    out_console.print(f"wrote {target}/ (manifest.json, runs.parquet, summary.csv, timeseries.parquet) in "
                      f"{manifest['wall_seconds']:.1f} s")


def validate_ensemble(ensemble: str, seeds: int, members: str, as_json: bool) -> None:
    """`plm validate --ensemble`: every target at the central member over `seeds` seeds, and (members = all) for
    every member whether it passes every target, and the share of members passing each target and all of them.
    Exit 1 when the central member, or (members = all) any member, fails a target."""
    from experiments import ensemble as E
    from experiments import validation as V
    from experiments.cli import UserError, interruptible, out_console, progress_bar

    if members not in ("central", "all"):
        raise UserError(f"--members = {members!r}: allowed: central, all")
    ens = E.load_ensemble(ensemble)
    out_console.print(E.made_how(ens))
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
    per_member = {mid: [r.target.key for r in res if not r.passed] for mid, res in results.items()}
    if members == "all":
        mt = Table(title=f"every member over seeds 1..{seeds}: does it pass every target?")
        for col in ("member", "targets passing", "every target", "failing"):
            mt.add_column(col, justify="right" if col == "targets passing" else "left")
        for mid, fails in per_member.items():
            mt.add_row(f"{mid}{' (central)' if mid == ens.central else ''}", f"{len(targets) - len(fails)} of "
                       f"{len(targets)}", "yes" if not fails else "NO", ", ".join(fails))
        out_console.print(mt)
    failed = per_member[ens.central]
    out_console.print(f"central member: {len(central) - len(failed)} of {len(central)} targets pass"
                      + (f"; failing: {', '.join(failed)}" if failed else ""))
    failing_members = [mid for mid, fails in per_member.items() if fails]
    if members == "all":
        out_console.print(
            f"every member passes every target: {'YES' if not failing_members else 'NO'} "
            f"({len(results) - len(failing_members)} of {len(results)} members pass all {len(targets)} targets over "
            f"{seeds} seeds; members passing every target: {all_pass:.0%} of {len(results)})"
            + ("; failing: " + "; ".join(f"member {mid} ({', '.join(per_member[mid])})" for mid in failing_members)
               if failing_members else ""))
    if as_json:
        sys.stdout.write(json.dumps({"central_member": ens.central, "seeds": seeds,
                                     "central": [r.as_dict() for r in central],
                                     "share_passing": share if members == "all" else None,
                                     "share_passing_all": all_pass if members == "all" else None,
                                     "members": {str(mid): {"passes_every_target": not fails, "failing": fails}
                                                 for mid, fails in per_member.items()},
                                     "every_member_passes": not failing_members}) + "\n")
    if failed or failing_members:
        raise typer.Exit(1)
