"""`cluster-planner schema` (being written)."""

import click


@click.command(name="schema")
def command() -> None:
    """Not available yet."""
    raise click.ClickException("not available yet")
