# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/demo-small
OUT ?= out/demo-small

.PHONY: demo test lint bench schema clean screenshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/cluster-planner solve $(SCENARIO) --out $(OUT)

test: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# report.html of the demo as a PNG for reviewers (installs Debian's chromium and a CJK font if missing).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
screenshot:
	@command -v chromium >/dev/null 2>&1 || $(APT_INSTALL) chromium || { $(SUDO) apt-get update && $(APT_INSTALL) chromium; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || $(APT_INSTALL) fonts-wqy-microhei
	@test -f $(OUT)/report.html || $(MAKE) demo
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=1400,2000 --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/$(OUT)/report.html
	@ls -l docs/report.png

schema: $(VENV)/.installed
	$(BIN)/cluster-planner schema models

clean:
	rm -rf $(VENV) out .pytest_cache
