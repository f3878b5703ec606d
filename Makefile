# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/demo-small
OUT ?= out/demo-small

.PHONY: demo test lint bench schema clean screenshot browser paper-pictures

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/cluster-planner solve $(SCENARIO) --out $(OUT)

test: $(VENV)/.installed browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# report.html of the demo as a PNG for reviewers (installs Debian's chromium and a CJK font if missing).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
# report.xlsx printed by LibreOffice: the first page of the staff timetables, of the attendance sheets
# (two small groups) and a care group's (pages found by their first line; the demo school is Chinese).
STAFF_PAGE := /^[[:space:]]*教师课表/
ATTENDANCE_PAGE := /^[[:space:]]*考勤表/
BIG_GROUP_PAGE := att && /低年级托管（第 1/
print_page = n=$$(pdftotext -layout $(OUT)/report.pdf - | awk -v RS='\f' '/^[[:space:]]*考勤表/{att=1} $(1){print NR; exit}'); \
	pdftoppm -f $$n -l $$n -r 80 -png -singlefile $(OUT)/report.pdf $(2)
# Debian's chromium and a CJK font: the web app's browser tests (tests/web) and the screenshots need them.
browser:
	@test -x /usr/bin/chromium || $(APT_INSTALL) chromium || { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || $(APT_INSTALL) fonts-wqy-microhei || \
		{ $(SUDO) apt-get update && $(APT_INSTALL) fonts-wqy-microhei; }

screenshot: $(VENV)/.installed browser
	WEB_SCREENSHOTS=$(CURDIR)/docs $(BIN)/python -m pytest -q tests/web/test_web_browser.py
	@ls -l docs/web-*.png
	@test -f $(OUT)/report.html || $(MAKE) demo
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=1400,2000 --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/$(OUT)/report.html
	@ls -l docs/report.png
	@command -v libreoffice >/dev/null 2>&1 || $(APT_INSTALL) libreoffice-calc || { $(SUDO) apt-get update && $(APT_INSTALL) libreoffice-calc; }
	@command -v pdftoppm >/dev/null 2>&1 || $(APT_INSTALL) poppler-utils
	libreoffice --headless --convert-to pdf --outdir $(OUT) $(OUT)/report.xlsx >/dev/null 2>&1
	$(call print_page,$(STAFF_PAGE),docs/print-staff)
	$(call print_page,$(ATTENDANCE_PAGE),docs/print-attendance)
	$(call print_page,$(BIG_GROUP_PAGE),docs/print-attendance-care)
	@ls -l docs/print-*.png
	$(MAKE) paper-pictures

# The published pages (issue 17) printed by Chromium: the menu's first page, the first family notice of
# class 101 and the compliance report (十严禁), from a copy of the demo school with [notice] settings (out/paper: made here, replaced each time).
PAPER := out/paper
CHROMIUM_PDF := chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer
paper-pictures: $(VENV)/.installed browser
	rm -rf $(PAPER) && mkdir -p $(PAPER) && cp -r $(SCENARIO) $(PAPER)/scenario
	printf '\n[notice]\ncontact = "教务处 王老师 0355-6012345"\npickup_place = "东门"\npickup_note = "请持接送卡到班级队伍接孩子"\n' \
		>> $(PAPER)/scenario/school.toml
	$(BIN)/cluster-planner solve $(PAPER)/scenario --out $(PAPER)/plan --quiet > /dev/null
	$(BIN)/cluster-planner menu $(PAPER)/scenario --out $(PAPER)/menu
	$(BIN)/cluster-planner notices $(PAPER)/plan --class 101 --out $(PAPER)/notices
	$(BIN)/cluster-planner comply $(PAPER)/plan --out $(PAPER)/comply > /dev/null
	$(CHROMIUM_PDF) --print-to-pdf=$(CURDIR)/$(PAPER)/menu.pdf file://$(CURDIR)/$(PAPER)/menu/menu.html 2>/dev/null
	$(CHROMIUM_PDF) --print-to-pdf=$(CURDIR)/$(PAPER)/notices.pdf file://$(CURDIR)/$(PAPER)/notices/notices.html 2>/dev/null
	$(CHROMIUM_PDF) --print-to-pdf=$(CURDIR)/$(PAPER)/comply.pdf file://$(CURDIR)/$(PAPER)/comply/comply.html 2>/dev/null
	pdftoppm -f 1 -l 1 -r 80 -png -singlefile $(PAPER)/menu.pdf docs/menu
	pdftoppm -f 1 -l 1 -r 80 -png -singlefile $(PAPER)/notices.pdf docs/notice
	pdftoppm -f 1 -l 1 -r 80 -png -singlefile $(PAPER)/comply.pdf docs/comply
	@ls -l docs/menu.png docs/notice.png docs/comply.png

schema: $(VENV)/.installed
	$(BIN)/cluster-planner schema models

clean:
	rm -rf $(VENV) out .pytest_cache
