"""Generate a realistic school scenario (FORMAT.md v1) for demos, tests and benchmarks.

:func:`generate_school` builds a whole school from a number of applicants, the grades it
teaches and a seed: home classes of 38–52 pupils whose application rates differ, ranked
choices over a menu with popular and unpopular items, subject teachers, leaders,
external coaches, volunteers and security staff, rooms, duty posts and ``school.toml``
settings. The same arguments always give the same scenario (only ``random.Random(seed)``
is used). Everything generated is fictitious: names are drawn from common characters and
phone numbers start with ``10``, a prefix no mobile number uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from random import Random

from cluster_planner import rules
from cluster_planner.domain.entities import (
    Activity,
    ActivityKind,
    ActivityMode,
    DutyPost,
    HomeClass,
    Priority,
    Room,
    SlotKind,
    Staff,
    StaffKind,
    Student,
    StudentStatus,
    Timeslot,
)
from cluster_planner.domain.scenario import Scenario
from cluster_planner.domain.school import Level, Money, Pay, Rules, School, Season
from cluster_planner.domain.values import Day, format_grades, parse_grades

__all__ = ["CLASS_SIZE", "JUNIOR", "PRIMARY", "generate_school"]

#: Pupils on the roll of one home class (班额): the applicants are a share of them.
CLASS_SIZE = (38, 52)
DAYS = (Day.MON, Day.TUE, Day.WED, Day.THU, Day.FRI)
PRIMARY = frozenset(range(1, 7))
JUNIOR = frozenset(range(7, 10))
TERM_START = date(2026, 9, 7)
TERM_END = date(2027, 1, 15)
SEASON_SWITCH = date(2026, 10, 8)
HOLIDAYS = (
    date(2026, 10, 1),
    date(2026, 10, 2),
    date(2026, 10, 5),
    date(2026, 10, 6),
    date(2026, 10, 7),
    date(2027, 1, 1),
)

# ---- names ------------------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
GIVEN_BOY = "浩宇轩子睿博文俊杰泽一晨航明天昊辰思嘉铭鑫然远磊伟强鹏翔瑞哲凯奕宸逸阳彬豪铭煜帆峻毅"
GIVEN_GIRL = "欣怡梓涵诗雨婷萱佳琪悦可馨妍若彤静雅芸晴蕾琳璐瑶菲语桐楠曦月婉晓丹淑颖雪茜紫嫣"
CN_GRADE = "一二三四五六七八九"
SCHOOL_PLACES = ("青山路", "滨江", "育才", "阳光", "东湖", "新华", "明德", "文昌", "桂花", "南湖", "翠竹", "金山")


def _surname(rng: Random) -> str:
    if rng.random() < 0.01:
        return rng.choice(COMPOUND_SURNAMES)
    index = min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)  # common surnames first
    return SURNAMES[index]


def _person_name(rng: Random, female: bool, surname: str | None = None) -> str:
    chars = GIVEN_GIRL if female else GIVEN_BOY
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
    return (surname or _surname(rng)) + given


def _phone(rng: Random) -> str:
    """A fictitious 11-digit number ``10x-xxxx-xxxx`` (no Chinese mobile number starts with 10)."""
    digits = f"10{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"


# ---- menu -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Item:
    """One menu item before it is fitted to the school's grades and slots."""

    activity_id: str
    name: str
    kind: ActivityKind
    grades: str
    appeal: float  # relative chance of being ranked (Zipf-like across the menu)
    max_size: int
    max_groups: int = 1
    sessions: int = 1
    min_size: int = 1
    skill: str = ""
    room_type: str = "classroom"
    outdoor: bool = False
    slots: str = ""  # days or slot-id suffixes such as "-1"


MENU: tuple[_Item, ...] = (
    _Item("TUT", "作业辅导", ActivityKind.TUTORING, "3-6", 6, 40, 3, 2, 10, "chinese math english", slots="-1"),
    _Item("DRAW", "儿童画", ActivityKind.ART, "1-4", 7, 30, 2, 1, 8, "art", "art classroom", slots="Tue Thu Fri"),
    _Item("ROPE", "花样跳绳", ActivityKind.SPORT, "1-4", 5, 40, 2, 1, 8, "pe", "field gym", True, "Tue Fri"),
    _Item("PAPER", "剪纸", ActivityKind.ART, "1-3", 2, 25, 1, 1, 8, "papercut art", "art classroom", slots="Thu Fri"),
    _Item("LEGO", "积木搭建", ActivityKind.SCIENCE, "1-3", 6, 24, 1, 1, 8, "robotics science", "classroom computer"),
    _Item("CHESS", "国际象棋", ActivityKind.CLUB, "2-6", 5, 30, 2, 1, 8, "chess", "classroom library"),
    _Item("WEIQI", "围棋", ActivityKind.CLUB, "3-6", 1.5, 24, 1, 1, 10, "weiqi chess", "classroom library"),
    _Item("CAL", "书法", ActivityKind.ART, "3-4", 4, 30, 2, 1, 8, "calligraphy", "art classroom", slots="Tue Thu"),
    _Item("CHOIR", "合唱团", ActivityKind.ART, "3-6", 4, 45, 1, 2, 12, "music", "music", slots="Wed Fri"),
    _Item("DANCE", "舞蹈", ActivityKind.ART, "2-6", 5, 30, 1, 1, 8, "dance music", "music gym"),
    _Item("READ", "阅读社", ActivityKind.READING, "3-6", 4, 40, 2, 1, 8, "reading chinese", "library classroom"),
    _Item("SCI", "科学小实验", ActivityKind.SCIENCE, "3-6", 6, 30, 2, 1, 8, "science", "classroom"),
    _Item("LABOUR", "劳动·种植与手工", ActivityKind.LABOUR, "3-6", 2, 30, 1, 1, 8, "labour science art"),
    _Item("DRAMA", "英语绘本剧", ActivityKind.ART, "3-6", 3, 30, 1, 1, 8, "english", "classroom music"),
    _Item("FOOT", "足球", ActivityKind.SPORT, "3-6", 9, 30, 2, 2, 10, "football", "field", True, "Tue Thu"),
    _Item("BASK", "篮球", ActivityKind.SPORT, "4-6", 7, 24, 2, 1, 8, "basketball", "field gym", True, "Mon Wed"),
    _Item("PPONG", "乒乓球", ActivityKind.SPORT, "3-6", 5, 24, 1, 1, 8, "pingpong pe", "gym"),
    _Item("ROBOT", "机器人", ActivityKind.SCIENCE, "5-6", 9, 24, 1, 1, 8, "robotics", "computer", slots="Tue Thu"),
    _Item("TUT-J", "答疑辅导", ActivityKind.TUTORING, "7-9", 6, 40, 3, 2, 10, "chinese math english", slots="-3"),
    _Item("PROG", "编程社", ActivityKind.SCIENCE, "7-9", 7, 40, 1, 1, 8, "programming computer", "computer"),
    _Item("LIT", "文学社", ActivityKind.READING, "7-9", 3, 40, 1, 1, 8, "reading chinese", "library classroom"),
    _Item("SKETCH", "素描", ActivityKind.ART, "7-9", 3, 30, 1, 1, 8, "art", "art"),
    _Item("FOOT-J", "足球（初中）", ActivityKind.SPORT, "7-9", 8, 30, 2, 2, 10, "football", "field", True, "Mon Wed"),
    _Item(
        "BASK-J", "篮球（初中）", ActivityKind.SPORT, "7-9", 8, 30, 2, 1, 8, "basketball", "field gym", True, "Tue Thu"
    ),
)

#: (id, name, grades) of the care activities: one per grade band.
CARE_BANDS = (
    ("CARE-L", "低年级托管", "1-2"),
    ("CARE-M", "中年级托管", "3-4"),
    ("CARE-H", "高年级托管", "5-6"),
    ("CARE-J", "初中托管自习", "7-9"),
)
CLASS_READING = ("CLASS-READ", "班级共读", "1-2", "Mon-2 Wed-2")


def _slot_tokens(spec: str, slot_ids: set[str]) -> tuple[str, ...]:
    """Days stay days; ``-1`` means that suffix on every school day; slot ids must exist."""
    tokens: list[str] = []
    for token in spec.split():
        if token.startswith("-"):
            tokens.extend(f"{d.value}{token}" for d in DAYS if f"{d.value}{token}" in slot_ids)
        elif "-" in token:
            tokens.extend([token] if token in slot_ids else [])
        else:
            tokens.append(token)
    return tuple(tokens)


#: Applicants from which popular items (appeal ≥ 5) may run one, then two, more groups (at most 3).
MORE_GROUPS_FROM = (1500, 2500)


def _menu(grades: frozenset[int], slot_ids: set[str], students: int) -> tuple[list[Activity], dict[str, float]]:
    """The chosen activities fitted to the school (and their appeal), plus the class activity."""
    more = sum(students >= n for n in MORE_GROUPS_FROM)
    activities: list[Activity] = []
    appeal: dict[str, float] = {}
    for item in MENU:
        eligible = parse_grades(item.grades) & grades
        slots = _slot_tokens(item.slots, slot_ids)
        if not eligible or (item.slots and not slots):
            continue
        activities.append(
            Activity(
                activity_id=item.activity_id,
                name=item.name,
                kind=item.kind,
                grades=eligible,
                slots=slots,
                sessions_per_week=item.sessions,
                min_size=item.min_size,
                max_size=item.max_size,
                max_groups=min(3, item.max_groups + more) if item.appeal >= 5 else item.max_groups,
                skill=item.skill,
                room_type=item.room_type,
                outdoor=item.outdoor,
            )
        )
        appeal[item.activity_id] = item.appeal
    aid, name, band, slots = CLASS_READING
    if parse_grades(band) & grades:
        activities.append(
            Activity(
                activity_id=aid,
                name=name,
                kind=ActivityKind.READING,
                mode=ActivityMode.CLASS,
                grades=parse_grades(band) & grades,
                slots=_slot_tokens(slots, slot_ids),
                sessions_per_week=2,
                skill="chinese reading",
                room_type="classroom",
            )
        )
    return activities, appeal


def _care_activities(grades: frozenset[int]) -> list[Activity]:
    """One care activity per grade band the school teaches (supervised homework, any service slot)."""
    return [
        Activity(
            activity_id=aid,
            name=name,
            kind=ActivityKind.CARE,
            grades=parse_grades(band) & grades,
            skill="care",
            room_type="classroom library",
        )
        for aid, name, band in CARE_BANDS
        if parse_grades(band) & grades
    ]


# ---- time -------------------------------------------------------------------------------
def _timeslots(grades: frozenset[int], evening_study: bool, overlapping_bells: bool = False) -> list[Timeslot]:
    """Mon–Fri: care then club for every grade; a tutoring slot and evening study for 7–9.

    ``overlapping_bells`` (nine-year schools): the junior section keeps its own bell, 30 minutes
    after the primary one, so its care and club slots overlap the primary ones in clock time
    while every slot stays apart from the others of its own grades.
    """
    junior = format_grades(grades & JUNIOR) if grades & JUNIOR else ""
    primary = format_grades(grades & PRIMARY) if grades & PRIMARY else ""
    rows = [
        ("1", SlotKind.CARE, "15:50", "16:40", "16:00", "16:50", 1.0, ""),
        ("2", SlotKind.CLUB, "16:50", "17:40", "17:00", "17:50", 1.0, ""),
    ]
    if overlapping_bells and junior and primary:
        rows = [
            ("1", SlotKind.CARE, "15:50", "16:35", "16:00", "16:45", 1.0, primary),
            ("2", SlotKind.CLUB, "16:45", "17:30", "16:55", "17:40", 1.0, primary),
            ("J1", SlotKind.CARE, "16:20", "17:05", "16:30", "17:15", 1.0, junior),
            ("J2", SlotKind.CLUB, "17:10", "17:45", "17:20", "17:50", 1.0, junior),
        ]
    if junior:
        rows.append(("3", SlotKind.TUTORING, "17:50", "18:30", "17:55", "18:30", 1.0, junior))
    if evening_study:
        rows.append(("E", SlotKind.EVENING_STUDY, "19:00", "20:30", "19:00", "20:30", 2.0, junior))
    return [
        Timeslot(
            slot_id=f"{day.value}-{n}",
            day=day,
            start=start,
            end=end,
            summer_start=s_start,
            summer_end=s_end,
            kind=kind,
            periods=periods,
            grades=slot_grades,
        )
        for day in DAYS
        for n, kind, start, end, s_start, s_end, periods, slot_grades in rows
    ]


# ---- classes ----------------------------------------------------------------------------
GRADE_WEIGHT = {1: 1.25, 2: 1.2, 3: 1.1, 4: 1.05, 5: 0.95, 6: 0.9, 7: 0.8, 8: 0.75, 9: 0.6}


@dataclass(frozen=True)
class _ClassPlan:
    """A home class as planned: its roll (size), its applicants and whether nearly all apply."""

    grade: int
    number: int
    size: int
    applicants: int
    keen: bool

    @property
    def class_id(self) -> str:
        return f"{self.grade}{self.number:02d}"

    @property
    def name(self) -> str:
        return f"{CN_GRADE[self.grade - 1]}年级{self.number}班"


def _split(total: int, weights: dict[int, float]) -> dict[int, int]:
    """``total`` split in proportion to ``weights`` (largest remainders)."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (out[k] - raw[k], k))[: total - sum(out.values())]:
        out[k] += 1
    return out


def _plan_classes(rng: Random, total: int, grades: frozenset[int]) -> list[_ClassPlan]:
    """Home classes whose applicants add up to ``total``; one class (at least) applies almost whole."""
    keen_size = rng.randint(44, CLASS_SIZE[1])
    keen_apps = min(total, round(keen_size * rng.uniform(0.92, 1.0)))
    targets = _split(total - keen_apps, {g: GRADE_WEIGHT[g] for g in sorted(grades)})
    keen_grade = min(grades)
    plans = [_ClassPlan(keen_grade, 1, keen_size, keen_apps, True)]
    for grade in sorted(grades):
        remaining, number = targets[grade], (2 if grade == keen_grade else 1)
        while remaining > 0:
            keen = rng.random() < 0.06
            size = rng.randint(44, CLASS_SIZE[1]) if keen else rng.randint(*CLASS_SIZE)
            apps = max(1, round(size * (rng.uniform(0.9, 1.0) if keen else rng.uniform(0.22, 0.78))))
            if remaining - apps < 10:
                apps = min(remaining, size)
            plans.append(_ClassPlan(grade, number, size, apps, keen))
            remaining -= apps
            number += 1
    return sorted(plans, key=lambda p: (p.grade, p.number))


# ---- staff ------------------------------------------------------------------------------
#: Subject shares of the teaching staff and the skills each subject brings.
SUBJECTS = (
    ("chinese", 0.33, "chinese care"),
    ("math", 0.28, "math care"),
    ("english", 0.12, "english care"),
    ("pe", 0.08, "pe care"),
    ("music", 0.05, "music care"),
    ("art", 0.05, "art care"),
    ("science", 0.05, "science care"),
    ("it", 0.04, "computer programming care"),
)
#: (skill, chance) hobbies a teacher of a subject may add.
HOBBIES = {
    "chinese": (("reading", 0.4), ("calligraphy", 0.1)),
    "math": (("chess", 0.12), ("weiqi", 0.06)),
    "pe": (("football", 0.6), ("basketball", 0.6), ("pingpong", 0.4)),
    "music": (("dance", 0.4),),
    "art": (("papercut", 0.5), ("calligraphy", 0.3)),
    "science": (("labour", 0.5), ("robotics", 0.4)),
    "it": (("robotics", 0.7),),
}
#: External coaches: (skills, days, rate).
COACHES = (
    ("football pe", "Tue Thu", 100.0),
    ("basketball pe", "Mon Wed", 100.0),
    ("chess weiqi", "Wed Fri", 80.0),
    ("robotics programming", "Tue Thu", 120.0),
    ("calligraphy", "Tue Thu", 80.0),
)
PART_WEEK = ("Mon Tue Wed Thu", "Tue Wed Thu Fri", "Mon Wed Fri", "Tue Thu")


def _subjects(n: int) -> list[str]:
    """``n`` subjects in the shares of :data:`SUBJECTS`, at least two PE and one of each other."""
    counts = _split(n, {i: share for i, (_, share, _) in enumerate(SUBJECTS)})
    for i, (subject, _, _) in enumerate(SUBJECTS):
        counts[i] = max(counts[i], 2 if subject == "pe" else 1)
    return [SUBJECTS[i][0] for i in sorted(counts) for _ in range(counts[i])]


def _teachers(rng: Random, n: int) -> list[Staff]:
    skills_of = {s: base for s, _, base in SUBJECTS}
    staff = []
    for i, subject in enumerate(_subjects(n), start=1):
        skills = skills_of[subject].split()
        skills += [skill for skill, chance in HOBBIES.get(subject, ()) if rng.random() < chance]
        if subject == "pe" and i % 2 == 0:
            skills += ["football", "basketball"]  # every school has PE teachers for the ball games
        limited = rng.random()
        staff.append(
            Staff(
                staff_id=f"T{i:03d}",
                name=_person_name(rng, rng.random() < 0.7),
                kind=StaffKind.TEACHER,
                skills=skills,
                available=rng.choice(PART_WEEK) if rng.random() < 0.08 else (),
                max_periods_week=rng.choice((6.0, 8.0, 10.0)) if limited < 0.25 else None,
                max_periods_day=2.0 if limited > 0.8 else None,
            )
        )
    return staff


def _others(rng: Random, applicants: int) -> list[Staff]:
    """Leaders, external coaches, volunteers (one not cleared) and security staff."""
    staff: list[Staff] = []
    for i in range(1, 4 + min(2, applicants // 1000) + 1):
        subject = rng.choice(("chinese", "math", "english"))
        staff.append(
            Staff(
                staff_id=f"L{i:02d}",
                name=_person_name(rng, rng.random() < 0.5),
                kind=StaffKind.LEADER,
                skills=f"{subject} care",
                max_periods_week=8.0,
            )
        )
    coaches = list(COACHES) + (list(COACHES[:2]) if applicants >= 2000 else [])
    for i, (skills, days, rate) in enumerate(coaches, start=1):
        staff.append(
            Staff(
                staff_id=f"E{i:02d}",
                name=_person_name(rng, rng.random() < 0.3),
                kind=StaffKind.EXTERNAL,
                skills=skills,
                available=days,
                max_periods_week=4.0,
                background_check=True,
                rate=rate,
            )
        )
    volunteers = 2 + applicants // 800
    for i in range(1, volunteers + 1):
        staff.append(
            Staff(
                staff_id=f"V{i:02d}",
                name=_person_name(rng, rng.random() < 0.6),
                kind=StaffKind.VOLUNTEER,
                skills=rng.choice(("care reading", "care art", "care")),
                available=rng.choice(PART_WEEK),
                max_periods_week=4.0,
                background_check=i != volunteers,  # the last one has not been cleared (T2)
            )
        )
    for i in range(1, 3 + applicants // 1500):
        staff.append(
            Staff(
                staff_id=f"SEC{i:02d}",
                name=_person_name(rng, False),
                kind=StaffKind.SECURITY,
                background_check=True,
            )
        )
    return staff


# ---- rooms ------------------------------------------------------------------------------
def _rooms(plans: list[_ClassPlan]) -> list[Room]:
    """A classroom per home class, spare classrooms, special rooms, a gym and a field."""
    rooms = [Room(room_id=f"R{p.class_id}", name=f"{p.name}教室", type="classroom", capacity=50) for p in plans]
    spare = 3 + len(plans) // 8
    rooms += [Room(room_id=f"RS{i}", name=f"备用教室{i}", type="classroom", capacity=50) for i in range(1, spare + 1)]
    specials = 1 + len(plans) // 30
    for rid, name, kind, cap in (("MUS", "音乐教室", "music", 50), ("ART", "美术教室", "art", 45)):
        rooms += [Room(room_id=f"{rid}{i}", name=f"{name}{i}", type=kind, capacity=cap) for i in range(1, specials + 1)]
    rooms += [
        Room(room_id=f"COMP{i}", name=f"计算机教室{i}", type="computer", capacity=45) for i in range(1, specials + 1)
    ]
    rooms.append(Room(room_id="LIB", name="图书馆", type="library", capacity=60))
    rooms.append(Room(room_id="GYM", name="体育馆", type="gym", capacity=120, max_groups=2))
    rooms.append(Room(room_id="FIELD", name="操场", type="field", capacity=200, outdoor=True, max_groups=3))
    return rooms


def _classes(plans: list[_ClassPlan], teachers: list[Staff]) -> list[HomeClass]:
    """Home classes with a homeroom teacher (Chinese, maths, English first) and their classroom."""
    order = {"chinese": 0, "math": 1, "english": 2}
    pool = sorted(teachers, key=lambda s: (min(order.get(k, 9) for k in s.skills), s.staff_id))
    return [
        HomeClass(
            class_id=p.class_id,
            grade=p.grade,
            name=p.name,
            homeroom_teacher=pool[i % len(pool)].staff_id,
            room_id=f"R{p.class_id}",
            extra={"size": str(p.size)},
        )
        for i, p in enumerate(plans)
    ]


# ---- students ---------------------------------------------------------------------------
PRIORITY_SHARE = 0.08
PRIORITIES = (
    (Priority.MIGRANT, 40),
    (Priority.LEFT_BEHIND, 25),
    (Priority.LOW_INCOME, 15),
    (Priority.SINGLE_PARENT, 15),
    (Priority.DISABLED, 5),
)
STATUSES = (StudentStatus.APPROVED, StudentStatus.PENDING, StudentStatus.REJECTED, StudentStatus.WITHDRAWN)
DAY_PATTERNS = ("Mon Wed Fri", "Tue Thu", "Mon Tue Wed Thu", "Mon Wed", "Tue Wed Thu Fri", "Mon Tue Thu Fri")
NUM_CHOICES_WEIGHTS = (6, 6, 10, 18, 20, 40)  # 0…5 ranked choices


@dataclass(frozen=True)
class _Menu:
    """What students choose from: chosen activities by grade, their appeal, who may lead each."""

    by_grade: dict[int, list[Activity]]
    appeal: dict[str, float]
    leaders: dict[str, list[str]]


def _ranked(rng: Random, options: list[Activity], appeal: dict[str, float], k: int) -> list[str]:
    """``k`` activity ids drawn without replacement, each in proportion to its appeal."""
    pool = list(options)
    picked: list[str] = []
    for _ in range(min(k, len(pool))):
        choice = rng.choices(pool, weights=[appeal[a.activity_id] for a in pool])[0]
        picked.append(choice.activity_id)
        pool.remove(choice)
    return picked


def _priority(rng: Random) -> frozenset[Priority]:
    if rng.random() >= PRIORITY_SHARE:
        return frozenset()
    cats, weights = zip(*PRIORITIES, strict=True)
    picked = {rng.choices(cats, weights=weights)[0] for _ in range(2 if rng.random() < 0.1 else 1)}
    return frozenset(picked)


def _student(rng: Random, plan: _ClassPlan, number: int, menu: _Menu, evening_study: bool) -> Student:
    female = rng.random() < 0.48
    surname = _surname(rng)
    status = rng.choices(STATUSES, weights=(97, 1, 1, 1) if plan.keen else (88, 4, 2, 6))[0]
    services: tuple[str, ...] = ()
    if plan.grade in JUNIOR and evening_study and rng.random() < 0.45:
        services = ("care", "club", "tutoring", "evening_study")
    elif plan.grade in PRIMARY and rng.random() < 0.04:
        services = ("care",)  # picked up after the first slot: no club choices
    k = 0 if services == ("care",) else rng.choices(range(6), weights=NUM_CHOICES_WEIGHTS)[0]
    choices = _ranked(rng, menu.by_grade.get(plan.grade, []), menu.appeal, k)
    priority = _priority(rng)
    teacher_pref = None
    if choices and rng.random() < 0.05 and menu.leaders.get(choices[0]):
        teacher_pref = rng.choice(menu.leaders[choices[0]])
    exempt = bool(priority & {Priority.LOW_INCOME, Priority.DISABLED}) or rng.random() < 0.02
    father = rng.random() < 0.6
    return Student(
        student_id=f"S{plan.class_id}{number:02d}",
        name=_person_name(rng, female, surname),
        gender="女" if female else "男",
        class_id=plan.class_id,
        status=status,
        days=rng.choice(DAY_PATTERNS) if rng.random() < 0.25 else (),
        services=services,
        **{f"choice{i}": a for i, a in enumerate(choices, start=1)},
        teacher_pref=teacher_pref,
        priority=priority,
        fee_exempt=exempt,
        parent_name=_person_name(rng, not father, surname if father else None),
        parent_phone=_phone(rng),
    )


def _ensure_full_class(students: list[Student], plan: _ClassPlan, threshold: int = 40) -> list[Student]:
    """Approve enough of the keen class's applicants that it reaches ``threshold`` (G1 shows)."""
    mine = [s for s in students if s.class_id == plan.class_id]
    missing = threshold - sum(s.status == StudentStatus.APPROVED for s in mine)
    flip = {s.student_id for s in mine if s.status != StudentStatus.APPROVED}
    flip = set(sorted(flip)[: max(0, missing)])
    return [s.model_copy(update={"status": StudentStatus.APPROVED}) if s.student_id in flip else s for s in students]


def _students(rng: Random, plans: list[_ClassPlan], menu: _Menu, evening_study: bool) -> list[Student]:
    students = [_student(rng, plan, n, menu, evening_study) for plan in plans for n in range(1, plan.applicants + 1)]
    return _ensure_full_class(students, plans[0]) if plans[0].applicants >= 40 else students


# ---- duties and school ------------------------------------------------------------------
def _duties(slots: list[Timeslot], grades: frozenset[int]) -> list[DutyPost]:
    """Per day: two leaders and two security staff all afternoon, a teacher at the gate at dismissal."""
    posts: list[DutyPost] = []
    for day in DAYS:
        on_day = [s for s in slots if s.day == day]
        posts.append(DutyPost(day=day, post="leader_on_duty", count=2, kind=StaffKind.LEADER, periods=1))
        posts.append(DutyPost(day=day, post="security", count=2, kind=StaffKind.SECURITY, periods=2))
        gates = {on_day[-1].slot_id}
        if grades & PRIMARY:
            gates.add(f"{day.value}-2")  # primary pupils leave after the club slot
        posts += [DutyPost(day=day, slot_id=g, post="gate", kind=StaffKind.TEACHER, periods=1) for g in sorted(gates)]
    return posts


def _level(grades: frozenset[int]) -> Level:
    if grades <= PRIMARY:
        return Level.PRIMARY
    return Level.JUNIOR if grades <= JUNIOR else Level.NINE_YEAR


def _school(rng: Random, grades: frozenset[int], seed: int, name: str | None) -> School:
    level = _level(grades)
    suffix = {Level.PRIMARY: "小学", Level.JUNIOR: "中学", Level.NINE_YEAR: "学校"}[level]
    return School(
        name=name or f"{rng.choice(SCHOOL_PLACES)}{'实验' if rng.random() < 0.5 else ''}{suffix}",
        level=level,
        season=Season.SUMMER,
        season_switch=SEASON_SWITCH,
        language="zh",
        term_start=TERM_START,
        term_end=TERM_END,
        holidays=HOLIDAYS,
        rules=Rules(seed=seed),
        money=Money(fee_per_term=300, fee_cap_term=300, subsidy_per_student_year=250),
        pay=Pay(teacher=40, leader=40, external=80, volunteer=0, security=30, afternoon_period_cap=2),
    )


# ---- the school ---------------------------------------------------------------------------
def _grade_set(grades: str | Iterable[int]) -> frozenset[int]:
    found = parse_grades(grades) if isinstance(grades, str) else frozenset(int(g) for g in grades)
    if not found or not found <= PRIMARY | JUNIOR:
        raise ValueError("grades must be within 1-9, e.g. 1-6")
    return found


def _leaders_by_activity(activities: list[Activity], staff: list[Staff]) -> dict[str, list[str]]:
    """Cleared staff who could lead each activity (T2, T3): candidates for a teacher preference."""
    return {
        a.activity_id: [s.staff_id for s in staff if rules.may_lead(s, a) and not rules.is_outside(s)]
        for a in activities
    }


def generate_school(
    students: int,
    grades: str | Iterable[int] = "1-6",
    seed: int = 0,
    name: str | None = None,
    evening_study: bool = False,
    overlapping_bells: bool = False,
) -> Scenario:
    """A whole school with ``students`` applicants in ``grades`` (``"1-6"``, ``"1-9"``, ``range(7, 10)``).

    Deterministic for ``seed``. ``evening_study`` adds 19:00–20:30 evening study slots for
    grades 7–9 (only for schools that teach them). ``overlapping_bells``: a nine-year school whose
    junior bell rings 30 minutes after the primary one (slots of the two sections overlap in
    clock time). Raises ``ValueError`` on bad arguments.
    """
    if students < 1:
        raise ValueError("students must be at least 1")
    grade_set = _grade_set(grades)
    if evening_study and not grade_set & JUNIOR:
        raise ValueError("evening study is for grades 7-9")
    rng = Random(seed)
    school = _school(rng, grade_set, seed, name)
    slots = _timeslots(grade_set, evening_study, overlapping_bells)
    chosen, appeal = _menu(grade_set, {s.slot_id for s in slots}, students)
    appeal = {aid: a * rng.uniform(0.75, 1.25) for aid, a in appeal.items()}
    plans = _plan_classes(rng, students, grade_set)
    num_teachers = max(math.ceil(students / 25), math.ceil(1.35 * len(plans)) + 3)
    staff = _teachers(rng, num_teachers) + _others(rng, students)
    teachers = [s for s in staff if s.kind == StaffKind.TEACHER]
    choice_acts = [a for a in chosen if a.mode == ActivityMode.CHOICE]
    menu = _Menu(
        by_grade={g: [a for a in choice_acts if a.eligible(g)] for g in sorted(grade_set)},
        appeal=appeal,
        leaders=_leaders_by_activity(choice_acts, staff),
    )
    return Scenario(
        school=school,
        timeslots=tuple(slots),
        classes=tuple(_classes(plans, teachers)),
        students=tuple(_students(rng, plans, menu, evening_study)),
        activities=tuple(_care_activities(grade_set) + chosen),
        staff=tuple(staff),
        rooms=tuple(_rooms(plans)),
        duties=tuple(_duties(slots, grade_set)),
    )
