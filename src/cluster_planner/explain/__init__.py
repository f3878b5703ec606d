"""Explanations in the office's terms: pre-checks, conflicts, suggestions, a student's account."""

from __future__ import annotations

from cluster_planner.explain.conflicts import Conflict, find_conflict, require_feasible

__all__ = ["Conflict", "find_conflict", "require_feasible"]
