"""Only the rule book and the checker read the fields rules are made of (issue "One rule book (1 of 2)").

``domain/`` declares and validates these fields and ``io/`` reads and writes them as file
columns; everywhere else a model asks :mod:`cluster_planner.rules`.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "cluster_planner"
RULE_FIELDS = {
    "cleared",
    "background_check",
    "skills",
    "max_periods_day",
    "max_periods_week",
    "summer_start",
    "summer_end",
    "max_grade_span",
    "ratio",
}
ALLOWED = ("rules", "check", "domain", "io")  # the rule book, the checker, the fields' declaration and files
MAKERS = ("generate.py", "district/generate.py")  # the school generator writes these fields to make a school


def _reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(SRC)}:{node.lineno} .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in RULE_FIELDS
        and isinstance(node.ctx, ast.Load)
        and not (isinstance(node.value, ast.Name) and node.value.id == "rules")  # rules.ratio(...) is the rule book
    ]


def test_only_rules_and_check_read_rule_fields():
    offenders = [
        hit
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] not in ALLOWED and str(path.relative_to(SRC)) not in MAKERS
        for hit in _reads(path)
    ]
    assert not offenders, "read these through cluster_planner.rules:\n" + "\n".join(offenders)


def test_the_scan_sees_a_read(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f(p):\n    return p.max_periods_week\n", encoding="utf-8")
    tree = ast.parse(probe.read_text())
    assert any(isinstance(n, ast.Attribute) and n.attr in RULE_FIELDS for n in ast.walk(tree))
