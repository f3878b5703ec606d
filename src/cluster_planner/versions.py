"""``cp.show_versions()``: the versions a bug report needs (Python, platform, the libraries used)."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

PACKAGES = (
    "cluster-planner",
    "ortools",
    "pandas",
    "numpy",
    "pydantic",
    "openpyxl",
    "xlsxwriter",
    "matplotlib",
    "click",
    "rich",
    "nbclient",
    "ipykernel",
)


def versions() -> dict[str, str]:
    """Python, the platform and each package's installed version (``-`` when not installed)."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def show_versions() -> None:
    """Print :func:`versions`, one ``name: version`` per line, to paste into a bug report.

    >>> import cluster_planner as cp
    >>> cp.show_versions()   # doctest: +SKIP
    python          : 3.11.2
    cluster-planner : 0.1.0
    …
    """
    items = versions()
    width = max(len(k) for k in items)
    for name, version in items.items():
        print(f"{name:<{width}} : {version}")
