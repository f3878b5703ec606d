"""uvicorn for the web app: on stop (Ctrl-C) the app's open event streams end first.

uvicorn waits for every open response before it stops; a progress stream of a long solve would
keep it waiting. :class:`Server` sets the app's ``closing`` event as its shutdown begins, so each
stream ends within a tick, and gives up on any other response after ``GRACE_SECONDS``.
"""

from __future__ import annotations

import contextlib
import socket

import uvicorn
from fastapi import FastAPI

LOCAL = "127.0.0.1"
GRACE_SECONDS = 3.0


class Server(uvicorn.Server):
    """The app on ``host:port`` (this computer only by default)."""

    def __init__(self, app: FastAPI, port: int, host: str = LOCAL) -> None:
        self.app = app
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=GRACE_SECONDS)
        super().__init__(config)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.app.state.closing.set()
        await super().shutdown(sockets)


def serve(app: FastAPI, port: int, host: str = LOCAL) -> bool:
    """Serve ``app`` until Ctrl-C (a normal stop, as with ``uvicorn.run``); False if it could not listen."""
    server = Server(app, port, host)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises the captured Ctrl-C again once it has stopped
        server.run()
    return server.started
