"""The web app: routes read input, call the library, render a template. No planning here.

``create_app(data)`` builds the app around one data folder (SQLite store, uploads, jobs, plans).
Every page speaks the ``lang`` cookie (Chinese by default). A bug becomes a short page with a log
reference; bad input becomes findings or a plain message, never a traceback.
"""

from __future__ import annotations

import io
import tempfile
import threading
import traceback
import uuid
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from cluster_planner.i18n import LANGS, t
from cluster_planner.report.html import table as html_table
from cluster_planner.web import auth, events, login, midterm, uploads, views, whatif
from cluster_planner.web import words as _template_words  # noqa: F401  (the templates' catalogue)
from cluster_planner.web.accounts import Accounts
from cluster_planner.web.jobs import AlreadyRunning, Jobs
from cluster_planner.web.store import RUNNING, Row, Store

HERE = Path(__file__).parent
KINDS = ("group", "staff", "room", "class")
FLAT = {"rain": "rain_plan", "duties": "duty_roster", "pay": "pay", "unplaced": "unplaced"}
DOWNLOADS = {
    "report.xlsx": "web.download.report_xlsx",
    "report.html": "web.download.report_html",
    "report-public.xlsx": "web.download.public_xlsx",
    "report-public.html": "web.download.public_html",
    "attendance.xlsx": "web.download.attendance",
    "plan.zip": "web.download.zip",
}
VIEWER_DOWNLOADS = ("report-public.xlsx", "report-public.html", "attendance.xlsx")
"""What a viewer may download: nothing with a parent's name or a whole phone number."""
DEFAULT_TIME_LIMIT = 120.0
WATCH_SECONDS = 0.3


def lang_of(request: Request) -> str:
    lang = request.cookies.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def create_app(data: Path, host: str = auth.LOCAL) -> FastAPI:
    """The app around ``data`` (created if missing); jobs left running by an earlier server are marked interrupted.

    ``host``: the address it will be served on; any but this computer's needs a login (:mod:`.auth`), as does
    any address once an account exists. ``app.state.closing`` set ends every open progress stream (the server
    is stopping).
    """
    store = Store(Path(data))
    accounts = Accounts(store)
    jobs = Jobs(store)
    stop = threading.Event()
    closing = threading.Event()

    def watch() -> None:
        while not stop.wait(WATCH_SECONDS):
            jobs.refresh()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        watcher = threading.Thread(target=watch, name="watch-jobs", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            closing.set()
            jobs.stop_all()

    app = FastAPI(
        lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(auth.guard)]
    )
    app.state.store, app.state.jobs, app.state.closing, app.state.accounts = store, jobs, closing, accounts
    app.add_middleware(auth.LoginGate, accounts=accounts, open_without_accounts=auth.is_local(host))
    app.add_middleware(  # outside the gate: the gate reads the session
        SessionMiddleware,
        secret_key=auth.session_key(store.data),
        session_cookie=auth.SESSION_COOKIE,
        max_age=auth.SESSION_SECONDS,
        same_site="lax",
        https_only=False,  # plain http: a Secure cookie would never come back
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)
        context.update(lang=lang, _=lambda key, **p: t(key, lang, **p), path=request.url.path)
        reader = auth.reader_of(request)
        context.update(
            reader=reader, can_edit=reader is not None and reader.office, csrf_token=auth.csrf_token(request)
        )
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def busy(request: Request, running: AlreadyRunning) -> HTMLResponse:
        """One solve per school: the page saying one runs, with the way to it."""
        lang = lang_of(request)
        return page(
            request,
            "error.html",
            status_code=409,
            message=t("web.plan.running", lang),
            back=f"/jobs/{running.job_id}",
            back_words=t("web.plan.see_running", lang),
        )

    def school_or_404(school_id: int) -> Row:
        school = store.school(school_id)
        if school is None:
            raise HTTPException(404)
        return school

    def version_or_404(version_id: int) -> tuple[Row, str]:
        version = store.version(version_id)
        if version is None:
            raise HTTPException(404)
        return version, str(data / version.folder)

    def look(request: Request, version_id: int, name: str, **context: Any) -> HTMLResponse:
        version, _ = version_or_404(version_id)
        school = school_or_404(version.school_id)
        return page(request, name, version=version, school=school, kinds=KINDS, **context)

    # ---- errors -------------------------------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        lang = lang_of(request)
        message = t("web.error.not_found", lang) if exc.status_code == 404 else str(exc.detail)
        if isinstance(exc, auth.Refused):
            message = t(exc.key, lang)
        return page(request, "error.html", status_code=exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        message = t("web.error.bad_request", lang_of(request), detail=fields)
        return page(request, "error.html", status_code=400, message=message)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        ref = uuid.uuid4().hex[:8]
        log = data / "logs" / "errors.log"
        log.parent.mkdir(exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {ref} {datetime.now().isoformat(timespec='seconds')} {request.url.path}\n")
            out.write(traceback.format_exc() + "\n")
        message = t("web.error.internal", lang_of(request), ref=ref, log=log)
        return page(request, "error.html", status_code=500, message=message)

    # ---- home, language, template ------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", schools=store.schools())

    @app.get("/lang/{lang}")
    def set_lang(lang: str, next: str = "/") -> Response:
        if lang not in LANGS:
            raise HTTPException(404)
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie("lang", lang, max_age=10 * 365 * 24 * 3600, samesite="lax")
        return response

    @app.get("/template.xlsx")
    def template(request: Request) -> Response:
        from cluster_planner.io.template import write_template

        path = write_template(Path(tempfile.mkdtemp(prefix="template-")) / "template.xlsx", lang_of(request))
        return FileResponse(path, filename="cluster-planner-template.xlsx")

    @app.post("/schools")
    def add_school(request: Request, name: str = Form("")) -> Response:
        school_id = store.add_school(name.strip()[:100] or t("web.school.unnamed", lang_of(request)))
        return RedirectResponse(f"/schools/{school_id}", status_code=303)

    # ---- new term: upload and findings ------------------------------------------------------------
    @app.get("/schools/{school_id}", response_class=HTMLResponse)
    def school_page(request: Request, school_id: int) -> HTMLResponse:
        school = school_or_404(school_id)
        draft = store.upload(school.draft_id) if school.draft_id else None
        return page(
            request,
            "school.html",
            school=school,
            draft=draft,
            findings=_findings(draft, lang_of(request)),
            jobs=store.jobs(school_id),
            versions=store.versions(school_id),
            time_limit=DEFAULT_TIME_LIMIT,
        )

    @app.post("/schools/{school_id}/upload")
    async def upload(request: Request, school_id: int, file: Annotated[UploadFile | None, File()] = None) -> Response:
        school_or_404(school_id)
        declared = int(request.headers.get("content-length") or 0)
        too_big = declared > uploads.MAX_UPLOAD + 64 * 1024  # refused unread (the form's own bytes allowed)
        content = b"" if file is None or too_big else await file.read(uploads.MAX_UPLOAD + 1)
        size = declared if too_big else len(content)
        filename = (file.filename if file is not None else "") or ""
        received = await run_in_threadpool(
            uploads.receive, content, filename, data / "uploads" / f"school-{school_id}", size
        )
        scenario = str(received.scenario.relative_to(data)) if received.scenario else None
        store.add_upload(
            school_id,
            Path(filename).name,
            str(received.folder.relative_to(data)),
            scenario,
            uploads.finding_rows(received.findings),
        )
        return RedirectResponse(f"/schools/{school_id}#findings", status_code=303)

    # ---- plan: start, progress, cancel ----------------------------------------------------------------
    @app.post("/schools/{school_id}/solve")
    def solve(request: Request, school_id: int, time_limit: float = Form(DEFAULT_TIME_LIMIT)) -> Response:
        school = school_or_404(school_id)
        lang = lang_of(request)
        draft = store.upload(school.draft_id) if school.draft_id else None
        if draft is None or not draft.ok:
            message = t("web.plan.no_draft" if draft is None else "web.plan.blocked", lang)
            return page(request, "error.html", status_code=409, message=message, back=f"/schools/{school_id}")
        try:
            job_id = jobs.start(school_id, draft, max(1.0, min(time_limit, 3600.0)), lang)
        except AlreadyRunning as running:
            return busy(request, running)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    def job_state(job_id: int) -> dict[str, Any]:
        jobs.refresh()
        job = store.job(job_id)
        if job is None:
            raise HTTPException(404)
        rows = jobs.progress(job_id)
        last = rows[-1] if rows else {}
        scored = [r for r in rows if r.get("objective") is not None]
        best = scored[-1] if scored else {}
        version = store.version_of_job(job_id)
        return {
            "id": job_id,
            "status": job.status,
            "stage": last.get("stage", ""),
            "elapsed": last.get("elapsed", 0.0),
            "objective": best.get("objective"),
            "bound": best.get("bound"),
            "gap": best.get("gap"),
            "lines": [r.get("text", "") for r in rows[-15:]],
            "message": job.message or "",
            "version": version.id if version else None,
            "version_number": version.number if version else None,
        }

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, dependencies=auth.OFFICE_ONLY)
    def job_page(request: Request, job_id: int) -> HTMLResponse:
        state = job_state(job_id)
        job = store.job(job_id)
        whatif = store.whatif_of_job(job_id)  # a what-if's job: its outcome is on the what-if's page
        return page(request, "job.html", job=job, state=state, school=school_or_404(job.school_id), whatif=whatif)

    def shown_state(job_id: int, lang: str) -> dict[str, Any]:
        """The job's state with its status (and version link) in words, as the page shows it."""
        state = job_state(job_id)
        state["status_words"] = t(f"web.status.{state['status']}", lang)
        if state["version_number"]:
            state["version_words"] = t("web.job.open_version", lang, number=state["version_number"])
        return state

    @app.get("/jobs/{job_id}/progress", dependencies=auth.OFFICE_ONLY)
    def job_progress(request: Request, job_id: int) -> JSONResponse:
        return JSONResponse(shown_state(job_id, lang_of(request)))

    @app.get("/jobs/{job_id}/events", dependencies=auth.OFFICE_ONLY)
    async def job_events(request: Request, job_id: int) -> StreamingResponse:
        lang = lang_of(request)
        await run_in_threadpool(job_state, job_id)  # an unknown job is a 404 before the stream starts
        stream = events.progress_events(request, lambda: shown_state(job_id, lang), closing)
        return StreamingResponse(stream, media_type="text/event-stream", headers=events.HEADERS)

    @app.post("/jobs/{job_id}/cancel")
    def cancel(job_id: int) -> Response:
        job = store.job(job_id)
        if job is None:
            raise HTTPException(404)
        if job.status == RUNNING:
            jobs.cancel(job_id)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    # ---- look -------------------------------------------------------------------------------------------
    @app.get("/versions/{version_id}", response_class=HTMLResponse)
    def version_summary(request: Request, version_id: int) -> HTMLResponse:
        from cluster_planner.report.html import chart_section

        _, folder = version_or_404(version_id)
        lang = lang_of(request)

        def summary(_: object) -> str:  # the charts take a quarter of a second: drawn once per plan and language
            tables = views.tables_of(folder, lang)
            return html_table(tables.summary, lang) + html_table(tables.choices_by_grade, lang) + chart_section(tables)

        body = views.built(folder, ("summary", lang), summary)
        return look(request, version_id, "look.html", title=t("web.look.summary", lang), body=Markup(body))

    @app.get("/versions/{version_id}/timetables/{kind}", response_class=HTMLResponse)
    def timetables(request: Request, version_id: int, kind: str, id: str = "") -> HTMLResponse:
        if kind not in KINDS:
            raise HTTPException(404)
        _, folder = version_or_404(version_id)
        lang = lang_of(request)
        options = views.choices(folder, kind, lang)
        key = id or (options[0][0] if options else "")
        blocks = views.timetable_blocks(folder, kind, key, lang, auth.masked(request)) if key else []
        if blocks is None:
            raise HTTPException(404)
        css = "grid" if kind != "group" else ""
        body = "".join(_block_html(b, lang, css if b.title or kind != "group" else "") for b in blocks)
        return look(
            request,
            version_id,
            "timetable.html",
            kind=kind,
            options=options,
            key=key,
            body=Markup(body),
            title=t(f"web.look.{kind}", lang),
        )

    @app.get("/versions/{version_id}/rosters", response_class=HTMLResponse)
    def rosters(request: Request, version_id: int) -> HTMLResponse:
        _, folder = version_or_404(version_id)
        lang = lang_of(request)
        masked = auth.masked(request)
        rosters = views.tables_of(folder, lang, masked).rosters
        body = views.built(  # every roster: 0.3 s for nine-year-3000, made once per plan, language and masking
            folder,
            ("rosters", lang, "masked" if masked else "full"),
            lambda _: "".join(_block_html(views.block(df), lang) for df in rosters.values()),
        )
        return look(request, version_id, "look.html", title=t("web.look.rosters", lang), body=Markup(body))

    @app.get("/versions/{version_id}/table/{name}", response_class=HTMLResponse)
    def flat_table(request: Request, version_id: int, name: str) -> HTMLResponse:
        if name not in FLAT:
            raise HTTPException(404)
        _, folder = version_or_404(version_id)
        lang = lang_of(request)
        df = getattr(views.tables_of(folder, lang), FLAT[name])
        body = html_table(df, lang, "sortable")
        return look(request, version_id, "look.html", title=t(f"web.look.{name}", lang), body=Markup(body))

    @app.get("/versions/{version_id}/search", response_class=HTMLResponse)
    def search(request: Request, version_id: int, q: str = "") -> HTMLResponse:
        _, folder = version_or_404(version_id)
        students, staff = views.search(folder, q[:100])
        return look(
            request,
            version_id,
            "search.html",
            title=t("web.look.search", lang_of(request)),
            q=q,
            students=students,
            staff=staff,
        )

    @app.get("/versions/{version_id}/students/{student_id}", response_class=HTMLResponse)
    async def student(request: Request, version_id: int, student_id: str, explain: bool = False) -> HTMLResponse:
        _, folder = version_or_404(version_id)
        lang = lang_of(request)
        person = views.scenario_of(folder).student_by_id.get(student_id)
        if person is None:
            raise HTTPException(404)
        places = html_table(views.student_places(folder, student_id, lang), lang)
        lines = await run_in_threadpool(views.explain_student, folder, student_id, lang) if explain else []
        return look(
            request,
            version_id,
            "student.html",
            title=t("web.student.title", lang, name=person.name, id=student_id),
            person=person,
            places=Markup(places),
            lines=lines,
            explained=explain,
        )

    @app.get("/versions/{version_id}/fix", response_class=HTMLResponse)
    async def fix(request: Request, version_id: int) -> HTMLResponse:
        _, folder = version_or_404(version_id)
        lang = lang_of(request)
        lines = await run_in_threadpool(views.what_would_fix, folder, lang)
        return look(request, version_id, "lines.html", title=t("web.look.fix", lang), lines=lines)

    login.install(app, page, accounts)
    midterm.install(
        app, midterm.Context(data, store, jobs, page, busy, lang_of, school_or_404, version_or_404)
    )  # changes, previews, history
    whatif.install(
        app, midterm.Context(data, store, jobs, page, busy, lang_of, school_or_404, version_or_404)
    )  # what-ifs: a version with edited rules, solved, side by side; promoted before the term begins

    # ---- download -------------------------------------------------------------------------------------------
    @app.get("/versions/{version_id}/download/{name}")
    def download(request: Request, version_id: int, name: str) -> Response:
        if name not in DOWNLOADS:
            raise HTTPException(404)
        if auth.masked(request) and name not in VIEWER_DOWNLOADS:
            raise auth.Refused("web.auth.no_download")
        version, folder = version_or_404(version_id)
        stem = f"plan-v{version.number}"
        if name == "plan.zip":
            return Response(
                _zipped(Path(folder), stem),
                media_type="application/zip",
                headers={"Content-Disposition": f'attachment; filename="{stem}.zip"'},
            )
        if name == "attendance.xlsx":
            path = views.attendance_workbook(folder, lang_of(request))
        else:
            path = Path(folder) / name
            if not path.is_file():
                raise HTTPException(404)
        return FileResponse(path, filename=f"{stem}-{name}")

    return app


def _findings(draft: Row | None, lang: str) -> list[dict[str, Any]]:
    """A draft's findings in the reader's language."""
    if draft is None:
        return []
    import json

    rows = json.loads(draft.findings)
    for row in rows:
        said = row.get("words", {}).get(lang, {})
        row["message"] = said.get("message", row.get("message", ""))
        row["expected"] = said.get("expected", row.get("expected", ""))
        row["severity_words"] = t(f"finding.{row['severity']}", lang)
    return rows


def _block_html(b: views.Block, lang: str, css: str = "") -> str:
    from cluster_planner.report.html import esc, facts

    title = f"<h3>{esc(b.title)}</h3>" if b.title else ""
    return f'<article class="block">{title}{facts(b.facts)}{html_table(b.frame, lang, css)}</article>'


def _zipped(folder: Path, stem: str) -> bytes:
    """The plan folder as a zip (every file under ``stem/``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{stem}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()
