"""An upload becomes a scenario on disk and its findings: a workbook, or a zipped folder of CSV files.

No name from an upload reaches the file system: a workbook is saved as ``scenario.xlsx``; a zip
member is kept only when its last name part is a scenario file (``.csv`` or ``.toml``), and a zip
holding an absolute path or a ``..`` part is refused whole (zip-slip). Sizes are capped before
anything is read in full (a zip bomb is refused too). Workbooks are read with cached values only,
so a formula is never evaluated. Findings are those of ``validate``, never a traceback.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cluster_planner.errors import PlannerError
from cluster_planner.findings import Finding, Severity
from cluster_planner.i18n import LANGS, register

register(
    {
        "web.upload.too_big": ("文件太大（{size}）", "the file is too large ({size})"),
        "web.upload.expect_size": ("不超过 {limit}", "at most {limit}"),
        "web.upload.wrong_kind": ("不是 Excel 工作簿或 zip 压缩包", "neither an Excel workbook nor a zip file"),
        "web.upload.expect_kind": (
            ".xlsx 工作簿，或装有 CSV 文件和 school.toml 的 .zip",
            "an .xlsx workbook, or a .zip of the CSV files and school.toml",
        ),
        "web.upload.bad_zip": ("无法打开压缩包", "cannot open the zip file"),
        "web.upload.unsafe_path": (
            "压缩包中的路径指向文件夹之外，整个上传已拒绝",
            "a path in the zip points outside its folder; the whole upload was refused",
        ),
        "web.upload.expect_path": ("文件夹内的相对路径", "a relative path inside the folder"),
        "web.upload.duplicate": ("压缩包中有两个同名文件", "two files of this name in the zip"),
        "web.upload.expect_unique": ("每个文件只出现一次", "each file once"),
        "web.upload.no_files": ("压缩包中没有 CSV 或 school.toml 文件", "no CSV file or school.toml in the zip"),
        "web.upload.unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
        "web.upload.empty": ("没有选择文件", "no file was chosen"),
    }
)

MAX_UPLOAD = 20 * 1024 * 1024  # bytes of one upload
MAX_UNPACKED = 100 * 1024 * 1024  # bytes of a zip's scenario files once unpacked
SCENARIO_SUFFIXES = (".csv", ".toml")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Received:
    """What an upload became: the scenario path (None when nothing could be read) and the findings."""

    folder: Path
    scenario: Path | None
    findings: list[Finding] = field(default_factory=list)


def _error(code: str, file: str, value: str = "", expected: str = "", **params: Any) -> Finding:
    return Finding(Severity.ERROR, code, file=file, value=value, expected=expected, params=params)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def unsafe(name: str) -> bool:
    """A zip member name that would leave the folder it is unpacked into."""
    text = name.replace("\\", "/")
    return text.startswith("/") or bool(_DRIVE.match(text)) or ".." in PurePosixPath(text).parts or "\0" in text


def kind_of(filename: str, head: bytes) -> str | None:
    """``xlsx`` or ``zip`` by the name's ending and the content's first bytes (both are zip files)."""
    suffix = Path(filename).suffix.lower()
    if not head.startswith(b"PK\x03\x04"):
        return None
    return {".xlsx": "xlsx", ".zip": "zip"}.get(suffix)


def unpack_zip(data: bytes, filename: str, into: Path) -> list[Finding]:
    """Write the zip's scenario files into ``into`` under their last name part; problems as findings."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        return [_error("web.upload.bad_zip", filename, value=str(exc), expected="web.upload.expect_kind")]
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        bad = [m.filename for m in members if unsafe(m.filename)]
        if bad:
            return [_error("web.upload.unsafe_path", filename, bad[0], "web.upload.expect_path")]
        wanted: dict[str, zipfile.ZipInfo] = {}
        findings: list[Finding] = []
        for member in members:
            name = PurePosixPath(member.filename.replace("\\", "/")).name
            if name.startswith(".") or Path(name).suffix.lower() not in SCENARIO_SUFFIXES:
                continue
            if name in wanted:
                findings.append(_error("web.upload.duplicate", filename, member.filename, "web.upload.expect_unique"))
                continue
            wanted[name] = member
        if not wanted:
            return [*findings, _error("web.upload.no_files", filename, expected="web.upload.expect_kind")]
        if sum(m.file_size for m in wanted.values()) > MAX_UNPACKED:
            too = _size(sum(m.file_size for m in wanted.values()))
            return [
                _error(
                    "web.upload.too_big",
                    filename,
                    expected="web.upload.expect_size",
                    size=too,
                    limit=_size(MAX_UNPACKED),
                )
            ]
        if findings:
            return findings
        into.mkdir()
        for name, member in wanted.items():
            with archive.open(member) as src:
                content = src.read(MAX_UNPACKED + 1)
            (into / name).write_bytes(content[:MAX_UNPACKED])
    return []


def receive(data: bytes, filename: str, uploads: Path, size: int | None = None) -> Received:
    """Keep an upload in a new folder under ``uploads`` and read it as a scenario (``size``: as declared)."""
    uploads.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=uploads))
    shown = Path(filename or "").name or "upload"
    size = len(data) if size is None else size
    if size > MAX_UPLOAD:
        too_big = _error(
            "web.upload.too_big", shown, expected="web.upload.expect_size", size=_size(size), limit=_size(MAX_UPLOAD)
        )
        return Received(folder, None, [too_big])
    if not data:
        return Received(folder, None, [_error("web.upload.empty", shown, expected="web.upload.expect_kind")])
    kind = kind_of(shown, data[:4])
    if kind is None:
        return Received(folder, None, [_error("web.upload.wrong_kind", shown, expected="web.upload.expect_kind")])
    if kind == "xlsx":
        scenario = folder / "scenario.xlsx"
        scenario.write_bytes(data)
    else:
        scenario = folder / "scenario"
        problems = unpack_zip(data, shown, scenario)
        if problems:
            return Received(folder, None, problems)
    return Received(folder, scenario, read_findings(scenario, shown))


def read_findings(scenario: Path, shown: str) -> list[Finding]:
    """``validate``'s findings (with the counting pre-checks on plannable data)."""
    from cluster_planner.explain.precheck import precheck, with_prechecks
    from cluster_planner.io.loader import read_scenario

    try:
        result = read_scenario(scenario)
    except PlannerError as exc:
        return [_error("web.upload.unreadable", shown, expected="web.upload.expect_kind", reason=exc.words("en"))]
    findings = list(result.findings)
    if result.ok:
        findings = with_prechecks(findings, precheck(result.scenario))
    if scenario.suffix == ".xlsx":  # the office knows the file by the name it uploaded
        findings = [_renamed(f, shown) for f in findings]
    return findings


def _renamed(finding: Finding, shown: str) -> Finding:
    from dataclasses import replace

    return replace(finding, file=finding.file.replace("scenario.xlsx", shown)) if finding.file else finding


def finding_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings as stored: place and value, and the words in every language."""
    rows = []
    for f in findings:
        row = f.to_dict("en")
        row["words"] = {lang: {"message": f.message(lang), "expected": f.expected_text(lang)} for lang in LANGS}
        rows.append(row)
    return rows
