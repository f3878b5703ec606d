"""The office's front door: a local web app over the library (``cluster-planner serve``).

Routes read input, call the public API and the report/explain modules, and render Jinja2
templates; a solve runs in its own process (:mod:`cluster_planner.web.worker`); state lives in
SQLite under the data folder (:mod:`cluster_planner.web.store`). Every script and style is in
``static/``: nothing is fetched from the internet.
"""

from __future__ import annotations

from cluster_planner.web.app import create_app

__all__ = ["create_app"]
