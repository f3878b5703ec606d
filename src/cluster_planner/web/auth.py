"""Who reads the web app, and what they may do: login, signed sessions, roles and the CSRF token.

- **When a login is needed.** Served on another address than this computer's (``--host`` not
  127.0.0.1/localhost), always; on 127.0.0.1, as soon as one account exists. Otherwise (127.0.0.1,
  no account) the app is open as it always was, with the office's rights.
- **Sessions** are Starlette's signed cookie (itsdangerous, a key kept in ``DATA/session.key``):
  HttpOnly, SameSite=Lax, ending :data:`SESSION_SECONDS` after the login. Not ``Secure``: the app
  speaks plain http, where a browser would never send a Secure cookie back.
- **Roles.** ``office`` may do everything; ``viewer`` reads plans with phones masked and no parent
  names (the ``--public`` rule) and is refused (403, a page in words) every unsafe method and every
  route marked :data:`OFFICE_ONLY`.
- **CSRF.** Every POST/PUT/PATCH/DELETE must carry the session's token, in the form field
  ``csrf_token`` or the ``X-CSRF-Token`` header; :func:`guard` checks it for every route of the
  app. A form gets the field by one line, ``{% include "csrf.html" %}``; Python code that builds a
  form (or a test) gets the token from :func:`csrf_token`.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from cluster_planner.i18n import register
from cluster_planner.web.accounts import OFFICE, VIEWER, Accounts

register(
    {
        "web.auth.office_only": (
            "只有教务处账户可以打开这个页面或做这项操作；你的账户只能查看。",
            "Only an office account may open this page or do this; your account may only look.",
        ),
        "web.auth.csrf": (
            "这个表单已过期或不是从本站打开的，未做任何改动。请返回，刷新页面后再提交。",
            "This form has expired or did not come from this site; nothing was changed. "
            "Go back, reload the page and send it again.",
        ),
        "web.auth.no_download": (
            "查看账户只能下载公开版（隐去个人信息）和考勤表。",
            "A viewer account may download the public copies (personal data masked) and the attendance sheets only.",
        ),
    }
)

LOCAL = "127.0.0.1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SESSION_COOKIE = "cluster_planner_session"
SESSION_SECONDS = 12 * 3600  # a working day: log in each morning
KEY_FILE = "session.key"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN, LOGOUT = "/login", "/logout"
OPEN_PREFIXES = ("/static/", "/lang/")
"""Reachable without a login besides the login and logout routes: the style, script and language switch."""


@dataclass(frozen=True)
class Reader:
    """Who reads a page: an account (``name``) or, with no login in use, the office on this computer."""

    name: str | None
    role: str

    @property
    def office(self) -> bool:
        return self.role == OFFICE

    @property
    def masked(self) -> bool:
        """Phones masked and parent names left out (the ``--public`` rule)."""
        return self.role == VIEWER


class Refused(StarletteHTTPException):
    """403 with a page saying why in words (the catalogue's ``key``)."""

    def __init__(self, key: str) -> None:
        super().__init__(403, key)
        self.key = key


def clock() -> float:
    """Seconds since the epoch (a test moves it on to see a session end)."""
    return time.time()


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


def session_key(data: Path) -> str:
    """The key that signs session cookies: made once per data folder, readable by its owner only.

    Deleting the file ends every session (everyone logs in again).
    """
    path = data / KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


def reader_of(request: Request) -> Reader | None:
    """The reader the login gate found (None: not logged in, or before the gate ran)."""
    return getattr(request.state, "reader", None)


def masked(request: Request) -> bool:
    """Whether this reader sees plans masked (a viewer)."""
    reader = reader_of(request)
    return reader is None or reader.masked


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use). Every form that POSTs renders it (``csrf.html``)."""
    if "session" not in request.scope:  # an error page drawn outside the session middleware
        return ""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def log_in(request: Request, user_id: int) -> None:
    """A fresh session for the account (a new token too: nothing of the anonymous session carries over)."""
    request.session.clear()
    request.session.update(user=user_id, since=int(clock()), csrf=secrets.token_urlsafe(32))


def log_out(request: Request) -> None:
    request.session.clear()


def safe_next(target: str) -> str:
    """A path on this site to go to after the login (anything else: the home page)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def check_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request whose token (form field or header) is not the session's."""
    expected = request.session.get("csrf") if "session" in request.scope else None
    sent: Any = request.headers.get(CSRF_HEADER)
    kind = request.headers.get("content-type", "")
    if not sent and kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        try:
            sent = (await request.form()).get(CSRF_FIELD)
        except Exception:  # an unreadable body carries no token
            sent = None
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise Refused("web.auth.csrf")


def require_office(request: Request) -> None:
    """Refuse (403) a reader who is not the office."""
    reader = reader_of(request)
    if reader is None or not reader.office:
        raise Refused("web.auth.office_only")


OFFICE_ONLY = [Depends(require_office)]
"""``dependencies=auth.OFFICE_ONLY`` on a GET route that edits or shows unmasked data."""


async def guard(request: Request) -> None:
    """Every route's check (an app-wide dependency): an unsafe method needs the CSRF token, then the office
    (except logging in and out)."""
    if request.method in UNSAFE:
        await check_csrf(request)
        if request.url.path not in (LOGIN, LOGOUT):
            require_office(request)


class LoginGate:
    """ASGI middleware inside the session middleware: finds the reader, sends strangers to the login page.

    ``open_without_accounts``: the app is served on this computer only, so with no account it needs no login.
    """

    def __init__(self, app: ASGIApp, accounts: Accounts, open_without_accounts: bool) -> None:
        self.app = app
        self.accounts = accounts
        self.open_without_accounts = open_without_accounts

    def reader(self, session: dict[str, Any]) -> Reader | None:
        if self.open_without_accounts and not self.accounts.any():
            return Reader(None, OFFICE)
        since, user_id = session.get("since"), session.get("user")
        if not isinstance(since, int) or not isinstance(user_id, int) or clock() - since > SESSION_SECONDS:
            return None
        user = self.accounts.by_id(user_id)
        return Reader(user.name, user.role) if user is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reader = self.reader(scope["session"])
        scope.setdefault("state", {})["reader"] = reader
        path = scope["path"]
        if reader is None and path not in (LOGIN, LOGOUT) and not path.startswith(OPEN_PREFIXES):
            query = scope.get("query_string", b"").decode("latin-1")
            target = path + (f"?{query}" if query else "")
            response = RedirectResponse(f"{LOGIN}?next={urllib.parse.quote(target, safe='')}", status_code=303)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
