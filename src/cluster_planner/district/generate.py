"""Generate a realistic district: primary and junior-middle schools of 200–3,000 applicants.

:func:`district_specs` decides each school's level, size and seed from one district seed;
:func:`generate_district` writes one scenario folder per school (``s01-primary`` …) with
:func:`cluster_planner.generate.generate_school`. Sizes are log-uniform between the bounds
(most schools are small, a few are large, as in a county); about a third of the schools
are junior-middle schools (grades 7–9), some with evening study. Deterministic for a seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from random import Random

from cluster_planner.domain import Scenario
from cluster_planner.generate import generate_school
from cluster_planner.io.out_path import Target, writing_folder
from cluster_planner.io.scenario_writer import write_scenario_folder

MIN_STUDENTS = 200
MAX_STUDENTS = 3000
JUNIOR_SHARE = 0.35
EVENING_SHARE = 0.5  # of junior schools
NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class SchoolSpec:
    """One school of a generated district."""

    folder: str
    level: str  # "primary" | "junior"
    students: int
    seed: int
    evening_study: bool
    name: str

    @property
    def grades(self) -> str:
        return "1-6" if self.level == "primary" else "7-9"


def _ordinal(k: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (school numbers such as 第十二中学)."""
    if k <= 10:
        return NUMBERS[k - 1]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else NUMBERS[tens - 1]) + "十" + (NUMBERS[ones - 1] if ones else "")


def district_specs(
    schools: int, seed: int = 0, min_students: int = MIN_STUDENTS, max_students: int = MAX_STUDENTS
) -> tuple[SchoolSpec, ...]:
    """Level, size, seed and name of each school (deterministic for ``seed``)."""
    if schools < 1:
        raise ValueError("schools must be at least 1")
    if not 1 <= min_students <= max_students:
        raise ValueError("need 1 <= min_students <= max_students")
    rng = Random(seed)
    specs = []
    counts = {"primary": 0, "junior": 0}
    for k in range(1, schools + 1):
        level = "junior" if rng.random() < JUNIOR_SHARE else "primary"
        counts[level] += 1
        size = round(math.exp(rng.uniform(math.log(min_students), math.log(max_students))))
        evening = level == "junior" and rng.random() < EVENING_SHARE
        name = f"第{_ordinal(counts[level])}{'小学' if level == 'primary' else '中学'}"
        specs.append(SchoolSpec(f"s{k:02d}-{level}", level, size, rng.randrange(1_000_000), evening, name))
    return tuple(specs)


def school_of(spec: SchoolSpec) -> Scenario:
    """The generated scenario of one school."""
    return generate_school(spec.students, spec.grades, seed=spec.seed, name=spec.name, evening_study=spec.evening_study)


def generate_district(
    out: Path, schools: int, seed: int = 0, min_students: int = MIN_STUDENTS, max_students: int = MAX_STUDENTS
) -> tuple[SchoolSpec, ...]:
    """Write one scenario folder per school under ``out`` (a new or empty folder, filled atomically)."""
    specs = district_specs(schools, seed, min_students, max_students)
    with writing_folder(Path(out), Target.FOLDER) as tmp:
        for spec in specs:
            write_scenario_folder(school_of(spec), tmp / spec.folder)
    return specs
