"""Issue 15 items 3 and 4 (look, download): every view of a committed plan, and every download."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

import cluster_planner as cp
from cluster_planner.plan.figures import choices_granted
from cluster_planner.web import views


@pytest.fixture(scope="module")
def folder(planned: tuple[TestClient, int]) -> str:
    client, version_id = planned
    store = client.app.state.store
    return str(store.data / store.version(version_id).folder)


def test_summary_has_the_report_figures_and_charts(planned: tuple[TestClient, int]) -> None:
    client, v = planned
    page = client.get(f"/versions/{v}").text
    assert "已核准学生" in page and "育才小学" in page
    assert "<svg" in page  # the report's charts, inline


@pytest.mark.parametrize("kind", ["group", "staff", "room", "class"])
def test_every_timetable_kind_lists_and_shows(planned: tuple[TestClient, int], folder: str, kind: str) -> None:
    client, v = planned
    options = views.choices(folder, kind, "zh")
    assert options
    key, _label = options[-1]
    page = client.get(f"/versions/{v}/timetables/{kind}", params={"id": key}).text
    assert f'value="{key}" selected' in page
    assert "<table" in page
    assert client.get(f"/versions/{v}/timetables/{kind}", params={"id": "NOPE"}).status_code == 404


def test_teacher_timetable_names_the_teacher_and_their_groups(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    plan = views.plan_of(folder)
    group = plan.groups[0]
    person = plan.require_scenario().staff_by_id[group.staff_ids[0]]
    page = client.get(f"/versions/{v}/timetables/staff", params={"id": person.staff_id}).text
    assert person.name in page and group.group_id in page


def test_class_timetable_counts_its_students(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    plan = views.plan_of(folder)
    scenario = plan.require_scenario()
    class_id = scenario.approved_students[0].class_id
    mine = {s.student_id for s in scenario.students if s.class_id == class_id}
    some = next(a for a in plan.assignments if a.student_id in mine)
    page = client.get(f"/versions/{v}/timetables/class", params={"id": class_id}).text
    assert some.group_id in page and "本班" in page


@pytest.mark.parametrize("name", ["rain", "duties", "pay", "unplaced"])
def test_flat_tables(planned: tuple[TestClient, int], name: str) -> None:
    client, v = planned
    response = client.get(f"/versions/{v}/table/{name}")
    assert response.status_code == 200 and ("<table" in response.text or "无" in response.text)


def test_pay_and_rosters_show_people(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    scenario = views.scenario_of(folder)
    assert scenario.staff[0].name in client.get(f"/versions/{v}/table/pay").text
    rosters = client.get(f"/versions/{v}/rosters").text
    assert scenario.approved_students[0].name in rosters
    assert client.get(f"/versions/{v}/table/nope").status_code == 404
    assert client.get(f"/versions/{v}/timetables/nope").status_code == 404


def test_search_by_student_and_teacher_name(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    scenario = views.scenario_of(folder)
    student, person = scenario.approved_students[3], scenario.staff[2]
    page = client.get(f"/versions/{v}/search", params={"q": student.name}).text
    assert f"/versions/{v}/students/{student.student_id}" in page
    page = client.get(f"/versions/{v}/search", params={"q": person.name}).text
    assert f"/timetables/staff?id={person.staff_id}" in page
    assert "没有找到" in client.get(f"/versions/{v}/search", params={"q": "不存在的名字"}).text


def test_why_not_my_first_choice(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    plan = views.plan_of(folder)
    second = next(s for s, rank in choices_granted(plan.require_scenario(), plan.assignments).items() if rank == 2)
    page = client.get(f"/versions/{v}/students/{second}").text
    assert 'id="explain-link"' in page
    page = client.get(f"/versions/{v}/students/{second}", params={"explain": "true"}).text
    assert "第 2 志愿" in page and "第 1 志愿" in page
    assert client.get(f"/versions/{v}/students/NOPE").status_code == 404


def test_what_would_fix_it(planned: tuple[TestClient, int]) -> None:
    client, v = planned
    page = client.get(f"/versions/{v}/fix").text
    assert "最省方案" in page


def test_downloads_open(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    for name in ("report.xlsx", "report-public.xlsx", "attendance.xlsx"):
        response = client.get(f"/versions/{v}/download/{name}")
        assert response.status_code == 200, name
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        assert book.sheetnames, name
    attendance = openpyxl.load_workbook(io.BytesIO(client.get(f"/versions/{v}/download/attendance.xlsx").content))
    assert all(name.startswith("考勤表") for name in attendance.sheetnames)
    for name in ("report.html", "report-public.html"):
        assert "<html" in client.get(f"/versions/{v}/download/{name}").text
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/versions/{v}/download/plan.zip").content))
    assert "plan-v1/plan.json" in archive.namelist()
    assert client.get(f"/versions/{v}/download/secrets.txt").status_code == 404
    assert client.get("/versions/999/download/report.xlsx").status_code == 404


def test_public_copy_masks_phones(planned: tuple[TestClient, int], folder: str) -> None:
    client, v = planned
    phone = next(s.parent_phone for s in views.scenario_of(folder).approved_students if s.parent_phone)
    assert phone in client.get(f"/versions/{v}/download/report.html").text
    assert phone not in client.get(f"/versions/{v}/download/report-public.html").text


def test_committed_version_is_a_plan_folder(folder: str) -> None:
    plan = cp.load_plan(folder)
    assert plan.assignments and plan.meta.version == 1


def test_pages_in_english(planned: tuple[TestClient, int]) -> None:
    client, v = planned
    client.cookies.set("lang", "en")
    try:
        page = client.get(f"/versions/{v}/timetables/staff").text
    finally:
        client.cookies.delete("lang")
    assert "Teachers" in page and "教师课表" not in page
