"""The report methods a plan had up to 0.1 (``plan.summary()``, ``plan.save(folder)`` …), deprecated.

The report's tables and the plan folder belong to the API layer: ``cp.summary(plan)``,
``cp.rosters(plan)``, ``cp.save(plan, folder)`` …. These methods keep old notebooks and
scripts working for one more release, each with a ``DeprecationWarning`` naming its
replacement. They are the one place under ``plan/`` that reaches up, and only when called:
importing ``cluster_planner.plan`` loads neither the API nor the reports. Remove this module
and :class:`~cluster_planner.plan.model.Plan`'s base class together.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from cluster_planner.i18n import register, t

if TYPE_CHECKING:
    import pandas as pd

    from cluster_planner.plan.model import Plan

register(
    {
        "plan.deprecated": (
            "plan.{old}(…) 已弃用，下一版本将移除：请改用 {new}",
            "plan.{old}(…) is deprecated and will be removed in the next release: use {new}",
        ),
    }
)


def _api(old: str, new: str) -> ModuleType:
    """Warn that ``plan.<old>`` is deprecated for ``new``; the API module, imported now (not by ``plan/``)."""
    message = t("plan.deprecated", "zh", old=old, new=new) + " / " + t("plan.deprecated", "en", old=old, new=new)
    warnings.warn(message, DeprecationWarning, stacklevel=3)  # the caller of the deprecated method
    from cluster_planner import api

    return api


class DeprecatedReportMethods:
    """``Plan``'s old report methods; each calls the ``cp`` function of the same name."""

    def _plan(self) -> Plan:
        return cast("Plan", self)

    def table(self, name: str, lang: str | None = None, **options: Any) -> Any:
        """Deprecated: ``cp.table(plan, name, lang)``."""
        return _api("table", "cp.table(plan, name)").table(self._plan(), name, lang, **options)

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.summary(plan, lang)``."""
        return _api("summary", "cp.summary(plan)").summary(self._plan(), lang)

    def choices_by_grade(self, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.choices_by_grade(plan, lang)``."""
        return _api("choices_by_grade", "cp.choices_by_grade(plan)").choices_by_grade(self._plan(), lang)

    def satisfaction(self, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.satisfaction(plan, lang)``."""
        return _api("satisfaction", "cp.satisfaction(plan)").satisfaction(self._plan(), lang)

    def timetable(self, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.timetable(plan, lang)``."""
        return _api("timetable", "cp.timetable(plan)").timetable(self._plan(), lang)

    def pay(self, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.pay(plan, lang)``."""
        return _api("pay", "cp.pay(plan)").pay(self._plan(), lang)

    def rosters(self, lang: str | None = None, public: bool = False) -> dict[str, pd.DataFrame]:
        """Deprecated: ``cp.rosters(plan, lang, public=…)``."""
        return _api("rosters", "cp.rosters(plan)").rosters(self._plan(), lang, public=public)

    def roster(self, group_id: str, lang: str | None = None, public: bool = False) -> pd.DataFrame:
        """Deprecated: ``cp.roster(plan, group_id, lang, public=…)``."""
        return _api("roster", "cp.roster(plan, group_id)").roster(self._plan(), group_id, lang, public=public)

    def staff_timetables(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """Deprecated: ``cp.staff_timetables(plan, lang)``."""
        return _api("staff_timetables", "cp.staff_timetables(plan)").staff_timetables(self._plan(), lang)

    def staff_timetable(self, staff_id: str, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.staff_timetable(plan, staff_id, lang)``."""
        return _api("staff_timetable", "cp.staff_timetable(plan, staff_id)").staff_timetable(
            self._plan(), staff_id, lang
        )

    def room_timetables(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """Deprecated: ``cp.room_timetables(plan, lang)``."""
        return _api("room_timetables", "cp.room_timetables(plan)").room_timetables(self._plan(), lang)

    def room_timetable(self, room_id: str, lang: str | None = None) -> pd.DataFrame:
        """Deprecated: ``cp.room_timetable(plan, room_id, lang)``."""
        return _api("room_timetable", "cp.room_timetable(plan, room_id)").room_timetable(self._plan(), room_id, lang)

    def save(self, folder: str | Path, reports: bool = True, public: bool = False, lang: str | None = None) -> Path:
        """Deprecated: ``cp.save(plan, folder, reports=…, public=…, lang=…)``."""
        return _api("save", "cp.save(plan, folder)").save(
            self._plan(), folder, reports=reports, public=public, lang=lang
        )
