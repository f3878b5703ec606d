"""Load a scenario from a folder of CSV files or one workbook, with every problem as a finding.

:func:`read_scenario` never raises on bad content: it returns what could be read and all
findings. :func:`load_scenario_with_findings` raises :class:`ScenarioError` when any finding
is an error; :func:`load_scenario` returns the scenario only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import School
from cluster_planner.domain.validation import FILE_NAMES, validate
from cluster_planner.errors import ScenarioError, UsageError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import register
from cluster_planner.io.csv_source import read_folder
from cluster_planner.io.expected import findings_of
from cluster_planner.io.headers import FILES, TABLE_KEYS
from cluster_planner.io.rows import build_entities
from cluster_planner.io.table import RawScenario, RawSchool
from cluster_planner.io.xlsx_source import read_workbook

register(
    {
        "finding.missing_file": (
            "缺少必需的文件或工作表（{names}），见 docs/format.md",
            "required file or sheet missing ({names}); see docs/format.md",
        ),
        "expect.named_file": ("名为 {names} 的文件或工作表", "a file or sheet named {names}"),
        "load.no_path": ("找不到 {path}", "{path} does not exist"),
        "load.not_scenario": (
            "{path} 既不是文件夹也不是 .xlsx 工作簿",
            "{path} is neither a folder nor an .xlsx workbook",
        ),
    }
)


@dataclass
class LoadResult:
    """A scenario as far as it could be read, and every finding (errors first)."""

    scenario: Scenario
    findings: list[Finding] = field(default_factory=list)
    source: Path | None = None
    incomplete: frozenset[str] = frozenset()
    """Files (``"school"``, ``"students"`` …) that are missing or could not be read in full."""

    @property
    def ok(self) -> bool:
        """True when no finding is an error (the scenario can be planned)."""
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def notes(self) -> list[Finding]:
        """Said once for the record, e.g. columns left out that take their default."""
        return [f for f in self.findings if f.severity == Severity.INFO]


def _read_source(path: Path) -> RawScenario:
    if not path.exists():
        raise UsageError.said("load.no_path", path=path)
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(path)
    raise UsageError.said("load.not_scenario", path=path)


def _school(raw: RawSchool) -> tuple[School | None, list[Finding]]:
    """The school settings; errors name the dotted key and its row (or TOML line)."""

    def column_of(loc: tuple[str | int, ...]) -> str:
        return ".".join(str(p) for p in loc)

    def row_of(loc: tuple[str | int, ...]) -> int | None:
        return raw.rows.get(column_of(loc))

    try:
        return School.model_validate(raw.data), []
    except ValidationError as exc:
        return None, findings_of(exc, raw.display, None, column_of, row_of)


def _missing(key: str) -> Finding:
    spec = FILES[key]
    names = f"{spec.csv_name} / {spec.key} / {spec.sheet_zh}"
    return Finding(
        Severity.ERROR,
        "finding.missing_file",
        file=spec.csv_name,
        expected="expect.named_file",
        params={"names": names},
    )


@dataclass
class _Names:
    """How the user named each file and column, to put validation findings in their words."""

    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    school_rows: dict[str, int] = field(default_factory=dict)

    def localise(self, finding: Finding) -> Finding:
        key = next((k for k, name in FILE_NAMES.items() if name == finding.file), None)
        if key is None:
            return finding
        column = self.columns.get(key, {}).get(finding.column, finding.column)
        row = finding.row
        if key == "school" and row is None:
            row = self.school_rows.get(finding.column)
        params = finding.params
        table = next((k for k, name in FILE_NAMES.items() if name == params.get("table")), None)
        if table is not None:  # the file an "expected" text names, as the user named it too
            params = {**params, "table": self.files.get(table, params["table"])}
        return replace(finding, file=self.files.get(key, finding.file), column=column, row=row, params=params)


def read_scenario(path: str | Path) -> LoadResult:
    """Everything readable at ``path`` (a folder or an .xlsx workbook) and all findings.

    Raises :class:`UsageError` only when ``path`` does not exist or is neither kind.
    """
    source = Path(path)
    raw = _read_source(source)
    findings = list(raw.findings)
    names = _Names()
    incomplete: set[str] = set(raw.failed)
    school: School | None = None
    if raw.school is not None:
        names.files["school"] = raw.school.display
        names.school_rows = raw.school.rows
        school, problems = _school(raw.school)
        findings.extend(problems)
    if school is None:
        incomplete.add("school")
        if raw.school is None and "school" not in raw.failed:
            findings.append(_missing("school"))
    tables: dict[str, Any] = {}
    for key in TABLE_KEYS:
        table = raw.tables.get(key)
        if table is None:
            if FILES[key].required:
                incomplete.add(key)
                if key not in raw.failed:
                    findings.append(_missing(key))
            continue
        result = build_entities(table)
        names.files[key] = table.display
        names.columns[key] = result.headers
        findings.extend(result.findings)
        if not result.complete:
            incomplete.add(key)
        tables[key] = tuple(result.entities)
    scenario = Scenario(school=school or School(), **tables)
    findings.extend(names.localise(f) for f in validate(scenario, incomplete=incomplete))
    findings.sort(key=lambda f: not f.is_error)
    return LoadResult(scenario=scenario, findings=findings, source=source, incomplete=frozenset(incomplete))


def load_scenario_with_findings(path: str | Path) -> tuple[Scenario, list[Finding]]:
    """The scenario and its warnings and notes; raises :class:`ScenarioError` listing every error (and warning)."""
    result = read_scenario(path)
    if not result.ok:
        raise ScenarioError([f for f in result.findings if f.severity != Severity.INFO])
    return result.scenario, result.findings


def load_scenario(path: str | Path) -> Scenario:
    """The scenario at ``path`` (folder or .xlsx); raises :class:`ScenarioError` on any error."""
    return load_scenario_with_findings(path)[0]
