"""Issue 16 item 1 (mid-term changes in the web app), over HTTP: enter or upload changes, preview the re-solve
(a job in its own process; nothing saved), commit it as a version, the history, the diff of two versions and the
printable change notices. Bad changes become findings (file, row, column, expected), never a traceback.

One school planned from demo-small for the module; its previews re-solve in a few seconds each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import TIME_LIMIT, demo_zip, wait_for, with_csrf

from cluster_planner.web import changes, create_app
from cluster_planner.web.jobs import Stale
from cluster_planner.web.store import Store

DAY = "2026-10-12"
JOIN_EXIT = {
    "date": DAY,
    "author": "王老师",
    "action_0": "join",
    "id_0": "N1",
    "name_0": "新同学",
    "class_id_0": "101",
    "days_0": "Mon Tue",
    "action_2": "exit",  # a blank row between is ignored
    "id_2": "S10102",
}
LEAVE_CSV = "change_id,date,until,action,id\nL1,2026-10-12,2026-10-23,staff_leave,T001\n"


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """demo-small planned once (version id 1) in a data folder of its own: the client and the data folder."""
    data = tmp_path_factory.mktemp("midterm") / "data"
    with with_csrf(TestClient(create_app(data))) as c:
        c.post("/schools", data={"name": "育才小学"})
        c.post("/schools/1/upload", files={"file": ("demo-small.zip", demo_zip(), "application/zip")})
        c.post("/schools/1/solve", data={"time_limit": str(TIME_LIMIT)})
        assert wait_for(lambda: c.get("/jobs/1/progress").json())["status"] == "done"
        yield c, data


def _preview_id(response) -> int:
    match = re.search(r"/previews/(\d+)$", str(response.url))
    assert match, response.url
    return int(match[1])


def _finished(client: TestClient, store: Store, preview_id: int) -> str:
    job_id = store.preview(preview_id).job_id
    assert job_id, "the preview has no job"
    assert wait_for(lambda: client.get(f"/jobs/{job_id}/progress").json())["status"] == "done"
    return client.get(f"/previews/{preview_id}").text


def _findings(page: str) -> list[list[str]]:
    table = page.split('id="findings-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"sev-[a-z]+\">(.*?)</tr>", table, flags=re.S)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_issue16_changes_form_on_the_newest_version(school: tuple[TestClient, Path]) -> None:
    client, _ = school
    page = client.get("/versions/1/changes").text
    assert page.count('name="action_') == changes.FORM_ROWS
    assert 'value="教务处"' in page  # who enters: the office by default
    date_value = re.search(r'id="change-date" value="([\d-]+)"', page)[1]
    assert "2026-09-07" <= date_value <= "2027-01-15"  # a day within the term
    for action in ("新加入", "退出", "教职工请假", "场地关闭"):
        assert action in page
    assert client.get("/versions/99/changes").status_code == 404


def test_issue16_unknown_student_id_gives_a_finding_and_no_job(school: tuple[TestClient, Path]) -> None:
    client, data = school
    store = Store(data)
    jobs_before = len(store.jobs(1))
    response = client.post("/versions/1/changes", data={"date": DAY, "action_0": "exit", "id_0": "S99999"})
    assert response.status_code == 200
    page = response.text
    assert "变动有错误，未预览" in page and "Traceback" not in page
    (row,) = [r for r in _findings(page) if "S99999" in r]
    assert row[1:5] == ["changes.csv", "2", "id", "S99999"]
    assert "S10101" in row[6]  # what was expected: the ids of students.csv
    assert store.preview(_preview_id(response)).job_id is None
    assert len(store.jobs(1)) == jobs_before


def test_issue16_an_empty_form_is_a_finding(school: tuple[TestClient, Path]) -> None:
    client, _ = school
    page = client.post("/versions/1/changes", data={"date": DAY}).text
    assert "没有填写任何变动" in page and "至少一行" in page


@pytest.mark.parametrize(
    ("name", "content", "words", "where"),
    [
        ("changes.xlsx", b"PK\x03\x04 a workbook", "不是 CSV 文本文件", None),
        ("changes.csv", b"", "没有选择文件", None),
        ("changes.csv", b"date,action,id\n2026-13-40,exit,S10101\n", "", ("2", "date")),
        ("changes.csv", b"date,action,id\n2026-10-12,fly,S10101\n", "", ("2", "action")),
        ("changes.csv", b"date,action,id\n2026-03-01,exit,S10101\n", "学期内的日期", ("2", "date")),
    ],
)
def test_issue16_bad_changes_csv_gives_findings_not_tracebacks(
    school: tuple[TestClient, Path], name: str, content: bytes, words: str, where: tuple[str, str] | None
) -> None:
    client, _ = school
    response = client.post("/versions/1/changes/upload", files={"file": (name, content, "text/csv")})
    assert response.status_code == 200
    page = response.text
    assert "变动有错误，未预览" in page and "Traceback" not in page
    rows = _findings(page)
    assert rows and all(r[6] for r in rows)  # every finding says what was expected
    assert words in page
    if where is not None:
        assert any(r[1] == name and (r[2], r[3]) == where for r in rows), rows


def test_issue16_changes_csv_over_the_size_limit_is_refused(
    school: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = school
    monkeypatch.setattr(changes, "MAX_CHANGES", 100)
    page = client.post("/versions/1/changes/upload", files={"file": ("changes.csv", LEAVE_CSV * 5, "text/csv")}).text
    assert "文件太大" in page


def test_issue16_preview_then_commit_then_history_diff_and_notices(school: tuple[TestClient, Path]) -> None:
    client, data = school
    store = Store(data)

    # a join and an exit typed on the form: the re-solve starts as a job; a changes.csv uploaded meanwhile waits
    first = client.post("/versions/1/changes", data=JOIN_EXIT)
    preview = _preview_id(first)
    upload = client.post(
        "/versions/1/changes/upload",
        files={"file": ("changes.csv", LEAVE_CSV.encode(), "text/csv")},
        data={"author": "李主任"},
    )
    waiting = _preview_id(upload)
    assert "预览尚未开始" in upload.text

    # the preview says who would move, in the words of moves.csv; nothing is saved
    page = _finished(client, store, preview)
    notices = page.split('id="notices"', 1)[1]
    assert "新同学" in notices and "新加入" in notices and "未参加课后服务" in notices
    assert "李嫣妍" in notices and "不再参加课后服务" in notices
    assert "确认之前不会保存任何方案" in page and 'id="commit-button"' in page
    assert [v.number for v in store.versions(1)] == [1]
    entered = store.preview(preview)
    assert (entered.author, entered.client) == ("王老师", "testclient")

    # the waiting upload starts now, and previews a leave
    client.post(f"/previews/{waiting}/start")
    assert "请假" in _finished(client, store, waiting).split('id="notices"', 1)[1]

    # commit the first: version 2, its notices printable
    response = client.post(f"/previews/{preview}/commit", follow_redirects=False)
    assert response.status_code == 303
    version2 = store.version_of_job(store.preview(preview).job_id)
    assert version2.number == 2 and response.headers["location"] == f"/versions/{version2.id}/notices"
    page = client.get(response.headers["location"]).text
    assert "方案 v2 变动通知" in page and "window.print()" in page and "新同学" in page
    assert (data / version2.folder / "moves.csv").is_file()  # moved into plans/ whole
    assert not (data / store.job(version2.job_id).folder / "plan").exists()
    assert "已保存为方案 v2" in client.get(f"/previews/{preview}").text

    # the same preview twice, or a preview of an older version: refused, nothing written
    assert client.post(f"/previews/{preview}/commit").status_code == 409
    stale = client.post(f"/previews/{waiting}/commit")
    assert stale.status_code == 409 and "已过时" in stale.text
    assert [v.number for v in store.versions(1)] == [2, 1]
    assert client.get("/versions/1/changes").status_code == 409  # changes go to the newest version

    # the history: version, date, valid from, what changed, by whom
    page = client.get("/schools/1/history").text
    row = page.split('id="v2"', 1)[1].split("</tr>", 1)[0]
    assert DAY in row and "新加入 N1 新同学" in row and "退出 S10102" in row and "王老师（testclient" in row
    assert "学期初方案" in page.split('id="v1"', 1)[1].split("</tr>", 1)[0]

    # the diff 1 → 2 names the joiner and the leaver
    page = client.get(f"/schools/1/diff?old=1&new={version2.id}").text
    assert "方案 v1 → v2 的差别" in page
    diff = page.split('id="diff"', 1)[1]
    assert "新同学" in diff and "李嫣妍" in diff
    assert "没有差别" in client.get(f"/schools/1/diff?old={version2.id}&new={version2.id}").text
    assert "学期初方案，没有变动通知" in client.get("/versions/1/notices").text


def test_issue16_commit_cut_short_leaves_no_version_and_can_be_retried(
    school: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between moving the plan into plans/ and numbering it: no version row; the next commit finds it."""
    client, data = school
    store = Store(data)
    latest = store.latest_version(1)
    response = client.post(
        f"/versions/{latest.id}/changes", data={"date": "2026-11-02", "action_0": "room_closed", "id_0": "R101"}
    )
    preview = _preview_id(response)
    _finished(client, store, preview)
    jobs = client.app.state.jobs

    def crash(*args, **kwargs):
        raise OSError("power cut")

    monkeypatch.setattr(jobs.store, "commit_version", crash)
    with pytest.raises(OSError):
        jobs.commit_preview(store.preview(preview))
    monkeypatch.undo()
    assert store.latest_version(1).id == latest.id  # no half version
    version_id = jobs.commit_preview(store.preview(preview))
    assert store.version(version_id).number == latest.number + 1
    with pytest.raises(Stale):
        jobs.commit_preview(store.preview(preview))


def test_issue16_unknown_preview_and_versions_are_not_found(school: tuple[TestClient, Path]) -> None:
    client, _ = school
    assert client.get("/previews/999").status_code == 404
    assert client.post("/previews/999/commit").status_code == 404
    assert client.get("/schools/1/diff?old=1&new=999").status_code == 404
    assert client.get("/versions/999/notices").status_code == 404
