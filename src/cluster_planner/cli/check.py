"""`cluster-planner check` (being written)."""

import click


@click.command(name="check")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
