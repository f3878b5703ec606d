"""The mid-term pages: enter changes, preview the re-solve, commit it as a version, the history.

Routes only read input, call the library (through :mod:`.changes`, :mod:`.history` and the job
machinery) and render. A preview is a re-solve job in its own process writing into its job folder;
nothing becomes a version until the user commits it (:meth:`Jobs.commit_preview`, the same
commit path as a term-start plan).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from cluster_planner.i18n import register, t
from cluster_planner.report.html import table as html_table
from cluster_planner.web import auth, changes, history, uploads
from cluster_planner.web.jobs import AlreadyRunning, Jobs, Stale
from cluster_planner.web.store import DONE, RUNNING, Row, Store

register(
    {
        "web.midterm.title": ("学期中变动", "Mid-term changes"),
        "web.midterm.on": ("在方案 v{number} 上录入变动", "Changes to plan v{number}"),
        "web.midterm.not_latest": (
            "变动只能录入到最新的方案（v{number}）。",
            "Changes can only be made to the newest plan (v{number}).",
        ),
        "web.midterm.open_latest": ("打开最新方案", "Open the newest plan"),
        "web.midterm.date": ("生效日期", "Effective from"),
        "web.midterm.author": ("录入人", "Entered by"),
        "web.midterm.default_author": ("教务处", "Academic office"),
        "web.midterm.rows": ("变动（每行一项；空行不计）", "Changes (one a row; empty rows are ignored)"),
        "web.midterm.col_action": ("变动", "Change"),
        "web.midterm.col_id": ("编号（学生、教职工或场地）", "Id (student, staff or room)"),
        "web.midterm.col_name": ("姓名（新加入）", "Name (joining)"),
        "web.midterm.col_class": ("班级编号（新加入）", "Class id (joining)"),
        "web.midterm.col_days": ("参加日（如 Mon Tue，空白为全部）", "Days (e.g. Mon Tue; blank: all)"),
        "web.midterm.col_until": ("截止日（请假、关闭）", "Until (leave, closure)"),
        "web.midterm.preview": ("预览变动", "Preview"),
        "web.midterm.upload": (
            "或上传变动文件 changes.csv（列见 docs/format.md）",
            "Or upload a changes file changes.csv (columns as in docs/format.md)",
        ),
        "web.midterm.upload_button": ("上传并预览", "Upload and preview"),
        "web.midterm.previews": ("最近的预览", "Recent previews"),
        "web.action.join": ("新加入", "join"),
        "web.action.exit": ("退出", "exit"),
        "web.action.change": ("变更参加日等", "change (days …)"),
        "web.action.staff_leave": ("教职工请假", "staff leave"),
        "web.action.staff_return": ("教职工销假", "staff return"),
        "web.action.room_closed": ("场地关闭", "room closed"),
        "web.action.room_open": ("场地恢复", "room open"),
        "web.preview.title": ("变动预览 #{id}", "Preview #{id}"),
        "web.preview.base": ("基于方案 v{number}", "Changes to plan v{number}"),
        "web.preview.entered": (
            "{author} 录入于 {when}（来自 {client}），生效日期 {on}",
            "entered by {author} on {when} (from {client}), effective {on}",
        ),
        "web.preview.changes": ("录入的变动", "Changes entered"),
        "web.preview.bad": (
            "变动有错误，未预览。请改正后重新录入或上传。",
            "The changes have errors and were not previewed. Correct them and enter or upload again.",
        ),
        "web.preview.not_started": (
            "预览尚未开始（当时本校有一个排课正在进行）。",
            "The preview has not started (a solve was running for this school).",
        ),
        "web.preview.start": ("开始预览", "Start the preview"),
        "web.preview.running": ("正在按变动重排，完成后显示结果……", "Re-solving with the changes…"),
        "web.preview.failed": ("预览失败：{message}", "The preview failed: {message}"),
        "web.preview.figures": ("变动概况", "In figures"),
        "web.preview.notices": ("变动通知（将受影响的学生和教职工）", "Who would be notified"),
        "web.preview.no_moves": ("没有人需要调整。", "Nobody moves."),
        "web.preview.unplaced": ("未安排的学生及原因", "Unplaced students and why"),
        "web.preview.nothing_saved": (
            "这只是预览：确认之前不会保存任何方案。",
            "This is a preview: nothing is saved until you commit it.",
        ),
        "web.preview.commit": ("确认并保存为新版本", "Commit as a new version"),
        "web.preview.committed": ("已保存为方案 v{number}", "Committed as plan v{number}"),
        "web.preview.stale.committed": ("这个预览已经保存过。", "This preview was committed already."),
        "web.preview.stale.not_ready": ("这个预览还没有完成。", "This preview has not finished."),
        "web.preview.stale.outdated": (
            "方案已有更新的版本，这个预览已过时。请在最新方案上重新录入。",
            "A newer plan version exists; this preview is out of date. Enter the changes on the newest plan.",
        ),
        "web.history.title": ("方案版本历史", "Plan history"),
        "web.history.version": ("版本", "Version"),
        "web.history.created": ("保存时间", "Saved"),
        "web.history.valid_from": ("生效日期", "Valid from"),
        "web.history.what": ("变动", "What changed"),
        "web.history.who": ("录入人", "Entered by"),
        "web.history.by": ("{author}（{client}，{when}）", "{author} ({client}, {when})"),
        "web.history.term_start": ("学期初方案", "term-start plan"),
        "web.history.moves": (
            "加入 {joined}，退出 {left}，本人变更 {changed}，被调整 {moved}，教职工 {staff}",
            "joined {joined}, left {left}, changed {changed}, moved {moved}, staff {staff}",
        ),
        "web.history.compare": ("比较两个版本", "Compare two versions"),
        "web.history.from": ("从", "From"),
        "web.history.to": ("到", "to"),
        "web.history.show": ("显示差别", "Show the differences"),
        "web.history.notices": ("变动通知", "Notices"),
        "web.diff.title": ("方案 v{old} → v{new} 的差别", "Plan v{old} → v{new}: what differs"),
        "web.diff.none": ("两个版本没有差别。", "The two versions do not differ."),
        "web.notices.title": ("方案 v{number} 变动通知", "Plan v{number}: change notices"),
        "web.notices.none": (
            "这是学期初方案，没有变动通知。",
            "This is a term-start plan: no change notices.",
        ),
    }
)

RESOLVE_TIME_LIMIT = 60.0  # seconds of a preview's re-solve (cp.resolve's default)


@dataclass(frozen=True)
class Context:
    """What the mid-term routes share with the app: the store, the jobs and the app's helpers."""

    data: Path
    store: Store
    jobs: Jobs
    page: Callable[..., HTMLResponse]
    busy: Callable[[Request, AlreadyRunning], HTMLResponse]
    lang_of: Callable[[Request], str]
    school_or_404: Callable[[int], Row]
    version_or_404: Callable[[int], tuple[Row, str]]


def install(app: FastAPI, c: Context) -> None:
    """Add the mid-term routes to ``app``."""
    store, jobs, page, busy = c.store, c.jobs, c.page, c.busy

    def newest_or_409(request: Request, version: Row) -> HTMLResponse | None:
        latest = store.latest_version(version.school_id)
        if latest is not None and latest.id == version.id:
            return None
        lang = c.lang_of(request)
        return page(
            request,
            "error.html",
            status_code=409,
            message=t("web.midterm.not_latest", lang, number=latest.number if latest else ""),
            back=f"/versions/{latest.id}/changes" if latest else "/",
            back_words=t("web.midterm.open_latest", lang),
        )

    def received(
        request: Request, version: Row, entered: changes.Entered, source: str, on: str, author: str
    ) -> Response:
        """Record the entered changes (who, from where) and start their preview when they read well."""
        lang = c.lang_of(request)
        reader = auth.reader_of(request)
        author = (reader.name if reader and reader.name else author.strip()[:100]) or t(
            "web.midterm.default_author", lang
        )
        client = request.client.host if request.client else ""
        preview_id = store.add_preview(
            version, author, client, source, on, entered.text or "", uploads.finding_rows(entered.findings)
        )
        if entered.ok:
            # a solve running already: the preview page says it has not started and offers to start it
            with contextlib.suppress(AlreadyRunning):
                jobs.start_resolve(store.preview(preview_id), version.folder, RESOLVE_TIME_LIMIT, lang)
        return RedirectResponse(f"/previews/{preview_id}", status_code=303)

    @app.get("/versions/{version_id}/changes", response_class=HTMLResponse, dependencies=auth.OFFICE_ONLY)
    def changes_form(request: Request, version_id: int) -> HTMLResponse:
        version, folder = c.version_or_404(version_id)
        refused = newest_or_409(request, version)
        if refused is not None:
            return refused
        school = c.school_or_404(version.school_id)
        plan = history.plan_of(folder)
        return page(
            request,
            "changes.html",
            version=version,
            school=school,
            day=_default_day(plan),
            rows=range(changes.FORM_ROWS),
            actions=changes.ACTIONS,
            previews=store.previews(school.id)[:10],
        )

    @app.post("/versions/{version_id}/changes")
    async def enter_changes(request: Request, version_id: int) -> Response:
        version, folder = c.version_or_404(version_id)
        refused = newest_or_409(request, version)
        if refused is not None:
            return refused
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        on = _day_or_none(form.get("date", ""))
        entered = changes.from_form(form, on.isoformat() if on else str(form.get("date", ""))[:20])
        entered = await run_in_threadpool(changes.check, entered, folder, on)
        return received(request, version, entered, "form", on.isoformat() if on else "", form.get("author", ""))

    @app.post("/versions/{version_id}/changes/upload")
    async def upload_changes(
        request: Request,
        version_id: int,
        file: Annotated[UploadFile | None, File()] = None,
        author: Annotated[str, Form()] = "",
    ) -> Response:
        version, folder = c.version_or_404(version_id)
        refused = newest_or_409(request, version)
        if refused is not None:
            return refused
        declared = int(request.headers.get("content-length") or 0)
        too_big = declared > changes.MAX_CHANGES + 64 * 1024  # refused unread
        content = b"" if file is None or too_big else await file.read(changes.MAX_CHANGES + 1)
        filename = Path((file.filename if file is not None else "") or "").name
        entered = changes.from_upload(content, filename, declared if too_big else len(content))
        entered = await run_in_threadpool(changes.check, entered, folder, None, filename or "changes.csv")
        return received(request, version, entered, filename or "changes.csv", "", author)

    def preview_or_404(preview_id: int) -> Row:
        preview = store.preview(preview_id)
        if preview is None:
            raise HTTPException(404)
        return preview

    @app.get("/previews/{preview_id}", response_class=HTMLResponse, dependencies=auth.OFFICE_ONLY)
    async def preview_page(request: Request, preview_id: int) -> HTMLResponse:
        preview = preview_or_404(preview_id)
        lang = c.lang_of(request)
        jobs.refresh()
        job = store.job(preview.job_id) if preview.job_id else None
        base, _ = c.version_or_404(preview.version_id)
        committed = store.version(preview.committed_version) if preview.committed_version else None
        context: dict[str, Any] = {}
        if job is not None and job.status == DONE and committed is None:
            folder = str(c.data / job.folder / "plan")
            outcome = await run_in_threadpool(history.outcome, folder, lang)
            context.update(
                figures=outcome.counts,
                notices=Markup(html_table(outcome.notices, lang, "sortable")) if not outcome.notices.empty else None,
                unplaced=Markup(html_table(outcome.unplaced, lang, "sortable")) if not outcome.unplaced.empty else None,
            )
        return page(
            request,
            "preview.html",
            preview=preview,
            school=c.school_or_404(preview.school_id),
            base=base,
            job=job,
            committed=committed,
            running=RUNNING,
            done=DONE,
            entered=history.change_rows(preview.changes, lang) if preview.changes else [],
            findings=_findings(preview.findings, lang),
            **context,
        )

    @app.post("/previews/{preview_id}/start")
    def start_preview(request: Request, preview_id: int) -> Response:
        preview = preview_or_404(preview_id)
        if preview.job_id is None and not any(f["severity"] == "error" for f in json.loads(preview.findings)):
            base, _ = c.version_or_404(preview.version_id)
            try:
                jobs.start_resolve(preview, base.folder, RESOLVE_TIME_LIMIT, c.lang_of(request))
            except AlreadyRunning as running:
                return busy(request, running)
        return RedirectResponse(f"/previews/{preview_id}", status_code=303)

    @app.post("/previews/{preview_id}/commit")
    def commit_preview(request: Request, preview_id: int) -> Response:
        preview = preview_or_404(preview_id)
        try:
            version_id = jobs.commit_preview(preview)
        except Stale as stale:
            return page(
                request,
                "error.html",
                status_code=409,
                message=t(f"web.preview.stale.{stale.reason}", c.lang_of(request)),
                back=f"/previews/{preview_id}",
            )
        return RedirectResponse(f"/versions/{version_id}/notices", status_code=303)

    @app.get("/schools/{school_id}/history", response_class=HTMLResponse)
    async def history_page(request: Request, school_id: int) -> HTMLResponse:
        school = c.school_or_404(school_id)
        lang = c.lang_of(request)
        entries = await run_in_threadpool(history.timeline, store, school_id, lang)
        return page(request, "history.html", school=school, entries=entries)

    @app.get("/schools/{school_id}/diff", response_class=HTMLResponse)
    async def diff_page(request: Request, school_id: int, old: int, new: int) -> HTMLResponse:
        school = c.school_or_404(school_id)
        (before, old_folder), (after, new_folder) = c.version_or_404(old), c.version_or_404(new)
        if before.school_id != school_id or after.school_id != school_id:
            raise HTTPException(404)
        lang = c.lang_of(request)
        found, frame = await run_in_threadpool(history.diff, old_folder, new_folder, lang, auth.masked(request))
        body = Markup(html_table(frame, lang, "sortable")) if not frame.empty else None
        return page(
            request,
            "diff.html",
            school=school,
            before=before,
            after=after,
            body=body,
            figures=history.move_counts(found, lang) if body else [],
        )

    @app.get("/versions/{version_id}/notices", response_class=HTMLResponse)
    async def notices(request: Request, version_id: int) -> HTMLResponse:
        version, folder = c.version_or_404(version_id)
        lang = c.lang_of(request)
        outcome = await run_in_threadpool(history.outcome, folder, lang, auth.masked(request))
        body = Markup(html_table(outcome.notices, lang)) if not outcome.notices.empty else None
        return page(
            request,
            "notices.html",
            version=version,
            school=c.school_or_404(version.school_id),
            kinds=("group", "staff", "room", "class"),
            title=t("web.notices.title", lang, number=version.number),
            body=body,
            figures=outcome.counts,
        )


def _day_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _default_day(plan: Any) -> str:
    """Today, within the term and not before the plan holds from."""
    school = plan.require_scenario().school
    start = max(filter(None, (school.term_start, _day_or_none(plan.meta.valid_from or ""))))
    today = date.today()
    return max(start, min(today, school.term_end or today)).isoformat()


def _findings(text: str, lang: str) -> list[dict[str, Any]]:
    """Stored findings in the reader's language."""
    rows = json.loads(text or "[]")
    for row in rows:
        said = row.get("words", {}).get(lang, {})
        row["message"] = said.get("message", row.get("message", ""))
        row["expected"] = said.get("expected", row.get("expected", ""))
        row["severity_words"] = t(f"finding.{row['severity']}", lang)
    return rows
