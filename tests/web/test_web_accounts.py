"""Issue 16 item 3 (accounts for the office's network), over HTTP: on another address than 127.0.0.1 no page or
download without a login; a viewer sees no whole phone number or parent name and reaches no edit route; every
unsafe request needs the session's CSRF token; session cookies are HttpOnly, SameSite=Lax and expire.

One school (demo-small planned, then a join and an exit committed as version 2 by the office account) serves the
module, on 127.0.0.2: an address of this machine's loopback that the app does not count as 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_helpers import (
    JOIN_EXIT,
    OFFICE,
    OTHER_HOST,
    VIEWER,
    add_user,
    client_on,
    families,
    log_in,
    personal_data,
    routes,
    urls,
)
from fastapi.testclient import TestClient
from web_helpers import csrf_of

from cluster_planner.cli import main
from cluster_planner.web import auth
from cluster_planner.web.store import Store

OFFICE_WORDS = "只有教务处账户"
CSRF_WORDS = "这个表单已过期或不是从本站打开的"


@pytest.fixture(scope="module")
def school(accounts_school: Path) -> Path:
    return accounts_school


@pytest.fixture(scope="module")
def viewer(school: Path) -> Iterator[TestClient]:
    with client_on(school) as client:
        yield log_in(client, *VIEWER)


@pytest.fixture(scope="module")
def office(school: Path) -> Iterator[TestClient]:
    with client_on(school) as client:
        yield log_in(client, *OFFICE)


def _to_login(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_issue16_no_page_or_download_without_login_on_another_host(school: Path) -> None:
    """Every route of the app, GET or POST, and any other address sends a stranger to the login page."""
    stranger = client_on(school)
    asked = 0
    for route in routes(stranger):
        if route.path in (auth.LOGIN, auth.LOGOUT) or route.path.startswith("/lang/"):
            continue
        for url in urls(route):
            for method in route.methods:
                response = stranger.request(method, url)
                assert _to_login(response), (method, url, response.status_code)
                assert "育才小学" not in response.text and "S10101" not in response.text
                asked += 1
    assert asked >= 30  # every download name, look page, job and mid-term route
    assert _to_login(stranger.get("/no/such/page"))
    assert stranger.get("/static/app.css").status_code == 200  # the login page's style
    page = stranger.get("/login?next=%2Fversions%2F2")
    assert page.status_code == 200 and 'id="login-form"' in page.text and 'value="/versions/2"' in page.text


def test_issue16_login_page_speaks_the_school_language_and_refuses_a_wrong_password(school: Path) -> None:
    stranger = client_on(school)
    page = stranger.get("/login").text
    assert "<h1>登录</h1>" in page and "账户名" in page and "密码" in page
    token = csrf_of(page)
    for name, password in ((OFFICE[0], "wrong-password"), ("无此人", OFFICE[1])):
        refused = stranger.post("/login", data={"name": name, "password": password, "csrf_token": token})
        assert refused.status_code == 401 and "账户名或密码不对。" in refused.text
        assert _to_login(stranger.get("/"))
    stranger.cookies.set("lang", "en")
    assert "<h1>Log in</h1>" in stranger.get("/login").text


def test_wrong_passwords_lock_the_login_for_a_minute_then_it_opens(school: Path) -> None:
    """Five wrong passwords: the sixth try waits (429, Retry-After, in the school's words) even with the right
    password, and no session is made; a minute later the right password logs in and clears the count."""
    stranger = client_on(school)
    now = [1000.0]
    stranger.app.state.login_throttle.clock = lambda: now[0]
    token = csrf_of(stranger.get("/login").text)

    def attempt(password: str):  # type: ignore[no-untyped-def]
        return stranger.post("/login", data={"name": OFFICE[0], "password": password, "csrf_token": token})

    assert [attempt(f"guess-{k}").status_code for k in range(5)] == [401] * 5
    locked = attempt(OFFICE[1])
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 60
    assert "密码错误次数太多，请 60 秒后再试。" in locked.text and _to_login(stranger.get("/"))
    now[0] += 30
    assert attempt(OFFICE[1]).status_code == 429  # still locked: 30 s left
    now[0] += 31
    assert attempt(OFFICE[1]).status_code == 303 and stranger.get("/").status_code == 200
    stranger.cookies.clear()  # a new visit: the count started again from nothing at the login
    token = csrf_of(stranger.get("/login").text)
    assert [attempt(f"again-{k}").status_code for k in range(4)] == [401] * 4


def test_four_wrong_passwords_do_not_lock_the_login(school: Path) -> None:
    stranger = client_on(school)
    token = csrf_of(stranger.get("/login").text)
    for k in range(4):
        wrong = stranger.post("/login", data={"name": OFFICE[0], "password": f"guess-{k}", "csrf_token": token})
        assert wrong.status_code == 401
    right = stranger.post("/login", data={"name": OFFICE[0], "password": OFFICE[1], "csrf_token": token})
    assert right.status_code == 303


def test_issue16_login_required_on_127_0_0_1_once_an_account_exists(school: Path, client: TestClient) -> None:
    """On this computer: no login while there is no account (as before issue 16), a login once one exists."""
    assert _to_login(client_on(school, "127.0.0.1").get("/"))
    open_page = client.get("/")
    assert open_page.status_code == 200 and "育才小学" in open_page.text and 'id="logout"' not in open_page.text


def test_issue16_the_login_goes_back_where_it_was_asked_and_stays_on_this_site(school: Path) -> None:
    for asked, landed in (("/versions/2/rosters", "/versions/2/rosters"), ("//evil.example/x", "/")):
        stranger = client_on(school)
        token = csrf_of(stranger.get("/login").text)
        response = stranger.post(
            "/login", data={"name": VIEWER[0], "password": VIEWER[1], "csrf_token": token, "next": asked}
        )
        assert response.status_code == 303 and response.headers["location"] == landed


def test_issue16_office_sees_everything_and_logs_out(school: Path, office: TestClient) -> None:
    phones, names = families()
    rosters = office.get("/versions/2/rosters")
    assert rosters.status_code == 200 and personal_data(rosters.text, phones, names)  # the office's rosters: whole
    assert office.get("/versions/2/download/report.xlsx").status_code == 200
    page = office.get("/versions/2").text
    assert OFFICE[0] in page and 'id="nav-changes"' in page and 'id="dl-report-xlsx"' in page
    with client_on(school) as leaving:
        log_in(leaving, *OFFICE)
        assert leaving.post("/logout").headers["location"] == "/login"
        assert _to_login(leaving.get("/"))


def test_issue16_changes_are_recorded_under_the_account_name(school: Path) -> None:
    assert Store(school).preview(1).author == OFFICE[0]


def _forms_posting(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]*)"', page)


def test_issue16_viewer_sees_no_phone_no_parent_and_no_edit_route(viewer: TestClient) -> None:
    """Every GET route as a viewer: refused with a page in words, or shown without a whole phone number or a
    parent's name and with no form that edits (only the logout)."""
    phones, names = families()
    shown, refused = set(), set()
    for route in routes(viewer):
        if "GET" not in route.methods or route.path in (auth.LOGIN,) or route.path.startswith("/lang/"):
            continue
        if route.path.endswith("/fix"):
            continue  # "what would fix it" lists resources (its 20 s explanation is left out here)
        for url in urls(route):
            response = viewer.get(url)
            assert response.status_code in (200, 403), (url, response.status_code)
            if response.status_code == 403:
                assert OFFICE_WORDS in response.text or "查看账户只能下载公开版" in response.text, url
                refused.add(url)
                continue
            shown.add(url)
            assert not personal_data(response.text, phones, names), (url, personal_data(response.text, phones, names))
            assert set(_forms_posting(response.text)) <= {"/logout"}, url
    assert {"/versions/2/rosters", "/versions/2/notices", "/schools/1/diff?old=1&new=2"} <= shown
    assert {"/versions/2/download/report-public.html", "/versions/2/download/attendance.xlsx"} <= shown
    assert "/versions/2/timetables/group" in shown and "/versions/2/students/S10101" in shown
    assert {"/versions/2/changes", "/previews/1", "/jobs/1", "/jobs/1/progress", "/jobs/1/events"} <= refused
    assert {f"/versions/2/download/{n}" for n in ("report.xlsx", "report.html", "plan.zip")} <= refused
    notices = viewer.get("/versions/2/notices").text
    assert "新同学" in notices and "****" in notices  # the notices are there, the phones masked
    for button in ("add-school", "upload-button", "solve-button", "nav-changes", "changes-link", "dl-report-xlsx"):
        assert (
            f'id="{button}"'
            not in viewer.get("/schools/1").text + viewer.get("/versions/2").text + viewer.get("/").text
        )


def test_issue16_viewer_post_to_every_edit_route_refused(school: Path, viewer: TestClient) -> None:
    """Each unsafe route, with the viewer's valid CSRF token: 403 with the page in words, and nothing changes."""
    store = Store(school)
    before = (len(store.schools()), len(store.previews(1)), len(store.versions(1)), len(store.jobs(1)))
    asked = 0
    for route in routes(viewer):
        if route.path in (auth.LOGIN, auth.LOGOUT):
            continue
        for method in route.methods & auth.UNSAFE:
            for url in urls(route):
                response = viewer.request(method, url, data={"name": "x", "time_limit": "5", **JOIN_EXIT})
                assert response.status_code == 403 and OFFICE_WORDS in response.text, (url, response.status_code)
                asked += 1
    assert asked >= 8
    assert (len(store.schools()), len(store.previews(1)), len(store.versions(1)), len(store.jobs(1))) == before


def test_issue16_post_without_the_csrf_token_refused_with_it_accepted(client: TestClient) -> None:
    """The office's own app on 127.0.0.1 (no account): a form without its token does nothing."""
    store: Store = client.app.state.store
    token = client.headers.pop("X-CSRF-Token")
    refused = client.post("/schools", data={"name": "伪造小学"})
    assert refused.status_code == 403 and CSRF_WORDS in refused.text and "<html" in refused.text
    assert client.post("/schools", data={"name": "伪造小学", "csrf_token": "not-the-token"}).status_code == 403
    stranger = TestClient(client.app)  # another session's token is not this one's
    assert stranger.post("/schools", data={"name": "伪造小学", "csrf_token": token}).status_code == 403
    assert [s.name for s in store.schools()] == ["育才小学"]
    assert client.post("/schools", data={"name": "表单小学", "csrf_token": token}).status_code == 200  # the field
    assert client.post("/schools", data={"name": "脚本小学"}, headers={"X-CSRF-Token": token}).status_code == 200
    upload = client.post(
        "/schools/3/upload", data={"csrf_token": token}, files={"file": ("x.zip", b"PK\x03\x04", "application/zip")}
    )
    assert upload.status_code == 200 and "x.zip" in upload.text  # a multipart form carries it too
    assert [s.name for s in store.schools()] == ["育才小学", "表单小学", "脚本小学"]


def test_issue16_every_unsafe_route_checks_the_csrf_token(client: TestClient) -> None:
    """Each POST/PUT/PATCH/DELETE route of the app, the ones added later included, refuses a request without it."""
    client.headers.pop("X-CSRF-Token")
    asked = 0
    for route in routes(client):
        for method in route.methods & auth.UNSAFE:
            response = client.request(method, urls(route)[0], data={"name": "x", "time_limit": "5"})
            assert response.status_code == 403 and CSRF_WORDS in response.text, (route.path, response.status_code)
            asked += 1
    assert asked >= 10


def test_issue16_every_post_form_renders_the_csrf_field() -> None:
    """The one helper: a template's POST form holds ``{% include "csrf.html" %}`` (checked on every template)."""
    templates = Path(auth.__file__).parent / "templates"
    for path in templates.glob("*.html"):
        for form in re.findall(r'<form method="post".*?</form>', path.read_text(encoding="utf-8"), flags=re.S):
            assert '{% include "csrf.html" %}' in form, (path.name, form[:80])


def test_issue16_session_cookie_is_httponly_lax_signed_and_expires(
    school: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = client_on(school)
    token = csrf_of(reader.get("/login").text)
    response = reader.post("/login", data={"name": VIEWER[0], "password": VIEWER[1], "csrf_token": token})
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(auth.SESSION_COOKIE + "=")
    flags = [f.strip().lower() for f in set_cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and f"max-age={auth.SESSION_SECONDS}" in flags
    assert "secure" not in flags  # plain http: a Secure cookie would never come back
    assert reader.get("/").status_code == 200
    value = reader.cookies.get(auth.SESSION_COOKIE)
    forged = client_on(school)
    forged.cookies.set(auth.SESSION_COOKIE, value[:-3] + ("BBB" if value.endswith("AAA") else "AAA"))
    assert _to_login(forged.get("/"))  # a cookie changed by hand is no session
    later = auth.clock() + auth.SESSION_SECONDS + 60
    monkeypatch.setattr(auth, "clock", lambda: later)  # the server's clock only: the client still sends the cookie
    assert _to_login(reader.get("/"))  # a working day later: log in again


def test_issue16_a_removed_account_is_logged_out(school: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(school, "代课老师", "viewer", "temporary-1", monkeypatch)
    with client_on(school) as reader:
        log_in(reader, "代课老师", "temporary-1")
        assert reader.get("/").status_code == 200
        with pytest.raises(SystemExit) as done:
            main(["user", "remove", "代课老师", "--data", str(school)])
        assert done.value.code == 0
        assert _to_login(reader.get("/"))


def test_issue16_serve_on_another_host_with_an_account_asks_for_a_login(
    school: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``serve --host`` with an account starts (on that address), and its app asks for a login."""
    import cluster_planner.web.server as server

    started = {}
    monkeypatch.setattr(server, "serve", lambda app, port, host: started.update(app=app, port=port, host=host) or True)
    with pytest.raises(SystemExit) as done:
        main(["serve", "--host", OTHER_HOST, "--port", "8123", "--data", str(school)])
    assert done.value.code == 0, capsys.readouterr().err
    assert started["host"] == OTHER_HOST and started["port"] == 8123
    assert "需要登录" in capsys.readouterr().out
    assert _to_login(TestClient(started["app"], follow_redirects=False).get("/"))
