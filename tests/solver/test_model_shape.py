"""Every CP-SAT stage model in one shape ("One rule book", item 2).

A model class builds its variables in ``_add_variables``; ``add_constraints`` does nothing but
call one ``self._add_<rule>()`` per rule, each named by its rule id in the docstring; the
objective terms come by name from ``objective_terms`` (or ``terms``) as a dict.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

import pytest

from cluster_planner.explain.model import FeasibilityModel
from cluster_planner.midterm.placement import PlacementModel
from cluster_planner.midterm.resources import RoomingModel as ReRoomingModel
from cluster_planner.midterm.resources import StaffingModel as ReStaffingModel
from cluster_planner.solver.allocation import AllocationModel
from cluster_planner.solver.care_settle import CareSettleModel
from cluster_planner.solver.rooming import RoomingModel
from cluster_planner.solver.staffing import StaffingModel

RULE_ID = re.compile(r"^[A-Z]\d+\b")  # "R1: …", "T5/T6: …", "G4 ∧ T4 ∧ R1: …"
# Calls on ``self.model`` that add a constraint (hints, the objective and solving are not constraints).
CONSTRAINT_CALLS = re.compile(r"^(add|add_[a-z_]+)$")
NOT_CONSTRAINTS = {"add_hint", "add_decision_strategy"}

MODELS = [
    pytest.param(AllocationModel, id="AllocationModel"),
    pytest.param(CareSettleModel, id="CareSettleModel"),
    pytest.param(RoomingModel, id="RoomingModel"),
    pytest.param(StaffingModel, id="StaffingModel"),
    pytest.param(PlacementModel, id="midterm.PlacementModel"),
    pytest.param(ReRoomingModel, id="midterm.RoomingModel"),
    pytest.param(ReStaffingModel, id="midterm.StaffingModel"),
    pytest.param(FeasibilityModel, id="explain.FeasibilityModel"),
]


def _methods(cls: type) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    (node,) = tree.body
    assert isinstance(node, ast.ClassDef)
    return {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}


def _body(f: ast.FunctionDef) -> list[ast.stmt]:
    """The statements of ``f`` without its docstring."""
    doc = f.body and isinstance(f.body[0], ast.Expr) and isinstance(f.body[0].value, ast.Constant)
    return f.body[1:] if doc else f.body


def _rule_calls(f: ast.FunctionDef) -> list[str]:
    """The ``self._add_<rule>()`` calls making up ``f``'s body; fails on any other statement."""
    names = []
    for stmt in _body(f):
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        ok = (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "self"
            and call.func.attr.startswith("_add_")
            and not call.args
            and not call.keywords
        )
        assert ok, f"{f.name} line {stmt.lineno}: only self._add_<rule>() calls belong here: {ast.unparse(stmt)}"
        names.append(call.func.attr)
    return names


@pytest.mark.parametrize("cls", MODELS)
def test_add_constraints_calls_one_method_per_rule(cls: type) -> None:
    methods = _methods(cls)
    assert "_add_variables" in methods, f"{cls.__name__} makes its variables in _add_variables"
    assert "add_constraints" in methods, f"{cls.__name__} has no add_constraints"
    rules = _rule_calls(methods["add_constraints"])
    assert rules, "add_constraints calls no rule"
    assert "_add_variables" not in rules
    assert len(set(rules)) == len(rules), f"a rule added twice: {rules}"
    for name in rules:
        assert name in methods, f"{cls.__name__}.{name} is not defined on the class"
        doc = ast.get_docstring(methods[name]) or ""
        assert RULE_ID.match(doc), f"{cls.__name__}.{name}'s docstring names no rule id: {doc!r}"


@pytest.mark.parametrize("cls", MODELS)
def test_objective_terms_by_name(cls: type) -> None:
    methods = _methods(cls)
    name = next((n for n in ("objective_terms", "terms") if n in methods), None)
    assert name, f"{cls.__name__} has no objective_terms (or terms)"
    f = methods[name]
    assert f.returns is not None and ast.unparse(f.returns).startswith("dict[str,"), ast.unparse(f.returns)
    returns = [n for n in ast.walk(f) if isinstance(n, ast.Return)]
    assert returns, f"{cls.__name__}.{name} returns nothing"
    for r in returns:
        assert isinstance(r.value, ast.Dict), f"{cls.__name__}.{name} returns {ast.unparse(r.value)}, not a dict"
        keys = [k.value if isinstance(k, ast.Constant) else None for k in r.value.keys]
        assert keys and all(isinstance(k, str) for k in keys), f"terms not named by string keys: {keys}"


@pytest.mark.parametrize("cls", [RoomingModel, StaffingModel])
def test_constraints_only_in_rule_methods(cls: type) -> None:
    """Stage C1 and C2: ``self.model`` gains constraints only inside the rule methods."""
    methods = _methods(cls)
    rules = set(_rule_calls(methods["add_constraints"]))
    for name, f in methods.items():
        for node in ast.walk(f):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            on_model = (isinstance(owner, ast.Attribute) and owner.attr == "model") or (
                isinstance(owner, ast.Name) and owner.id == "m"
            )
            attr = node.func.attr
            if on_model and CONSTRAINT_CALLS.match(attr) and attr not in NOT_CONSTRAINTS:
                assert name in rules, f"{cls.__name__}.{name} adds a constraint ({attr}) outside a rule method"
