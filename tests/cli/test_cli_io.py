"""The validate, template and schema commands: exit codes, messages, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from scenario_files import tiny_tables, write_folder

from cluster_planner.cli import cli
from cluster_planner.io import load_scenario, read_scenario
from cluster_planner.io.schemas import all_schemas, schema_text
from cluster_planner.io.template import CHOICES, DROP_DOWNS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    """The tiny valid scenario as a folder."""
    return write_folder(tmp_path / "tiny")


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    """The tiny scenario with a bad day in students.csv row 3 and a C1 warning."""
    tables = tiny_tables()
    tables["students"][1]["days"] = "Funday"
    tables["activities"][2]["name"] = "奥数"
    return write_folder(tmp_path / "broken", tables)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


# ---- validate ------------------------------------------------------------------------------
def test_validate_clean_exits_0(tiny_folder: Path) -> None:
    code, out = run("validate", str(tiny_folder))
    assert code == 0
    assert "ready to plan" in out  # school.language = en
    assert "Tiny School" in out


def test_validate_warnings_only_exits_0(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["activities"][2]["name"] = "奥数"
    code, out = run("validate", str(write_folder(tmp_path / "w", tables)), "--lang", "zh")
    assert code == 0
    assert "警告" in out and "activities.csv 第4行" in out


def test_validate_error_exits_2_and_names_file_row_column(broken_folder: Path) -> None:
    code, out = run("validate", str(broken_folder), "--lang", "en")
    assert code == 2
    assert "students.csv row 3, column 'days'" in out and "Funday" in out
    assert "cannot be planned" in out


def test_validate_json(broken_folder: Path) -> None:
    code, out = run("validate", str(broken_folder), "--json")
    assert code == 2
    report = json.loads(out)
    assert report["ok"] is False and report["errors"] == 1 and report["warnings"] == 1
    error = next(f for f in report["findings"] if f["severity"] == "error")
    assert (error["file"], error["row"], error["column"], error["value"]) == ("students.csv", 3, "days", "Funday")
    assert report["summary"]["students"]["3"] == {"pending": 1}


def test_validate_missing_path_exits_2(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from cluster_planner.cli import main; main()", "validate", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "nope" in completed.stderr and "Traceback" not in completed.stderr


def test_validate_entry_point_exit_codes(tiny_folder: Path, broken_folder: Path) -> None:
    """The installed command maps findings to exit codes 0 and 2 (FORMAT.md)."""
    exe = Path(sys.executable).parent / "cluster-planner"
    if not exe.exists():
        pytest.skip("entry point not installed")
    ok = subprocess.run([exe, "validate", tiny_folder], capture_output=True, text=True, check=False)
    bad = subprocess.run([exe, "validate", broken_folder, "--lang", "en"], capture_output=True, text=True, check=False)
    assert (ok.returncode, bad.returncode) == (0, 2)
    assert "students.csv row 3, column 'days'" in bad.stdout


# ---- template ------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_loads_back_clean(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "sub" / "template.xlsx"
    code, _ = run("template", str(out), "--lang", lang)
    assert code == 0
    result = read_scenario(out)
    assert result.findings == []
    assert len(result.scenario.students) == 1 and len(result.scenario.changes) == 1
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_template_zh_has_chinese_sheets_headers_and_drop_downs(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    run("template", str(out), "--lang", "zh")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["学校", "时段", "班级", "学生", "活动", "教职工", "场地", "值班", "锁定", "变动"]
    assert [c.value for c in book["学生"][1]][:4] == ["学号", "姓名", "性别", "班级编号"]
    lists = {dv.formula1 for dv in book["时段"].data_validations.dataValidation}
    assert '"周一,周二,周三,周四,周五,周六,周日"' in lists


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_drop_down_word_is_accepted(tmp_path: Path, lang: str) -> None:
    """Each word a drop-down offers loads (the template's vocabulary matches the parsers)."""
    from cluster_planner.io.template import _examples

    examples = _examples(lang)
    for (key, column), vocabulary in DROP_DOWNS.items():
        for word in CHOICES[lang][vocabulary]:
            tables = {k: [{c: "" if v is None else str(v) for c, v in row.items()}] for k, row in examples.items()}
            tables[key][0][column] = word
            folder = write_folder(tmp_path / f"{key}-{column}-{word}", tables)
            errors = [f for f in read_scenario(folder).findings if f.is_error and f.column == column]
            assert errors == [], (key, column, word)


def test_template_refuses_a_folder(tmp_path: Path) -> None:
    code, _ = run("template", str(tmp_path))
    assert code != 0


# ---- schema --------------------------------------------------------------------------------
def test_schema_command_writes_every_schema(tmp_path: Path) -> None:
    code, _ = run("schema", str(tmp_path / "models"))
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "models").iterdir())
    assert "scenario.schema.json" in names and "plan.schema.json" in names
    scenario = json.loads((tmp_path / "models" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert set(scenario["properties"]) >= {"school", "timeslots", "students", "changes"}


def test_models_folder_has_no_drift() -> None:
    """models/ must equal what the code generates; run `make schema` after changing a model."""
    committed = REPO / "models"
    for name, schema in all_schemas().items():
        path = committed / name
        assert path.exists(), f"models/{name} missing: run `make schema`"
        assert path.read_text(encoding="utf-8") == schema_text(schema), f"models/{name} is stale: run `make schema`"


def test_loaded_scenario_matches_its_schema(tiny_folder: Path) -> None:
    """A loaded scenario dumps to JSON whose top-level keys the schema names."""
    schema = all_schemas()["scenario.schema.json"]
    data = json.loads(load_scenario(tiny_folder).model_dump_json())
    assert set(data) <= set(schema["properties"])
