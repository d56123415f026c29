"""申报覆盖率 and 惠企资金, computed by tasks (pure functions; the catalogue's 口径 in
services/metrics/metrics/catalogue/definitions.py names them policy_coverage,
policy_funds_granted, policy_funds_paid, policy_applications).

- 申报数 (policy_applications): applications dated (申报日期) in the period whose status is
  已申报 / 已受理 / 已兑现 / 未通过 (拟申报 is an intention, not an application).
- 核定资金 (policy_funds_granted): Σ 核定金额 of the period's applications that are 已受理 or 已兑现.
- 已拨付资金 (policy_funds_paid): Σ 核定金额 of applications 已兑现 whose 兑现日期 is in the period.
- 申报覆盖率 (policy_coverage): over (policy, enterprise) pairs, the pairs where the policy fits
  the enterprise (精准推送's matching) and the enterprise is in a **重点楼宇**, and of those the
  pairs with an application (as counted above) in the period. 重点楼宇 = the 千万元及以上楼宇 of
  the period's year as metrics' 楼宇分档 has it (全口径税收 ≥ 1000 万元, tier ``qianwan``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

APPLIED = frozenset({"applied", "accepted", "paid", "rejected"})
GRANTED = frozenset({"accepted", "paid"})
KEY_BUILDING_RULE = (
    "重点楼宇：统计年度的千万元及以上楼宇（指标分析服务“楼宇分档”，全口径税收 ≥ 1000 万元）；"
    "申报覆盖率 = 重点楼宇内已申报的（企业, 政策）数 ÷ 重点楼宇内符合政策的（企业, 政策）数"
)


@dataclass(frozen=True)
class AppRow:
    policy_id: int
    credit_code: str
    status: str
    applied_on: date
    amount_granted: Decimal | None
    paid_on: date | None
    building_code: str | None = None
    street_code: str | None = None


def counts_as_applied(a: AppRow, start: date, end: date) -> bool:
    return a.status in APPLIED and start <= a.applied_on <= end


def granted_amount(a: AppRow, start: date, end: date) -> Decimal:
    if a.status in GRANTED and start <= a.applied_on <= end and a.amount_granted is not None:
        return a.amount_granted
    return Decimal("0")


def paid_amount(a: AppRow, start: date, end: date) -> Decimal:
    if a.status == "paid" and a.paid_on is not None and start <= a.paid_on <= end and a.amount_granted is not None:
        return a.amount_granted
    return Decimal("0")


@dataclass
class Sums:
    applications: int = 0
    granted: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")

    def add(self, a: AppRow, start: date, end: date) -> None:
        self.applications += 1 if counts_as_applied(a, start, end) else 0
        self.granted += granted_amount(a, start, end)
        self.paid += paid_amount(a, start, end)

    @property
    def empty(self) -> bool:
        return not (self.applications or self.granted or self.paid)


def totals(apps: Iterable[AppRow], start: date, end: date) -> Sums:
    s = Sums()
    for a in apps:
        s.add(a, start, end)
    return s


def grouped(apps: Iterable[AppRow], start: date, end: date, keys: Callable[[AppRow], Iterable[str]]) -> dict[str, Sums]:
    """Sums per group; an application with several keys (a policy's themes) counts in each."""
    out: dict[str, Sums] = {}
    for a in apps:
        for key in keys(a):
            out.setdefault(key, Sums()).add(a, start, end)
    return {k: v for k, v in out.items() if not v.empty}


@dataclass(frozen=True)
class Coverage:
    fitting: int
    applied: int

    @property
    def rate(self) -> float | None:
        return self.applied / self.fitting if self.fitting else None


def coverage(
    fits: dict[int, dict[str, set[str]]], key_buildings: set[str], apps: Iterable[AppRow], start: date, end: date
) -> Coverage:
    """``fits``: policy id → {credit code → codes of the enterprise's buildings} (the matches)."""
    pairs = {
        (policy_id, code)
        for policy_id, enterprises in fits.items()
        for code, buildings in enterprises.items()
        if buildings & key_buildings
    }
    applied = {(a.policy_id, a.credit_code) for a in apps if counts_as_applied(a, start, end)}
    return Coverage(fitting=len(pairs), applied=len(pairs & applied))
