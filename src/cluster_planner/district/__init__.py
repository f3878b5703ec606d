"""District planning (issue #8): every school of a county in one run, on Dask.

- :mod:`~cluster_planner.district.school_task`: the pure per-school task (load, solve, save, check);
- :mod:`~cluster_planner.district.run`: one Dask task per school, local cluster or remote scheduler;
- :mod:`~cluster_planner.district.report`: the district workbook, page and CSV;
- :mod:`~cluster_planner.district.generate`: a made-up district of primary and junior schools.
"""

from cluster_planner.i18n import register

register(
    {
        "district.level.primary": ("小学", "primary"),
        "district.level.junior": ("初中", "junior"),
        "district.level.nine_year": ("九年一贯制", "nine-year"),
    }
)
