"""Password guessing slowed down: after ``failures`` wrong logins within ``window`` seconds for one
account name, or from one address, further attempts there wait ``lock`` seconds (a guesser gets a
few tries a minute; an office that mistyped waits a minute at most)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

FAILURES = 5
WINDOW = 300.0
LOCK = 60.0


@dataclass
class LoginThrottle:
    """Failed logins per key (``name:…``, ``address:…``), kept in memory while the server runs."""

    failures: int = FAILURES
    window: float = WINDOW
    lock: float = LOCK
    clock: Callable[[], float] = time.monotonic
    _failed: dict[str, deque[float]] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def keys(name: str, address: str) -> tuple[str, str]:
        return f"name:{name.strip().casefold()}", f"address:{address}"

    def wait(self, keys: tuple[str, ...]) -> int:
        """Whole seconds before the next attempt may be checked (0: now)."""
        now = self.clock()
        with self._guard:
            waits = [self._wait(key, now) for key in keys]
        return max(waits, default=0)

    def _wait(self, key: str, now: float) -> int:
        recent = self._failed.get(key)
        if not recent:
            return 0
        while recent and now - recent[0] > self.window:
            recent.popleft()
        if len(recent) < self.failures:
            return 0
        left = self.lock - (now - recent[-1])
        return max(0, int(left + 0.999))

    def failed(self, keys: tuple[str, ...]) -> None:
        now = self.clock()
        with self._guard:
            for key in keys:
                self._failed.setdefault(key, deque(maxlen=self.failures)).append(now)

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._guard:
            for key in keys:
                self._failed.pop(key, None)
