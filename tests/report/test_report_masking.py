"""Phones in public reports are masked (D1)."""

from __future__ import annotations

import pytest

from cluster_planner.report.masking import mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),  # a mobile number
        ("138-1234-5678", "138****5678"),  # with separators
        ("+86 138 1234 5678", "138****5678"),  # with the country code
        ("010-62345678", "010****5678"),  # a landline with its area code
        ("6234567", "*****67"),  # a short number keeps only its last two digits
        ("", ""),  # blank stays blank
        ("无", "****"),  # no digits: nothing shown
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
