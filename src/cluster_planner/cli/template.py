"""``cluster-planner template OUT.xlsx``: an empty scenario workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from cluster_planner.i18n import register, t
from cluster_planner.io.template import write_template

register({"template.written": ("模板已写入 {path}", "template written to {path}")})


@click.command(name="template")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Sheet names, headers and words.")
def command(out: Path, lang: str) -> None:
    """Write an empty workbook with every sheet, header and drop-down of the data contract (OUT must be new)."""
    path = write_template(out, lang)
    click.echo(t("template.written", lang, path=path))
