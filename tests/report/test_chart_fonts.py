"""Charts show Chinese (Chinese first): ``make test`` installs a CJK font (``make browser``), and the
charts find it even when matplotlib's font cache was built before it was installed."""

from __future__ import annotations

import subprocess

from cluster_planner.report import charts


def test_charts_use_the_installed_cjk_font() -> None:
    installed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    families = charts._font_families()
    assert installed.strip(), "make test installs a CJK font (make browser)"
    assert families[0] in charts.CJK_FONTS, families
