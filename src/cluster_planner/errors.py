"""Typed errors under one base; the CLI turns each into a message and an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from cluster_planner.findings import Finding


class PlannerError(Exception):
    """Base of every error the product raises on purpose."""

    exit_code = 70
    key: str | None = None
    params: dict[str, Any] | None = None

    @classmethod
    def said(cls, key: str, /, **params: Any) -> Self:
        """An error whose words are the catalogue's ``key``: shown in the reader's language by
        :meth:`words` (the command line's), in both languages as ``str``."""
        from cluster_planner.i18n import both

        error = cls(both(key, **params))
        error.key, error.params = key, params
        return error

    def words(self, lang: str) -> str:
        """The message in ``lang`` (an error made from plain text: that text)."""
        from cluster_planner.i18n import t

        return t(self.key, lang, **(self.params or {})) if self.key else str(self)


class ScenarioError(PlannerError):
    """The input cannot be planned as it stands (FORMAT.md: exit 2)."""

    exit_code = 2

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("; ".join(f.render("en") for f in findings[:5]))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its findings (a worker process hands it back whole)."""
        return (type(self), (self.findings,), self.__dict__)


class UsageError(PlannerError):
    """Bad arguments or a missing/unreadable path (exit 2)."""

    exit_code = 2


class InfeasibleError(PlannerError):
    """No plan satisfies the hard rules (exit 3); ``reasons`` say why in words."""

    exit_code = 3

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its reasons (a worker process hands it back whole)."""
        return (type(self), (self.reasons,), self.__dict__)


class TimeLimitError(PlannerError):
    """The time limit passed before any plan was found (exit 4)."""

    exit_code = 4


class PlanFormatError(PlannerError):
    """A plan folder cannot be read (exit 2)."""

    exit_code = 2
