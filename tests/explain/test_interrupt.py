"""Issue 14 item 3: Ctrl-C stops ``explain`` at once — exit 130, the answer not printed.

A real SIGINT to a real process, sent once the command says it is solving (its first progress
line), never after a fixed sleep. Before, CP-SAT's own SIGINT handler swallowed Ctrl-C during a
solve (each press stopped one solve) and reset SIGINT to the default after it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")

WAIT = 120.0  # seconds at most for each step: a hang fails the test instead of blocking the suite


def _first_line(stream) -> str:
    """The first line of ``stream``, or "" when none comes within :data:`WAIT`."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(WAIT)
    return box[0] if box else ""


def test_ctrl_c_while_explain_solves_exits_130_and_prints_no_answer():
    command = "from cluster_planner.cli import main; main()"
    args = ["explain", "scenarios/primary-1200", "--suggest", "--lang", "en", "--time-limit", "600"]
    proc = subprocess.Popen(
        [sys.executable, "-c", command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as at a terminal, even under CI
    )
    try:
        line = _first_line(proc.stderr)
        assert "solving" in line, line
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (proc.returncode, err)
    assert "interrupted" in err
    assert "Traceback" not in err
    assert "cheapest way" not in out  # nothing of an answer
