"""`cluster-planner template` (being written)."""

import click


@click.command(name="template")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
