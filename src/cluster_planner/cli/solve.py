"""`cluster-planner solve` (being written)."""

import click


@click.command(name="solve")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
