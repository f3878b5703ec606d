"""The report's words (catalogue entries) and small helpers that put codes into words."""

from __future__ import annotations

from datetime import date, time

from cluster_planner.domain.values import try_parse_day
from cluster_planner.i18n import CATALOGUE, LANGS, register, t

register(
    {
        # sheet and section titles
        "report.sheet.summary": ("概览", "Summary"),
        "report.sheet.timetable": ("每日课表", "Daily timetable"),
        "report.sheet.rosters": ("分组名册", "Rosters"),
        "report.sheet.staff": ("教师课表", "Staff timetables"),
        "report.sheet.rooms": ("场地安排", "Room timetable"),
        "report.sheet.rain": ("雨天预案", "Rainy-day plan"),
        "report.sheet.attendance": ("考勤表", "Attendance"),
        "report.sheet.pay": ("课时与报酬", "Periods and pay"),
        "report.sheet.satisfaction": ("满意度", "Satisfaction"),
        "report.sheet.unplaced": ("未安排", "Unplaced"),
        "report.sheet.duties": ("值日", "Duty roster"),
        "report.sheet.warnings": ("警告", "Warnings"),
        "report.sheet.compliance": ("十严禁自查", "Ten prohibitions"),
        "report.sheet.charts": ("图表", "Charts"),
        "report.sheet.moves": ("变动通知", "Changes to notify"),
        "report.section.by_activity": ("按活动", "By activity"),
        "report.section.by_grade": ("按年级（志愿满足情况）", "By grade (choices granted)"),
        # column headers
        "report.col.item": ("项目", "Item"),
        "report.col.value": ("数值", "Value"),
        "report.col.no": ("序号", "No."),
        "report.col.group": ("组号", "Group"),
        "report.col.activity": ("活动", "Activity"),
        "report.col.kind": ("类型", "Kind"),
        "report.col.day": ("星期", "Day"),
        "report.col.slot": ("时段", "Slot"),
        "report.col.time": ("时间", "Time"),
        "report.col.room": ("场地", "Room"),
        "report.col.outdoor_room": ("室外场地", "Outdoor room"),
        "report.col.rain_room": ("雨天场地", "Rainy-day room"),
        "report.col.adults": ("教师", "Adults"),
        "report.col.size": ("人数", "Size"),
        "report.col.grades": ("年级", "Grades"),
        "report.col.classes": ("班级", "Classes"),
        "report.col.student_id": ("学号", "Student ID"),
        "report.col.name": ("姓名", "Name"),
        "report.col.gender": ("性别", "Gender"),
        "report.col.class": ("班级", "Class"),
        "report.col.homeroom": ("班主任", "Homeroom teacher"),
        "report.col.parent": ("家长姓名", "Parent"),
        "report.col.phone": ("联系电话", "Phone"),
        "report.col.staff_id": ("工号", "Staff ID"),
        "report.col.staff_kind": ("类别", "Kind"),
        "report.col.rate": ("课时费（元/课时）", "Rate (yuan/period)"),
        "report.col.periods_week": ("周课时", "Periods a week"),
        "report.col.periods_term": ("学期课时", "Periods a term"),
        "report.col.pay_term": ("学期报酬（元）", "Pay a term (yuan)"),
        "report.col.grade": ("年级", "Grade"),
        "report.col.with_choices": ("填报志愿人数", "Students with choices"),
        "report.col.choice_n": ("第{n}志愿", "Choice {n}"),
        "report.col.choice_other": ("其他志愿", "Other choice"),
        "report.col.choice_none": ("未获志愿", "No choice"),
        "report.col.groups": ("组数", "Groups"),
        "report.col.places": ("名额", "Places"),
        "report.col.students": ("已安排人数", "Students"),
        "report.col.used": ("使用率", "Used"),
        "report.col.demand_first": ("第一志愿人数", "1st-choice demand"),
        "report.col.granted_first": ("第一志愿录取", "1st choice granted"),
        "report.col.demand_any": ("志愿人数（任一志愿）", "Demand (any choice)"),
        "report.col.granted_any": ("志愿录取人数", "Choices granted"),
        "report.col.reason": ("原因", "Reason"),
        "report.col.post": ("岗位", "Post"),
        "report.col.warning": ("内容", "Text"),
        "report.col.who": ("对象", "Who"),
        "report.col.id": ("编号", "ID"),
        "report.col.before": ("调整前", "Before"),
        "report.col.after": ("调整后", "After"),
        "report.col.paid_periods": ("计酬课时（学期）", "Paid periods a term"),
        # summary items
        "report.sum.school": ("学校", "School"),
        "report.sum.term": ("学期", "Term"),
        "report.sum.term_span": ("{start} 至 {end}（{days}个服务日）", "{start} to {end} ({days} service days)"),
        "report.sum.approved": ("已核准学生", "Approved students"),
        "report.sum.planned": ("已全部安排的学生", "Students fully placed"),
        "report.sum.unplaced": ("有未安排时段的学生", "Students with an unplaced slot"),
        "report.sum.with_choices": ("填报志愿的学生", "Students who gave choices"),
        "report.sum.choice_n": ("获得第{n}志愿", "Got choice {n}"),
        "report.sum.choice_other": ("获得第4–5志愿", "Got choice 4–5"),
        "report.sum.choice_none": ("未获得任何志愿", "Got none of their choices"),
        "report.sum.count_share": ("{count}（{share}）", "{count} ({share})"),
        "report.sum.priority": ("优先保障学生已全部安排", "Priority students fully placed"),
        "report.sum.of": ("{part} / {whole}", "{part} / {whole}"),
        "report.sum.groups": ("活动组数", "Groups"),
        "report.sum.meetings": ("每周组次", "Group meetings a week"),
        "report.sum.adults": ("带组教职工", "Adults leading groups"),
        "report.sum.duty_adults": ("值班教职工", "Adults on duty"),
        "report.sum.periods_week": ("每周课时合计", "Periods a week"),
        "report.sum.periods_term": ("学期课时合计", "Periods a term"),
        "report.sum.cost": ("学期报酬合计（元）", "Term pay (yuan)"),
        "report.sum.fee_income": ("学期服务费收入（元）", "Term fee income (yuan)"),
        "report.sum.fee_exempt": ("减免学生", "Fee-exempt students"),
        "report.sum.subsidy": ("学期财政补助（元）", "Term subsidy (yuan)"),
        "report.sum.balance": ("收支差额（元）", "Income less pay (yuan)"),
        "report.sum.status": ("求解状态", "Solver status"),
        "report.sum.gap": ("最优性差距", "Optimality gap"),
        "report.sum.seed": ("抽签种子", "Lottery seed"),
        "report.sum.reproducible": ("可复现", "Reproducible"),
        "report.sum.version": ("方案版本", "Plan version"),
        "report.sum.valid": ("有效期", "Valid"),
        "report.sum.valid_span": ("{start} 至 {end}", "{start} to {end}"),
        "report.sum.scenario_hash": ("数据指纹", "Scenario hash"),
        "report.sum.warnings": ("警告条数", "Warnings"),
        "report.yes": ("是", "yes"),
        "report.no": ("否", "no"),
        "report.none": ("—", "—"),
        "report.total": ("合计", "Total"),
        "report.grade_n": ("{n}年级", "Grade {n}"),
        "report.all_day": ("全天", "all day"),
        # facts above a block
        "report.fact.activity": ("活动", "Activity"),
        "report.fact.meets": ("时间", "Meets"),
        "report.fact.room": ("场地", "Room"),
        "report.fact.rain_room": ("雨天场地", "Rainy-day room"),
        "report.fact.adults": ("教师", "Adults"),
        "report.fact.size": ("人数", "Size"),
        "report.fact.grades": ("年级", "Grades"),
        "report.fact.classes": ("班级", "Classes"),
        "report.fact.kind": ("类别", "Kind"),
        "report.fact.periods_week": ("周课时", "Periods a week"),
        "report.fact.all_day_duties": ("全天值班", "All-day duties"),
        "report.fact.term": ("学期", "Term"),
        "report.fact.legend": ("记录方式", "Marks"),
        "report.fact.capacity": ("容量", "Capacity"),
        "report.att.legend": ("出勤 √　缺勤 ×　请假 ○", "present √   absent ×   on leave ○"),
        "report.att.sign": ("教师签名", "Teacher's signature"),
        "report.att.handover": (
            "交接班：交出人 __________　接收人 __________　时间 __________",
            "Hand-over: from __________   to __________   time __________",
        ),
        "report.att.date": ("{month}/{day}", "{month}/{day}"),
        "report.block.group": ("{group}　{activity}", "{group}  {activity}"),
        "report.block.staff": ("{name}（{id}）", "{name} ({id})"),
        "report.block.room": ("{name}（{id}）", "{name} ({id})"),
        # cell texts
        "report.cell.meeting": ("{day} {time}（{slot}）", "{day} {time} ({slot})"),
        "report.cell.duty": ("值班：{post}", "duty: {post}"),
        "report.cell.rain": ("雨天：{group} {activity}", "if rain: {group} {activity}"),
        "report.cell.size": ("{n}人", "{n} students"),
        "report.clock_from": ("{date}起 {clock}", "from {date}: {clock}"),
        # charts
        "report.chart.choices": ("各年级志愿满足情况", "Choices granted by grade"),
        "report.chart.sizes": ("各组人数", "Group sizes"),
        "report.chart.load": ("教职工周课时", "Periods a week per adult"),
        "report.chart.students": ("学生人数", "Students"),
        "report.chart.periods": ("课时", "Periods"),
        "report.chart.cap": ("上限 {n}", "cap {n}"),
        "report.chart.groups": ("组数", "Groups"),
        "report.chart.adults": ("教职工人数", "Adults"),
        "report.chart.group_size": ("每组学生数", "Students in the group"),
        # html page
        "report.html.title": ("{school}课后服务方案", "{school}: after-school service plan"),
        "report.html.public_note": (
            "公开版：已隐去家长姓名，电话已部分遮盖。",
            "Public version: parent names removed, phones masked.",
        ),
        "report.html.empty": ("（无）", "(none)"),
        "report.html.generated_by": ("由 cluster-planner {version} 生成", "Made by cluster-planner {version}"),
        # code words
        "report.day.Mon": ("周一", "Mon"),
        "report.day.Tue": ("周二", "Tue"),
        "report.day.Wed": ("周三", "Wed"),
        "report.day.Thu": ("周四", "Thu"),
        "report.day.Fri": ("周五", "Fri"),
        "report.day.Sat": ("周六", "Sat"),
        "report.day.Sun": ("周日", "Sun"),
        "report.activity_kind.care": ("托管", "care"),
        "report.activity_kind.tutoring": ("作业辅导", "tutoring"),
        "report.activity_kind.club": ("社团", "club"),
        "report.activity_kind.reading": ("阅读", "reading"),
        "report.activity_kind.sport": ("体育", "sport"),
        "report.activity_kind.art": ("艺术", "art"),
        "report.activity_kind.science": ("科技", "science"),
        "report.activity_kind.labour": ("劳动", "labour"),
        "report.staff_kind.teacher": ("教师", "teacher"),
        "report.staff_kind.leader": ("校领导", "leader"),
        "report.staff_kind.external": ("外聘", "external"),
        "report.staff_kind.volunteer": ("志愿者", "volunteer"),
        "report.staff_kind.security": ("保安", "security"),
        "report.post.leader_on_duty": ("值日领导", "leader on duty"),
        "report.post.gate": ("门岗", "gate"),
        "report.post.stairs": ("楼梯岗", "stairs"),
        "report.post.floor": ("楼层岗", "floor"),
        "report.post.bus": ("校车岗", "bus"),
        "report.post.security": ("安保", "security"),
        "report.move_kind.student": ("学生家庭", "family"),
        "report.move_kind.staff": ("教职工", "staff"),
        "report.move_kind.group": ("活动组（场地变动）", "group (room changed)"),
        "report.move_reason.joined": ("新加入", "joined"),
        "report.move_reason.left": ("退出", "left"),
        "report.move_reason.moved": ("调整分组", "moved to another group"),
        "report.move_reason.upgraded": ("获得更靠前的志愿", "got a better choice"),
        "report.move_reason.restaffed": ("更换教师", "new adult"),
        "report.move_reason.changed": ("信息变更", "changed"),
    }
)

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue has it, else ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def day_code(day: str) -> str:
    """``Mon``…``Sun`` for any day spelling a plan file may hold (unknown text is kept)."""
    parsed = try_parse_day(day)
    return parsed.value if parsed else day


def day_name(day: str, lang: str) -> str:
    """周一 / Mon."""
    return t(f"report.day.{day_code(day)}", lang) if day_code(day) in DAYS else day


def code_name(family: str, code: str, lang: str) -> str:
    """A code's words (``activity_kind``, ``staff_kind``, ``post``); unknown codes as given."""
    key = f"report.{family}.{code}"
    return t(key, lang) if key in CATALOGUE else code


def yes_no(value: bool, lang: str) -> str:
    """是/否, yes/no."""
    return t("report.yes" if value else "report.no", lang)


def hhmm(clock: time) -> str:
    """``15:50``."""
    return clock.strftime("%H:%M")


def span(start: time, end: time) -> str:
    """``15:50–16:40``."""
    return f"{hhmm(start)}–{hhmm(end)}"


def short_date(day: date, lang: str) -> str:
    """``9/8``: an attendance column's date."""
    return t("report.att.date", lang, month=day.month, day=day.day)


def grade_name(grade: int, lang: str) -> str:
    """``3年级`` / ``Grade 3``."""
    return t("report.grade_n", lang, n=grade)
