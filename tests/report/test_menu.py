"""Issue 17 item 1, the menu (服务菜单公示): from a scenario alone, before any plan.

Places are groups × the cap of one group; times are the slots' clocks in both seasons; the adults
are the kinds of the staff who qualify; care and class activities have their own sections; the
page prints on A4 with a CJK font; Chinese and English.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from paper_print import A4_LANDSCAPE, print_pdf, read_pdf

import cluster_planner as cp
from cluster_planner.cli import main
from cluster_planner.domain import Scenario
from cluster_planner.domain.entities import ActivityKind, ActivityMode, StaffKind
from cluster_planner.i18n import t
from cluster_planner.report.menu import build_menu

DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-small"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return cp.load(DEMO)


def col(key: str, lang: str = "zh") -> str:
    return t(f"menu.col.{key}", lang)


def _run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_issue17_menu_places_are_groups_times_cap(demo: Scenario) -> None:
    """A chosen activity's places are max_groups × min(max_size, group_cap) (G4, G5), for every one of them."""
    menu = build_menu(demo, "zh")
    choice = menu.sections["choice"].set_index(col("activity"))
    chosen = [a for a in demo.activities if a.mode == ActivityMode.CHOICE and a.kind != ActivityKind.CARE]
    assert sorted(choice.index) == sorted(a.name for a in chosen)
    cap = demo.school.rules.group_cap
    for a in chosen:
        row = choice.loc[a.name]
        expected_cap = min(a.max_size, cap) if a.max_size else cap
        assert (row[col("groups")], row[col("cap")]) == (a.max_groups, expected_cap), a.activity_id
        assert row[col("places")] == a.max_groups * expected_cap, a.activity_id
    assert menu.places == sum(a.max_groups * (min(a.max_size, cap) if a.max_size else cap) for a in chosen)


def test_issue17_menu_times_are_the_slots_clocks_in_both_seasons(demo: Scenario) -> None:
    """儿童画 may meet at the club slots of Tue, Thu and Fri: 16:50–17:40 in autumn/winter, 17:00–17:50 in summer."""
    row = build_menu(demo, "zh").frame().set_index(col("activity")).loc["儿童画"]
    clubs = [s for s in demo.timeslots if s.kind.value == "club" and s.day.value in ("Tue", "Thu", "Fri")]
    autumn = {(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in clubs}
    summer = {(s.summer_start.strftime("%H:%M"), s.summer_end.strftime("%H:%M")) for s in clubs}  # type: ignore[union-attr]
    assert autumn == {("16:50", "17:40")} and summer == {("17:00", "17:50")}
    assert row[col("time_autumn_winter")] == "周二、周四、周五 16:50–17:40"
    assert row[col("time_summer")] == "周二、周四、周五 17:00–17:50"
    care = build_menu(demo, "zh").sections["care"].set_index(col("activity")).loc["低年级托管"]
    assert care[col("time_autumn_winter")] == "周一至周五 15:50–16:40、16:50–17:40"  # every service slot, both


def test_issue17_menu_names_the_kinds_of_adult_who_qualify(demo: Scenario) -> None:
    """国际象棋 needs chess: only cleared staff with that skill count, the school's own first (T1–T3)."""
    menu = build_menu(demo, "zh").frame().set_index(col("activity"))
    chess = next(a for a in demo.activities if a.activity_id == "CHESS")
    kinds = {
        p.kind
        for p in demo.staff
        if chess.skill & p.skills
        and (p.background_check is not False if p.kind in (StaffKind.TEACHER, StaffKind.LEADER) else p.background_check)
    }
    words = [t(f"menu.lead.{k.value}", "zh") for k in StaffKind if k in kinds]
    assert kinds and menu.loc["国际象棋", col("leaders")] == "、".join(words)
    nobody = demo.model_copy(
        update={
            "activities": (
                *demo.activities,
                chess.model_copy(update={"activity_id": "X", "name": "马术", "skill": frozenset({"riding"})}),
            )
        }
    )
    assert build_menu(nobody, "zh").frame().set_index(col("activity")).loc["马术", col("leaders")] == t(
        "menu.no_leader", "zh"
    )


def test_issue17_menu_care_and_class_activities_have_their_own_sections(demo: Scenario) -> None:
    menu = build_menu(demo, "zh")
    care = set(menu.sections["care"][col("activity")])
    assert care == {a.name for a in demo.activities if a.kind == ActivityKind.CARE and a.mode == ActivityMode.CHOICE}
    assert set(menu.sections["class"][col("activity")]) == {"班级共读"}
    assert not care & set(menu.sections["choice"][col("activity")])
    read = menu.sections["class"].iloc[0]
    classes = sum(1 for c in demo.classes if c.grade in (1, 2))
    assert read[col("groups")] == f"{classes} 个班" and read[col("places")] == t("menu.class_places", "zh")


def test_issue17_menu_says_how_places_are_allocated_in_plain_words(demo: Scenario) -> None:
    zh, en = build_menu(demo, "zh"), build_menu(demo, "en")
    assert "优先" in zh.allocation and "留守儿童" in zh.allocation and f"（{demo.school.rules.seed}）" in zh.allocation
    assert "priority students come first" in en.allocation and "lottery" in en.allocation
    with_grades = demo.model_copy(
        update={
            "school": demo.school.model_copy(
                update={"rules": demo.school.rules.model_copy(update={"priority_grades": frozenset({1, 2})})}
            )
        }
    )
    assert "1–2 年级" in build_menu(with_grades, "zh").allocation


def test_issue17_menu_in_english_has_english_words(demo: Scenario) -> None:
    df = cp.menu(demo, lang="en")
    assert list(df.columns)[:4] == ["Section", "Activity", "Kind", "Grades"]
    row = df.set_index("Activity").loc["足球"]
    assert (row["Kind"], row["Grades"], row["Per week"]) == ("sport", "grades 3–6", "2 a week")
    assert row["Room"] == "field (outdoors; indoors when it rains)"
    fixed = " ".join(str(v) for v in df.drop(columns=["Activity"]).to_numpy().ravel())
    assert not CJK.search(fixed), fixed  # only the school's own names stay Chinese


def test_issue17_menu_command_writes_a4_pages_and_a_sheet(tmp_path: Path) -> None:
    """``cluster-planner menu SCENARIO`` writes menu.html and menu.xlsx beside the scenario; the page prints
    on A4 landscape with a CJK font embedded; a second run refuses to overwrite (exit 2)."""
    scenario = Path(shutil.copytree(DEMO, tmp_path / "学校"))
    assert _run("menu", str(scenario)) == 0
    out = tmp_path / "学校-menu"
    assert sorted(p.name for p in out.iterdir()) == ["menu.html", "menu.xlsx"]
    printed = read_pdf(print_pdf(out / "menu.html", tmp_path / "menu.pdf"))
    assert 1 < printed.pages <= 4 and set(printed.sizes) == {A4_LANDSCAPE}
    assert printed.cjk_embedded, printed.embedded_fonts
    text = "".join(printed.texts)
    assert "育才小学课后服务菜单公示" in text and "名额如何分配" in text and "以班为单位的活动" in text
    sheet = load_workbook(out / "menu.xlsx").worksheets
    assert len(sheet) == 1
    cells = [c.value for row in sheet[0].iter_rows() for c in row if c.value is not None]
    assert "儿童画" in cells and 60 in cells  # 2 groups × 30
    before = (out / "menu.html").read_bytes()
    assert _run("menu", str(scenario)) == 2
    assert (out / "menu.html").read_bytes() == before


def test_issue17_menu_of_a_bad_scenario_is_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = Path(shutil.copytree(DEMO, tmp_path / "bad"))
    text = (
        (scenario / "activities.csv")
        .read_text(encoding="utf-8-sig")
        .replace("DRAW,儿童画,art,choice,1-4", "DRAW,儿童画,art,choice,1-4x")
    )
    (scenario / "activities.csv").write_text(text, encoding="utf-8-sig")
    capsys.readouterr()
    assert _run("menu", str(scenario), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "activities.csv" in err and "1-4x" in err
    assert not (tmp_path / "out").exists()
