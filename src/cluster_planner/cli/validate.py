"""`cluster-planner validate` (being written)."""

import click


@click.command(name="validate")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
