"""Issue 16 item 3 in a real headless Chromium: the app served on another address than 127.0.0.1 (127.0.0.2, still
this machine's loopback) asks for a login; a viewer who logs in finds no whole phone number, no parent's name and no
edit button, and is told in words that an edit page is not theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_helpers import OTHER_HOST, VIEWER, families, personal_data
from playwright.sync_api import Page, expect
from web_helpers import served

from cluster_planner.web import create_app

EDIT_BUTTONS = ("#add-school", "#upload-button", "#solve-button", "#nav-changes", "#changes-link", "#dl-report-xlsx")


@pytest.fixture(scope="module")
def server(accounts_school: Path) -> Iterator[str]:
    """The school with accounts served as ``cluster-planner serve --host 127.0.0.2`` serves it."""
    with served(create_app(accounts_school, OTHER_HOST), OTHER_HOST) as (_, base):
        yield base


def _no_edit_button(page: Page) -> None:
    for button in EDIT_BUTTONS:
        expect(page.locator(button)).to_have_count(0)
    expect(page.locator("form[method=post]:not([action='/logout'])")).to_have_count(0)


def test_issue16_viewer_on_another_host_sees_no_phone_and_no_edit_button(server: str, page: Page) -> None:
    phones, names = families()
    page.goto(server + "/versions/2/rosters")
    expect(page.locator("h1")).to_have_text("登录")  # no page without a login
    page.fill("#login-name", VIEWER[0])
    page.fill("#login-password", VIEWER[1])
    page.click("#login-button")
    page.wait_for_url("**/versions/2/rosters")
    expect(page.locator("#who")).to_contain_text(VIEWER[0])
    expect(page.locator(".report table").first).to_be_visible()
    expect(page.locator(".report")).to_contain_text("****")  # the phones are there, masked
    for path in ("/versions/2/rosters", "/versions/2/notices", "/schools/1/diff?old=1&new=2", "/versions/2", "/"):
        page.goto(server + path)
        assert not personal_data(page.content(), phones, names), path
        _no_edit_button(page)
    page.goto(server + "/schools/1")
    expect(page.locator("#versions li")).to_have_count(2)
    _no_edit_button(page)
    page.goto(server + "/versions/2/changes")
    expect(page.locator("#error-message")).to_contain_text("只有教务处账户")
    page.click("#logout")
    expect(page.locator("h1")).to_have_text("登录")
