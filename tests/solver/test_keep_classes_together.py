"""G1/S7 after care is settled (sweep of larger schools, session 7: 1,200 pupils of grades 1-6,
groups of 35): a class whose non-priority pupils sat in one meeting and whose priority pupil sat
in another was left split, though the other meeting could take the class whole, because the
threshold was read on the pupils needing care instead of those placed (as the model and the
checker read it)."""

from __future__ import annotations

from cluster_planner.solver.care_settle import CareSlot, _keep_classes_together

THRESHOLD = 40


def _slot(other_class_pupils: int) -> CareSlot:
    """Meeting 0 (full at 35) holds 18 pupils of class 208 and 17 of class 209; meeting 1 holds
    208's priority pupil and ``other_class_pupils`` of class 202 (all of 202 in care there)."""
    classes = {
        "208": tuple(f"S208{k:02d}" for k in range(19)),
        "209": tuple(f"S209{k:02d}" for k in range(17)),
        "202": tuple(f"S202{k:02d}" for k in range(other_class_pupils + 30)),  # 30 left out
    }
    return CareSlot(
        slot_id="Thu-1",
        hosts=(0, 1),
        capacity={0: 35, 1: 60},
        rooms=(),
        classes=classes,
        grade={"208": 2, "209": 2, "202": 2},
        eligible={c: (0, 1) for c in classes},
        min_size={0: 1, 1: 1},
        now={},
        now_first={},
    )


def _counts(other_class_pupils: int) -> dict[tuple[str, int], tuple[int, int]]:
    return {
        ("208", 0): (18, 0),
        ("208", 1): (0, 1),
        ("209", 0): (17, 0),
        ("209", 1): (0, 0),
        ("202", 0): (0, 0),
        ("202", 1): (other_class_pupils, 0),
    }


def test_G1_split_class_joins_the_meeting_of_its_priority_pupil_beside_a_small_class() -> None:
    """Class 202 has 5 placed in care (30 more need it but found no place): under the threshold, so
    208's 18 may join meeting 1, which holds them all; the class is whole again."""
    together = _keep_classes_together(_slot(5), _counts(5), THRESHOLD)
    assert together[("208", 1)] == (18, 1) and together[("208", 0)] == (0, 0)
    assert together[("202", 1)] == (5, 0) and together[("209", 0)] == (17, 0)


def test_G1_split_class_stays_split_beside_a_class_at_the_threshold() -> None:
    """Class 202 has 40 placed in care in meeting 1: at the threshold it keeps to itself, so 208's
    non-priority pupils may not join it (the split is needed)."""
    counts = _counts(40)
    assert _keep_classes_together(_slot(40), counts, THRESHOLD) == counts
