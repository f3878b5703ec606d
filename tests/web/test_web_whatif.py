"""Issue 16 item 2 (what-if in the web app), over HTTP: copy a version with edited rules (group cap, ratio, staff
hired or removed, a grade's applications scaled), solve it as a job (its progress on the event stream), see it side
by side with the plan (``cp.compare``'s figures and charts); promote it to be the plan before the term has begun,
refused (no button, and the route says why) once a re-solved version exists.

The school's version 1 is demo-small as planned once for the session (copied into a data folder of this module);
the tests run in order on it, as the term does: what-ifs, one promoted (v2), a mid-term re-solve (v3), then refusal.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_helpers import TIME_LIMIT, finished_job, school_with_version, sse_events, wait_for, with_csrf

import cluster_planner as cp
from cluster_planner.i18n import t
from cluster_planner.report.html import esc
from cluster_planner.web import create_app, whatif_edits
from cluster_planner.web.side_by_side import figures_table
from cluster_planner.web.store import Store
from cluster_planner.web.views import plan_of, scenario_of

CAP_50 = {"group_cap": "50", "ratio": "50", "author": "王老师", "time_limit": str(TIME_LIMIT)}
"""The what-if of the issue: the group cap raised to 50 (the ratio as it is: not an edit)."""


@pytest.fixture(scope="module")
def school(planned: tuple[TestClient, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A school whose version 1 is the session's plan of demo-small."""
    first, version_id = planned
    data = tmp_path_factory.mktemp("whatif") / "data"
    school_with_version(first.app.state.store, version_id, data)
    with TestClient(create_app(data)) as c:
        yield with_csrf(c)


def _store(client: TestClient) -> Store:
    return client.app.state.store


def _whatif_id(response) -> int:
    match = re.search(r"/whatifs/(\d+)$", str(response.url))
    assert match, response.url
    return int(match[1])


def _english(client: TestClient, method: str, url: str, **kwargs):
    """The response to one request made in English (the ``lang`` cookie set for it only)."""
    client.cookies.set("lang", "en")
    try:
        return client.request(method, url, **kwargs)
    finally:
        client.cookies.delete("lang")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _figures(page: str) -> tuple[list[str], dict[str, list[str]]]:
    """The side-by-side table: its column heads and its rows by figure key."""
    table = page.split('id="compare-figures"', 1)[1].split("</table>", 1)[0]
    head = [_text(h).strip() for h in re.findall(r"<th>(.*?)</th>", table.split("</thead>", 1)[0])]
    rows = {
        key: [_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for key, row in re.findall(r'<tr data-key="([a-z_0-9]+)">(.*?)</tr>', table)
    }
    return head, rows


def test_issue16_whatif_form_offers_the_versions_rules_staff_and_grades(school: TestClient) -> None:
    page = school.get("/versions/1/whatif").text
    assert re.search(r'name="group_cap"[^>]*value="45"', page) and re.search(r'name="ratio"[^>]*value="50"', page)
    assert '<option value="T003">T003 周凯帆</option>' in page  # staff who may be removed
    assert page.count('name="hire_name_') == whatif_edits.HIRE_ROWS
    assert '<option value="external">外聘</option>' in page
    assert '<option value="1">1年级</option>' in page and '<option value="all">全部年级</option>' in page
    assert 'value="教务处"' in page  # who asks: the office by default
    assert 'id="nav-whatif"' in page
    english = _english(school, "GET", "/versions/1/whatif").text
    assert "Plan v1 copied with edited rules" in english and "Hire staff" in english
    assert '<option value="external">external</option>' in english


def test_issue16_bad_or_empty_edits_are_findings_and_no_job(school: TestClient) -> None:
    store = _store(school)
    jobs_before = len(store.jobs(1))
    for form, column, words in (
        ({"group_cap": "45", "ratio": "50"}, "", "没有做任何修改"),  # nothing differs from the plan
        ({"group_cap": "fifty"}, "group_cap", "不是数字"),
        ({"ratio": "0"}, "ratio", ""),  # school.toml's own check (T4: at least 1)
        ({"scale_grade": "1", "scale_factor": "-2"}, "scale_factor", "不小于 0"),
        ({"remove": "T999"}, "staff_id", "T999"),  # remove_staff: an unknown id
        ({"hire_name_0": "王教练", "hire_kind_0": "astronaut"}, "kind", "astronaut"),  # staff.csv's own check
    ):
        response = school.post("/versions/1/whatif", data=form)
        whatif = store.whatif(_whatif_id(response))
        assert whatif.job_id is None, form
        assert "修改有错误，未排课" in response.text and 'id="start-button"' not in response.text
        findings = json.loads(whatif.findings)
        assert findings and all(f["severity"] == "error" for f in findings), form
        assert any(f["column"].endswith(column) for f in findings), (form, findings)
        assert words in _text(response.text.split('id="findings-table"', 1)[1]), form
    assert len(store.jobs(1)) == jobs_before


def test_issue16_whatif_edits_are_the_librarys_and_deterministic() -> None:
    """Staff hired (as a staff.csv row says one) and removed, a grade's applications ×1.2: the library's edits,
    the same scenario every time (a seeded lottery), said in words in both languages."""
    from web_helpers import DEMO

    base = cp.load(DEMO)
    form = {
        "group_cap": ["50"],
        "ratio": ["40"],
        "remove": ["T003", "T003"],
        "hire_name_0": ["王教练"],
        "hire_kind_0": ["external"],
        "hire_skills_0": ["football care"],
        "hire_available_0": ["Mon Tue"],
        "hire_check_0": ["yes"],
        "scale_grade": ["1"],
        "scale_factor": ["1.2"],
    }
    edits, findings = whatif_edits.from_form(lambda name: form.get(name, []), base)
    assert not findings and not whatif_edits.check(base, edits)
    once, again = whatif_edits.apply(base, edits), whatif_edits.apply(base, json.loads(json.dumps(edits)))
    assert once.canonical_json() == again.canonical_json()
    assert (once.school.rules.group_cap, once.school.rules.ratio) == (50, 40)
    assert "T003" not in once.staff_by_id and "T003" in base.staff_by_id
    hired = once.staff_by_id["NEW01"]
    assert (hired.name, hired.kind.value, hired.cleared) == ("王教练", "external", True)
    assert hired.skills == {"football", "care"}
    assert hired.available == ("Mon", "Tue")

    def grade1(s: cp.Scenario) -> int:
        return sum(1 for p in s.approved_students if s.class_by_id[p.class_id].grade == 1)

    assert grade1(once) == round(grade1(base) * 1.2)
    fewer = whatif_edits.apply(base, {"scale": {"grade": 1, "factor": 0.8}})
    assert grade1(fewer) == round(grade1(base) * 0.8) and len(fewer.students) == len(base.students)
    assert whatif_edits.describe(edits, "zh") == [
        "组容量（每组最多人数）：45 → 50",
        "师生比（每名成人对应学生数）：50 → 40",
        "减少 T003 周凯帆",
        "新聘 王教练（外聘）；技能：足球、看护；时段：周一、周二；已通过背景审查",
        "1年级报名 ×1.2",
    ]
    assert whatif_edits.describe(edits, "en")[0] == "group cap (largest group): 45 → 50"


def test_issue16_whatif_cap_50_solved_as_a_job_and_shown_side_by_side(school: TestClient) -> None:
    store = _store(school)
    response = school.post("/versions/1/whatif", data=CAP_50)
    whatif_id = _whatif_id(response)
    whatif = store.whatif(whatif_id)
    assert (whatif.author, whatif.client, whatif.version_id) == ("王老师", "testclient", 1)
    assert json.loads(whatif.edits)["rules"] == {"group_cap": 50}
    assert "正在按修改排课" in response.text and 'data-events="/jobs/' in response.text

    # the solve is a job with the progress stream of any solve; it ends as a comparison, not as a version
    with school.stream("GET", f"/jobs/{whatif.job_id}/events") as stream:
        events = sse_events(stream.iter_lines())
    assert events[-1][0] == "end" and events[-1][1]["status"] == "done", events[-1]
    assert any(e == "progress" and d["stage"] for e, d in events)
    assert events[-1][1]["version"] is None and [v.number for v in store.versions(1)] == [1]
    assert f'id="open-whatif" href="/whatifs/{whatif_id}"' in school.get(f"/jobs/{whatif.job_id}").text

    page = school.get(f"/whatifs/{whatif_id}").text
    assert "组容量（每组最多人数）：45 → 50" in _text(page.split('id="edits"', 1)[1])
    head, rows = _figures(page)
    assert head == ["指标", "现行方案 v1", f"假设 #{whatif_id}", "变化"]

    # the figures are cp.compare's of the two plan folders, the change beside them
    base = plan_of(str(store.data / store.version(1).folder))
    after = plan_of(str(store.data / store.job(whatif.job_id).folder / "plan"))
    assert after.require_scenario().school.rules.group_cap == 50
    assert base.require_scenario().school.rules.group_cap == 45
    expected = cp.compare({"now": base, "what-if": after}, lang="zh")
    keys = expected.attrs["keys"]
    for key in ("planned", "groups", "adults", "cost"):
        now, then = (float(v) for v in expected.iloc[keys.index(key)])
        shown = [float(v.replace(",", "")) for v in rows[key][:2]]
        assert shown == [now, then], key
        assert float(rows[key][2].replace(",", "")) == then - now, key
    assert figures_table(expected, "zh").count("<tr data-key=") == len(keys)

    # cp.plot.compare's chart, and each plan's own charts with its cap line (45 against 50)
    assert page.split('id="compare-chart"', 1)[1].split("</div>", 1)[0].count("<svg") == 1
    assert esc(t("plot.compare", "zh")) in page
    charts = page.split('id="plan-charts"', 1)[1]
    base_charts, whatif_charts = charts.split("<section", 3)[1:3]
    assert base_charts.count("<svg") == 3 and whatif_charts.count("<svg") == 3
    assert t("report.chart.cap", "zh", n=45) in base_charts and t("report.chart.cap", "zh", n=50) in whatif_charts

    # before the term has begun it may become the plan
    assert 'id="promote-button"' in page and 'action="/whatifs/' in page
    english = _english(school, "GET", f"/whatifs/{whatif_id}").text
    assert _figures(english)[0] == ["Figure", "plan v1", f"what-if #{whatif_id}", "Change"]
    assert "Make it the plan (a new version)" in english


def test_issue16_whatif_waits_while_a_solve_runs_then_starts(school: TestClient) -> None:
    """A what-if asked for while another solve of the school runs is recorded, not started; its page starts it."""
    store = _store(school)
    running = school.post("/versions/1/whatif", data={**CAP_50, "group_cap": "48"})
    busy = store.whatif(_whatif_id(running))
    waiting = school.post("/versions/1/whatif", data={"scale_grade": "all", "scale_factor": "0.9"})
    whatif_id = _whatif_id(waiting)
    assert store.whatif(whatif_id).job_id is None and "尚未开始排课" in waiting.text
    assert 'id="start-button"' in waiting.text
    school.post(f"/jobs/{busy.job_id}/cancel")
    started = school.post(f"/whatifs/{whatif_id}/start", data={"time_limit": "600"})
    job_id = store.whatif(whatif_id).job_id
    assert job_id and "正在按修改排课" in started.text and store.job(job_id).time_limit == 600
    school.post(f"/jobs/{job_id}/cancel")  # not needed further
    assert wait_for(lambda: school.get(f"/jobs/{job_id}/progress").json())["status"] == "cancelled"
    page = school.get(f"/whatifs/{whatif_id}").text
    assert "排课失败" in page and "重新排课" in page  # a solve that ended without a plan may be started again
    again = school.post(f"/whatifs/{whatif_id}/start", data={"time_limit": "600"})
    second = store.whatif(whatif_id).job_id
    assert second != job_id and "正在按修改排课" in again.text
    school.post(f"/jobs/{second}/cancel")
    assert wait_for(lambda: school.get(f"/jobs/{second}/progress").json())["status"] == "cancelled"
    refused = school.post(f"/whatifs/{whatif_id}/promote")
    assert refused.status_code == 409 and "还没有排完" in refused.text


def test_issue16_promote_before_the_term_begins_is_a_new_version_in_the_history(school: TestClient) -> None:
    store = _store(school)
    cap50 = next(w for w in store.whatifs(1) if json.loads(w.edits).get("rules") == {"group_cap": 50})
    response = school.post(f"/whatifs/{cap50.id}/promote", data={"author": "李主任"}, follow_redirects=False)
    assert response.status_code == 303
    version = store.version_of_job(cap50.job_id)
    assert version.number == 2 and response.headers["location"] == f"/versions/{version.id}"
    promoted = store.whatif(cap50.id)
    assert (promoted.promoted_version, promoted.promoted_by, promoted.promoted_client) == (
        version.id,
        "李主任",
        "testclient",
    )
    assert promoted.promoted >= promoted.created
    folder = store.data / version.folder
    assert folder.parent.name == "plans" and (folder / "report.xlsx").is_file()  # moved whole into plans/
    assert not (store.data / store.job(cap50.job_id).folder / "plan").exists()
    assert scenario_of(str(folder)).school.rules.group_cap == 50

    # the history says which what-if, its edits, who promoted it and when
    row = school.get("/schools/1/history").text.split('id="v2"', 1)[1].split("</tr>", 1)[0]
    said = _text(row)
    assert f"采用假设方案 #{cap50.id}" in said and "组容量（每组最多人数）：45 → 50" in said
    assert f"李主任（testclient，{promoted.promoted}）" in said
    # the what-if page says so and still compares; no second promotion
    page = school.get(f"/whatifs/{cap50.id}").text
    assert "已由 李主任" in page and "采用为方案 v2" in page and 'id="promote-button"' not in page
    assert 'id="compare-figures"' in page
    again = school.post(f"/whatifs/{cap50.id}/promote")
    assert again.status_code == 409 and "已经采用过" in again.text
    # a what-if of version 1 is out of date now
    older = next(w for w in store.whatifs(1) if w.version_id == 1 and w.id != cap50.id and not w.findings.strip("[]"))
    stale = school.post(f"/whatifs/{older.id}/promote")
    assert stale.status_code == 409 and "已有更新的版本" in stale.text
    assert [v.number for v in store.versions(1)] == [2, 1]


def test_issue16_after_a_resolve_a_whatif_stays_a_comparison(school: TestClient) -> None:
    """Once a mid-term re-solve is committed (version 3) the term has begun: a finished what-if of it is shown
    side by side, but it offers no promotion and its promotion is refused in words. (The re-solve and the
    what-if's solve are taken as done, their plans copied into their job folders; the commit is the app's own.)"""
    store, jobs = _store(school), school.app.state.jobs
    latest = store.latest_version(1)
    plan = store.data / latest.folder
    preview_id = store.add_preview(latest, "王老师", "testclient", "form", "2026-10-12", "change_id,action\n", [])
    preview_job = finished_job(store, 1, plan)
    store.set_preview_job(preview_id, preview_job.id, preview_job.folder)
    jobs.commit_preview(store.preview(preview_id))
    resolved = store.latest_version(1)
    assert resolved.number == 3 and [v.id for v in store.resolved_versions(1)] == [resolved.id]

    whatif_id = store.add_whatif(resolved, "王老师", "testclient", json.dumps({"rules": {"group_cap": 55}}), [])
    store.set_whatif_job(whatif_id, finished_job(store, 1, store.data / resolved.folder).id)
    page = school.get(f"/whatifs/{whatif_id}").text
    assert 'id="compare-figures"' in page and _figures(page)[0][1] == "现行方案 v3"
    assert 'id="promote-button"' not in page and 'action="/whatifs/' not in page
    assert "学期已经开始" in page.split('id="refused"', 1)[1]
    refused = school.post(f"/whatifs/{whatif_id}/promote", data={"author": "李主任"})
    assert refused.status_code == 409
    assert "学期已经开始（已有按变动重排的版本），假设方案只能用来比较" in refused.text
    english = _english(school, "POST", f"/whatifs/{whatif_id}/promote")
    assert "a what-if stays a comparison and cannot become the plan" in english.text
    assert store.latest_version(1).id == resolved.id and store.whatif(whatif_id).promoted_version is None
    # the what-if promoted before the term began stays the record of it
    promoted = next(w for w in store.whatifs(1) if w.promoted_version)
    assert "采用为方案 v2" in school.get(f"/whatifs/{promoted.id}").text


def test_issue16_unknown_whatifs_and_versions_are_not_found(school: TestClient) -> None:
    assert school.get("/whatifs/999").status_code == 404
    assert school.post("/whatifs/999/promote").status_code == 404
    assert school.post("/whatifs/999/start").status_code == 404
    assert school.get("/versions/999/whatif").status_code == 404
    assert school.post("/versions/999/whatif", data=CAP_50).status_code == 404
