"""The one rule for a building's occupancy figures on a date (DOMAIN.md → 指标口径).

Both services count the inputs their own way — registry from its stays, metrics from its read
model of the same stays — and turn them into figures here, so the rule (stages, 未填报,
rounding) exists once:

- 入驻面积 (occupied area): Σ area of the stays in force on the date (start ≤ date ≤ end);
- 在楼企业 (tenants): enterprises with a stay in force, each counted once per building;
- 入驻率 = occupied ÷ leasable area (4 decimals, not capped: above 1 shows a data error);
- 空置面积 = leasable − occupied, not below 0.
- status: ``under_construction`` (在建: outside the district's occupancy, vacancy, 坪效 and
  tenant denominators, its area reported as 在建载体面积); ``not_reported`` (未填报: no
  leasable area, or neither spaces nor stays recorded — rate and vacancy are null, never 0%
  or 100%, and no vacancy warning); otherwise ``reported``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REPORTED = "reported"
NOT_REPORTED = "not_reported"
UNDER_CONSTRUCTION = "under_construction"
STATUS_LABELS = {REPORTED: "已填报", NOT_REPORTED: "未填报", UNDER_CONSTRUCTION: "在建"}


@dataclass(frozen=True)
class OccupancyFigures:
    on: date
    status: str
    leasable_area: float | None
    occupied_area: float
    vacant_area: float | None
    occupancy_rate: float | None
    tenants: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def counts_in_rates(self) -> bool:
        """Whether the building is inside the occupancy, vacancy, 坪效 and tenant denominators."""
        return self.status == REPORTED


def occupancy_figures(
    *,
    on: date,
    stage: str,
    leasable_area: float | None,
    recorded: bool,
    occupied_area: float,
    tenants: int,
) -> OccupancyFigures:
    """The figures of one building from its inputs (``recorded``: it has spaces or stays)."""
    occupied = round(max(occupied_area, 0.0), 2)
    leasable = leasable_area if leasable_area and leasable_area > 0 else None
    if stage == UNDER_CONSTRUCTION:
        status = UNDER_CONSTRUCTION
    elif leasable is None or not recorded:
        status = NOT_REPORTED
    else:
        status = REPORTED
    if leasable is None or status == NOT_REPORTED:
        return OccupancyFigures(on, status, leasable_area, occupied, None, None, tenants)
    return OccupancyFigures(
        on,
        status,
        leasable_area,
        occupied,
        round(max(leasable - occupied, 0.0), 2),
        round(occupied / leasable, 4),
        tenants,
    )
