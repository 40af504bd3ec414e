"""The calibration ensemble made in rounds and verified (`plm calibrate --ensemble`; docs/calibration.md).

1. **Rounds** (`experiments.abc_smc`): round 0 draws `samples` parameter sets by Latin hypercube in the priors;
   each later round proposes `samples` new sets around the population of the best sets so far (APMC, Lenormand
   et al. 2013). Every set runs with the acceptance seeds 1..S. With one round this is the rejection ABC of
   `experiments.ensemble`. A set is **accepted** when its distance is 0, i.e. it passes every target that judges
   (`--skip-target` leaves one out) over seeds 1..S: the rule of `plm validate`.
2. **Verification**: every accepted set runs again with seeds S+1..V (`--verify-seeds V`, default 10) and is
   judged over seeds 1..V; it is **kept** only if it passes every judged target over them. The others are
   recorded as dropped, with the targets they fail and the one of the worst miss.

Each round and the verification is a sweep on Dask of its own, in a subfolder of the ensemble's sweep folder
(`round-0`, `round-1`, ..., `verify-V`), so every one resumes, shows progress, keeps its finished runs on Ctrl-C
and runs on a cluster like `plm sweep`. A round's proposals depend only on the finished rounds' measures (and
`--sample-seed`), so the same command proposes the same sets again and finds their runs done.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import numpy as np

from experiments import abc_smc as A
from experiments import ensemble as E

METHOD_REJECTION = ("rejection ABC (pattern-oriented filtering): Latin hypercube in the priors, every target's band "
                    "as the tolerance")
METHOD_SMC = ("sequential ABC (adaptive population Monte Carlo, Lenormand et al. 2013; kernel and weights of "
              "Beaumont et al. 2009): round 0 a Latin hypercube in the priors, then proposals around the best sets; "
              "distance = worst normalised miss over the targets (experiments/abc_smc.py); accepted at distance 0")
VERIFY_RULE = ("an accepted member is kept when it passes every judged target over the verification seeds (its "
               "acceptance seeds and the further ones), with the rule of plm validate")


def check_options(rounds: int, keep: float, seeds: int, verify_seeds: int) -> None:
    if not 1 <= rounds <= 100:
        raise E.EnsembleError(f"--rounds = {rounds}: allowed: a whole number from 1 to 100")
    if not (math.isfinite(keep) and 0.0 < keep <= 1.0):
        raise E.EnsembleError(f"--keep = {keep}: allowed: a fraction above 0 and at most 1")
    if verify_seeds != 0 and not seeds < verify_seeds <= 100:
        raise E.EnsembleError(f"--verify-seeds = {verify_seeds}: allowed: 0 (no verification) or a whole number "
                              f"above --seeds ({seeds}) and at most 100")


def base_folder(spec0: dict[str, Any], keep: float) -> Path:
    """The default sweep folder of an ensemble: one per round-0 design, keep fraction and model source
    (`E.model_sha256`: a changed model never resumes the runs of another; the rounds and the verification are
    subfolders, so more rounds or more verification seeds reuse what is done)."""
    from experiments.design import digest

    key = {'round0': spec0, 'keep': keep, 'model': E.model_sha256()}
    return E.SWEEP_ROOT / f"calibration-ensemble-{digest(key, 10)}"


def calibrate(prior: dict[str, tuple[float, float]], *, samples: int, seeds: int, sample_seed: int, rounds: int,
              keep: float, verify_seeds: int, skip, folder: Path, run: Callable[[dict, Path], Any],
              command: str, blocks: list[str], targets=None, function: str = E.MEMBER_FUNCTION,
              log: Callable[[str], None] = lambda _m: None) -> E.Ensemble:
    """Rounds, acceptance and verification (the module docstring); `run(spec, folder)` runs one sweep (the
    command line's with its progress bar, or `experiments.sweep.run_sweep`) and returns its result (with
    `.wall_seconds`; the sweep's manifest holds its timing). Returns the ensemble of the kept members (possibly
    none: the caller refuses to write it)."""
    from experiments import validation as V

    check_options(rounds, keep, seeds, verify_seeds)
    every = targets or V.load_targets()
    judging = E.chosen_targets(every, skip)
    population_size = max(1, math.ceil(keep * samples))
    store: dict[int, tuple[dict[str, float], list[dict], list]] = {}
    particles: dict[int, A.Particle] = {}
    rejections = {t.key: 0 for t in judging}
    counts = {"drawn": 0, "judged": 0, "not_judged": 0, "accepted": 0}
    folders: list[Path] = []
    round_rows: list[dict[str, Any]] = []
    pop: list[A.Particle] = []
    for r in range(rounds):
        if r == 0:
            weights = np.ones(samples)
            spec = E.design(prior, samples, seeds, sample_seed, function, name="calibration-ensemble-round-0")
        else:
            if not pop:
                log(f"round {r}: no set of the earlier rounds was judged; no further round")
                break
            U, weights = A.propose(pop, samples, np.random.default_rng([sample_seed, r]))
            spec = E.design(prior, samples, seeds, sample_seed, function, name=f"calibration-ensemble-round-{r}",
                            points=[A.from_unit(u, prior) for u in U])
        sub = folder / f"round-{r}"
        run(spec, sub)
        folders.append(sub)
        new = []
        for point, (params, records) in E.point_records(sub, every).items():
            pid = r * samples + point
            counts["drawn"] += 1
            if records is None:
                counts["not_judged"] += 1
                continue
            results = V.judge(every, records)
            counts["judged"] += 1
            for k in E.failing(results, skip):
                rejections[k] += 1
            d, _worst = A.distance(results, skip)
            counts["accepted"] += d == 0
            store[pid] = (params, records, results)
            new.append(A.Particle(pid, r, A.to_unit(params, prior), float(weights[point]), d))
            particles[pid] = new[-1]
        pop = A.population(pop + new, population_size)
        passed = sum(p.distance == 0 for p in new)
        best = min((p.distance for p in new), default=math.inf)
        round_rows.append({"round": r, "drawn": len(new), "passed": passed,
                           "best_distance": _num(best), "tolerance_after": _num(A.tolerance(pop)),
                           "folder": str(sub)})
        log(f"round {r}: {passed} of {len(new)} sets pass every judged target on seeds 1..{seeds}; best distance "
            f"{best:.3g}; population of {len(pop)} within tolerance {A.tolerance(pop):.3g}")
    accepted = sorted(pid for pid, p in particles.items() if p.distance == 0)
    members, dropped, verification = _verify(accepted, store, particles, prior, seeds=seeds,
                                             verify_seeds=verify_seeds, skip=skip, every=every, run=run,
                                             folder=folder, folders=folders, sample_seed=sample_seed,
                                             function=function, log=log)
    prov = E.provenance_base(command, blocks, skip, sample_seed, seeds, counts)
    timing = _timing(folders)
    prov.update({
        "method": METHOD_REJECTION if rounds == 1 else METHOD_SMC,
        "rounds": round_rows,
        "n_rounds": rounds,
        "samples_per_round": samples,
        "keep_fraction": keep,
        "population_size": population_size,
        "verification": verification,
        "n_kept": len(members),
        "sweep_folder": str(folder),
        **timing,
    })
    return E.Ensemble(members, dict(prior), prov, E.central_member(members, prior), rejections, dropped=dropped)


def _verify(accepted: list[int], store, particles, prior, *, seeds: int, verify_seeds: int, skip, every, run,
            folder: Path, folders: list[Path], sample_seed: int, function: str, log):
    """(kept members, dropped members, the verification's provenance)."""
    from experiments import validation as V

    def member(pid: int, results) -> E.Member:
        p = particles[pid]
        return E.Member(pid, store[pid][0], E.means(results), p.round, p.weight)

    if verify_seeds == 0 or not accepted:
        info = {"seeds": list(range(1, (verify_seeds or seeds) + 1)), "rule": VERIFY_RULE, "ran": False,
                "accepted": len(accepted), "kept": len(accepted), "dropped": 0, "dropped_by": {}}
        return [member(pid, store[pid][2]) for pid in accepted], [], info
    points = [store[pid][0] for pid in accepted]
    spec = E.design(prior, len(points), verify_seeds - seeds, sample_seed, function,
                    name="calibration-ensemble-verify", points=points, seed_start=seeds + 1)
    sub = folder / f"verify-{verify_seeds}"
    run(spec, sub)
    folders.append(sub)
    more = E.point_records(sub, every)
    kept, dropped = [], []
    by = Counter()
    for i, pid in enumerate(accepted):
        params, records, _ = store[pid]
        extra = more.get(i, (params, None))[1]
        if extra is None:
            dropped.append({"id": pid, "round": particles[pid].round, "failed": ["a failed run"],
                            "worst": "a failed run", "parameters": params, "measures": {}})
            by["a failed run"] += 1
            continue
        results = V.judge(every, records + extra)
        failed = E.failing(results, skip)
        if failed:
            _d, worst = A.distance(results, skip)
            dropped.append({"id": pid, "round": particles[pid].round, "failed": failed, "worst": worst,
                            "parameters": params, "measures": E.means(results)})
            by.update(failed)
        else:
            kept.append(member(pid, results))
    log(f"verification over seeds 1..{verify_seeds}: {len(kept)} of {len(accepted)} accepted members kept"
        + (f"; dropped by {', '.join(f'{k} ({n})' for k, n in by.most_common())}" if by else ""))
    info = {"seeds": list(range(1, verify_seeds + 1)), "rule": VERIFY_RULE, "ran": True,
            "accepted": len(accepted), "kept": len(kept), "dropped": len(dropped), "dropped_by": dict(by),
            "folder": str(sub)}
    return kept, dropped, info


def _timing(folders: list[Path]) -> dict[str, float]:
    from experiments.sweep import manifest_of

    run_s = wall = 0.0
    for f in folders:
        t = manifest_of(f).get("timing") or {}
        run_s += float(t.get("run_seconds") or 0.0)
        wall += float(t.get("wall_seconds") or 0.0)
    return {"run_seconds": run_s, "sweep_wall_seconds": wall}


def _num(x: float) -> float | str:
    return float(x) if math.isfinite(x) else "inf"


def most_failed(ens: E.Ensemble) -> str:
    """What failed most, in words: for a refusal when no member survives."""
    v = ens.provenance.get("verification") or {}
    if v.get("accepted"):
        by = sorted((v.get("dropped_by") or {}).items(), key=lambda kv: -kv[1])
        return (f"all {v['accepted']} accepted members failed over seeds 1..{len(v['seeds'])}, most often "
                f"{by[0][0]} ({by[0][1]})" if by else "every accepted member was dropped")
    top = sorted(ens.rejections.items(), key=lambda kv: -kv[1])
    n = ens.provenance.get("n_judged", 0)
    return (f"no member of {n} judged passes every target; most often failed: {top[0][0]} ({top[0][1]} of {n})"
            if top else f"no member of {n} judged passes every target")
