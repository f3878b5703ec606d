"""``cluster-planner serve [--port 8000] [--data DIR] [--host 127.0.0.1]``: the web app.

On 127.0.0.1 (this computer) it needs no account; on any other address it refuses to start until
``cluster-planner user add`` has made at least one, and then every page asks for a login.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register, t

register(
    {
        "serve.needs_account": (
            "在 {host} 上提供服务需要登录，但 {data} 还没有任何账户。请先添加一个，例如："
            "cluster-planner user add 王老师 --role office --data {data}",
            "serving on {host} needs a login, but {data} has no account yet. Add one first, e.g.: "
            "cluster-planner user add NAME --role office --data {data}",
        ),
        "serve.listening": (
            "课后服务排课已启动：http://{host}:{port}/ （数据：{data}；按 Ctrl-C 停止）",
            "After-school planner running at http://{host}:{port}/ (data: {data}; Ctrl-C stops)",
        ),
        "serve.login": (
            "需要登录（{count} 个账户）。注意：这是普通 http，网络上的他人可能截获密码和会话；只在学校内网使用。",
            "A login is needed ({count} accounts). Note: this is plain http, which others on the network could "
            "read; use it on the school's own network only.",
        ),
    }
)

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
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any but 127.0.0.1/localhost needs an account (user add).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of these messages.")
def command(port: int, data: Path, host: str, lang: str) -> None:
    """Start the web app on http://HOST:PORT/ (127.0.0.1: this computer only)."""
    from cluster_planner.web import auth, create_app
    from cluster_planner.web.accounts import Accounts
    from cluster_planner.web.server import serve
    from cluster_planner.web.store import Store

    data = data.resolve()
    if not auth.is_local(host):
        count = len(Accounts(Store(data)).all()) if data.is_dir() else 0
        if not count:
            raise UsageError.said("serve.needs_account", host=host, data=data)
    app = create_app(data, host)
    click.echo(t("serve.listening", lang, host=host, port=port, data=data))
    accounts = app.state.accounts.all()
    if accounts:
        click.echo(t("serve.login", lang, count=len(accounts)))
    if not serve(app, port, host):  # the port is taken (uvicorn said why): as uvicorn.run ends
        sys.exit(STARTUP_FAILURE)
