"""``cluster-planner serve [--port 8000] [--data DIR]``: the web app on this computer only."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "serve.local_only": (
            "只能在本机（127.0.0.1）上提供服务；其他地址需要账户功能，尚未提供：{host}",
            "the web app listens on this computer only (127.0.0.1); other addresses need accounts, not yet "
            "available: {host}",
        ),
        "serve.listening": (
            "课后服务排课已启动：http://127.0.0.1:{port}/ （数据：{data}；按 Ctrl-C 停止）",
            "After-school planner running at http://127.0.0.1:{port}/ (data: {data}; Ctrl-C stops)",
        ),
    }
)

LOCAL = "127.0.0.1"
STARTUP_FAILURE = 3  # uvicorn's exit code when it cannot listen


@click.command(name="serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--data",
    "data",
    default="cluster-planner-data",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the app's store, uploads and plan versions.",
)
@click.option("--host", default=LOCAL, show_default=True, help="Only 127.0.0.1 (this computer).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of these messages.")
def command(port: int, data: Path, host: str, lang: str) -> None:
    """Start the web app on http://127.0.0.1:PORT/ (this computer only)."""
    if host != LOCAL:
        raise UsageError.said("serve.local_only", host=host)
    from cluster_planner.web import create_app
    from cluster_planner.web.server import serve

    app = create_app(data.resolve())
    click.echo(t("serve.listening", lang, port=port, data=data.resolve()))
    if not serve(app, port):  # the port is taken (uvicorn said why): as uvicorn.run ends
        sys.exit(STARTUP_FAILURE)
