"""`plm app`: start the Solara app (registered into the `plm` command line by experiments/cli.py)."""

from __future__ import annotations

from typing import Optional

import typer

MAX_PEOPLE_HELP = (
    "most people (agents) one run of a browser session may simulate; presets, uploaded files and levers beyond it "
    "are refused with one line. Default 250,000: 5.5 times the default region at scale 1 (45,650 agents). A month "
    "of a run that size took 0.09 s (0.2 s in compare mode) on a shared 2-core machine, within the app's 250 ms "
    "per month (benchmarks/app_responsiveness.py --people 250000 --server-only), and every person keeps a story. "
    "Compare mode runs the baseline and each seed at the same size.")


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_command(host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
                    port: int = typer.Option(8765, "--port", help="port to listen on"),
                    scenario: str = typer.Option("default", "--scenario", "-s",
                                                 help="preset or TOML file a new session starts with"),
                    seed: int = typer.Option(42, "--seed", help="seed a new session starts with (0 to 2**63 - 1)"),
                    scale: Optional[float] = typer.Option(None, "--scale",
                                                          help="people per agent for every preset, at least 1 "
                                                               "(larger = faster)"),
                    max_people: Optional[int] = typer.Option(None, "--max-people", help=MAX_PEOPLE_HELP),
                    ) -> None:
        """Start the app in the browser: explore scenarios, compare, teach (open the printed address)."""
        from abm.scenario import check_seed, check_size, load
        from experiments.cli import UserError
        from viz.session import MAX_PEOPLE_DEFAULT

        # bad input stops here, with one line and exit code 2
        if not 1 <= port <= 65535:
            raise UserError(f"--port {port}: allowed: a whole number from 1 to 65535")
        check_seed(seed, "--seed")
        from viz import warmup
        try:
            warmup.check_setting()
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if max_people is None:
            max_people = MAX_PEOPLE_DEFAULT
        if max_people < 1:
            raise UserError(f"--max-people {max_people}: allowed: a whole number of at least 1 (default "
                            f"{MAX_PEOPLE_DEFAULT:,})")
        overrides = {"scale": scale} if scale is not None else {}   # --scale 0 is a value, refused by the schema
        check_size(load(scenario, overrides), agent_views=True, max_agents=max_people,
                   limit_option="--max-people N")
        from viz.server import serve

        typer.echo(f"plm app: open http://{host}:{port}/ in a browser (Ctrl-C stops)")
        serve(host, port, scale=scale, preset=scenario, seed=seed, max_people=max_people)
