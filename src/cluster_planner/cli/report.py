"""`cluster-planner report` (being written)."""

import click


@click.command(name="report")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
