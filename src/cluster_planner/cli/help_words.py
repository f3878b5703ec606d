"""The ``--help`` words of every command in Chinese, shown beside the English (help is read before a
school is named, so it is bilingual).

Entries are ``help.<command>`` (what the command does), ``help.<command>.short`` (its line in
the command list) and ``help.<command>.<option>`` (an option, by its parameter name); options
several commands share fall back to ``help.any.<option>``. :func:`apply` puts them on the click
commands once they are built: the Chinese from here, the English from the command's own docstring
and ``help=`` (so an edit there still shows), the catalogue's English only where the code has none.
"""

from __future__ import annotations

import click

from cluster_planner.i18n import CATALOGUE, both, register, t

register(
    {
        "help.cli": ("规划学校一学期的课后服务", "Plan a school's after-school service for a term"),
        # shared options
        "help.any.lang": ("显示语言（默认：学校设置的语言）", "Language (default: the school's)"),
        "help.any.time_limit": ("时限（秒）", "Time limit, seconds"),
        "help.any.seed": (
            "抽签种子（默认：school.toml 的 rules.seed）",
            "Lottery seed (default: school.toml rules.seed)",
        ),
        "help.any.version": ("显示版本并退出", "Show the version and exit."),
        "help.any.out": ("要写入的新文件夹", "New folder to write"),
        "help.any.no_report": ("只写方案文件，不写报表", "Write the plan files only"),
        "help.any.public": (
            "另写一份隐去个人信息的公开版报表",
            "Also write public reports with personal data masked",
        ),
        "help.any.as_json": ("以 JSON 输出", "Print JSON"),
        # validate
        "help.validate": (
            "检查场景文件夹或 .xlsx 工作簿；不能排课时退出码为 2",
            "Check a scenario folder or .xlsx workbook; exit 2 if it cannot be planned",
        ),
        "help.validate.short": ("检查场景数据", "Check a scenario"),
        "help.validate.as_json": ("以 JSON 输出概况和问题", "Print the summary and findings as JSON"),
        # template
        "help.template": (
            "写一个空白工作簿：数据约定的每张表、表头和下拉选项",
            "Write an empty workbook with every sheet, header and drop-down of the data contract",
        ),
        "help.template.short": ("生成空白模板", "Write an empty template"),
        "help.template.lang": ("表名、表头和用词的语言", "Sheet names, headers and words"),
        # schema
        "help.schema": (
            "写出 JSON Schema：场景的每种行、场景整体和方案",
            "Write scenario.schema.json, one schema per input row type, and plan.schema.json",
        ),
        "help.schema.short": ("写出 JSON Schema", "Write the JSON Schemas"),
        "help.schema.lang": ("提示信息的语言（默认：中文）", "Language of the message (default: Chinese)"),
        # generate
        "help.generate": (
            "生成一所虚构学校到 OUT：场景文件夹；OUT 以 .xlsx 结尾时为工作簿",
            "Write a made-up school to OUT: a scenario folder, or a workbook when OUT ends in .xlsx",
        ),
        "help.generate.short": ("生成虚构学校", "Make up a school"),
        "help.generate.num_students": ("申请学生人数", "Applicants"),
        "help.generate.grades": ("学校的年级，如 1-6 或 1-9", "Grades the school teaches, e.g. 1-6 or 1-9"),
        "help.generate.seed": ("随机种子：同一种子生成同一所学校", "Random seed; the same seed gives the same school"),
        "help.generate.xlsx": ("另在文件夹旁写 OUT.xlsx", "Also write OUT.xlsx beside the folder"),
        "help.generate.evening_study": (
            "为 7–9 年级加 19:00–20:30 晚自习",
            "Add 19:00–20:30 evening study for grades 7–9",
        ),
        "help.generate.name": ("学校名称（默认：虚构的中文校名）", "School name (default: a made-up Chinese name)"),
        # solve
        "help.solve": (
            "规划本学期：读取 SCENARIO（文件夹或 .xlsx），把方案写入 --out 文件夹",
            "Plan the term: read SCENARIO (a folder or .xlsx) and write the plan folder --out",
        ),
        "help.solve.short": ("规划本学期", "Plan the term"),
        "help.solve.out": ("要写入的方案文件夹", "Plan folder to write"),
        "help.solve.workers": (
            "CP-SAT 搜索线程数（1 = 可复现，本机最快）",
            "CP-SAT search workers (1 = reproducible, fastest here)",
        ),
        "help.solve.quiet": ("不显示求解进度", "No progress lines"),
        # check
        "help.check": (
            "只按规则对照 SCENARIO 检查 PLAN_DIR；违反任一规则时退出码为 1",
            "Check PLAN_DIR against SCENARIO from the rules alone; exit 1 if it breaks any rule",
        ),
        "help.check.short": ("检查方案", "Check a plan"),
        "help.check.as_json": ("以 JSON 输出违规项", "Print the violations as JSON"),
        # report
        "help.report": (
            "把 report.xlsx 和 report.html 写入 PLAN_DIR（省略 SCENARIO 或写 '-'：用 PLAN_DIR/scenario）",
            "Write report.xlsx and report.html into PLAN_DIR (SCENARIO omitted or '-': PLAN_DIR/scenario)",
        ),
        "help.report.short": ("写报表", "Write the reports"),
        # menu, notices (issue 17)
        "help.menu": (
            "把 SCENARIO 的服务菜单（menu.html，A4 打印；menu.xlsx）写入 --out（默认：旁边的 SCENARIO-menu）",
            "Write the service menu of SCENARIO (menu.html on A4, menu.xlsx) into --out (default: SCENARIO-menu)",
        ),
        "help.menu.short": ("写服务菜单公示", "Write the service menu"),
        "help.menu.out": ("要写入的新文件夹（默认：SCENARIO-menu）", "New folder (default: SCENARIO-menu)"),
        "help.notices": (
            "为 PLAN 的每名学生写一页家长告知书（notices.html 按 A4 每生一页；notices.xlsx 每班一张表），"
            "写入 --out（默认：PLAN-notices）；重排后的方案只给安排有变化的学生",
            "Write one notice per student of PLAN (notices.html, a page each on A4; notices.xlsx, a sheet per "
            "class) into --out (default: PLAN-notices); a re-solved plan: only the students whose plan changed",
        ),
        "help.notices.short": ("写家长告知书", "Write the family notices"),
        "help.notices.class_id": ("只写这个班（班级编号或名称）", "Only this class (its id or name)"),
        "help.notices.out": ("要写入的新文件夹（默认：PLAN-notices）", "New folder (default: PLAN-notices)"),
        "help.comply": (
            "按“十严禁”逐条自查 PLAN，把 comply.html（A4 打印）和 comply.xlsx 写入 --out（默认：PLAN-comply）；"
            "发现违反时退出码为 1",
            "Check PLAN against the ten prohibitions (十严禁) and write comply.html (A4) and comply.xlsx into --out "
            "(default: PLAN-comply); exit 1 on a violation",
        ),
        "help.comply.short": ("“十严禁”自查", "Check the ten prohibitions"),
        "help.comply.out": ("要写入的新文件夹（默认：PLAN-comply）", "New folder (default: PLAN-comply)"),
        "help.lottery": (
            "列出 SCENARIO（或方案文件夹，用其抽签种子）的完整抽签顺序：顺序、学号、姓名、班级和抽签号"
            "（SHA-256(“种子:学号”) 的前 8 位）；--out 另写成新的 .csv 或 .xlsx 文件",
            "Print the lottery order of SCENARIO (or of a plan folder, with the plan's seed): rank, student id, "
            "name, class and lottery number, the first 8 hex digits of SHA-256('seed:student id'); --out also "
            "writes it to a new .csv or .xlsx file",
        ),
        "help.lottery.short": ("列出抽签顺序", "Print the lottery order"),
        "help.lottery.seed": (
            "抽签种子（默认：school.toml 的 rules.seed；方案文件夹：方案的种子）",
            "Lottery seed (default: school.toml rules.seed; a plan's own)",
        ),
        "help.lottery.out": ("要写入的新文件（.csv 或 .xlsx）", "New .csv or .xlsx file for the order"),
        # explain
        "help.explain": (
            "说明 SCENARIO 为何无法排课（退出码 3）以及如何解决，或某学生为何得到现在的安排",
            "Say why SCENARIO cannot be planned (exit 3) and what would fix it, or why a student got what they got",
        ),
        "help.explain.short": ("说明原因", "Explain"),
        "help.explain.suggest": (
            "给出让每名学生都能安排的最省资源方案",
            "Propose the cheapest resources that place every student",
        ),
        "help.explain.student_id": (
            "说明某学生的志愿结果（路径须为方案文件夹）",
            "Explain one student's choices (PATH is a plan folder)",
        ),
        # resolve
        "help.resolve": (
            "把 --changes 中的变动应用到 PLAN_DIR 的方案，以最小扰动重排，写入 --out",
            "Apply --changes to the plan in PLAN_DIR and re-solve with the least disturbance into --out",
        ),
        "help.resolve.short": ("学期中重排", "Re-solve mid-term"),
        "help.resolve.changes": ("变动表 changes.csv（或 .xlsx）", "changes.csv (or .xlsx)"),
        "help.resolve.out": ("要写入的新方案文件夹", "New plan folder to write"),
        "help.resolve.fill_freed": (
            "把空出的名额给志愿排得更靠前的学生",
            "Give freed places to students who ranked that activity higher",
        ),
        "help.resolve.on": ("生效日期（YYYY-MM-DD）", "Effective date (YYYY-MM-DD)"),
        "help.resolve.seed": ("抽签种子（默认：原方案的）", "Seed (default: the earlier plan's)"),
        # diff
        "help.diff": (
            "列出从 OLD 到 NEW 安排有变化的学生、教职工和活动组",
            "Print the students, staff and groups whose places differ from OLD to NEW",
        ),
        "help.diff.short": ("比较两个方案", "Compare two plans"),
        # history
        "help.history": (
            "列出 PLAN_DIR 的各个版本（新的在前）：日期、应用的变动、加入、退出和被调整的人",
            "List PLAN_DIR's versions, newest first: dates, changes applied, who joined, left or was moved",
        ),
        "help.history.short": ("方案版本历史", "Plan versions"),
        # solve-district
        "help.solve_district": (
            "规划 DISTRICT 的每一所学校（每校一个子文件夹或工作簿），把区域汇总写入 --out",
            "Plan every school of DISTRICT (one sub-folder or workbook each) and write the district report to --out",
        ),
        "help.solve_district.short": ("规划全区", "Plan a district"),
        "help.solve_district.out": ("方案和汇总的文件夹", "Folder for plans and report"),
        "help.solve_district.scheduler": ("已有 Dask 调度器的地址，如 tcp://host:8786", "Address of a Dask scheduler"),
        "help.solve_district.time_limit": ("每校的时限（秒）", "Time limit per school, seconds"),
        "help.solve_district.deterministic_limit": ("CP-SAT 每阶段的确定性时限", "CP-SAT deterministic time per stage"),
        "help.solve_district.workers": ("本机工作进程数（默认：CPU 核数）", "Local worker processes (default: cores)"),
        "help.solve_district.seed": ("每校的抽签种子（默认：各校 school.toml）", "Lottery seed for every school"),
        "help.solve_district.no_school_reports": ("各校只写方案文件，不写报表", "Each school's plan files only"),
        # generate-district
        "help.generate_district": (
            "生成一个虚构的区到 OUT：每所小学或初中一个场景文件夹",
            "Write a made-up district to OUT: one scenario folder per primary or junior-middle school",
        ),
        "help.generate_district.short": ("生成虚构的区", "Make up a district"),
        "help.generate_district.num_schools": ("学校数", "Number of schools"),
        "help.generate_district.seed": (
            "随机种子：同一种子生成同一个区",
            "Random seed; the same seed gives the same district",
        ),
        "help.generate_district.min_students": ("最小学校的人数", "Smallest school"),
        "help.generate_district.max_students": ("最大学校的人数", "Largest school"),
        # serve
        "help.serve": (
            "启动网页版：上传数据、排课、查看和下载方案（http://HOST:PORT/；127.0.0.1 为仅本机）",
            "Start the web app: upload, plan, look and download (http://HOST:PORT/; 127.0.0.1: this computer only)",
        ),
        "help.serve.short": ("启动网页版", "Start the web app"),
        "help.serve.port": ("端口", "Port to listen on"),
        "help.serve.data": ("存放数据库、上传和方案版本的文件夹", "Folder of the store, uploads and plan versions"),
        "help.serve.host": (
            "监听的地址；127.0.0.1/localhost 以外的地址需要先添加账户（user add）",
            "Address to listen on; any but 127.0.0.1/localhost needs an account (user add)",
        ),
        "help.serve.lang": ("启动信息的语言（网页默认中文，可在页面上切换）", "Language of these messages"),
    }
)


def _bilingual(key: str, english: str | None = None) -> str | None:
    """``中文 / English``: the catalogue's Chinese and the English the command's code gives (its
    docstring or ``help=``; else the catalogue's)."""
    if key not in CATALOGUE:
        return None
    return f"{t(key, 'zh')} / {(english or t(key, 'en')).strip()}"


def apply(group: click.Group) -> None:
    """Give the group, each command and each option their bilingual help (where the catalogue has it)."""
    group.help = _bilingual("help.cli", group.help) or group.help
    for param in group.params:
        if isinstance(param, click.Option) and param.name:
            param.help = _bilingual(f"help.any.{param.name}", param.help) or param.help
    for name, command in group.commands.items():
        key = name.replace("-", "_")
        command.help = _bilingual(f"help.{key}", command.help) or command.help
        command.short_help = both(f"help.{key}.short") if f"help.{key}.short" in CATALOGUE else command.short_help
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                own = f"help.{key}.{param.name}"
                param.help = _bilingual(own if own in CATALOGUE else f"help.any.{param.name}", param.help) or param.help
