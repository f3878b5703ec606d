"""Issue #12 item 5, one direction of flow: ``plan/`` reaches up to neither the reports nor the API;
explain and the mid-term re-solve do not import the API; the old plan methods still work, with a warning."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import cluster_planner as cp
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan

PACKAGE = Path(cp.__file__).resolve().parent
ABOVE_PLAN = ("cluster_planner.report", "cluster_planner.api", "cluster_planner.explain", "cluster_planner.midterm")


def _modules(package: str) -> list[str]:
    folder = PACKAGE / package
    return [f"cluster_planner.{package}.{p.stem}" for p in sorted(folder.glob("*.py")) if p.stem != "__init__"]


def _imports(source: str) -> list[tuple[str, bool]]:
    """Every module ``source`` imports (``from cluster_planner import api`` as ``cluster_planner.api``),
    with whether the import is at module level."""
    tree = ast.parse(source)
    top = set(map(id, tree.body))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        found += [(n, id(node) in top) for n in names]
    return found


def _reaches(name: str, targets: tuple[str, ...]) -> bool:
    return any(name == t or name.startswith(t + ".") for t in targets)


def test_importing_plan_loads_no_report_api_explain_or_midterm() -> None:
    modules = ["cluster_planner.plan", *_modules("plan")]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert "cluster_planner.plan.model" in loaded  # the import did happen
    assert [m for m in loaded if _reaches(m, ABOVE_PLAN)] == []


def test_plan_imports_nothing_above_it_but_the_deprecated_methods_when_called() -> None:
    wrong = []
    for path in sorted((PACKAGE / "plan").glob("*.py")):
        for name, at_top in _imports(path.read_text("utf-8")):
            if _reaches(name, ABOVE_PLAN) and (at_top or path.name != "deprecated.py"):
                wrong.append(f"{path.name}: {name}")
    assert wrong == []


@pytest.mark.parametrize("package", ["explain", "midterm"])
def test_explain_and_midterm_do_not_import_the_api(package: str) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for name, _ in _imports(path.read_text("utf-8"))
        if _reaches(name, ("cluster_planner.api",))
    ]
    assert wrong == []


def test_the_ast_reading_sees_imports_inside_functions() -> None:
    """The tests above would pass on anything if ``_imports`` missed the lazy imports they look for."""
    found = _imports("import os\ndef f():\n    from cluster_planner import api\n    import cluster_planner.report\n")
    assert found == [
        ("os", True),
        ("cluster_planner", False),
        ("cluster_planner.api", False),
        ("cluster_planner.report", False),
    ]


OLD_METHODS = [
    ("summary", (), "summary"),
    ("choices_by_grade", ("en",), "choices_by_grade"),
    ("satisfaction", (), "satisfaction"),
    ("timetable", (), "timetable"),
    ("pay", (), "pay"),
    ("rosters", (), "rosters"),
    ("staff_timetables", (), "staff_timetables"),
    ("room_timetables", (), "room_timetables"),
    ("table", ("unplaced", "en"), "table"),
]


def _same(a: object, b: object) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    assert isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)
    return a.equals(b) and list(a.columns) == list(b.columns)


@pytest.mark.parametrize(("method", "args", "function"), OLD_METHODS, ids=[m[0] for m in OLD_METHODS])
def test_old_plan_methods_warn_and_give_the_new_functions_result(
    demo_plan: Plan, method: str, args: tuple[str, ...], function: str
) -> None:
    with pytest.warns(DeprecationWarning, match=rf"plan\.{method}\(…\) is deprecated.*cp\.{function}\(plan"):
        old = getattr(demo_plan, method)(*args)
    assert _same(old, getattr(cp, function)(demo_plan, *args))


def test_old_one_block_methods_warn_and_pick_the_block(demo_plan: Plan) -> None:
    group, adult, room = demo_plan.groups[0].group_id, demo_plan.staff_load[0].staff_id, demo_plan.groups[0].room_id
    with pytest.warns(DeprecationWarning, match=r"cp\.roster\(plan, group_id\)"):
        assert _same(demo_plan.roster(group, public=True), cp.roster(demo_plan, group, public=True))
    with pytest.warns(DeprecationWarning, match=r"cp\.staff_timetable\(plan, staff_id\)"):
        assert _same(demo_plan.staff_timetable(adult), cp.staff_timetable(demo_plan, adult))
    with pytest.warns(DeprecationWarning, match=r"cp\.room_timetable\(plan, room_id\)"):
        assert _same(demo_plan.room_timetable(room), cp.room_timetable(demo_plan, room))


def test_the_warning_points_at_the_caller(demo_plan: Plan) -> None:
    with pytest.warns(DeprecationWarning) as caught:
        demo_plan.pay()
    assert [Path(w.filename).name for w in caught] == [Path(__file__).name]


def test_old_save_and_old_save_order_warn_and_write_the_same_folder(
    demo: Scenario, demo_plan: Plan, tmp_path: Path
) -> None:
    with pytest.warns(DeprecationWarning, match=r"plan\.save\(…\) is deprecated.*cp\.save\(plan, folder\)"):
        old_method = demo_plan.save(tmp_path / "method", reports=False)
    with pytest.warns(DeprecationWarning, match=r"cp\.save\(plan, scenario, folder\) is deprecated"):
        old_order = cp.save(demo_plan, demo, tmp_path / "order", reports=False)
    new = cp.save(demo_plan, tmp_path / "new", reports=False)
    assert (old_method, old_order) == (tmp_path / "method", tmp_path / "order")
    for folder in (old_method, old_order):
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in new.iterdir())
        assert (folder / "assignments.csv").read_bytes() == (new / "assignments.csv").read_bytes()
        assert cp.load_plan(folder) == demo_plan


def test_the_product_itself_calls_no_deprecated_method(demo_plan: Plan, tmp_path: Path) -> None:
    """Saving, loading, plotting and comparing go through ``cp.<table>(plan)``, never ``plan.<table>()``."""
    matplotlib.use("Agg")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = cp.load_plan(cp.save(demo_plan, tmp_path / "p", public=True))
        cp.plot.timetable(again, staff_id=again.staff_load[0].staff_id)
        cp.plot.timetable(again, room_id=again.groups[0].room_id)
        cp.plot.group_sizes(again)
        cp.plot.staff_load(again)
        cp.plot.choices_by_grade(again)
        cp.plot.compare({"a": demo_plan, "b": again})
        matplotlib.pyplot.close("all")
    ours = [w for w in caught if issubclass(w.category, DeprecationWarning) and "next release" in str(w.message)]
    assert ours == []
