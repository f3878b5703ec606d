"""One deadline and one cancellation for a whole command, honoured by every inner solve.

A :class:`Budget` is made once per command (``--time-limit``; per school in a district run)
and passed down. Every CP-SAT solve takes at most :meth:`Budget.left` seconds and registers
itself while it runs, so :meth:`Budget.cancel` (Ctrl-C, a web request) stops the search at
once; loops between solves ask :meth:`Budget.expired` and answer with what they know.
:func:`run_cancellable` runs a command's work in a worker thread so that Ctrl-C reaches the
main thread even while CP-SAT runs native code.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Stoppable(Protocol):
    def stop_search(self) -> None: ...


class Cancelled(Exception):
    """The user cancelled the command: nothing is written (CLI exit 130)."""


WRITE_SECONDS = 0.5  # writing a plan folder, whatever its size
WRITE_PER_STUDENT = {False: 0.0003, True: 0.005}  # seconds a student, without and with the reports (measured)


def writing_reserve(time_limit: float, students: int, reports: bool) -> float:
    """Seconds of a command's ``--time-limit`` kept for writing the plan (and its reports) after the
    solve, so that the command ends within the limit; at most half of it."""
    return min(0.5 * time_limit, WRITE_SECONDS + students * WRITE_PER_STUDENT[reports])


class Budget:
    """A wall-clock deadline and a cancellation flag shared by every solve of one command."""

    def __init__(self, seconds: float | None = None, cancel: threading.Event | None = None) -> None:
        self.started = time.monotonic()
        self.deadline = None if seconds is None else self.started + max(0.0, seconds)
        self.cancel_event = cancel or threading.Event()
        self._running: set[Stoppable] = set()
        self._lock = threading.Lock()

    # ---- questions ---------------------------------------------------------------------
    def left(self) -> float:
        """Seconds left before the deadline (a large number when there is none)."""
        if self.cancelled():
            return 0.0
        if self.deadline is None:
            return 1e9
        return max(0.0, self.deadline - time.monotonic())

    def hold_back(self, seconds: float) -> None:
        """Bring the deadline ``seconds`` earlier (kept for work after the solves: writing the plan)."""
        if self.deadline is not None:
            self.deadline -= max(0.0, seconds)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def expired(self) -> bool:
        return self.cancelled() or self.left() <= 0.0

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def raise_if_cancelled(self) -> None:
        if self.cancelled():
            raise Cancelled

    def share(self, fraction: float, at_least: float = 0.0) -> float:
        """A share of the time left (never above what is left)."""
        left = self.left()
        return min(left, max(at_least, left * fraction))

    # ---- cancelling ----------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop every running solve now and make every later one return at once."""
        self.cancel_event.set()
        with self._lock:
            running = list(self._running)
        for solver in running:
            solver.stop_search()

    def running(self, solver: Stoppable) -> _Registration:
        """Context manager: ``solver`` is stopped if the budget is cancelled while it runs."""
        return _Registration(self, solver)


class _Registration:
    def __init__(self, budget: Budget, solver: Stoppable) -> None:
        self.budget, self.solver = budget, solver

    def __enter__(self) -> Stoppable:
        with self.budget._lock:
            self.budget._running.add(self.solver)
        if self.budget.cancelled():
            self.solver.stop_search()
        return self.solver

    def __exit__(self, *exc: Any) -> None:
        with self.budget._lock:
            self.budget._running.discard(self.solver)


def run_cancellable(work: Callable[[], T], budget: Budget, poll: float = 0.1) -> T:
    """Run ``work`` in a worker thread; Ctrl-C in the main thread cancels ``budget`` and raises
    :class:`Cancelled` once the worker has stopped (so nothing half-done is written after).

    The main thread waits on an event the worker sets when it is done, never on
    ``Thread.join``: a Ctrl-C inside ``join`` marks a running thread as stopped (Python 3.11,
    bpo-45274's fix), and exiting while CP-SAT still runs in it aborts the process.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the main thread below
            box["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="cluster-planner-work", daemon=True)
    try:
        _start(worker)
        while not done.wait(poll):
            pass
    except KeyboardInterrupt:
        budget.cancel()
        while not done.is_set():  # a second Ctrl-C waits too: exiting under a running solve aborts
            try:
                done.wait(poll)
            except KeyboardInterrupt:
                budget.cancel()
        raise Cancelled from None
    if budget.cancelled():
        raise Cancelled
    if "error" in box:
        raise box["error"]
    return box["value"]


def _start(worker: threading.Thread) -> None:
    """Start ``worker`` with Ctrl-C held back until it runs (a Ctrl-C inside ``start()`` escapes the caller's try)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        worker.start()
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        worker.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back arrives now, in the caller's try
