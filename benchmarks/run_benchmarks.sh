#!/usr/bin/env bash
# Speed and memory benchmarks; figures go to docs/benchmarks.md (with the date and this machine's description).
# Each line of benchmarks/results/latest.jsonl is the JSON that `plm bench` prints as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
PLM=${PLM:-.venv/bin/plm}
mkdir -p benchmarks/results
out=benchmarks/results/latest.jsonl
: > "$out"
run() { echo "+ plm bench $*" >&2; "$PLM" bench "$@" | tail -n 1 | tee -a "$out"; }
run --seekers 100000 --months 12 --classic
run --seekers 1000000 --months 120
run --seekers 1000000 --months 12 --classic
echo "wrote $out" >&2
echo "+ sweep benchmarks (long): .venv/bin/python benchmarks/bench_sweep.py sweep --runs 1000 --workers 2" >&2
echo "+ memory per agent (abm.scenario size constants): .venv/bin/python benchmarks/memory_per_agent.py --sizes 100000 300000 1000000 --months 120" >&2
echo "+ app responsiveness: .venv/bin/python benchmarks/app_responsiveness.py --steps 30 --play-seconds 10" >&2
