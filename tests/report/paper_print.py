"""Print a published page with Debian's Chromium to PDF and read the PDF back with pypdf (issue 17).

``make test`` installs ``chromium`` and a CJK font when they are missing (``make browser``); no test
that uses this is skipped.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

CHROMIUM = "/usr/bin/chromium"
CJK_FONT = re.compile(
    r"WenQuanYi|WQY|Noto\w*CJK|SourceHan|SimSun|SimHei|MicrosoftYaHei|PingFang|DroidSansFallback", re.I
)
A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)


def print_pdf(html: Path, pdf: Path) -> Path:
    """``html`` printed by headless Chromium as the office's browser would (its @page size, no header/footer)."""
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make test` installs it"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert pdf.is_file(), f"chromium printed nothing for {html}"
    return pdf


@dataclass(frozen=True)
class Printed:
    """What a printed PDF holds: each page's size (points, rounded) and text, and the fonts embedded."""

    sizes: list[tuple[int, int]]
    texts: list[str]
    embedded_fonts: set[str]

    @property
    def pages(self) -> int:
        return len(self.sizes)

    @property
    def cjk_embedded(self) -> bool:
        return any(CJK_FONT.search(name) for name in self.embedded_fonts)


def _embedded(font: object) -> list[str]:
    """The base font names of a font dictionary whose program is embedded (Type0 fonts: their descendants)."""
    font = font.get_object()  # type: ignore[attr-defined]
    out = []
    for f in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
        descriptor = f.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            out.append(str(f.get("/BaseFont", "")))
    return out


def read_pdf(pdf: Path) -> Printed:
    reader = PdfReader(str(pdf))
    sizes, texts, fonts = [], [], set()
    for page in reader.pages:
        box = page.mediabox
        sizes.append((round(float(box.width)), round(float(box.height))))
        texts.append(page.extract_text() or "")
        resources = page.get("/Resources")
        if resources is not None:
            for font in (resources.get_object().get("/Font") or {}).values():
                fonts.update(_embedded(font))
    return Printed(sizes, texts, fonts)
