"""The login page and logging out (accounts are made with ``cluster-planner user add``)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from cluster_planner.i18n import register
from cluster_planner.web import auth
from cluster_planner.web.accounts import Accounts
from cluster_planner.web.throttle import LoginThrottle

register(
    {
        "web.login.title": ("登录", "Log in"),
        "web.login.name": ("账户名", "Account name"),
        "web.login.password": ("密码", "Password"),
        "web.login.button": ("登录", "Log in"),
        "web.login.failed": ("账户名或密码不对。", "Wrong account name or password."),
        "web.login.wait": (
            "密码错误次数太多，请 {seconds} 秒后再试。",
            "Too many wrong passwords: try again in {seconds} seconds.",
        ),
        "web.login.hint": (
            "账户由教务处在服务器上用 cluster-planner user add 添加。",
            "Accounts are added by the office on the server with cluster-planner user add.",
        ),
        "web.login.who": ("{name}（{role}）", "{name} ({role})"),
        "web.logout": ("退出登录", "Log out"),
        "web.role.office": ("教务处", "office"),
        "web.role.viewer": ("只读", "read only"),
    }
)


def install(
    app: FastAPI, page: Callable[..., HTMLResponse], accounts: Accounts, throttle: LoginThrottle | None = None
) -> None:
    """Add ``GET/POST /login`` and ``POST /logout`` to ``app``; wrong passwords are throttled."""
    throttle = throttle or LoginThrottle()
    app.state.login_throttle = throttle

    @app.get(auth.LOGIN, response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> Response:
        if auth.reader_of(request) is not None:  # logged in already, or no login in use
            return RedirectResponse(auth.safe_next(next), status_code=303)
        return page(request, "login.html", next=auth.safe_next(next), failed=False, account="")

    @app.post(auth.LOGIN)
    async def log_in(
        request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")
    ) -> Response:
        keys = throttle.keys(name, request.client.host if request.client else "")
        wait = throttle.wait(keys)
        if wait:  # checked before the password: a locked guesser learns nothing
            locked = page(request, "login.html", status_code=429, next=auth.safe_next(next), wait=wait, account=name)
            locked.headers["Retry-After"] = str(wait)
            return locked
        user = await run_in_threadpool(accounts.check, name, password)
        if user is None:
            throttle.failed(keys)
            return page(request, "login.html", status_code=401, next=auth.safe_next(next), failed=True, account=name)
        throttle.succeeded(keys)
        auth.log_in(request, user.id)
        return RedirectResponse(auth.safe_next(next), status_code=303)

    @app.post(auth.LOGOUT)
    def log_out(request: Request) -> Response:
        auth.log_out(request)
        return RedirectResponse(auth.LOGIN, status_code=303)
