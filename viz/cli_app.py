"""`plm app`: start the Solara app (registered into the `plm` command line by experiments/cli.py)."""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("app")
    def app_command(host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
                    port: int = typer.Option(8765, "--port", help="port to listen on"),
                    scenario: str = typer.Option("default", "--scenario", "-s",
                                                 help="preset or TOML file a new session starts with"),
                    seed: int = typer.Option(42, "--seed", help="seed a new session starts with"),
                    scale: Optional[float] = typer.Option(None, "--scale",
                                                          help="people per agent for every preset (larger = faster)")
                    ) -> None:
        """Start the app in the browser: explore scenarios, compare, teach (open the printed address)."""
        from abm.scenario import load
        from experiments.cli import UserError

        if not 1 <= port <= 65535:
            raise UserError(f"--port {port}: allowed: a whole number from 1 to 65535")
        load(scenario, {"scale": scale} if scale else {})   # bad input stops here, with one line
        from viz.server import serve

        typer.echo(f"plm app: open http://{host}:{port}/ in a browser (Ctrl-C stops)")
        serve(host, port, scale=scale, preset=scenario, seed=seed)
