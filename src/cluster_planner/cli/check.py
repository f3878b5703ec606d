"""``cluster-planner check SCENARIO PLAN_DIR``: does the plan keep every rule? (issue #3)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cluster_planner.check import check_plan, exit_code
from cluster_planner.errors import ScenarioError
from cluster_planner.i18n import t


@click.command(name="check")
@click.argument("scenario", type=click.Path(exists=True, path_type=Path))
@click.argument("plan_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the messages (default: the school's)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the violations as JSON.")
def command(scenario: Path, plan_dir: Path, lang: str | None, as_json: bool) -> None:
    """Check PLAN_DIR against SCENARIO from the rules alone.

    Exit 1 if the plan breaks a rule, 2 if PLAN_DIR cannot be read as a plan (a plan file or a
    required column missing) or SCENARIO is bad.
    """
    from cluster_planner.cli.language import school_language
    from cluster_planner.io import loader  # imported late: the loader is heavy and optional here

    try:
        school_scenario = loader.load_scenario(scenario)
    except ScenarioError as exc:
        for finding in exc.findings:
            click.echo(finding.render(lang or school_language(scenario) or "zh"), err=True)
        raise click.exceptions.Exit(2) from exc
    words = lang or school_scenario.school.language
    violations = check_plan(school_scenario, plan_dir)
    if as_json:
        data = {"ok": not violations, "violations": [v.to_dict(words) for v in violations]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for violation in violations:
            click.echo(violation.message(words))
        code = exit_code(violations)
        summary = {0: "check.none", 1: "check.summary", 2: "check.unreadable"}[code]
        click.echo(t(summary, words, n=len(violations)))
    if violations:
        raise click.exceptions.Exit(exit_code(violations))
