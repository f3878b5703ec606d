"""Issue 17 item 3, the compliance report (十严禁, 000 方案2): each of the ten rows passes on demo-small's plan and
fails on a hand-made violation of it (the demo's plan or scenario edited by one row).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from paper_print import A4_PORTRAIT, print_pdf, read_pdf

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.plan import Plan
from cluster_planner.plan.model import StaffLoad
from cluster_planner.report.comply import Status, build_compliance
from cluster_planner.solver import SolveSettings, solve_scenario

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"
TEN = (
    "严禁违背学生、家长意愿组织开展课后服务",
    "严禁把课后服务演变为学科类集体教学、集体补课或奥数等竞赛培训",
    "严禁增加学生作业量和加重学生课业负担",
    "严禁以课后服务为名违规收费、乱收费",
    "严禁以课后服务为名违规乱发津补贴",
    "严禁有师德师风问题的教职工参与课后服务",
    "严禁有不良记录的机构和人员参与课后服务",
    "严禁未按程序审核的机构和个人入校提供课后服务",
    "严禁在课后服务时段“搭车”开展商业活动",
    "严禁以开展课后服务为名,将学校资源提供给社会培训机构作为经营场所",
)
"""The ten prohibitions as 000 方案2 words them (五、(四) 严格规范管理)."""


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """demo-small solved once (one worker, seed 1) and saved with its snapshot, no reports."""
    scenario = cp.load(DEMO)
    settings = SolveSettings(time_limit=60.0, deterministic_limit=5.0, workers=1, seed=1)
    folder = tmp_path_factory.mktemp("comply") / "plan"
    cp.save(solve_scenario(scenario, settings).plan, folder, scenario=scenario, reports=False)
    return folder


@pytest.fixture(scope="module")
def demo_plan(demo_folder: Path) -> Plan:
    return cp.load_plan(demo_folder)


def rows(scenario: Scenario, plan: Plan, lang: str = "zh") -> dict[int, tuple[Status, str, tuple[str, ...]]]:
    """Each prohibition's number → (result, what was found in one text, offending ids)."""
    report = build_compliance(scenario, plan, lang)
    return {r.number: (r.status, "\n".join(r.found), r.ids) for r in report.rows}


def with_activity(scenario: Scenario, activity_id: str, **update: object) -> Scenario:
    acts = tuple(a.model_copy(update=update) if a.activity_id == activity_id else a for a in scenario.activities)
    return scenario.model_copy(update={"activities": acts})


def with_staff(scenario: Scenario, staff_id: str, **update: object) -> Scenario:
    staff = tuple(s.model_copy(update=update) if s.staff_id == staff_id else s for s in scenario.staff)
    return scenario.model_copy(update={"staff": staff})


def groups_of(plan: Plan, activity_id: str) -> list[str]:
    return sorted({g.group_id for g in plan.groups if g.activity_id == activity_id})


def a_leader(plan: Plan, scenario: Scenario, kind: str) -> tuple[str, str]:
    """(staff id, group id) of a person of ``kind`` who leads a group in the plan."""
    for g in plan.groups:
        for pid in g.staff_ids:
            if scenario.staff_by_id[pid].kind == kind:
                return pid, g.group_id
    raise AssertionError(f"no {kind} leads a group")


def test_issue17_comply_ten_rows_in_the_seed_words_and_the_clean_demo_keeps_them(demo_plan: Plan) -> None:
    """The demo's plan keeps every prohibition: ✔ where the data shows it all, and the confirmation by hand
    where it cannot (homework set, professional ethics, selling, other school resources)."""
    scenario = demo_plan.require_scenario()
    report = build_compliance(scenario, demo_plan, "zh")
    assert tuple(r.rule for r in report.rows) == TEN
    found = rows(scenario, demo_plan)
    assert {n for n, (s, _, _) in found.items() if s == Status.OK} == {1, 2, 4, 5, 7, 8}
    assert {n for n, (s, _, _) in found.items() if s == Status.MANUAL} == {3, 6, 9, 10}
    assert all("请人工确认" in found[n][1] for n in (3, 6, 9, 10))
    assert not report.violated and "未发现违反" in report.verdict
    df = cp.comply(demo_plan, lang="en")
    assert list(df.columns) == ["No.", "Prohibition", "What was checked", "Result", "Found", "Ids"]
    assert df.attrs["status"] == ["ok", "ok", "manual", "ok", "ok", "manual", "ok", "ok", "manual", "manual"]
    assert df["Result"].iloc[0] == "✔ kept" and "confirm by hand" in df["Found"].iloc[2]


def test_issue17_comply_1_voluntary(demo_plan: Plan) -> None:
    """Nobody planned who was not approved, nobody placed on a day not applied for; a rejected priority
    applicant is a warning (严禁拒绝有需求的学生)."""
    sc = demo_plan.require_scenario()
    placed = demo_plan.assignments[0].student_id
    other = next(a for a in demo_plan.assignments if a.student_id != placed and a.day != "Mon")
    students = []
    for s in sc.students:
        if s.student_id == placed:
            s = s.model_copy(update={"status": "rejected"})
        elif s.student_id == other.student_id:
            s = s.model_copy(update={"days": ("Mon",)})
        students.append(s)
    forced = sc.model_copy(update={"students": tuple(students)})
    status, text, ids = rows(forced, demo_plan)[1]
    assert status == Status.VIOLATION and placed in ids and f"{other.student_id}@{other.slot_id}" in ids
    assert "未经核准" in text and "未申请的时段" in text
    refused = sc.students[0].model_copy(update={"student_id": "X1", "status": "rejected", "priority": {"left_behind"}})
    status, text, ids = rows(sc.model_copy(update={"students": (*sc.students, refused)}), demo_plan)[1]
    assert (status, ids) == (Status.WARNING, ("X1",)) and "优先群体" in text


def test_issue17_comply_2_subject_teaching(demo_plan: Plan) -> None:
    """An activity named like subject teaching that meets is a violation naming its groups; on the menu only, a
    warning; tutoring held class by class is a warning (collective teaching risk)."""
    sc = demo_plan.require_scenario()
    status, text, ids = rows(with_activity(sc, "CHESS", name="数学奥数培优班"), demo_plan)[2]
    assert status == Status.VIOLATION and list(ids) == groups_of(demo_plan, "CHESS") and "奥数" in text
    status, _, ids = rows(with_activity(sc, "CHESS", name="Maths Olympiad"), demo_plan, "en")[2]
    assert status == Status.VIOLATION and list(ids) == groups_of(demo_plan, "CHESS")
    extra = sc.activities[0].model_copy(update={"activity_id": "PRE", "name": "新课预习"})
    status, _, ids = rows(sc.model_copy(update={"activities": (*sc.activities, extra)}), demo_plan)[2]
    assert (status, ids) == (Status.WARNING, ("PRE",))
    status, text, ids = rows(with_activity(sc, "TUT", mode="class"), demo_plan)[2]
    assert status == Status.WARNING and list(ids) == groups_of(demo_plan, "TUT") and "集体教学" in text


def test_issue17_comply_3_homework_tutoring_per_day(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    strict = sc.model_copy(
        update={
            "school": sc.school.model_copy(
                update={"rules": sc.school.rules.model_copy(update={"max_tutoring_per_day": 0})}
            )
        }
    )
    tutored = {f"{a.student_id}@{a.day}" for a in demo_plan.assignments if a.group_id in groups_of(demo_plan, "TUT")}
    status, text, ids = rows(strict, demo_plan)[3]
    assert tutored and status == Status.VIOLATION and set(ids) == tutored and "超过 0 次" in text


def test_issue17_comply_4_fees(demo_plan: Plan) -> None:
    """A fee above the approved cap (per term, per day), a student's total above it, a family in difficulty
    charged (a warning)."""
    sc = demo_plan.require_scenario()
    money = sc.school.money.model_copy(update={"fee_per_term": 400.0})
    dear = sc.model_copy(update={"school": sc.school.model_copy(update={"money": money})})
    status, text, ids = rows(dear, demo_plan)[4]
    assert status == Status.VIOLATION and "money.fee_per_term" in ids and "400 元" in text and "300 元" in text
    payer = next(s for s in sc.approved_students if not s.fee_exempt)
    assert payer.student_id in ids
    daily = Scenario.model_validate(
        {**sc.model_dump(), "school": {**sc.school.model_dump(), "money": {"fee_per_day": 30, "fee_cap_day": 24}}}
    )
    status, _, ids = rows(daily, demo_plan)[4]
    assert status == Status.VIOLATION and ids == ("money.fee_per_day",)
    poor = tuple(s.model_copy(update={"priority": {"low_income"}}) if s is payer else s for s in sc.students)
    status, text, ids = rows(sc.model_copy(update={"students": poor}), demo_plan)[4]
    assert (status, ids) == (Status.WARNING, (payer.student_id,)) and "减免" in text


def test_issue17_comply_5_pay(demo_plan: Plan) -> None:
    """Pay to someone not in the plan, or above periods × rate (乱发津补贴), is a violation naming them."""
    sc = demo_plan.require_scenario()
    first = demo_plan.staff_load[0]
    loads = (replace(first, pay_term=first.pay_term + 500), *demo_plan.staff_load[1:], StaffLoad("X9", 1, 16, 640))
    status, text, ids = rows(sc, replace(demo_plan, staff_load=loads))[5]
    assert status == Status.VIOLATION and set(ids) == {first.staff_id, "X9"}
    idle = next(s.staff_id for s in sc.staff if s.staff_id not in {x.staff_id for x in demo_plan.staff_load})
    status, text, ids = rows(sc, replace(demo_plan, staff_load=(*demo_plan.staff_load, StaffLoad(idle, 0, 0, 99))))[5]
    assert (status, ids) == (Status.VIOLATION, (idle,)) and "不带组、不值班" in text


def test_issue17_comply_6_staff_marked_not_cleared(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    teacher, group = a_leader(demo_plan, sc, "teacher")
    status, text, ids = rows(with_staff(sc, teacher, background_check=False), demo_plan)[6]
    assert status == Status.VIOLATION and f"{teacher}:{group}" in ids and "背景审查" in text


def test_issue17_comply_7_bad_record_people_and_organisations(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    outsider, group = a_leader(demo_plan, sc, "external")
    status, _, ids = rows(with_staff(sc, outsider, background_check=False), demo_plan)[7]
    assert status == Status.VIOLATION and f"{outsider}:{group}" in ids
    failed = with_activity(sc, "FOOT", org="某体育俱乐部", org_cleared=False)
    status, text, ids = rows(failed, demo_plan)[7]
    assert status == Status.VIOLATION and list(ids) == groups_of(demo_plan, "FOOT") and "某体育俱乐部" in text
    assert rows(with_activity(sc, "FOOT", org="某体育俱乐部", org_cleared=True), demo_plan)[7][0] == Status.OK


def test_issue17_comply_8_unreviewed_people_and_organisations(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    outsider, group = a_leader(demo_plan, sc, "external")
    status, _, ids = rows(with_staff(sc, outsider, background_check=None), demo_plan)[8]
    assert status == Status.VIOLATION and f"{outsider}:{group}" in ids
    status, text, ids = rows(with_activity(sc, "FOOT", org="某体育俱乐部"), demo_plan)[8]
    assert status == Status.VIOLATION and list(ids) == groups_of(demo_plan, "FOOT") and "未经审核" in text


def test_issue17_comply_9_commercial_activity(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    status, text, ids = rows(with_activity(sc, "ROBOT", name="机器人体验课招生"), demo_plan)[9]
    assert status == Status.VIOLATION and list(ids) == groups_of(demo_plan, "ROBOT") and "商业" in text
    charged = with_activity(sc, "ROBOT", org="某科技公司", org_cleared=True, fee=200.0)
    status, text, ids = rows(charged, demo_plan)[9]
    assert status == Status.WARNING and list(ids) == groups_of(demo_plan, "ROBOT") and "200 元" in text


def test_issue17_comply_10_rooms_lent_to_training_institutions(demo_plan: Plan) -> None:
    sc = demo_plan.require_scenario()
    room = demo_plan.groups[0].room_id
    rooms = tuple(r.model_copy(update={"lent_to": "某培训学校"}) if r.room_id == room else r for r in sc.rooms)
    status, text, ids = rows(sc.model_copy(update={"rooms": rooms}), demo_plan)[10]
    used = {g.group_id for g in demo_plan.groups if room in (g.room_id, g.rain_room_id)}
    assert status == Status.VIOLATION and ids[0] == room and set(ids[1:]) == used and "某培训学校" in text


def test_issue17_optional_columns_keep_the_scenario_hash_and_are_read_and_checked(tmp_path: Path) -> None:
    """org, org_cleared and lent_to: blank cells leave the hash as it was (old plans still match); given, they
    are read under their Chinese headers and change it; org_cleared without org is a warning naming the row."""
    demo = cp.load(DEMO)
    assert '"org"' not in demo.canonical_json() and '"lent_to"' not in demo.canonical_json()
    folder = Path(shutil.copytree(DEMO, tmp_path / "school"))
    path = folder / "activities.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[0] += ",机构,机构审核"
    lines = [lines[0]] + [line + (",某俱乐部,是" if line.startswith("FOOT,") else ",,") for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    read = cp.load(folder)
    foot = read.activity_by_id["FOOT"]
    assert (foot.org, foot.org_cleared) == ("某俱乐部", True)
    assert read.activity_by_id["DRAW"].org == "" and read.content_hash() != demo.content_hash()
    blank = with_activity(read, "FOOT", org="", org_cleared=None)
    assert blank.content_hash() == demo.content_hash()
    orphan = with_activity(demo, "DRAW", org_cleared=False)
    df = cp.validate(orphan, lang="en")
    hit = df[df["code"] == "finding.org_cleared_without_org"]
    assert len(hit) == 1 and hit.iloc[0]["column"] == "org_cleared" and hit.iloc[0]["severity"] == "warning"


def _run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_issue17_comply_command_exit_codes_and_an_a4_page(demo_folder: Path, tmp_path: Path) -> None:
    """0 and a printed A4 page with a CJK font on the clean plan; 1 when a prohibition is violated; 2 when PLAN is
    not a plan folder."""
    out = tmp_path / "clean"
    assert _run("comply", str(demo_folder), "--out", str(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == ["comply.html", "comply.xlsx"]
    printed = read_pdf(print_pdf(out / "comply.html", tmp_path / "comply.pdf"))
    assert printed.pages == 1 and printed.sizes == [A4_PORTRAIT]
    assert printed.cjk_embedded, printed.embedded_fonts
    text = printed.texts[0]
    assert "十严禁" in text and "需人工确认" in text and "未发现违反" in text
    plan = cp.load_plan(demo_folder)
    sc = plan.require_scenario()
    lent = sc.model_copy(
        update={"rooms": tuple(r.model_copy(update={"lent_to": "某培训学校"}) for r in sc.rooms[:1]) + sc.rooms[1:]}
    )
    bad = cp.save(plan, tmp_path / "bad", scenario=lent, reports=False)
    assert _run("comply", str(bad), "--out", str(tmp_path / "bad-out"), "--lang", "en") == 1
    assert "某培训学校" in (tmp_path / "bad-out" / "comply.html").read_text(encoding="utf-8")
    assert _run("comply", str(tmp_path), "--out", str(tmp_path / "none")) == 2
    assert not (tmp_path / "none").exists()


def test_issue17_comply_a_section_of_report_html_and_a_sheet_of_report_xlsx(demo_plan: Plan) -> None:
    """The ten rows also stand in report.html (their section, with the verdict) and in report.xlsx."""
    from cluster_planner.report import ReportTables
    from cluster_planner.report.html import render_html

    scenario = demo_plan.require_scenario()
    tables = ReportTables.build(scenario, demo_plan, "zh")
    report = build_compliance(scenario, demo_plan, "zh")
    assert list(tables.compliance.iloc[:, 1]) == [r.rule for r in report.rows]
    page = render_html(tables)
    section = page[page.index('<section id="compliance"') :]
    assert report.verdict in section and all(r.rule in section for r in report.rows)
