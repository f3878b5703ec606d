"""Issue 15 item 1 (new term) and Safety: template, uploads, findings; bad uploads never reach the file system."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from web_helpers import BAD_DAYS, DEMO_XLSX, broken_workbook, demo_zip, zip_of

from cluster_planner.web import uploads


def _upload(client: TestClient, name: str, content: bytes) -> str:
    response = client.post("/schools/1/upload", files={"file": (name, content, "application/octet-stream")})
    assert response.status_code == 200, response.text  # the redirect to the school page, followed
    return response.text


def _rows(page: str) -> list[str]:
    table = page.split('id="findings-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr class=\"sev-[a-z]+\">(.*?)</tr>", table, flags=re.S)


def test_home_and_school_pages(client: TestClient) -> None:
    assert "育才小学" in client.get("/").text
    page = client.get("/schools/1").text
    assert "还没有上传数据" in page and "/template.xlsx" in page


def test_template_workbook_opens_with_every_sheet(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 8


def test_broken_workbook_gives_row_level_findings_and_blocks_planning(client: TestClient, tmp_path: Path) -> None:
    page = _upload(client, "broken.xlsx", broken_workbook(tmp_path / "broken.xlsx").read_bytes())
    assert "不能排课" in page
    rows = [r for r in _rows(page) if BAD_DAYS in r]
    assert rows, "the bad value is shown in the findings table"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], flags=re.S)
    assert cells[:4] == ["错误", "students", "5", "days"]  # the sheet, as validate names it
    assert client.post("/schools/1/solve", data={"time_limit": "5"}).status_code == 409


def test_good_workbook_and_zip_are_ready_to_plan(client: TestClient) -> None:
    assert "可以排课" in _upload(client, "demo.xlsx", DEMO_XLSX.read_bytes())
    assert "可以排课" in _upload(client, "demo.zip", demo_zip())


def test_new_upload_replaces_the_draft(client: TestClient, tmp_path: Path) -> None:
    _upload(client, "demo.xlsx", DEMO_XLSX.read_bytes())
    page = _upload(client, "broken.xlsx", broken_workbook(tmp_path / "b.xlsx").read_bytes())
    assert "broken.xlsx" in page and "不能排课" in page


def test_findings_in_english_when_switched(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/lang/en?next=/schools/1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/schools/1"
    page = _upload(client, "broken.xlsx", broken_workbook(tmp_path / "b.xlsx").read_bytes())
    assert "Cannot be planned" in page and "错误" not in page


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    assert client.get("/lang/en?next=//evil.example", follow_redirects=False).headers["location"] == "/"
    assert client.get("/lang/fr").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("notes.txt", b"hello", "不是 Excel 工作簿或 zip 压缩包"),
        ("fake.xlsx", b"not a workbook at all", "不是 Excel 工作簿或 zip 压缩包"),
        ("empty.xlsx", b"", "没有选择文件"),
        ("broken.zip", b"PK\x03\x04 truncated", "无法打开压缩包"),
        ("other.zip", zip_of({"readme.md": b"# hi"}), "压缩包中没有 CSV"),
        ("corrupt.xlsx", zip_of({"a.txt": b"x"}), "无法打开工作簿"),
    ],
)
def test_bad_uploads_get_findings_not_tracebacks(client: TestClient, name: str, content: bytes, words: str) -> None:
    page = _upload(client, name, content)
    assert words in page and "Traceback" not in page
    assert client.post("/schools/1/solve", data={"time_limit": "5"}).status_code == 409


def test_upload_over_the_size_limit_is_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD", 1000)
    page = _upload(client, "demo.xlsx", DEMO_XLSX.read_bytes())
    assert "文件太大" in page and "可以排课" not in page


@pytest.mark.parametrize("evil", ["../../evil.csv", "/tmp/evil.csv", "demo/../../evil.csv", "..\\..\\evil.csv"])
def test_zip_slip_is_refused_whole(client: TestClient, tmp_path: Path, evil: str) -> None:
    members = {f"demo-small/{p.name}": p.read_bytes() for p in (DEMO_XLSX.parent / "demo-small").iterdir()}
    page = _upload(client, "evil.zip", zip_of({**members, evil: b"student_id\nX\n"}))
    assert "指向文件夹之外" in page and html.escape(evil) in page
    assert not list(tmp_path.rglob("evil.csv")), "nothing of the zip was written"
    assert not Path("/tmp/evil.csv").exists()
    assert client.post("/schools/1/solve", data={"time_limit": "5"}).status_code == 409


def test_zip_member_names_never_become_paths(tmp_path: Path) -> None:
    problems = uploads.unpack_zip(demo_zip("a/b/c/"), "demo.zip", tmp_path / "out")
    assert problems == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in (DEMO_XLSX.parent / "demo-small").iterdir() if p.suffix in (".csv", ".toml")
    )
    assert all(p.parent == tmp_path / "out" for p in (tmp_path / "out").rglob("*"))


def test_formulas_in_an_upload_are_never_evaluated(client: TestClient, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(DEMO_XLSX)
    sheet = book["students"]
    column = [c.value for c in sheet[1]].index("days") + 1
    sheet.cell(row=7, column=column, value='=CONCAT("Mon"," Tue")')  # no cached value: read as blank
    book.save(tmp_path / "formula.xlsx")
    page = _upload(client, "formula.xlsx", (tmp_path / "formula.xlsx").read_bytes())
    assert "Mon Tue" not in page and "Traceback" not in page


def test_unknown_school_is_a_page_not_a_traceback(client: TestClient) -> None:
    response = client.get("/schools/999")
    assert response.status_code == 404 and "找不到" in response.text
    assert client.post("/schools/999/upload", files={"file": ("a.xlsx", b"x")}).status_code == 404


def test_issue15_findings_table_says_what_was_expected(client: TestClient, tmp_path: Path) -> None:
    """An unknown class or activity names the ids expected (the sheet as the office named it); no cell is blank."""
    broken = _upload(client, "broken.xlsx", broken_workbook(tmp_path / "b.xlsx").read_bytes())
    expected = {}
    for row in _rows(broken):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        expected[cells[4]] = html.unescape(cells[-1])
    assert expected["999"].startswith("classes 中的班级编号之一：101, 102, ") and expected["999"].endswith(", …")
    assert expected["KARATE"].startswith("activities 中的活动编号之一：CARE-L, CARE-M, ")
    good = _upload(client, "demo.xlsx", DEMO_XLSX.read_bytes())  # its findings are the counting pre-checks
    for page in (broken, good):
        rows = _rows(page)
        assert rows and all(re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)[-1].strip() for r in rows)
