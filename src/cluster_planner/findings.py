"""Findings: errors and warnings about input, each naming file, row, column and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cluster_planner.i18n import CATALOGUE, register, t


class Severity(StrEnum):
    ERROR = "error"  # the data cannot be planned as it stands
    WARNING = "warning"  # planning goes on; the office should look
    INFO = "info"  # said once, for the record (e.g. a column left out takes its default)


register(
    {
        "finding.error": ("错误", "error"),
        "finding.warning": ("警告", "warning"),
        "finding.info": ("提示", "note"),
        "finding.where": ("{file} 第{row}行 「{column}」列", "{file} row {row}, column '{column}'"),
        "finding.where_file": ("{file}", "{file}"),
        "finding.where_row": ("{file} 第{row}行", "{file} row {row}"),
        "finding.where_column": ("{file} 「{column}」", "{file}, '{column}'"),
        "finding.value": ("值「{value}」", "value '{value}'"),
        "finding.expected": ("应为：{expected}", "expected {expected}"),
    }
)


@dataclass(frozen=True)
class Term:
    """A parameter given as a catalogue key; it is put into words in the reader's language."""

    key: str

    def __str__(self) -> str:
        return t(self.key, "en")


@dataclass(frozen=True)
class Finding:
    """One problem in the input. ``code`` is a catalogue key; ``params`` fill its words."""

    severity: Severity
    code: str
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    expected: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def _words(self, lang: str) -> dict[str, Any]:
        """The parameters in ``lang``: terms and codes in words."""
        from cluster_planner.vocabulary import coded_params  # codes in words (lazy: vocabulary reads domain)

        params = {k: t(v.key, lang) if isinstance(v, Term) else v for k, v in self.params.items()}
        return coded_params(params, lang)

    def message(self, lang: str = "en") -> str:
        """The sentence of the finding itself, without place or value."""
        return t(self.code, lang, **self._words(lang))

    def expected_text(self, lang: str = "en") -> str:
        """What was expected, in words (``expected`` may be a catalogue key)."""
        return t(self.expected, lang, **self._words(lang)) if self.expected in CATALOGUE else self.expected

    def where(self, lang: str = "en") -> str:
        """File, row and column as words."""
        if self.file and self.row and self.column:
            return t("finding.where", lang, file=self.file, row=self.row, column=self.column)
        if self.file and self.row:
            return t("finding.where_row", lang, file=self.file, row=self.row)
        if self.file and self.column:
            return t("finding.where_column", lang, file=self.file, column=self.column)
        return t("finding.where_file", lang, file=self.file) if self.file else ""

    def render(self, lang: str = "en") -> str:
        """One line: ``error: students.csv row 5, column 'days': value 'Mx': expected …``."""
        parts = [self.where(lang)] if self.where(lang) else []
        if self.value:
            parts.append(t("finding.value", lang, value=self.value))
        parts.append(self.message(lang))
        if self.expected:
            parts.append(t("finding.expected", lang, expected=self.expected_text(lang)))
        return f"{t('finding.' + self.severity.value, lang)}: " + ": ".join(parts)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """Machine-readable form (``--json``)."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected_text(lang),
            "message": self.message(lang),
        }
