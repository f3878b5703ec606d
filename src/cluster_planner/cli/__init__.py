"""The ``cluster-planner`` command line: a thin layer over the library.

Each sub-command lives in its own module and exposes ``command``. Errors the product
raises on purpose become messages and FORMAT.md exit codes; a bug becomes a short
message, exit 70, and a log file with the traceback.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import traceback
from pathlib import Path

import click

from cluster_planner.budget import Cancelled
from cluster_planner.cli import help_words, language
from cluster_planner.errors import PlannerError, ScenarioError
from cluster_planner.i18n import register, t

COMMAND_MODULES = (
    "validate",
    "template",
    "schema",
    "generate",
    "solve",
    "check",
    "report",
    "menu",
    "notices",
    "comply",
    "money",
    "lottery",
    "explain",
    "resolve",
    "diff",
    "history",
    "solve_district",
    "generate_district",
    "serve",
    "staff_record",
    "user",
)

register(
    {
        "cli.internal_error": (
            "内部错误（程序缺陷）：{error}。详细信息已写入 {log}，请附上此文件报告问题。",
            "internal error (a bug): {error}. Details are in {log}; please attach it to a bug report.",
        ),
        "cli.interrupted": ("已中断，未写入任何半成品。", "interrupted; nothing half-written was left."),
    }
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cluster-planner", message="%(prog)s %(version)s")
def cli() -> None:
    """Plan a school's after-school service (课后服务) for a term."""


for _name in COMMAND_MODULES:
    cli.add_command(importlib.import_module(f"cluster_planner.cli.{_name}").command)
help_words.apply(cli)
language.install_click_words()


def _lang() -> str:
    """--lang, else the school's language of a scenario or plan among the arguments, else Chinese."""
    return language.current()


def _message(exc: PlannerError) -> str:
    """An error in the command line's language (a scenario error: each finding on its line)."""
    if isinstance(exc, ScenarioError) and exc.findings:
        return "\n".join(f.render(_lang()) for f in exc.findings)
    return exc.words(_lang())


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and map errors to exit codes, in the language ``argv`` implies."""
    language.set_argv(argv)
    try:
        _main(argv)
    finally:
        language.set_argv(None)  # an in-process caller's next command reads its own arguments


def _main(argv: list[str] | None) -> None:
    code: object = 0
    try:
        # Non-standalone click returns the code of a ``click.exceptions.Exit`` a command raised.
        code = cli.main(args=argv, prog_name="cluster-planner", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("cli.interrupted", _lang()), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except PlannerError as exc:
        click.echo(_message(exc), err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, Cancelled):
        click.echo(t("cli.interrupted", _lang()), err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: short message, traceback to a log file
        log = Path(tempfile.gettempdir()) / "cluster-planner-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        click.echo(t("cli.internal_error", _lang(), error=f"{type(exc).__name__}: {exc}", log=log), err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
