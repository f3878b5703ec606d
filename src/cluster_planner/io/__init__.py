"""Reading and writing scenario files: CSV folders, workbooks, headers in English or Chinese."""

from cluster_planner.io.loader import LoadResult, load_scenario, load_scenario_with_findings, read_scenario

__all__ = ["LoadResult", "load_scenario", "load_scenario_with_findings", "read_scenario"]
