"""A solve's progress as Server-Sent Events: each new state the worker wrote, then the final one.

The stream only reads (through ``read``, the same state ``/jobs/{id}/progress`` gives); it ends
when the job has ended (event ``end``), when the client goes away, or when the server is
stopping (``closing`` is set by :class:`cluster_planner.web.server.Server`), so Ctrl-C never
waits on an open page.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from cluster_planner.web.store import RUNNING

TICK = 0.4  # seconds between two looks at the job
KEEP_ALIVE = 15.0  # seconds of silence before a comment line keeps proxies and the browser patient
RETRY_MS = 1000  # how soon a browser reconnects after a dropped stream
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def frame(event: str, data: dict[str, Any]) -> str:
    """One SSE message: ``event:`` and a one-line JSON ``data:``."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def progress_events(
    request: Request,
    read: Callable[[], dict[str, Any]],
    closing: threading.Event,
    tick: float = TICK,
) -> AsyncIterator[str]:
    """``progress`` for each changed state while the job runs, then ``end`` with the final state."""
    yield f"retry: {RETRY_MS}\n\n"
    sent: dict[str, Any] | None = None
    quiet = 0.0
    while not closing.is_set() and not await request.is_disconnected():
        state = await run_in_threadpool(read)
        if state["status"] != RUNNING:
            yield frame("end", state)
            return
        if state != sent:
            yield frame("progress", state)
            sent, quiet = state, 0.0
        elif quiet >= KEEP_ALIVE:
            yield ": keep-alive\n\n"
            quiet = 0.0
        await asyncio.sleep(tick)
        quiet += tick
