"""JSON Schemas of the data contract, generated from the pydantic models and plan dataclasses.

``models/`` in the repository holds their output; a test regenerates them and fails on drift.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from cluster_planner.domain.entities import (
    Activity,
    Change,
    DutyPost,
    HomeClass,
    Lock,
    Room,
    Staff,
    Student,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import School
from cluster_planner.plan.model import Plan

INPUT_MODELS: dict[str, type[BaseModel]] = {
    "scenario": Scenario,
    "school": School,
    "timeslot": Timeslot,
    "home_class": HomeClass,
    "student": Student,
    "activity": Activity,
    "staff": Staff,
    "room": Room,
    "duty_post": DutyPost,
    "lock": Lock,
    "change": Change,
}
"""Schema file stem → model: the whole scenario, then one row of each file."""


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for every input model and for the plan."""
    schemas = {f"{stem}.schema.json": model.model_json_schema() for stem, model in INPUT_MODELS.items()}
    schemas["plan.schema.json"] = TypeAdapter(Plan).json_schema()
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    """Stable text of a schema: indented, UTF-8, ending in a newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: str | Path) -> list[Path]:
    """Write every schema into ``folder`` (each file atomically); returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        handle, temp = tempfile.mkstemp(dir=out, prefix=f".{name}-")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(schema_text(schema))
        os.replace(temp, out / name)
        written.append(out / name)
    return written
