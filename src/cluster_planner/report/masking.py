"""Masking personal data for reports that are posted publicly (D1)."""

from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"\D")


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``: the first three and last four digits stay.

    Separators and a ``+86``/``0086`` prefix are dropped. Numbers with fewer than eleven digits
    keep only their last two; blank stays blank. The result never holds the whole number.
    """
    text = str(phone or "").strip()
    digits = _NON_DIGIT.sub("", text)
    if not digits:
        return "****" if text else ""
    if text.startswith("+86") or (text.startswith("0086") and len(digits) > 11):
        digits = digits[2:] if text.startswith("+86") else digits[4:]
    if len(digits) >= 11:
        return digits[:3] + "*" * max(4, len(digits) - 7) + digits[-4:]
    return "*" * max(4, len(digits) - 2) + digits[-2:]
