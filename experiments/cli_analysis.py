"""`plm plot` and `plm discover` (registered by experiments/cli.py; docs/sweeps.md § From a design to a plot).

    plm plot SWEEP [--outcome NAME ...] [--by PARAMETER] [--figure envelopes|response|pairs ...] [--out DIR]
    plm discover SWEEP --outcome NAME --where "NAME < NUMBER" [--method prim|cart ...] [--density 0.8] [--out DIR]

SWEEP is a sweep folder (`plm sweep`'s --out). Bad input prints one line and exits 2; nothing is written.
The figures and boxes are made by experiments/plot.py and experiments/discover.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

out_console = Console()
err_console = Console(stderr=True)


def _say(msg: str) -> None:
    err_console.print(msg, markup=False, highlight=False, soft_wrap=True)


def _print(msg: str) -> None:
    out_console.print(msg, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    @app.command("plot")
    def plot(sweep: Path = typer.Argument(..., help="a sweep folder (plm sweep's --out)"),
             outcome: list[str] = typer.Option([], "--outcome",
                                               help="output column (repeat); also inclusion, displacement, "
                                                    "throughput, net_cost; default: the headline outputs kept"),
             by: Optional[str] = typer.Option(None, "--by", help="parameter that groups the envelopes "
                                                                 "(default: the first varied one)"),
             figure: list[str] = typer.Option([], "--figure", help="envelopes, response or pairs (repeat; "
                                                                   "default: all the sweep allows)"),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="folder for the figures "
                                                                          "(default: SWEEP/plots)")) -> None:
        """Envelopes over time grouped by a parameter, response curves with the seed spread, and a pairs plot,
        each as PNG and SVG."""
        from experiments.plot import plot_sweep

        paths = plot_sweep(sweep, outcomes=outcome or None, by=by, figures=figure or None, out=out, log=_say)
        _print(f"wrote {', '.join(str(p) for p in paths)}")

    @app.command("discover")
    def discover(sweep: Path = typer.Argument(..., help="a sweep folder (plm sweep's --out)"),
                 outcome: str = typer.Option(..., "--outcome", help="the output column the condition is on"),
                 where: str = typer.Option(..., "--where", help="the runs of interest: NAME OP NUMBER, OP one of "
                                                                "< <= > >=, e.g. \"inclusion_rate_final < 0.36\""),
                 method: list[str] = typer.Option([], "--method", help="prim or cart (repeat; default both)"),
                 density: float = typer.Option(0.8, "--density", help="PRIM: report the box of highest coverage "
                                                                      "whose density reaches this share"),
                 out: Optional[Path] = typer.Option(None, "--out", "-o", help="folder for boxes.csv and the "
                                                                              "figures (default: SWEEP/discover)"),
                 no_plot: bool = typer.Option(False, "--no-plot", help="boxes.csv only, no figures")) -> None:
        """Scenario discovery: PRIM and CART boxes of the parameters where the runs meet --where (EMA Workbench)."""
        from experiments.discover import METHODS, discover, format_box, write_boxes_csv, write_figures

        result = discover(sweep, outcome, where, methods=tuple(method) if method else METHODS, density=density)
        _print(f"sweep {result.sweep}: {result.of_interest} of {result.cases} ok runs have {result.where}")
        for box in result.boxes:
            for line in format_box(box):
                _print(line)
        if not any(b.method == "CART" for b in result.boxes) and result._cart is not None:
            _print("CART: no leaf where runs of interest are the majority")
        for note in result.notes:
            _say(f"note: {note}")
        target = out if out is not None else Path(sweep) / "discover"
        target.mkdir(parents=True, exist_ok=True)
        paths = [write_boxes_csv(result, target)]
        if not no_plot:
            paths += write_figures(result, target)
        _print(f"wrote {', '.join(str(p) for p in paths)}")
