"""Plans kept in the server's memory: a plan folder is read once, not on every page (issue 16 item 4).

Reading nine-year-3000's folder takes about 0.3 s and its report tables 1.2 s per language; a
viewer's page needs a few milliseconds once they are at hand. :class:`PlanCache` keeps the last
few plans read (least recently used first out), each with what was built from it (tables per
language, rendered page parts). An entry is keyed by the folder and the name, modification time
and size of every file in it, so a folder written again is read again; a new version is a new
folder. Twenty viewers opening a new version at once wait for one read, not twenty.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from cluster_planner.plan import Plan

PLANS_KEPT = 4  # plans in memory at once (nine-year-3000 with its tables in both languages: about 100 MB)
Signature = tuple[tuple[str, int, int], ...]


def signature(folder: str) -> Signature:
    """(relative path, mtime in ns, size) of every file under ``folder``, sorted: what a change would alter."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
            except FileNotFoundError:  # a file being replaced: the next look sees the new one
                continue
            found.append((os.path.relpath(path, folder), st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


class Entry:
    """One plan read from its folder, and what has been built from it (each thing built once)."""

    def __init__(self, plan: Plan, sign: Signature) -> None:
        self.plan = plan
        self.signature = sign
        self._built: dict[Hashable, Any] = {}
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def built(self, key: Hashable, build: Callable[[Plan], Any]) -> Any:
        """``build(plan)`` for ``key``, made once: callers asking meanwhile wait for it."""
        with self._lock:
            if key in self._built:
                return self._built[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._built:
                    return self._built[key]
            value = build(self.plan)
            with self._lock:
                self._built[key] = value
                self._building.pop(key, None)
            return value


class PlanCache:
    """The last ``size`` plans read, by folder; thread-safe (the server's routes run in a thread pool)."""

    def __init__(self, load: Callable[[str], Plan], size: int = PLANS_KEPT) -> None:
        self._load = load
        self.size = size
        self.loads = 0  # folders read (a test and the benchmark look at it)
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._loading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def entry(self, folder: str | Path) -> Entry:
        """The plan in ``folder`` with what was built from it; read again when a file in it has changed."""
        key = os.path.realpath(folder)
        sign = signature(key)
        with self._lock:
            found = self._fresh(key, sign)
            if found is not None:
                return found
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:  # one reader per folder; the others wait and take its plan
            with self._lock:
                found = self._fresh(key, sign)
                if found is not None:
                    return found
            entry = Entry(self._load(key), sign)
            with self._lock:
                self.loads += 1
                self._entries[key] = entry
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
                self._loading.pop(key, None)
            return entry

    def _fresh(self, key: str, sign: Signature) -> Entry | None:
        """The kept entry of ``key`` if its files are unchanged (marked as just used); a stale one is dropped."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.signature != sign:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
