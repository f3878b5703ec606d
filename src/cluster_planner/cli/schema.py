"""``cluster-planner schema OUTDIR``: write the JSON Schemas of scenario and plan."""

from __future__ import annotations

from pathlib import Path

import click

from cluster_planner.i18n import register, t
from cluster_planner.io.schemas import write_schemas

register({"schema.written": ("已写入 {n} 个 JSON Schema 到 {path}", "wrote {n} JSON Schemas to {path}")})


@click.command(name="schema")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the message (default: zh).")
def command(outdir: Path, lang: str | None) -> None:
    """Write scenario.schema.json, one schema per input row type, and plan.schema.json."""
    written = write_schemas(outdir)
    click.echo(t("schema.written", lang or "zh", n=len(written), path=outdir))
