"""Issue 14 item 9: the attendance sheets and staff timetables print legibly on A4.

A school with a group of 45 that meets every weekday of a 16-week term (80 dates) beside small
groups: read back with openpyxl, every page is A4, fit to width with at least 9 pt after the
shrink, one or two blocks a page with their own header, and no date or student lost to the split.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import scenario, school, slots, students_of
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cluster_planner.domain import Activity, DutyPost, HomeClass, Room, Staff
from cluster_planner.i18n import t
from cluster_planner.plan import Assignment, DutyAssignment, GroupMeeting, Plan, PlanMeta
from cluster_planner.plan.figures import staff_loads
from cluster_planner.report import ReportTables
from cluster_planner.report import xlsx as report_xlsx
from cluster_planner.report.print_layout import A4_POINTS, MARGIN_SIDE, MARGIN_TOP, columns_points

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
MIN_POINTS = 9


def _big_school() -> tuple:
    """45 students of class 301 in BIG (care, every weekday slot 1); eight of them in CHESS (Mon-2);
    T01 leads BIG, T02 CHESS and holds the gate on Mondays and an all-day duty on Fridays."""
    s = scenario(
        school=school(group_cap=45),
        timeslots=slots(),
        classes=[HomeClass(class_id="301", grade=3, name="三年级1班")],
        students=students_of("301", 45),
        activities=[
            Activity(activity_id="BIG", name="中年级托管", kind="care", grades="3"),
            Activity(activity_id="CHESS", name="国际象棋", kind="club", grades="3", slots="Mon-2"),
        ],
        staff=[
            Staff(staff_id="T01", name="李老师", kind="teacher", skills="care"),
            Staff(staff_id="T02", name="王老师", kind="teacher", skills="chess"),
        ],
        rooms=[Room(room_id="R1", name="三年级1班教室", capacity=50), Room(room_id="R2", name="棋室", capacity=30)],
        duties=[DutyPost(day="Mon", slot_id="Mon-2", post="gate", kind="teacher"), DutyPost(day="Fri", post="gate")],
    )
    ids = [x.student_id for x in s.students]
    groups = [GroupMeeting("BIG", "BIG", d, f"{d}-1", "R1", "", ("T01",), 45, (3,), ("301",)) for d in DAYS]
    groups.append(GroupMeeting("CHESS", "CHESS", "Mon", "Mon-2", "R2", "", ("T02",), 8, (3,), ("301",)))
    assignments = [Assignment(sid, d, f"{d}-1", "BIG", None, "BIG") for sid in ids for d in DAYS]
    assignments += [Assignment(sid, "Mon", "Mon-2", "CHESS", 1, "CHESS") for sid in ids[:8]]
    duties = (DutyAssignment("Mon", "Mon-2", "gate", "T01"), DutyAssignment("Fri", "", "gate", "T02"))
    meta = PlanMeta(scenario_hash=s.content_hash(), status="OPTIMAL", seed=0, reproducible=True)
    plan = Plan(tuple(groups), tuple(assignments), (), staff_loads(s, groups, duties), duties, meta)
    return s, plan


@pytest.fixture(scope="module", params=["per_group", "one_sheet"])
def workbook(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """report.xlsx of the big school: a sheet per group, or (more groups than the limit) one sheet."""
    s, plan = _big_school()
    tables = ReportTables.build(s, plan, "zh")
    limit = 40 if request.param == "per_group" else 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_xlsx, "MAX_ATTENDANCE_SHEETS", limit)
        path = report_xlsx.write_xlsx(tables, tmp_path_factory.mktemp("print") / "report.xlsx")
    return load_workbook(path), tables


def _widths(ws: Worksheet) -> dict[int, float]:
    out: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for c in range(dim.min, dim.max + 1):
                out[c] = dim.width
    return out


def _scale(ws: Worksheet) -> float:
    """The shrink fit-to-width applies: the used columns' printed width against the page's."""
    widths = _widths(ws)
    used = [widths.get(c, 8.43) for c in range(1, ws.max_column + 1)]
    width = A4_POINTS[ws.page_setup.orientation][0] - 2 * MARGIN_SIDE
    return min(1.0, width / columns_points(used))


def _pages(ws: Worksheet) -> list[tuple[int, int]]:
    """1-based (first, last) rows of each printed page, from the manual row breaks."""
    starts = [1] + [b.id + 1 for b in ws.row_breaks.brk]
    ends = [s - 1 for s in starts[1:]] + [ws.max_row]
    return list(zip(starts, ends, strict=True))


def _block_titles(ws: Worksheet) -> list[int]:
    """Rows of the block titles (the 12 pt bold subtitle of each group or adult)."""
    return [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value and ws.cell(r, 1).font.sz == 12]


def _sheets(wb, key: str) -> list[Worksheet]:
    title = t(f"report.sheet.{key}", "zh")
    return [ws for ws in wb.worksheets if ws.title.startswith(title)]


def assert_prints_legibly(ws: Worksheet, header: str) -> None:
    """A4, fit to width only, at least 9 pt after the shrink; each page holds one or two whole blocks,
    each with its header row, and is no taller than the paper."""
    ps = ws.page_setup
    assert int(ps.paperSize) == 9, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ps.fitToWidth or 1) == 1 and int(ps.fitToHeight) == 0
    scale = _scale(ws)
    sizes = {ws.cell(r, c).font.sz for r in range(1, ws.max_row + 1) for c in range(1, ws.max_column + 1)}
    assert min(sizes) * scale >= MIN_POINTS, (ws.title, min(sizes), scale)
    height = A4_POINTS[ps.orientation][1] - 2 * MARGIN_TOP
    titles = _block_titles(ws)
    assert titles
    for first, last in _pages(ws):
        rows = range(first, last + 1)
        tall = sum(ws.row_dimensions[r].height or 15 for r in rows) * scale
        assert tall <= height, (ws.title, first, tall)
        on_page = [r for r in titles if first <= r <= last]
        assert 1 <= len(on_page) <= 2, (ws.title, first, on_page)
        assert first == 1 or first in titles  # a break falls between blocks, never inside one
        for k, r in enumerate(on_page):
            end = on_page[k + 1] if k + 1 < len(on_page) else last + 1
            assert any(ws.cell(x, 1).value == header for x in range(r, end)), (ws.title, r)


def test_attendance_prints_legibly_on_a4(workbook) -> None:
    """Item 9: the attendance of a group of 45 over 80 dates is split into legible A4 pages."""
    wb, _ = workbook
    sheets = _sheets(wb, "attendance")
    assert sheets
    for ws in sheets:
        assert_prints_legibly(ws, t("report.col.no", "zh"))


def test_staff_timetables_print_legibly_on_a4(workbook) -> None:
    """Item 9: a week's timetable of each adult fits a landscape page at 9 pt or more, two to a page."""
    wb, tables = workbook
    (ws,) = _sheets(wb, "staff")
    assert ws.page_setup.orientation == "landscape"
    assert_prints_legibly(ws, t("report.col.time", "zh"))
    assert len(_block_titles(ws)) == len(tables.staff_timetables) == 2
    assert not ws.row_breaks.brk  # two short timetables share a page


def test_splitting_loses_no_date_and_no_student(workbook) -> None:
    """Every meeting date of BIG heads exactly one run of columns, and each run lists all 45 students
    once (on one page: 45 fit a portrait page)."""
    wb, tables = workbook
    want = list(tables.attendance["BIG"].columns[3:])
    no = t("report.col.no", "zh")
    runs: dict[tuple[str, ...], list[str]] = {}
    for ws in _sheets(wb, "attendance"):
        rows = list(ws.iter_rows(values_only=True))
        for k, row in enumerate(rows):
            if row[0] != no or not _in_block(rows, k, "BIG"):
                continue
            dates = tuple(c for c in row[3:] if c)
            names = runs.setdefault(dates, [])
            for r in rows[k + 1 :]:
                if not isinstance(r[0], int):
                    break
                names.append(r[1])
    assert sorted(d for dates in runs for d in dates) == sorted(want) and len(want) == 80
    assert len(runs) == 9  # nine dates a portrait page
    assert all(sorted(names) == sorted({x.name for x in _big_school()[0].students}) for names in runs.values())


def _in_block(rows: list[tuple], header: int, group: str) -> bool:
    """The header at ``header`` belongs to ``group``'s block (its title is the nearest above)."""
    for r in range(header - 1, -1, -1):
        if isinstance(rows[r][0], str) and rows[r][0].startswith(("BIG", "CHESS")):
            return rows[r][0].startswith(group)
    return False


def test_sheet_orientation_follows_the_width(tmp_path: Path) -> None:
    """Portrait when eight or more dates fit beside the names, else landscape (a very long name)."""
    s, plan = _big_school()
    tables = ReportTables.build(s, plan, "zh")
    assert report_xlsx.AttendanceLayout.of(tables.attendance).orientation == "portrait"
    wide = {k: df.assign(**{df.columns[1]: "姓" * 40}) for k, df in tables.attendance.items()}
    assert report_xlsx.AttendanceLayout.of(wide).orientation == "landscape"
