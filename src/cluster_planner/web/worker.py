"""A solve job in its own process: ``python -m cluster_planner.web.worker JOB_DIR``.

The job folder holds ``job.json`` (what to solve, written by the server). The worker appends
each progress line to ``progress.jsonl``, writes the plan folder ``plan/`` (atomically, as
``cp.save`` does) and last ``result.json``. It never touches the store: only the server turns
a finished job into a plan version. When the server goes away (even by ``kill -9``) the worker
stops too, so no orphan solve runs on.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cluster_planner.i18n import register, t

register(
    {
        "web.stage.loading": ("读取数据", "reading the data"),
        "web.stage.resolving": ("按变动重排", "re-solving with the changes"),
        "web.stage.whatif": ("按修改后的规则排课", "solving with the edited rules"),
        "web.stage.saving": ("写入方案和报表", "writing the plan and reports"),
        "web.stage.done": ("完成", "done"),
    }
)

PLAN = "plan"
PROGRESS = "progress.jsonl"
RESULT = "result.json"
JOB = "job.json"
CHANGES = "changes.csv"
RESOLVE = "resolve"  # job.json "kind" of a mid-term preview (else a term-start solve)
WHATIF = "whatif"  # job.json "kind" of a what-if: a version's scenario with edits, solved afresh

# The solver's progress line (cluster_planner.solver.progress, either language):
# "[stage]  12.3s objective 355005 bound 354683 gap 0.09%".
_LINE = re.compile(
    r"^\[(?P<stage>[^\]]+)\]\s+(?P<elapsed>[\d.]+)s\s+\S+\s+(?P<objective>-?[\d.]+)\s+\S+\s+"
    r"(?P<bound>-?[\d.]+)\s+\S+\s+(?P<gap>-?[\d.]+)%"
)
_STAGE = re.compile(r"^\[(?P<stage>[^\]]+)\]\s*(?P<rest>.*)$")


def parse_line(line: str) -> dict[str, Any]:
    """Stage, objective, bound and gap of one progress line (what it does not say is None)."""
    match = _LINE.match(line.strip())
    if match:
        return {
            "stage": match["stage"].strip(),
            "objective": float(match["objective"]),
            "bound": float(match["bound"]),
            "gap": float(match["gap"]) / 100,
        }
    match = _STAGE.match(line.strip())
    stage = match["stage"].strip() if match else ""
    return {"stage": stage, "objective": None, "bound": None, "gap": None}


def write_json(path: Path, value: Any) -> None:
    """Write JSON atomically (a temporary file moved into place)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class ProgressLog:
    """Appends one JSON object per progress event; elapsed is the whole job's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.monotonic()

    def add(self, line: str, stage: str | None = None) -> None:
        entry = parse_line(line) if stage is None else {"stage": stage, "objective": None, "bound": None, "gap": None}
        entry.update(elapsed=round(time.monotonic() - self.started, 1), text=line)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            out.flush()


def watch_parent(poll: float = 0.5) -> None:
    """Exit at once when the server that started this process is gone (its parent changes)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, name="watch-server", daemon=True).start()


def run(job_dir: Path) -> int:
    """Solve the job's scenario and write ``plan/`` and ``result.json``; 0 when a plan was written."""
    import cluster_planner.api as cp

    spec = json.loads((job_dir / JOB).read_text(encoding="utf-8"))
    lang = spec.get("lang", "zh")
    log = ProgressLog(job_dir / PROGRESS)
    log.add(t("web.stage.loading", lang), stage=t("web.stage.loading", lang))
    if spec.get("kind") == RESOLVE:
        return resolve(job_dir, spec, lang, log)
    if spec.get("kind") == WHATIF:
        return whatif(job_dir, spec, lang, log)
    try:
        scenario = cp.load(spec["scenario"])
    except Exception as exc:  # bad data reached a job: say so, write no plan
        write_json(job_dir / RESULT, {"status": "failed", "message": str(exc)[:500]})
        return 2
    plan = cp.solve(scenario, time_limit=float(spec["time_limit"]), seed=spec.get("seed"), progress=log.add, lang=lang)
    log.add(t("web.stage.saving", lang), stage=t("web.stage.saving", lang))
    cp.save(plan, job_dir / PLAN, public=True, lang=lang)
    log.add(t("web.stage.done", lang), stage=t("web.stage.done", lang))
    write_json(job_dir / RESULT, {"status": "done"})
    return 0


def resolve(job_dir: Path, spec: dict[str, Any], lang: str, log: ProgressLog) -> int:
    """Re-solve the earlier plan with the job's changes (``cp.resolve``) and save it with its reports."""
    from datetime import date

    import cluster_planner.api as cp
    from cluster_planner.errors import PlannerError

    changes = job_dir / CHANGES
    changes.write_text(spec["changes"], encoding="utf-8")
    log.add(t("web.stage.resolving", lang), stage=t("web.stage.resolving", lang))
    try:
        plan = cp.resolve(
            spec["plan"],
            changes,
            on=date.fromisoformat(spec["on"]) if spec.get("on") else None,
            time_limit=float(spec["time_limit"]),
            lang=lang,
            reports=False,
        )
    except PlannerError as exc:  # changes the plan cannot take (checked before, but the data may have moved on)
        write_json(job_dir / RESULT, {"status": "failed", "message": exc.words(lang)[:2000]})
        return 2
    log.add(t("web.stage.saving", lang), stage=t("web.stage.saving", lang))
    cp.save(plan, job_dir / PLAN, public=True, lang=lang)
    log.add(t("web.stage.done", lang), stage=t("web.stage.done", lang))
    write_json(job_dir / RESULT, {"status": "done"})
    return 0


def whatif(job_dir: Path, spec: dict[str, Any], lang: str, log: ProgressLog) -> int:
    """Solve the scenario of an earlier plan with the job's edits (:mod:`.whatif_edits`) and save it."""
    import cluster_planner.api as cp
    from cluster_planner.errors import PlannerError
    from cluster_planner.web import whatif_edits

    try:
        scenario = whatif_edits.apply(cp.load_plan(spec["plan"]).require_scenario(), spec["edits"])
    except PlannerError as exc:  # edits the scenario cannot take (checked before the job started)
        write_json(job_dir / RESULT, {"status": "failed", "message": exc.words(lang)[:2000]})
        return 2
    log.add(t("web.stage.whatif", lang), stage=t("web.stage.whatif", lang))
    plan = cp.solve(scenario, time_limit=float(spec["time_limit"]), progress=log.add, lang=lang)
    log.add(t("web.stage.saving", lang), stage=t("web.stage.saving", lang))
    cp.save(plan, job_dir / PLAN, public=True, lang=lang)
    log.add(t("web.stage.done", lang), stage=t("web.stage.done", lang))
    write_json(job_dir / RESULT, {"status": "done"})
    return 0


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    watch_parent()
    sys.exit(run(Path(args[0])))


if __name__ == "__main__":
    main()
