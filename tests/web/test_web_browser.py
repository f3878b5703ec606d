"""Issue 15, end to end in a real headless Chromium (Debian's ``chromium`` through Playwright): upload a broken
workbook and see the row-level findings; upload a good one; plan demo-small and watch progress reach the end;
open a teacher's timetable; download the workbook and open it with openpyxl. Cancel a running solve, and be told
when a second one is asked for while one runs (a big school, its solve killed at once). Issue 16 item 1: a join
and an exit previewed, committed as version 2, seen in the history, its notices and the diff 1 → 2. Issue 16 item 2:
a what-if with group cap 50, solved and shown side by side with the plan.

``make test`` installs ``chromium`` and a CJK font when they are missing; no test here is skipped.
With ``WEB_SCREENSHOTS=DIR`` (``make screenshot``) the findings, progress, teacher timetable and mid-term
preview and the what-if are saved as PNG pictures into DIR.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from web_helpers import (
    BAD_DAYS,
    BIG,
    DEMO_XLSX,
    TIME_LIMIT,
    broken_workbook,
    demo_zip,
    school_with_version,
    served,
)

from cluster_planner.web import create_app

SHOTS = os.environ.get("WEB_SCREENSHOTS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free local port, served as ``cluster-planner serve`` serves it, in a thread."""
    with served(create_app(tmp_path_factory.mktemp("browser") / "data")) as (_, base):
        yield base


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def test_a_term_from_upload_to_download(server: str, page: Page, tmp_path: Path) -> None:
    page.goto(server + "/")
    page.fill("#school-name", "育才小学")
    page.click("#add-school")
    expect(page.locator("h1")).to_have_text("育才小学")

    # 1. a broken workbook: the row-level finding, planning blocked; the table sorts by a header
    page.set_input_files("#upload-file", str(broken_workbook(tmp_path / "学生名单.xlsx")))
    page.click("#upload-button")
    expect(page.locator("#verdict")).to_contain_text("不能排课")
    row = page.locator("#findings-table tbody tr", has_text=BAD_DAYS)
    expect(row.locator("td").nth(2)).to_have_text("5")
    expect(row.locator("td").nth(3)).to_have_text("days")
    expect(page.locator("#solve-button")).to_have_count(0)
    header = page.locator("#findings-table th").nth(2)
    header.click()
    header.click()  # descending by row: the largest row number first
    numbers = [int(x) for x in page.locator("#findings-table tbody tr td:nth-child(3)").all_inner_texts() if x]
    assert numbers == sorted(numbers, reverse=True)
    _shot(page, "web-findings.png")

    # 2. a good workbook: ready to plan
    page.set_input_files("#upload-file", str(DEMO_XLSX))
    page.click("#upload-button")
    expect(page.locator("#verdict")).to_contain_text("可以排课")

    # 3. plan demo-small and watch the progress reach the end
    page.fill("#time-limit", str(TIME_LIMIT))
    page.click("#solve-button")
    expect(page.locator("#status")).to_have_text("进行中")
    expect(page.locator("#objective")).not_to_be_empty(timeout=30_000)
    _shot(page, "web-progress.png")
    expect(page.locator("#status")).to_have_text("已完成", timeout=60_000)
    expect(page.locator("#stage")).to_have_text("完成")
    expect(page.locator("#job")).to_have_attribute("data-via", "events")  # the end came down the stream
    assert page.locator("#gap").inner_text().endswith("%")
    page.click("#open-version")

    # 4. a teacher's timetable
    page.click("#nav-staff")
    choice = page.locator("#timetable-choice")
    second = choice.locator("option").nth(1)  # the first is shown already
    value, label = second.get_attribute("value"), second.inner_text()
    choice.select_option(value)
    page.wait_for_url(f"**id={value}")
    expect(page.locator(".timetable h3")).to_have_text(label)
    expect(page.locator(".timetable table.grid")).to_be_visible()
    expect(page.locator(".timetable table.grid td").filter(has_text="G")).not_to_have_count(0)  # their groups
    _shot(page, "web-teacher.png")

    # 5. download the workbook and open it
    with page.expect_download() as download:
        page.click("details.downloads summary")
        page.click("#dl-report-xlsx")
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert "概览" in book.sheetnames and any(name.startswith("教师课表") for name in book.sheetnames)


def test_english_switch_and_print_view(server: str, page: Page) -> None:
    page.goto(server + "/")
    page.click("#lang-switch")
    expect(page.locator("h1")).to_have_text("Schools")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()


def _running_solve(server: str, page: Page, tmp_path: Path, name: str) -> str:
    """A new school with the big scenario uploaded and a long solve started; the school page's address."""
    page.goto(server + "/")
    page.fill("#school-name", name)
    page.click("#add-school")
    expect(page.locator("h1")).to_have_text(name)
    school = page.url
    upload = tmp_path / "big.zip"
    upload.write_bytes(demo_zip("big/", BIG))
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-button")
    expect(page.locator("#verdict")).to_contain_text("可以排课")
    page.fill("#time-limit", "600")
    page.click("#solve-button")
    expect(page.locator("#status")).to_have_text("进行中")
    return school


def test_issue15_cancel_a_running_solve_in_the_browser(server: str, page: Page, tmp_path: Path) -> None:
    school = _running_solve(server, page, tmp_path, "取消小学")
    expect(page.locator("#stage")).not_to_be_empty()  # it is under way
    page.click("#cancel-button")
    expect(page.locator("#status")).to_have_text("已取消")
    expect(page.locator("#cancel-form")).to_be_hidden()
    expect(page.locator("#open-version")).to_have_count(0)
    page.goto(school)
    expect(page.locator("#versions")).to_have_count(0)
    expect(page.get_by_text("还没有方案。")).to_be_visible()
    expect(page.locator("#jobs tbody tr")).to_have_count(1)
    expect(page.locator("#jobs tr.job-cancelled td").nth(1)).to_have_text("已取消")


def test_issue15_one_solve_per_school_in_the_browser(server: str, page: Page, tmp_path: Path) -> None:
    school = _running_solve(server, page, tmp_path, "排队小学")
    running = page.url
    page.goto(school)
    page.click("#solve-button")
    expect(page.locator("#error-message")).to_have_text("本校已有一个排课正在进行。")
    # the way back leads to the running job; with the event stream refused, the page polls instead
    page.route("**/events", lambda route: route.abort())
    page.click("#error-back")
    expect(page).to_have_url(running)
    expect(page.locator("#job")).to_have_attribute("data-via", "polling")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    page.request.post(running + "/cancel", headers={"X-CSRF-Token": token})
    expect(page.locator("#status")).to_have_text("已取消")  # seen by polling


def test_issue16_midterm_join_and_exit_preview_commit_history_diff(server: str, page: Page, tmp_path: Path) -> None:
    """Issue 16 item 1 in the browser: on a school planned from demo-small, enter one join and one exit, preview,
    see the joiner in the preview's notices, commit, see version 2 in the history and its notices, diff 1 → 2."""
    page.goto(server + "/")
    page.fill("#school-name", "变动小学")
    page.click("#add-school")
    school = page.url
    page.set_input_files("#upload-file", str(DEMO_XLSX))
    page.click("#upload-button")
    page.fill("#time-limit", str(TIME_LIMIT))
    page.click("#solve-button")
    expect(page.locator("#status")).to_have_text("已完成", timeout=60_000)
    page.goto(school)

    page.click("#changes-link")
    page.fill("#change-date", "2026-10-12")
    page.select_option("#action-0", "join")
    page.fill("#id-0", "N1")
    page.fill("#name-0", "新同学")
    page.fill("#class-0", "101")
    page.fill("#days-0", "Mon Tue")
    page.select_option("#action-1", "exit")
    page.fill("#id-1", "S10102")
    page.click("#preview-button")
    expect(page.locator("#notices")).to_contain_text("新同学", timeout=60_000)  # the page reloads when done
    expect(page.locator("#notices")).to_contain_text("不再参加课后服务")
    expect(page.get_by_text("确认之前不会保存任何方案")).to_be_visible()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "web-midterm.png"), full_page=True)

    page.click("#commit-button")
    expect(page.locator("h1")).to_contain_text("方案 v2 变动通知")
    expect(page.locator("#notices")).to_contain_text("新同学")
    page.click("#nav-history")
    expect(page.locator("#v2")).to_contain_text("新加入 N1 新同学")
    expect(page.locator("#v2")).to_contain_text("教务处")
    page.locator("#v2 a.notices-link").click()
    expect(page.locator("#notices")).to_contain_text("李嫣妍")
    page.click("#nav-history")
    page.click("#diff-button")  # from v1 to v2 by default
    expect(page.locator("h1")).to_have_text("方案 v1 → v2 的差别")
    expect(page.locator("#diff")).to_contain_text("新同学")
    expect(page.locator("#diff")).to_contain_text("李嫣妍")


@pytest.fixture(scope="module")
def planned_server(planned: tuple, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another app on a free port, whose school has demo-small planned as version 1 (the session's plan, copied)."""
    client, version = planned
    data = tmp_path_factory.mktemp("browser-whatif") / "data"
    school_with_version(client.app.state.store, version, data)
    with served(create_app(data)) as (_, base):
        yield base


def test_issue16_whatif_cap_50_side_by_side(planned_server: str, page: Page) -> None:
    """Issue 16 item 2 in the browser: from the school's plan, a what-if with group cap 50, solved (the page follows
    its progress and shows the outcome), its figures beside the plan's with the charts; it may become the plan."""
    page.goto(planned_server + "/schools/1")
    page.click("#whatif-link")
    expect(page.locator("#group-cap")).to_have_value("45")
    page.fill("#group-cap", "50")
    page.fill("#whatif-time-limit", str(TIME_LIMIT))
    page.click("#whatif-button")
    expect(page.locator("#compare-figures")).to_be_visible(timeout=60_000)  # the page reloads when the job ends
    expect(page.locator("#edits")).to_contain_text("组容量（每组最多人数）：45 → 50")
    heads = page.locator("#compare-figures thead th").all_inner_texts()
    assert heads == ["指标", "现行方案 v1", "假设 #1", "变化"]
    for key in ("planned", "groups", "cost"):
        now, then, _ = page.locator(f'#compare-figures tr[data-key="{key}"] td').all_inner_texts()
        assert now.replace(",", "").replace(".", "").isdigit() and then.replace(",", "").replace(".", "").isdigit()
    expect(page.locator("#compare-chart svg")).to_be_visible()
    expect(page.locator("#plan-charts section")).to_have_count(2)
    expect(page.locator("#plan-charts section").nth(1)).to_contain_text("上限 50")
    expect(page.locator("#promote-button")).to_be_visible()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "web-whatif.png"), full_page=True)
