"""`cluster-planner generate` (being written)."""

import click


@click.command(name="generate")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
