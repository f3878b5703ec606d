"""The report's tables as pandas DataFrames, shared by the xlsx and HTML writers and notebooks.

Every function takes the scenario, the plan and a language (default: the school's) and
returns DataFrames whose headers and code words are in that language. Tables made of one
block per group, adult or room come as ``{id: DataFrame}``; each block's DataFrame carries
in ``attrs``:

- ``title``: the block's heading; ``facts``: ``[(label, value), …]`` printed above it;
- ``formats``: ``{column: "money" | "percent"}``; ``footer``: lines printed below it;
- attendance sheets also ``date_columns`` (one per meeting date) and ``sign_row``.

Flat tables carry ``title``, and ``formats``/``total_row`` (the pay table's last row is the
total) or ``kinds`` (the timetable's activity kind code per row) where they apply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pandas as pd

from cluster_planner import rules
from cluster_planner.domain import Scenario, Student
from cluster_planner.domain.entities import ActivityMode
from cluster_planner.i18n import t
from cluster_planner.plan.figures import Headline, choices_granted, headline, rate_of, weeks_by_day
from cluster_planner.plan.figures import rank_bucket as _rank_bucket
from cluster_planner.plan.model import Plan
from cluster_planner.report.attendance import meeting_dates
from cluster_planner.report.context import ReportData
from cluster_planner.report.masking import mask_phone
from cluster_planner.report.words import DAYS, check_lang, code_name, day_code, grade_name, hhmm, short_date, yes_no
from cluster_planner.vocabulary import plan_status_words, words

Blocks = dict[str, pd.DataFrame]


def _data(scenario: Scenario, plan: Plan, lang: str | None) -> ReportData:
    return ReportData(scenario, plan, check_lang(lang or scenario.school.language))


def _col(key: str, lang: str) -> str:
    """A column header; ``choice_n:2`` fills the catalogue entry's ``{n}``."""
    name, _, n = key.partition(":")
    return t(f"report.col.{name}", lang, n=n)


def _frame(rows: list[dict[str, Any]], keys: list[str], lang: str, **attrs: Any) -> pd.DataFrame:
    """A DataFrame of ``rows`` keyed by column keys, headed in ``lang``."""
    df = pd.DataFrame([[r.get(k) for k in keys] for r in rows], columns=[_col(k, lang) for k in keys], dtype=object)
    if "formats" in attrs:
        attrs["formats"] = {_col(k, lang): v for k, v in attrs["formats"].items()}
    df.attrs.update(attrs)
    return df


def _share(part: int, whole: int, lang: str) -> str:
    return f"{part / whole:.0%}" if whole else t("report.none", lang)


# ---- 1. summary ---------------------------------------------------------------------------
def summary_figures(scenario: Scenario, plan: Plan) -> Headline:
    """The summary sheet's figures as numbers (``cp.compare`` puts several plans' side by side)."""
    return headline(scenario, plan, _data(scenario, plan, None).loads)


def summary(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """概览: placed and unplaced students, choices granted, priority served, groups, adults, money, solver."""
    data = _data(scenario, plan, lang)
    lang = data.lang
    h = headline(scenario, plan, data.loads)
    start, end = scenario.school.term_start, scenario.school.term_end
    weeks = weeks_by_day(scenario)
    service_days = sum(weeks.get(d.value, 0) for d in scenario.service_days)
    meta = plan.meta

    def count_share(n: int) -> str:
        return t("report.sum.count_share", lang, count=n, share=_share(n, h.with_choices, lang))

    items: list[tuple[str, Any]] = [
        ("school", scenario.school.name),
        ("term", t("report.sum.term_span", lang, start=start, end=end, days=service_days)),
        ("approved", h.approved),
        ("planned", h.planned),
        ("unplaced", h.unplaced),
        ("with_choices", h.with_choices),
    ]
    items += [(f"choice_n:{n}", count_share(getattr(h, f"choice_{n}"))) for n in (1, 2, 3)]
    items += [("choice_other", count_share(h.choice_other)), ("choice_none", count_share(h.choice_none))]
    items += [
        ("priority", t("report.sum.of", lang, part=h.priority_served, whole=h.priority)),
        ("groups", h.groups),
        ("meetings", h.meetings),
        ("adults", h.adults),
        ("duty_adults", h.duty_adults),
        ("periods_week", h.periods_week),
        ("periods_term", h.periods_term),
        ("cost", h.cost),
        ("fee_income", h.fee_income if h.fee_income is not None else t("report.none", lang)),
        ("fee_exempt", h.fee_exempt),
        ("subsidy", h.subsidy if h.subsidy is not None else t("report.none", lang)),
    ]
    if h.balance is not None:
        items.append(("balance", h.balance))
    items += [
        ("status", plan_status_words(meta, lang)),
        ("gap", f"{meta.gap:.2%}" if meta.gap is not None else t("report.none", lang)),
        ("seed", meta.seed),
        ("reproducible", yes_no(meta.reproducible, lang)),
        ("version", meta.version),
    ]
    if meta.valid_from or meta.valid_until:
        items.append(("valid", t("report.sum.valid_span", lang, start=data.window[0], end=data.window[1])))
    items += [("scenario_hash", meta.scenario_hash[:12]), ("warnings", len(meta.warnings))]
    rows = []
    for key, value in items:
        name, _, n = key.partition(":")
        rows.append({"item": t(f"report.sum.{name}", lang, n=n), "value": value})
    return _frame(rows, ["item", "value"], lang, title=t("report.sheet.summary", lang))


def choices_by_grade(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """满意度（按年级）: among students who gave choices, the best choice granted, per grade and in total."""
    data = _data(scenario, plan, lang)
    best = choices_granted(scenario, plan.assignments)
    per_grade: dict[int, Counter[str]] = defaultdict(Counter)
    for s in scenario.approved_students:
        if s.choices:
            bucket = per_grade[scenario.grade_of(s)]
            bucket["with_choices"] += 1
            bucket[_rank_bucket(best.get(s.student_id))] += 1
    keys = ["grade", "with_choices", "choice_n:1", "choice_n:2", "choice_n:3", "choice_other", "choice_none"]
    total: Counter[str] = Counter()
    rows = []
    for grade in sorted(per_grade):
        c = per_grade[grade]
        total.update(c)
        rows.append(_bucket_row(grade_name(grade, data.lang), c))
    rows.append(_bucket_row(t("report.total", data.lang), total))
    return _frame(rows, keys, data.lang, title=t("report.section.by_grade", data.lang))


def _bucket_row(label: str, c: Counter[str]) -> dict[str, Any]:
    return {
        "grade": label,
        "with_choices": c["with_choices"],
        "choice_n:1": c["1"],
        "choice_n:2": c["2"],
        "choice_n:3": c["3"],
        "choice_other": c["other"],
        "choice_none": c["none"],
    }


# ---- daily timetable ----------------------------------------------------------------------
def timetable(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """每日课表: one row per group meeting, by day and time. ``attrs["kinds"]`` holds activity kind codes."""
    data = _data(scenario, plan, lang)
    rows, kinds = [], []
    order = {d: k for k, d in enumerate(DAYS)}
    meetings = sorted(plan.groups, key=lambda g: (order.get(day_code(g.day), 9), data.clock_key(g.slot_id), g.group_id))
    for g in meetings:
        activity = scenario.activity_by_id.get(g.activity_id)
        kinds.append(activity.kind.value if activity else "")
        rows.append(
            {
                "day": data.day(g.day),
                "time": data.clock(g.slot_id),
                "slot": g.slot_id,
                "group": g.group_id,
                "activity": data.activity_name(g.activity_id),
                "kind": code_name("activity_kind", kinds[-1], data.lang),
                "room": data.room_name(g.room_id),
                "rain_room": data.room_name(g.rain_room_id) if g.rain_room_id else "",
                "adults": data.staff_names(g.staff_ids),
                "size": len(data.students_of_group.get(g.group_id, ())) or g.size,
                "grades": data.grades_text(g.grades),
                "classes": data.joined([data.class_name(c) for c in g.class_ids]),
            }
        )
    keys = ["day", "time", "slot", "group", "activity", "kind", "room", "rain_room", "adults", "size", "grades"]
    return _frame(rows, [*keys, "classes"], data.lang, title=t("report.sheet.timetable", data.lang), kinds=kinds)


# ---- 2. rosters ---------------------------------------------------------------------------
def _group_facts(data: ReportData, gid: str) -> list[tuple[str, str]]:
    ms = data.meetings[gid]
    lang = data.lang
    activity = data.scenario.activity_by_id.get(ms[0].activity_id)
    kind = code_name("activity_kind", activity.kind.value, lang) if activity else ""
    staff = list(dict.fromkeys(p for m in ms for p in m.staff_ids))
    rooms = list(dict.fromkeys(data.room_name(m.room_id) for m in ms))
    rain = list(dict.fromkeys(data.room_name(m.rain_room_id) for m in ms if m.rain_room_id))
    grades = sorted({g for m in ms for g in m.grades})
    classes = list(dict.fromkeys(c for m in ms for c in m.class_ids))
    facts = [
        ("activity", data.paren(data.activity_name(ms[0].activity_id), kind)),
        ("meets", ("；" if lang == "zh" else "; ").join(data.meeting_text(m) for m in ms)),
        ("room", data.joined(rooms)),
    ]
    if rain:
        facts.append(("rain_room", data.joined(rain)))
    facts += [
        ("adults", data.staff_names(tuple(staff))),
        ("size", str(len(data.students_of_group.get(gid, ())))),
        ("grades", data.grades_text(tuple(grades))),
        ("classes", data.joined([data.class_name(c) for c in classes])),
    ]
    return [(t(f"report.fact.{k}", lang), v) for k, v in facts]


def _group_title(data: ReportData, gid: str) -> str:
    return t("report.block.group", data.lang, group=gid, activity=data.activity_name(data.activity_of_group[gid]))


def rosters(scenario: Scenario, plan: Plan, lang: str | None = None, public: bool = False) -> Blocks:
    """分组名册 (D1): per group, its students with class, homeroom teacher, parent and phone.

    ``public``: no parent names, phones masked (``138****5678``).
    """
    data = _data(scenario, plan, lang)
    keys = ["no", "student_id", "name", "gender", "class", "homeroom", "parent", "phone"]
    if public:
        keys.remove("parent")
    out: Blocks = {}
    for gid in data.meetings:
        rows = []
        for k, sid in enumerate(data.students_of_group.get(gid, []), start=1):
            s: Student | None = data.student(sid)
            class_id = s.class_id if s else ""
            phone = s.parent_phone if s else ""
            rows.append(
                {
                    "no": k,
                    "student_id": sid,
                    "name": data.student_name(sid),
                    "gender": s.gender if s else "",
                    "class": data.class_name(class_id),
                    "homeroom": data.homeroom_teacher(class_id),
                    "parent": s.parent_name if s else "",
                    "phone": mask_phone(phone) if public else phone,
                }
            )
        out[gid] = _frame(rows, keys, data.lang, title=_group_title(data, gid), facts=_group_facts(data, gid))
    return out


# ---- 3./4. weekly grids -------------------------------------------------------------------
def _grid(data: ReportData, cells: dict[tuple[tuple[int, int, str], str], list[str]]) -> pd.DataFrame:
    """A weekday × clock grid; rows are the school's clock rows plus any a cell needs."""
    label: dict[tuple[int, int, str], str] = {}
    for s in data.scenario.sorted_slots:
        label.setdefault(data.clock_key(s.slot_id), data.clock(s.slot_id).replace("；", "\n").replace("; ", "\n"))
    keys = sorted(set(data.timetable_rows) | {k for k, _ in cells})
    rows = []
    for key in keys:
        row = [label.get(key, key[2])]
        row += ["\n".join(cells.get((key, d), [])) for d in data.days]
        rows.append(row)
    return pd.DataFrame(rows, columns=[_col("time", data.lang), *(data.day(d) for d in data.days)], dtype=object)


def _ordered_ids(known: list[str], used: set[str]) -> list[str]:
    return [i for i in known if i in used] + sorted(used - set(known))


def staff_timetables(scenario: Scenario, plan: Plan, lang: str | None = None) -> Blocks:
    """教师课表: per adult with work, a weekday × slot grid (group, activity, room) with duties."""
    data = _data(scenario, plan, lang)
    cells: dict[str, dict[tuple[tuple[int, int, str], str], list[str]]] = defaultdict(lambda: defaultdict(list))
    all_day: dict[str, list[str]] = defaultdict(list)
    for g in sorted(plan.groups, key=lambda g: g.group_id):
        text = f"{g.group_id}\n{data.activity_name(g.activity_id)}\n{data.room_name(g.room_id)}"  # narrow cells
        for pid in g.staff_ids:
            cells[pid][(data.clock_key(g.slot_id), day_code(g.day))].append(text)
    for d in plan.duty_roster:
        post = code_name("post", d.post, data.lang)
        if d.slot_id:
            cells[d.staff_id][(data.clock_key(d.slot_id), day_code(d.day))].append(
                t("report.cell.duty", data.lang, post=post)
            )
        else:
            all_day[d.staff_id].append(f"{data.day(d.day)} {post}")
    loads = {x.staff_id: x for x in data.loads}
    out: Blocks = {}
    for pid in _ordered_ids([s.staff_id for s in scenario.staff], set(cells) | set(all_day)):
        df = _grid(data, cells.get(pid, {}))
        person = scenario.staff_by_id.get(pid)
        facts = [
            (t("report.fact.kind", data.lang), code_name("staff_kind", person.kind.value, data.lang) if person else "")
        ]
        if pid in loads:
            facts.append((t("report.fact.periods_week", data.lang), f"{loads[pid].periods_week:g}"))
        if all_day.get(pid):
            facts.append((t("report.fact.all_day_duties", data.lang), data.joined(all_day[pid])))
        df.attrs.update(title=t("report.block.staff", data.lang, name=data.staff_name(pid), id=pid), facts=facts)
        out[pid] = df
    return out


def room_timetables(scenario: Scenario, plan: Plan, lang: str | None = None) -> Blocks:
    """场地安排: per room in use, a weekday × slot grid (group, activity, adults, size; rainy-day use)."""
    data = _data(scenario, plan, lang)
    cells: dict[str, dict[tuple[tuple[int, int, str], str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for g in sorted(plan.groups, key=lambda g: g.group_id):
        key = (data.clock_key(g.slot_id), day_code(g.day))
        size = len(data.students_of_group.get(g.group_id, ())) or g.size
        adults = data.staff_names(g.staff_ids)
        activity = data.activity_name(g.activity_id)
        if g.room_id:
            cells[g.room_id][key].append(f"{g.group_id} {activity}\n" + data.paren(adults, str(size)))
        if g.rain_room_id and g.rain_room_id != g.room_id:
            cells[g.rain_room_id][key].append(t("report.cell.rain", data.lang, group=g.group_id, activity=activity))
    out: Blocks = {}
    for rid in _ordered_ids([r.room_id for r in scenario.rooms], set(cells)):
        df = _grid(data, cells[rid])
        room = scenario.room_by_id.get(rid)
        facts = []
        if room:
            facts = [
                (t("report.col.kind", data.lang), words("room_type", room.type, data.lang)),
                (t("report.fact.capacity", data.lang), str(room.capacity)),
                (t("report.col.outdoor_room", data.lang), yes_no(room.outdoor, data.lang)),
            ]
        df.attrs.update(title=t("report.block.room", data.lang, name=data.room_name(rid), id=rid), facts=facts)
        out[rid] = df
    return out


def rain_plan(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """雨天预案 (R2): each outdoor group meeting, its indoor rainy-day room and adults."""
    data = _data(scenario, plan, lang)
    rows = []
    for gid, ms in data.meetings.items():
        for g in ms:
            room = scenario.room_by_id.get(g.room_id)
            activity = scenario.activity_by_id.get(g.activity_id)
            outdoor = (room is not None and room.outdoor) or (activity is not None and activity.outdoor)
            if not outdoor and not (g.rain_room_id and g.rain_room_id != g.room_id):
                continue
            rows.append(
                {
                    "group": gid,
                    "activity": data.activity_name(g.activity_id),
                    "day": data.day(g.day),
                    "time": data.clock(g.slot_id),
                    "outdoor_room": data.room_name(g.room_id),
                    "rain_room": data.room_name(g.rain_room_id) if g.rain_room_id else t("report.none", data.lang),
                    "adults": data.staff_names(g.staff_ids),
                    "size": len(data.students_of_group.get(gid, ())) or g.size,
                }
            )
    keys = ["group", "activity", "day", "time", "outdoor_room", "rain_room", "adults", "size"]
    return _frame(rows, keys, data.lang, title=t("report.sheet.rain", data.lang))


# ---- 5. attendance ------------------------------------------------------------------------
def attendance_sheets(scenario: Scenario, plan: Plan, lang: str | None = None) -> Blocks:
    """考勤表 (R3): per group, its students and one column per meeting date of the term.

    Dates are the service dates (holidays excluded) on the group's days, within the plan's
    validity; each column is labelled with the date and the start time of the season then.
    """
    data = _data(scenario, plan, lang)
    school = scenario.school
    out: Blocks = {}
    for gid, ms in data.meetings.items():
        labels: list[str] = []
        for d, m in meeting_dates(school, ms, data.window):
            slot = data.slot(m.slot_id)
            label = short_date(d, data.lang)
            if slot is not None:
                label += "\n" + hhmm(slot.clock(school.season_on(d))[0])
            while label in labels:
                label += "'"
            labels.append(label)
        fixed = [_col("no", data.lang), _col("name", data.lang), _col("class", data.lang)]
        rows = []
        for k, sid in enumerate(data.students_of_group.get(gid, []), start=1):
            s = data.student(sid)
            rows.append([k, data.student_name(sid), data.class_name(s.class_id) if s else "", *([""] * len(labels))])
        df = pd.DataFrame(rows, columns=fixed + labels, dtype=object)
        facts = _group_facts(data, gid)
        span = t("report.sum.valid_span", data.lang, start=data.window[0], end=data.window[1])
        facts.append((t("report.fact.term", data.lang), span))
        facts.append((t("report.fact.legend", data.lang), t("report.att.legend", data.lang)))
        df.attrs.update(
            title=_group_title(data, gid),
            facts=facts,
            date_columns=labels,
            sign_row=t("report.att.sign", data.lang),
            footer=[t("report.att.handover", data.lang)],
        )
        out[gid] = df
    return out


# ---- 6. periods and pay -------------------------------------------------------------------
def pay(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """课时与报酬 (M3): per adult periods a week and a term, pay a term; a total row last.

    When the school caps paid afternoon periods (``afternoon_period_cap``), a column shows the
    periods paid (pay ÷ rate), so that every row reads pay = paid periods × rate.
    """
    data = _data(scenario, plan, lang)
    loads = {x.staff_id: x for x in data.loads}
    capped = rules.afternoon_period_cap(scenario) is not None
    rows = []
    for pid in _ordered_ids([s.staff_id for s in scenario.staff], set(loads)):
        x = loads[pid]
        person = scenario.staff_by_id.get(pid)
        rate = rate_of(scenario, pid) if person else None
        rows.append(
            {
                "staff_id": pid,
                "name": data.staff_name(pid),
                "staff_kind": code_name("staff_kind", person.kind.value, data.lang) if person else "",
                "rate": rate,
                "periods_week": x.periods_week,
                "periods_term": x.periods_term,
                "paid_periods": round(x.pay_term / rate, 2) if rate else None,
                "pay_term": x.pay_term,
            }
        )
    rows.append(
        {
            "staff_id": "",
            "name": t("report.total", data.lang),
            "periods_week": round(sum(x.periods_week for x in loads.values()), 2),
            "periods_term": round(sum(x.periods_term for x in loads.values()), 2),
            "paid_periods": round(sum(r["paid_periods"] or 0 for r in rows), 2),
            "pay_term": round(sum(x.pay_term for x in loads.values()), 2),
        }
    )
    keys = ["staff_id", "name", "staff_kind", "rate", "periods_week", "periods_term"]
    keys += ["paid_periods", "pay_term"] if capped else ["pay_term"]
    return _frame(
        rows,
        keys,
        data.lang,
        title=t("report.sheet.pay", data.lang),
        formats={"rate": "money", "pay_term": "money"},
        total_row=True,
    )


# ---- changes to notify (re-solved plans) ---------------------------------------------------
def moves(scenario: Scenario, plan: Plan, lang: str | None = None, public: bool = False) -> pd.DataFrame:
    """变动通知 (D2): the families and staff a re-solve affected, with what changed and why.

    Families first (by class), then staff. A student's parent and phone come from the scenario
    (students.csv); ``public``: no parent names, phones masked. The reason is the plan's text,
    or the reason code in words when the plan gives none.
    """
    data = _data(scenario, plan, lang)
    order = {"student": 0, "staff": 1}
    rows = []
    for m in sorted(plan.moves, key=lambda m: (order.get(m.kind, 2), m.class_id, m.id)):
        s = data.student(m.id) if m.kind != "staff" else None
        person = scenario.staff_by_id.get(m.id) if m.kind == "staff" else None
        name = m.name or (data.student_name(m.id) if s else data.staff_name(m.id) if person else m.id)
        phone = s.parent_phone if s else ""
        class_id = m.class_id or (s.class_id if s else "")
        rows.append(
            {
                "who": code_name("move_kind", m.kind, data.lang),
                "id": m.id,
                "name": name,
                "class": data.class_name(class_id) if class_id else "",
                "parent": s.parent_name if s else "",
                "phone": mask_phone(phone) if public else phone,
                "before": m.before,
                "after": m.after,
                "reason": m.reason or code_name("move_reason", m.reason_code, data.lang),
            }
        )
    keys = ["who", "id", "name", "class", "parent", "phone", "before", "after", "reason"]
    if public:
        keys.remove("parent")
    return _frame(rows, keys, data.lang, title=t("report.sheet.moves", data.lang))


# ---- 7. satisfaction, unplaced, duties, warnings ------------------------------------------
def satisfaction(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """满意度（按活动）: groups, places used, first-choice demand against first choices granted."""
    data = _data(scenario, plan, lang)
    students: dict[str, set[str]] = defaultdict(set)
    granted_first: dict[str, set[str]] = defaultdict(set)
    granted_any: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        aid = data.activity_of(a)
        students[aid].add(a.student_id)
        if a.choice_rank is not None:
            granted_any[aid].add(a.student_id)
            if a.choice_rank == 1:
                granted_first[aid].add(a.student_id)
    demand_first: Counter[str] = Counter()
    demand_any: Counter[str] = Counter()
    for s in scenario.approved_students:
        for rank, aid in s.choices:
            demand_any[aid] += 1
            demand_first[aid] += rank == 1
    groups: dict[str, set[str]] = defaultdict(set)
    for gid, aid in data.activity_of_group.items():
        groups[aid].add(gid)
    rows = []
    known = [a.activity_id for a in scenario.activities]
    for aid in _ordered_ids(known, set(known) | set(groups)):
        activity = scenario.activity_by_id.get(aid)
        places = len(groups[aid]) * scenario.group_cap_of(activity) if activity else None
        chosen = activity is not None and activity.mode == ActivityMode.CHOICE and activity.kind.value != "care"
        rows.append(
            {
                "activity": data.activity_name(aid),
                "kind": code_name("activity_kind", activity.kind.value, data.lang) if activity else "",
                "groups": len(groups[aid]),
                "places": places,
                "students": len(students[aid]),
                "used": len(students[aid]) / places if places else None,
                "demand_first": demand_first[aid] if chosen else None,
                "granted_first": len(granted_first[aid]) if chosen else None,
                "demand_any": demand_any[aid] if chosen else None,
                "granted_any": len(granted_any[aid]) if chosen else None,
            }
        )
    keys = ["activity", "kind", "groups", "places", "students", "used", "demand_first", "granted_first"]
    return _frame(
        rows,
        [*keys, "demand_any", "granted_any"],
        data.lang,
        title=t("report.section.by_activity", data.lang),
        formats={"used": "percent"},
    )


def unplaced(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """未安排 (S1): each student × slot the plan does not cover, with the reason."""
    data = _data(scenario, plan, lang)
    rows = []
    for u in plan.unplaced:
        s = data.student(u.student_id)
        rows.append(
            {
                "student_id": u.student_id,
                "name": data.student_name(u.student_id),
                "class": data.class_name(s.class_id) if s else "",
                "day": data.day(u.day),
                "time": data.clock(u.slot_id),
                "slot": u.slot_id,
                "reason": u.reason,
            }
        )
    keys = ["student_id", "name", "class", "day", "time", "slot", "reason"]
    return _frame(rows, keys, data.lang, title=t("report.sheet.unplaced", data.lang))


def duty_roster(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """值日 (T6): each duty post holder by day and time."""
    data = _data(scenario, plan, lang)
    order = {d: k for k, d in enumerate(DAYS)}
    rows = []
    duties = sorted(
        plan.duty_roster,
        key=lambda d: (order.get(day_code(d.day), 9), data.clock_key(d.slot_id) if d.slot_id else (-1, -1, ""), d.post),
    )
    for d in duties:
        person = scenario.staff_by_id.get(d.staff_id)
        rows.append(
            {
                "day": data.day(d.day),
                "time": data.clock(d.slot_id) if d.slot_id else t("report.all_day", data.lang),
                "slot": d.slot_id,
                "post": code_name("post", d.post, data.lang),
                "name": data.staff_name(d.staff_id),
                "staff_kind": code_name("staff_kind", person.kind.value, data.lang) if person else "",
            }
        )
    return _frame(
        rows,
        ["day", "time", "slot", "post", "name", "staff_kind"],
        data.lang,
        title=t("report.sheet.duties", data.lang),
    )


def warnings(scenario: Scenario, plan: Plan, lang: str | None = None) -> pd.DataFrame:
    """警告: the plan's warnings (plan.json), as the solver worded them."""
    data = _data(scenario, plan, lang)
    rows = [{"no": k, "warning": w} for k, w in enumerate(plan.meta.warnings, start=1)]
    return _frame(rows, ["no", "warning"], data.lang, title=t("report.sheet.warnings", data.lang))
