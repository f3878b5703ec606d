"""Issue 17 item 2, family notices (家长告知书): one A4 page per student, from a plan.

The tiny school's hand-made plan (tests/report/report_tiny.py) has care on Mon/Wed, a club, an
outdoor sport with a rainy-day room, two unplaced slots with reasons, a fee-exempt student, a
season switch inside the term, and names that try HTML and formula injection.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from builders import Activity, HomeClass, Staff, care_activity, classrooms, scenario, slots, students_of, teachers
from builders import school as builders_school
from openpyxl import load_workbook
from paper_print import A4_PORTRAIT, print_pdf, read_pdf
from report_tiny import COMMAND_NAME, FORMULA_NAME, parent, phone

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import Change
from cluster_planner.errors import UsageError
from cluster_planner.midterm import resolve_plan
from cluster_planner.plan import Move, Plan
from cluster_planner.report.notices import build_notices, notices_html, write_notices
from cluster_planner.solver import SolveSettings, solve_scenario

CONTACT = "教务处 王老师 0355-1234567"
PICKUP = "东门"


@pytest.fixture(scope="module")
def school(tiny_school: Scenario) -> Scenario:
    """The tiny school with the optional [notice] settings (contact and pick-up place)."""
    notice = tiny_school.school.notice.model_copy(update={"contact": CONTACT, "pickup_place": PICKUP})
    return tiny_school.model_copy(update={"school": tiny_school.school.model_copy(update={"notice": notice})})


@pytest.fixture(scope="module")
def written(school: Scenario, tiny_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny plan's notices in Chinese, written once."""
    out = tmp_path_factory.mktemp("notices") / "notices"
    write_notices(build_notices(school, tiny_plan, "zh"), out)
    return out


def small_school() -> Scenario:
    """``small_school``: two grade-1 classes (12 and 8) in care on Mon and Tue, a grade-3 class (10) that also
    wants art on Tuesday's club slot."""
    return scenario(
        school=builders_school(group_cap=20, merge_threshold=20),
        timeslots=slots(days=("Mon", "Tue")),
        classes=[
            HomeClass(class_id="101", grade=1),
            HomeClass(class_id="102", grade=1),
            HomeClass(class_id="301", grade=3),
        ],
        students=students_of("101", 12) + students_of("102", 8) + students_of("301", 10, choice1="ART"),
        activities=[
            care_activity(),
            Activity(activity_id="ART", name="美术", kind="art", grades="3-6", slots="Tue-2", max_size=10, skill="art"),
        ],
        staff=[*teachers(4), Staff(staff_id="A1", name="美术老师", kind="teacher", skills="art")],
        rooms=classrooms(4, capacity=30),
    )


def solved(s: Scenario, folder: Path) -> Path:
    """``s`` solved and saved (scenario snapshot inside, no reports)."""
    settings = SolveSettings(time_limit=30.0, deterministic_limit=10.0, workers=1, seed=0)
    cp.save(solve_scenario(s, settings).plan, folder, scenario=s, reports=False)
    return folder


def _run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _pages(html: str) -> list[str]:
    """The html of each student's page."""
    return re.findall(r'<section class="sheet notice".*?</section>', html, flags=re.S)


def test_issue17_a_notice_per_approved_student_in_class_order(school: Scenario, tiny_plan: Plan) -> None:
    notices = build_notices(school, tiny_plan, "zh")
    assert [n.student_id for n in notices.notices] == ["S01", "S02", "S03", "S04", "S05", "S06", "S07"]  # S08 pending
    assert not notices.change


def test_issue17_a_notices_times_equal_the_plans_assignments(school: Scenario, tiny_plan: Plan) -> None:
    """Every row is one of the student's assignments or unplaced slots, at the clock of the season in force
    (autumn/winter at term start) and, from the switch on 12 October, the summer clock."""
    notices = build_notices(school, tiny_plan, "zh")
    slots = school.slot_by_id
    for n in notices.notices:
        planned = {a.slot_id: a for a in tiny_plan.assignments if a.student_id == n.student_id}
        open_ = {u.slot_id: u for u in tiny_plan.unplaced if u.student_id == n.student_id}
        assert sorted(r.slot_id for r in n.rows) == sorted([*planned, *open_]), n.student_id
        for r in n.rows:
            s = slots[r.slot_id]
            assert r.time == f"{s.start:%H:%M}–{s.end:%H:%M}"
            assert r.later == f"{s.summer_start:%H:%M}–{s.summer_end:%H:%M}"
            if r.slot_id in planned:
                g = next(
                    g for g in tiny_plan.groups if (g.group_id, g.slot_id) == (planned[r.slot_id].group_id, r.slot_id)
                )
                assert r.room == school.room_by_id[g.room_id].name
                assert r.adults == "、".join(school.staff_by_id[p].name for p in g.staff_ids)
    assert notices.time_header == "时间（秋冬季作息）" and notices.later_header == "10月12日起（夏季作息）"


def test_issue17_rain_room_unplaced_reason_and_fee(school: Scenario, tiny_plan: Plan) -> None:
    by_id = {n.student_id: n for n in build_notices(school, tiny_plan, "zh").notices}
    football = next(r for r in by_id["S03"].rows if r.slot_id == "Wed-2")
    assert (football.what, football.room, football.rain_room) == ("足球", "操场", "棋室")
    go = next(r for r in by_id["S04"].rows if r.slot_id == "Mon-2")
    assert go.what == "暂未安排：棋室已满 <full>" and not go.room  # the reason of unplaced.csv
    assert by_id["S01"].fee == ("课后服务费 300 元",)
    assert by_id["S04"].fee == ("已减免，本学期无需缴费（减免前 300 元）",)  # fee_exempt = yes


def test_issue17_pickup_and_contact_are_left_out_when_not_given(
    school: Scenario, tiny_school: Scenario, tiny_plan: Plan
) -> None:
    given = notices_html(build_notices(school, tiny_plan, "zh"))
    assert given.count(CONTACT) == 7 and given.count(f"<dd>{PICKUP}</dd>") == 7
    plain = notices_html(build_notices(tiny_school, tiny_plan, "zh"))
    assert "联系方式" not in plain and "接送地点" not in plain


def test_issue17_no_other_familys_data_on_a_page(school: Scenario, tiny_plan: Plan, written: Path) -> None:
    pages = _pages((written / "notices.html").read_text(encoding="utf-8"))
    students = [s for s in school.students]
    assert len(pages) == 7
    for page, own in zip(pages, ["S01", "S02", "S03", "S04", "S05", "S06", "S07"], strict=True):
        for s in students:
            k = int(s.student_id[1:])
            mine = s.student_id == own
            assert (f"学号 {s.student_id}<" in page) == mine
            assert (parent(k) in page) == mine, (own, s.student_id)
            assert phone(k) not in page  # a notice needs no phone


def test_issue17_notice_text_from_the_data_is_escaped(written: Path) -> None:
    html = (written / "notices.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;陈教练&lt;/b&gt;" in html and "<b>陈教练" not in html
    assert "棋室已满 &lt;full&gt;" in html


def test_issue17_notices_print_one_a4_page_per_student_with_a_cjk_font(written: Path, tmp_path: Path) -> None:
    printed = read_pdf(print_pdf(written / "notices.html", tmp_path / "notices.pdf"))
    assert printed.pages == 7
    assert set(printed.sizes) == {A4_PORTRAIT}
    assert printed.cjk_embedded, printed.embedded_fonts
    for k, text in enumerate(printed.texts, start=1):
        assert f"学号 S0{k}" in text and "测试小学课后服务家长告知书" in text
        assert sum(f"学号 S0{j}" in text for j in range(1, 8)) == 1


def test_issue17_workbook_has_a_sheet_per_class_with_inert_names(written: Path) -> None:
    book = load_workbook(written / "notices.xlsx")
    assert book.sheetnames == ["三(1)班", "四(1)班"]
    first = book["三(1)班"]
    header = [c.value for c in next(r for r in first.iter_rows() if r[0].value == "学号")]
    assert header[:5] == ["学号", "姓名", "班级", "家长", "服务日"] and "周一" in header and "联系方式" in header
    values = [c for row in book["四(1)班"].iter_rows() for c in row]
    formula = next(c for c in values if c.value == FORMULA_NAME)
    assert formula.data_type == "s"  # text, not a live formula
    assert any(c.value == COMMAND_NAME for row in first.iter_rows() for c in row)


def test_issue17_notices_in_english(school: Scenario, tiny_plan: Plan) -> None:
    df = cp.notices(tiny_plan.with_scenario(school), lang="en")
    assert list(df.columns)[:5] == ["Student id", "Name", "Class", "Parent", "Service days"]
    s04 = df.set_index("Student id").loc["S04"]
    assert s04["Mon"] == (
        "15:50–16:40 (from 12 Oct 16:10–17:00) 托管 (一号教室, 李老师)\n"
        "16:50–17:40 (from 12 Oct 17:10–18:00) Not placed yet: 棋室已满 <full>"
    )
    assert s04["Fee"] == "exempt: nothing to pay this term (before the exemption 300 yuan)"
    html = notices_html(build_notices(school, tiny_plan, "en"))
    assert "after-school service notice to families" in html and "Time (autumn/winter hours)" in html


def test_issue17_one_class_by_id_or_name(school: Scenario, tiny_plan: Plan) -> None:
    assert [n.student_id for n in build_notices(school, tiny_plan, "zh", "4-1").notices] == ["S05", "S06", "S07"]
    assert [n.student_id for n in build_notices(school, tiny_plan, "zh", "三(1)班").notices] == [
        "S01",
        "S02",
        "S03",
        "S04",
    ]
    with pytest.raises(UsageError, match="9-9"):
        build_notices(school, tiny_plan, "zh", "9-9")


def test_issue17_a_group_room_change_notifies_its_families_only(school: Scenario, tiny_plan: Plan) -> None:
    """A re-solved plan: the football group's rainy-day room changed; its two students get a change notice,
    nobody else does."""
    move = Move(
        "FB-1",
        "足球",
        "",
        "周三 16:50–17:40 足球（操场，雨天改在一号教室）",
        "周三 16:50–17:40 足球（操场，雨天改在棋室）",
        "场地调整",
        kind="group",
        reason_code="reroomed",
    )
    resolved = replace(
        tiny_plan, moves=(move,), meta=replace(tiny_plan.meta, version=2, parent_version=1, valid_from="2026-10-12")
    )
    notices = build_notices(school, resolved, "zh")
    assert notices.change and [n.student_id for n in notices.notices] == ["S03", "S06"]
    assert notices.notices[0].changes[0].after == move.after
    html = notices_html(notices)
    assert "课后服务安排变更告知书" in html and "2026年10月12日起" in html and "变更后的每周安排" in html


def test_issue17_a_resolved_plan_gives_notices_only_to_changed_students(tmp_path: Path) -> None:
    """A real re-solve (a join and an exit): exactly the students in moves.csv get a notice, marked as a
    change, with the words moves.csv holds; the command says so and prints one page each."""
    s = small_school()
    v1 = solved(s, tmp_path / "v1")
    leaver = s.approved_students[0].student_id
    changes = [
        Change(date="2026-10-12", action="join", id="N1", student={"name": "新同学", "class_id": "102"}),
        Change(date="2026-10-12", action="exit", id=leaver),
    ]
    res = resolve_plan(v1, changes, out=tmp_path / "v2", reports=False)
    moved = {m.id: m for m in res.plan.moves if m.kind == "student"}
    assert set(moved) >= {"N1", leaver}
    assert _run("notices", str(tmp_path / "v2")) == 0
    out = tmp_path / "v2-notices"
    html = (out / "notices.html").read_text(encoding="utf-8")
    pages = _pages(html)
    assert sorted(re.search(r'data-student="([^"]+)"', p).group(1) for p in pages) == sorted(moved)  # type: ignore[union-attr]
    for page in pages:
        sid = re.search(r'data-student="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert "变更" in page and moved[sid].reason in page
    assert "不再参加课后服务" in next(p for p in pages if f'data-student="{leaver}"' in p)
    printed = read_pdf(print_pdf(out / "notices.html", tmp_path / "v2.pdf"))
    assert printed.pages == len(moved)
    first = cp.notices(v1)
    assert len(first) == len(s.approved_students)  # the term-start plan: every family


def test_issue17_notices_command_refuses_to_overwrite_and_bad_input(tmp_path: Path, written: Path) -> None:
    """An existing output folder with files is refused (exit 2, untouched); so are a folder that is no plan
    and an unknown class."""
    folder = solved(small_school(), tmp_path / "plan")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("the office's own file", encoding="utf-8")
    assert _run("notices", str(folder), "--out", str(out)) == 2
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert _run("notices", str(tmp_path / "nothing")) == 2
    assert _run("notices", str(folder), "--class", "no-such-class", "--out", str(tmp_path / "x")) == 2
    assert not (tmp_path / "x").exists()
    assert _run("notices", str(folder), "--class", "102", "--out", str(tmp_path / "c102")) == 0
    assert len(_pages((tmp_path / "c102" / "notices.html").read_text(encoding="utf-8"))) == 8
