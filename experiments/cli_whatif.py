"""`plm run --scenario NAME --assumptions [--seeds K] [--months M]`: a preset over its assumed settings.

Runs what `plm report` runs for the preset's what-if section (experiments/whatif.py): its own values, every
design point over the declared ranges and its comparator, on seeds 1..K; prints the assumptions and, per
figure, the central value and the range over the assumptions. Writes nothing. Progress in runs; Ctrl-C stops
after the current month (exit 130).
"""

from __future__ import annotations

from typing import Optional


def run_assumptions(scenario: str, seeds: int, months: Optional[int], sets: list[str], out: Optional[str],
                    ensemble: Optional[str], quiet: bool) -> None:
    from rich.table import Table

    from abm import assumptions as A
    from abm.scenario import check_size, load
    from experiments.cli import UserError, interruptible, out_console, progress_bar
    from experiments.whatif import assumed_presets, count, run_whatif, table_rows

    for given, option in ((sets, "--set"), (out, "--out"), (ensemble, "--ensemble")):
        if given:
            raise UserError(f"{option} with --assumptions: allowed: --seeds and --months only (the assumptions are "
                            "the preset's own; a changed scenario goes in a file with base = \"NAME\" and its own "
                            "[assumed] table)")
    sc = load(scenario, {"months": months} if months is not None else None)
    if not sc.assumed:
        raise UserError(f"--scenario = {scenario!r} with --assumptions: it declares no assumed settings; allowed: "
                        f"{', '.join(assumed_presets())}, or a file with an [assumed] table")
    check_size(sc)
    total = seeds * (count(sc) + 1)
    with interruptible() as check:
        with progress_bar(f"{sc.name} over its assumptions", unit="runs", disable=quiet) as bar:
            task = bar.add_task("runs", total=total)
            w = run_whatif(scenario, seeds, months, progress=lambda: (check(), bar.advance(task)), on_month=check)
            check()
    out_console.print(f"{sc.name}: assumed settings (abm/assumptions.py)", markup=False, highlight=False)
    for r in A.rows(sc):
        out_console.print(f"  {r['key']} = {r['value']:g}, range {r['low']:g} to {r['high']:g} ({r['source']})",
                          markup=False, highlight=False)
    table = Table(title=f"{sc.name}, {sc.months} months, against {w.comparator}")
    for col in ("result", "at the preset's values", "range over the assumptions", "difference",
                "range of the difference"):
        table.add_column(col, justify="left" if col == "result" else "right")
    for row in table_rows(w):
        table.add_row(*row)
    out_console.print(table)
    out_console.print(f"Runs: {w.design_text()}. {A.RANGE_TEXT[0].upper() + A.RANGE_TEXT[1:]}.", markup=False,
                      highlight=False)
