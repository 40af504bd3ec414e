"""Fuzzing pass over bad inputs: is every one refused as promised (exit 2, one line on stderr, nothing written;
Ctrl-C: exit 130, one line, nothing written)?

The inputs: the table of `tests/bad_inputs.py` (every class: types, files, size, paths, seeds, options, the
Python API), random mutations of a tiny valid scenario (wrong types, values out of range, unknown and misspelt
keys, broken encodings, deep nesting; seeded), and Ctrl-C during run, report, validate, calibrate and bench.
Each runs in its own temporary folder, in-process through `plm`'s entry point (Ctrl-C in real processes).

    .venv/bin/python benchmarks/fuzz_bad_inputs.py [--mutations 300] [--seed 0] [--no-ctrl-c] [-v]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bad_inputs import CTRL_C_COMMANDS, corpus, mutation_cases, run_case, run_interrupt_case  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutations", type=int, default=300, help="random mutations to try (default 300)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the mutations")
    ap.add_argument("--no-ctrl-c", action="store_true", help="skip the Ctrl-C cases (about a minute)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case and its line")
    args = ap.parse_args()
    t0 = time.perf_counter()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="plm-fuzz-") as tmp:
        folder = Path(tmp)
        cases = corpus() + mutation_cases(args.mutations, args.seed)
        for i, case in enumerate(cases):
            outcomes.append(run_case(case, folder / f"case{i}"))
            if args.verbose:
                o = outcomes[-1]
                print(f"{'ok ' if o.ok else 'NOT'} [{case.kind}] {case.name[:70]}: {o.reason[:160]}", flush=True)
        if not args.no_ctrl_c:
            for command in CTRL_C_COMMANDS:
                outcomes.append(run_interrupt_case(command, folder / f"ctrl-c-{command}"))
            outcomes.append(run_interrupt_case("run", folder / "ctrl-c-twice", wait=6.0, presses=2))
            outcomes.append(run_interrupt_case("run", folder / "ctrl-c-starting", wait=0.5))
    by_class: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for o in outcomes:
        by_class[o.case.kind][0] += 1
        by_class[o.case.kind][1] += o.ok
    print(f"{'class':10} {'tried':>6} {'refused as promised':>20} {'not':>5}")
    for kind, (tried, ok) in sorted(by_class.items()):
        print(f"{kind:10} {tried:6} {ok:20} {tried - ok:5}")
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(f"NOT as promised [{o.case.kind}] {o.case.name[:80]}: {o.reason[:200]}")
    print(f"{len(outcomes)} bad inputs tried, {len(outcomes) - len(failed)} refused as promised, {len(failed)} not "
          f"({time.perf_counter() - t0:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
