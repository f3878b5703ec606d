"""The what-if pages: copy a version with edited rules, solve it, see it beside the plan, maybe promote it.

Routes only read input, call the library (through :mod:`.whatif_edits`, :mod:`.side_by_side` and the
job machinery) and render. A what-if is a solve job in its own process writing into its job folder
(its progress is the job's event stream); it never becomes a version by itself. Before the term has
begun (no re-solved version yet) it may be promoted to be the plan: a new version, numbered in the
same transaction that records who promoted it and when (:meth:`Jobs.promote_whatif`). Once a re-solved
version exists it stays a comparison.

Every form of these pages opens through one macro, ``post_form`` in ``whatif_forms.html``.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from cluster_planner.domain import StaffKind
from cluster_planner.i18n import register, t
from cluster_planner.vocabulary import word
from cluster_planner.web import auth, uploads, whatif_edits
from cluster_planner.web.jobs import AlreadyRunning, Stale
from cluster_planner.web.midterm import Context
from cluster_planner.web.midterm import _findings as findings_in
from cluster_planner.web.side_by_side import side_by_side
from cluster_planner.web.store import CANCELLED, DONE, FAILED, INTERRUPTED, RUNNING, Row
from cluster_planner.web.views import scenario_of
from cluster_planner.web.worker import PLAN

register(
    {
        "web.whatif.title": ("假设方案", "What-if"),
        "web.whatif.on": ("在方案 v{number} 的基础上修改规则并重新排课", "Plan v{number} copied with edited rules"),
        "web.whatif.intro": (
            "复制方案 v{number} 的数据，按下面的修改重新排课，与现行方案并排比较。现行方案不会改变。",
            "Plan v{number}'s data is copied, edited as below and solved afresh, then shown beside the plan. "
            "The plan itself does not change.",
        ),
        "web.whatif.rules": ("规则", "Rules"),
        "web.whatif.hire": ("新聘教职工", "Hire staff"),
        "web.whatif.col_name": ("姓名", "Name"),
        "web.whatif.col_kind": ("类别", "Kind"),
        "web.whatif.col_skills": ("技能（如 football care，空格分隔）", "Skills (e.g. football care)"),
        "web.whatif.col_available": (
            "可用时段（日或时段编号，如 Mon Tue；空白为全部）",
            "Available (days or slot ids, e.g. Mon Tue; blank: always)",
        ),
        "web.whatif.col_check": ("已通过背景审查", "Background checked"),
        "web.whatif.remove": ("减少教职工（可多选）", "Remove staff (choose one or more)"),
        "web.whatif.scale": ("报名人数", "Applications"),
        "web.whatif.scale_grade": ("年级", "Grade"),
        "web.whatif.scale_none": ("不变", "unchanged"),
        "web.whatif.scale_all": ("全部年级", "every grade"),
        "web.whatif.scale_factor": (
            "倍数（如 1.2：按抽签复制两成学生；0.8：抽签去掉两成）",
            "Factor (e.g. 1.2: a lottery copies one in five; 0.8: drops one in five)",
        ),
        "web.whatif.author": ("提出人", "Asked for by"),
        "web.whatif.solve": ("按修改排课并比较", "Solve and compare"),
        "web.whatif.earlier": ("本校的假设方案", "This school's what-ifs"),
        "web.whatif.item": ("假设方案 #{id}", "What-if #{id}"),
        "web.whatif.base": ("基于方案 v{number}", "copied from plan v{number}"),
        "web.whatif.asked": (
            "{author} 提出于 {when}（来自 {client}）",
            "asked for by {author} on {when} (from {client})",
        ),
        "web.whatif.edits": ("修改", "Edits"),
        "web.whatif.bad": (
            "修改有错误，未排课。请改正后重新提交。",
            "The edits have errors and were not solved. Correct them and try again.",
        ),
        "web.whatif.not_started": (
            "尚未开始排课（当时本校有一个排课正在进行）。",
            "The solve has not started (a solve was running for this school).",
        ),
        "web.whatif.start": ("开始排课", "Start the solve"),
        "web.whatif.again": ("重新排课", "Solve it again"),
        "web.whatif.running": ("正在按修改排课，完成后显示比较……", "Solving with the edits…"),
        "web.whatif.failed": ("排课失败：{message}", "The solve failed: {message}"),
        "web.whatif.compare": ("并排比较", "Side by side"),
        "web.whatif.charts": ("各方案的图表", "Each plan's charts"),
        "web.whatif.col_base": ("现行方案 v{number}", "plan v{number}"),
        "web.whatif.col_whatif": ("假设 #{id}", "what-if #{id}"),
        "web.whatif.promote_title": ("采用为方案", "Make it the plan"),
        "web.whatif.promote_note": (
            "学期尚未开始（还没有按变动重排的版本），可以把这个假设方案采用为新的方案版本。",
            "The term has not begun (no re-solved version yet): this what-if may become the plan as a new version.",
        ),
        "web.whatif.promote_by": ("采用人", "Promoted by"),
        "web.whatif.promote": ("采用为新版本", "Make it the plan (a new version)"),
        "web.whatif.promoted": (
            "已由 {author} 于 {when} 采用为方案 v{number}",
            "Made plan v{number} by {author} on {when}",
        ),
        "web.whatif.refused.resolved": (
            "学期已经开始（已有按变动重排的版本），假设方案只能用来比较，不能采用为方案。",
            "The term has begun (a re-solved version exists): a what-if stays a comparison and cannot become the plan.",
        ),
        "web.whatif.refused.outdated": (
            "方案已有更新的版本，这个假设方案不能再采用。请在最新方案上重新做假设。",
            "A newer plan version exists; this what-if can no longer be promoted. Make it again from the newest plan.",
        ),
        "web.whatif.refused.promoted": ("这个假设方案已经采用过。", "This what-if was promoted already."),
        "web.whatif.refused.not_ready": ("这个假设方案还没有排完。", "This what-if has not finished solving."),
        "web.history.whatif": ("采用假设方案 #{id}", "what-if #{id} promoted"),
    }
)

ENDED_WITHOUT_PLAN = (CANCELLED, FAILED, INTERRUPTED)  # a what-if's solve that ended so may be started again
TIME_LIMIT = 120.0  # seconds of a what-if's solve when the form gives none (the term-start default)


def install(app: FastAPI, c: Context) -> None:
    """Add the what-if routes to ``app``."""
    store, jobs, page = c.store, c.jobs, c.page

    def whatif_or_404(whatif_id: int) -> Row:
        whatif = store.whatif(whatif_id)
        if whatif is None:
            raise HTTPException(404)
        return whatif

    def who(request: Request, given: str) -> tuple[str, str]:
        reader = auth.reader_of(request)
        author = (reader.name if reader and reader.name else given.strip()[:100]) or t(
            "web.midterm.default_author", c.lang_of(request)
        )
        return author, request.client.host if request.client else ""

    @app.get("/versions/{version_id}/whatif", response_class=HTMLResponse, dependencies=auth.OFFICE_ONLY)
    async def whatif_form(request: Request, version_id: int) -> HTMLResponse:
        version, folder = c.version_or_404(version_id)
        lang = c.lang_of(request)
        scenario = await run_in_threadpool(scenario_of, folder)
        return page(
            request,
            "whatif_form.html",
            version=version,
            school=c.school_or_404(version.school_id),
            kinds=("group", "staff", "room", "class"),
            rules=scenario.school.rules,
            staff=scenario.staff,
            grades=sorted({k.grade for k in scenario.classes}),
            staff_kinds=[(k.value, word("staff_kind", k.value, lang)) for k in StaffKind],
            hire_rows=range(whatif_edits.HIRE_ROWS),
            time_limit=_base_time_limit(store.job(version.job_id)),
            earlier=[(w, whatif_edits.describe(json.loads(w.edits), lang)) for w in store.whatifs(version.school_id)],
        )

    @app.post("/versions/{version_id}/whatif")
    async def make_whatif(request: Request, version_id: int) -> Response:
        version, folder = c.version_or_404(version_id)
        lang = c.lang_of(request)
        form = await request.form()

        def read() -> tuple[dict[str, Any], list]:
            base = scenario_of(folder)
            edits, findings = whatif_edits.from_form(lambda name: [str(v) for v in form.getlist(name)], base)
            return edits, findings or whatif_edits.check(base, edits)

        edits, findings = await run_in_threadpool(read)
        author, client = who(request, str(form.get("author", "")))
        whatif_id = store.add_whatif(
            version, author, client, json.dumps(edits, ensure_ascii=False), uploads.finding_rows(findings)
        )
        if not any(f.is_error for f in findings):
            # a solve running already: the what-if's page says it has not started and offers to start it
            with contextlib.suppress(AlreadyRunning):
                jobs.start_whatif(store.whatif(whatif_id), version.folder, _time_limit(form.get("time_limit")), lang)
        return RedirectResponse(f"/whatifs/{whatif_id}", status_code=303)

    def plan_folder(whatif: Row, job: Row | None) -> str | None:
        """Where the what-if's plan is: its version's folder once promoted, else its job's ``plan/``."""
        if whatif.promoted_version:
            version = store.version(whatif.promoted_version)
            return str(c.data / version.folder) if version else None
        if job is None or job.status != DONE:
            return None
        for folder in (c.data / job.folder / PLAN, c.data / "plans" / f"school-{job.school_id}-job-{job.id}"):
            if (folder / "plan.json").is_file():  # the second: a promotion a crash cut short
                return str(folder)
        return None

    @app.get("/whatifs/{whatif_id}", response_class=HTMLResponse, dependencies=auth.OFFICE_ONLY)
    async def whatif_page(request: Request, whatif_id: int) -> HTMLResponse:
        whatif = whatif_or_404(whatif_id)
        lang = c.lang_of(request)
        jobs.refresh()
        job = store.job(whatif.job_id) if whatif.job_id else None
        base, base_folder = c.version_or_404(whatif.version_id)
        folder = plan_folder(whatif, job)
        context: dict[str, Any] = {}
        if folder is not None:
            names = (t("web.whatif.col_base", lang, number=base.number), t("web.whatif.col_whatif", lang, id=whatif.id))
            shown = await run_in_threadpool(side_by_side, (names[0], base_folder), (names[1], folder), lang)
            context.update(
                figures=Markup(shown.figures),
                chart=Markup(shown.chart),
                charts=[(name, Markup(html)) for name, html in shown.charts],
            )
        refused = jobs.refusal(whatif)
        return page(
            request,
            "whatif.html",
            whatif=whatif,
            school=c.school_or_404(whatif.school_id),
            base=base,
            job=job,
            promoted=store.version(whatif.promoted_version) if whatif.promoted_version else None,
            refused=refused.reason if refused is not None else None,
            running=RUNNING,
            done=DONE,
            edits=whatif_edits.describe(json.loads(whatif.edits), lang),
            findings=findings_in(whatif.findings, lang),
            **context,
        )

    @app.post("/whatifs/{whatif_id}/start")
    async def start_whatif(request: Request, whatif_id: int) -> Response:
        whatif = whatif_or_404(whatif_id)
        job = store.job(whatif.job_id) if whatif.job_id else None
        again = job is None or job.status in ENDED_WITHOUT_PLAN  # not started, or cancelled, failed, interrupted
        if again and not any(f["severity"] == "error" for f in json.loads(whatif.findings)):
            base, _ = c.version_or_404(whatif.version_id)
            form = await request.form()
            try:
                jobs.start_whatif(whatif, base.folder, _time_limit(form.get("time_limit")), c.lang_of(request))
            except AlreadyRunning as running:
                return c.busy(request, running)
        return RedirectResponse(f"/whatifs/{whatif_id}", status_code=303)

    @app.post("/whatifs/{whatif_id}/promote")
    async def promote(request: Request, whatif_id: int) -> Response:
        whatif = whatif_or_404(whatif_id)
        form = await request.form()
        author, client = who(request, str(form.get("author", "")))
        try:
            version_id = await run_in_threadpool(jobs.promote_whatif, whatif, author, client)
        except Stale as refused:
            return page(
                request,
                "error.html",
                status_code=409,
                message=t(f"web.whatif.refused.{refused.reason}", c.lang_of(request)),
                back=f"/whatifs/{whatif_id}",
            )
        return RedirectResponse(f"/versions/{version_id}", status_code=303)


def _time_limit(value: Any) -> float:
    """The form's time limit in seconds, within 1 s … 1 h (the default when missing or not a number)."""
    try:
        seconds = float(str(value))
    except ValueError:
        return TIME_LIMIT
    return max(1.0, min(seconds, 3600.0)) if seconds == seconds else TIME_LIMIT


def _base_time_limit(job: Row | None) -> float:
    """The form's first offer: as long as the version's own solve was given."""
    return float(job.time_limit) if job is not None and job.time_limit else TIME_LIMIT
